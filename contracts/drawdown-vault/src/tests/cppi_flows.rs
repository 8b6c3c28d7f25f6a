//! The high-water mark and drawdown, the CPPI target and rebalancing, the hard-cap exit and
//! reset, the pauses, and the proportional shrink on withdrawal.
//!
//! With 10,000 deposited at 3,000 and the defaults, the target is `m · cushion =
//! 4 · (1 − 0.8) · 10,000 = 8,000` long (below 2× and the model's 5×).

use alloy_primitives::{I256, U256};
use alloy_sol_types::SolError;
use keel_math::{mul_div_down, WAD};

use super::*;
use crate::{cppi, errors, events};

/// The notional of the vault's position at the oracle price.
fn exposure(t: &mut Fixture) -> I256 {
    t.ok(|v| v.exposure())
}

/// `x` within `tolerance` WAD of `y`.
fn near(x: I256, y: I256, tolerance: U256) -> bool {
    (x - y).unsigned_abs() <= tolerance
}

#[test]
fn the_target_is_m_times_the_cushion_at_the_mark() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    assert_eq!(t.ok(|v| v.target_exposure()), swad(8_000));
    let (delta, tip) = t.rebalance();
    assert_eq!(
        delta,
        I256::from_raw(mul_div_down(wad(8_000), WAD, wad(3_000)).unwrap())
    );
    assert_eq!(tip, U256::ZERO);
    assert!(near(exposure(&mut t), swad(8_000), U256::from(3_000)));
    let r = t.last::<events::Rebalance>();
    assert_eq!(
        (r.keeper, r.sizeDelta, r.fillPrice, r.target),
        (KEEPER, delta, wad(3_000), swad(8_000))
    );
}

#[test]
fn the_strategist_and_the_model_cap_the_target() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    t.as_(STRATEGIST);
    t.ok(|v| v.set_target(false, pct(50)));
    assert_eq!(t.ok(|v| v.target_exposure()), -swad(5_000));
    t.world.chain.borrow_mut().max_leverage = pct(30);
    assert_eq!(t.ok(|v| v.target_exposure()), -swad(3_000));
    t.rebalance();
    assert!(near(exposure(&mut t), -swad(3_000), U256::from(3_000)));
    // The admin's bound below the strategist's choice binds too.
    t.world.chain.borrow_mut().max_leverage = wad(5);
    t.set("maxLeverage", pct(20));
    assert_eq!(t.ok(|v| v.target_exposure()), -swad(2_000));
}

#[test]
fn rebalancing_moves_at_most_max_step_and_tips_only_big_enough_moves() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    t.set("maxStep", wad(3_000));
    t.set("minMove", wad(2_500));
    t.set("tipCap", usdc(5));
    let mut tips = Vec::new();
    for _ in 0..4 {
        let (_, tip) = t.rebalance();
        tips.push(tip);
    }
    assert_eq!(tips, [usdc(5), usdc(5), U256::ZERO, U256::ZERO]);
    assert_eq!(t.balance(KEEPER), usdc(10));
    // The tips came out of NAV, below the mark: the cushion is 9,990 − 8,000.
    let target = t.ok(|v| v.target_exposure());
    assert!(
        near(target, swad(7_960), WAD / U256::from(1_000)),
        "{target}"
    );
    assert!(near(exposure(&mut t), target, U256::from(10_000)));
    // The last call found nothing to do and logged nothing.
    assert_eq!(t.events::<events::Rebalance>().len(), 3);
}

#[test]
fn a_falling_price_shrinks_the_target_and_a_rebalance_sells() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    t.rebalance();
    t.price(wad(2_700)); // NAV 9,200, cushion 1,200
    let target = t.ok(|v| v.target_exposure());
    assert!(
        near(target, swad(4_800), WAD / U256::from(1_000)),
        "{target}"
    );
    let (delta, _) = t.rebalance();
    assert!(delta.is_negative());
    assert!(near(exposure(&mut t), target, U256::from(3_000)));
}

