//! The standard normal distribution function `Φ(x) = P(Z <= x)` for WAD arguments.
//!
//! # Algorithm
//! For `u >= 0` the upper tail is written `Q(u) = 1 - Φ(u) = e^(-u²/2) · R(u)`, where
//! `R(u) = Q(u) · e^(u²/2)` (Mills' ratio over `√(2π)`) is smooth, decreasing from `1/2`
//! towards `1/(u √(2π))`. `R` is approximated on `[0, 9]` by a rational function `P₉(u) / D₁₀(u)`
//! with positive coefficients, fitted (Remez-style, iteratively reweighted least squares at 80
//! digits; see `tools/fit_normal_tail.py`) to a relative error of `9.51e-20`. The Gaussian factor
//! comes from the crate's exponential kernel (relative error below `5e-23`). So `Q` has a relative
//! error below `1e-19` on the whole range — also deep in the tail, which the inverse relies on.
//!
//! `Φ(-u) = Q(u)` and `Φ(u) = 1 - Q(u)`: both sides are computed from the same rounded `Q`, so
//! `Φ(x) + Φ(-x) = 1e18` exactly. Beyond `|x| >= 9` the tail (`< 1.2e-19`) rounds to zero.
//!
//! Cost: 1 exponential kernel, 21 multiply-shifts for the rational function, 1 division.

use alloy_primitives::{I256, U256};

use crate::div::quotient;
use crate::exp::{exp_q128, shift_to_wad};
use crate::q::{mul_shr, wad_to_binary};
use crate::WAD;

/// `|x|` (WAD) from which the tail `Q(|x|) < Q(9) = 1.13e-19` rounds to zero.
const TAIL_CUTOFF_WAD: U256 = U256::from_limbs([9_000_000_000_000_000_000, 0, 0, 0]);

/// Numerator of `R(u) ≈ P(u) / D(u)`, Q96, constant term first.
const TAIL_NUMERATOR_Q96: [u128; 10] = [
    0x7fff_ffff_ffff_ffff_1f6f_df4d, // 0.499999999999999999952447
    0xb743_1e75_823a_4cf4_62ee_75b4, // 0.715867904366157505805437
    0x8309_e65d_6f2f_83c3_4ea2_777d, // 0.51186980992423341767115
    0x3b8c_428c_5b3d_b96c_fd07_47b5, // 0.232608947054578594017758
    0x12b6_01ca_f18e_b090_7694_6c41, // 0.0730897064655049522639755
    0x0430_7d35_c947_7a23_c629_ed8f, // 0.0163648849786834102401979
    0x00aa_bd56_66f0_baf2_7b12_17cc, // 0.00260527953554660833810366
    0x0012_a727_4629_3d49_e3cb_1c7c, // 0.00028462132300873367085766
    0x0001_4615_9a9d_f812_80cd_7689, // 0.0000194361442636968900481369
    0x0000_0aaf_4520_52e2_b9a6_b5ba, // 0.000000636854680364862886685899
];

/// Denominator of `R(u) ≈ P(u) / D(u)`, Q96, constant term first.
const TAIL_DENOMINATOR_Q96: [u128; 11] = [
    0x0001_0000_0000_0000_0000_0000_0000, // 1
    0x0002_3ac8_6689_a627_1c9b_d71b_d844, // 2.22962036953518034377784
    0x0002_4d7f_02e6_c6e4_b185_d17d_c641, // 2.30271928915216752446382
    0x0001_7423_f098_b4cf_48f3_c599_385e, // 1.45367339828663689960444
    0x0000_9f67_bb04_8a34_dc2c_a122_d2c6, // 0.622676552399031138151
    0x0000_308c_5966_4cb7_b02a_e52f_bbd3, // 0.189641559100634851214301
    0x0000_0aae_e107_82c9_debd_b2a6_9902, // 0.0417309420907154663000666
    0x0000_01af_2c6c_be62_73d7_7ae2_dcfd, // 0.00657918600917089870959215
    0x0000_002e_dc51_3a59_1a21_050c_127f, // 0.000715036231074968733668389
    0x0000_0003_315f_5223_5563_f2b5_a54e, // 0.0000487191883967368125380443
    0x0000_0000_1ac8_4e21_7369_724f_92a3, // 0.00000159635795231888173016462
];

/// `Σ c_j u^j` in Q96 by Horner's rule, for `0 <= u < 9 · 2^96` and the positive tail
/// coefficients: every partial sum is below `D(9) · 2^96 < 2^109`, each product below `2^209`.
fn polynomial_q96(u: U256, coefficients: &[u128]) -> U256 {
    let mut acc = U256::ZERO;
    for &c in coefficients.iter().rev() {
        acc = mul_shr(acc, u, 96) + U256::from(c);
    }
    acc
}

/// The upper tail `Q(u)` and the Gaussian `e^(-u²/2)` at `0 <= u < 9` (`u` in Q96), sharing one
/// binary exponent: `Q(u) ≈ tail · 2^(exponent - 128)` and
/// `e^(-u²/2) ≈ gaussian · 2^(exponent - 128)`, with `exponent ∈ [-59, 0]`.
pub(crate) struct UpperTail {
    /// Mantissa of `Q(u)`, below `2^128`.
    pub(crate) tail: U256,
    /// Mantissa of `e^(-u²/2)`, in `[0.70, 1.42] · 2^128`.
    pub(crate) gaussian: U256,
    /// The shared binary exponent.
    pub(crate) exponent: i32,
}

