//! Shared by `tests/accuracy.rs` and `examples/accuracy_report.rs`: seeded input samplers, a
//! high-precision reference for every approximated function (`reference.rs`, 90 digits inside,
//! rounded to 57), and the error measurements that both the tests and the report use.

#![allow(dead_code, unreachable_pub, missing_docs)]

use dashu_float::round::mode::HalfEven;
use dashu_float::FBig;
use dashu_int::{IBig, UBig};
use keel_math::{I256, U256, WAD};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Reference numbers: binary floating point with `PRECISION_BITS` of significand.
pub type F = FBig<HalfEven>;

/// 192 bits ≈ 57.8 significant decimal digits.
pub const PRECISION_BITS: usize = 192;

// ---------------------------------------------------------------- conversions

pub fn ubig(x: U256) -> UBig {
    UBig::from_le_bytes(&x.to_le_bytes::<32>())
}

pub fn ibig(x: I256) -> IBig {
    let magnitude = IBig::from(ubig(x.unsigned_abs()));
    if x.is_negative() {
        -magnitude
    } else {
        magnitude
    }
}

pub fn f_int(x: IBig) -> F {
    F::from(x).with_precision(PRECISION_BITS).value()
}

pub fn f_u(x: U256) -> F {
    f_int(IBig::from(ubig(x)))
}

pub fn f_i(x: I256) -> F {
    f_int(ibig(x))
}

pub fn f_small(x: i64) -> F {
    f_int(IBig::from(x))
}

pub fn wad() -> F {
    f_u(WAD)
}

pub fn fabs(x: &F) -> F {
    if *x < F::ZERO {
        -x.clone()
    } else {
        x.clone()
    }
}

pub fn to_f64(x: &F) -> f64 {
    x.to_f64().value()
}

// ---------------------------------------------------------------- references (WAD-scaled)

pub mod reference;

#[allow(unused_imports)]
pub use reference::phi_decimal;
pub use reference::{exp, inv_norm_cdf, ln, norm_cdf, pow};

/// `e^(x/1e18) · 1e18` by `dashu-float`'s correctly rounded `exp` (slow; cross-check only).
pub fn exp_by_dashu_float(x: I256) -> F {
    let w = wad();
    (f_i(x) / &w).exp() * w
}

/// `ln(x/1e18) · 1e18` by `dashu-float`'s correctly rounded `ln` (slow; cross-check only).
pub fn ln_by_dashu_float(x: U256) -> F {
    let w = wad();
    (f_u(x) / &w).ln() * w
}

// ---------------------------------------------------------------- errors

/// `|got - exact|` in units of 1e-18 (wei of a WAD value).
pub fn absolute_error(got: &F, exact: &F) -> f64 {
    to_f64(&fabs(&(got - exact)))
}

/// `|got - exact| / max(exact / 1e18, 1)`: relative (in units of 1e-18) where the exact value
/// is at least 1.0, absolute below.
pub fn relative_error(got: &F, exact: &F) -> f64 {
    let w = wad();
    let scale = if fabs(exact) > w {
        fabs(exact) / w
    } else {
        f_small(1)
    };
    to_f64(&(fabs(&(got - exact)) / scale))
}

// ---------------------------------------------------------------- sampling

/// Seeded source of test inputs: the same seed gives the same inputs on every machine.
pub struct Inputs(ChaCha8Rng);

impl Inputs {
    pub fn new(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }

    pub fn u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `[0, bound)`, `bound > 0`.
    pub fn below(&mut self, bound: u64) -> u64 {
        // Rejection sampling; bias-free.
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let v = self.u64();
            if v < zone {
                return v % bound;
            }
        }
    }

    /// Uniform over all of `U256`.
    pub fn u256(&mut self) -> U256 {
        U256::from_limbs([self.u64(), self.u64(), self.u64(), self.u64()])
    }

    /// Uniform in `[lo, hi]`.
    pub fn u256_in(&mut self, lo: U256, hi: U256) -> U256 {
        let span = hi - lo;
        if span == U256::MAX {
            return self.u256();
        }
        let span = span + U256::from(1u8);
        let bits = span.bit_len();
        loop {
            let v = self.u256() >> (256 - bits);
            if v < span {
                return lo + v;
            }
        }
    }

    /// Log-uniform in `[1, 2^max_bits)`: a uniformly chosen bit length, then uniform bits.
    pub fn u256_log(&mut self, max_bits: usize) -> U256 {
        let bits = 1 + self.below(max_bits as u64) as usize;
        let top = U256::from(1u8) << (bits - 1);
        top | (self.u256() >> (257 - bits))
    }

    /// Uniform in `[lo, hi]` over signed values.
    pub fn i256_in(&mut self, lo: I256, hi: I256) -> I256 {
        let offset = self.u256_in(U256::ZERO, (hi - lo).into_raw());
        lo + I256::from_raw(offset)
    }

    /// Log-uniform magnitude in `[1, 2^max_bits)` with a random sign.
    pub fn i256_log(&mut self, max_bits: usize) -> I256 {
        let magnitude = I256::from_raw(self.u256_log(max_bits));
        if self.u64() & 1 == 1 {
            -magnitude
        } else {
            magnitude
        }
    }

    pub fn bool(&mut self) -> bool {
        self.u64() & 1 == 1
    }
}

