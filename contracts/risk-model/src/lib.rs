//! Keel RiskModel: margin maths on the RiskOracle's volatility index.
//!
//! A stateless companion of `RiskOracle` (crate `keel-risk-oracle`): it holds
//! only the oracle's address and, for each view, reads the asset's index and
//! the margin parameters with one call to `RiskOracle.marginInputs(asset)`.
//! The two are separate contracts because together they exceed the 24 KiB
//! code-size limit; parameters and their administration stay in the oracle,
//! so there is one admin surface and one source of truth.
//!
//! * Maintenance margin `mm = max(mmFloor, k * sigma * sqrt(T_liq))`, initial
//!   margin `im = mm * imMultiplier`, max leverage `1 / im` ([`margin`]).
//! * Insolvency probability: closed-form first passage of a driftless GBM.
//! * The margin that keeps that probability at or below a target.
//!
//! Errors of the oracle (an unknown asset) are passed through verbatim, so a
//! caller sees `OracleUnknownAsset(asset)` from either contract.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
// With `export-abi`, the SDK adds an undocumented `print_from_args` (native builds only).
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
// Solidity errors are returned by value, as the SDK's router expects them.
#![allow(clippy::result_large_err)]

extern crate alloc;
extern crate keel_common;

pub mod margin;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::sol;
use keel_math::MathError;
use stylus_sdk::{call::static_call, function_selector, prelude::*, storage::StorageAddress};

use crate::margin::{Position, YEAR};

sol! {
    #![sol(all_derives)]

    /// The oracle address given to the constructor is zero.
    error ModelZeroAddress();
    /// The call to `oracle` failed without a reason or returned malformed data.
    error ModelOracleCallFailed(address oracle);
    /// The argument `name` has the value `value`, outside `[min, max]`.
    error ModelArgumentOutOfBounds(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// Fixed-point arithmetic failed (`kind`: 0 overflow, 1 division by zero,
    /// 2 outside the domain): a margin beyond `2^256` for absurd inputs.
    error ModelMathError(uint8 kind);
}

/// Every error the model raises itself (the oracle's are passed through).
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum ModelError {
    /// See [`ModelZeroAddress`].
    ZeroAddress(ModelZeroAddress),
    /// See [`ModelOracleCallFailed`].
    OracleCallFailed(ModelOracleCallFailed),
    /// See [`ModelArgumentOutOfBounds`].
    ArgumentOutOfBounds(ModelArgumentOutOfBounds),
    /// See [`ModelMathError`].
    Math(ModelMathError),
}

impl From<MathError> for ModelError {
    fn from(error: MathError) -> Self {
        let kind = match error {
            MathError::Overflow => 0,
            MathError::DivisionByZero => 1,
            MathError::OutOfDomain => 2,
        };
        Self::Math(ModelMathError { kind })
    }
}

/// Revert data: the model's own typed error, or the oracle's verbatim.
pub type Revert = Vec<u8>;

/// Longest horizon the probability views accept: ten years.
pub const MAX_HORIZON: u64 = 10 * YEAR;
/// Smallest probability target of `requiredMarginForProbability`: `1e-12`.
/// Below it the normal CDF's absolute error (about `1e-18`) would no longer
/// be small against the target.
pub const MIN_PROBABILITY: U256 = U256::from_limbs([1_000_000, 0, 0, 0]);
/// Largest `entryOrMark` accepted by `insolvencyProbability` (`2^128 - 1`,
/// the oracle's own price range).
pub const MAX_PRICE: U256 = U256::from_limbs([u64::MAX, u64::MAX, 0, 0]);

/// Selector of `RiskOracle.marginInputs(address)`.
const MARGIN_INPUTS: [u8; 4] = function_selector!("marginInputs", Address);

use keel_common::abi::name;

/// What `RiskOracle.marginInputs` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarginInputs {
    /// The volatility index (annualised, WAD).
    pub vol: U256,
    /// Maintenance-margin multiplier (WAD).
    pub k: U256,
    /// Maintenance-margin floor (WAD).
    pub mm_floor: U256,
    /// Initial over maintenance margin (WAD).
    pub im_multiplier: U256,
    /// Liquidation horizon, seconds.
    pub liq_horizon: U256,
}

