//! `kick`: who may start an auction, with what, and what it records.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolError;

use super::*;
use crate::{errors::*, events};

#[test]
fn kick_records_the_sale_at_oracle_price_times_buf() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    assert_eq!(id, U256::from(1));
    let SaleView {
        engine,
        asset,
        account,
        owner,
        tab,
        lot,
        top,
        tic,
    } = t.sale(id);
    assert_eq!(
        (engine, asset, account, owner),
        (ENGINE, WETH, ACCOUNT, OWNER)
    );
    assert_eq!((tab, lot), (usdc(10_000), eth(5)));
    assert_eq!(top, wad(3_750));
    assert_eq!(tic, U256::from(T0));
    assert_eq!(t.global().kicks, U256::from(1));
    assert_eq!(t.liq.list(), vec![id]);
}

#[test]
fn kick_logs_every_detail() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    let e = t.last::<events::Kick>();
    assert_eq!(
        (e.id, e.asset, e.engine, e.account),
        (id, WETH, ENGINE, ACCOUNT)
    );
    assert_eq!((e.owner, e.keeper), (OWNER, KEEPER));
    assert_eq!(
        (e.top, e.tab, e.lot, e.coin),
        (wad(3_750), usdc(10_000), eth(5), U256::ZERO)
    );
}

#[test]
fn kick_puts_the_tab_under_auction_and_holds_the_lot() {
    let mut t = Fixture::new();
    t.kick(usdc(10_000), eth(5));
    assert_eq!(t.global().dirt, usdc(10_000));
    let a = t.asset(WETH);
    assert_eq!((a.dirt, a.held), (usdc(10_000), eth(5)));
    assert_eq!(a.last, wad(3_000), "last oracle price");
    assert_eq!(t.liq.room(WETH), usdc(990_000));
}

#[test]
fn ids_count_up_from_one() {
    let mut t = Fixture::new();
    assert_eq!(t.kick(usdc(1_000), eth(1)), U256::from(1));
    assert_eq!(t.kick(usdc(1_000), eth(1)), U256::from(2));
    assert_eq!(t.global().count, U256::from(2));
}

#[test]
fn kick_pays_the_keeper_tip_plus_chip_times_tab_from_the_engine() {
    let mut t = Fixture::new();
    t.set(WETH, "tip", usdc(20));
    t.set(WETH, "chip", pct(1) / U256::from(10)); // 0.1 %
    t.kick(usdc(10_000), eth(5));
    assert_eq!(t.balance(QUOTE, KEEPER), usdc(30));
    assert_eq!(t.balance(QUOTE, ENGINE), usdc(1_000 - 30));
    assert_eq!(t.last::<events::Kick>().coin, usdc(30));
}

#[test]
fn kick_without_a_keeper_pays_no_reward() {
    let mut t = Fixture::new();
    t.set(WETH, "tip", usdc(20));
    let this = t.world.this();
    t.mint(WETH, this, eth(5));
    t.as_(ENGINE);
    t.ok(|l| l.kick(usdc(10_000), eth(5), WETH, ACCOUNT, OWNER, Address::ZERO));
    assert_eq!(t.balance(QUOTE, ENGINE), usdc(1_000));
    assert_eq!(t.last::<events::Kick>().coin, U256::ZERO);
}

#[test]
fn kick_fails_if_the_engine_cannot_fund_the_reward() {
    let mut t = Fixture::new();
    t.set(WETH, "tip", usdc(2_000));
    assert_eq!(failed_target(t.try_kick(usdc(10_000), eth(5))), Some(QUOTE));
}

#[test]
fn stranger_cannot_kick() {
    let mut t = Fixture::new();
    t.as_(STRANGER);
    assert_eq!(
        err(t.liq.kick(usdc(1), eth(1), WETH, ACCOUNT, OWNER, KEEPER)),
        LiquidatorUnauthorized { caller: STRANGER }.abi_encode()
    );
    assert_eq!(t.global().kicks, U256::ZERO);
}

