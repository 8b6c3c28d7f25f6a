use proptest::prelude::*;

use super::*;
use crate::testutil::{f, phi, runner, wad, Normals};

const DAY: u64 = 86_400;

fn pos(is_long: bool, price: f64, equity: f64, size: f64) -> Position {
    Position {
        is_long,
        price: wad(price),
        equity: wad(equity),
        size: wad(size),
    }
}

fn prob(vol: f64, p: &Position, horizon: u64) -> f64 {
    f(
        insolvency_probability(wad(vol), p, U256::from(horizon))
            .unwrap_or_else(|e| panic!("{e:?}")),
    )
}

/// The closed form in `f64`, written from the formula, for comparison.
fn reference(vol: f64, is_long: bool, price: f64, equity: f64, size: f64, horizon: u64) -> f64 {
    let barrier = if is_long {
        price - equity / size
    } else {
        price + equity / size
    };
    if barrier <= 0.0 {
        return 0.0;
    }
    let s = vol * (horizon as f64 / YEAR as f64).sqrt();
    let h = s * s / 2.0;
    let d = (barrier / price).ln().abs();
    let r = price / barrier;
    let (a, c) = (phi((h - d) / s), phi(-(d + h) / s));
    (if is_long { a + r * c } else { c + r * a }).min(1.0)
}

/// Monte-Carlo estimate of the first-passage probability of the driftless
/// GBM, with the Brownian-bridge crossing probability between steps (exact
/// for continuous monitoring, so only sampling error remains). Returns
/// `(estimate, standard error)`.
fn monte_carlo(
    vol: f64,
    is_long: bool,
    leverage: f64,
    horizon: u64,
    paths: u32,
    seed: u64,
) -> (f64, f64) {
    let steps = 64;
    let t = horizon as f64 / YEAR as f64;
    let dt = t / f64::from(steps);
    let var = vol * vol * dt;
    // Log barrier: long at ln(1 - 1/L), short at ln(1 + 1/L).
    let b = if is_long {
        (1.0 - 1.0 / leverage).ln()
    } else {
        (1.0 + 1.0 / leverage).ln()
    };
    let mut g = Normals::new(seed);
    let (mut sum, mut sum2) = (0.0, 0.0);
    for _ in 0..paths {
        let mut x = 0.0f64;
        let mut survive = 1.0f64;
        for _ in 0..steps {
            let next = x - var / 2.0 + var.sqrt() * g.normal();
            let crossed = if is_long { next <= b } else { next >= b };
            if crossed {
                survive = 0.0;
                break;
            }
            survive *= 1.0 - (-2.0 * (x - b) * (next - b) / var).exp();
            x = next;
        }
        let hit = 1.0 - survive;
        sum += hit;
        sum2 += hit * hit;
    }
    let n = f64::from(paths);
    let mean = sum / n;
    (mean, ((sum2 / n - mean * mean) / n).sqrt())
}

#[test]
fn sqrt_years_of_a_year_is_one_and_of_a_quarter_is_a_half() {
    assert_eq!(sqrt_years(U256::from(YEAR)), Ok(WAD));
    assert_eq!(sqrt_years(U256::from(YEAR / 4)), Ok(WAD / U256::from(2)));
}

#[test]
fn sqrt_years_rounds_up() {
    let r = sqrt_years(U256::from(3_600)).unwrap_or_default();
    let exact = (3_600.0f64 / YEAR as f64).sqrt();
    assert!(f(r) >= exact * (1.0 - 1e-15));
    // ceil(sqrt(x))^2 >= x with x = 3600e36 / YEAR rounded up.
    let x = mul_div_up(U256::from(3_600), WAD_SQUARED, U256::from(YEAR)).unwrap_or_default();
    assert!(r * r >= x && (r - U256::from(1)) * (r - U256::from(1)) < x);
}

#[test]
fn maintenance_margin_scales_with_volatility_and_the_root_of_the_horizon() {
    let mm =
        maintenance_margin(wad(0.8), wad(3.0), wad(0.02), U256::from(3_600)).unwrap_or_default();
    let expected = 3.0 * 0.8 * (3_600.0f64 / YEAR as f64).sqrt();
    assert!((f(mm) - expected).abs() < 1e-15, "{} vs {expected}", f(mm));
    assert!(f(mm) >= expected);
}

#[test]
fn maintenance_margin_never_goes_below_the_floor() {
    let mm =
        maintenance_margin(wad(0.05), wad(3.0), wad(0.02), U256::from(3_600)).unwrap_or_default();
    assert_eq!(mm, wad(0.02));
}

#[test]
fn initial_margin_rounds_up_and_leverage_rounds_down() {
    let im = initial_margin(U256::from(3), wad(1.5)).unwrap_or_default();
    assert_eq!(im, U256::from(5)); // 4.5 wei up
    let lev = max_leverage(wad(0.03)).unwrap_or_default();
    assert_eq!(lev, U256::from(33_333_333_333_333_333_333u128)); // 33.33.. down
                                                                 // Leverage times initial margin never exceeds one.
    assert!(mul_wad_up(lev, wad(0.03)).unwrap_or_default() <= WAD);
}

