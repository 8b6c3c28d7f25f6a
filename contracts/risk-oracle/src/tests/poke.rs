//! `poke`: accepting new prices and moving the volatility index.

use alloy_primitives::U256;

use super::*;
use crate::{
    errors::*,
    events::PriceAccepted,
    ewma::{self, VolParams},
    params::{Global, YEAR},
};

fn default_params() -> VolParams {
    VolParams {
        fast_decay: Global::FastDecay.default_value(),
        slow_decay: Global::SlowDecay.default_value(),
        max_rate: Global::MaxVolRate.default_value(),
    }
}

#[test]
fn poke_accepts_a_new_valid_round_and_moves_the_index() {
    let mut env = Env::listed();
    env.set_price(FEED, 2, 3_030_00, T0 + 60);
    env.at(T0 + 75);
    let cold = Global::ColdStartVol.default_value();
    let (fast, slow) = ewma::update(
        cold,
        cold,
        U256::from(3_000) * WAD,
        U256::from(3_030) * WAD,
        60,
        &default_params(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(env.oracle.poke(WETH), Ok(fast.max(slow)));
    assert_eq!(
        env.oracle.volatility_state(WETH),
        Ok((fast.max(slow), fast, slow, U256::from(T0 + 60)))
    );
    let info = env.oracle.asset_info(WETH);
    assert_eq!(
        (info.4, info.5, info.6),
        (U256::from(3_030) * WAD, rid(2), U256::from(T0 + 60))
    );
    assert_eq!(
        env.events::<PriceAccepted>(),
        vec![PriceAccepted {
            asset: WETH,
            roundId: rid(2),
            price: U256::from(3_030) * WAD,
            updatedAt: U256::from(T0 + 60),
            fastVolatility: fast,
            slowVolatility: slow,
        }]
    );
}

#[test]
fn a_one_percent_minute_raises_the_index_by_at_most_the_rate_bound() {
    // ln(1.01)^2 per minute is ~ 72 annualised: far above the cold start,
    // so the fast component rises by exactly maxVolRate * 60 s.
    let mut env = Env::listed();
    env.set_price(FEED, 2, 3_030_00, T0 + 60);
    env.at(T0 + 60);
    let cold = Global::ColdStartVol.default_value();
    let bound = Global::MaxVolRate.default_value() * U256::from(60);
    assert_eq!(env.oracle.poke(WETH), Ok(cold + bound));
}

#[test]
fn anyone_may_poke() {
    let mut env = Env::listed();
    env.set_price(FEED, 2, 3_001_00, T0 + 60);
    env.at(T0 + 60);
    env.caller(MALLORY);
    assert!(env.oracle.poke(WETH).is_ok());
}

#[test]
fn poking_the_same_round_twice_is_no_new_price() {
    let mut env = Env::listed();
    env.set_price(FEED, 2, 3_001_00, T0 + 60);
    env.at(T0 + 60);
    assert!(env.oracle.poke(WETH).is_ok());
    env.clear_logs();
    let before = env.oracle.volatility_state(WETH);
    assert_eq!(
        env.oracle.poke(WETH),
        Err(OracleError::NoNewPrice(OracleNoNewPrice {
            asset: WETH,
            roundId: rid(2)
        }))
    );
    assert_eq!(env.oracle.volatility_state(WETH), before);
    assert_eq!(env.log_count(), 0);
}

#[test]
fn poking_right_after_listing_is_no_new_price() {
    let mut env = Env::listed();
    assert_eq!(
        env.oracle.poke(WETH),
        Err(OracleError::NoNewPrice(OracleNoNewPrice {
            asset: WETH,
            roundId: rid(1)
        }))
    );
}

#[test]
fn a_new_round_with_the_same_timestamp_is_no_new_price() {
    // A sample needs time to pass: dt = 0 carries no variance per second.
    let mut env = Env::listed();
    env.set_price(FEED, 2, 3_001_00, T0);
    assert_eq!(
        env.oracle.poke(WETH),
        Err(OracleError::NoNewPrice(OracleNoNewPrice {
            asset: WETH,
            roundId: rid(2)
        }))
    );
}

#[test]
fn poking_an_unknown_asset_is_rejected() {
    let mut env = Env::listed();
    assert_eq!(
        env.oracle.poke(FEED),
        Err(OracleError::UnknownAsset(OracleUnknownAsset {
            asset: FEED
        }))
    );
}

#[test]
fn poke_reverts_with_the_guard_reason_and_changes_nothing() {
    let mut env = Env::listed();
    env.at(T0 + 100);
    let before = (
        env.oracle.asset_info(WETH),
        env.oracle.volatility_state(WETH),
    );
    for (data, reason) in [
        (round_data(2, answer_cents(0), T0 + 90, T0 + 90, 2), "zero"),
        (
            round_data(2, answer_cents(-1), T0 + 90, T0 + 90, 2),
            "negative",
        ),
        (
            round_data(2, answer_cents(3_001_00), T0 + 90, T0 + 90, 1),
            "incomplete",
        ),
        (
            round_data(2, answer_cents(3_001_00), T0 + 200, T0 + 200, 2),
            "future",
        ),
        (
            round_data(0, answer_cents(3_001_00), T0 - 5, T0 - 5, 0),
            "out of order",
        ),
        (
            round_data(2, answer_cents(4_000_00), T0 + 90, T0 + 90, 2),
            "jump",
        ),
    ] {
        env.set_round(FEED, data);
        assert!(env.oracle.poke(WETH).is_err(), "{reason}");
    }
    env.at(T0 + HEARTBEAT + 200);
    env.set_price(FEED, 2, 3_001_00, T0 + 100);
    assert!(is_rejected(&env.oracle.poke(WETH), 6));
    assert_eq!(
        (
            env.oracle.asset_info(WETH),
            env.oracle.volatility_state(WETH)
        ),
        before
    );
    assert_eq!(env.log_count(), 0);
}

#[test]
fn views_keep_working_while_poke_is_paused() {
    let mut env = Env::listed();
    env.caller(GUARDIAN);
    assert_eq!(env.oracle.pause(), Ok(()));
    env.set_price(FEED, 2, 3_010_00, T0 + 60);
    env.at(T0 + 60);
    assert_eq!(env.oracle.price(WETH), Ok(U256::from(3_010) * WAD));
    assert!(env.oracle.volatility_state(WETH).is_ok());
    assert!(env.oracle.margin_inputs(WETH).is_ok());
}

#[test]
fn a_very_long_gap_is_one_sample_averaged_over_the_gap() {
    // Thirty days without a poke, then +10 %: the per-second variance is
    // ln(1.1)^2 / 30 days, and the fast component forgets the past.
    let mut env = Env::listed();
    assert_eq!(env.oracle.file(Global::MaxVolRate.name(), WAD), Ok(()));
    let gap = 30 * 86_400;
    env.set_price(FEED, 2, 3_300_00, T0 + gap);
    env.at(T0 + gap);
    assert!(env.oracle.poke(WETH).is_ok());
    let (_, fast, slow, _) = env
        .oracle
        .volatility_state(WETH)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let expected = (1.1f64.ln().powi(2) * YEAR as f64 / gap as f64).sqrt();
    let fast = crate::testutil::f(fast);
    assert!((fast - expected).abs() < 1e-12, "{fast} vs {expected}");
    // The slow component (one-day time constant) has also almost forgotten.
    assert!((crate::testutil::f(slow) - expected).abs() < 1e-6);
}

#[test]
fn pokes_follow_the_feed_round_after_round() {
    let mut env = Env::listed();
    let mut t = T0;
    for (i, cents) in [3_010_00, 2_990_00, 3_050_00, 3_000_00]
        .into_iter()
        .enumerate()
    {
        t += 60;
        env.set_price(FEED, i as u64 + 2, cents, t);
        env.at(t);
        assert!(env.oracle.poke(WETH).is_ok(), "round {}", i + 2);
    }
    let info = env.oracle.asset_info(WETH);
    assert_eq!((info.4, info.5), (U256::from(3_000) * WAD, rid(5)));
    assert_eq!(env.events::<PriceAccepted>().len(), 4);
}
