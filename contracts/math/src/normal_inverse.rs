//! The inverse of the standard normal distribution function, `Φ⁻¹(p)`, for WAD probabilities.
//!
//! # Algorithm
//! By symmetry only `q = min(p, 1 - p) <= 1/2` is solved, for `u = -Φ⁻¹(q) >= 0`, i.e.
//! `Q(u) = q` with `Q` the upper tail.
//! 1. Acklam's rational approximation (relative error below `1.15e-9`) gives `u₀`; it is
//!    evaluated in Q48 on native `i128`, which is ample for a `1e-9` start. Its lower region
//!    (`q < 0.02425`) needs `√(-2 ln q)`, taken from the crate's Q128 logarithm.
//! 2. One Halley step on `f(u) = Q(u) - q`, with `Q` and `e^(-u²/2)` from the Φ kernel (relative
//!    error below `1e-19`, also in the tail): `δ = (Q(u₀) - q) / φ(u₀)`,
//!    `u₁ = u₀ + δ / (1 - u₀ δ / 2)`. Halley converges cubically: the `1e-9` start leaves about
//!    `1e-26`, so the result is limited by `Q`'s accuracy and the final rounding.

use alloy_primitives::{I256, U256};

use crate::div::quotient;
use crate::ln::ln_wad_q128;
use crate::normal::{upper_tail, UpperTail};
use crate::q::{mul_shr, ONE_Q96};
use crate::signed::from_sign_and_magnitude;
use crate::sqrt::sqrt;
use crate::{MathError, MathResult, WAD};

/// Fractional bits of the initial estimate.
const Q: u32 = 48;

/// Acklam's central-region numerator `a₁…a₆` (in `r = (q - ½)²`), Q48, highest degree first.
const CENTRAL_NUMERATOR: [i128; 6] = [
    -11_173_664_380_422_730, // -3.969683028665376e+01
    62_190_797_908_352_216,  //  2.209460984245205e+02
    -77_666_971_051_866_512, // -2.759285104469687e+02
    38_944_244_984_578_264,  //  1.383577518672690e+02
    -8_631_373_321_505_741,  // -3.066479806614716e+01
    705_553_136_020_111,     //  2.506628277459239e+00
];

/// Acklam's central-region denominator `b₁…b₅, 1`, Q48, highest degree first.
const CENTRAL_DENOMINATOR: [i128; 6] = [
    -15_333_658_640_517_512, // -5.447609879822406e+01
    45_482_369_666_388_920,  //  1.615858368580409e+02
    -43_825_366_729_934_480, // -1.556989798598866e+02
    18_802_897_707_837_176,  //  6.680131188771972e+01
    -3_738_179_530_800_147,  // -1.328068155288572e+01
    1 << Q,
];

/// Acklam's lower-region numerator `c₁…c₆` (in `s = √(-2 ln q)`), Q48, highest degree first.
const LOWER_NUMERATOR: [i128; 6] = [
    -2_191_252_858_029,    // -7.784894002430293e-03
    -90_746_535_518_727,   // -3.223964580411365e-01
    -675_753_380_152_043,  // -2.400758277161838e+00
    -717_685_907_130_179,  // -2.549732539343734e+00
    1_231_358_487_335_794, //  4.374664141464968e+00
    827_019_638_602_228,   //  2.938163982698783e+00
];

/// Acklam's lower-region denominator `d₁…d₄, 1`, Q48, highest degree first.
const LOWER_DENOMINATOR: [i128; 5] = [
    2_191_197_043_402,     // 7.784695709041462e-03
    90_766_427_644_942,    // 3.224671290700398e-01
    688_244_074_306_755,   // 2.445134137142996e+00
    1_056_772_090_672_675, // 3.754408661907416e+00
    1 << Q,
];

/// Boundary between Acklam's lower and central regions: 0.02425 in WAD.
const LOWER_REGION_WAD: U256 = U256::from_limbs([24_250_000_000_000_000, 0, 0, 0]);

