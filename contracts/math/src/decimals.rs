//! Conversion of token amounts between a token's own decimals and WAD (18 decimals).
//!
//! Scaling up (fewer than 18 decimals into WAD, WAD into more than 18 decimals) is exact
//! or [`MathError::Overflow`]. Scaling down divides and names its rounding.

use alloy_primitives::U256;

use crate::div::quotient;
use crate::{div_up, MathError, MathResult};

/// The WAD exponent: WAD values carry 18 decimals.
const WAD_DECIMALS: u8 = 18;

/// `10^exponent`, or `None` when it exceeds `U256::MAX` (exponent > 77).
fn checked_pow10(exponent: u8) -> Option<U256> {
    U256::from(10u8).checked_pow(U256::from(exponent))
}

/// `10^exponent`, exact: the scale of a token with `exponent` decimals.
///
/// # Errors
/// [`MathError::Overflow`] for `exponent > 77` (the power exceeds `U256::MAX`). MUST NOT panic.
pub fn pow10(exponent: u8) -> MathResult<U256> {
    checked_pow10(exponent).ok_or(MathError::Overflow)
}

/// `amount · 10^exponent`, exact.
fn scale_up(amount: U256, exponent: u8) -> MathResult<U256> {
    if amount.is_zero() {
        return Ok(amount);
    }
    checked_pow10(exponent)
        .and_then(|factor| amount.checked_mul(factor))
        .ok_or(MathError::Overflow)
}

/// `amount / 10^exponent`, rounded up when `up`, down otherwise.
fn scale_down(amount: U256, exponent: u8, up: bool) -> U256 {
    match checked_pow10(exponent) {
        // A power of ten is never zero, so neither division can fail.
        Some(factor) if up => div_up(amount, factor).unwrap_or(U256::MAX),
        Some(factor) => quotient(amount, factor),
        // 10^exponent > U256::MAX >= amount: the quotient lies in [0, 1).
        None if up && !amount.is_zero() => U256::from(1u8),
        None => U256::ZERO,
    }
}

/// Converts `amount` of a token with `decimals` decimals to WAD, exactly.
///
/// Defined for `decimals <= 18`, where the conversion multiplies by `10^(18 - decimals)`
/// and never rounds. Tokens with more decimals lose precision on the way to WAD: use
/// [`to_wad_down`] or [`to_wad_up`], which name the rounding.
///
/// # Errors
/// [`MathError::OutOfDomain`] if `decimals > 18`; [`MathError::Overflow`] if the result
/// exceeds `U256::MAX`.
pub fn to_wad(amount: U256, decimals: u8) -> MathResult<U256> {
    if decimals > WAD_DECIMALS {
        return Err(MathError::OutOfDomain);
    }
    scale_up(amount, WAD_DECIMALS - decimals)
}

/// Converts `amount` of a token with `decimals` decimals to WAD, rounding down.
///
/// Exact for `decimals <= 18`; for `decimals > 18` returns `floor(amount / 10^(decimals - 18))`.
///
/// # Errors
/// [`MathError::Overflow`] if the result exceeds `U256::MAX` (only possible for
/// `decimals < 18`).
pub fn to_wad_down(amount: U256, decimals: u8) -> MathResult<U256> {
    match decimals.checked_sub(WAD_DECIMALS) {
        Some(extra) => Ok(scale_down(amount, extra, false)),
        None => scale_up(amount, WAD_DECIMALS - decimals),
    }
}

/// Converts `amount` of a token with `decimals` decimals to WAD, rounding up.
///
/// Exact for `decimals <= 18`; for `decimals > 18` returns `ceil(amount / 10^(decimals - 18))`.
///
/// # Errors
/// [`MathError::Overflow`] if the result exceeds `U256::MAX` (only possible for
/// `decimals < 18`).
pub fn to_wad_up(amount: U256, decimals: u8) -> MathResult<U256> {
    match decimals.checked_sub(WAD_DECIMALS) {
        Some(extra) => Ok(scale_down(amount, extra, true)),
        None => scale_up(amount, WAD_DECIMALS - decimals),
    }
}

