//! Tranche liquidations: sizing, bounds, the penalty split and seizure.

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::SolError;
use keel_math::WAD;

use super::*;
use crate::{
    errors::{BackstopNotLiquidatable, BackstopNothingToLiquidate, BackstopRateLimited},
    events,
};

/// 10 ETH long from 3,000 with 1,500 quote, priced 2,900: equity 500, maintenance 1,450.
/// The target-health tranche is `(1.25 · 1,450 − 500) / (1.25 · 5 % − 1 %) = 25,000` notional.
fn underwater(t: &mut Fixture, id: U256) {
    t.long(id, 1_500, 10, 3_000);
    t.price(WETH, wad(2_900));
}

/// The engine's health factor of `id`, WAD (`U256::MAX` without maintenance).
fn health_factor(t: &Fixture, id: U256) -> U256 {
    let (equity, mm) = t.health(id);
    if mm.is_zero() {
        return U256::MAX;
    }
    if equity.is_negative() {
        return U256::ZERO;
    }
    equity.into_raw() * WAD / mm
}

#[test]
fn a_healthy_account_cannot_be_liquidated() {
    let mut t = Fixture::new();
    t.long(ACCOUNT, 1_500, 10, 3_000);
    t.as_(KEEPER);
    assert_eq!(
        err(t.bs.liquidate(ACCOUNT, KEEPER)),
        BackstopNotLiquidatable { account: ACCOUNT }.abi_encode()
    );
    assert_eq!(t.size(ACCOUNT, ETH), swad(10));
}

#[test]
fn a_tranche_restores_the_target_health_and_no_more() {
    let mut t = Fixture::new();
    underwater(&mut t, ACCOUNT);
    t.as_(KEEPER);
    let (market, closed, penalty) = t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert_eq!(market, ETH);
    assert!(closed.is_negative(), "closing a long sells");
    let notional = closed.unsigned_abs() * wad(2_900) / WAD;
    // 25,000 notional, rounded up by less than one wei of size.
    assert!(
        notional >= wad(25_000) && notional < wad(25_000) + U256::from(3_000),
        "{notional}"
    );
    assert_eq!(t.size(ACCOUNT, ETH), swad(10) + closed);
    let hf = health_factor(&t, ACCOUNT);
    assert!(
        hf >= pct(125) && hf < pct(125) + U256::from(1_000_000_000u64),
        "{hf}"
    );
    assert_eq!(
        penalty,
        notional / U256::from(100) + U256::from(u8::from(notional % U256::from(100) != U256::ZERO))
    );
}

#[test]
fn the_tranche_closes_at_the_oracle_price_and_realises_the_loss() {
    let mut t = Fixture::new();
    underwater(&mut t, ACCOUNT);
    let (_, closed, penalty) = t.ok(|b| b.liquidate(ACCOUNT, Address::ZERO));
    let event = t.last::<events::Liquidate>();
    assert_eq!(
        (event.account, event.market, event.closed),
        (ACCOUNT, ETH, closed)
    );
    assert_eq!(event.price, wad(2_900));
    // Realised: |closed| · (2,900 − 3,000), then the penalty.
    let realised = closed * I256::from_raw(wad(100)) / I256::from_raw(WAD);
    let expected = swad(1_500) + realised - I256::from_raw(penalty);
    assert_eq!(t.account(ACCOUNT).quote, expected);
}

#[test]
fn the_riskiest_position_is_closed_first() {
    let mut t = Fixture::new();
    underwater(&mut t, ACCOUNT);
    // 1 BTC at 60,000 · 4 % = 2,400 of maintenance beats ETH's 1,450.
    t.position(ACCOUNT, BTC, swad(-1), wad(60_000));
    t.set_quote(ACCOUNT, swad(-600));
    assert!(t.ok(|b| b.liquidation_preview(ACCOUNT)).0 == BTC);
    let (market, closed, _) = t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert_eq!(market, BTC);
    assert!(closed.is_positive(), "closing a short buys");
    assert_eq!(t.size(ACCOUNT, ETH), swad(10));
}