#[test]
fn stop_level_one_halts_kicks() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|l| l.stop(U256::from(1)));
    assert_eq!(
        err(t.try_kick(usdc(1_000), eth(1))),
        LiquidatorStopped {
            level: U256::from(1)
        }
        .abi_encode()
    );
}

#[test]
fn kick_during_a_take_is_refused() {
    let mut t = Fixture::new();
    t.ok(|l| l.set_lock(true));
    assert_eq!(
        err(t.try_kick(usdc(1_000), eth(1))),
        LiquidatorLocked {}.abi_encode()
    );
}

#[test]
fn kick_rejects_an_empty_tab_lot_or_owner() {
    let mut t = Fixture::new();
    t.as_(ENGINE);
    let too_big = U256::from(u128::MAX) + U256::from(1);
    for (tab, lot, owner) in [
        (U256::ZERO, eth(1), OWNER),
        (usdc(1), U256::ZERO, OWNER),
        (usdc(1), eth(1), Address::ZERO),
        (usdc(1), too_big, OWNER),
    ] {
        assert_eq!(
            err(t.liq.kick(tab, lot, WETH, ACCOUNT, owner, KEEPER)),
            LiquidatorInvalidKick { tab, lot, owner }.abi_encode()
        );
    }
    assert_eq!(t.global().kicks, U256::ZERO);
}

#[test]
fn kick_of_an_unlisted_asset_is_refused() {
    let mut t = Fixture::new();
    t.as_(ENGINE);
    assert_eq!(
        err(t.liq.kick(usdc(1), eth(1), WBTC, ACCOUNT, OWNER, KEEPER)),
        LiquidatorAssetNotListed { asset: WBTC }.abi_encode()
    );
}

#[test]
fn kick_beyond_the_assets_hole_is_refused() {
    let mut t = Fixture::new();
    t.set(WETH, "hole", usdc(15_000));
    t.kick(usdc(10_000), eth(5));
    assert_eq!(
        err(t.try_kick(usdc(5_001), eth(1))),
        LiquidatorHoleExceeded {
            asset: WETH,
            tab: usdc(5_001),
            room: usdc(5_000)
        }
        .abi_encode()
    );
    t.kick(usdc(5_000), eth(1));
    assert_eq!(t.liq.room(WETH), U256::ZERO);
}

#[test]
fn kick_beyond_the_global_hole_is_refused() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|l| l.file(what("Hole"), usdc(12_000)));
    t.kick(usdc(10_000), eth(5));
    assert_eq!(
        err(t.try_kick(usdc(2_001), eth(1))),
        LiquidatorHoleExceeded {
            asset: WETH,
            tab: usdc(2_001),
            room: usdc(2_000)
        }
        .abi_encode()
    );
}

#[test]
fn a_listed_asset_is_not_auctioned_until_governance_opens_its_hole() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|l| l.init(WBTC));
    let this = t.world.this();
    t.mint(WBTC, this, U256::from(100_000_000u64));
    t.as_(ENGINE);
    assert_eq!(
        err(t
            .liq
            .kick(usdc(1), U256::from(1), WBTC, ACCOUNT, OWNER, KEEPER)),
        LiquidatorHoleExceeded {
            asset: WBTC,
            tab: usdc(1),
            room: U256::ZERO
        }
        .abi_encode()
    );
}

#[test]
fn kick_of_a_lot_the_liquidator_does_not_hold_is_refused() {
    let mut t = Fixture::new();
    t.as_(ENGINE);
    assert_eq!(
        err(t
            .liq
            .kick(usdc(1_000), eth(1), WETH, ACCOUNT, OWNER, KEEPER)),
        LiquidatorLotNotFunded {
            asset: WETH,
            balance: U256::ZERO,
            needed: eth(1)
        }
        .abi_encode()
    );
}

