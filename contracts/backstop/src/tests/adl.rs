//! Auto-deleveraging: when it opens, how much it closes, and the haircut under bad debt.

use alloy_primitives::{I256, U256};
use alloy_sol_types::SolError;

use super::*;
use crate::{
    errors::{BackstopAdlNotAllowed, BackstopNotProfitable},
    events,
};

/// The winner: 10 ETH long from 2,000 with 5,000 quote, priced 3,000 (profit 10,000); the pool
/// holds 100,000, so traders' profit is 10,000 against 90,000 of pool assets.
const WINNER: U256 = U256::from_limbs([9, 0, 0, 0]);

fn winning() -> Fixture {
    let mut t = Fixture::new();
    t.world.chain.borrow_mut().engine.pool = swad(100_000);
    t.long(WINNER, 5_000, 10, 2_000);
    t
}

/// `(totalAssets, traderPnl)` of the fake pool.
fn pool(t: &Fixture) -> (I256, I256) {
    let c = t.world.chain.borrow();
    let pnl = c.trader_pnl();
    (c.engine.pool - pnl, pnl)
}

#[test]
fn adl_is_closed_while_profit_is_within_the_ratio_and_no_debt_is_uncovered() {
    let mut t = winning();
    t.as_(KEEPER);
    assert_eq!(
        err(t.bs.adl(WINNER, ETH)),
        BackstopAdlNotAllowed {
            traderPnl: swad(10_000),
            totalAssets: wad(90_000),
            uncovered: U256::ZERO
        }
        .abi_encode()
    );
    assert_eq!(t.size(WINNER, ETH), swad(10));
}

#[test]
fn adl_closes_only_enough_to_bring_the_ratio_back() {
    let mut t = winning();
    t.set("adlRatio", pct(5));
    t.as_(KEEPER);
    let closed = t.ok(|b| b.adl(WINNER, ETH));
    // Excess 10,000 − 5 % · 90,000 = 5,500 of the position's 10,000 profit: 5.5 ETH.
    assert_eq!(closed, -(swad(55) / I256::try_from(10).unwrap_or_default()));
    let (assets, pnl) = pool(&t);
    assert_eq!(
        assets,
        swad(90_000),
        "realising profit leaves pool assets unchanged"
    );
    assert!(
        pnl >= assets * I256::try_from(5).unwrap_or_default()
            / I256::try_from(100).unwrap_or_default()
    );
    let e = t.last::<events::Adl>();
    assert_eq!(
        (e.account, e.market, e.keeper, e.closed),
        (WINNER, ETH, KEEPER, closed)
    );
    assert_eq!(
        (e.price, e.realised, e.haircut),
        (wad(3_000), swad(5_500), U256::ZERO)
    );
    // Back at the ratio: closed.
    assert!(!err(t.bs.adl(WINNER, ETH)).is_empty());
}

#[test]
fn adl_refuses_a_position_not_in_profit() {
    let mut t = winning();
    t.set("adlRatio", pct(5));
    let loser = WINNER + U256::from(1);
    t.open(loser, swad(50_000));
    t.position(loser, ETH, swad(-1), wad(2_500));
    assert_eq!(
        err(t.bs.adl(loser, ETH)),
        BackstopNotProfitable {
            account: loser,
            market: ETH
        }
        .abi_encode()
    );
    assert_eq!(
        err(t.bs.adl(loser, BTC)),
        BackstopNotProfitable {
            account: loser,
            market: BTC
        }
        .abi_encode()
    );
}

#[test]
fn adl_is_bounded_per_call() {
    let mut t = winning();
    t.set("adlRatio", pct(5));
    t.set("adlMax", wad(3_000));
    let closed = t.ok(|b| b.adl(WINNER, ETH));
    assert_eq!(closed, swad(-1));
}

#[test]
fn adl_never_flips_a_position() {
    let mut t = winning();
    // Another winner: traders' profit 20,000 against an empty pool, twice this position's.
    t.world.chain.borrow_mut().engine.pool = swad(15_000);
    t.open(ACCOUNT, swad(10_000));
    t.position(ACCOUNT, BTC, swad(1), wad(50_000));
    let closed = t.ok(|b| b.adl(WINNER, ETH));
    assert_eq!(closed, swad(-10));
    assert_eq!(t.size(WINNER, ETH), I256::ZERO);
}

/// `winning()` plus account 7 settled with 2,000 of uncovered bad debt.
fn in_debt() -> Fixture {
    let mut t = winning();
    t.open(ACCOUNT, swad(-2_000));
    t.ok(|b| b.settle_bad_debt(ACCOUNT));
    assert_eq!(t.bs.debts()[0], wad(2_000));
    t
}

#[test]
fn under_bad_debt_adl_moves_profit_into_the_fund_and_settlement_uses_it() {
    let mut t = in_debt();
    let closed = t.ok(|b| b.adl(WINNER, ETH));
    // 2,000 of the 10,000 profit: 2 ETH, realised and taken into the fund.
    assert_eq!(closed, swad(-2));
    assert_eq!(t.last::<events::Adl>().haircut, wad(2_000));
    assert_eq!(t.fund(), usdc(2_000));
    assert_eq!(t.account(WINNER).quote, swad(5_000));
    let (equity, mm) = t.health(WINNER);
    assert!(
        equity > I256::from_raw(mm),
        "the ADL'ed trader stays healthy"
    );
    // The fund now covers the debt: ADL closes again, settlement pays it.
    assert!(!err(t.bs.adl(WINNER, ETH)).is_empty());
    assert_eq!(
        t.ok(|b| b.settle_bad_debt(ACCOUNT)),
        (usdc(2_000), U256::ZERO, U256::ZERO)
    );
    assert_eq!(t.bs.bad_debt(), U256::ZERO);
}

#[test]
fn the_haircut_never_makes_the_trader_liquidatable() {
    let mut t = in_debt();
    // Little margin: 10 ETH from 2,000 with −8,000 quote: equity 2,000 against 1,500 of
    // maintenance; after closing 2 ETH, 800 of headroom.
    t.set_quote(WINNER, swad(-8_000));
    t.ok(|b| b.adl(WINNER, ETH));
    let haircut = t.last::<events::Adl>().haircut;
    let (equity, mm) = t.health(WINNER);
    assert_eq!(haircut, wad(800));
    assert!(equity >= I256::from_raw(mm));
    assert_eq!(t.fund(), haircut / U256::from(1_000_000_000_000u64));
}
