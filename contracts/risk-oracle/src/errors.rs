//! Typed Solidity errors of the RiskOracle.
//!
//! Every rejected call reverts with one of these and changes nothing. Names
//! follow EIP-6093: the name says what was violated, the arguments say by how
//! much.

use alloy_primitives::{aliases::U80, Address, B256, U256};
use alloy_sol_types::sol;
use keel_math::MathError;
use stylus_sdk::prelude::*;

sol! {
    #![sol(all_derives)]

    /// `caller` does not hold the role the function requires.
    error OracleUnauthorized(address caller);
    /// An address that must be set (admin, feed) is zero.
    error OracleZeroAddress();
    /// `what` names no parameter of the called setter.
    error OracleUnknownParameter(bytes32 what);
    /// Parameter `what` must lie in `[min, max]`; `data` does not.
    error OracleParameterOutOfBounds(bytes32 what, uint256 data, uint256 min, uint256 max);
    /// `asset` has no feed.
    error OracleUnknownAsset(address asset);
    /// `poke` is paused (or, from `pause`, already paused).
    error OraclePaused();
    /// `unpause` while `poke` is not paused.
    error OracleNotPaused();
    /// The call to `feed` reverted or returned data that is not a valid answer.
    error OracleFeedCallFailed(address feed);
    /// The feed's latest round (`roundId`, `answer`, `updatedAt`) failed the
    /// price guard for `reason`, the status code `priceData` reports too:
    /// 3 incomplete round (`updatedAt` zero or `answeredInRound` behind the
    /// round), 4 invalid answer (not positive, or beyond `2^128` WAD), 5
    /// `updatedAt` in the future, 6 older than the heartbeat, 7 before the
    /// last accepted round, 8 beyond `maxJump` of the last accepted price.
    error OraclePriceRejected(address asset, uint8 reason, uint80 roundId, int256 answer, uint256 updatedAt);
    /// The feed's latest round `roundId` was already accepted: nothing to poke.
    error OracleNoNewPrice(address asset, uint80 roundId);
    /// Fixed-point arithmetic failed (`kind`: 0 overflow, 1 division by zero,
    /// 2 outside the domain); unreachable for the stored parameter ranges,
    /// kept so that a bug reverts with a reason instead of trapping.
    error OracleMathError(uint8 kind);
}

/// Every way a call to the RiskOracle can fail.
#[derive(SolidityError, Clone, Debug, PartialEq, Eq)]
pub enum OracleError {
    /// See [`OracleUnauthorized`].
    Unauthorized(OracleUnauthorized),
    /// See [`OracleZeroAddress`].
    ZeroAddress(OracleZeroAddress),
    /// See [`OracleUnknownParameter`].
    UnknownParameter(OracleUnknownParameter),
    /// See [`OracleParameterOutOfBounds`].
    ParameterOutOfBounds(OracleParameterOutOfBounds),
    /// See [`OracleUnknownAsset`].
    UnknownAsset(OracleUnknownAsset),
    /// See [`OraclePaused`].
    Paused(OraclePaused),
    /// See [`OracleNotPaused`].
    NotPaused(OracleNotPaused),
    /// See [`OracleFeedCallFailed`].
    FeedCallFailed(OracleFeedCallFailed),
    /// See [`OraclePriceRejected`].
    PriceRejected(OraclePriceRejected),
    /// See [`OracleNoNewPrice`].
    NoNewPrice(OracleNoNewPrice),
    /// See [`OracleMathError`].
    Math(OracleMathError),
}

impl From<MathError> for OracleError {
    fn from(error: MathError) -> Self {
        let kind = match error {
            MathError::Overflow => 0,
            MathError::DivisionByZero => 1,
            MathError::OutOfDomain => 2,
        };
        Self::Math(OracleMathError { kind })
    }
}

impl OracleError {
    /// `OracleUnauthorized(caller)`.
    pub(crate) fn unauthorized(caller: Address) -> Self {
        Self::Unauthorized(OracleUnauthorized { caller })
    }

    /// `OracleParameterOutOfBounds(what, data, min, max)`.
    pub(crate) fn out_of_bounds(what: B256, data: U256, (min, max): (U256, U256)) -> Self {
        Self::ParameterOutOfBounds(OracleParameterOutOfBounds {
            what,
            data,
            min,
            max,
        })
    }

    /// `OracleUnknownAsset(asset)`.
    pub(crate) fn unknown_asset(asset: Address) -> Self {
        Self::UnknownAsset(OracleUnknownAsset { asset })
    }

    /// `OracleNoNewPrice(asset, roundId)`.
    pub(crate) fn no_new_price(asset: Address, round_id: U80) -> Self {
        Self::NoNewPrice(OracleNoNewPrice {
            asset,
            roundId: round_id,
        })
    }
}
