use proptest::prelude::*;

use super::*;
use crate::testutil::{f, runner, wad, Normals};

const HOUR: u64 = 3_600;
/// A rate bound so large it never binds.
const NO_BOUND: U256 = WAD;

fn params(max_rate: U256) -> VolParams {
    VolParams {
        fast_decay: WAD / U256::from(HOUR),
        slow_decay: WAD / U256::from(24 * HOUR),
        max_rate,
    }
}

#[test]
fn sample_is_the_annualised_squared_log_return_per_second() {
    let s = sample_variance(wad(3_000.0), wad(3_030.0), HOUR).unwrap_or_default();
    let expected = (1.01f64).ln().powi(2) * YEAR as f64 / HOUR as f64;
    assert!(
        (f(s) / expected - 1.0).abs() < 1e-12,
        "{} vs {expected}",
        f(s)
    );
}

#[test]
fn up_and_down_moves_by_the_same_ratio_give_the_same_sample() {
    let up = sample_variance(wad(100.0), wad(125.0), 60);
    let down = sample_variance(wad(125.0), wad(100.0), 60);
    assert_eq!(up, down);
}

#[test]
fn unchanged_price_gives_a_zero_sample() {
    assert_eq!(sample_variance(wad(100.0), wad(100.0), 60), Ok(U256::ZERO));
}

#[test]
fn zero_duration_is_a_division_by_zero() {
    assert_eq!(
        sample_variance(wad(100.0), wad(101.0), 0),
        Err(MathError::DivisionByZero)
    );
}

#[test]
fn sample_rounds_up() {
    // The exact sample is irrational; rounding up means it is never below
    // the f64 value by more than f64's own error.
    let s = sample_variance(wad(1.0), wad(1.000_1), 1).unwrap_or_default();
    let exact = (1.000_1f64).ln().powi(2) * YEAR as f64;
    assert!(f(s) >= exact * (1.0 - 1e-12));
}

#[test]
fn root_of_a_perfect_square_is_the_root_plus_its_margin() {
    for sigma in [wad(0.8), wad(1.0), wad(100.0), U256::from(1_000u64)] {
        let r = root_up(sigma * sigma).unwrap_or_default();
        assert!(
            r >= sigma && r - sigma <= (sigma >> 57usize) + U256::from(4),
            "{sigma}: {r}"
        );
    }
    assert_eq!(root_up(U256::ZERO), Ok(U256::ZERO));
}

