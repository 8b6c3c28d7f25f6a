//! Accuracy against a 57-digit reference, exactness against big integers, and the algebraic
//! properties the crate documents. Every random input comes from a fixed seed.
//!
//! Sample sizes: at least 100,000 per function (uniform and log-uniform), plus edge cases.

mod support;

use keel_math::*;
use support::*;

const SAMPLES: usize = 100_000;

fn assert_within_documented(m: &Measurement) {
    assert!(
        m.worst.error <= m.documented,
        "{}: max {} error {:.4} (units of 1e-18) exceeds the documented {} at {} ({} samples)",
        m.name,
        m.metric,
        m.worst.error,
        m.documented,
        m.worst.input,
        m.worst.samples
    );
    assert!(
        m.worst.samples >= SAMPLES,
        "{}: only {} samples",
        m.name,
        m.worst.samples
    );
}

// ------------------------------------------------------------------------------ accuracy

#[test]
fn exp_wad_is_within_one_unit_relative() {
    assert_within_documented(&measure_exp(SAMPLES, 0xE4D));
}

#[test]
fn ln_wad_is_within_half_a_unit_absolute() {
    assert_within_documented(&measure_ln(SAMPLES, 0x1A));
}

#[test]
fn pow_wad_is_within_one_unit_relative() {
    assert_within_documented(&measure_pow(SAMPLES, 0x90E));
}

#[test]
fn norm_cdf_wad_is_within_0_55_units_absolute() {
    assert_within_documented(&measure_norm_cdf(SAMPLES, 0xCDF));
}

#[test]
fn inv_norm_cdf_wad_is_within_one_unit_absolute() {
    assert_within_documented(&measure_inv_norm_cdf(SAMPLES, 0x1CDF));
}

#[test]
fn reference_normal_cdf_matches_published_digits() {
    // Φ(1), Φ(-5) and Φ(-8.5) to 38, 39 and 40 significant digits.
    let cases = [
        ((1, 0), 38, "84134474606854294858523254563203792248"),
        ((-5, 0), 45, "286651571879193911673752332874645353854"),
        ((-85, 1), 57, "9479534822203318354151050467847551492826"),
    ];
    for ((numerator, decimals), scale, digits) in cases {
        let scaled = phi_decimal(numerator, decimals) * f_int(dashu_int::IBig::from(10).pow(scale));
        let rounded = scaled.round().to_int().value();
        assert_eq!(rounded.to_string(), digits, "Φ({numerator}e-{decimals})");
    }
}

#[test]
fn reference_exp_and_ln_agree_with_dashu_float() {
    let mut inputs = Inputs::new(0xDA5);
    for _ in 0..300 {
        let x = inputs.i256_in(wad_i(-42), wad_i(136));
        let (fast, slow) = (exp(x), exp_by_dashu_float(x));
        assert!(
            fabs(&(&fast - &slow)) <= fabs(&slow) * f_small(1) / f_int(dashu_int::IBig::ONE << 180),
            "exp at {x}"
        );
        let u = inputs.u256_log(256);
        let (fast, slow) = (ln(u), ln_by_dashu_float(u));
        assert!(
            fabs(&(&fast - &slow)) <= f_small(1) / f_int(dashu_int::IBig::ONE << 100),
            "ln at {u}"
        );
    }
}

// ------------------------------------------------------------------------------ exactness

/// A 512-bit-safe exact `x · y / d` (floor, ceil) with big integers.
fn exact_mul_div(x: U256, y: U256, d: U256) -> (dashu_int::UBig, dashu_int::UBig) {
    let product = ubig(x) * ubig(y);
    let d = ubig(d);
    let floor = &product / &d;
    let ceil = if &floor * &d == product {
        floor.clone()
    } else {
        &floor + dashu_int::UBig::ONE
    };
    (floor, ceil)
}

