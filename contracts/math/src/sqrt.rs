//! Exact integer square roots, and square roots of WAD numbers.
//!
//! All results are exact floors or ceilings (no approximation error). The 256-bit root starts
//! from the native `u128::isqrt` of the top bits, which is within `2^-63` relative, so Newton's
//! iteration needs two or three divisions.

use alloy_primitives::{U256, U512};

use crate::div::quotient;
use crate::fixed::mul_div_down;
use crate::q::low_u128;
use crate::{MathResult, WAD};

/// `1e9 = √1e18`.
const GIGA: U256 = U256::from_limbs([1_000_000_000, 0, 0, 0]);

/// `floor(√x)`, exact.
///
/// Monotone non-decreasing. MUST NOT panic.
pub fn sqrt(x: U256) -> U256 {
    if x.bit_len() <= 128 {
        return U256::from(low_u128(x).isqrt());
    }
    // x = top · 4^s + rest with top < 2^128; √x < (isqrt(top) + 1) · 2^s.
    let s = (x.bit_len() - 127) / 2;
    let top = low_u128(x >> (2 * s));
    let start = U256::from(top.isqrt() + 1) << s;
    // Newton's iteration from above: the iterates decrease strictly until they reach
    // floor(√x), where the next one is not smaller. z stays in [2^64, 2^128]: no division by
    // zero, and z + x/z < 2^130.
    let mut z = start;
    loop {
        let next = (z + quotient(x, z)) >> 1;
        if next >= z {
            return z;
        }
        z = next;
    }
}

/// `ceil(√x)`, exact.
///
/// Equals [`sqrt`] when `x` is a perfect square and exceeds it by 1 otherwise. MUST NOT panic.
pub fn sqrt_up(x: U256) -> U256 {
    let root = sqrt(x);
    // root < 2^128, so root² fits and root + 1 cannot overflow.
    if root * root < x {
        root + U256::from(1u8)
    } else {
        root
    }
}

/// `floor(√(x · 1e18))`: the square root of a WAD number, in WAD, rounded down. Exact for
/// every `x` — the product `x · 1e18` is handled in 512 bits when it exceeds 256.
///
/// Monotone non-decreasing.
///
/// # Errors
/// None in practice: the result is at most `√(2^256 · 1e18) < 2^158`. The `Result` keeps the
/// signature uniform with the other WAD functions. MUST NOT panic.
pub fn sqrt_wad(x: U256) -> MathResult<U256> {
    if let Some(product) = x.checked_mul(WAD) {
        return Ok(sqrt(product));
    }
    // x >= 2^196: √(x · 1e18) = 1e9 · √x, so (isqrt(x) + 1) · 1e9 is an upper bound within
    // 2^-97 relative; Newton's step divides the 512-bit x · 1e18 by z through mul_div.
    let mut z = (sqrt(x) + U256::from(1u8)) * GIGA;
    loop {
        // z >= 2^97 · 1e9, so the quotient x · 1e18 / z < 2^160 fits.
        let next = (z + mul_div_down(x, WAD, z)?) >> 1;
        if next >= z {
            return Ok(z);
        }
        z = next;
    }
}

/// `ceil(√(x · 1e18))`: the square root of a WAD number, in WAD, rounded up. Exact.
///
/// # Errors
/// None in practice (see [`sqrt_wad`]). MUST NOT panic.
pub fn sqrt_wad_up(x: U256) -> MathResult<U256> {
    let root = sqrt_wad(x)?;
    let square: U512 = root.widening_mul(root);
    let target: U512 = x.widening_mul(WAD);
    Ok(if square < target {
        root + U256::from(1u8)
    } else {
        root
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(v: u128) -> U256 {
        U256::from(v)
    }

    #[test]
    fn small_roots_are_exact_floors() {
        assert_eq!(sqrt(u(0)), u(0));
        assert_eq!(sqrt(u(1)), u(1));
        assert_eq!(sqrt(u(15)), u(3));
        assert_eq!(sqrt(u(16)), u(4));
        assert_eq!(sqrt(u(17)), u(4));
    }

    #[test]
    fn root_of_u256_max_is_u128_max() {
        assert_eq!(sqrt(U256::MAX), U256::from(u128::MAX));
        assert_eq!(sqrt_up(U256::MAX), U256::from(1u8) << 128);
    }

    #[test]
    fn roots_of_squares_around_the_128_bit_boundary_are_exact() {
        let r = U256::from(u128::MAX);
        assert_eq!(sqrt(r * r), r);
        assert_eq!(sqrt(r * r - u(1)), r - u(1));
        let big = (U256::from(1u8) << 120) + u(12345);
        assert_eq!(sqrt(big * big), big);
        assert_eq!(sqrt(big * big - u(1)), big - u(1));
        assert_eq!(sqrt(big * big + big + big), big);
    }

    #[test]
    fn ceiling_root_adds_one_only_for_non_squares() {
        assert_eq!(sqrt_up(u(16)), u(4));
        assert_eq!(sqrt_up(u(17)), u(5));
        assert_eq!(sqrt_up(u(0)), u(0));
    }

    #[test]
    fn wad_root_of_four_is_two() {
        assert_eq!(sqrt_wad(u(4) * WAD), Ok(u(2) * WAD));
        assert_eq!(sqrt_wad_up(u(4) * WAD), Ok(u(2) * WAD));
    }

    #[test]
    fn wad_root_of_two_rounds_as_named() {
        // √2 = 1.414213562373095048801688...
        assert_eq!(sqrt_wad(u(2) * WAD), Ok(u(1_414_213_562_373_095_048)));
        assert_eq!(sqrt_wad_up(u(2) * WAD), Ok(u(1_414_213_562_373_095_049)));
    }

    #[test]
    fn wad_root_of_u256_max_needs_512_bits_and_is_exact() {
        let root = sqrt_wad(U256::MAX).unwrap();
        let square: U512 = root.widening_mul(root);
        let next: U512 = (root + u(1)).widening_mul(root + u(1));
        let target: U512 = U256::MAX.widening_mul(WAD);
        assert!(square <= target && target < next);
        assert_eq!(sqrt_wad_up(U256::MAX), Ok(root + u(1)));
    }

    #[test]
    fn wad_root_is_continuous_across_the_512_bit_switch() {
        let boundary = U256::MAX / WAD;
        for x in [boundary - u(1), boundary, boundary + u(1), boundary + u(2)] {
            let root = sqrt_wad(x).unwrap();
            let square: U512 = root.widening_mul(root);
            let next: U512 = (root + u(1)).widening_mul(root + u(1));
            let target: U512 = x.widening_mul(WAD);
            assert!(square <= target && target < next);
        }
    }
}
