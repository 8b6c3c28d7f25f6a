//! Keel's MarginLens: read-only risk views over the MarginEngine for integrators and keepers.
//!
//! The MarginEngine must stay under the 24 KiB code limit, so it left out two views its crate
//! docs describe: the liquidation price of a position and the insolvency probability of a
//! position. The lens computes them from the engine's own views, with the same price source
//! and the same maintenance fraction, so that it agrees with the engine; it also returns an
//! account's whole health in one call. What a liquidation would close now is the Backstop's
//! `liquidationPreview`.
//!
//! The lens changes nothing: its only storage is the three addresses set by the constructor
//! (the engine, the model, and the oracle read from `model.oracle()`), so it has no roles, no
//! parameters and emits no events.
//!
//! # ABI
//! [`router::IMarginLens`] declares every external function in Solidity; the router decodes
//! calls by hand (as the Liquidator's does, for size) and calls the methods of [`MarginLens`],
//! which native tests call directly. Errors are in [`errors`], the interfaces called in
//! [`calls`].
//!
//! # Sources (as the engine's views)
//! - `equity`, `initialMargin`, `maintenanceMargin`: `engine.accountHealth(account)`, valued
//!   at the oracle's last accepted prices (stale or not; a zero price reverts).
//! - `mark`: `oracle.priceData(asset).price`, the price the engine's views value a position
//!   at; `oracle` is the RiskModel's (`model.oracle()`), which must be the engine's: a Keel
//!   deployment gives the engine and the model one RiskOracle.
//! - `m`: `model.maintenanceMargin(asset)`, the fraction the engine charges on notional.
//!
//! # Liquidation price
//! Moving the mark of one market from `P` to `p`, every other price held fixed, moves the
//! account's equity by `size · (p − P)` and its maintenance margin by `|size| · m · (p − P)`.
//! They are equal (the account turns liquidatable, `equity < MM`) at
//! `p* = P + (equity − MM) / K`, `K = |size| · m − size` (the engine's crate docs), computed
//! exactly as `(equity − MM) · WAD² / (|size| · m − size · WAD)` through a 512-bit product.
//! - A **long** is liquidatable below `p*`; `p*` rounds **up**, so that every price at which
//!   the formula says "liquidatable" is below the value returned (it warns no later).
//! - A **short** is liquidatable above `p*`; `p*` rounds **down**, likewise.
//! - `0` when the account has no position in the market; when `p* ≤ 0`: for a long no
//!   positive price makes it liquidatable (its equity covers the notional and margin), for a
//!   short every positive price does (it is liquidatable now, at any price, and `0` still
//!   reads "liquidatable above 0"); and for a long when `m ≥ 100 %` (`K ≥ 0`: a fall in price
//!   never brings the account to maintenance; the RiskModel never gives such a fraction with
//!   sane parameters).
//! - A liquidation price on the other side of the mark (above it for a long, below it for a
//!   short) means the account is liquidatable now.
//! - The engine rounds each value it adds up (PnL down, margin up, to the wei of quote), so
//!   its verdict at prices within a few wei of quote of `p*` (`≈ 3·WAD/|K|` wei of price, `K` in
//!   WAD base units: a few wei for a position of one unit, under one wei from ten) may differ from the formula's.
//! - Held fixed, hence not seen by the lens: collateral priced under the market's own oracle
//!   asset (WETH collateral behind an ETH market, whose value moves with the mark; the engine
//!   does not publish haircuts), and another market on the same asset. For a long backed by
//!   such collateral the true liquidation price is higher than the one returned.
//!
//! # Insolvency probability
//! `model.insolvencyProbability(asset, size > 0, mark, equity, |size|, horizon)`: the chance
//! that the position's loss within `horizon` seconds exceeds the account's whole equity,
//! attributed to that one position (the engine's crate docs). `WAD` (certain) when
//! equity ≤ 0; `0` when the account has no position in the market. The model refuses a
//! horizon beyond ten years (its `ModelArgumentOutOfBounds`, inside `LensExternalCallFailed`).
//!
//! # Units and rounding
//! As the engine's: values are WAD quote, prices WAD quote per whole unit, sizes `int256` WAD
//! base units, fractions and probabilities WAD. `healthFactor` rounds down, as the engine's.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, I256, U256};
use keel_common::abi::Word;
use keel_math::{
    abs, mul_div_down, mul_div_signed_down, mul_div_signed_up, to_signed, MathError, WAD,
};
use stylus_sdk::{prelude::*, storage::StorageAddress};

pub mod calls;
pub mod errors;
pub mod router;

pub use errors::Error;

/// `WAD²`, the scale of the liquidation price's quotient.
const WAD2: U256 = U256::from_limbs([0xb34b_9f10_0000_0000, 0x00c0_97ce_7bc9_0715, 0, 0]);

/// An account's health in one call (see [`MarginLens::account_summary`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Equity, WAD quote.
    pub equity: I256,
    /// Initial margin, WAD quote.
    pub initial_margin: U256,
    /// Maintenance margin, WAD quote.
    pub maintenance_margin: U256,
    /// `equity / maintenanceMargin` (WAD, down): `2^256 − 1` without positions, 0 when
    /// equity ≤ 0.
    pub health_factor: U256,
    /// `equity < maintenanceMargin`.
    pub liquidatable: bool,
}

/// The MarginLens's storage: three addresses fixed by the constructor.
#[storage]
#[entrypoint]
pub struct MarginLens {
    /// The MarginEngine read.
    engine: StorageAddress,
    /// The RiskOracle: `model.oracle()`.
    oracle: StorageAddress,
    /// The RiskModel: maintenance fractions and insolvency probabilities.
    model: StorageAddress,
}

