//! The lens's views against the engine's formulas: liquidation prices (long, short, edge
//! cases, a property over random accounts), insolvency probabilities, summaries, the
//! constructor, and the router.

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::{SolCall, SolError};
use keel_math::{mul_div_down, WAD};
use proptest::{prelude::*, test_runner::RngSeed};
use stylus_sdk::abi::Router;

use super::world::revert;
use super::*;
use crate::{
    errors::{LensExternalCallFailed, LensInvalidPrice, LensZeroAddress},
    router::IMarginLens as I,
};

/// `LensExternalCallFailed(target, reason)`.
fn call_failed(target: Address, reason: Vec<u8>) -> Vec<u8> {
    LensExternalCallFailed {
        target,
        reason: reason.into(),
    }
    .abi_encode()
}

/// How far (price wei) from `p*` the engine's rounding (a few wei of quote) may move its
/// verdict: `4 · WAD² / |size · WAD ∓ |size| · m|`, plus 2.
fn tolerance(size: I256, m: U256) -> U256 {
    let s = size.unsigned_abs();
    let k = if size.is_positive() {
        s * WAD - s * m
    } else {
        s * WAD + s * m
    };
    U256::from(4) * WAD * WAD / k + U256::from(2)
}

/// At `liq` the engine's formulas put `ACCOUNT` at its maintenance margin within rounding:
/// not liquidatable `tol` on the safe side, liquidatable `tol` on the other.
fn check_flip(t: &Fixture, asset: Address, size: I256, m: U256, liq: U256) {
    let tol = tolerance(size, m);
    let (safe, unsafe_) = if size.is_positive() {
        (liq + tol, liq.checked_sub(tol))
    } else {
        (liq.saturating_sub(tol), Some(liq + tol))
    };
    if !safe.is_zero() {
        assert!(t.gap_at(asset, safe) >= I256::ZERO, "safe at {safe}");
    }
    if let Some(p) = unsafe_.filter(|p| !p.is_zero()) {
        assert!(t.gap_at(asset, p) < I256::ZERO, "liquidatable at {p}");
    }
}

#[test]
fn constructor_reads_the_oracle_from_the_model() {
    let t = Fixture::new();
    assert_eq!(t.lens.config(), [ENGINE, ORACLE, MODEL]);
}

#[test]
fn constructor_refuses_zero_addresses() {
    let zero = LensZeroAddress {}.abi_encode();
    let mut t = Fixture::bare();
    assert_eq!(err(t.lens.constructor(Address::ZERO, MODEL)), zero);
    assert_eq!(err(t.lens.constructor(ENGINE, Address::ZERO)), zero);
    t.world.chain.borrow_mut().model_oracle = Address::ZERO;
    assert_eq!(err(t.lens.constructor(ENGINE, MODEL)), zero);
    assert_eq!(t.lens.config(), [Address::ZERO; 3]);
}

#[test]
fn long_liquidation_price_is_where_equity_meets_maintenance() {
    let t = Fixture::new();
    t.quote(swad(5_000));
    t.open(ETH, swad(10), wad(3_000));
    let liq = t.liq(ETH);
    // p* = 3000 − (5000 − 1500) / (10 · 0.95) = 3000 − 7000/19, rounded up.
    let expected = wad(3_000) - wad(7_000) / U256::from(19);
    assert_eq!(liq, expected);
    check_flip(&t, WETH, swad(10), pct(5), liq);
    // Exactly one wei of price either side, for a position of 10 units.
    assert!(t.gap_at(WETH, liq) >= I256::ZERO);
    assert!(t.gap_at(WETH, liq - U256::from(1)) < I256::ZERO);
}

#[test]
fn short_liquidation_price_is_where_equity_meets_maintenance() {
    let t = Fixture::new();
    t.quote(swad(5_000));
    t.open(ETH, swad(-10), wad(3_000));
    let liq = t.liq(ETH);
    // p* = 3000 + 3500 / (10 · 1.05) = 3000 + 1000/3, rounded down.
    let expected = wad(3_000) + wad(1_000) / U256::from(3);
    assert_eq!(liq, expected);
    check_flip(&t, WETH, swad(-10), pct(5), liq);
    assert!(t.gap_at(WETH, liq) >= I256::ZERO);
    assert!(t.gap_at(WETH, liq + U256::from(1)) < I256::ZERO);
}

