//! `take`: sizing, dust, price protection, flash callbacks, proceeds and closing.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolError;
use stylus_sdk::stylus_core::host::StorageAccess;

use super::{world::TakerMode, *};
use crate::{errors::*, events};

/// 2.65 ETH.
fn eth_265() -> U256 {
    eth(265) / U256::from(100)
}

#[test]
fn partial_take_pays_the_current_price_and_sends_the_collateral() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_200); // linear: 3,750 · 2,400 / 3,600 = 2,500
    t.as_(TAKER);
    let (slice, owe) = t.ok(|l| l.take(id, eth(1), wad(2_500), RECEIVER, &[]));
    assert_eq!((slice, owe), (eth(1), usdc(2_500)));
    assert_eq!(t.balance(WETH, RECEIVER), eth(1));
    assert_eq!(t.balance(QUOTE, ENGINE), usdc(1_000 + 2_500));
    let SaleView { tab, lot, .. } = t.sale(id);
    assert_eq!((tab, lot), (usdc(7_500), eth(4)));
}

#[test]
fn take_only_pulls_from_the_taker() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_200);
    let before = t.balance(QUOTE, TAKER);
    assert!(t.take(id, eth(1), wad(2_500)).is_ok());
    assert_eq!(before - t.balance(QUOTE, TAKER), usdc(2_500));
}

#[test]
fn take_tells_the_engine_after_the_proceeds_arrived() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_200);
    assert!(t.take(id, eth(1), wad(2_500)).is_ok());
    let p = t.proceeds();
    assert_eq!(p.len(), 1);
    assert_eq!(
        (p[0].id, p[0].account, p[0].raised),
        (id, ACCOUNT, usdc(2_500))
    );
    assert_eq!((p[0].remaining_tab, p[0].closed), (usdc(7_500), false));
    assert_eq!(
        p[0].engine_balance,
        usdc(3_500),
        "quote reached the engine first"
    );
}

#[test]
fn take_logs_price_slice_owe_and_what_is_left() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_200);
    assert!(t.take(id, eth(1), wad(2_500)).is_ok());
    let e = t.last::<events::Take>();
    assert_eq!((e.id, e.taker, e.receiver), (id, TAKER, RECEIVER));
    assert_eq!((e.price, e.slice, e.owe), (wad(2_500), eth(1), usdc(2_500)));
    assert_eq!((e.tab, e.lot), (usdc(7_500), eth(4)));
    assert!(t.events::<events::Close>().is_empty());
}

#[test]
fn take_frees_what_it_raised_from_both_caps() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_200);
    assert!(t.take(id, eth(1), wad(2_500)).is_ok());
    assert_eq!(t.global().dirt, usdc(7_500));
    assert_eq!(t.asset(WETH).dirt, usdc(7_500));
    assert_eq!(t.asset(WETH).held, eth(4), "held lot");
}

#[test]
fn take_worth_more_than_the_tab_is_cut_and_the_rest_goes_to_the_owner() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.as_(TAKER);
    let (slice, owe) = t.ok(|l| l.take(id, eth(5), wad(3_750), RECEIVER, &[]));
    // 10,000 USDC buys 2.666… ETH at 3,750, rounded down.
    let expected = usdc(10_000) * U256::from(10).pow(U256::from(30)) / wad(3_750);
    assert_eq!((slice, owe), (expected, usdc(10_000)));
    assert_eq!(t.balance(WETH, RECEIVER), expected);
    assert_eq!(t.balance(WETH, OWNER), eth(5) - expected);
    assert_eq!(t.balance(WETH, t.world.this()), U256::ZERO);
    let close = t.last::<events::Close>();
    assert_eq!(
        (close.id, close.returned, close.shortfall),
        (id, eth(5) - expected, U256::ZERO)
    );
}

#[test]
fn closing_take_ends_the_auction_and_frees_everything() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    assert!(t.take(id, eth(5), wad(3_750)).is_ok());
    assert_eq!(t.sale(id).engine, Address::ZERO);
    assert!(t.liq.list().is_empty());
    assert_eq!(
        (t.global().dirt, t.asset(WETH).dirt, t.asset(WETH).held),
        (U256::ZERO, U256::ZERO, U256::ZERO)
    );
    let p = t.proceeds();
    assert_eq!((p[0].remaining_tab, p[0].closed), (U256::ZERO, true));
    assert_eq!(
        t.liq.get_status(id).ok(),
        Some((false, U256::ZERO, U256::ZERO, U256::ZERO))
    );
}

