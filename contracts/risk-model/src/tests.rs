//! The model's views through the contract, on stylus-test's VM with the
//! oracle's `marginInputs` answered by a mock.

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{sol, SolError};
use stylus_sdk::testing::TestVM;

use super::*;
use crate::testutil::{f, wad};

sol! {
    /// The oracle's error for an unlisted asset, as the oracle encodes it.
    error OracleUnknownAsset(address asset);
}

const ORACLE: Address = address!("00000000000000000000000000000000000000c1");
const WETH: Address = address!("0000000000000000000000000000000000000e7f");
const DAY: u64 = 86_400;

fn calldata(asset: Address) -> Vec<u8> {
    let mut data = MARGIN_INPUTS.to_vec();
    data.extend_from_slice(asset.into_word().as_slice());
    data
}

fn encode(inputs: &MarginInputs) -> Vec<u8> {
    [
        inputs.vol,
        inputs.k,
        inputs.mm_floor,
        inputs.im_multiplier,
        inputs.liq_horizon,
    ]
    .iter()
    .flat_map(|w| w.to_be_bytes::<32>())
    .collect()
}

/// The oracle's defaults at 80 % volatility.
fn inputs() -> MarginInputs {
    MarginInputs {
        vol: wad(0.8),
        k: wad(3.0),
        mm_floor: wad(0.02),
        im_multiplier: wad(1.5),
        liq_horizon: U256::from(3_600),
    }
}

fn model(vm: &TestVM, answer: Result<Vec<u8>, Vec<u8>>) -> RiskModel {
    let mut model = RiskModel::from(vm);
    assert_eq!(model.constructor(ORACLE), Ok(()));
    vm.mock_static_call(ORACLE, calldata(WETH), answer);
    model
}

fn revert(error: ModelError) -> Revert {
    error.into()
}

#[test]
fn selector_is_margin_inputs_of_an_address() {
    assert_eq!(
        MARGIN_INPUTS,
        alloy_primitives::keccak256("marginInputs(address)")[..4]
    );
}

#[test]
fn constructor_binds_the_oracle() {
    let vm = TestVM::default();
    let m = model(&vm, Ok(encode(&inputs())));
    assert_eq!(m.oracle(), ORACLE);
}

#[test]
fn constructor_rejects_a_zero_oracle() {
    let vm = TestVM::default();
    let mut m = RiskModel::from(&vm);
    assert_eq!(
        m.constructor(Address::ZERO),
        Err(ModelError::ZeroAddress(ModelZeroAddress {}))
    );
}

#[test]
fn margins_come_from_the_oracle_inputs() {
    let vm = TestVM::default();
    let m = model(&vm, Ok(encode(&inputs())));
    let i = inputs();
    let mm = margin::maintenance_margin(i.vol, i.k, i.mm_floor, i.liq_horizon).unwrap_or_default();
    let im = margin::initial_margin(mm, i.im_multiplier).unwrap_or_default();
    assert_eq!(m.maintenance_margin(WETH), Ok(mm));
    assert_eq!(m.initial_margin(WETH), Ok(im));
    assert_eq!(m.margins(WETH), Ok((mm, im)));
    assert_eq!(
        m.max_leverage(WETH),
        Ok(margin::max_leverage(im).unwrap_or_default())
    );
    // 3 * 0.8 * sqrt(1 h / 1 y) = 2.564 %; 1.5x that; ~26x leverage.
    assert!((f(mm) - 3.0 * 0.8 * (3_600.0f64 / YEAR as f64).sqrt()).abs() < 1e-15);
    assert!((f(m.max_leverage(WETH).unwrap_or_default()) - 1.0 / f(im)).abs() < 1e-12);
}

#[test]
fn insolvency_probability_uses_the_oracle_index() {
    let vm = TestVM::default();
    let m = model(&vm, Ok(encode(&inputs())));
    let (price, equity, size, horizon) = (wad(3_000.0), wad(300.0), wad(1.0), U256::from(DAY));
    let pos = Position {
        is_long: true,
        price,
        equity,
        size,
    };
    let expected = margin::insolvency_probability(wad(0.8), &pos, horizon).unwrap_or_default();
    assert_eq!(
        m.insolvency_probability(WETH, true, price, equity, size, horizon),
        Ok(expected)
    );
    assert!(
        f(expected) > 0.01 && f(expected) < 0.05,
        "10x long, one day at 80 %: {}",
        f(expected)
    );
}