/// One half in WAD.
const HALF_WAD: U256 = U256::from_limbs([500_000_000_000_000_000, 0, 0, 0]);

/// `Σ c_j x^(n-j)` in Q48 by Horner's rule. For the arguments used here (`|x| < 9.2` in the
/// lower region, `x < 0.25` in the centre) every product stays below `2^110`.
fn polynomial_q48(coefficients: &[i128], x: i128) -> i128 {
    let mut acc = 0;
    for &c in coefficients {
        acc = ((acc * x) >> Q) + c;
    }
    acc
}

/// Acklam's estimate of `u = -Φ⁻¹(q / 1e18) >= 0` for `1 <= q <= 5e17`, in Q48.
fn initial_estimate_q48(q: U256) -> i128 {
    let x = if q < LOWER_REGION_WAD {
        // -ln(q / 1e18) in Q128 (positive: q < 1e18); √(2 · that · 2^128) is Q64.
        let (_, minus_ln) = ln_wad_q128(q);
        let s = (sqrt(minus_ln << 1) >> (64 - Q)).as_limbs()[0] as i128; // s < 9.2 · 2^48
        let numerator = polynomial_q48(&LOWER_NUMERATOR, s);
        let denominator = polynomial_q48(&LOWER_DENOMINATOR, s);
        (numerator << Q) / denominator
    } else {
        // q - 1/2 in Q48, in [-0.476, 0]; its square r in [0, 0.227].
        let centred = quotient(q << Q, WAD).as_limbs()[0] as i128 - (1 << (Q - 1));
        let r = (centred * centred) >> Q;
        let numerator = (polynomial_q48(&CENTRAL_NUMERATOR, r) * centred) >> Q;
        let denominator = polynomial_q48(&CENTRAL_DENOMINATOR, r);
        (numerator << Q) / denominator
    };
    // Φ⁻¹(q) <= 0 here; clamp the estimate's sign at q = 1/2.
    (-x).max(0)
}

/// `√(2π)` in Q96.
const SQRT_2PI_Q96: U256 = U256::from_limbs([0xc4e0_b2ca_f948_3f5d, 0x2_81b2_63fe, 0, 0]);

/// One Halley step on `Q(u) = q / 1e18` from `u` (Q96); returns the refined `u` as
/// (is negative, magnitude) in Q96.
fn halley_step(u: U256, q: U256) -> (bool, U256) {
    let UpperTail {
        tail,
        gaussian,
        exponent,
    } = upper_tail(u);
    // q / 1e18 on the same binary scale as `tail`: q < 2^59 and the shift is at most 188.
    let target = quotient(q << ((128 - exponent) as usize), WAD);
    let (above, difference) = if tail >= target {
        (true, tail - target)
    } else {
        (false, target - tail)
    };
    // δ = (Q(u) - q) / φ(u) = difference · √(2π) / gaussian, in Q96; difference < 2^128.
    let delta = quotient(mul_shr(difference, SQRT_2PI_Q96, 0), gaussian);
    // Halley's correction 1 - u δ / 2 (δ's sign: `above`), in Q96; |u δ| is tiny near the root.
    // If a pathological δ made it non-positive, fall back to a plain Newton step.
    let correction = mul_shr(u, delta, 97);
    let denominator = if above {
        ONE_Q96
            .checked_sub(correction)
            .filter(|d| !d.is_zero())
            .unwrap_or(ONE_Q96)
    } else {
        ONE_Q96 + correction
    };
    let step = quotient(delta << 96, denominator);
    // Q(u) above q means u is too small: move up.
    if above {
        (false, u + step)
    } else if step <= u {
        (false, u - step)
    } else {
        (true, step - u)
    }
}

