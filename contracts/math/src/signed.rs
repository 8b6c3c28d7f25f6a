//! Signed fixed-point helpers over [`I256`].
//!
//! Signed values are alloy's two's-complement `I256`; see the crate documentation for why.
//! Divisions round toward negative infinity (`*_down`) or toward positive infinity (`*_up`),
//! never toward zero, so that "down" means "smaller" whatever the sign.

use alloy_primitives::{Sign, I256, U256};

use crate::fixed::mul_div_rem;
use crate::{MathError, MathResult, WAD};

/// Converts an unsigned value to `I256`.
///
/// # Errors
/// [`MathError::Overflow`] if `x > I256::MAX` (`2^255 - 1`).
pub fn to_signed(x: U256) -> MathResult<I256> {
    from_sign_and_magnitude(false, x)
}

/// Converts a signed value to `U256`.
///
/// # Errors
/// [`MathError::Overflow`] if `x` is negative.
pub fn to_unsigned(x: I256) -> MathResult<U256> {
    if x.is_negative() {
        Err(MathError::Overflow)
    } else {
        Ok(x.into_raw())
    }
}

/// `|x|` as `U256`. Total: `|I256::MIN| = 2^255` fits `U256`.
pub fn abs(x: I256) -> U256 {
    x.unsigned_abs()
}

/// The `I256` with the given sign and magnitude.
///
/// # Errors
/// [`MathError::Overflow`] if the magnitude exceeds `2^255 - 1` (or `2^255` when negative).
pub(crate) fn from_sign_and_magnitude(negative: bool, magnitude: U256) -> MathResult<I256> {
    let sign = if negative {
        Sign::Negative
    } else {
        Sign::Positive
    };
    I256::checked_from_sign_and_abs(sign, magnitude).ok_or(MathError::Overflow)
}

/// `x · y / d` over signed values with a 512-bit intermediate, rounded toward `-∞` when
/// `up == false` and toward `+∞` when `up == true`.
fn mul_div_signed(x: I256, y: I256, d: I256, up: bool) -> MathResult<I256> {
    let negative = x.is_negative() ^ y.is_negative() ^ d.is_negative();
    let (quotient, remainder) = mul_div_rem(x.unsigned_abs(), y.unsigned_abs(), d.unsigned_abs())?;
    // Rounding the magnitude up moves a negative result down and a positive result up.
    let round_magnitude_up = !remainder.is_zero() && (negative != up);
    let magnitude = if round_magnitude_up {
        quotient
            .checked_add(U256::from(1u8))
            .ok_or(MathError::Overflow)?
    } else {
        quotient
    };
    from_sign_and_magnitude(negative, magnitude)
}

/// `floor(x · y / d)` over signed values (rounds toward negative infinity), exact through a
/// 512-bit intermediate.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `d == 0`; [`MathError::Overflow`] if the result lies
/// outside `[I256::MIN, I256::MAX]`.
pub fn mul_div_signed_down(x: I256, y: I256, d: I256) -> MathResult<I256> {
    mul_div_signed(x, y, d, false)
}

/// `ceil(x · y / d)` over signed values (rounds toward positive infinity), exact through a
/// 512-bit intermediate.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `d == 0`; [`MathError::Overflow`] if the result lies
/// outside `[I256::MIN, I256::MAX]`.
pub fn mul_div_signed_up(x: I256, y: I256, d: I256) -> MathResult<I256> {
    mul_div_signed(x, y, d, true)
}

/// The signed WAD unit, `1e18`.
const SIGNED_WAD: I256 = I256::from_raw(WAD);

/// `floor(x · y / 1e18)`: product of two signed WAD numbers, toward negative infinity.
///
/// # Errors
/// [`MathError::Overflow`] if the result lies outside `[I256::MIN, I256::MAX]`.
pub fn mul_wad_signed_down(x: I256, y: I256) -> MathResult<I256> {
    mul_div_signed(x, y, SIGNED_WAD, false)
}

/// `ceil(x · y / 1e18)`: product of two signed WAD numbers, toward positive infinity.
///
/// # Errors
/// [`MathError::Overflow`] if the result lies outside `[I256::MIN, I256::MAX]`.
pub fn mul_wad_signed_up(x: I256, y: I256) -> MathResult<I256> {
    mul_div_signed(x, y, SIGNED_WAD, true)
}

