//! A fast high-precision reference: binary fixed point on `dashu-int` big integers with
//! `W = 224` fractional bits (67 decimal digits; at least 49 significant digits even for the
//! smallest normal-tail values compared, 1e-18), rounded to the 192-bit (57-digit) `F` only at
//! the end. It is ~20 times faster than evaluating the same functions in `dashu-float`, which is
//! what keeps 100,000-sample accuracy tests within a minute; `tests/accuracy.rs` cross-checks it
//! against `dashu-float`'s correctly rounded `exp` and `ln`.

use std::sync::OnceLock;

use dashu_int::ops::{BitTest, SquareRoot};
use dashu_int::{IBig, UBig};
use keel_math::{I256, U256};

use super::{ibig, ubig, F, PRECISION_BITS};

/// Fractional bits of the fixed-point working precision.
const W: usize = 224;

fn one() -> IBig {
    IBig::ONE << W
}

/// `a · b` in fixed point (floor).
fn mul(a: &IBig, b: &IBig) -> IBig {
    (a * b) >> W
}

/// Whether a fixed-point value is within one unit of the last place of zero. Shifts of negative
/// big integers round toward negative infinity (they never reach 0, only -1), so every series
/// below stops on this test rather than on `== 0`.
fn negligible(v: &IBig) -> bool {
    *v >= IBig::from(-1) && *v <= IBig::ONE
}

/// `a / b` in fixed point.
fn div(a: &IBig, b: &IBig) -> IBig {
    (a << W) / b
}

/// `Σ t^(2k+1) / (2k+1)` = atanh(t), for `|t| <= 1/3` in fixed point.
fn atanh(t: &IBig) -> IBig {
    let square = mul(t, t);
    let mut power = t.clone();
    let mut sum = t.clone();
    let mut k = 1u32;
    loop {
        power = mul(&power, &square);
        if negligible(&power) {
            return sum;
        }
        sum += &power / (2 * k + 1);
        k += 1;
    }
}

/// `atan(1/n)` for an integer `n >= 2`, in fixed point.
fn atan_inverse(n: u32) -> IBig {
    let n = IBig::from(n);
    let n_square = &n * &n;
    let mut power = one() / &n;
    let mut sum = power.clone();
    let mut k = 1u32;
    loop {
        power = -power / &n_square;
        if negligible(&power) {
            return sum;
        }
        sum += &power / (2 * k + 1);
        k += 1;
    }
}

struct Constants {
    ln2: IBig,
    /// ln(1e18)
    ln_wad: IBig,
    sqrt2: IBig,
    inv_sqrt_2pi: IBig,
    wad: IBig,
}

fn constants() -> &'static Constants {
    static CONSTANTS: OnceLock<Constants> = OnceLock::new();
    CONSTANTS.get_or_init(|| {
        let third = one() / IBig::from(3);
        let ln2 = atanh(&third) << 1;
        // ln 10 = 3 ln 2 + ln 1.25 = 3 ln 2 + 2 atanh(1/9).
        let ln10 = &ln2 * IBig::from(3) + (atanh(&(one() / IBig::from(9))) << 1);
        // π = 16 atan(1/5) - 4 atan(1/239) (Machin).
        let pi = atan_inverse(5) * IBig::from(16) - atan_inverse(239) * IBig::from(4);
        let sqrt2 = IBig::from((UBig::from(2u8) << (2 * W)).sqrt());
        let two_pi_scaled = UBig::try_from(pi << (W + 1)).expect("π is positive");
        let sqrt_2pi = IBig::from(two_pi_scaled.sqrt());
        Constants {
            ln_wad: &ln10 * IBig::from(18),
            ln2,
            sqrt2,
            inv_sqrt_2pi: div(&one(), &sqrt_2pi),
            wad: IBig::from(1_000_000_000_000_000_000u64),
        }
    })
}

/// `e^z` for `z` in fixed point (`|z| < 2^20`), as `(mantissa, exponent)` meaning
/// `mantissa · 2^(exponent - W)`, with full relative precision however small the value.
fn exp_parts(z: &IBig) -> (IBig, isize) {
    let c = constants();
    // k = round(z / ln 2), chosen in floating point: any k with |r| < 0.4 works.
    let k = (z.to_f64().value() / 2f64.powi(W as i32) / std::f64::consts::LN_2).round() as isize;
    let r = z - &c.ln2 * IBig::from(k);
    // e^r = (e^(r / 2^16))^(2^16); the Taylor series of the small argument needs ~18 terms.
    const HALVINGS: usize = 16;
    let guard = 40;
    let wide = |v: &IBig| v << guard;
    let ww = W + guard;
    let small = wide(&r) >> HALVINGS;
    let unit = IBig::ONE << ww;
    let mut term = unit.clone();
    let mut sum = unit.clone();
    let mut n = 1u32;
    loop {
        term = ((&term * &small) >> ww) / n;
        if negligible(&term) {
            break;
        }
        sum += &term;
        n += 1;
    }
    for _ in 0..HALVINGS {
        sum = (&sum * &sum) >> ww;
    }
    (sum >> guard, k)
}