#[test]
fn the_high_water_mark_follows_new_highs_only() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(1_000));
    assert_eq!(t.vault.high_water_mark(), WAD);
    t.donate(wad(100));
    t.as_(STRANGER);
    t.ok(|v| v.poke());
    let p = t.ok(|v| v.nav_per_share());
    assert!(p > pct(109));
    assert_eq!(t.vault.high_water_mark(), p);
    let e = t.last::<events::Drawdown>();
    assert_eq!(
        (e.navPerShare, e.highWaterMark, e.drawdown, e.band),
        (p, p, U256::ZERO, 0)
    );
    // A loss leaves the mark and shows as drawdown.
    t.world
        .chain
        .borrow_mut()
        .engine
        .accounts
        .get_mut(&ACCOUNT)
        .unwrap()
        .quote -= I256::from_raw(wad(55));
    let events = t.events::<events::Drawdown>().len();
    t.ok(|v| v.poke());
    assert_eq!(t.vault.high_water_mark(), p);
    let dd = t.ok(|v| v.drawdown());
    assert!(dd > pct(4) && dd < pct(6));
    assert_eq!(
        t.events::<events::Drawdown>().len(),
        events,
        "no new high, same band: no event"
    );
}

#[test]
fn the_soft_band_scales_the_multiplier_down() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    t.rebalance();
    // 8,000 of exposure losing 1,500: price 3,000 · (1 − 1,500 / 8,000) = 2,437.5.
    t.price(U256::from(2_437_500_000_000_000_000_000u128));
    t.as_(STRANGER);
    t.ok(|v| v.poke());
    let e = t.last::<events::Drawdown>();
    assert_eq!(e.band, cppi::SOFT);
    assert!(near(
        I256::from_raw(e.drawdown),
        I256::from_raw(pct(15)),
        WAD / U256::from(1_000_000)
    ));
    // m' = 2, cushion 500: 1,000 (without the band it would be 2,000).
    let target = t.ok(|v| v.target_exposure());
    assert!(
        near(target, swad(1_000), WAD / U256::from(1_000)),
        "{target}"
    );
    t.rebalance();
    assert!(near(exposure(&mut t), target, U256::from(3_000)));
    assert_eq!(t.status().2, U256::from(cppi::SOFT));
}

/// Drops the price from 3,000 to 2,000 with 8,000 of exposure: NAV 7,333, drawdown 26.7 %.
fn crash(t: &mut Fixture) {
    t.deposit(ALICE, usdc(10_000));
    t.rebalance();
    t.set("maxStep", wad(100));
    t.price(wad(2_000));
}

#[test]
fn the_hard_cap_halts_and_the_next_rebalance_exits_to_cash_at_once() {
    let mut t = Fixture::new();
    crash(&mut t);
    t.at(100);
    t.as_(STRANGER);
    t.ok(|v| v.poke());
    assert_eq!(t.status(), (U256::ZERO, true, U256::from(cppi::HALTED)));
    assert_eq!(t.vault.state()[10], U256::from(T0 + 100));
    assert_eq!(t.last::<events::Drawdown>().band, cppi::HALTED);
    assert_eq!(t.ok(|v| v.target_exposure()), I256::ZERO);
    let size = t.account().size;
    let (delta, _) = t.rebalance();
    assert_eq!(delta, -size, "the whole position, beyond maxStep");
    assert_eq!(t.account().size, I256::ZERO);
    // No new risk while halted, whatever the strategist wants.
    t.as_(STRATEGIST);
    t.ok(|v| v.set_target(true, wad(3)));
    assert_eq!(t.rebalance(), (I256::ZERO, U256::ZERO));
}

#[test]
fn a_rebalance_itself_notices_the_hard_cap() {
    let mut t = Fixture::new();
    crash(&mut t);
    let (delta, _) = t.rebalance();
    assert!(t.status().1);
    assert_eq!(t.account().size, I256::ZERO);
    assert!(delta.is_negative());
}

