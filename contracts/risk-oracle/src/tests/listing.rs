//! `setFeed`: listing an asset, re-pointing it, and what it refuses.

use alloy_primitives::{address, Address, U256};

use super::*;
use crate::{
    errors::*,
    events::{file_address, File, PriceAccepted},
    params::{setting, AssetParam, Global},
};

const OTHER_FEED: Address = address!("00000000000000000000000000000000000000fd");

fn list(env: &mut Env) -> Result<(), OracleError> {
    env.oracle
        .set_feed(WETH, FEED, U256::from(HEARTBEAT), U256::from(MAX_JUMP))
}

#[test]
fn listing_stores_config_anchor_and_cold_start_volatility() {
    let mut env = Env::new();
    env.set_price(FEED, 7, 3_000_00, T0 - 30);
    assert_eq!(list(&mut env), Ok(()));
    let info = env.oracle.asset_info(WETH);
    assert_eq!(
        info,
        (
            FEED,
            8,
            U256::from(HEARTBEAT),
            U256::from(MAX_JUMP),
            U256::from(3_000) * WAD,
            rid(7),
            U256::from(T0 - 30)
        )
    );
    let cold = Global::ColdStartVol.default_value();
    assert_eq!(
        env.oracle.volatility_state(WETH),
        Ok((cold, cold, cold, U256::from(T0 - 30)))
    );
}

#[test]
fn listing_emits_feed_parameters_and_the_anchor() {
    let mut env = Env::new();
    env.set_price(FEED, 7, 3_000_00, T0);
    env.clear_logs();
    assert_eq!(list(&mut env), Ok(()));
    assert_eq!(
        env.events::<File>(),
        vec![
            file_address(WETH, setting::FEED, FEED),
            File {
                asset: WETH,
                what: setting::DECIMALS,
                data: U256::from(8)
            },
            File {
                asset: WETH,
                what: AssetParam::Heartbeat.name(),
                data: U256::from(HEARTBEAT)
            },
            File {
                asset: WETH,
                what: AssetParam::MaxJump.name(),
                data: U256::from(MAX_JUMP)
            },
        ]
    );
    let cold = Global::ColdStartVol.default_value();
    assert_eq!(
        env.events::<PriceAccepted>(),
        vec![PriceAccepted {
            asset: WETH,
            roundId: rid(7),
            price: U256::from(3_000) * WAD,
            updatedAt: U256::from(T0),
            fastVolatility: cold,
            slowVolatility: cold,
        }]
    );
    assert_eq!(env.log_count(), 5);
}

#[test]
fn listing_reads_the_feed_decimals() {
    let mut env = Env::new();
    env.decimals(FEED, 18);
    env.set_round(
        FEED,
        round_data(
            1,
            I256::try_from(2_500u64).unwrap_or_default() * I256::try_from(WAD).unwrap_or_default(),
            T0,
            T0,
            1,
        ),
    );
    assert_eq!(list(&mut env), Ok(()));
    assert_eq!(env.oracle.asset_info(WETH).1, 18);
    assert_eq!(env.oracle.price(WETH), Ok(U256::from(2_500) * WAD));
}

#[test]
fn listing_uses_the_cold_start_in_force() {
    let mut env = Env::new();
    assert_eq!(env.oracle.file(Global::ColdStartVol.name(), WAD), Ok(()));
    env.set_price(FEED, 1, 3_000_00, T0);
    assert_eq!(list(&mut env), Ok(()));
    assert_eq!(
        env.oracle.volatility_state(WETH),
        Ok((WAD, WAD, WAD, U256::from(T0)))
    );
}

#[test]
fn listing_rejects_zero_asset_or_feed() {
    let mut env = Env::new();
    env.set_price(FEED, 1, 3_000_00, T0);
    let zero = Err(OracleError::ZeroAddress(OracleZeroAddress {}));
    assert_eq!(
        env.oracle.set_feed(
            Address::ZERO,
            FEED,
            U256::from(HEARTBEAT),
            U256::from(MAX_JUMP)
        ),
        zero
    );
    assert_eq!(
        env.oracle.set_feed(
            WETH,
            Address::ZERO,
            U256::from(HEARTBEAT),
            U256::from(MAX_JUMP)
        ),
        zero
    );
}