impl MarginInputs {
    /// Decodes five ABI words; `None` if the data is too short.
    fn decode(data: &[u8]) -> Option<Self> {
        let word = |i: usize| data.get(i * 32..(i + 1) * 32).map(U256::from_be_slice);
        Some(Self {
            vol: word(0)?,
            k: word(1)?,
            mm_floor: word(2)?,
            im_multiplier: word(3)?,
            liq_horizon: word(4)?,
        })
    }

    /// `(maintenance, initial)` margin fractions.
    fn margins(&self) -> Result<(U256, U256), ModelError> {
        let mm = margin::maintenance_margin(self.vol, self.k, self.mm_floor, self.liq_horizon)?;
        Ok((mm, margin::initial_margin(mm, self.im_multiplier)?))
    }
}

/// Storage of the model: the oracle it reads.
#[storage]
#[entrypoint]
pub struct RiskModel {
    oracle: StorageAddress,
}

#[public]
impl RiskModel {
    /// Binds the model to `oracle` for good.
    ///
    /// # Errors
    /// `ModelZeroAddress` for a zero oracle.
    #[constructor]
    pub fn constructor(&mut self, oracle: Address) -> Result<(), ModelError> {
        if oracle.is_zero() {
            return Err(ModelError::ZeroAddress(ModelZeroAddress {}));
        }
        self.oracle.set(oracle);
        Ok(())
    }

    /// The RiskOracle this model reads.
    pub fn oracle(&self) -> Address {
        self.oracle.get()
    }

    /// Maintenance margin, a fraction of notional (WAD):
    /// `max(mmFloor, k * sigma * sqrt(liqHorizon / 1 year))`, rounded up.
    ///
    /// # Errors
    /// The oracle's `OracleUnknownAsset`; `ModelOracleCallFailed`.
    #[selector(name = "maintenanceMargin")]
    pub fn maintenance_margin(&self, asset: Address) -> Result<U256, Revert> {
        Ok(self.inputs(asset)?.margins()?.0)
    }

    /// Initial margin: maintenance margin times `imMultiplier` (WAD, rounded
    /// up).
    ///
    /// # Errors
    /// The oracle's `OracleUnknownAsset`; `ModelOracleCallFailed`.
    #[selector(name = "initialMargin")]
    pub fn initial_margin(&self, asset: Address) -> Result<U256, Revert> {
        Ok(self.inputs(asset)?.margins()?.1)
    }

    /// Maintenance and initial margin together, from one read of the oracle:
    /// `(maintenanceMargin(asset), initialMargin(asset))`.
    ///
    /// # Errors
    /// The oracle's `OracleUnknownAsset`; `ModelOracleCallFailed`.
    pub fn margins(&self, asset: Address) -> Result<(U256, U256), Revert> {
        Ok(self.inputs(asset)?.margins()?)
    }

    /// Max leverage `1 / initialMargin` (WAD, rounded down).
    ///
    /// # Errors
    /// The oracle's `OracleUnknownAsset`; `ModelOracleCallFailed`.
    #[selector(name = "maxLeverage")]
    pub fn max_leverage(&self, asset: Address) -> Result<U256, Revert> {
        let im = self.inputs(asset)?.margins()?.1;
        Ok(margin::max_leverage(im).map_err(ModelError::from)?)
    }