#[test]
fn zero_equity_is_already_insolvent() {
    assert_eq!(prob(0.8, &pos(true, 3_000.0, 0.0, 1.0), DAY), 1.0);
}

#[test]
fn no_position_cannot_go_bankrupt() {
    assert_eq!(prob(0.8, &pos(true, 3_000.0, 100.0, 0.0), DAY), 0.0);
}

#[test]
fn a_long_whose_equity_covers_the_notional_cannot_go_bankrupt() {
    assert_eq!(prob(5.0, &pos(true, 3_000.0, 3_000.0, 1.0), 10 * DAY), 0.0);
    assert!(prob(5.0, &pos(true, 3_000.0, 2_000.0, 1.0), 10 * DAY) > 0.0);
}

#[test]
fn a_short_can_always_go_bankrupt_with_volatility() {
    assert!(prob(0.8, &pos(false, 3_000.0, 30_000.0, 1.0), 365 * DAY) > 0.0);
}

#[test]
fn zero_volatility_or_zero_horizon_means_no_risk() {
    assert_eq!(prob(0.0, &pos(true, 3_000.0, 300.0, 1.0), DAY), 0.0);
    assert_eq!(prob(0.8, &pos(false, 3_000.0, 300.0, 1.0), 0), 0.0);
}

#[test]
fn an_unreachable_short_barrier_is_not_an_error() {
    let p = Position {
        is_long: false,
        price: WAD,
        equity: U256::MAX,
        size: U256::from(1),
    };
    assert_eq!(
        insolvency_probability(wad(1.0), &p, U256::from(DAY)),
        Ok(U256::ZERO)
    );
}

#[test]
fn closed_form_matches_its_f64_evaluation() {
    for (is_long, vol, lev, horizon) in [
        (true, 0.8, 10.0, DAY),
        (false, 0.8, 10.0, DAY),
        (true, 0.5, 50.0, 3_600),
        (false, 2.5, 4.0, 7 * DAY),
        (true, 1.2, 1.5, 365 * DAY),
    ] {
        let p = pos(is_long, 2_000.0, 2_000.0 / lev, 1.0);
        let ours = prob(vol, &p, horizon);
        let theirs = reference(vol, is_long, 2_000.0, 2_000.0 / lev, 1.0, horizon);
        assert!(
            (ours - theirs).abs() < 1e-13,
            "{is_long} {vol} {lev}: {ours} vs {theirs}"
        );
    }
}

#[test]
fn closed_form_agrees_with_monte_carlo() {
    println!("side  vol   lev  horizon   closed-form   monte-carlo (± s.e.)");
    for (i, (is_long, vol, lev, horizon)) in [
        (true, 0.8, 10.0, DAY),
        (false, 0.8, 10.0, DAY),
        (true, 0.8, 5.0, 7 * DAY),
        (false, 2.5, 4.0, DAY),
        (true, 1.0, 20.0, DAY),
        (false, 0.5, 50.0, 3_600),
    ]
    .into_iter()
    .enumerate()
    {
        let closed = prob(vol, &pos(is_long, 1_000.0, 1_000.0 / lev, 1.0), horizon);
        let (mc, se) = monte_carlo(vol, is_long, lev, horizon, 200_000, 100 + i as u64);
        println!(
            "{}  {vol:.1}  {lev:>4.0}  {:>6}s   {closed:.6}      {mc:.6} (± {se:.6})",
            if is_long { "long " } else { "short" },
            horizon
        );
        assert!(
            (closed - mc).abs() <= 4.0 * se + 1e-9,
            "{is_long} {vol} {lev}: {closed} vs {mc} ± {se}"
        );
    }
}

