//! The natural exponential, `e^x`, for WAD arguments.
//!
//! # Algorithm
//! The argument is converted to Q128 and reduced, `x = k · ln 2 + r` with `k = round(x / ln 2)`
//! and `|r| <= ln(2) / 2`; then `e^r` is the [7/7] Padé approximant `P(r) / P(-r)`, whose
//! relative error on that interval is below `4e-23`, evaluated in Q96; finally the result is
//! scaled by `2^k`. The Padé coefficients are small integers computed at compile time, so the
//! kernel carries no table: 8 coefficients, 7 multiplications, 1 division.

use alloy_primitives::{I256, U256};

use crate::div::quotient;
use crate::q::{mul_shr, wad_to_binary, ONE_Q128};
use crate::{MathError, MathResult, WAD};

/// Largest input of [`exp_wad`]: `floor(ln((2^256 - 1) / 1e18) · 1e18)`, about `135.999e18`.
/// `e^(x / 1e18) · 1e18` exceeds `U256::MAX` for every larger `x`.
pub const EXP_WAD_MAX_INPUT: I256 =
    I256::from_raw(U256::from_limbs([0x5f5e_073b_7c72_c042, 0x7, 0, 0]));

/// Smallest input of [`exp_wad`] whose exact result is at least 1 wei:
/// `ceil(ln(1e-18) · 1e18)`, about `-41.447e18`. Every smaller input returns 0.
pub const EXP_WAD_MIN_INPUT: I256 = I256::from_raw(U256::from_limbs([
    0xc0d0_5709_25a4_62d8,
    0xffff_ffff_ffff_fffd,
    0xffff_ffff_ffff_ffff,
    0xffff_ffff_ffff_ffff,
]));

/// `ln 2` in Q128, rounded up. `ln` relies on the upward rounding for monotonicity across
/// powers of two; `exp` is indifferent (the error moves `r` by at most `202 · 2^-128`).
pub(crate) const LN2_Q128: U256 =
    U256::from_limbs([0xc9e3_b398_03f2_f6b0, 0xb172_17f7_d1cf_79ab, 0, 0]);

/// `1 / ln 2` in Q118, rounded to nearest; only used to choose `k`.
const INV_LN2_Q118: U256 = U256::from_limbs([0x5ddf_43ff_6834_8e9f, 0x005c_551d_94ae_0bf8, 0, 0]);

/// Largest argument magnitude accepted by [`exp_q128`]: 140 in Q128. `e^140 · 1e18`
/// overflows 256 bits and `e^-140 · 1e18` rounds to zero, so callers clamp here.
pub(crate) const EXP_ARGUMENT_CAP_Q128: U256 = U256::from_limbs([0, 0, 140, 0]);

/// `n!` for small `n`, at compile time.
const fn factorial(n: u64) -> u64 {
    if n == 0 {
        1
    } else {
        n * factorial(n - 1)
    }
}

/// Coefficient `j` of the [7/7] Padé numerator of `e^r`, scaled to integers:
/// `P(r) = Σ (14 - j)! / (j! (7 - j)!) · r^j` and `e^r ≈ P(r) / P(-r)`.
const fn pade_coefficient(j: u64) -> u64 {
    factorial(14 - j) / (factorial(j) * factorial(7 - j))
}

/// Even coefficients of `P` (of `r^0, r^2, r^4, r^6`): 17297280, 1995840, 25200, 56.
const PADE_EVEN: [u64; 4] = [
    pade_coefficient(0),
    pade_coefficient(2),
    pade_coefficient(4),
    pade_coefficient(6),
];

/// Odd coefficients of `P` (of `r^1, r^3, r^5, r^7`): 8648640, 277200, 1512, 1.
const PADE_ODD: [u64; 4] = [
    pade_coefficient(1),
    pade_coefficient(3),
    pade_coefficient(5),
    pade_coefficient(7),
];

/// `Σ c_i s^i` in Q96 for small integer coefficients and `s < 0.13` (Q96); the result is
/// below `2^121`, so every product stays below `2^218`.
fn polynomial_q96(s: U256, coefficients: &[u64; 4]) -> U256 {
    let mut acc = U256::from(coefficients[3]) << 96;
    for &c in coefficients[..3].iter().rev() {
        acc = mul_shr(acc, s, 96) + (U256::from(c) << 96);
    }
    acc
}

