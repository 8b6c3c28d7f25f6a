//! Every way a call to the MarginLens can fail, as Solidity custom errors. The lens changes
//! nothing, so a failing call has nothing to undo.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256};
use alloy_sol_types::{sol, SolError};
use keel_common::abi::{encode, Word};
use keel_math::MathError;

sol! {
    /// The constructor got a zero `engine` or `model`, or the model reports a zero oracle.
    error LensZeroAddress();
    /// The oracle has no price at all (zero) for `asset`.
    error LensInvalidPrice(address asset);
    /// A call to `target` reverted (its revert data is `reason`, e.g. the engine's
    /// `EngineUnknownMarket` or the model's `ModelArgumentOutOfBounds`) or returned too little.
    error LensExternalCallFailed(address target, bytes reason);
    /// Arithmetic out of range (absurd sizes or prices).
    error LensMathError();
}

/// A failed call's revert data: one of the custom errors above, ABI-encoded when it is made.
pub struct Error(Vec<u8>);

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Self {
        err.0
    }
}

impl From<MathError> for Error {
    fn from(_: MathError) -> Self {
        Self(encode(LensMathError::SELECTOR, &[], None))
    }
}

/// Shorthand for a call's result.
pub type Result<T> = core::result::Result<T, Error>;

/// [`LensZeroAddress`].
pub(crate) fn zero_address() -> Error {
    Error(encode(LensZeroAddress::SELECTOR, &[], None))
}

/// [`LensInvalidPrice`].
pub(crate) fn invalid_price(asset: Address) -> Error {
    Error(encode(LensInvalidPrice::SELECTOR, &[asset.word()], None))
}

/// [`LensExternalCallFailed`]: a call to `target` failed with (or returned) `reason`.
pub(crate) fn call_failed(target: Address, reason: Vec<u8>) -> Error {
    let words: [B256; 1] = [target.word()];
    Error(encode(
        LensExternalCallFailed::SELECTOR,
        &words,
        Some(&reason),
    ))
}