pub fn wad_i(v: i128) -> I256 {
    I256::try_from(v).expect("fits") * I256::from_raw(WAD)
}

// ---------------------------------------------------------------- measurements

/// The largest error seen over a sample, and where.
pub struct Worst {
    pub error: f64,
    pub input: String,
    pub samples: usize,
}

impl Worst {
    pub fn new() -> Self {
        Self {
            error: 0.0,
            input: String::from("-"),
            samples: 0,
        }
    }

    pub fn record(&mut self, error: f64, input: impl FnOnce() -> String) {
        self.samples += 1;
        if error > self.error || (error.is_nan() && !self.error.is_nan()) {
            self.error = error;
            self.input = input();
        }
    }
}

/// One function's accuracy over a seeded sample.
pub struct Measurement {
    pub name: &'static str,
    /// The sampled domain, in words.
    pub domain: &'static str,
    /// `"relative"` (to `max(exact, 1.0)`) or `"absolute"`, in units of 1e-18.
    pub metric: &'static str,
    /// The accuracy target from the specification, in units of 1e-18.
    pub target: f64,
    /// The bound the crate documents (and the tests enforce), in units of 1e-18.
    pub documented: f64,
    pub worst: Worst,
}

impl Measurement {
    pub fn passes(&self) -> bool {
        self.worst.error <= self.documented && self.documented <= self.target
    }
}

/// Edge inputs of exp_wad around both ends of its domain and around zero.
fn exp_edges() -> Vec<I256> {
    use keel_math::{EXP_WAD_MAX_INPUT as MAX, EXP_WAD_MIN_INPUT as MIN};
    let one = I256::ONE;
    vec![
        I256::ZERO,
        one,
        -one,
        MAX,
        MAX - one,
        MIN,
        MIN + one,
        MIN - one,
        wad_i(1),
        wad_i(-1),
        wad_i(135),
        wad_i(-41),
        wad_i(100),
        wad_i(-20),
    ]
}

/// exp_wad against the reference: relative error to max(exact, 1.0).
pub fn measure_exp(samples: usize, seed: u64) -> Measurement {
    use keel_math::{exp_wad, MathError, EXP_WAD_MAX_INPUT as MAX, EXP_WAD_MIN_INPUT as MIN};
    let mut inputs = Inputs::new(seed);
    let mut worst = Worst::new();
    let check = |x: I256, worst: &mut Worst| {
        let got = exp_wad(x);
        if x > MAX {
            assert_eq!(got, Err(MathError::Overflow), "exp_wad({x}) must overflow");
            return;
        }
        let exact = exp(x);
        if x < MIN {
            assert!(
                exact < f_small(1),
                "below the minimum input the exact value is < 1 wei"
            );
            assert_eq!(got, Ok(U256::ZERO), "exp_wad({x}) must be zero");
        }
        let got = got.unwrap_or_else(|e| panic!("exp_wad({x}) failed: {e}"));
        worst.record(relative_error(&f_u(got), &exact), || format!("x = {x}"));
    };
    for x in exp_edges() {
        check(x, &mut worst);
    }
    let low = MIN - wad_i(1);
    for i in 0..samples {
        let x = match i % 4 {
            0 | 1 => inputs.i256_in(low, MAX),
            2 => inputs.i256_log(68).max(low).min(MAX),
            _ => inputs.i256_in(wad_i(-1), wad_i(1)),
        };
        check(x, &mut worst);
    }
    Measurement {
        name: "exp_wad",
        domain: "x in [-42.45e18, 135.999e18]: 1/2 uniform, 1/4 log-uniform |x|, 1/4 uniform [-1e18, 1e18]; + edges",
        metric: "relative",
        target: 2.0,
        documented: 1.0 + 1e-3,
        worst,
    }
}

