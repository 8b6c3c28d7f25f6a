//! The natural logarithm, `ln x`, for WAD arguments.
//!
//! # Algorithm
//! Write `x = m · 2^n` with `m ∈ [1/√2, √2)` (in Q128), so `ln x = n · ln 2 + ln m`, and
//! `ln m = 2 · atanh(t)` with `t = (m - 1) / (m + 1)`, `|t| <= 0.1716`. The odd series
//! `atanh(t) = t + t³/3 + … + t²⁵/25` is truncated after 13 terms (truncation error below
//! `2e-22`); its coefficients `1/(2j+1)` are computed at compile time.
//!
//! Every rounding inside (the normalisation of `m`, the division for `t`, the series) is toward
//! zero in magnitude and `ln 2` is rounded up; together these make the Q128 logarithm
//! non-decreasing in `x`, including where `m` wraps around at `√2` and at powers of two.

use alloy_primitives::{I256, U256};

use crate::div::quotient;
use crate::exp::LN2_Q128;
use crate::q::{mul_shr, ONE_Q128};
use crate::signed::from_sign_and_magnitude;
use crate::{MathError, MathResult, WAD};

/// `√2` in Q128, rounded up (so that the branch boundary errs on the monotone side).
const SQRT2_Q128: U256 = U256::from_limbs([0xb2fb_1366_ea95_7d3f, 0x6a09_e667_f3bc_c908, 0x1, 0]);

/// `ln(1e18)` in Q128 as this kernel computes it (`ln_q128(1e18)`, which exceeds the exact
/// value by `7.3e-33`, the series truncation at `t = 0.071`): subtracting it turns `ln x` into
/// `ln(x / 1e18)`. Using the kernel's own value rather than the exact constant cancels the
/// truncation error for `x` near 1e18, where `pow_wad` multiplies `ln x` by huge exponents, and
/// makes `ln(1e18 / 1e18)` exactly zero.
const LN_WAD_Q128: U256 = U256::from_limbs([0xe86c_3c3c_cb80_866c, 0x724f_e657_ff70_6671, 0x29, 0]);

/// Number of series terms after the leading `t`.
const SERIES_TERMS: usize = 12;

/// `floor(2^128 / (2j + 1))` for `j = 1..=12`: the atanh series coefficients in Q128.
/// (`2^128 / (2j+1)` is never an integer, so `u128::MAX / (2j+1)` has the same floor.)
const ATANH_Q128: [u128; SERIES_TERMS] = {
    let mut coefficients = [0u128; SERIES_TERMS];
    let mut j = 0;
    while j < SERIES_TERMS {
        coefficients[j] = u128::MAX / (2 * j as u128 + 3);
        j += 1;
    }
    coefficients
};

/// `2 · atanh(t / 2^128) · 2^128`, rounded toward zero, for `0 <= t <= 0.1716 · 2^128`.
fn two_atanh_q128(t: U256) -> U256 {
    let s = mul_shr(t, t, 128); // t² < 0.0295 · 2^128
    let mut acc = U256::from(ATANH_Q128[SERIES_TERMS - 1]);
    for &c in ATANH_Q128[..SERIES_TERMS - 1].iter().rev() {
        acc = mul_shr(acc, s, 128) + U256::from(c); // acc < 2^127, s < 2^123
    }
    // acc · s = t²/3 + t⁴/5 + …, so t + t · (acc · s) = atanh(t).
    let tail = mul_shr(acc, s, 128);
    (t + mul_shr(t, tail, 128)) << 1
}

/// `ln(x) · 2^128` for `x >= 1`, never above the exact value, by less than `3e-22` · 2^128
/// below it; non-decreasing in `x`. The result is below `2^136`.
pub(crate) fn ln_q128(x: U256) -> U256 {
    debug_assert!(!x.is_zero(), "ln of zero");
    let mut n = x.bit_len() - 1;
    // m = x / 2^n ∈ [1, 2) in Q128, truncated when x has more than 129 significant bits.
    let m = if n <= 128 {
        x << (128 - n)
    } else {
        x >> (n - 128)
    };
    let two = ONE_Q128 << 1;
    if m < SQRT2_Q128 {
        // m ∈ [1, √2): ln m = 2 atanh((m - 1)/(m + 1)) >= 0.
        let t = quotient((m - ONE_Q128) << 128, m + ONE_Q128); // (m - 1) < 0.42 · 2^128
        mul_shr(U256::from(n), LN2_Q128, 0) + two_atanh_q128(t)
    } else {
        // m/2 ∈ [1/√2, 1): ln(m/2) = -2 atanh((2 - m)/(2 + m)) < 0, and n grows by one.
        n += 1;
        let t = quotient((two - m) << 128, two + m); // (2 - m) < 0.59 · 2^128
        mul_shr(U256::from(n), LN2_Q128, 0) - two_atanh_q128(t)
    }
}

/// `ln(x / 1e18) · 2^128` as (is negative, magnitude), for `x >= 1`; magnitude below `2^136`.
pub(crate) fn ln_wad_q128(x: U256) -> (bool, U256) {
    let ln_x = ln_q128(x);
    if ln_x >= LN_WAD_Q128 {
        (false, ln_x - LN_WAD_Q128)
    } else {
        (true, LN_WAD_Q128 - ln_x)
    }
}