#[test]
fn reset_waits_for_the_cool_down_and_restarts_the_mark() {
    let mut t = Fixture::new();
    crash(&mut t);
    t.at(10);
    t.rebalance();
    t.as_(ADMIN);
    let until = U256::from(T0 + 10 + 86_400);
    let early = errors::VaultCoolingDown { until }.abi_encode();
    t.at(86_409);
    assert_eq!(err(t.vault.reset()), early);
    t.at(86_410);
    t.ok(|v| v.reset());
    let p = t.ok(|v| v.nav_per_share());
    assert!(p < pct(74));
    assert_eq!(t.vault.high_water_mark(), p);
    assert_eq!(t.status(), (U256::ZERO, false, U256::ZERO));
    assert_eq!(t.last::<events::Reset>().highWaterMark, p);
    // Risk again, from the new mark.
    t.set("maxStep", U128);
    let (delta, _) = t.rebalance();
    assert!(delta.is_positive());
    t.as_(ADMIN);
    assert_eq!(err(t.vault.reset()), errors::VaultNotHalted {}.abi_encode());
}

/// The largest `maxStep`.
const U128: U256 = crate::params::U128_MAX;

#[test]
fn the_risk_pause_and_an_invalid_price_allow_only_reductions() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    t.as_(GUARDIAN);
    t.ok(|v| v.pause(U256::from(2)));
    assert_eq!(t.ok(|v| v.target_exposure()), I256::ZERO);
    assert_eq!(t.rebalance(), (I256::ZERO, U256::ZERO));
    t.set("paused", U256::ZERO);
    t.rebalance();
    t.valid(false);
    t.price(wad(2_700)); // the target falls to 4,800
    let (delta, _) = t.rebalance();
    assert!(delta.is_negative(), "reducing is still allowed");
    t.price(wad(3_300)); // the target rises above the position: hold
    let current = exposure(&mut t);
    assert_eq!(t.ok(|v| v.target_exposure()), current);
    assert_eq!(t.rebalance(), (I256::ZERO, U256::ZERO));
    t.valid(true);
    assert!(t.rebalance().0.is_positive());
}

#[test]
fn price_limits_deadline_and_trade_costs_protect_the_vault() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    t.costs(pct(1) / U256::from(2), U256::ZERO); // fills at 3,015
    t.as_(KEEPER);
    let deadline = U256::from(T0 + 60);
    // The caller's own limit.
    assert!(!err(t.vault.rebalance(wad(3_010), deadline)).is_empty());
    // Past the deadline.
    t.at(61);
    let late = errors::VaultDeadlinePassed { deadline }.abi_encode();
    assert_eq!(err(t.vault.rebalance(U256::ZERO, deadline)), late);
    // The vault's limit: a 2 % spread is beyond its 1 % slippage.
    t.costs(pct(2), U256::ZERO);
    assert!(!err(t.vault.rebalance(U256::ZERO, U256::from(T0 + 100))).is_empty());
    assert!(t.world.chain.borrow().engine.fills.is_empty());
    // A 2 % fee with no spread fills within the limit but costs too much equity.
    t.costs(U256::ZERO, pct(2));
    let e = err(t.vault.rebalance(U256::ZERO, U256::from(T0 + 100)));
    assert_eq!(e[..4], errors::VaultTradeCostExceeded::SELECTOR);
}

#[test]
fn a_withdrawal_shrinks_the_position_in_proportion() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    let bob = t.deposit(BOB, usdc(10_000));
    t.rebalance();
    let before = t.account().size;
    let leverage = |t: &mut Fixture| {
        let nav = I256::from_raw(keel_math::to_wad(t.ok(|v| v.total_assets()), 6).unwrap());
        mul_div_down(exposure(t).unsigned_abs(), WAD, nav.unsigned_abs()).unwrap()
    };
    let lev = leverage(&mut t);
    let alice_value = t.ok(|v| v.convert_to_assets(wad(10_000)));
    t.redeem(BOB, bob);
    let after = t.account().size;
    assert!(near(
        after,
        before / I256::try_from(2).unwrap(),
        U256::from(1)
    ));
    let s = t.last::<events::Shrink>();
    assert_eq!(s.sizeDelta, after - before);
    assert!(
        leverage(&mut t) <= lev,
        "the remaining holder's leverage did not rise"
    );
    assert!(t.ok(|v| v.convert_to_assets(wad(10_000))) >= alice_value);
}