/// ln_wad against the reference: absolute error.
pub fn measure_ln(samples: usize, seed: u64) -> Measurement {
    use keel_math::ln_wad;
    let mut inputs = Inputs::new(seed);
    let mut worst = Worst::new();
    let check = |x: U256, worst: &mut Worst| {
        let got = ln_wad(x).unwrap_or_else(|e| panic!("ln_wad({x}) failed: {e}"));
        worst.record(absolute_error(&f_i(got), &ln(x)), || format!("x = {x}"));
    };
    let one = U256::from(1u8);
    let mut edges = vec![
        one,
        U256::from(2u8),
        WAD - one,
        WAD,
        WAD + one,
        U256::MAX,
        U256::MAX - one,
    ];
    for bit in [59usize, 60, 64, 127, 128, 129, 200, 255] {
        let p = one << bit;
        edges.extend([p - one, p, p + one]);
    }
    for x in edges {
        check(x, &mut worst);
    }
    let half = WAD / U256::from(2u8);
    for i in 0..samples {
        let x = match i % 4 {
            0 | 1 => inputs.u256_log(256),
            2 => inputs.u256_in(one, U256::MAX),
            _ => inputs.u256_in(half, WAD * U256::from(2u8)),
        };
        check(x, &mut worst);
    }
    Measurement {
        name: "ln_wad",
        domain:
            "x in [1, 2^256): 1/2 log-uniform, 1/4 uniform, 1/4 uniform [0.5e18, 2e18]; + edges",
        metric: "absolute",
        target: 2.0,
        documented: 0.5 + 3e-4,
        worst,
    }
}

/// A `y` (WAD) with `y · ln(x/1e18) ≈ z`, or `None` when `x` is 1.0. Generated through `f64`
/// and kept exact as a 53-bit mantissa times a power of two (only the inputs are approximate).
fn exponent_for(x: U256, z: f64) -> Option<I256> {
    let ln_x = to_f64(&(f_u(x) / wad()).ln());
    if ln_x == 0.0 {
        return None;
    }
    let y = z / ln_x * 1e18;
    let shift = (y.abs().log2().floor() as i32 - 52).max(0);
    let mantissa = (y.abs() / 2f64.powi(shift)) as u64;
    let magnitude = I256::from_raw(U256::from(mantissa) << shift as usize);
    Some(if y < 0.0 { -magnitude } else { magnitude })
}

/// pow_wad against the reference: relative error to max(exact, 1.0), over inputs whose exact
/// result fits (other inputs are checked for the right error or zero).
pub fn measure_pow(samples: usize, seed: u64) -> Measurement {
    use keel_math::{pow_wad, MathError};
    let mut inputs = Inputs::new(seed);
    let mut worst = Worst::new();
    let max = f_u(U256::MAX);
    let max_plus = &max * (f_small(1) + f_small(1) / f_small(1_000_000_000));
    let check = |x: U256, y: I256, worst: &mut Worst| {
        let got = pow_wad(x, y);
        if x.is_zero() || y.is_zero() || x == WAD {
            return; // defined cases, covered by unit tests
        }
        let exact = pow(x, y);
        if exact > max_plus {
            assert_eq!(
                got,
                Err(MathError::Overflow),
                "pow_wad({x}, {y}) must overflow"
            );
            return;
        }
        if exact > max {
            return; // within 1e-9 of the overflow threshold: either answer is acceptable
        }
        let got = got.unwrap_or_else(|e| panic!("pow_wad({x}, {y}) failed: {e}"));
        worst.record(relative_error(&f_u(got), &exact), || {
            format!("x = {x}, y = {y}")
        });
    };
    let two = WAD * U256::from(2u8);
    check(two, wad_i(255), &mut worst);
    check(two, wad_i(-59), &mut worst);
    check(U256::from(1u8), wad_i(-7), &mut worst);
    check(U256::MAX, I256::ONE, &mut worst);
    check(
        WAD + U256::from(1u8),
        wad_i(100_000_000_000_000_000_000),
        &mut worst,
    );
    for i in 0..samples {
        let x = match i % 3 {
            0 => inputs.u256_log(256),
            1 => inputs.u256_in(WAD / U256::from(2u8), two),
            _ => inputs.u256_in(
                WAD - U256::from(1_000_000u64),
                WAD + U256::from(1_000_000u64),
            ),
        };
        // Target exponent y · ln x uniform over the range where the result is representable.
        let z = -43.0 + 179.0 * (inputs.below(1 << 53) as f64 / (1u64 << 53) as f64);
        let Some(y) = exponent_for(x, z) else {
            continue;
        };
        check(x, y, &mut worst);
    }
    Measurement {
        name: "pow_wad",
        domain: "x: 1/3 log-uniform [1, 2^256), 1/3 uniform [0.5e18, 2e18], 1/3 within 1e-12 of 1e18; y set so y·ln x is uniform in [-43, 136]; + edges",
        metric: "relative",
        target: 1000.0,
        documented: 1.0,
        worst,
    }
}