    /// Probability (WAD) that a position's equity reaches zero within
    /// `horizon` seconds, the price following a driftless geometric Brownian
    /// motion at the current index (closed-form first passage, see
    /// [`margin`]). `entryOrMark` is the price at which `equity` (quote,
    /// WAD) is measured, `size` the position in asset units (WAD).
    ///
    /// # Errors
    /// The oracle's `OracleUnknownAsset`; `ModelOracleCallFailed`;
    /// `ModelArgumentOutOfBounds` for `entryOrMark` outside `[1, 2^128)` or
    /// `horizon` beyond ten years.
    #[selector(name = "insolvencyProbability")]
    pub fn insolvency_probability(
        &self,
        asset: Address,
        is_long: bool,
        entry_or_mark: U256,
        equity: U256,
        size: U256,
        horizon: U256,
    ) -> Result<U256, Revert> {
        check(
            name("entryOrMark"),
            entry_or_mark,
            (U256::from(1), MAX_PRICE),
        )?;
        check(
            name("horizon"),
            horizon,
            (U256::ZERO, U256::from(MAX_HORIZON)),
        )?;
        let vol = self.inputs(asset)?.vol;
        let pos = Position {
            is_long,
            price: entry_or_mark,
            equity,
            size,
        };
        Ok(margin::insolvency_probability(vol, &pos, horizon).map_err(ModelError::from)?)
    }

    /// The smallest margin fraction of notional (WAD) that keeps the
    /// insolvency probability within `horizon` seconds at or below `p`, for a
    /// long and a short alike. Solved by a bracketing secant search on the
    /// closed form (see [`margin::required_margin`]); the
    /// result meets the target and is within `2^-32` (relative) of the exact
    /// root. `0` for `p >= 1`.
    ///
    /// # Errors
    /// The oracle's `OracleUnknownAsset`; `ModelOracleCallFailed`;
    /// `ModelArgumentOutOfBounds` for `p` below `1e-12` or `horizon` beyond
    /// ten years; `ModelMathError` if the margin is beyond `2^256` (absurd
    /// volatility and horizon together).
    #[selector(name = "requiredMarginForProbability")]
    pub fn required_margin_for_probability(
        &self,
        asset: Address,
        p: U256,
        horizon: U256,
    ) -> Result<U256, Revert> {
        check(name("p"), p, (MIN_PROBABILITY, U256::MAX))?;
        check(
            name("horizon"),
            horizon,
            (U256::ZERO, U256::from(MAX_HORIZON)),
        )?;
        let vol = self.inputs(asset)?.vol;
        Ok(margin::required_margin(vol, p, horizon).map_err(ModelError::from)?)
    }
}

impl RiskModel {
    /// `marginInputs(asset)` from the oracle. Its revert data (e.g.
    /// `OracleUnknownAsset`) is passed through; a call that fails silently or
    /// answers malformed data is `ModelOracleCallFailed`.
    fn inputs(&self, asset: Address) -> Result<MarginInputs, Revert> {
        let oracle = self.oracle.get();
        let mut calldata = Vec::with_capacity(36);
        calldata.extend_from_slice(&MARGIN_INPUTS);
        calldata.extend_from_slice(asset.into_word().as_slice());
        let failed =
            || -> Revert { ModelError::OracleCallFailed(ModelOracleCallFailed { oracle }).into() };
        match static_call(self.vm(), Call::new(), oracle, &calldata) {
            Ok(data) => MarginInputs::decode(&data).ok_or_else(failed),
            Err(stylus_sdk::stylus_core::calls::errors::Error::Revert(data))
                if !data.is_empty() =>
            {
                Err(data)
            }
            Err(_) => Err(failed()),
        }
    }
}

/// `value` within `[min, max]`, else `ModelArgumentOutOfBounds`.
fn check(name: B256, value: U256, (min, max): (U256, U256)) -> Result<(), ModelError> {
    if min <= value && value <= max {
        Ok(())
    } else {
        Err(ModelError::ArgumentOutOfBounds(ModelArgumentOutOfBounds {
            name,
            value,
            min,
            max,
        }))
    }
}

#[cfg(test)]
#[path = "../../risk-oracle/src/testutil.rs"]
mod testutil;

#[cfg(test)]
mod tests;
