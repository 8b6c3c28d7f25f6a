//! What keepers read: status along each curve, room under the caps, the list of auctions.

use alloy_primitives::U256;
use keel_math::WAD;

use super::*;
use crate::curve::{EXPONENTIAL, STAIRSTEP};

#[test]
fn status_of_an_auction_that_is_not_running_is_all_zero() {
    let t = Fixture::new();
    assert_eq!(
        t.liq.get_status(U256::from(9)).ok(),
        Some((false, U256::ZERO, U256::ZERO, U256::ZERO))
    );
}

#[test]
fn status_follows_the_linear_curve_from_top_to_cusp() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    let status = |t: &Fixture| t.liq.get_status(id).ok();
    assert_eq!(status(&t), Some((false, wad(3_750), eth(5), usdc(10_000))));
    t.at(1_200);
    assert_eq!(status(&t), Some((false, wad(2_500), eth(5), usdc(10_000))));
    t.at(1_800);
    assert_eq!(status(&t), Some((false, wad(1_875), eth(5), usdc(10_000))));
    t.at(1_801);
    assert_eq!(status(&t).map(|s| s.0), Some(true));
}

#[test]
fn status_follows_the_stairstep_curve() {
    let mut t = Fixture::new();
    t.set(WETH, "kind", U256::from(STAIRSTEP));
    t.set(WETH, "cut", pct(99));
    t.set(WETH, "step", U256::from(90));
    let id = t.kick(usdc(10_000), eth(5));
    t.at(89);
    assert_eq!(t.liq.get_status(id).ok().map(|s| s.1), Some(wad(3_750)));
    t.at(90);
    assert_eq!(
        t.liq.get_status(id).ok().map(|s| s.1),
        Some(wad(3_7125) / U256::from(10))
    );
}

#[test]
fn status_follows_the_exponential_curve() {
    let mut t = Fixture::new();
    t.set(WETH, "kind", U256::from(EXPONENTIAL));
    t.set(WETH, "cut", pct(99));
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1);
    assert_eq!(
        t.liq.get_status(id).ok().map(|s| s.1),
        Some(wad(3_7125) / U256::from(10))
    );
    // 0.99^69 ≈ 0.4998 < cusp 0.5, 0.99^68 ≈ 0.5048.
    t.at(68);
    assert_eq!(t.liq.get_status(id).ok().map(|s| s.0), Some(false));
    t.at(69);
    assert_eq!(t.liq.get_status(id).ok().map(|s| s.0), Some(true));
}

#[test]
fn swapping_the_curve_applies_to_running_auctions() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_200);
    assert_eq!(t.liq.get_status(id).ok().map(|s| s.1), Some(wad(2_500)));
    t.set(WETH, "kind", U256::from(EXPONENTIAL));
    t.set(WETH, "cut", WAD);
    assert_eq!(t.liq.get_status(id).ok().map(|s| s.1), Some(wad(3_750)));
}

#[test]
fn status_reports_a_redo_past_tail_whatever_the_price() {
    let mut t = Fixture::new();
    t.set(WETH, "kind", U256::from(EXPONENTIAL));
    t.set(WETH, "cut", WAD);
    let id = t.kick(usdc(10_000), eth(5));
    t.at(7_200);
    assert_eq!(
        t.liq.get_status(id).ok(),
        Some((false, wad(3_750), eth(5), usdc(10_000)))
    );
    t.at(7_201);
    assert_eq!(
        t.liq.get_status(id).ok(),
        Some((true, wad(3_750), eth(5), usdc(10_000)))
    );
}

#[test]
fn room_is_the_smaller_of_the_global_and_asset_caps() {
    let mut t = Fixture::new();
    t.set(WETH, "hole", usdc(30_000));
    t.kick(usdc(10_000), eth(5));
    assert_eq!(t.liq.room(WETH), usdc(20_000));
    t.as_(ADMIN);
    t.ok(|l| l.file(what("Hole"), usdc(15_000)));
    assert_eq!(t.liq.room(WETH), usdc(5_000));
}

#[test]
fn room_is_zero_once_a_cap_is_lowered_below_what_is_under_auction() {
    let mut t = Fixture::new();
    t.kick(usdc(10_000), eth(5));
    t.set(WETH, "hole", usdc(1_000));
    assert_eq!(t.liq.room(WETH), U256::ZERO);
    assert_eq!(t.liq.room(WBTC), U256::ZERO, "unlisted asset");
}

#[test]
fn caps_reached_are_released_as_auctions_clear() {
    let mut t = Fixture::new();
    t.set(WETH, "hole", usdc(20_000));
    let first = t.kick(usdc(10_000), eth(5));
    t.kick(usdc(10_000), eth(5));
    assert!(t.try_kick(usdc(1), eth(1)).is_err());
    assert!(t.take(first, eth(5), U256::MAX).is_ok());
    assert_eq!(t.liq.room(WETH), usdc(10_000));
    t.kick(usdc(10_000), eth(5));
}

#[test]
fn list_keeps_every_running_auction_as_others_close() {
    let mut t = Fixture::new();
    let ids: Vec<U256> = (0..3).map(|_| t.kick(usdc(1_000), eth(1))).collect();
    assert_eq!(t.liq.list(), ids);
    assert!(t.take(ids[0], eth(1), U256::MAX).is_ok());
    assert_eq!(
        t.liq.list(),
        vec![ids[2], ids[1]],
        "the last moved into the freed place"
    );
    assert!(t.take(ids[2], eth(1), U256::MAX).is_ok());
    assert_eq!(t.liq.list(), vec![ids[1]]);
    assert!(t.take(ids[1], eth(1), U256::MAX).is_ok());
    assert!(t.liq.list().is_empty());
    assert_eq!(t.global().count, U256::ZERO);
}

#[test]
fn views_change_nothing() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    let logs = t.log_count();
    let calls = t.world.chain.borrow().calls.len();
    let _ = (
        t.liq.get_status(id),
        t.liq.list(),
        t.liq.room(WETH),
        t.liq.sales(id),
        t.liq.assets(WETH),
    );
    assert_eq!(t.log_count(), logs);
    assert_eq!(t.world.chain.borrow().calls.len(), calls, "no call out");
}
