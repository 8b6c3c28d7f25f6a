//! The sequencer-uptime feed: safe to add risk or not; prices always readable.

use alloy_primitives::{Address, U256};

use super::*;
use crate::{
    errors::*,
    events::{file_address, File},
    params::{setting, Global},
};

/// The uptime feed reports `status` (0 up, 1 down) since `since`.
fn uptime(env: &Env, status: i64, since: u64) {
    env.set_round(
        UPTIME,
        round_data(
            1,
            I256::try_from(status).unwrap_or_default(),
            since,
            since,
            1,
        ),
    );
}

fn with_uptime_feed(status: i64, since: u64) -> Env {
    let mut env = Env::listed();
    uptime(&env, status, since);
    assert_eq!(env.oracle.set_sequencer_feed(UPTIME), Ok(()));
    env
}

#[test]
fn without_an_uptime_feed_adding_risk_is_safe() {
    let env = Env::new();
    assert_eq!(
        env.oracle.parameter(setting::SEQUENCER_FEED),
        Ok(U256::ZERO)
    );
    assert_eq!(env.oracle.sequencer_status(), (true, true, U256::ZERO));
}

#[test]
fn setting_the_uptime_feed_emits_and_stores_it() {
    let env = with_uptime_feed(0, T0 - 10_000);
    assert_eq!(
        env.oracle.parameter(setting::SEQUENCER_FEED),
        Ok(U256::from_be_slice(UPTIME.as_slice()))
    );
    assert_eq!(
        env.events::<File>(),
        vec![file_address(Address::ZERO, setting::SEQUENCER_FEED, UPTIME)]
    );
}

#[test]
fn an_uptime_feed_that_does_not_answer_is_rejected() {
    let mut env = Env::new();
    assert_eq!(
        env.oracle.set_sequencer_feed(UPTIME),
        Err(OracleError::FeedCallFailed(OracleFeedCallFailed {
            feed: UPTIME
        }))
    );
}

#[test]
fn setting_zero_disables_the_check() {
    let mut env = with_uptime_feed(1, T0 - 10);
    assert_eq!(env.oracle.set_sequencer_feed(Address::ZERO), Ok(()));
    assert_eq!(env.oracle.sequencer_status(), (true, true, U256::ZERO));
}

#[test]
fn sequencer_down_is_not_safe_but_prices_stay_readable() {
    let env = with_uptime_feed(1, T0 - 10);
    assert_eq!(
        env.oracle.sequencer_status(),
        (false, false, U256::from(T0 - 10))
    );
    assert_eq!(env.oracle.price(WETH), Ok(U256::from(3_000) * WAD));
    assert!(env.oracle.price_data(WETH).1);
}

#[test]
fn back_up_inside_the_grace_period_is_not_safe() {
    let grace = 3_600;
    let env = with_uptime_feed(0, T0 - grace);
    assert_eq!(
        env.oracle.sequencer_status(),
        (true, false, U256::from(T0 - grace))
    );
}

#[test]
fn back_up_after_the_grace_period_is_safe() {
    let env = with_uptime_feed(0, T0 - 3_601);
    assert_eq!(
        env.oracle.sequencer_status(),
        (true, true, U256::from(T0 - 3_601))
    );
}

#[test]
fn the_grace_period_is_a_parameter() {
    let mut env = with_uptime_feed(0, T0 - 600);
    assert!(!env.oracle.sequencer_status().1);
    assert_eq!(
        env.oracle.file(Global::GracePeriod.name(), U256::from(599)),
        Ok(())
    );
    assert!(env.oracle.sequencer_status().1);
}

#[test]
fn an_uptime_feed_that_starts_failing_reads_as_down() {
    let env = with_uptime_feed(0, T0 - 10_000);
    env.revert_round(UPTIME);
    assert_eq!(env.oracle.sequencer_status(), (false, false, U256::ZERO));
}

#[test]
fn a_poke_is_not_blocked_by_the_sequencer() {
    // Accepting prices is de-risking information: it goes on while down.
    let mut env = with_uptime_feed(1, T0 - 10);
    env.set_price(FEED, 2, 3_010_00, T0 + 60);
    env.at(T0 + 60);
    assert!(env.oracle.poke(WETH).is_ok());
}