/// The mark at which a position of `size` marked at `mark`, in an account of `equity` and
/// maintenance margin `mm` (WAD), with maintenance fraction `m` (WAD), brings the account to
/// its maintenance margin, every other price held fixed; see the crate docs for the formula,
/// the rounding (up for a long, down for a short) and why it is 0 in the edge cases.
///
/// # Errors
/// `MathError` for values beyond `2^255`.
pub fn liquidation_price(
    size: I256,
    mark: U256,
    m: U256,
    equity: I256,
    mm: U256,
) -> core::result::Result<U256, MathError> {
    let long = size.is_positive();
    let (with_margin, notional) = (
        abs(size).checked_mul(m).ok_or(MathError::Overflow)?,
        abs(size).checked_mul(WAD).ok_or(MathError::Overflow)?,
    );
    // K · WAD² = |size| · m − size · WAD: negative for a long (m < 1), positive for a short.
    let k = if long {
        if with_margin >= notional {
            return Ok(U256::ZERO);
        }
        -to_signed(notional - with_margin)?
    } else {
        to_signed(
            with_margin
                .checked_add(notional)
                .ok_or(MathError::Overflow)?,
        )?
    };
    let gap = equity
        .checked_sub(to_signed(mm)?)
        .ok_or(MathError::Overflow)?;
    let wad2 = to_signed(WAD2)?;
    // Toward +∞ for a long, −∞ for a short: the side that warns earlier.
    let shift = if long {
        mul_div_signed_up(gap, wad2, k)?
    } else {
        mul_div_signed_down(gap, wad2, k)?
    };
    let price = to_signed(mark)?
        .checked_add(shift)
        .ok_or(MathError::Overflow)?;
    Ok(if price.is_positive() {
        price.into_raw()
    } else {
        U256::ZERO
    })
}

impl MarginLens {
    /// Wires the lens to `engine` and `model`, and reads the oracle from `model.oracle()`.
    ///
    /// # Errors
    /// `LensZeroAddress` for a zero address (or a model without an oracle),
    /// `LensExternalCallFailed` if `model.oracle()` fails.
    pub fn constructor(&mut self, engine: Address, model: Address) -> errors::Result<()> {
        if engine.is_zero() || model.is_zero() {
            return Err(errors::zero_address());
        }
        let oracle = self.model_oracle(model)?;
        if oracle.is_zero() {
            return Err(errors::zero_address());
        }
        self.engine.set(engine);
        self.oracle.set(oracle);
        self.model.set(model);
        Ok(())
    }

    /// The mark price of `market` at which `account`'s equity equals its maintenance margin
    /// (see the crate docs: rounding, and 0 for no position or no such positive price).
    ///
    /// # Errors
    /// `LensExternalCallFailed` (e.g. the engine's `EngineUnknownMarket`), `LensInvalidPrice`,
    /// `LensMathError`.
    pub fn liquidation_price(&self, account: U256, market: U256) -> errors::Result<U256> {
        let asset = self.market_asset(market)?;
        let (size, _) = self.position(account, market)?;
        if size.is_zero() {
            return Ok(U256::ZERO);
        }
        let (equity, _, mm) = self.health(account)?;
        let (mark, m) = (self.mark(asset)?, self.maintenance(asset)?);
        Ok(liquidation_price(size, mark, m, equity, mm)?)
    }

    /// The RiskModel's probability (WAD) that `account`'s position in `market` loses its
    /// whole equity within `horizon` seconds (see the crate docs): `WAD` when equity ≤ 0, 0
    /// without a position.
    ///
    /// # Errors
    /// `LensExternalCallFailed` (the engine's `EngineUnknownMarket`, the model's
    /// `ModelArgumentOutOfBounds`, …), `LensInvalidPrice`.
    pub fn insolvency_probability(
        &self,
        account: U256,
        market: U256,
        horizon: U256,
    ) -> errors::Result<U256> {
        let asset = self.market_asset(market)?;
        let (size, _) = self.position(account, market)?;
        if size.is_zero() {
            return Ok(U256::ZERO);
        }
        let (equity, _, _) = self.health(account)?;
        if !equity.is_positive() {
            return Ok(WAD);
        }
        let mark = self.mark(asset)?;
        let words = [
            size.is_positive().word(),
            mark.word(),
            equity.into_raw().word(),
            abs(size).word(),
            horizon.word(),
        ];
        self.probability(asset, words)
    }

    /// `account`'s equity, initial and maintenance margins, health factor and whether it is
    /// liquidatable, from one `engine.accountHealth` call and by the engine's own rules.
    ///
    /// # Errors
    /// `LensExternalCallFailed` (the engine's `EngineInvalidPrice`, …), `LensMathError`.
    pub fn account_summary(&self, account: U256) -> errors::Result<Summary> {
        let (equity, initial_margin, maintenance_margin) = self.health(account)?;
        let health_factor = if maintenance_margin.is_zero() {
            U256::MAX
        } else if !equity.is_positive() {
            U256::ZERO
        } else {
            mul_div_down(equity.into_raw(), WAD, maintenance_margin)?
        };
        Ok(Summary {
            equity,
            initial_margin,
            maintenance_margin,
            health_factor,
            liquidatable: equity < to_signed(maintenance_margin)?,
        })
    }

    /// The engine, the oracle and the model, as set by the constructor.
    pub fn config(&self) -> [Address; 3] {
        [self.engine.get(), self.oracle.get(), self.model.get()]
    }
}

#[cfg(test)]
mod tests;