#[test]
fn a_second_kick_cannot_reuse_the_first_auctions_lot() {
    let mut t = Fixture::new();
    t.kick(usdc(10_000), eth(5));
    t.as_(ENGINE);
    assert_eq!(
        err(t
            .liq
            .kick(usdc(1_000), eth(1), WETH, ACCOUNT, OWNER, KEEPER)),
        LiquidatorLotNotFunded {
            asset: WETH,
            balance: eth(5),
            needed: eth(6)
        }
        .abi_encode()
    );
}

#[test]
fn kick_bubbles_the_oracles_refusal() {
    let mut t = Fixture::new();
    t.price(WETH, Err(vec![0xde, 0xad, 0xbe, 0xef]));
    assert_eq!(
        err(t.try_kick(usdc(1_000), eth(1))),
        LiquidatorExternalCallFailed {
            target: ORACLE,
            reason: vec![0xde, 0xad, 0xbe, 0xef].into()
        }
        .abi_encode()
    );
}

#[test]
fn kick_refuses_a_zero_price() {
    let mut t = Fixture::new();
    t.price(WETH, Ok(U256::ZERO));
    assert_eq!(
        err(t.try_kick(usdc(1_000), eth(1))),
        LiquidatorInvalidPrice {
            asset: WETH,
            price: U256::ZERO
        }
        .abi_encode()
    );
}

#[test]
fn kick_refuses_a_start_price_beyond_96_bits() {
    let mut t = Fixture::new();
    // 1.25 · (2^96 − 1) does not fit 96 bits.
    let price = U256::from((1u128 << 96) - 1);
    t.price(WETH, Ok(price));
    assert_eq!(
        err(t.try_kick(usdc(1_000), eth(1))),
        LiquidatorInvalidPrice { asset: WETH, price }.abi_encode()
    );
}

#[test]
fn kick_rounds_the_start_price_up() {
    let mut t = Fixture::new();
    t.set(WETH, "buf", pct(100) + U256::from(1)); // 1.000000000000000001
    t.price(WETH, Ok(U256::from(3)));
    let id = t.kick(usdc(1_000), eth(1));
    // 3 · 1.000000000000000001 = 3.000000000000000003e-18 → 4 units.
    assert_eq!(t.sale(id).top, U256::from(4));
}

#[test]
fn price_drop_breaker_stops_kicks_below_last_times_tol() {
    let mut t = Fixture::new();
    t.set(WETH, "tol", pct(80));
    t.kick(usdc(1_000), eth(1));
    t.price(WETH, Ok(wad(2_399)));
    assert_eq!(
        err(t.try_kick(usdc(1_000), eth(1))),
        LiquidatorPriceDropBreaker {
            asset: WETH,
            price: wad(2_399),
            floor: wad(2_400)
        }
        .abi_encode()
    );
}

#[test]
fn price_drop_breaker_lets_a_kick_at_the_floor_through_and_moves_last() {
    let mut t = Fixture::new();
    t.set(WETH, "tol", pct(80));
    t.kick(usdc(1_000), eth(1));
    t.price(WETH, Ok(wad(2_400)));
    t.kick(usdc(1_000), eth(1));
    assert_eq!(t.asset(WETH).last, wad(2_400));
}

#[test]
fn price_drop_breaker_is_off_when_tol_is_zero() {
    let mut t = Fixture::new();
    t.kick(usdc(1_000), eth(1));
    t.price(WETH, Ok(wad(1)));
    t.kick(usdc(1_000), eth(1));
}

#[test]
fn governance_clears_a_tripped_breaker_by_resetting_last() {
    let mut t = Fixture::new();
    t.set(WETH, "tol", pct(80));
    t.kick(usdc(1_000), eth(1));
    t.price(WETH, Ok(wad(1_000)));
    assert!(!err(t.try_kick(usdc(1_000), eth(1))).is_empty());
    t.set(WETH, "last", U256::ZERO);
    t.kick(usdc(1_000), eth(1));
}
