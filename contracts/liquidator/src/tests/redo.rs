//! `redo`: when an auction may restart, at what price, and who earns what.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolError;

use super::*;
use crate::{errors::*, events};

/// An auction that needs a redo by `tail`: a curve too slow to reach `cusp` in two hours.
fn aged() -> (Fixture, U256) {
    let mut t = Fixture::new();
    t.set(WETH, "tau", U256::from(30 * 86_400));
    let id = t.kick(usdc(10_000), eth(5));
    t.at(7_201);
    (t, id)
}

#[test]
fn redo_of_a_fresh_auction_is_refused() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_800);
    t.as_(KEEPER);
    assert_eq!(
        err(t.liq.redo(id, KEEPER)),
        LiquidatorRedoNotNeeded { id }.abi_encode()
    );
}

#[test]
fn redo_after_tail_restarts_at_the_fresh_oracle_price() {
    let (mut t, id) = aged();
    t.price(WETH, Ok(wad(2_000)));
    t.as_(KEEPER);
    t.ok(|l| l.redo(id, KEEPER));
    let SaleView {
        tab, lot, top, tic, ..
    } = t.sale(id);
    assert_eq!((top, tic), (wad(2_500), U256::from(T0 + 7_201)));
    assert_eq!((tab, lot), (usdc(10_000), eth(5)), "a redo sells nothing");
    assert_eq!(
        t.liq.get_status(id).ok(),
        Some((false, wad(2_500), eth(5), usdc(10_000)))
    );
}

#[test]
fn redo_below_cusp_restarts() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_801);
    t.as_(KEEPER);
    t.ok(|l| l.redo(id, KEEPER));
    assert_eq!(t.sale(id).top, wad(3_750));
    assert!(t.take(id, eth(1), wad(3_750)).is_ok(), "takeable again");
}

#[test]
fn redo_logs_the_new_start() {
    let (mut t, id) = aged();
    t.as_(STRANGER);
    t.ok(|l| l.redo(id, KEEPER));
    let e = t.last::<events::Redo>();
    assert_eq!((e.id, e.keeper, e.top), (id, KEEPER, wad(3_750)));
    assert_eq!((e.tab, e.lot, e.coin), (usdc(10_000), eth(5), U256::ZERO));
}

#[test]
fn redo_records_the_price_it_saw_for_the_breaker() {
    let (mut t, id) = aged();
    t.set(WETH, "tol", pct(80));
    t.price(WETH, Ok(wad(1_000)));
    t.as_(KEEPER);
    t.ok(|l| l.redo(id, KEEPER));
    assert_eq!(t.asset(WETH).last, wad(1_000));
    // The breaker compares with the redo's price now, so kicks at that level go through.
    t.kick(usdc(1_000), eth(1));
}

#[test]
fn redo_is_not_stopped_by_the_price_drop_breaker() {
    let (mut t, id) = aged();
    t.set(WETH, "tol", pct(80));
    t.price(WETH, Ok(wad(100)));
    t.as_(KEEPER);
    t.ok(|l| l.redo(id, KEEPER));
    assert_eq!(t.sale(id).top, wad(125));
}

#[test]
fn redo_pays_the_keeper_from_the_engine_when_the_lot_is_worth_chost() {
    let (mut t, id) = aged();
    t.set(WETH, "tip", usdc(20));
    t.set(WETH, "chip", pct(1)); // 1 % of 10,000
    t.as_(STRANGER);
    t.ok(|l| l.redo(id, KEEPER));
    assert_eq!(t.balance(QUOTE, KEEPER), usdc(120));
    assert_eq!(t.balance(QUOTE, ENGINE), usdc(1_000 - 120));
    assert_eq!(t.last::<events::Redo>().coin, usdc(120));
}