#[test]
fn other_markets_are_held_at_their_price() {
    let t = Fixture::new();
    t.quote(swad(20_000));
    t.open(ETH, swad(10), wad(3_000));
    t.open(BTC, swad(-1), wad(50_000));
    let liq = t.liq(ETH);
    // The BTC short is 10,000 down and owes 2,400 of maintenance: ETH has less room.
    assert!(liq > wad(2_000) && liq < wad(3_000));
    check_flip(&t, WETH, swad(10), pct(5), liq);
    let btc = t.liq(BTC);
    assert!(btc > wad(60_000));
    check_flip(&t, WBTC, swad(-1), pct(4), btc);
}

#[test]
fn an_account_liquidatable_now_has_its_price_beyond_the_mark() {
    let t = Fixture::new();
    t.quote(swad(500));
    t.open(ETH, swad(10), wad(3_000));
    assert!(t.gap_at(WETH, wad(3_000)) < I256::ZERO);
    let liq = t.liq(ETH);
    assert!(liq > wad(3_000));
    check_flip(&t, WETH, swad(10), pct(5), liq);
}

#[test]
fn no_position_has_no_liquidation_price() {
    let t = Fixture::new();
    t.quote(swad(5_000));
    t.open(BTC, swad(1), wad(60_000));
    assert_eq!(t.liq(ETH), U256::ZERO);
}

#[test]
fn a_long_covered_by_its_equity_never_liquidates() {
    let t = Fixture::new();
    t.quote(swad(40_000));
    t.open(ETH, swad(10), wad(3_000));
    assert_eq!(t.liq(ETH), U256::ZERO);
    assert!(t.gap_at(WETH, U256::from(1)) >= I256::ZERO);
}

#[test]
fn a_hopeless_short_is_liquidatable_at_every_price() {
    let t = Fixture::new();
    t.quote(swad(-50_000));
    t.open(ETH, swad(-10), wad(3_000));
    assert_eq!(t.liq(ETH), U256::ZERO);
    assert!(t.gap_at(WETH, U256::from(1)) < I256::ZERO);
}

#[test]
fn a_long_with_full_maintenance_has_no_price() {
    let t = Fixture::new();
    t.quote(swad(5_000));
    t.open(ETH, swad(10), wad(3_000));
    t.maintenance(WETH, WAD);
    assert_eq!(t.liq(ETH), U256::ZERO);
    // A short still has one: 3000 − (5000 − 30000) / 20 = 1750, below the mark (liquidatable now).
    t.open(ETH, swad(-10), wad(3_000));
    assert_eq!(t.liq(ETH), wad(1_750));
    assert!(t.gap_at(WETH, wad(3_000)) < I256::ZERO);
}

#[test]
fn wrong_inputs_are_typed_errors() {
    let t = Fixture::new();
    t.quote(swad(5_000));
    t.open(ETH, swad(10), wad(3_000));
    let unknown = call_failed(ENGINE, revert("EngineUnknownMarket"));
    let nine = U256::from(9);
    assert_eq!(err(t.lens.liquidation_price(ACCOUNT, nine)), unknown);
    assert_eq!(
        err(t.lens.insolvency_probability(ACCOUNT, nine, U256::ZERO)),
        unknown
    );
    // Equity stays positive at a zero price, so the probability needs the mark too.
    t.quote(swad(50_000));
    t.price(WETH, U256::ZERO);
    let no_price = LensInvalidPrice { asset: WETH }.abi_encode();
    assert_eq!(err(t.lens.liquidation_price(ACCOUNT, ETH)), no_price);
    assert_eq!(
        err(t.lens.insolvency_probability(ACCOUNT, ETH, U256::ZERO)),
        no_price
    );
    t.price(WETH, wad(3_000));
    t.world.chain.borrow_mut().model_refuses = true;
    assert_eq!(
        err(t
            .lens
            .insolvency_probability(ACCOUNT, ETH, U256::from(1) << 40)),
        call_failed(MODEL, revert("ModelArgumentOutOfBounds"))
    );
}