#[test]
fn buying_out_a_lot_worth_less_than_the_tab_closes_with_a_shortfall() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(15_000), eth(5));
    t.at(1_200);
    assert_eq!(
        t.take(id, eth(5), wad(2_500)).ok(),
        Some((eth(5), usdc(12_500)))
    );
    let close = t.last::<events::Close>();
    assert_eq!((close.returned, close.shortfall), (U256::ZERO, usdc(2_500)));
    let p = t.proceeds();
    assert_eq!(
        (p[0].raised, p[0].remaining_tab, p[0].closed),
        (usdc(12_500), usdc(2_500), true)
    );
    assert_eq!(t.global().dirt, U256::ZERO, "the unraised tab is freed too");
    assert_eq!(t.balance(WETH, OWNER), U256::ZERO);
}

#[test]
fn take_larger_than_the_lot_is_cut_to_the_lot() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(15_000), eth(5));
    t.at(1_200);
    assert_eq!(
        t.take(id, eth(500), wad(2_500)).ok(),
        Some((eth(5), usdc(12_500)))
    );
}

#[test]
fn take_above_the_takers_max_price_is_refused() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_200);
    assert_eq!(
        err(t.take(id, eth(1), wad(2_500) - U256::from(1))),
        LiquidatorPriceAboveMax {
            price: wad(2_500),
            maxPrice: wad(2_500) - U256::from(1)
        }
        .abi_encode()
    );
    assert_eq!(t.sale(id).lot, eth(5));
}

#[test]
fn take_of_nothing_is_refused() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    assert_eq!(
        err(t.take(id, U256::ZERO, wad(3_750))),
        LiquidatorZeroTake {}.abi_encode()
    );
}

#[test]
fn take_of_an_auction_that_is_not_running_is_refused() {
    let mut t = Fixture::new();
    for id in [
        U256::ZERO,
        U256::from(1),
        U256::from(u64::MAX) + U256::from(1),
    ] {
        assert_eq!(
            err(t.take(id, eth(1), U256::MAX)),
            LiquidatorAuctionNotRunning { id }.abi_encode()
        );
    }
}

#[test]
fn take_below_cusp_needs_a_redo_first() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_800); // exactly half of top: still takeable
    assert!(t.take(id, eth(1), U256::MAX).is_ok());
    t.at(1_801);
    assert_eq!(
        err(t.take(id, eth(1), U256::MAX)),
        LiquidatorNeedsRedo { id }.abi_encode()
    );
}

#[test]
fn take_older_than_tail_needs_a_redo_first() {
    let mut t = Fixture::new();
    t.set(WETH, "tau", U256::from(30 * 86_400));
    let id = t.kick(usdc(10_000), eth(5));
    t.at(7_200);
    assert!(t.take(id, eth(1), U256::MAX).is_ok());
    t.at(7_201);
    assert_eq!(
        err(t.take(id, eth(1), U256::MAX)),
        LiquidatorNeedsRedo { id }.abi_encode()
    );
}

#[test]
fn nobody_can_take_at_a_price_of_zero() {
    // The lowest cusp, and a tail long past the point the linear price reaches zero.
    let mut t = Fixture::new();
    t.set(WETH, "cusp", U256::from(1));
    t.set(WETH, "tau", U256::from(1_800));
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_799);
    assert!(t.take(id, eth(1), U256::MAX).is_ok());
    t.at(1_800);
    assert_eq!(
        t.liq.get_status(id).ok().map(|s| (s.0, s.1)),
        Some((true, U256::ZERO))
    );
    assert_eq!(
        err(t.take(id, eth(1), U256::MAX)),
        LiquidatorNeedsRedo { id }.abi_encode()
    );
}

#[test]
fn stop_level_three_halts_takes_and_level_two_does_not() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.as_(ADMIN);
    t.ok(|l| l.stop(U256::from(2)));
    assert!(t.take(id, eth(1), U256::MAX).is_ok());
    t.as_(ADMIN);
    t.ok(|l| l.stop(U256::from(3)));
    assert_eq!(
        err(t.take(id, eth(1), U256::MAX)),
        LiquidatorStopped {
            level: U256::from(3)
        }
        .abi_encode()
    );
}

#[test]
fn take_during_a_take_is_refused() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.ok(|l| l.set_lock(true));
    assert_eq!(
        err(t.take(id, eth(1), U256::MAX)),
        LiquidatorLocked {}.abi_encode()
    );
}