/// `e^(±magnitude / 2^128)` as `(t, k)`, meaning `t · 2^(k - 128)`, with
/// `t ∈ [0.70, 1.42] · 2^128`.
///
/// Requires `magnitude <= EXP_ARGUMENT_CAP_Q128`; then `k ∈ [-202, 202]`. The relative error
/// of `t · 2^k` is below `5e-23` (Padé truncation `4e-23`, rounding about `2^-93`). The value
/// is increasing in the argument up to that error, which is far below the `1e-18` relative step
/// between neighbouring WAD inputs.
pub(crate) fn exp_q128(negative: bool, magnitude: U256) -> (U256, i32) {
    debug_assert!(
        magnitude <= EXP_ARGUMENT_CAP_Q128,
        "exp argument above the cap"
    );
    // k = round(|z| / ln 2); magnitude < 2^135.2 and INV_LN2 < 2^118.6, the product < 2^254.
    let k: U256 = (mul_shr(magnitude, INV_LN2_Q118, 118) + (ONE_Q128 >> 1)) >> 128;
    let k_ln2 = mul_shr(k, LN2_Q128, 0); // k <= 202: below 2^136.
    let (mut r_negative, r) = if k_ln2 > magnitude {
        (true, k_ln2 - magnitude)
    } else {
        (false, magnitude - k_ln2)
    };
    // k <= 202 fits i32 exactly.
    let mut k = k.as_limbs()[0] as i32;
    if negative {
        k = -k;
        r_negative = !r_negative;
    }
    // |r| <= ln(2)/2 + 2^-100; Q96 (toward zero) is ample for a 4e-23 approximation.
    let a = r >> 32;
    let s = mul_shr(a, a, 96); // a < 0.35 · 2^96: a² < 2^190.
    let even = polynomial_q96(s, &PADE_EVEN);
    let odd = polynomial_q96(s, &PADE_ODD);
    let a_odd = mul_shr(a, odd, 96); // a < 2^95, odd < 2^117.
                                     // a · odd / even = tanh(a / 2) + O(1e-23) < 0.18, so the difference is positive.
    let (numerator, denominator) = if r_negative {
        (even - a_odd, even + a_odd)
    } else {
        (even + a_odd, even - a_odd)
    };
    // numerator < 2^121: the shifted value fits.
    (quotient(numerator << 128, denominator), k)
}

/// `t · 2^(k - 128) · 1e18` as an integer, rounded down (`nearest == false`) or to nearest
/// with ties up; `None` if it exceeds `U256::MAX`. Requires `t < 2^130`.
pub(crate) fn scale_to_wad(t: U256, k: i32, nearest: bool) -> Option<U256> {
    if k >= 128 {
        // t · 1e18 < 2^190; the left shift is exact or reports the lost bits.
        return mul_shr(t, WAD, 0).checked_shl((k - 128) as usize);
    }
    Some(shift_to_wad(t, (128 - k) as usize, nearest))
}

/// `t · 1e18 / 2^shift` rounded down or to nearest (ties up), for `t < 2^130`, `shift >= 1`.
pub(crate) fn shift_to_wad(t: U256, shift: usize, nearest: bool) -> U256 {
    let value = mul_shr(t, WAD, 0); // < 2^190
    if shift >= 256 {
        // value / 2^shift < 2^-66 rounds to zero either way.
        return U256::ZERO;
    }
    let half = if nearest {
        U256::from(1u8) << (shift - 1)
    } else {
        U256::ZERO
    };
    (value + half) >> shift // half <= 2^254 and value < 2^190: no overflow.
}