fn check_against(got: MathResult<U256>, exact: &dashu_int::UBig, what: &str) {
    if *exact > ubig(U256::MAX) {
        assert_eq!(got, Err(MathError::Overflow), "{what}");
    } else {
        assert_eq!(got.map(ubig), Ok(exact.clone()), "{what}");
    }
}

#[test]
fn mul_div_is_exact_in_both_directions() {
    let mut inputs = Inputs::new(0x3D1);
    for i in 0..SAMPLES {
        let (x, y, d) = match i % 3 {
            0 => (
                inputs.u256_log(256),
                inputs.u256_log(256),
                inputs.u256_log(256),
            ),
            1 => (inputs.u256(), inputs.u256(), inputs.u256()),
            _ => (
                inputs.u256_log(256),
                inputs.u256_log(256),
                inputs.u256_log(64),
            ),
        };
        let (floor, ceil) = exact_mul_div(x, y, d);
        check_against(
            mul_div_down(x, y, d),
            &floor,
            &format!("mul_div_down({x}, {y}, {d})"),
        );
        check_against(
            mul_div_up(x, y, d),
            &ceil,
            &format!("mul_div_up({x}, {y}, {d})"),
        );
    }
}

#[test]
fn wad_and_ray_shorthands_are_exact() {
    let mut inputs = Inputs::new(0x3D2);
    for _ in 0..SAMPLES / 4 {
        let (x, y) = (inputs.u256_log(200), inputs.u256_log(200));
        let cases: [(MathResult<U256>, (dashu_int::UBig, dashu_int::UBig), bool); 8] = [
            (mul_wad_down(x, y), exact_mul_div(x, y, WAD), false),
            (mul_wad_up(x, y), exact_mul_div(x, y, WAD), true),
            (div_wad_down(x, y), exact_mul_div(x, WAD, y), false),
            (div_wad_up(x, y), exact_mul_div(x, WAD, y), true),
            (mul_ray_down(x, y), exact_mul_div(x, y, RAY), false),
            (mul_ray_up(x, y), exact_mul_div(x, y, RAY), true),
            (div_ray_down(x, y), exact_mul_div(x, RAY, y), false),
            (div_ray_up(x, y), exact_mul_div(x, RAY, y), true),
        ];
        for (k, (got, (floor, ceil), up)) in cases.into_iter().enumerate() {
            check_against(
                got,
                if up { &ceil } else { &floor },
                &format!("shorthand {k} at ({x}, {y})"),
            );
        }
    }
}

#[test]
fn sqrt_is_the_exact_floor_and_sqrt_up_the_exact_ceiling() {
    let mut inputs = Inputs::new(0x5C7);
    for i in 0..SAMPLES {
        let x = if i % 2 == 0 {
            inputs.u256_log(256)
        } else {
            inputs.u256()
        };
        let (floor, ceil) = (ubig(sqrt(x)), ubig(sqrt_up(x)));
        let big = ubig(x);
        assert!(
            &floor * &floor <= big && (&floor + 1u8) * (&floor + 1u8) > big,
            "sqrt({x})"
        );
        assert!(
            &ceil * &ceil >= big
                && (ceil == dashu_int::UBig::ZERO || (&ceil - 1u8) * (&ceil - 1u8) < big),
            "sqrt_up({x})"
        );
    }
}

#[test]
fn sqrt_wad_is_exact_for_every_u256() {
    let mut inputs = Inputs::new(0x5C8);
    for i in 0..SAMPLES {
        let x = if i % 2 == 0 {
            inputs.u256_log(256)
        } else {
            inputs.u256()
        };
        let target = ubig(x) * ubig(WAD);
        let floor = ubig(sqrt_wad(x).unwrap());
        let ceil = ubig(sqrt_wad_up(x).unwrap());
        assert!(
            &floor * &floor <= target && (&floor + 1u8) * (&floor + 1u8) > target,
            "sqrt_wad({x})"
        );
        assert!(
            &ceil * &ceil >= target
                && (ceil == dashu_int::UBig::ZERO || (&ceil - 1u8) * (&ceil - 1u8) < target),
            "sqrt_wad_up({x})"
        );
    }
}