/// `e^z` in fixed point (absolute precision `2^-W`), for `z <= 200`.
fn exp_fixed(z: &IBig) -> IBig {
    let (mantissa, k) = exp_parts(z);
    if k >= 0 {
        mantissa << k as usize
    } else {
        mantissa >> (-k) as usize
    }
}

/// `ln x` in fixed point for an integer `x >= 1`.
fn ln_integer(x: &UBig) -> IBig {
    let c = constants();
    let mut n = x.bit_len() as isize - 1;
    // m = x / 2^n in [1, 2) (exact unless x has more than W + 1 bits).
    let x = IBig::from(x.clone());
    let mut m = if n as usize <= W {
        x << (W - n as usize)
    } else {
        x >> (n as usize - W)
    };
    if m > c.sqrt2 {
        m >>= 1;
        n += 1;
    }
    let t = div(&(&m - one()), &(&m + one()));
    &c.ln2 * IBig::from(n) + (atanh(&t) << 1)
}

fn fixed_from_wad(x: I256) -> IBig {
    (ibig(x) << W) / &constants().wad
}

fn to_f(fixed: IBig, extra_exponent: isize) -> F {
    F::from_parts(fixed, extra_exponent - W as isize)
        .with_precision(PRECISION_BITS)
        .value()
}

/// `e^(x/1e18) · 1e18`.
pub fn exp(x: I256) -> F {
    let (mantissa, k) = exp_parts(&fixed_from_wad(x));
    to_f(mantissa * &constants().wad, k)
}

/// `ln(x/1e18)` in fixed point.
fn ln_wad_fixed(x: U256) -> IBig {
    ln_integer(&ubig(x)) - &constants().ln_wad
}

/// `ln(x/1e18) · 1e18`.
pub fn ln(x: U256) -> F {
    to_f(ln_wad_fixed(x) * &constants().wad, 0)
}

/// `(x/1e18)^(y/1e18) · 1e18` for `x > 0`.
pub fn pow(x: U256, y: I256) -> F {
    let c = constants();
    let z = ln_wad_fixed(x) * ibig(y) / &c.wad;
    let (mantissa, k) = exp_parts(&z);
    to_f(mantissa * &c.wad, k)
}

/// `Φ(x)` in fixed point, by `Φ(x) = 1/2 + φ(x) · Σ x^(2n+1) / (1·3·5···(2n+1))`: the terms
/// are all of one sign (no cancellation) and the sum converges for every `x`. `|x| <= 40`.
fn phi_fixed(x: &IBig) -> IBig {
    let square = mul(x, x);
    let mut term = x.clone();
    let mut sum = x.clone();
    let mut n = 1u32;
    loop {
        term = mul(&term, &square) / (2 * n + 1);
        if negligible(&term) {
            break;
        }
        sum += &term;
        n += 1;
    }
    // φ(x) · sum, keeping φ's full relative precision (its binary exponent applied last), so
    // that far in the lower tail, where the result is a small difference, it keeps ~49 digits.
    let c = constants();
    let (mantissa, k) = exp_parts(&-(mul(x, x) >> 1));
    let product = mul(&mul(&mantissa, &sum), &c.inv_sqrt_2pi);
    let product = if k >= 0 {
        product << k as usize
    } else {
        product >> (-k) as usize
    };
    (one() >> 1) + product
}

/// `φ(x) = e^(-x²/2) / √(2π)` in fixed point.
fn density_fixed(x: &IBig) -> IBig {
    let c = constants();
    mul(&exp_fixed(&-(mul(x, x) >> 1)), &c.inv_sqrt_2pi)
}

/// `Φ(x/1e18) · 1e18`.
pub fn norm_cdf(x: I256) -> F {
    let fixed = fixed_from_wad(x);
    let forty = IBig::from(40) << W;
    let phi = if fixed > forty {
        one()
    } else if fixed < -forty {
        IBig::ZERO
    } else {
        phi_fixed(&fixed)
    };
    to_f(phi * &constants().wad, 0)
}

/// `Φ⁻¹(p/1e18) · 1e18`, by one Newton step from `guess` (WAD). The step leaves an error of
/// `|x|/2 · e²` for a guess `e` away from the root: below 1e-34 for the ~1e-18 guesses judged
/// here, so the reference is exact to far below the errors it measures, and a bad guess still
/// shows up as a large error (the step moves the reference toward the root).
pub fn inv_norm_cdf(p: U256, guess: I256) -> F {
    let c = constants();
    let target = (IBig::from(ubig(p)) << W) / &c.wad;
    let x = fixed_from_wad(guess);
    let x = &x - div(&(phi_fixed(&x) - &target), &density_fixed(&x));
    to_f(x * &c.wad, 0)
}

/// `Φ(x)` for a real `x`, given as `numerator / 10^decimals`.
pub fn phi_decimal(numerator: i64, decimals: u32) -> F {
    let fixed = (IBig::from(numerator) << W) / IBig::from(10).pow(decimals as usize);
    to_f(phi_fixed(&fixed), 0)
}