#[test]
fn insolvency_probability_asks_the_model_with_the_whole_equity() {
    let t = Fixture::new();
    t.quote(swad(5_000));
    t.open(ETH, swad(-10), wad(2_900));
    t.open(BTC, swad(1), wad(60_000));
    t.world.chain.borrow_mut().probability = pct(3);
    let horizon = U256::from(86_400);
    let p = t
        .lens
        .insolvency_probability(ACCOUNT, ETH, horizon)
        .map_err(Vec::from)
        .unwrap();
    assert_eq!(p, pct(3));
    // Equity: 5000 − 10·100 + 0 = 4000.
    let asked = t.world.chain.borrow().questions.clone();
    assert_eq!(
        asked,
        vec![(WETH, false, wad(3_000), wad(4_000), wad(10), horizon)]
    );
    t.lens
        .insolvency_probability(ACCOUNT, BTC, horizon)
        .map_err(Vec::from)
        .unwrap();
    let last = *t.world.chain.borrow().questions.last().unwrap();
    assert_eq!(last, (WBTC, true, wad(60_000), wad(4_000), wad(1), horizon));
}

#[test]
fn insolvency_probability_edge_cases() {
    let t = Fixture::new();
    t.world.chain.borrow_mut().probability = pct(3);
    t.quote(swad(-1_000));
    t.open(ETH, swad(1), wad(3_000));
    // Equity −1000 ≤ 0: insolvent already, the model is not asked.
    assert_eq!(
        t.lens.insolvency_probability(ACCOUNT, ETH, U256::ZERO).ok(),
        Some(WAD)
    );
    // No position in BTC.
    assert_eq!(
        t.lens.insolvency_probability(ACCOUNT, BTC, U256::ZERO).ok(),
        Some(U256::ZERO)
    );
    assert!(t.world.chain.borrow().questions.is_empty());
}

#[test]
fn summary_follows_the_engine() {
    let t = Fixture::new();
    // No positions: no requirement.
    let s = t.lens.account_summary(ACCOUNT).map_err(Vec::from).unwrap();
    assert_eq!((s.health_factor, s.liquidatable), (U256::MAX, false));
    t.quote(swad(-1));
    let s = t.lens.account_summary(ACCOUNT).map_err(Vec::from).unwrap();
    assert_eq!((s.health_factor, s.liquidatable), (U256::MAX, true));
    t.quote(swad(5_000));
    t.open(ETH, swad(10), wad(3_000));
    let s = t.lens.account_summary(ACCOUNT).map_err(Vec::from).unwrap();
    let (equity, im, mm) = t.world.chain.borrow().health(ACCOUNT);
    assert_eq!(
        (s.equity, s.initial_margin, s.maintenance_margin),
        (equity, im, mm)
    );
    assert_eq!(
        s.health_factor,
        mul_div_down(equity.into_raw(), WAD, mm).unwrap()
    );
    assert!(!s.liquidatable);
    t.price(WETH, wad(2_600));
    let s = t.lens.account_summary(ACCOUNT).map_err(Vec::from).unwrap();
    assert!(s.liquidatable && s.health_factor < WAD);
    t.price(WETH, wad(2_400));
    let s = t.lens.account_summary(ACCOUNT).map_err(Vec::from).unwrap();
    assert_eq!((s.health_factor, s.liquidatable), (U256::ZERO, true));
}

#[test]
fn wad_squared_is_wad_times_wad() {
    assert_eq!(crate::WAD2, WAD * WAD);
}

/// Routes the ABI-encoded call `data` as the SDK's entrypoint would.
fn route(t: &mut Fixture, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let selector = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
    <MarginLens as Router<MarginLens>>::route(&mut t.lens, selector, &data[4..])
        .unwrap_or(Err(Vec::new()))
}