#[test]
fn decimal_conversions_are_exact_or_rounded_as_named() {
    let mut inputs = Inputs::new(0xDEC);
    for _ in 0..SAMPLES / 4 {
        let amount = inputs.u256_log(256);
        let decimals = inputs.below(40) as u8;
        let ten = dashu_int::UBig::from(10u8);
        let (up_factor, down_factor) = if decimals <= 18 {
            (ten.pow(18 - decimals as usize), None)
        } else {
            (dashu_int::UBig::ONE, Some(ten.pow(decimals as usize - 18)))
        };
        let big = ubig(amount);
        match &down_factor {
            None => {
                let exact = &big * &up_factor;
                check_against(to_wad(amount, decimals), &exact, "to_wad");
                check_against(to_wad_down(amount, decimals), &exact, "to_wad_down");
                check_against(to_wad_up(amount, decimals), &exact, "to_wad_up");
                let (floor, ceil) = (&big / &up_factor, (&big + &up_factor - 1u8) / &up_factor);
                check_against(from_wad_down(amount, decimals), &floor, "from_wad_down");
                check_against(from_wad_up(amount, decimals), &ceil, "from_wad_up");
            }
            Some(factor) => {
                assert_eq!(to_wad(amount, decimals), Err(MathError::OutOfDomain));
                let (floor, ceil) = (&big / factor, (&big + factor - 1u8) / factor);
                check_against(to_wad_down(amount, decimals), &floor, "to_wad_down");
                check_against(to_wad_up(amount, decimals), &ceil, "to_wad_up");
                check_against(
                    from_wad_down(amount, decimals),
                    &(&big * factor),
                    "from_wad_down",
                );
            }
        }
    }
}

// ------------------------------------------------------------------------------ properties

/// `*_up` is never below `*_down` and exceeds it by at most one, wherever both succeed.
fn up_over_down(down: MathResult<U256>, up: MathResult<U256>, what: &str) {
    if let (Ok(d), Ok(u)) = (down, up) {
        assert!(
            u >= d && u - d <= U256::from(1u8),
            "{what}: down {d}, up {u}"
        );
    } else {
        assert!(
            down.is_err() || up == Err(MathError::Overflow),
            "{what}: {down:?} / {up:?}"
        );
    }
}

#[test]
fn every_up_is_at_most_one_above_its_down() {
    let mut inputs = Inputs::new(0x0D0);
    for _ in 0..SAMPLES {
        let (x, y, d) = (
            inputs.u256_log(256),
            inputs.u256_log(256),
            inputs.u256_log(256),
        );
        up_over_down(mul_div_down(x, y, d), mul_div_up(x, y, d), "mul_div");
        up_over_down(mul_wad_down(x, y), mul_wad_up(x, y), "mul_wad");
        up_over_down(div_wad_down(x, y), div_wad_up(x, y), "div_wad");
        up_over_down(mul_ray_down(x, y), mul_ray_up(x, y), "mul_ray");
        up_over_down(div_ray_down(x, y), div_ray_up(x, y), "div_ray");
        let decimals = inputs.below(60) as u8;
        up_over_down(to_wad_down(x, decimals), to_wad_up(x, decimals), "to_wad");
        up_over_down(
            from_wad_down(x, decimals),
            from_wad_up(x, decimals),
            "from_wad",
        );
        up_over_down(Ok(sqrt(x)), Ok(sqrt_up(x)), "sqrt");
        up_over_down(sqrt_wad(x), sqrt_wad_up(x), "sqrt_wad");
        let (sx, sy) = (inputs.i256_log(255), inputs.i256_log(255));
        let sd = inputs.i256_log(255);
        if let (Ok(lo), Ok(hi)) = (
            mul_div_signed_down(sx, sy, sd),
            mul_div_signed_up(sx, sy, sd),
        ) {
            assert!(
                hi >= lo && hi - lo <= I256::ONE,
                "signed mul_div({sx}, {sy}, {sd})"
            );
        }
    }
}