#[test]
fn the_penalty_is_split_between_keeper_and_fund() {
    let mut t = Fixture::new();
    underwater(&mut t, ACCOUNT);
    let (_, _, penalty) = t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    let received = penalty / U256::from(1_000_000_000_000u64);
    let reward = received / U256::from(2);
    assert!(reward > usdc(120), "{reward}");
    assert_eq!(t.balance(QUOTE, KEEPER), reward);
    assert_eq!(t.fund(), received - reward);
    assert_eq!(t.last::<events::Liquidate>().reward, reward);
}

#[test]
fn the_keeper_reward_is_capped() {
    let mut t = Fixture::new();
    t.set("keeperCap", usdc(10));
    underwater(&mut t, ACCOUNT);
    let (_, _, penalty) = t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert_eq!(t.balance(QUOTE, KEEPER), usdc(10));
    assert_eq!(
        t.fund(),
        penalty / U256::from(1_000_000_000_000u64) - usdc(10)
    );
}

#[test]
fn without_a_keeper_the_whole_penalty_goes_to_the_fund() {
    let mut t = Fixture::new();
    underwater(&mut t, ACCOUNT);
    let (_, _, penalty) = t.ok(|b| b.liquidate(ACCOUNT, Address::ZERO));
    assert_eq!(t.fund(), penalty / U256::from(1_000_000_000_000u64));
    assert_eq!(t.last::<events::Liquidate>().reward, U256::ZERO);
}

#[test]
fn a_bankrupt_account_pays_no_penalty_and_is_closed_in_full() {
    let mut t = Fixture::new();
    t.long(ACCOUNT, 0, 10, 3_000);
    t.price(WETH, wad(2_700));
    let (_, closed, penalty) = t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert_eq!((closed, penalty), (swad(-10), U256::ZERO));
    assert_eq!(t.account(ACCOUNT).quote, swad(-3_000));
    assert!(!t.world.chain.borrow().engine.hooks.contains(&"charge"));
    assert_eq!(t.balance(QUOTE, KEEPER), U256::ZERO);
}

#[test]
fn max_lot_bounds_each_call_so_a_crash_is_sold_in_tranches() {
    let mut t = Fixture::new();
    t.set_market(ETH, "maxLot", wad(10_000));
    underwater(&mut t, ACCOUNT);
    let mut calls = 0;
    while t.ok(|b| b.liquidation_preview(ACCOUNT)).1 != I256::ZERO {
        let (_, closed, _) = t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
        assert!(closed.unsigned_abs() * wad(2_900) / WAD <= wad(10_000));
        calls += 1;
    }
    assert_eq!(calls, 3, "25,000 notional in lots of at most 10,000");
    assert!(health_factor(&t, ACCOUNT) >= pct(125));
}

#[test]
fn the_rate_limit_caps_notional_per_window_across_accounts() {
    let mut t = Fixture::new();
    t.set_market(ETH, "limit", wad(30_000));
    t.set_market(ETH, "window", U256::from(600));
    let second = ACCOUNT + U256::from(1);
    underwater(&mut t, ACCOUNT);
    underwater(&mut t, second);
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    let (_, closed, _) = t.ok(|b| b.liquidate(second, KEEPER));
    let used = t.bs.market(ETH)[3];
    assert!(used <= wad(30_000) && used > wad(29_999), "{used}");
    assert!(closed.unsigned_abs() * wad(2_900) / WAD <= wad(30_000) - wad(25_000));
    let error = err(t.bs.liquidate(second, KEEPER));
    let decoded = BackstopRateLimited::abi_decode(&error).ok();
    assert_eq!(
        decoded.map(|e| (e.market, e.limit)),
        Some((ETH, wad(30_000)))
    );
}

#[test]
fn the_rate_limit_window_slides() {
    let mut t = Fixture::new();
    t.set_market(ETH, "limit", wad(25_000));
    t.set_market(ETH, "window", U256::from(600));
    let second = ACCOUNT + U256::from(1);
    underwater(&mut t, ACCOUNT);
    underwater(&mut t, second);
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    // One window later the previous bucket still counts in full.
    t.at(600);
    assert!(!err(t.bs.liquidate(second, KEEPER)).is_empty());
    // Half a window further, half of it.
    t.at(900);
    let (_, closed, _) = t.ok(|b| b.liquidate(second, KEEPER));
    let notional = closed.unsigned_abs() * wad(2_900) / WAD;
    assert!(
        notional <= wad(12_500) && notional > wad(12_499),
        "{notional}"
    );
    // Two windows after the last bucket began, everything is free again.
    t.at(2_100);
    t.ok(|b| b.liquidate(second, KEEPER));
    assert!(health_factor(&t, second) >= pct(125));
}