/// `e^(x / 1e18) · 1e18`, rounded down.
///
/// # Domain and range
/// Every `x`. Returns 0 for `x < EXP_WAD_MIN_INPUT` (the exact result is below 1 wei) and
/// [`MathError::Overflow`] for `x > EXP_WAD_MAX_INPUT` (the exact result exceeds `U256::MAX`).
///
/// # Accuracy
/// The result is the floor of an approximation whose relative error is below `1e-22`, so with
/// `E` the exact value: `|exp_wad(x) - E| < 1 + 1e-22 · E` (wei). In the units of the accuracy
/// targets, the error is at most 1e-18 relative when `E >= 1e18` and 1e-18 absolute below.
/// The result exceeds `E` only if `E` lies within `1e-22 · E` below an integer.
///
/// # Monotonicity
/// Non-decreasing in `x`: neighbouring inputs change `E` by a relative `1e-18`, far more than
/// the approximation error.
///
/// `exp_wad(0) == 1e18` exactly.
///
/// # Errors
/// [`MathError::Overflow`] if `x > EXP_WAD_MAX_INPUT`. MUST NOT panic.
pub fn exp_wad(x: I256) -> MathResult<U256> {
    if x < EXP_WAD_MIN_INPUT {
        return Ok(U256::ZERO);
    }
    if x > EXP_WAD_MAX_INPUT {
        return Err(MathError::Overflow);
    }
    // |x| < 2^67, so the Q128 conversion fits; flooring it moves the argument by < 2^-128.
    let magnitude = wad_to_binary(x.unsigned_abs(), 128);
    let (t, k) = exp_q128(x.is_negative(), magnitude);
    scale_to_wad(t, k, false).ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i128) -> I256 {
        I256::try_from(v).unwrap()
    }

    #[test]
    fn pade_coefficients_match_the_closed_form() {
        assert_eq!(PADE_EVEN, [17_297_280, 1_995_840, 25_200, 56]);
        assert_eq!(PADE_ODD, [8_648_640, 277_200, 1_512, 1]);
    }

    #[test]
    fn input_bounds_are_the_documented_decimals() {
        assert_eq!(
            EXP_WAD_MAX_INPUT,
            I256::from_dec_str("135999146549453176898").unwrap()
        );
        assert_eq!(
            EXP_WAD_MIN_INPUT,
            I256::from_dec_str("-41446531673892822312").unwrap()
        );
    }

    #[test]
    fn exp_of_zero_is_exactly_one() {
        assert_eq!(exp_wad(I256::ZERO), Ok(WAD));
    }

    #[test]
    fn exp_of_one_is_e_rounded_down() {
        // e = 2.718281828459045235360287...
        assert_eq!(
            exp_wad(i(1_000_000_000_000_000_000)),
            Ok(U256::from(2_718_281_828_459_045_235u64))
        );
    }

    #[test]
    fn exp_of_minus_one_is_one_over_e_rounded_down() {
        // 1/e = 0.367879441171442321595523...
        assert_eq!(
            exp_wad(i(-1_000_000_000_000_000_000)),
            Ok(U256::from(367_879_441_171_442_321u64))
        );
    }

    #[test]
    fn inputs_below_the_minimum_return_zero() {
        assert_eq!(exp_wad(EXP_WAD_MIN_INPUT - I256::ONE), Ok(U256::ZERO));
        assert_eq!(exp_wad(I256::MIN), Ok(U256::ZERO));
    }

    #[test]
    fn the_minimum_input_returns_at_least_zero_and_at_most_one_wei() {
        let v = exp_wad(EXP_WAD_MIN_INPUT).unwrap();
        assert!(v <= U256::from(1u8));
    }

    #[test]
    fn the_maximum_input_fits_and_the_next_overflows() {
        let top = exp_wad(EXP_WAD_MAX_INPUT).unwrap();
        assert!(
            top > U256::MAX - (U256::MAX >> 50),
            "within 2^-50 of U256::MAX"
        );
        assert_eq!(
            exp_wad(EXP_WAD_MAX_INPUT + I256::ONE),
            Err(MathError::Overflow)
        );
        assert_eq!(exp_wad(I256::MAX), Err(MathError::Overflow));
    }

    #[test]
    fn exp_q128_of_zero_is_exactly_one() {
        assert_eq!(exp_q128(false, U256::ZERO), (U256::from(1u8) << 128, 0));
        assert_eq!(exp_q128(true, U256::ZERO), (U256::from(1u8) << 128, 0));
    }

    #[test]
    fn exp_q128_accepts_the_cap_in_both_directions() {
        let (t, k) = exp_q128(false, EXP_ARGUMENT_CAP_Q128);
        assert_eq!(k, 202);
        assert!(t > U256::from(1u8) << 127 && t < U256::from(3u8) << 128);
        assert_eq!(exp_q128(true, EXP_ARGUMENT_CAP_Q128).1, -202);
    }

    #[test]
    fn scaling_rounds_as_asked() {
        // t = 1.5: 1.5e18 · 2^-61 = 0.6505... rounds down to 0 and to nearest 1.
        let t = U256::from(3u8) << 127;
        assert_eq!(scale_to_wad(t, -61, false), Some(U256::ZERO));
        assert_eq!(scale_to_wad(t, -61, true), Some(U256::from(1u8)));
        assert_eq!(
            scale_to_wad(t, 0, true),
            Some(U256::from(1_500_000_000_000_000_000u64))
        );
        assert_eq!(scale_to_wad(t, -200, true), Some(U256::ZERO));
        assert_eq!(scale_to_wad(t, 128 + 70, false), None);
    }
}