/// Evaluates `f` on sorted random inputs and on neighbouring pairs `(x, x + 1)`, asserting
/// the outputs never decrease.
fn assert_non_decreasing<T: Ord + Copy + core::fmt::Display, R: PartialOrd + core::fmt::Debug>(
    name: &str,
    mut sample: Vec<T>,
    next: impl Fn(T) -> Option<T>,
    f: impl Fn(T) -> R,
) {
    sample.sort();
    let mut previous: Option<(T, R)> = None;
    for &x in &sample {
        let y = f(x);
        if let Some((px, py)) = &previous {
            assert!(
                *py <= y,
                "{name} decreases between {px} and {x}: {py:?} > {y:?}"
            );
        }
        if let Some(x1) = next(x) {
            let y1 = f(x1);
            assert!(
                y <= y1,
                "{name} decreases from {x} to its neighbour: {y:?} > {y1:?}"
            );
        }
        previous = Some((x, y));
    }
}

#[test]
fn exp_wad_never_decreases() {
    let mut inputs = Inputs::new(0x40E);
    let sample: Vec<I256> = (0..SAMPLES)
        .map(|i| {
            if i % 2 == 0 {
                inputs.i256_in(wad_i(-43), EXP_WAD_MAX_INPUT - I256::ONE)
            } else {
                inputs.i256_log(67).min(EXP_WAD_MAX_INPUT - I256::ONE)
            }
        })
        .collect();
    assert_non_decreasing(
        "exp_wad",
        sample,
        |x| Some(x + I256::ONE),
        |x| exp_wad(x).unwrap(),
    );
}

#[test]
fn ln_wad_never_decreases() {
    let mut inputs = Inputs::new(0x41E);
    let sample: Vec<U256> = (0..SAMPLES)
        .map(|_| inputs.u256_log(256).min(U256::MAX - U256::from(1u8)))
        .collect();
    assert_non_decreasing(
        "ln_wad",
        sample,
        |x| Some(x + U256::from(1u8)),
        |x| ln_wad(x).unwrap(),
    );
}

#[test]
fn norm_cdf_wad_never_decreases() {
    let mut inputs = Inputs::new(0xCD0);
    let sample: Vec<I256> = (0..SAMPLES)
        .map(|_| inputs.i256_in(wad_i(-10), wad_i(10)))
        .collect();
    assert_non_decreasing(
        "norm_cdf_wad",
        sample,
        |x| Some(x + I256::ONE),
        norm_cdf_wad,
    );
}

#[test]
fn inv_norm_cdf_wad_strictly_increases() {
    let mut inputs = Inputs::new(0x1C0);
    let mut sample: Vec<U256> = (0..SAMPLES / 2)
        .map(|_| inputs.u256_in(U256::from(1u8), WAD - U256::from(2u8)))
        .collect();
    sample.sort();
    for p in sample {
        let (a, b) = (
            inv_norm_cdf_wad(p).unwrap(),
            inv_norm_cdf_wad(p + U256::from(1u8)).unwrap(),
        );
        assert!(a < b, "inv_norm_cdf_wad not increasing at {p}: {a} >= {b}");
    }
}

#[test]
fn norm_cdf_of_x_plus_norm_cdf_of_minus_x_is_exactly_one() {
    let mut inputs = Inputs::new(0x5E);
    for _ in 0..SAMPLES {
        let x = inputs.i256_log(70);
        assert_eq!(norm_cdf_wad(x) + norm_cdf_wad(-x), WAD, "x = {x}");
    }
}

