//! Test helpers shared by the pure-module tests of `keel-risk-oracle` and
//! `keel-risk-model` (the latter includes this file by path): a seeded
//! property runner, a seeded normal generator, and an `f64` normal CDF
//! written independently of the fixed-point code (series and continued
//! fraction). Each crate uses a subset.
#![allow(dead_code)]

use alloy_primitives::U256;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Seed of every property test and simulation: runs are reproducible.
pub(crate) const SEED: [u8; 32] = *b"keel-risk-oracle-fixed-seed-0001";

/// A property runner with the fixed [`SEED`] and `cases` cases.
pub(crate) fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &SEED))
}

/// `x` (WAD) as `f64`.
pub(crate) fn f(x: U256) -> f64 {
    let v: f64 = x.into();
    v / 1e18
}

/// `x` as WAD, rounded to the nearest representable.
pub(crate) fn wad(x: f64) -> U256 {
    U256::from((x * 1e18).round() as u128)
}

/// SplitMix64 with Box-Muller normals: a small, seeded, dependency-free
/// generator for Monte-Carlo checks.
pub(crate) struct Normals {
    state: u64,
    spare: Option<f64>,
}

impl Normals {
    /// A generator seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            state: seed,
            spare: None,
        }
    }

    /// Uniform in `(0, 1)`.
    pub(crate) fn uniform(&mut self) -> f64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal.
    pub(crate) fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let (u, v) = (self.uniform(), self.uniform());
        let r = (-2.0 * u.ln()).sqrt();
        let (s, c) = (2.0 * std::f64::consts::PI * v).sin_cos();
        self.spare = Some(r * s);
        r * c
    }
}

/// Standard normal CDF in `f64`, absolute error below `1e-15`: the
/// all-positive series of `erf` for `|x| < 5` and the Laplace continued
/// fraction of the tail beyond.
pub(crate) fn phi(x: f64) -> f64 {
    if x < -5.0 {
        return upper_tail(-x);
    }
    if x > 5.0 {
        return 1.0 - upper_tail(x);
    }
    // erf(t) = 2/sqrt(pi) * exp(-t^2) * sum_n 2^n t^(2n+1) / (1*3*...*(2n+1))
    let t = x.abs() / std::f64::consts::SQRT_2;
    let mut term = t;
    let mut sum = t;
    let mut n = 0.0;
    while term > 1e-18 * sum {
        n += 1.0;
        term *= 2.0 * t * t / (2.0 * n + 1.0);
        sum += term;
    }
    let erf = 2.0 / std::f64::consts::PI.sqrt() * (-t * t).exp() * sum;
    if x >= 0.0 {
        0.5 + 0.5 * erf
    } else {
        0.5 - 0.5 * erf
    }
}

/// `1 - Phi(x)` for `x > 5` by the continued fraction
/// `phi(x) / (x + 1/(x + 2/(x + 3/(x + ...))))`.
fn upper_tail(x: f64) -> f64 {
    let mut cf = x;
    for k in (1..=60).rev() {
        cf = x + f64::from(k) / cf;
    }
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt() / cf
}

#[test]
fn phi_reference_is_symmetric_and_matches_known_quantiles() {
    for x in [0.1, 0.5, 1.0, 2.0, 4.9, 5.1, 8.0] {
        assert!((phi(x) + phi(-x) - 1.0).abs() < 1e-15, "{x}");
    }
    assert!((phi(0.0) - 0.5).abs() < 1e-16);
    // The 97.5 % quantile of the standard normal is 1.959963984540054.
    assert!((phi(1.959_963_984_540_054) - 0.975).abs() < 1e-15);
    // The 99 % quantile is 2.326347874040841.
    assert!((phi(2.326_347_874_040_841) - 0.99).abs() < 1e-15);
    // Continuity where the two methods meet: the step across x = -5 is
    // the density times the width, phi(5) * 2e-9.
    let density = (-12.5f64).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let step = phi(-4.999_999_999) - phi(-5.000_000_001);
    assert!((step - density * 2e-9).abs() < 5e-16, "{step}");
}

#[test]
fn normals_have_unit_variance() {
    let mut g = Normals::new(1);
    let n = 200_000;
    let (mut s, mut s2) = (0.0, 0.0);
    for _ in 0..n {
        let z = g.normal();
        s += z;
        s2 += z * z;
    }
    let mean = s / f64::from(n);
    assert!(mean.abs() < 0.01, "{mean}");
    assert!((s2 / f64::from(n) - 1.0).abs() < 0.01);
}