#[test]
fn redo_pays_nothing_when_the_lot_is_worth_less_than_chost() {
    let mut t = Fixture::new();
    t.set(WETH, "tau", U256::from(30 * 86_400));
    t.set(WETH, "tip", usdc(20));
    // 0.03 ETH at 3,000 = 90 USDC < chost 100.
    let id = t.kick(usdc(1_000), eth(3) / U256::from(100));
    let before = t.balance(QUOTE, KEEPER);
    t.at(7_201);
    t.as_(KEEPER);
    t.ok(|l| l.redo(id, KEEPER));
    assert_eq!(t.balance(QUOTE, KEEPER), before);
    assert_eq!(t.last::<events::Redo>().coin, U256::ZERO);
}

#[test]
fn redo_pays_nothing_when_the_tab_is_below_chost() {
    let (mut t, id) = aged();
    t.set(WETH, "tip", usdc(20));
    t.set(WETH, "chost", usdc(10_001));
    let before = t.balance(QUOTE, KEEPER);
    t.as_(KEEPER);
    t.ok(|l| l.redo(id, KEEPER));
    assert_eq!(t.balance(QUOTE, KEEPER), before);
}

#[test]
fn redo_without_a_keeper_pays_nothing_even_if_the_engine_cannot() {
    let (mut t, id) = aged();
    t.set(WETH, "tip", usdc(5_000)); // more than the engine holds
    t.as_(STRANGER);
    t.ok(|l| l.redo(id, Address::ZERO));
    assert_eq!(t.balance(QUOTE, ENGINE), usdc(1_000));
}

#[test]
fn rewarded_redo_fails_when_the_engine_cannot_fund_it() {
    let (mut t, id) = aged();
    t.set(WETH, "tip", usdc(5_000));
    t.as_(KEEPER);
    assert_eq!(failed_target(t.liq.redo(id, KEEPER)), Some(QUOTE));
}

#[test]
fn stop_level_two_halts_redos() {
    let (mut t, id) = aged();
    t.as_(ADMIN);
    t.ok(|l| l.stop(U256::from(2)));
    t.as_(KEEPER);
    assert_eq!(
        err(t.liq.redo(id, KEEPER)),
        LiquidatorStopped {
            level: U256::from(2)
        }
        .abi_encode()
    );
}

#[test]
fn redo_during_a_take_is_refused() {
    let (mut t, id) = aged();
    t.ok(|l| l.set_lock(true));
    t.as_(KEEPER);
    assert_eq!(
        err(t.liq.redo(id, KEEPER)),
        LiquidatorLocked {}.abi_encode()
    );
}

#[test]
fn redo_of_an_auction_that_is_not_running_is_refused() {
    let mut t = Fixture::new();
    t.as_(KEEPER);
    assert_eq!(
        err(t.liq.redo(U256::from(3), KEEPER)),
        LiquidatorAuctionNotRunning { id: U256::from(3) }.abi_encode()
    );
}

#[test]
fn redo_waits_for_a_trustworthy_price() {
    let (mut t, id) = aged();
    t.price(WETH, Err(vec![0x01]));
    t.as_(KEEPER);
    assert_eq!(
        err(t.liq.redo(id, KEEPER)),
        LiquidatorExternalCallFailed {
            target: ORACLE,
            reason: vec![0x01].into()
        }
        .abi_encode()
    );
    assert_eq!(t.sale(id).tic, U256::from(T0), "not restarted");
}

#[test]
fn an_auction_nobody_bids_on_for_an_hour_stays_redoable_and_never_sells_for_nothing() {
    let mut t = Fixture::new();
    t.set(WETH, "tau", U256::from(1_800));
    t.set(WETH, "cusp", U256::from(1));
    let id = t.kick(usdc(10_000), eth(5));
    t.at(3_600);
    assert_eq!(
        t.liq.get_status(id).ok(),
        Some((true, U256::ZERO, eth(5), usdc(10_000)))
    );
    assert_eq!(
        err(t.take(id, eth(5), U256::MAX)),
        LiquidatorNeedsRedo { id }.abi_encode()
    );
    t.price(WETH, Ok(wad(2_000)));
    t.as_(KEEPER);
    t.ok(|l| l.redo(id, KEEPER));
    assert_eq!(
        t.take(id, eth(5), wad(2_500)).ok(),
        Some((eth(4), usdc(10_000)))
    );
}