#[test]
fn the_preview_is_what_liquidate_does() {
    let mut t = Fixture::new();
    t.set_market(ETH, "maxLot", wad(10_000));
    underwater(&mut t, ACCOUNT);
    let preview = t.ok(|b| b.liquidation_preview(ACCOUNT));
    assert_eq!(t.ok(|b| b.liquidate(ACCOUNT, KEEPER)), preview);
    t.long(ACCOUNT + U256::from(1), 100_000, 1, 3_000);
    assert_eq!(
        t.ok(|b| b.liquidation_preview(ACCOUNT + U256::from(1))),
        (U256::ZERO, I256::ZERO, U256::ZERO)
    );
}

/// 10 ETH long from 3,000 with no quote, priced 2,700, and 1 WETH of collateral: equity
/// `−3,000 + 2,700 · 0.9 = −570`.
fn bankrupt_with_collateral(t: &mut Fixture) {
    t.long(ACCOUNT, 0, 10, 3_000);
    t.collateral(ACCOUNT, WETH, wad(1));
    t.price(WETH, wad(2_700));
}

#[test]
fn closing_the_last_position_into_a_deficit_seizes_collateral_for_an_auction() {
    let mut t = Fixture::new();
    bankrupt_with_collateral(&mut t);
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    let kicks = t.world.chain.borrow().liq.kicks.clone();
    assert_eq!(kicks.len(), 1);
    let k = &kicks[0];
    assert_eq!(
        (k.tab, k.lot, k.asset, k.account, k.owner),
        (usdc(3_000), wad(1), WETH, ACCOUNT, OWNER)
    );
    assert_eq!(t.balance(WETH, LIQUIDATOR), wad(1));
    assert_eq!(t.bs.auctions(k.id), ACCOUNT);
    assert_eq!(t.bs.account(ACCOUNT)[..2], [usdc(3_000), U256::from(1)]);
    let event = t.last::<events::Kick>();
    assert_eq!(
        (event.id, event.account, event.token, event.lot, event.tab),
        (k.id, ACCOUNT, WETH, wad(1), usdc(3_000))
    );
}

#[test]
fn the_lot_covers_the_deficit_at_the_oracle_price_rounded_up() {
    let mut t = Fixture::new();
    // −25,000 quote against 10 WETH (24,300 after the haircut).
    t.open(ACCOUNT, swad(-25_000));
    t.collateral(ACCOUNT, WETH, wad(10));
    t.price(WETH, wad(2_700));
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    let k = t.world.chain.borrow().liq.kicks[0].clone();
    // 25,000 of deficit / 2,700 = 9.259259… WETH, rounded up.
    assert_eq!(k.tab, usdc(25_000));
    assert_eq!(k.lot, wad(25_000) * WAD / wad(2_700) + U256::from(1));
    assert_eq!(t.account(ACCOUNT).collateral[&WETH], wad(10) - k.lot);
}

#[test]
fn no_collateral_is_seized_while_positions_remain() {
    let mut t = Fixture::new();
    // 500 quote, 0.02 BTC (1,200) of collateral: equity 700 against 1,450 of maintenance.
    t.long(ACCOUNT, 500, 10, 3_000);
    t.price(WETH, wad(2_900));
    t.collateral(ACCOUNT, WBTC, U256::from(2_000_000u64));
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert!(t.size(ACCOUNT, ETH) != I256::ZERO);
    assert!(
        t.account(ACCOUNT).quote.is_negative(),
        "the realised loss exceeds the quote"
    );
    assert!(t.world.chain.borrow().liq.kicks.is_empty());
    assert_eq!(
        t.account(ACCOUNT).collateral[&WBTC],
        U256::from(2_000_000u64)
    );
}

#[test]
fn an_account_with_only_collateral_and_a_deficit_is_liquidated_by_seizure() {
    let mut t = Fixture::new();
    t.open(ACCOUNT, swad(-5_000));
    t.collateral(ACCOUNT, WBTC, U256::from(5_000_000u64)); // 0.05 BTC: 3,000 of value
    let (market, closed, penalty) = t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert_eq!(
        (market, closed, penalty),
        (U256::ZERO, I256::ZERO, U256::ZERO)
    );
    let k = t.world.chain.borrow().liq.kicks[0].clone();
    assert_eq!(
        (k.asset, k.lot, k.tab),
        (WBTC, U256::from(5_000_000u64), usdc(5_000))
    );
}

