//! The volatility views and the inputs handed to the RiskModel.

use alloy_primitives::U256;

use super::*;
use crate::{errors::*, params::Global};

#[test]
fn volatility_state_and_margin_inputs_reject_an_unknown_asset() {
    let env = Env::listed();
    let unknown = OracleError::UnknownAsset(OracleUnknownAsset { asset: FEED });
    assert_eq!(env.oracle.volatility_state(FEED), Err(unknown.clone()));
    assert_eq!(env.oracle.margin_inputs(FEED), Err(unknown));
}

#[test]
fn margin_inputs_are_the_index_and_the_margin_parameters() {
    let env = Env::listed();
    let cold = Global::ColdStartVol.default_value();
    assert_eq!(
        env.oracle.margin_inputs(WETH),
        Ok((
            cold,
            Global::K.default_value(),
            Global::MmFloor.default_value(),
            Global::ImMultiplier.default_value(),
            Global::LiqHorizon.default_value(),
        ))
    );
}

#[test]
fn margin_inputs_follow_file() {
    let mut env = Env::listed();
    assert_eq!(
        env.oracle.file(Global::K.name(), U256::from(5) * WAD),
        Ok(())
    );
    assert_eq!(
        env.oracle
            .file(Global::LiqHorizon.name(), U256::from(7_200)),
        Ok(())
    );
    let inputs = env
        .oracle
        .margin_inputs(WETH)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (inputs.1, inputs.4),
        (U256::from(5) * WAD, U256::from(7_200))
    );
}

#[test]
fn the_index_is_the_larger_component() {
    let mut env = Env::listed();
    // Without the rate bound, a 10 % minute lifts the fast component above
    // the slow one.
    assert_eq!(env.oracle.file(Global::MaxVolRate.name(), WAD), Ok(()));
    env.set_price(FEED, 2, 3_300_00, T0 + 60);
    env.at(T0 + 60);
    let index = env.oracle.poke(WETH).unwrap_or_else(|e| panic!("{e:?}"));
    let (i, fast, slow, updated_at) = env
        .oracle
        .volatility_state(WETH)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(fast > slow);
    assert_eq!((i, index, updated_at), (fast, fast, U256::from(T0 + 60)));
}
