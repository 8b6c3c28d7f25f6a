//! The hand-written router against the `sol!` ABI: calls encoded by alloy from
//! [`IMarginEngine`] reach the right method, and return data decodes as declared.

use alloy_sol_types::{SolCall, SolError};
use stylus_sdk::abi::Router;

use super::*;
use crate::router::IMarginEngine as I;

/// Routes `call` as the current sender; `Ok` return data or `Err` revert data, `None` when
/// the router refused to decode it.
fn route<C: SolCall>(t: &mut Fixture, call: &C) -> Option<Result<Vec<u8>, Vec<u8>>> {
    let data = call.abi_encode();
    let selector = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
    <MarginEngine as Router<MarginEngine>>::route(&mut t.engine, selector, &data[4..])
}

/// Routes `call`, which must succeed, and decodes its return data.
fn ok<C: SolCall>(t: &mut Fixture, call: &C) -> C::Return {
    match route(t, call) {
        Some(Ok(out)) => match C::abi_decode_returns(&out) {
            Ok(r) => r,
            Err(e) => panic!("{} returned undecodable data: {e}", C::SIGNATURE),
        },
        other => panic!("{} failed: {other:?}", C::SIGNATURE),
    }
}

#[test]
fn account_calls_round_trip_through_the_abi() {
    let mut t = Fixture::new();
    t.as_(BOB);
    let id = ok(&mut t, &I::openAccountCall { owner: BOB });
    assert_eq!(id, U256::from(2));
    assert_eq!(ok(&mut t, &I::accountOwnerCall { account: id }), BOB);
    ok(
        &mut t,
        &I::setOperatorCall {
            account: id,
            operator: ALICE,
            approved: true,
        },
    );
    assert!(ok(
        &mut t,
        &I::isOperatorCall {
            account: id,
            who: ALICE
        }
    ));
    t.fund(BOB, QUOTE, usdc(5_000));
    ok(
        &mut t,
        &I::depositCall {
            account: id,
            token: QUOTE,
            amount: usdc(5_000),
        },
    );
    assert_eq!(
        ok(&mut t, &I::quoteBalanceCall { account: id }),
        signed(wad(5_000))
    );
    let fill = ok(
        &mut t,
        &I::tradeCall {
            account: id,
            market: ETH,
            sizeDelta: swad(-1),
            priceLimit: U256::ZERO,
            deadline: U256::MAX,
        },
    );
    assert_eq!(fill, wad(3_000));
    let p = ok(
        &mut t,
        &I::positionCall {
            account: id,
            market: ETH,
        },
    );
    assert_eq!((p.size, p.entryPrice), (swad(-1), wad(3_000)));
    assert_eq!(
        ok(&mut t, &I::accountMarketsCall { account: id }),
        vec![ETH]
    );
    let h = ok(&mut t, &I::accountHealthCall { account: id });
    assert_eq!(
        (h.equity, h.initialMargin, h.maintenanceMargin),
        (signed(wad(4_997)), wad(300), wad(150))
    );
    assert!(!ok(&mut t, &I::isLiquidatableCall { account: id }));
    let oi = ok(&mut t, &I::openInterestCall { market: ETH });
    assert_eq!((oi.long, oi.short), (U256::ZERO, wad(1)));
    assert_eq!(ok(&mut t, &I::marketAssetCall { market: ETH }), WETH);
    let s = ok(&mut t, &I::poolStateCall {});
    assert_eq!((s.traderPnl, s.balance), (I256::ZERO, wad(1_000_003)));
}

#[test]
fn errors_surface_as_their_custom_error_data() {
    let mut t = Fixture::new();
    t.as_(STRANGER);
    let out = route(&mut t, &I::relyCall { usr: STRANGER });
    let expected = crate::errors::EngineUnauthorized { caller: STRANGER }.abi_encode();
    assert_eq!(out, Some(Err(expected)));
}

#[test]
fn malformed_calls_are_refused_without_data() {
    let mut t = Fixture::new();
    let mut data = I::isOperatorCall {
        account: ACC,
        who: BOB,
    }
    .abi_encode();
    // Dirty upper bytes of an address.
    data[4 + 32 + 1] = 1;
    let selector = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
    assert!(
        <MarginEngine as Router<MarginEngine>>::route(&mut t.engine, selector, &data[4..])
            .is_none()
    );
    // Too little calldata.
    let data = I::depositCall {
        account: ACC,
        token: QUOTE,
        amount: usdc(1),
    }
    .abi_encode();
    let selector = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
    assert!(
        <MarginEngine as Router<MarginEngine>>::route(&mut t.engine, selector, &data[4..68])
            .is_none()
    );
    // A bool other than 0 or 1.
    let mut data = I::setOperatorCall {
        account: ACC,
        operator: BOB,
        approved: true,
    }
    .abi_encode();
    data[4 + 95] = 2;
    let selector = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
    assert!(
        <MarginEngine as Router<MarginEngine>>::route(&mut t.engine, selector, &data[4..])
            .is_none()
    );
    // An unknown selector.
    assert!(
        <MarginEngine as Router<MarginEngine>>::route(&mut t.engine, 0xdead_beef, &[]).is_none()
    );
    // Value attached.
    t.world.vm.set_value(U256::from(1));
    let out = route(&mut t, &I::wardsCall { usr: ADMIN });
    assert_eq!(out, Some(Err(Vec::new())));
}