#[test]
fn router_decodes_as_declared() {
    let mut t = Fixture::new();
    t.quote(swad(5_000));
    t.open(ETH, swad(10), wad(3_000));
    t.world.chain.borrow_mut().probability = pct(7);
    let out = route(
        &mut t,
        &I::liquidationPriceCall {
            account: ACCOUNT,
            market: ETH,
        }
        .abi_encode(),
    );
    let liq = I::liquidationPriceCall::abi_decode_returns(&out.unwrap()).unwrap();
    assert_eq!(liq, t.liq(ETH));
    let c = I::insolvencyProbabilityCall {
        account: ACCOUNT,
        market: ETH,
        horizon: U256::from(60),
    };
    let out = route(&mut t, &c.abi_encode()).unwrap();
    assert_eq!(
        I::insolvencyProbabilityCall::abi_decode_returns(&out).unwrap(),
        pct(7)
    );
    let out = route(
        &mut t,
        &I::accountSummaryCall { account: ACCOUNT }.abi_encode(),
    )
    .unwrap();
    let s = I::accountSummaryCall::abi_decode_returns(&out).unwrap();
    let want = t.lens.account_summary(ACCOUNT).map_err(Vec::from).unwrap();
    assert_eq!(
        (
            s.equity,
            s.initialMargin,
            s.maintenanceMargin,
            s.healthFactor,
            s.liquidatable
        ),
        (
            want.equity,
            want.initial_margin,
            want.maintenance_margin,
            want.health_factor,
            want.liquidatable
        )
    );
    let out = route(&mut t, &I::configCall {}.abi_encode()).unwrap();
    let c = I::configCall::abi_decode_returns(&out).unwrap();
    assert_eq!((c.engine, c.oracle, c.model), (ENGINE, ORACLE, MODEL));
    // Errors come back as revert data.
    let bad = I::liquidationPriceCall {
        account: ACCOUNT,
        market: U256::from(9),
    };
    assert_eq!(
        route(&mut t, &bad.abi_encode()),
        Err(call_failed(ENGINE, revert("EngineUnknownMarket")))
    );
}

#[test]
fn router_refuses_malformed_calls() {
    let mut t = Fixture::new();
    let mut short = I::liquidationPriceCall {
        account: ACCOUNT,
        market: ETH,
    }
    .abi_encode();
    short.truncate(4 + 32);
    assert_eq!(route(&mut t, &short), Err(Vec::new()));
    assert_eq!(route(&mut t, &[0xde, 0xad, 0xbe, 0xef]), Err(Vec::new()));
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 4_000,
        rng_seed: RngSeed::Fixed(0x6c65_6e73_6c69_7170),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Over random accounts (one or two positions, sizes from 0.001 to 1,000 units, any
    /// maintenance fraction up to 50 %), the engine's formulas say "not liquidatable" just on
    /// the safe side of the liquidation price and "liquidatable" just beyond it; a 0 means no
    /// positive price changes the verdict: never liquidatable (long), always (short).
    #[test]
    fn liquidation_price_is_where_the_engine_flips(
        quote in -20_000i64..100_000,
        milli in prop_oneof![1i64..1_000_000, -1_000_000i64..-1],
        entry in 100u64..10_000,
        mark in 100u64..10_000,
        m in 1u64..5_000,
        btc in proptest::option::of((-50i64..50, 20_000u64..100_000)),
    ) {
        let t = Fixture::new();
        let size = I256::try_from(milli).unwrap() * I256::from_raw(WAD / U256::from(1_000));
        let m = U256::from(m) * WAD / U256::from(10_000);
        t.maintenance(WETH, m);
        t.quote(swad(quote));
        t.open(ETH, size, wad(entry));
        t.price(WETH, wad(mark));
        if let Some((b, e)) = btc.filter(|(b, _)| *b != 0) {
            t.open(BTC, swad(b), wad(e));
        }
        let liq = t.liq(ETH);
        if liq.is_zero() {
            let floor = t.gap_at(WETH, U256::from(1));
            let never = floor >= I256::ZERO;
            prop_assert_eq!(never, size.is_positive());
        } else {
            check_flip(&t, WETH, size, m, liq);
        }
    }
}