#[test]
fn a_withdrawal_below_initial_margin_shrinks_enough_for_the_engine() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    t.deposit(BOB, usdc(10_000));
    t.rebalance(); // 16,000 of exposure
    t.world.chain.borrow_mut().engine.im = pct(150); // IM 24,000 over NAV 20,000
    t.costs(pct(1), U256::ZERO);
    let before = t.account().size;
    // A quarter of the supply: keep at most 0.75 · (20,000 − 160 exit cost) / 24,000 = 62 %.
    t.redeem(BOB, wad(5_000));
    let kept = mul_div_down(t.account().size.unsigned_abs(), WAD, before.unsigned_abs()).unwrap();
    assert!(kept <= pct(62) && kept > pct(61), "{kept}");
}

#[test]
fn the_exit_cost_charged_to_a_withdrawal_covers_the_real_one() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    let bob = t.deposit(BOB, usdc(10_000));
    t.rebalance();
    t.costs(pct(1) / U256::from(2), pct(1) / U256::from(4)); // 0.75 % < 1 % slippage
    let alice_value = t.ok(|v| v.convert_to_assets(wad(10_000)));
    t.redeem(BOB, bob);
    assert!(t.ok(|v| v.convert_to_assets(wad(10_000))) >= alice_value);
    // Costs beyond the vault's slippage (2 % > 1 %): the withdrawal still goes through at the
    // engine's quote, and the withdrawer pays them, exactly as previewed.
    let carol = t.deposit(KEEPER, usdc(1_000));
    t.costs(pct(1), pct(1));
    let alice_value = t.ok(|v| v.convert_to_assets(wad(10_000)));
    let max = t.vault.max_redeem(KEEPER);
    assert_eq!(max, carol);
    let preview = t.ok(|v| v.preview_redeem(carol));
    assert!(
        preview < usdc(1_000),
        "the withdrawer pays its exit: {preview}"
    );
    assert_eq!(t.redeem(KEEPER, carol), preview);
    assert!(t.ok(|v| v.convert_to_assets(wad(10_000))) >= alice_value);
    assert_eq!(
        t.world
            .chain
            .borrow()
            .engine
            .fills
            .last()
            .map(|f| f.limit == f.fill),
        Some(true)
    );
}

#[test]
fn a_shrink_costing_more_than_the_engine_quoted_reverts() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    let bob = t.deposit(BOB, usdc(10_000));
    t.rebalance();
    t.costs(pct(1), U256::ZERO);
    // The engine's trade takes 1 quote more than its quote said.
    t.world.chain.borrow_mut().engine.surcharge = WAD;
    t.as_(BOB);
    let e = err(t.vault.redeem(bob, BOB, BOB));
    assert_eq!(e[..4], errors::VaultTradeCostExceeded::SELECTOR);
}

#[test]
fn a_tip_the_engine_will_not_pay_is_skipped_not_blocking_the_exit() {
    let mut t = Fixture::new();
    crash(&mut t);
    t.set("tipCap", usdc(5));
    // Realised losses left the quote balance below the tip: the engine refuses to pay it.
    t.world
        .chain
        .borrow_mut()
        .engine
        .accounts
        .get_mut(&ACCOUNT)
        .unwrap()
        .quote = I256::from_raw(wad(2_668));
    let (delta, tip) = t.rebalance();
    assert!(delta.is_negative());
    assert_eq!(tip, U256::ZERO);
    assert_eq!(t.account().size, I256::ZERO);
    assert_eq!(t.last::<events::Rebalance>().tip, U256::ZERO);
}

#[test]
fn an_emptied_vault_restarts_its_mark_instead_of_halting_the_next_depositor() {
    let mut t = Fixture::new();
    let shares = t.deposit(ALICE, usdc(1_000));
    t.donate(wad(500));
    t.as_(STRANGER);
    t.ok(|v| v.poke());
    assert!(t.vault.high_water_mark() > pct(149));
    t.redeem(ALICE, shares);
    t.deposit(BOB, usdc(1_000));
    assert!(!t.status().1);
    assert_eq!(t.ok(|v| v.drawdown()), U256::ZERO);
    // The dust the last redemption left prices the next share; the mark follows that price.
    assert_eq!(t.vault.high_water_mark(), t.ok(|v| v.nav_per_share()));
}
