//! Internal binary fixed-point helpers shared by the transcendental functions.
//!
//! The kernels work in binary fixed point ("Q96": value · 2^96, "Q128": value · 2^128) rather
//! than in WAD, because shifts are exact and cheap and 2^-128 leaves ~20 decimal digits of
//! headroom below the 1e-18 output resolution. Each call site states why its product fits
//! 256 bits; `mul_shr` re-checks that claim in debug builds (and therefore in every test).

use alloy_primitives::U256;

use crate::div::quotient;

/// 1.0 in Q96.
pub(crate) const ONE_Q96: U256 = U256::from_limbs([0, 1 << 32, 0, 0]);

/// 1.0 in Q128.
pub(crate) const ONE_Q128: U256 = U256::from_limbs([0, 0, 1, 0]);

/// `5^18`: `1e18 = 2^18 · 5^18`, so WAD ↔ binary conversions divide by this 42-bit number
/// (a single-limb division) and shift.
pub(crate) const FIVE_POW_18: U256 = U256::from_limbs([3_814_697_265_625, 0, 0, 0]);

/// `floor(a · b / 2^shift)` for operands whose product is known to fit 256 bits.
///
/// Never inlined: the kernels call it ~20 times each, and one shared copy of the 256-bit
/// multiplication keeps the wasm small (a call costs far less than a duplicated multiply).
#[inline(never)]
pub(crate) fn mul_shr(a: U256, b: U256, shift: usize) -> U256 {
    let (product, overflow) = a.overflowing_mul(b);
    debug_assert!(!overflow, "fixed-point product exceeds 256 bits");
    product >> shift
}

/// `|x| / 1e18` in Q`bits` (`bits >= 18`), rounded toward zero, for `|x| < 2^(274 - bits)`.
#[inline]
pub(crate) fn wad_to_binary(magnitude: U256, bits: usize) -> U256 {
    debug_assert!(
        magnitude.bit_len() + bits - 18 <= 256,
        "WAD value too large to convert"
    );
    quotient(magnitude << (bits - 18), FIVE_POW_18)
}

/// The low 128 bits of `x` as `u128`, for values known to fit.
#[inline]
pub(crate) fn low_u128(x: U256) -> u128 {
    let limbs = x.as_limbs();
    debug_assert!(
        limbs[2] == 0 && limbs[3] == 0,
        "value does not fit 128 bits"
    );
    (u128::from(limbs[1]) << 64) | u128::from(limbs[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WAD;

    #[test]
    fn one_constants_are_powers_of_two() {
        assert_eq!(ONE_Q96, U256::from(1u8) << 96);
        assert_eq!(ONE_Q128, U256::from(1u8) << 128);
        assert_eq!(FIVE_POW_18 << 18, WAD);
    }

    #[test]
    fn wad_to_binary_converts_one_exactly() {
        assert_eq!(wad_to_binary(WAD, 96), ONE_Q96);
        assert_eq!(
            wad_to_binary(WAD * U256::from(3u8), 128),
            ONE_Q128 * U256::from(3u8)
        );
    }

    #[test]
    fn low_u128_reads_two_limbs() {
        assert_eq!(low_u128(U256::from(u128::MAX)), u128::MAX);
    }
}