#[test]
fn partial_take_that_would_leave_less_than_chost_is_cut_to_leave_exactly_chost() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    // 2.65 ETH at 3,750 = 9,937.5, leaving 62.5 < chost 100: cut to pay 9,900 for 2.64 ETH.
    t.as_(TAKER);
    let (slice, owe) = t.ok(|l| l.take(id, eth_265(), wad(3_750), RECEIVER, &[]));
    assert_eq!((slice, owe), (eth(264) / U256::from(100), usdc(9_900)));
    assert_eq!(t.sale(id).tab, usdc(100));
}

#[test]
fn partial_take_of_a_tab_at_chost_is_refused_but_buying_it_out_works() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    assert!(t.take(id, eth_265(), wad(3_750)).is_ok());
    assert_eq!(
        err(t.take(id, eth(1) / U256::from(1_000), wad(3_750))),
        LiquidatorDustRemnant {
            tab: usdc(100),
            chost: usdc(100)
        }
        .abi_encode()
    );
    // A take worth at least the remaining tab closes the auction.
    assert!(t.take(id, eth(1), wad(3_750)).is_ok());
    assert_eq!(t.sale(id).engine, Address::ZERO);
}

#[test]
fn flash_take_delivers_first_calls_back_then_pulls_payment() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.at(1_200);
    t.approve(QUOTE, TAKER, U256::MAX);
    let before = t.balance(QUOTE, TAKER);
    t.as_(TAKER);
    let out = t.liq.take(id, eth(2), wad(2_500), FLASH, &[1u8, 2, 3]);
    assert_eq!(out.ok(), Some((eth(2), usdc(5_000))));
    let chain = t.world.chain.borrow();
    let cb = &chain.takers[&FLASH].callbacks;
    assert_eq!(cb.len(), 1);
    assert_eq!(
        (cb[0].sender, cb[0].owe, cb[0].slice),
        (TAKER, usdc(5_000), eth(2))
    );
    assert_eq!(cb[0].data, vec![1u8, 2, 3]);
    assert_eq!(
        cb[0].collateral_held,
        eth(2),
        "collateral arrived before the callback"
    );
    drop(chain);
    assert_eq!(
        t.balance(QUOTE, TAKER),
        before,
        "the swap paid for the take"
    );
    assert_eq!(t.balance(WETH, FLASH), eth(2));
}

#[test]
fn the_lock_is_held_during_the_callback_and_released_after() {
    // The lock's bit in slot 0: the difference a set lock makes on a fresh contract.
    let mut fresh = Fixture::deployed();
    let unlocked = fresh.world.vm.storage_load_bytes32(U256::ZERO);
    fresh.ok(|l| l.set_lock(true));
    let mask = unlocked ^ fresh.world.vm.storage_load_bytes32(U256::ZERO);
    assert_ne!(mask, B256::ZERO);

    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.as_(TAKER);
    assert!(t.liq.take(id, eth(1), U256::MAX, FLASH, &[1u8]).is_ok());
    let during = t.world.chain.borrow().takers[&FLASH].callbacks[0].liquidator_slot0;
    let after = t.world.vm.storage_load_bytes32(U256::ZERO);
    assert_eq!(after & mask, B256::ZERO, "released");
    assert_eq!(
        during,
        after | mask,
        "held during the callback, nothing else differs"
    );
}

#[test]
fn take_without_data_makes_no_callback() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.as_(TAKER);
    assert!(t.liq.take(id, eth(1), U256::MAX, FLASH, &[]).is_ok());
    assert!(t.world.chain.borrow().takers[&FLASH].callbacks.is_empty());
    assert_eq!(t.balance(WETH, FLASH), eth(1));
}

#[test]
fn a_refusing_callback_fails_the_take_with_its_reason() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.set_taker_mode(TakerMode::Refuse);
    t.as_(TAKER);
    let out = t.liq.take(id, eth(1), U256::MAX, FLASH, &[1u8]);
    let reason = super::world::FakeRevert {
        why: "taker refused".into(),
    }
    .abi_encode();
    assert_eq!(
        err(out),
        LiquidatorExternalCallFailed {
            target: FLASH,
            reason: reason.into()
        }
        .abi_encode()
    );
}

#[test]
fn take_fails_when_the_taker_does_not_pay() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.set_taker_mode(TakerMode::Keep);
    t.as_(STRANGER);
    let out = t.liq.take(id, eth(1), U256::MAX, FLASH, &[1u8]);
    assert_eq!(failed_target(out), Some(QUOTE));
}

#[test]
fn take_fails_when_the_engine_refuses_the_proceeds() {
    let mut t = Fixture::new();
    let id = t.kick(usdc(10_000), eth(5));
    t.set_engine_refusing();
    assert_eq!(failed_target(t.take(id, eth(1), U256::MAX)), Some(ENGINE));
}
