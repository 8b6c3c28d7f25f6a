//! Exact `x · y / d` with a 512-bit intermediate, and the WAD/RAY shorthands built on it.
//!
//! Every function names its rounding. `*_down` is the floor of the exact quotient, `*_up` its
//! ceiling; the two differ by exactly 1 when the division is inexact and are equal otherwise.
//! Nothing here approximates: results are exact or a typed error.

use alloy_primitives::{U256, U512};

use crate::{div::div_rem_wide, MathError, MathResult};

/// `1e18`: the unit of WAD fixed-point numbers (18 decimals).
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

/// `1e27`: the unit of RAY fixed-point numbers (27 decimals).
pub const RAY: U256 = U256::from_limbs([0x9fd0_803c_e800_0000, 0x033b_2e3c, 0, 0]);

/// Floor quotient and remainder of `x · y / d`, computed exactly through a 512-bit product.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `d == 0`; [`MathError::Overflow`] if the quotient does not
/// fit 256 bits.
pub(crate) fn mul_div_rem(x: U256, y: U256, d: U256) -> MathResult<(U256, U256)> {
    if d.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    let product: U512 = x.widening_mul(y);
    let [l0, l1, l2, l3, h0, h1, h2, h3] = product.into_limbs();
    let high = U256::from_limbs([h0, h1, h2, h3]);
    // product = high · 2^256 + low, so the quotient fits 256 bits exactly when high < d.
    if high >= d {
        return Err(MathError::Overflow);
    }
    Ok(div_rem_wide(high, U256::from_limbs([l0, l1, l2, l3]), d))
}

/// `floor(x · y / d)`, exact for every input (the product is held in 512 bits).
///
/// Monotone non-decreasing in `x` and `y`, non-increasing in `d`.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `d == 0`; [`MathError::Overflow`] if the result exceeds
/// `U256::MAX`. MUST NOT panic.
pub fn mul_div_down(x: U256, y: U256, d: U256) -> MathResult<U256> {
    mul_div_rem(x, y, d).map(|(quotient, _)| quotient)
}

/// `ceil(x · y / d)`, exact for every input (the product is held in 512 bits).
///
/// Equals [`mul_div_down`] when `d` divides `x · y`, and exceeds it by exactly 1 otherwise.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `d == 0`; [`MathError::Overflow`] if the result exceeds
/// `U256::MAX` (including the case where only the rounding up overflows). MUST NOT panic.
pub fn mul_div_up(x: U256, y: U256, d: U256) -> MathResult<U256> {
    let (quotient, remainder) = mul_div_rem(x, y, d)?;
    if remainder.is_zero() {
        Ok(quotient)
    } else {
        quotient
            .checked_add(U256::from(1u8))
            .ok_or(MathError::Overflow)
    }
}

/// `floor(x · y / 1e18)`: the product of two WAD numbers, rounded down.
///
/// # Errors
/// [`MathError::Overflow`] if the result exceeds `U256::MAX`.
pub fn mul_wad_down(x: U256, y: U256) -> MathResult<U256> {
    mul_div_down(x, y, WAD)
}

/// `ceil(x · y / 1e18)`: the product of two WAD numbers, rounded up.
///
/// # Errors
/// [`MathError::Overflow`] if the result exceeds `U256::MAX`.
pub fn mul_wad_up(x: U256, y: U256) -> MathResult<U256> {
    mul_div_up(x, y, WAD)
}

/// `floor(x · 1e18 / y)`: the quotient of two WAD numbers, rounded down.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `y == 0`; [`MathError::Overflow`] if the result exceeds
/// `U256::MAX`.
pub fn div_wad_down(x: U256, y: U256) -> MathResult<U256> {
    mul_div_down(x, WAD, y)
}

/// `ceil(x · 1e18 / y)`: the quotient of two WAD numbers, rounded up.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `y == 0`; [`MathError::Overflow`] if the result exceeds
/// `U256::MAX`.
pub fn div_wad_up(x: U256, y: U256) -> MathResult<U256> {
    mul_div_up(x, WAD, y)
}

/// `floor(x · y / 1e27)`: the product of two RAY numbers, rounded down.
///
/// # Errors
/// [`MathError::Overflow`] if the result exceeds `U256::MAX`.
pub fn mul_ray_down(x: U256, y: U256) -> MathResult<U256> {
    mul_div_down(x, y, RAY)
}

/// `ceil(x · y / 1e27)`: the product of two RAY numbers, rounded up.
///
/// # Errors
/// [`MathError::Overflow`] if the result exceeds `U256::MAX`.
pub fn mul_ray_up(x: U256, y: U256) -> MathResult<U256> {
    mul_div_up(x, y, RAY)
}

