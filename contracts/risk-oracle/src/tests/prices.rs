//! The price guard through `price` (reverting) and `priceData` (flagged).

use alloy_primitives::U256;

use super::*;
use crate::errors::*;

const LAST: u64 = 3_000;

/// Listed at $3,000 at `T0`, now `T0 + 100` with the live round `data`.
fn live(data: Vec<u8>) -> Env {
    let env = Env::listed();
    env.at(T0 + 100);
    env.set_round(FEED, data);
    env
}

/// `priceData` of a rejected live round: the last accepted price, invalid,
/// aged from `T0`, with `status`.
fn assert_flagged(env: &Env, status: u8) {
    assert_eq!(
        env.oracle.price_data(WETH),
        (U256::from(LAST) * WAD, false, U256::from(100), status)
    );
}

#[test]
fn a_valid_live_round_is_returned_with_its_age() {
    let env = live(round_data(2, answer_cents(3_050_00), T0 + 90, T0 + 90, 2));
    assert_eq!(env.oracle.price(WETH), Ok(U256::from(3_050) * WAD));
    assert_eq!(
        env.oracle.price_data(WETH),
        (U256::from(3_050) * WAD, true, U256::from(10), 0)
    );
}

#[test]
fn reading_never_stores_the_live_price() {
    let env = live(round_data(2, answer_cents(3_050_00), T0 + 90, T0 + 90, 2));
    assert!(env.oracle.price(WETH).is_ok());
    assert_eq!(env.oracle.asset_info(WETH).4, U256::from(LAST) * WAD);
}

#[test]
fn unknown_asset_reverts_or_reads_status_one() {
    let env = Env::listed();
    assert_eq!(
        env.oracle.price(FEED),
        Err(OracleError::UnknownAsset(OracleUnknownAsset {
            asset: FEED
        }))
    );
    assert_eq!(
        env.oracle.price_data(FEED),
        (U256::ZERO, false, U256::ZERO, 1)
    );
}

#[test]
fn a_reverting_feed_is_a_failed_call() {
    let env = Env::listed();
    env.at(T0 + 100);
    env.revert_round(FEED);
    assert_eq!(
        env.oracle.price(WETH),
        Err(OracleError::FeedCallFailed(OracleFeedCallFailed {
            feed: FEED
        }))
    );
    assert_flagged(&env, 2);
}

#[test]
fn malformed_feed_data_is_a_failed_call() {
    let env = live(vec![0u8; 96]);
    assert_eq!(
        env.oracle.price(WETH),
        Err(OracleError::FeedCallFailed(OracleFeedCallFailed {
            feed: FEED
        }))
    );
    assert_flagged(&env, 2);
}

#[test]
fn answered_in_round_behind_the_round_is_incomplete() {
    let env = live(round_data(3, answer_cents(3_010_00), T0 + 90, T0 + 90, 2));
    assert_eq!(
        env.oracle.price(WETH),
        Err(rejected(3, 3, answer_cents(3_010_00), T0 + 90))
    );
    assert_flagged(&env, 3);
}

#[test]
fn zero_answer_is_invalid() {
    let env = live(round_data(2, answer_cents(0), T0 + 90, T0 + 90, 2));
    assert_eq!(
        env.oracle.price(WETH),
        Err(rejected(4, 2, answer_cents(0), T0 + 90))
    );
    assert_flagged(&env, 4);
}

#[test]
fn negative_answer_is_invalid() {
    let env = live(round_data(2, answer_cents(-3_000_00), T0 + 90, T0 + 90, 2));
    assert_eq!(
        env.oracle.price(WETH),
        Err(rejected(4, 2, answer_cents(-3_000_00), T0 + 90))
    );
    assert_flagged(&env, 4);
}

#[test]
fn future_timestamp_is_rejected() {
    let env = live(round_data(2, answer_cents(3_010_00), T0 + 101, T0 + 101, 2));
    assert_eq!(
        env.oracle.price(WETH),
        Err(rejected(5, 2, answer_cents(3_010_00), T0 + 101))
    );
    assert_flagged(&env, 5);
}

#[test]
fn stale_round_is_rejected_with_its_age() {
    let env = Env::listed();
    env.at(T0 + HEARTBEAT + 1);
    assert_eq!(
        env.oracle.price(WETH),
        Err(rejected(6, 1, answer_cents(LAST as i64 * 100), T0))
    );
    assert_eq!(
        env.oracle.price_data(WETH),
        (U256::from(LAST) * WAD, false, U256::from(HEARTBEAT + 1), 6)
    );
}

#[test]
fn the_last_accepted_round_stays_valid_within_its_heartbeat() {
    let env = Env::listed();
    env.at(T0 + HEARTBEAT);
    assert_eq!(
        env.oracle.price_data(WETH),
        (U256::from(LAST) * WAD, true, U256::from(HEARTBEAT), 0)
    );
}

#[test]
fn a_round_before_the_last_accepted_one_is_out_of_order() {
    let env = Env::listed();
    env.at(T0 + 100);
    // A crafted older round (lower id, earlier time) becomes the latest.
    env.set_round(
        FEED,
        round_data(0, answer_cents(2_990_00), T0 - 10, T0 - 10, 0),
    );
    assert_eq!(
        env.oracle.price(WETH),
        Err(rejected(7, 0, answer_cents(2_990_00), T0 - 10))
    );
    assert_flagged(&env, 7);
}

#[test]
fn a_later_round_id_with_an_earlier_time_is_out_of_order() {
    let env = live(round_data(5, answer_cents(3_000_00), T0 - 1, T0 - 1, 5));
    assert!(is_rejected(&env.oracle.price(WETH), 7));
    assert_flagged(&env, 7);
}

#[test]
fn a_jump_beyond_the_band_is_rejected() {
    // 20 % band around $3,000: $3,600 passes, $3,600.01 does not.
    let env = live(round_data(2, answer_cents(3_600_00), T0 + 90, T0 + 90, 2));
    assert_eq!(env.oracle.price(WETH), Ok(U256::from(3_600) * WAD));
    env.set_round(
        FEED,
        round_data(2, answer_cents(3_600_01), T0 + 90, T0 + 90, 2),
    );
    assert_eq!(
        env.oracle.price(WETH),
        Err(rejected(8, 2, answer_cents(3_600_01), T0 + 90))
    );
    assert_flagged(&env, 8);
}

#[test]
fn a_rejected_round_never_replaces_the_last_accepted_price() {
    let mut env = live(round_data(2, answer_cents(1_000_00), T0 + 90, T0 + 90, 2));
    assert!(is_rejected(&env.oracle.poke(WETH), 8));
    assert_eq!(env.oracle.asset_info(WETH).4, U256::from(LAST) * WAD);
    assert_flagged(&env, 8);
    // The next valid round is accepted against the old anchor.
    env.set_price(FEED, 3, 2_900_00, T0 + 100);
    assert!(env.oracle.poke(WETH).is_ok());
    assert_eq!(env.oracle.asset_info(WETH).4, U256::from(2_900) * WAD);
}