/// `floor(x · 1e18 / y)`: quotient of two signed WAD numbers, toward negative infinity.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `y == 0`; [`MathError::Overflow`] if the result lies
/// outside `[I256::MIN, I256::MAX]`.
pub fn div_wad_signed_down(x: I256, y: I256) -> MathResult<I256> {
    mul_div_signed(x, SIGNED_WAD, y, false)
}

/// `ceil(x · 1e18 / y)`: quotient of two signed WAD numbers, toward positive infinity.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `y == 0`; [`MathError::Overflow`] if the result lies
/// outside `[I256::MIN, I256::MAX]`.
pub fn div_wad_signed_up(x: I256, y: I256) -> MathResult<I256> {
    mul_div_signed(x, SIGNED_WAD, y, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i128) -> I256 {
        I256::try_from(v).unwrap()
    }

    #[test]
    fn unsigned_to_signed_fails_above_i256_max() {
        assert_eq!(to_signed(I256::MAX.into_raw()), Ok(I256::MAX));
        assert_eq!(
            to_signed(I256::MAX.into_raw() + U256::from(1u8)),
            Err(MathError::Overflow)
        );
    }

    #[test]
    fn signed_to_unsigned_fails_below_zero() {
        assert_eq!(to_unsigned(I256::ZERO), Ok(U256::ZERO));
        assert_eq!(to_unsigned(I256::MAX), Ok(I256::MAX.into_raw()));
        assert_eq!(to_unsigned(i(-1)), Err(MathError::Overflow));
    }

    #[test]
    fn abs_of_min_is_two_to_the_255() {
        assert_eq!(abs(I256::MIN), U256::from(1u8) << 255);
        assert_eq!(abs(i(-7)), U256::from(7u8));
        assert_eq!(abs(i(7)), U256::from(7u8));
    }

    #[test]
    fn down_rounds_toward_negative_infinity() {
        assert_eq!(mul_div_signed_down(i(7), i(1), i(2)), Ok(i(3)));
        assert_eq!(mul_div_signed_down(i(-7), i(1), i(2)), Ok(i(-4)));
        assert_eq!(mul_div_signed_down(i(7), i(-1), i(2)), Ok(i(-4)));
        assert_eq!(mul_div_signed_down(i(7), i(1), i(-2)), Ok(i(-4)));
        assert_eq!(mul_div_signed_down(i(-7), i(-1), i(2)), Ok(i(3)));
    }

    #[test]
    fn up_rounds_toward_positive_infinity() {
        assert_eq!(mul_div_signed_up(i(7), i(1), i(2)), Ok(i(4)));
        assert_eq!(mul_div_signed_up(i(-7), i(1), i(2)), Ok(i(-3)));
        assert_eq!(mul_div_signed_up(i(-7), i(-1), i(-2)), Ok(i(-3)));
    }

    #[test]
    fn exact_signed_quotients_do_not_round() {
        assert_eq!(mul_div_signed_down(i(-6), i(1), i(2)), Ok(i(-3)));
        assert_eq!(mul_div_signed_up(i(-6), i(1), i(2)), Ok(i(-3)));
    }

    #[test]
    fn i256_min_is_reachable_but_not_exceeded() {
        assert_eq!(mul_div_signed_down(I256::MIN, i(1), i(1)), Ok(I256::MIN));
        assert_eq!(
            mul_div_signed_down(I256::MIN, i(-1), i(1)),
            Err(MathError::Overflow)
        );
        assert_eq!(mul_div_signed_up(I256::MAX, i(1), i(1)), Ok(I256::MAX));
    }

    #[test]
    fn signed_division_by_zero_is_typed() {
        assert_eq!(
            mul_div_signed_down(i(1), i(1), I256::ZERO),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(
            div_wad_signed_up(i(1), I256::ZERO),
            Err(MathError::DivisionByZero)
        );
    }

    #[test]
    fn signed_wad_helpers_scale_by_1e18() {
        let wad = 1_000_000_000_000_000_000i128;
        assert_eq!(mul_wad_signed_down(i(-3), i(wad / 2)), Ok(i(-2)));
        assert_eq!(mul_wad_signed_up(i(-3), i(wad / 2)), Ok(i(-1)));
        assert_eq!(
            div_wad_signed_down(i(-1), i(3)),
            Ok(i(-333_333_333_333_333_334))
        );
        assert_eq!(
            div_wad_signed_up(i(-1), i(3)),
            Ok(i(-333_333_333_333_333_333))
        );
    }
}