#[test]
fn norm_cdf_of_inv_norm_cdf_returns_p_within_one_wei() {
    let mut inputs = Inputs::new(0x77);
    for _ in 0..SAMPLES {
        let p = inputs.u256_in(U256::from(1u8), WAD - U256::from(1u8));
        let back = norm_cdf_wad(inv_norm_cdf_wad(p).unwrap());
        let distance = if back > p { back - p } else { p - back };
        assert!(distance <= U256::from(1u8), "p = {p}, Φ(Φ⁻¹(p)) = {back}");
    }
}

#[test]
fn ln_of_exp_returns_x() {
    // |ln(exp(x)) - x| <= 1/2 + (the relative resolution of exp(x), 1e18 / exp(x)) + 1e-3 units.
    let mut inputs = Inputs::new(0x1E);
    for _ in 0..SAMPLES {
        let x = inputs.i256_in(wad_i(-40), EXP_WAD_MAX_INPUT);
        let e = exp_wad(x).unwrap();
        let back = ln_wad(e).unwrap();
        let distance = to_f64(&fabs(&(f_i(back) - f_i(x))));
        let resolution = 1e18 / to_f64(&f_u(e));
        assert!(
            distance <= 1.501 + resolution,
            "x = {x}: ln(exp(x)) = {back}"
        );
    }
}

#[test]
fn exp_of_ln_returns_x() {
    // ln_wad is within 0.5 units absolute, i.e. exp(ln x) within 0.5e-18 relative, plus floor.
    let mut inputs = Inputs::new(0xE1);
    for _ in 0..SAMPLES {
        let x = inputs.u256_log(256);
        let back = exp_wad(ln_wad(x).unwrap()).unwrap();
        let error = to_f64(&fabs(&(f_u(back) - f_u(x))));
        let bound = 1.0 + to_f64(&f_u(x)) * 0.501e-18;
        assert!(error <= bound, "x = {x}: exp(ln(x)) = {back}");
    }
}

#[test]
fn rpow_brackets_the_exact_power_and_matches_repeated_mul_div() {
    let mut inputs = Inputs::new(0x290);
    for i in 0..SAMPLES / 10 {
        let base = if i % 2 == 0 { WAD } else { RAY };
        // x in [0.5, 2) · base and n <= 64: the exact power is a small big-integer fraction.
        let x = inputs.u256_in(
            base / U256::from(2u8),
            base * U256::from(2u8) - U256::from(1u8),
        );
        let n = inputs.below(65) as usize;
        let rounded =
            |f: fn(U256, U256, U256) -> MathResult<U256>| ubig(f(x, U256::from(n), base).unwrap());
        let (down, near, up) = (rounded(rpow_down), rounded(rpow), rounded(rpow_up));
        if n == 0 {
            assert!(down == ubig(base) && near == ubig(base) && up == ubig(base));
            continue;
        }
        // exact = x^n / base^(n-1)
        let numerator = ubig(x).pow(n);
        let denominator = ubig(base).pow(n - 1);
        assert!(
            &down * &denominator <= numerator,
            "rpow_down above exact: x = {x}, n = {n}"
        );
        assert!(
            numerator <= &up * &denominator,
            "rpow_up below exact: x = {x}, n = {n}"
        );
        assert!(
            down <= near && near <= up,
            "rpow outside its bracket: x = {x}, n = {n}"
        );
        if x < base {
            continue;
        }
        // For x >= base every intermediate is >= base, so both n - 1 sequential mul_div_down
        // steps and rpow_down stay within a relative n / base of the exact power (2n for the
        // squarings, which double the error carried so far).
        let mut sequential = x;
        for _ in 1..n {
            sequential = mul_div_down(sequential, x, base).unwrap();
        }
        let sequential = ubig(sequential);
        assert!(
            &sequential * &denominator <= numerator,
            "sequential above exact: x = {x}, n = {n}"
        );
        let spread = if sequential > down {
            &sequential - &down
        } else {
            &down - &sequential
        };
        assert!(
            spread * ubig(base) <= (&up + 1u8) * (3 * n),
            "rpow vs repeated mul_div: x = {x}, n = {n}"
        );
    }
}