/// `Φ⁻¹(p / 1e18) · 1e18`: the standard normal quantile of a WAD probability, rounded to
/// nearest. For example `inv_norm_cdf_wad(0.975e18) = 1.959963984540054236e18`.
///
/// # Domain and range
/// `0 < p < 1e18`; the result lies in `[-8.7573e18, 8.7573e18]` (`p = 1` wei gives
/// `Φ⁻¹(1e-18) ≈ -8.757290348782315064e18`).
///
/// # Accuracy
/// Absolute: within 1 unit of 1e-18 of the exact quantile (0.5 of it the final rounding; the
/// measured maximum is about 0.6). `inv_norm_cdf_wad(5e17) == 0` and
/// `inv_norm_cdf_wad(1e18 - p) == -inv_norm_cdf_wad(p)`.
///
/// # Monotonicity
/// Strictly increasing: neighbouring `p` move the exact quantile by at least `√(2π) > 2.5`
/// units, more than twice the error bound.
///
/// # Errors
/// [`MathError::OutOfDomain`] if `p == 0` or `p >= 1e18` (the quantile is infinite or
/// undefined). MUST NOT panic.
pub fn inv_norm_cdf_wad(p: U256) -> MathResult<I256> {
    if p.is_zero() || p >= WAD {
        return Err(MathError::OutOfDomain);
    }
    let lower = p <= HALF_WAD;
    let q = if lower { p } else { WAD - p };
    let estimate = initial_estimate_q48(q) as u128; // in [0, 8.8 · 2^48]
    let u0 = U256::from(estimate) << (96 - Q);
    let (negative, u1) = halley_step(u0, q);
    // Round |u₁| (Q96, < 9 · 2^96) to the nearest WAD unit; u = -Φ⁻¹(q).
    let magnitude: U256 = (mul_shr(u1, WAD, 0) + (ONE_Q96 >> 1)) >> 96;
    // Lower half: Φ⁻¹(p) = -u; upper half: Φ⁻¹(p) = u.
    from_sign_and_magnitude(lower != negative && !magnitude.is_zero(), magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(v: u128) -> U256 {
        U256::from(v)
    }

    fn i(v: i128) -> I256 {
        I256::try_from(v).unwrap()
    }

    #[test]
    fn probability_zero_and_one_are_out_of_domain() {
        assert_eq!(inv_norm_cdf_wad(U256::ZERO), Err(MathError::OutOfDomain));
        assert_eq!(inv_norm_cdf_wad(WAD), Err(MathError::OutOfDomain));
        assert_eq!(inv_norm_cdf_wad(U256::MAX), Err(MathError::OutOfDomain));
    }

    #[test]
    fn median_is_exactly_zero() {
        assert_eq!(inv_norm_cdf_wad(HALF_WAD), Ok(I256::ZERO));
    }

    #[test]
    fn the_975th_percentile_is_one_point_nine_six() {
        // Φ⁻¹(0.975) = 1.959963984540054235524...
        assert_eq!(
            inv_norm_cdf_wad(u(975_000_000_000_000_000)),
            Ok(i(1_959_963_984_540_054_236))
        );
        assert_eq!(
            inv_norm_cdf_wad(u(25_000_000_000_000_000)),
            Ok(i(-1_959_963_984_540_054_236))
        );
    }

    #[test]
    fn one_wei_probability_is_the_extreme_quantile() {
        // Φ⁻¹(1e-18) = -8.757290348782315063881...
        assert_eq!(inv_norm_cdf_wad(u(1)), Ok(i(-8_757_290_348_782_315_064)));
        assert_eq!(
            inv_norm_cdf_wad(WAD - u(1)),
            Ok(i(8_757_290_348_782_315_064))
        );
    }

    #[test]
    fn acklam_coefficients_keep_their_q48_scale() {
        // a₆ = √(2π) to the printed precision; the constant denominators are exactly one.
        assert_eq!(CENTRAL_NUMERATOR[5] >> Q, 2);
        assert_eq!(CENTRAL_DENOMINATOR[5], 1 << Q);
        assert_eq!(LOWER_DENOMINATOR[4], 1 << Q);
    }
}