#[test]
fn the_liquidators_room_caps_the_tab_and_the_rest_is_seized_later() {
    let mut t = Fixture::new();
    bankrupt_with_collateral(&mut t);
    t.world
        .chain
        .borrow_mut()
        .liq
        .room
        .insert(WETH, usdc(1_000));
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert_eq!(t.world.chain.borrow().liq.kicks[0].tab, usdc(1_000));
    // No room left: nothing more to do.
    assert_eq!(
        err(t.bs.liquidate(ACCOUNT, KEEPER)),
        BackstopNothingToLiquidate { account: ACCOUNT }.abi_encode()
    );
    t.world
        .chain
        .borrow_mut()
        .liq
        .room
        .insert(WETH, usdc(10_000));
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    let k = t.world.chain.borrow().liq.kicks[1].clone();
    assert_eq!(
        k.tab,
        usdc(2_000),
        "only the deficit not already under auction"
    );
    assert_eq!(t.bs.account(ACCOUNT)[..2], [usdc(3_000), U256::from(2)]);
}

#[test]
fn the_kick_reward_is_paid_from_the_fund_only_when_it_holds_it() {
    let mut t = Fixture::new();
    {
        let mut c = t.world.chain.borrow_mut();
        c.liq.tip = usdc(5);
        c.liq.chip = pct(1);
    }
    bankrupt_with_collateral(&mut t);
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert_eq!(
        t.world.chain.borrow().liq.kicks[0].keeper,
        Address::ZERO,
        "empty fund"
    );

    let mut t = Fixture::new();
    {
        let mut c = t.world.chain.borrow_mut();
        c.liq.tip = usdc(5);
        c.liq.chip = pct(1);
    }
    let this = t.this();
    t.mint(QUOTE, this, usdc(100));
    bankrupt_with_collateral(&mut t);
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    let k = t.world.chain.borrow().liq.kicks[0].clone();
    assert_eq!((k.keeper, k.coin), (KEEPER, usdc(35)));
    assert_eq!(t.balance(QUOTE, KEEPER), usdc(35));
    assert_eq!(t.fund(), usdc(65));
}

#[test]
fn an_account_with_nothing_to_close_or_seize_is_refused() {
    let mut t = Fixture::new();
    t.open(ACCOUNT, swad(-5_000));
    assert_eq!(
        err(t.bs.liquidate(ACCOUNT, KEEPER)),
        BackstopNothingToLiquidate { account: ACCOUNT }.abi_encode()
    );
}

#[test]
fn a_stale_price_stops_the_liquidation() {
    let mut t = Fixture::new();
    underwater(&mut t, ACCOUNT);
    t.world.chain.borrow_mut().oracle_down = true;
    assert!(super::decode(&err(t.bs.liquidate(ACCOUNT, KEEPER))).contains("stale price"));
    assert_eq!(t.size(ACCOUNT, ETH), swad(10));
}

#[test]
fn a_kick_the_liquidator_would_refuse_is_skipped_and_the_tranche_still_closes() {
    let mut t = Fixture::new();
    bankrupt_with_collateral(&mut t);
    t.world.chain.borrow_mut().liq.stopped = U256::from(1);
    let (_, closed, _) = t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert_eq!(closed, swad(-10));
    assert!(t.world.chain.borrow().liq.kicks.is_empty());
    assert_eq!(t.account(ACCOUNT).collateral[&WETH], wad(1));
    // The breaker: last kick at 3,000, tolerance 95 %: 2,700 is below the floor.
    {
        let mut c = t.world.chain.borrow_mut();
        c.liq.stopped = U256::ZERO;
        c.liq.breaker.insert(WETH, (pct(95), wad(3_000)));
    }
    assert_eq!(
        err(t.bs.liquidate(ACCOUNT, KEEPER)),
        BackstopNothingToLiquidate { account: ACCOUNT }.abi_encode()
    );
    t.world.chain.borrow_mut().liq.breaker.clear();
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert_eq!(t.world.chain.borrow().liq.kicks.len(), 1);
}