/// Converts a WAD value to an amount of a token with `decimals` decimals, rounding down.
///
/// Returns `floor(wad / 10^(18 - decimals))` for `decimals < 18` and the exact
/// `wad · 10^(decimals - 18)` otherwise.
///
/// # Errors
/// [`MathError::Overflow`] if the result exceeds `U256::MAX` (only possible for
/// `decimals > 18`).
pub fn from_wad_down(wad: U256, decimals: u8) -> MathResult<U256> {
    match WAD_DECIMALS.checked_sub(decimals) {
        Some(extra) => Ok(scale_down(wad, extra, false)),
        None => scale_up(wad, decimals - WAD_DECIMALS),
    }
}

/// Converts a WAD value to an amount of a token with `decimals` decimals, rounding up.
///
/// Returns `ceil(wad / 10^(18 - decimals))` for `decimals < 18` and the exact
/// `wad · 10^(decimals - 18)` otherwise.
///
/// # Errors
/// [`MathError::Overflow`] if the result exceeds `U256::MAX` (only possible for
/// `decimals > 18`).
pub fn from_wad_up(wad: U256, decimals: u8) -> MathResult<U256> {
    match WAD_DECIMALS.checked_sub(decimals) {
        Some(extra) => Ok(scale_down(wad, extra, true)),
        None => scale_up(wad, decimals - WAD_DECIMALS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(v: u128) -> U256 {
        U256::from(v)
    }

    #[test]
    fn six_decimal_amount_scales_up_exactly() {
        assert_eq!(to_wad(u(1_500_000), 6), Ok(u(1_500_000_000_000_000_000)));
        assert_eq!(to_wad_down(u(1_500_000), 6), to_wad(u(1_500_000), 6));
        assert_eq!(to_wad_up(u(1_500_000), 6), to_wad(u(1_500_000), 6));
    }

    #[test]
    fn eighteen_decimals_is_the_identity() {
        for amount in [U256::ZERO, u(1), U256::MAX] {
            assert_eq!(to_wad(amount, 18), Ok(amount));
            assert_eq!(from_wad_down(amount, 18), Ok(amount));
            assert_eq!(from_wad_up(amount, 18), Ok(amount));
        }
    }

    #[test]
    fn exact_conversion_refuses_more_than_eighteen_decimals() {
        assert_eq!(to_wad(u(1), 19), Err(MathError::OutOfDomain));
    }

    #[test]
    fn more_than_eighteen_decimals_rounds_as_named() {
        assert_eq!(to_wad_down(u(25), 19), Ok(u(2)));
        assert_eq!(to_wad_up(u(25), 19), Ok(u(3)));
        assert_eq!(to_wad_up(u(20), 19), Ok(u(2)));
    }

    #[test]
    fn divisor_beyond_u256_rounds_to_zero_or_one() {
        // 10^(255 - 18) does not fit 256 bits: every amount is below one WAD unit.
        assert_eq!(to_wad_down(U256::MAX, 255), Ok(U256::ZERO));
        assert_eq!(to_wad_up(U256::MAX, 255), Ok(u(1)));
        assert_eq!(to_wad_up(U256::ZERO, 255), Ok(U256::ZERO));
    }

    #[test]
    fn scaling_up_past_u256_max_is_overflow() {
        assert_eq!(to_wad(U256::MAX, 0), Err(MathError::Overflow));
        assert_eq!(from_wad_down(u(2), 96), Err(MathError::Overflow));
        assert_eq!(from_wad_up(u(1), 200), Err(MathError::Overflow));
        assert_eq!(from_wad_up(U256::ZERO, 200), Ok(U256::ZERO));
    }

    #[test]
    fn wad_to_six_decimals_rounds_as_named() {
        let wad = u(1_234_567_890_000_000_001);
        assert_eq!(from_wad_down(wad, 6), Ok(u(1_234_567)));
        assert_eq!(from_wad_up(wad, 6), Ok(u(1_234_568)));
        assert_eq!(from_wad_up(u(1_000_000_000_000), 6), Ok(u(1)));
    }

    #[test]
    fn wad_to_more_decimals_is_exact() {
        assert_eq!(from_wad_down(u(3), 24), Ok(u(3_000_000)));
        assert_eq!(from_wad_up(u(3), 24), Ok(u(3_000_000)));
    }
}