#[test]
fn property_root_up_is_never_below_the_exact_root_and_at_most_5e_18_above() {
    // x = any value from 1 to (1e20)^2 (volatilities up to the ceiling).
    let strategy = (1u64..=u64::MAX, 0usize..=70);
    runner(20_000)
        .run(&strategy, |(mantissa, shift)| {
            let x = U256::from(mantissa) << shift;
            let exact = keel_math::sqrt_up(x);
            let ours = root_up(x).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert!(ours >= exact, "{x}: {ours} < {exact}");
            prop_assert!(
                ours - exact <= (exact >> 57usize) + U256::from(4),
                "{x}: {ours} vs {exact}"
            );
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn keep_weight_is_one_at_zero_time_and_one_over_e_after_one_time_constant() {
    let decay = WAD / U256::from(HOUR);
    assert_eq!(keep_weight(decay, 0), Ok(WAD));
    let k = f(keep_weight(decay, HOUR).unwrap_or_default());
    // decay * HOUR = 1 - 1e-18 * (WAD mod HOUR) / ... : within 1e-15 of 1/e.
    assert!((k - (-1.0f64).exp()).abs() < 1e-12, "{k}");
}

#[test]
fn keep_weight_vanishes_after_a_very_long_gap() {
    assert_eq!(keep_weight(WAD, 1 << 40), Ok(U256::ZERO));
}

#[test]
fn a_steady_sample_is_a_fixed_point() {
    let vol = wad(0.8);
    let sample = mul_wad_up(vol, vol).unwrap_or_default();
    let next = step(vol, sample, WAD / U256::from(HOUR), NO_BOUND, 60).unwrap_or_default();
    // Rounding up only: at most the root's few wei above.
    assert!(
        next >= vol && next - vol <= (vol >> 57usize) + U256::from(4),
        "{next} vs {vol}"
    );
}

#[test]
fn repeated_samples_converge_to_their_volatility() {
    let target = 1.2f64;
    let sample = wad(target * target);
    let mut vol = wad(0.3);
    for _ in 0..100 {
        vol = step(vol, sample, WAD / U256::from(HOUR), NO_BOUND, HOUR).unwrap_or_default();
    }
    assert!((f(vol) - target).abs() < 1e-9, "{}", f(vol));
}

#[test]
fn splitting_an_interval_does_not_change_the_index() {
    // Steady realised variance: the same per-second sample over 2 x 30 min
    // or 1 x 60 min.
    let sample = wad(2.25);
    let decay = WAD / U256::from(HOUR);
    let once = step(wad(0.5), sample, decay, NO_BOUND, HOUR).unwrap_or_default();
    let half = step(wad(0.5), sample, decay, NO_BOUND, HOUR / 2).unwrap_or_default();
    let twice = step(half, sample, decay, NO_BOUND, HOUR / 2).unwrap_or_default();
    assert!(
        (f(once) - f(twice)).abs() < 1e-15,
        "{} vs {}",
        f(once),
        f(twice)
    );
}

#[test]
fn a_long_gap_lets_one_sample_replace_the_past() {
    let sample = wad(0.09); // 30 %
    let vol = step(
        wad(2.0),
        sample,
        WAD / U256::from(HOUR),
        NO_BOUND,
        1_000 * HOUR,
    )
    .unwrap_or_default();
    assert!((f(vol) - 0.3).abs() < 1e-15, "{}", f(vol));
}

#[test]
fn the_rate_bound_caps_a_rise() {
    let rate = wad(0.001);
    let vol = step(wad(0.5), wad(100.0), WAD, rate, 60).unwrap_or_default();
    assert_eq!(vol, wad(0.5) + rate * U256::from(60));
}

#[test]
fn the_rate_bound_caps_a_fall() {
    let rate = wad(0.001);
    let vol = step(wad(0.5), U256::ZERO, WAD, rate, 60).unwrap_or_default();
    assert_eq!(vol, wad(0.5) - rate * U256::from(60));
}

#[test]
fn the_index_never_exceeds_the_ceiling() {
    // 1e30 is above the largest possible sample: a 2^128 price ratio in
    // one second gives ln(2^128 * 1e18)^2 * YEAR = 5.3e29.
    let vol = step(
        MAX_VOLATILITY,
        U256::from(10u64).pow(U256::from(30)),
        WAD,
        WAD,
        1 << 30,
    )
    .unwrap_or_default();
    assert_eq!(vol, MAX_VOLATILITY);
}

#[test]
fn fast_component_leads_on_a_shock_and_slow_component_holds_after_it() {
    let p = params(NO_BOUND);
    let (mut fast, mut slow) = (wad(0.5), wad(0.5));
    let mut price = wad(1_000.0);
    // One hour of 1 % moves every minute: ~ 72 % annualised... a shock.
    for i in 0..60 {
        let next = if i % 2 == 0 {
            price * U256::from(101) / U256::from(100)
        } else {
            price * U256::from(100) / U256::from(101)
        };
        (fast, slow) = update(fast, slow, price, next, 60, &p).unwrap_or_default();
        price = next;
    }
    assert!(fast > slow, "fast {} slow {}", f(fast), f(slow));
    // Then a calm day: unchanged prices every minute.
    for _ in 0..(24 * 60) {
        (fast, slow) = update(fast, slow, price, price, 60, &p).unwrap_or_default();
    }
    assert!(slow > fast, "fast {} slow {}", f(fast), f(slow));
}

/// A seeded GBM path sampled every `dt` seconds at annualised vol `sigma`.
fn gbm_step(g: &mut Normals, price: U256, sigma: f64, dt: u64) -> U256 {
    let t = dt as f64 / YEAR as f64;
    let z = g.normal();
    let ratio = (sigma * t.sqrt() * z - 0.5 * sigma * sigma * t).exp();
    wad(f(price) * ratio)
}

#[test]
fn five_fold_volatility_shock_is_followed_within_the_rate_bound_then_decays_slowly() {
    let rate = wad(0.001);
    let p = params(rate);
    let mut g = Normals::new(5);
    let (mut fast, mut slow) = (wad(0.5), wad(0.5));
    let mut price = wad(2_000.0);
    let tick = 60;
    // Two calm days at 50 %.
    for _ in 0..(2 * 24 * 60) {
        let next = gbm_step(&mut g, price, 0.5, tick);
        (fast, slow) = update(fast, slow, price, next, tick, &p).unwrap_or_default();
        price = next;
    }
    let calm = fast.max(slow);
    assert!((f(calm) - 0.5).abs() < 0.15, "calm index {}", f(calm));
    // Three hours at 250 %.
    let mut peak = calm;
    let mut previous = calm;
    for _ in 0..(3 * 60) {
        let next = gbm_step(&mut g, price, 2.5, tick);
        (fast, slow) = update(fast, slow, price, next, tick, &p).unwrap_or_default();
        price = next;
        let index = fast.max(slow);
        assert!(
            index <= previous + rate * U256::from(tick),
            "rate bound broken"
        );
        previous = index;
        peak = peak.max(index);
    }
    assert!(f(peak) > 1.8, "peak index {}", f(peak));
    // A calm day after: the slow component keeps the index up.
    for _ in 0..(6 * 60) {
        let next = gbm_step(&mut g, price, 0.5, tick);
        (fast, slow) = update(fast, slow, price, next, tick, &p).unwrap_or_default();
        price = next;
    }
    assert!(slow > fast, "slow {} fast {}", f(slow), f(fast));
    let after_six_hours = slow;
    assert!(
        f(after_six_hours) > 1.5 * f(calm),
        "six hours after: {}",
        f(slow)
    );
    for _ in 0..(18 * 60) {
        let next = gbm_step(&mut g, price, 0.5, tick);
        (fast, slow) = update(fast, slow, price, next, tick, &p).unwrap_or_default();
        price = next;
    }
    let after_day = fast.max(slow);
    assert!(
        after_day < peak && after_day > calm,
        "a day after: {}",
        f(after_day)
    );
    println!(
        "5x shock: calm {:.3}, peak {:.3}, six hours after {:.3}, one day after {:.3}",
        f(calm),
        f(peak),
        f(after_six_hours),
        f(after_day)
    );
}

/// `micros` millionths as WAD.
fn micros(x: u64) -> U256 {
    U256::from(x) * U256::from(1_000_000_000_000u64)
}

#[test]
fn property_a_component_moves_at_most_the_rate_bound() {
    // vol up to 100, sample up to 10,000 (annualised variance), any decay
    // and rate, gaps up to 194 days.
    let strategy = (
        1u64..=100_000_000,
        0u64..10_000_000_000,
        1u64..=1_000_000_000_000_000_000,
        1u64..100_000_000_000_000_000,
        1u64..(1 << 24),
    );
    runner(20_000)
        .run(&strategy, |(vol, sample, decay, rate, dt)| {
            let (vol, sample, decay, rate) = (
                micros(vol),
                micros(sample),
                U256::from(decay),
                U256::from(rate),
            );
            let next = step(vol, sample, decay, rate, dt)
                .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let moved = if next > vol { next - vol } else { vol - next };
            prop_assert!(moved <= rate * U256::from(dt));
            prop_assert!(next <= MAX_VOLATILITY);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn property_without_the_bound_the_new_variance_lies_between_past_and_sample() {
    let strategy = (
        1u64..=100_000_000,
        0u64..10_000_000_000,
        1u64..=1_000_000_000_000_000_000,
        1u64..(1 << 24),
    );
    runner(20_000)
        .run(&strategy, |(vol, sample, decay, dt)| {
            let (vol, sample) = (micros(vol), micros(sample));
            let next = step(vol, sample, U256::from(decay), NO_BOUND, dt)
                .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let var = f(next) * f(next);
            let (lo, hi) = (f(vol).powi(2).min(f(sample)), f(vol).powi(2).max(f(sample)));
            let hi = hi.min(f(MAX_VOLATILITY).powi(2));
            prop_assert!(
                var >= lo * (1.0 - 1e-12) - 1e-15 && var <= hi * (1.0 + 1e-12) + 1e-15,
                "{var} not in [{lo}, {hi}]"
            );
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn property_unchanged_prices_never_raise_the_index() {
    let strategy = (1u64..=100_000_000, 1u64..(1 << 30));
    let p = params(wad(0.001));
    runner(10_000)
        .run(&strategy, |(vol, dt)| {
            let vol = micros(vol);
            let (fast, slow) = update(vol, vol, wad(5.0), wad(5.0), dt, &p)
                .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert!(fast <= vol && slow <= vol);
            prop_assert!(fast <= slow, "the fast component decays first");
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