/// Evaluates [`UpperTail`] at `u` (Q96, `u < 9 · 2^96`). Relative error below `1e-19`.
pub(crate) fn upper_tail(u: U256) -> UpperTail {
    debug_assert!(u < U256::from(9u8) << 96, "tail argument out of range");
    // u²/2 in Q128: u² < 2^199, and u²/2 < 40.5 stays far below the exponential's cap.
    let half_square = mul_shr(u, u, 65);
    let (gaussian, exponent) = exp_q128(true, half_square);
    let numerator = polynomial_q96(u, &TAIL_NUMERATOR_Q96); // < 2^104
    let denominator = polynomial_q96(u, &TAIL_DENOMINATOR_Q96); // >= 2^96
    let ratio = quotient(numerator << 96, denominator); // R(u) in Q96, in [0.044, 0.5]
    UpperTail {
        tail: mul_shr(gaussian, ratio, 96),
        gaussian,
        exponent,
    }
}

/// `Q(|x|) · 1e18` rounded to nearest: the WAD upper tail at `|x|`.
fn tail_wad(magnitude: U256) -> U256 {
    if magnitude >= TAIL_CUTOFF_WAD {
        return U256::ZERO;
    }
    let UpperTail { tail, exponent, .. } = upper_tail(wad_to_binary(magnitude, 96));
    // exponent <= 0, so the shift is at least 128.
    shift_to_wad(tail, (128 - exponent) as usize, true)
}

/// `Φ(x / 1e18) · 1e18`: the standard normal distribution function, rounded to nearest.
///
/// # Range
/// `[0, 1e18]`; exactly `0` for `x <= -9e18`, exactly `1e18` for `x >= 9e18`, `5e17` at `0`.
///
/// # Accuracy
/// Absolute: `|norm_cdf_wad(x) - Φ(x/1e18)·1e18| <= 0.5 + 0.05` (units of 1e-18): the rounding
/// plus an approximation error below `5e-20`.
///
/// # Symmetry and monotonicity
/// `norm_cdf_wad(x) + norm_cdf_wad(-x) == 1e18` exactly, for every `x` except `I256::MIN`
/// (whose negation does not exist). Non-decreasing in `x`: the approximation's relative error
/// varies far more slowly than `Q` itself, and its rounding noise (`~1e-27` relative) is below
/// the change of `Q` between neighbouring inputs.
///
/// Total: MUST NOT panic, no error case.
pub fn norm_cdf_wad(x: I256) -> U256 {
    let tail = tail_wad(x.unsigned_abs());
    if x.is_negative() {
        tail
    } else {
        // tail <= 5e17 < WAD.
        WAD - tail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i128) -> I256 {
        I256::try_from(v).unwrap()
    }

    const ONE: i128 = 1_000_000_000_000_000_000;

    #[test]
    fn phi_of_zero_is_one_half() {
        assert_eq!(norm_cdf_wad(I256::ZERO), WAD / U256::from(2u8));
    }

    #[test]
    fn phi_of_one_matches_its_decimal_expansion() {
        // Φ(1) = 0.841344746068542948585...
        assert_eq!(norm_cdf_wad(i(ONE)), U256::from(841_344_746_068_542_949u64));
        assert_eq!(
            norm_cdf_wad(i(-ONE)),
            U256::from(158_655_253_931_457_051u64)
        );
    }

    #[test]
    fn phi_of_two_matches_its_decimal_expansion() {
        // Φ(2) = 0.977249868051820792799...
        assert_eq!(
            norm_cdf_wad(i(2 * ONE)),
            U256::from(977_249_868_051_820_793u64)
        );
    }

    #[test]
    fn deep_tail_keeps_its_last_wei() {
        // Φ(-8.5) = 9.4795e-18; Φ(-8.8) = 6.84e-19; Φ(-8.9) = 2.79e-19.
        assert_eq!(norm_cdf_wad(i(-85 * ONE / 10)), U256::from(9u8));
        assert_eq!(norm_cdf_wad(i(-88 * ONE / 10)), U256::from(1u8));
        assert_eq!(norm_cdf_wad(i(-89 * ONE / 10)), U256::ZERO);
    }

    #[test]
    fn saturates_beyond_nine_standard_deviations() {
        assert_eq!(norm_cdf_wad(I256::MIN), U256::ZERO);
        assert_eq!(norm_cdf_wad(i(-9 * ONE)), U256::ZERO);
        assert_eq!(norm_cdf_wad(i(9 * ONE)), WAD);
        assert_eq!(norm_cdf_wad(I256::MAX), WAD);
    }

    #[test]
    fn tail_at_the_top_of_the_fitted_range_is_finite() {
        let below_cutoff = wad_to_binary(TAIL_CUTOFF_WAD - U256::from(1u8), 96);
        let tail = upper_tail(below_cutoff);
        assert!(tail.tail > U256::ZERO && tail.exponent >= -59);
    }
}