/// `floor(x · 1e27 / y)`: the quotient of two RAY numbers, rounded down.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `y == 0`; [`MathError::Overflow`] if the result exceeds
/// `U256::MAX`.
pub fn div_ray_down(x: U256, y: U256) -> MathResult<U256> {
    mul_div_down(x, RAY, y)
}

/// `ceil(x · 1e27 / y)`: the quotient of two RAY numbers, rounded up.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `y == 0`; [`MathError::Overflow`] if the result exceeds
/// `U256::MAX`.
pub fn div_ray_up(x: U256, y: U256) -> MathResult<U256> {
    mul_div_up(x, RAY, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: U256 = U256::from_limbs([1, 0, 0, 0]);

    #[test]
    fn wad_and_ray_are_powers_of_ten() {
        assert_eq!(WAD, U256::from(10u8).pow(U256::from(18u8)));
        assert_eq!(RAY, U256::from(10u8).pow(U256::from(27u8)));
    }

    #[test]
    fn exact_division_rounds_neither_way() {
        let x = U256::from(6u8);
        assert_eq!(
            mul_div_down(x, U256::from(4u8), U256::from(3u8)),
            Ok(U256::from(8u8))
        );
        assert_eq!(
            mul_div_up(x, U256::from(4u8), U256::from(3u8)),
            Ok(U256::from(8u8))
        );
    }

    #[test]
    fn inexact_division_rounds_down_and_up_by_one() {
        let (x, y, d) = (U256::from(7u8), U256::from(3u8), U256::from(2u8));
        assert_eq!(mul_div_down(x, y, d), Ok(U256::from(10u8)));
        assert_eq!(mul_div_up(x, y, d), Ok(U256::from(11u8)));
    }

    #[test]
    fn product_beyond_256_bits_still_divides_exactly() {
        // (2^256 - 1)^2 / (2^256 - 1) = 2^256 - 1: the product needs 512 bits.
        assert_eq!(mul_div_down(U256::MAX, U256::MAX, U256::MAX), Ok(U256::MAX));
        assert_eq!(mul_div_up(U256::MAX, U256::MAX, U256::MAX), Ok(U256::MAX));
    }

    #[test]
    fn zero_divisor_is_division_by_zero() {
        assert_eq!(
            mul_div_down(ONE, ONE, U256::ZERO),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(
            mul_div_up(ONE, ONE, U256::ZERO),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(
            div_wad_down(ONE, U256::ZERO),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(div_ray_up(ONE, U256::ZERO), Err(MathError::DivisionByZero));
    }

    #[test]
    fn quotient_above_u256_max_is_overflow() {
        assert_eq!(
            mul_div_down(U256::MAX, U256::from(2u8), ONE),
            Err(MathError::Overflow)
        );
        assert_eq!(mul_wad_down(U256::MAX, WAD + ONE), Err(MathError::Overflow));
    }

    #[test]
    fn rounding_up_past_u256_max_is_overflow() {
        // With x = 2^256 - 2, y = d + 1 and 2^255 < d: x · y = MAX · d + (MAX - d - 1), so the
        // floor is MAX with a non-zero remainder, and the ceiling would be 2^256.
        let d = (ONE << 255) + U256::from(5u8);
        let x = U256::MAX - ONE;
        assert_eq!(mul_div_down(x, d + ONE, d), Ok(U256::MAX));
        assert_eq!(mul_div_up(x, d + ONE, d), Err(MathError::Overflow));
    }

    #[test]
    fn wad_helpers_scale_by_1e18() {
        let half = WAD / U256::from(2u8);
        assert_eq!(mul_wad_down(half, half), Ok(WAD / U256::from(4u8)));
        assert_eq!(
            div_wad_down(ONE, U256::from(3u8)),
            Ok(U256::from(333_333_333_333_333_333u64))
        );
        assert_eq!(
            div_wad_up(ONE, U256::from(3u8)),
            Ok(U256::from(333_333_333_333_333_334u64))
        );
        assert_eq!(mul_wad_down(ONE, ONE), Ok(U256::ZERO));
        assert_eq!(mul_wad_up(ONE, ONE), Ok(ONE));
    }

    #[test]
    fn ray_helpers_scale_by_1e27() {
        assert_eq!(mul_ray_down(RAY, U256::from(5u8)), Ok(U256::from(5u8)));
        assert_eq!(mul_ray_up(ONE, ONE), Ok(ONE));
        assert_eq!(
            div_ray_down(U256::from(2u8), U256::from(3u8)),
            Ok(RAY * U256::from(2u8) / U256::from(3u8))
        );
        assert_eq!(
            div_ray_up(U256::from(2u8), U256::from(3u8)),
            Ok(RAY * U256::from(2u8) / U256::from(3u8) + ONE)
        );
    }
}