/// norm_cdf_wad against the reference: absolute error. Beyond `|x| = 9.5` the exact tail is
/// below `1.1e-21`, so the correctly rounded result is exactly 0 or 1e18: those inputs are
/// checked for saturation directly (a quarter of the sample).
pub fn measure_norm_cdf(samples: usize, seed: u64) -> Measurement {
    use keel_math::norm_cdf_wad;
    let mut inputs = Inputs::new(seed);
    let mut worst = Worst::new();
    let check = |x: I256, worst: &mut Worst| {
        let got = norm_cdf_wad(x);
        worst.record(absolute_error(&f_u(got), &norm_cdf(x)), || {
            format!("x = {x}")
        });
    };
    let one = I256::ONE;
    for x in [
        I256::ZERO,
        one,
        -one,
        wad_i(9),
        wad_i(9) - one,
        wad_i(-9),
        wad_i(-9) + one,
        wad_i(1),
        wad_i(-1),
        wad_i(-10),
        wad_i(10),
    ] {
        check(x, &mut worst);
    }
    let edge = wad_i(95) / I256::try_from(10).unwrap();
    for i in 0..samples {
        match i % 4 {
            0 | 1 => check(inputs.i256_in(-edge, edge), &mut worst),
            2 => check(inputs.i256_log(64).max(-edge).min(edge), &mut worst),
            _ => {
                let x = inputs.i256_log(255);
                if x.unsigned_abs() > edge.unsigned_abs() {
                    let expected = if x.is_negative() { U256::ZERO } else { WAD };
                    assert_eq!(norm_cdf_wad(x), expected, "saturation at {x}");
                    worst.samples += 1;
                } else {
                    check(x, &mut worst);
                }
            }
        }
    }
    Measurement {
        name: "norm_cdf_wad",
        domain: "x: 1/2 uniform [-9.5e18, 9.5e18], 1/4 log-uniform |x| <= 9.5e18, 1/4 log-uniform |x| < 2^255 (saturation beyond 9.5); + edges",
        metric: "absolute",
        target: 1000.0,
        documented: 0.5 + 0.05,
        worst,
    }
}

/// inv_norm_cdf_wad against the reference: absolute error.
pub fn measure_inv_norm_cdf(samples: usize, seed: u64) -> Measurement {
    use keel_math::inv_norm_cdf_wad;
    let mut inputs = Inputs::new(seed);
    let mut worst = Worst::new();
    let check = |p: U256, worst: &mut Worst| {
        let got =
            inv_norm_cdf_wad(p).unwrap_or_else(|e| panic!("inv_norm_cdf_wad({p}) failed: {e}"));
        worst.record(absolute_error(&f_i(got), &inv_norm_cdf(p, got)), || {
            format!("p = {p}")
        });
    };
    let one = U256::from(1u8);
    let half = WAD / U256::from(2u8);
    let region = U256::from(24_250_000_000_000_000u64);
    for p in [
        one,
        U256::from(2u8),
        WAD - one,
        half,
        half - one,
        half + one,
        region - one,
        region,
        region + one,
        WAD - region,
    ] {
        check(p, &mut worst);
    }
    for i in 0..samples {
        let p = match i % 2 {
            0 => inputs.u256_in(one, WAD - one),
            _ => {
                let tail = inputs.u256_log(59).min(half);
                if inputs.bool() {
                    tail
                } else {
                    WAD - tail
                }
            }
        };
        check(p, &mut worst);
    }
    Measurement {
        name: "inv_norm_cdf_wad",
        domain: "p: 1/2 uniform (0, 1e18), 1/2 log-uniform tail in [1, 5e17] mirrored at random; + edges",
        metric: "absolute",
        target: 1000.0,
        documented: 1.0,
        worst,
    }
}