#[test]
fn required_margin_uses_the_oracle_index() {
    let vm = TestVM::default();
    let m = model(&vm, Ok(encode(&inputs())));
    let (p, horizon) = (wad(0.01), U256::from(DAY));
    assert_eq!(
        m.required_margin_for_probability(WETH, p, horizon),
        Ok(margin::required_margin(wad(0.8), p, horizon).unwrap_or_default())
    );
    assert_eq!(
        m.required_margin_for_probability(WETH, wad(1.0), horizon),
        Ok(U256::ZERO)
    );
}

#[test]
fn the_oracle_error_for_an_unknown_asset_passes_through() {
    let vm = TestVM::default();
    let reason = OracleUnknownAsset { asset: WETH }.abi_encode();
    let m = model(&vm, Err(reason.clone()));
    assert_eq!(m.maintenance_margin(WETH), Err(reason.clone()));
    assert_eq!(m.margins(WETH), Err(reason.clone()));
    assert_eq!(
        m.insolvency_probability(WETH, false, wad(1.0), wad(1.0), wad(1.0), U256::from(60)),
        Err(reason.clone())
    );
    assert_eq!(
        m.required_margin_for_probability(WETH, wad(0.01), U256::from(60)),
        Err(reason)
    );
}

#[test]
fn a_silent_or_malformed_oracle_answer_is_a_failed_call() {
    let failed = revert(ModelError::OracleCallFailed(ModelOracleCallFailed {
        oracle: ORACLE,
    }));
    let vm = TestVM::default();
    let m = model(&vm, Err(Vec::new()));
    assert_eq!(m.maintenance_margin(WETH), Err(failed.clone()));
    let vm = TestVM::default();
    let m = model(&vm, Ok(vec![0u8; 4 * 32]));
    assert_eq!(m.initial_margin(WETH), Err(failed.clone()));
    assert_eq!(m.margins(WETH), Err(failed));
}

#[test]
fn insolvency_probability_rejects_a_zero_or_huge_price_and_a_long_horizon() {
    let vm = TestVM::default();
    let m = model(&vm, Ok(encode(&inputs())));
    let one = U256::from(1);
    assert_eq!(
        m.insolvency_probability(WETH, true, U256::ZERO, one, one, U256::from(60)),
        Err(revert(ModelError::ArgumentOutOfBounds(
            ModelArgumentOutOfBounds {
                name: name("entryOrMark"),
                value: U256::ZERO,
                min: one,
                max: MAX_PRICE,
            }
        )))
    );
    assert!(m
        .insolvency_probability(WETH, true, MAX_PRICE + one, one, one, U256::from(60))
        .is_err());
    let horizon = U256::from(MAX_HORIZON + 1);
    assert_eq!(
        m.insolvency_probability(WETH, false, one, one, one, horizon),
        Err(revert(ModelError::ArgumentOutOfBounds(
            ModelArgumentOutOfBounds {
                name: name("horizon"),
                value: horizon,
                min: U256::ZERO,
                max: U256::from(MAX_HORIZON),
            }
        )))
    );
}

#[test]
fn required_margin_rejects_a_target_below_one_in_a_trillion() {
    let vm = TestVM::default();
    let m = model(&vm, Ok(encode(&inputs())));
    let tiny = MIN_PROBABILITY - U256::from(1);
    assert_eq!(
        m.required_margin_for_probability(WETH, tiny, U256::from(DAY)),
        Err(revert(ModelError::ArgumentOutOfBounds(
            ModelArgumentOutOfBounds {
                name: name("p"),
                value: tiny,
                min: MIN_PROBABILITY,
                max: U256::MAX,
            }
        )))
    );
    assert!(m
        .required_margin_for_probability(WETH, wad(0.01), U256::from(MAX_HORIZON + 1))
        .is_err());
}