/// `ln(x / 1e18) · 1e18`, rounded to nearest (ties toward positive infinity).
///
/// # Domain and range
/// `x >= 1`; the result lies in `[-41.45e18, 136e18]` (`ln_wad(1) ≈ -41.446531673892822312e18`,
/// `ln_wad(U256::MAX) ≈ 135.999146549453176898e18`).
///
/// # Accuracy
/// Absolute: `|ln_wad(x) - ln(x/1e18)·1e18| <= 0.5 + 3e-4` (in units of 1e-18), the `0.5` being
/// the final rounding. `ln_wad(1e18) == 0` exactly.
///
/// # Monotonicity
/// Non-decreasing in `x`, by construction (see the module documentation).
///
/// # Errors
/// [`MathError::OutOfDomain`] if `x == 0`. MUST NOT panic.
pub fn ln_wad(x: U256) -> MathResult<I256> {
    if x.is_zero() {
        return Err(MathError::OutOfDomain);
    }
    let (negative, magnitude) = ln_wad_q128(x);
    let scaled = mul_shr(magnitude, WAD, 0); // < 2^136 · 2^60
    let half = ONE_Q128 >> 1;
    let rounded = if negative {
        // round(-a) with ties up = -(ceil(a - 1/2)) = -floor((a·2^128 + 2^127 - 1) / 2^128).
        (scaled + half - U256::from(1u8)) >> 128
    } else {
        (scaled + half) >> 128
    };
    from_sign_and_magnitude(negative, rounded)
}

#[cfg(test)]
mod tests {
    extern crate alloc;
    use alloc::vec::Vec;

    use super::*;

    fn i(v: i128) -> I256 {
        I256::try_from(v).unwrap()
    }

    #[test]
    fn atanh_coefficients_are_reciprocal_odd_numbers() {
        assert_eq!(ATANH_Q128[0], u128::MAX / 3);
        assert_eq!(ATANH_Q128[SERIES_TERMS - 1], u128::MAX / 25);
    }

    #[test]
    fn ln_of_one_is_exactly_zero() {
        assert_eq!(ln_wad(WAD), Ok(I256::ZERO));
    }

    #[test]
    fn ln_of_zero_is_out_of_domain() {
        assert_eq!(ln_wad(U256::ZERO), Err(MathError::OutOfDomain));
    }

    #[test]
    fn ln_of_e_is_one() {
        // e · 1e18 rounded down is 0.36 wei below e; its ln is 1e18 - 0.13, which rounds to 1e18.
        assert_eq!(
            ln_wad(U256::from(2_718_281_828_459_045_235u64)),
            Ok(i(1_000_000_000_000_000_000))
        );
    }

    #[test]
    fn ln_of_two_matches_its_decimal_expansion() {
        // ln 2 = 0.693147180559945309417232...
        assert_eq!(
            ln_wad(U256::from(2_000_000_000_000_000_000u64)),
            Ok(i(693_147_180_559_945_309))
        );
        assert_eq!(
            ln_wad(U256::from(500_000_000_000_000_000u64)),
            Ok(i(-693_147_180_559_945_309))
        );
    }

    #[test]
    fn ln_of_one_wei_is_ln_of_1e_minus_18() {
        // ln(1e-18) = -41.446531673892822312318...
        assert_eq!(ln_wad(U256::from(1u8)), Ok(i(-41_446_531_673_892_822_312)));
    }

    #[test]
    fn ln_of_u256_max_is_the_largest_result() {
        // ln((2^256 - 1) / 1e18) = 135.999146549453176898487...
        assert_eq!(ln_wad(U256::MAX), Ok(i(135_999_146_549_453_176_898)));
    }

    #[test]
    fn the_wad_offset_is_the_kernel_value_at_one_wad() {
        assert_eq!(ln_q128(WAD), LN_WAD_Q128);
        assert_eq!(ln_wad_q128(WAD), (false, U256::ZERO));
    }

    #[test]
    fn ln_q128_is_exact_at_one() {
        assert_eq!(ln_q128(U256::from(1u8)), U256::ZERO);
    }

    /// The inputs where the reduction changes branch, for `x` of `n + 1` bits: `2^n` (the
    /// mantissa wraps from just below 2 to 1) and the first `x` whose mantissa reaches √2.
    fn branch_points(n: usize) -> [U256; 2] {
        let root = if n >= 128 {
            SQRT2_Q128 << (n - 128)
        } else {
            let shift = 128 - n;
            (SQRT2_Q128 + (U256::from(1u8) << shift) - U256::from(1u8)) >> shift
        };
        [U256::from(1u8) << n, root]
    }

    #[test]
    fn ln_never_decreases_where_the_reduction_changes_branch() {
        for n in 1..256 {
            for centre in branch_points(n) {
                let start = centre - U256::from(2u8).min(centre - U256::from(1u8));
                let xs: Vec<U256> = (0..5u8)
                    .map(|k| start + U256::from(k))
                    .filter(|x| *x >= start)
                    .collect();
                let fine: Vec<U256> = xs.iter().map(|&x| ln_q128(x)).collect();
                assert!(
                    fine.windows(2).all(|w| w[0] <= w[1]),
                    "ln_q128 around {centre}: {fine:?}"
                );
                let wad: Vec<I256> = xs.iter().map(|&x| ln_wad(x).unwrap()).collect();
                assert!(
                    wad.windows(2).all(|w| w[0] <= w[1]),
                    "ln_wad around {centre}: {wad:?}"
                );
            }
        }
    }
}