#[test]
fn property_closed_form_matches_f64_and_never_rounds_below_it() {
    // vol 1 %..500 %, leverage 1.01x..200x, horizon 1 min..2 years.
    let strategy = (
        any::<bool>(),
        10_000u64..5_000_000,
        1_010_000u64..200_000_000,
        60u64..(2 * YEAR),
    );
    runner(5_000)
        .run(&strategy, |(is_long, vol_micros, lev_micros, horizon)| {
            let vol = vol_micros as f64 / 1e6;
            let lev = lev_micros as f64 / 1e6;
            let p = pos(is_long, 1_000.0, 1_000.0 / lev, 1.0);
            let ours = prob(vol, &p, horizon);
            let theirs = reference(vol, is_long, 1_000.0, f(p.equity), 1.0, horizon);
            prop_assert!((ours - theirs).abs() < 1e-12, "{ours} vs {theirs}");
            prop_assert!(
                ours >= theirs - 1e-14,
                "rounds against the protocol: {ours} < {theirs}"
            );
            prop_assert!((0.0..=1.0).contains(&ours));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn property_more_equity_never_raises_the_probability() {
    let strategy = (
        any::<bool>(),
        10_000u64..3_000_000,
        1u64..1_000_000,
        1u64..1_000_000,
        60u64..YEAR,
    );
    runner(5_000)
        .run(&strategy, |(is_long, vol, e1, e2, horizon)| {
            let (lo, hi) = (e1.min(e2), e1.max(e2));
            let at = |e: u64| {
                let p = Position {
                    is_long,
                    price: wad(1_000.0),
                    equity: U256::from(e) * U256::from(1_000_000_000_000_000u64),
                    size: WAD,
                };
                insolvency_probability(
                    U256::from(vol) * U256::from(1_000_000_000_000u64),
                    &p,
                    U256::from(horizon),
                )
            };
            let (p_lo, p_hi) = (at(lo).unwrap_or_default(), at(hi).unwrap_or_default());
            // Allow the normal CDF's own error (1e-15) for near-equal inputs.
            prop_assert!(p_hi <= p_lo + U256::from(1_000), "{p_hi} > {p_lo}");
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn property_more_volatility_or_time_never_lowers_the_probability() {
    let strategy = (
        any::<bool>(),
        10_000u64..3_000_000,
        10_000u64..3_000_000,
        1_100_000u64..100_000_000,
        60u64..YEAR,
    );
    runner(5_000)
        .run(&strategy, |(is_long, v1, v2, lev, horizon)| {
            let p = pos(is_long, 1_000.0, 1_000.0 / (lev as f64 / 1e6), 1.0);
            let at = |v: u64, t: u64| {
                insolvency_probability(
                    U256::from(v) * U256::from(1_000_000_000_000u64),
                    &p,
                    U256::from(t),
                )
                .unwrap_or_default()
            };
            let (lo, hi) = (v1.min(v2), v1.max(v2));
            prop_assert!(at(hi, horizon) + U256::from(1_000) >= at(lo, horizon));
            prop_assert!(at(lo, 2 * horizon) + U256::from(1_000) >= at(lo, horizon));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn required_margin_is_zero_for_certainty_or_no_risk() {
    assert_eq!(
        required_margin(wad(0.8), WAD, U256::from(DAY)),
        Ok(U256::ZERO)
    );
    assert_eq!(
        required_margin(U256::ZERO, wad(0.01), U256::from(DAY)),
        Ok(U256::ZERO)
    );
    assert_eq!(
        required_margin(wad(0.8), wad(0.01), U256::ZERO),
        Ok(U256::ZERO)
    );
}

/// `max(P_long, P_short)` at margin fraction `m` (notional 1 at price 1).
fn worst_side(vol: U256, m: U256, horizon: u64) -> U256 {
    let at = |is_long| {
        let p = Position {
            is_long,
            price: WAD,
            equity: m,
            size: WAD,
        };
        insolvency_probability(vol, &p, U256::from(horizon)).unwrap_or_else(|e| panic!("{e:?}"))
    };
    at(true).max(at(false))
}

#[test]
fn required_margin_meets_the_target_and_is_tight() {
    println!("vol  horizon  p        margin      P(margin)   P(margin*(1-1e-9))");
    for (vol, horizon, p) in [
        (0.8, DAY, 0.01),
        (0.8, 3_600, 0.001),
        (2.5, DAY, 0.05),
        (0.3, 30 * DAY, 1e-6),
    ] {
        let m = required_margin(wad(vol), wad(p), U256::from(horizon))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let at = worst_side(wad(vol), m, horizon);
        let below = worst_side(wad(vol), m - m / U256::from(1_000_000_000u64), horizon);
        println!(
            "{vol:.1}  {horizon:>7}  {p:<7}  {:.9}  {:.9}  {:.9}",
            f(m),
            f(at),
            f(below)
        );
        assert!(at <= wad(p), "target missed: {} > {p}", f(at));
        assert!(below > wad(p), "not tight: {}", f(below));
    }
}

#[test]
fn property_required_margin_meets_the_target_within_its_precision() {
    // vol 5 %..300 %, p 1e-9..0.5, horizon 1 min..90 days.
    let strategy = (50_000u64..3_000_000, 1u64..500_000_000, 60u64..(90 * DAY));
    runner(1_000)
        .run(&strategy, |(vol, p_nano, horizon)| {
            let vol = U256::from(vol) * U256::from(1_000_000_000_000u64);
            let p = U256::from(p_nano) * U256::from(1_000_000_000u64);
            let m = required_margin(vol, p, U256::from(horizon))
                .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert!(worst_side(vol, m, horizon) <= p);
            let below = m - (m >> 30) - U256::from(1);
            prop_assert!(worst_side(vol, below, horizon) > p, "m = {m} is not tight");
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
