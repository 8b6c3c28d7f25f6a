//! Properties of a liquidation call over random accounts, prices and bounds.

use alloy_primitives::{I256, U256};
use keel_math::WAD;
use proptest::{prelude::*, test_runner::RngSeed};

use super::*;

/// `x / 1000` whole units as WAD.
fn milli(x: u64) -> U256 {
    U256::from(x) * WAD / U256::from(1_000u64)
}

/// A random account state and setting.
#[derive(Debug, Clone)]
struct Case {
    quote: i64,
    eth: (i64, u64),
    btc: Option<(i64, u64)>,
    weth: u64,
    prices: (u64, u64),
    target_health: u64,
    penalty: u64,
    max_lot: u64,
    limit: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        -5_000i64..5_000,
        (
            prop_oneof![-50_000i64..-100, 100i64..50_000],
            1_000u64..5_000,
        ),
        proptest::option::of((
            prop_oneof![-2_000i64..-10, 10i64..2_000],
            20_000u64..100_000,
        )),
        0u64..5_000,
        (500u64..6_000, 10_000u64..120_000),
        1_050u64..2_000,
        0u64..30,
        prop_oneof![Just(0u64), 1_000u64..100_000],
        prop_oneof![Just(0u64), 1_000u64..100_000],
    )
        .prop_map(
            |(quote, eth, btc, weth, prices, target_health, penalty, max_lot, limit)| Case {
                quote,
                eth,
                btc,
                weth,
                prices,
                target_health,
                penalty,
                max_lot,
                limit,
            },
        )
}

/// A fresh fixture with `c` set up.
fn setup(c: &Case) -> Fixture {
    let mut t = Fixture::new();
    t.set("targetHealth", milli(c.target_health));
    t.set("penalty", milli(c.penalty) / U256::from(100));
    for market in [ETH, BTC] {
        t.set_market(market, "maxLot", wad(c.max_lot));
        t.set_market(market, "limit", wad(c.limit));
        t.set_market(market, "window", U256::from(600));
    }
    t.open(ACCOUNT, swad(c.quote));
    // Sizes in thousandths of a coin.
    let size = |x: i64| {
        I256::try_from(x).unwrap_or_default() * I256::from_raw(WAD)
            / I256::try_from(1_000).unwrap_or_default()
    };
    t.position(ACCOUNT, ETH, size(c.eth.0), wad(c.eth.1));
    if let Some((s, entry)) = c.btc {
        t.position(ACCOUNT, BTC, size(s), wad(entry));
    }
    if c.weth > 0 {
        t.collateral(ACCOUNT, WETH, milli(c.weth));
    }
    t.price(WETH, wad(c.prices.0));
    t.price(WBTC, wad(c.prices.1));
    t
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 3_000,
        rng_seed: RngSeed::Fixed(0x6261_636b_7374_6f70),
        failure_persistence: None,
        max_global_rejects: 1_000_000,
        ..ProptestConfig::default()
    })]

    /// After a liquidation the account is back at the target health, or the tranche hit a
    /// bound (the whole position, `maxLot`, or the rate limit); it never closes more than the
    /// position, and always toward zero.
    #[test]
    fn a_tranche_reaches_the_target_health_or_a_bound(c in case()) {
        let mut t = setup(&c);
        let (equity, mm) = t.health(ACCOUNT);
        prop_assume!(equity < I256::from_raw(mm));
        let before = t.account(ACCOUNT);
        t.as_(KEEPER);
        let (market, closed, penalty) = match t.bs.liquidate(ACCOUNT, KEEPER) {
            Ok(out) => out,
            Err(e) => return Err(TestCaseError::fail(super::decode(&Vec::from(e)))),
        };
        let size = before.positions[&market].size;
        prop_assert!(closed.unsigned_abs() <= size.unsigned_abs());
        prop_assert!(!closed.is_zero() && closed.is_negative() != size.is_negative());
        let price = t.world.chain.borrow().prices[&t.world.chain.borrow().engine.markets[&market]];
        let full = closed.unsigned_abs() == size.unsigned_abs();
        let lot = c.max_lot > 0 && closed.unsigned_abs() == wad(c.max_lot) * WAD / price;
        let rate = c.limit > 0 && closed.unsigned_abs() == wad(c.limit) * WAD / price;
        let (equity, mm) = t.health(ACCOUNT);
        let target = milli(c.target_health);
        // The engine's own rounding may differ from the Backstop's by a few wei.
        let healthy = !equity.is_negative()
            && equity.into_raw() * WAD + target * U256::from(10u64) >= target * mm;
        prop_assert!(healthy || full || lot || rate, "hf below target with no bound hit");
        // The penalty never exceeds the positive equity before the call.
        let notional = closed.unsigned_abs() * price / WAD;
        prop_assert!(penalty <= notional * milli(c.penalty) / U256::from(100) / WAD + U256::from(1));
    }
}