#[test]
fn listing_rejects_heartbeat_and_band_out_of_bounds() {
    let mut env = Env::new();
    env.set_price(FEED, 1, 3_000_00, T0);
    let (min, max) = AssetParam::Heartbeat.bounds();
    assert_eq!(
        env.oracle
            .set_feed(WETH, FEED, U256::ZERO, U256::from(MAX_JUMP)),
        Err(OracleError::ParameterOutOfBounds(
            OracleParameterOutOfBounds {
                what: what("heartbeat"),
                data: U256::ZERO,
                min,
                max
            }
        ))
    );
    let (min, max) = AssetParam::MaxJump.bounds();
    let data = max + U256::from(1);
    assert_eq!(
        env.oracle.set_feed(WETH, FEED, U256::from(HEARTBEAT), data),
        Err(OracleError::ParameterOutOfBounds(
            OracleParameterOutOfBounds {
                what: what("maxJump"),
                data,
                min,
                max
            }
        ))
    );
    assert_eq!(env.oracle.asset_info(WETH).0, Address::ZERO);
}

#[test]
fn listing_rejects_a_feed_that_does_not_answer() {
    let mut env = Env::new();
    // OTHER_FEED has neither decimals nor rounds: an account without code.
    assert_eq!(
        env.oracle.set_feed(
            WETH,
            OTHER_FEED,
            U256::from(HEARTBEAT),
            U256::from(MAX_JUMP)
        ),
        Err(OracleError::FeedCallFailed(OracleFeedCallFailed {
            feed: OTHER_FEED
        }))
    );
    env.decimals(OTHER_FEED, 8);
    env.revert_round(OTHER_FEED);
    assert_eq!(
        env.oracle.set_feed(
            WETH,
            OTHER_FEED,
            U256::from(HEARTBEAT),
            U256::from(MAX_JUMP)
        ),
        Err(OracleError::FeedCallFailed(OracleFeedCallFailed {
            feed: OTHER_FEED
        }))
    );
}

#[test]
fn listing_rejects_more_than_18_decimals() {
    let mut env = Env::new();
    env.decimals(FEED, 19);
    env.set_price(FEED, 1, 3_000_00, T0);
    assert_eq!(
        list(&mut env),
        Err(OracleError::ParameterOutOfBounds(
            OracleParameterOutOfBounds {
                what: what("decimals"),
                data: U256::from(19),
                min: U256::ZERO,
                max: U256::from(18),
            }
        ))
    );
}

#[test]
fn listing_rejects_an_invalid_anchor_with_its_reason() {
    let mut env = Env::new();
    env.set_price(FEED, 1, -5, T0);
    assert_eq!(list(&mut env), Err(rejected(4, 1, answer_cents(-5), T0)));
    env.set_price(FEED, 1, 3_000_00, T0 - HEARTBEAT - 1);
    assert_eq!(
        list(&mut env),
        Err(rejected(6, 1, answer_cents(3_000_00), T0 - HEARTBEAT - 1))
    );
    assert_eq!(
        env.oracle.volatility_state(WETH),
        Err(OracleError::UnknownAsset(OracleUnknownAsset {
            asset: WETH
        }))
    );
}

#[test]
fn repointing_keeps_the_index_and_re_anchors_without_the_band() {
    let mut env = Env::listed();
    // Move the index away from the cold start.
    env.set_price(FEED, 2, 3_300_00, T0 + 60);
    env.at(T0 + 60);
    let index = env.oracle.poke(WETH).unwrap_or_else(|e| panic!("{e:?}"));
    let state = env.oracle.volatility_state(WETH);
    // The new feed starts at round 1 and 40 % away: no band at re-pointing.
    env.decimals(OTHER_FEED, 8);
    env.set_price(OTHER_FEED, 1, 4_620_00, T0 + 90);
    env.at(T0 + 100);
    assert_eq!(
        env.oracle
            .set_feed(WETH, OTHER_FEED, U256::from(60), U256::from(MAX_JUMP)),
        Ok(())
    );
    assert_eq!(env.oracle.volatility_state(WETH), state);
    assert_eq!(state.map(|s| s.0), Ok(index));
    let info = env.oracle.asset_info(WETH);
    assert_eq!(
        (info.0, info.2, info.4, info.5, info.6),
        (
            OTHER_FEED,
            U256::from(60),
            U256::from(4_620) * WAD,
            rid(1),
            U256::from(T0 + 90)
        )
    );
}
