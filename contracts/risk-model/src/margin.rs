//! Margin maths on top of the volatility index. Pure functions, all WAD.
//!
//! * Maintenance margin `mm = max(mmFloor, k * sigma * sqrt(T_liq))`: the
//!   fraction of notional that covers `k` standard deviations of the price
//!   move over the time a liquidation takes.
//! * Initial margin `im = mm * imMultiplier`, max leverage `1 / im`.
//! * Insolvency probability: the chance that a position's equity reaches
//!   zero within a horizon, with the price a driftless geometric Brownian
//!   motion of volatility `sigma` (the price is a martingale, its logarithm
//!   drifts by `-sigma^2 / 2`). With `s = sigma * sqrt(T)`, `h = s^2 / 2`,
//!   `d = |ln(B / S)|` the log distance from the price `S` to the bankruptcy
//!   price `B`, and `R = S / B`, the closed-form first passage is
//!
//!   ```text
//!   long  (B < S): P = Phi((h - d) / s) + R * Phi(-(d + h) / s)
//!   short (B > S): P = Phi(-(d + h) / s) + R * Phi((h - d) / s)
//!   ```
//!
//!   (the long formula is `Phi((b + h)/s) + (S/B) Phi((b - h)/s)` with
//!   `b = ln(B/S) = -d`; the short one is its mirror image).
//!
//! Rounding is towards more margin and higher probability: margins and
//! `sqrt(T)` round up, leverage down; in the probability the bankruptcy
//! distance rounds down, `s` up, each normal-CDF argument towards `+inf` and
//! the reflection factor `R` up; the sum is capped at 1.

use alloy_primitives::U256;
use keel_math::{
    abs, div_wad_down, div_wad_up, exp_wad, ln_wad, mul_div_down, mul_div_up, mul_wad_down,
    mul_wad_up, norm_cdf_wad, sqrt_up, to_signed, to_unsigned, MathError, MathResult, WAD,
};

/// Seconds in the year of the RiskOracle's annualised volatilities (365 days).
pub const YEAR: u64 = 31_536_000;

/// `1e36`: WAD squared.
const WAD_SQUARED: U256 = U256::from_limbs([0xb34b_9f10_0000_0000, 0x00c0_97ce_7bc9_0715, 0, 0]);

/// Relative accuracy of [`required_margin`]: the search stops when the
/// bracket is narrower than `hi / 2^32` (2.3e-10 of the result).
pub const REQUIRED_MARGIN_PRECISION_BITS: usize = 32;

/// `sqrt(seconds / YEAR)` in WAD, rounded up.
///
/// # Errors
/// `Overflow` if `seconds * 1e36` does not fit (not for bounded inputs).
pub fn sqrt_years(seconds: U256) -> MathResult<U256> {
    Ok(sqrt_up(mul_div_up(seconds, WAD_SQUARED, U256::from(YEAR))?))
}

/// `max(floor, k * vol * sqrt(horizon / YEAR))`, rounded up.
///
/// # Errors
/// Overflow only (impossible for the stored parameter ranges).
pub fn maintenance_margin(vol: U256, k: U256, floor: U256, horizon: U256) -> MathResult<U256> {
    let scaled = mul_wad_up(mul_wad_up(k, vol)?, sqrt_years(horizon)?)?;
    Ok(scaled.max(floor))
}

/// `mm * multiplier`, rounded up.
///
/// # Errors
/// Overflow only.
pub fn initial_margin(mm: U256, multiplier: U256) -> MathResult<U256> {
    mul_wad_up(mm, multiplier)
}

/// `1 / im`, rounded down.
///
/// # Errors
/// `DivisionByZero` for `im == 0` (impossible: `im >= mmFloor > 0`).
pub fn max_leverage(im: U256) -> MathResult<U256> {
    div_wad_down(WAD, im)
}

/// A position as `insolvencyProbability` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Long (profits when the price rises) or short.
    pub is_long: bool,
    /// Entry or mark price `S` at which `equity` is measured (WAD, > 0).
    pub price: U256,
    /// Equity at `price`, in quote units (WAD).
    pub equity: U256,
    /// Size, in asset units (WAD).
    pub size: U256,
}

/// Probability (WAD) that `pos`'s equity reaches zero within `horizon`
/// seconds at annualised volatility `vol`.
///
/// The bankruptcy price is `B = S - equity / size` (long) or
/// `S + equity / size` (short). Edge cases: zero equity is already
/// insolvent (1); a zero size, a long whose equity covers the whole notional
/// (`B <= 0`), zero volatility or zero horizon cannot go bankrupt (0); a
/// short whose bankruptcy price overflows 256 bits is taken as unreachable (0).
///
/// # Errors
/// Arithmetic failure on extreme inputs (`price` is bounded by the caller).
pub fn insolvency_probability(vol: U256, pos: &Position, horizon: U256) -> MathResult<U256> {
    if pos.equity.is_zero() {
        return Ok(WAD);
    }
    if pos.size.is_zero() {
        return Ok(U256::ZERO);
    }
    // Rounded down: the barrier is never placed farther than it is. An
    // overflow means a distance beyond any price: unreachable.
    let Ok(distance) = div_wad_down(pos.equity, pos.size) else {
        return Ok(U256::ZERO);
    };
    if distance.is_zero() {
        return Ok(WAD);
    }
    let barrier = if pos.is_long {
        if distance >= pos.price {
            return Ok(U256::ZERO);
        }
        pos.price - distance
    } else {
        match pos.price.checked_add(distance) {
            Some(b) => b,
            None => return Ok(U256::ZERO),
        }
    };
    let s = mul_wad_up(vol, sqrt_years(horizon)?)?;
    first_passage(s, pos.is_long, pos.price, barrier)
}

/// The closed form: probability that the price, starting at `price`, touches
/// `barrier` (below for a long, above for a short) when its log has standard
/// deviation `s` over the horizon.
fn first_passage(s: U256, is_long: bool, price: U256, barrier: U256) -> MathResult<U256> {
    if s.is_zero() {
        return Ok(U256::ZERO);
    }
    // d = |ln(B/S)| from the ratio (>= 1) rounded down; R = S/B rounded up.
    let ratio = if is_long {
        div_wad_down(price, barrier)?
    } else {
        div_wad_down(barrier, price)?
    };
    let d = to_unsigned(ln_wad(ratio)?)?;
    let reflection = div_wad_up(price, barrier)?;
    let s_squared_up = mul_wad_up(s, s)?;
    let h_up = (s_squared_up >> 1) + (s_squared_up & U256::from(1));
    let h_down = mul_wad_down(s, s)? >> 1;
    // (h - d) / s, rounded towards +inf.
    let toward = if h_up >= d {
        to_signed(mul_div_up(h_up - d, WAD, s)?)?
    } else {
        -to_signed(mul_div_down(d - h_up, WAD, s)?)?
    };
    // -(d + h) / s, rounded towards +inf (magnitude down).
    let away = -to_signed(mul_div_down(
        d.checked_add(h_down).ok_or(MathError::Overflow)?,
        WAD,
        s,
    )?)?;
    let (a, c) = (norm_cdf_wad(toward), norm_cdf_wad(away));
    let p = if is_long {
        a.checked_add(mul_wad_up(reflection, c)?)
    } else {
        c.checked_add(mul_wad_up(reflection, a)?)
    };
    Ok(p.ok_or(MathError::Overflow)?.min(WAD))
}

/// The larger insolvency probability of a long and a short with margin
/// fraction `m` (equity over notional); a long with `m >= 1` cannot go
/// bankrupt.
fn worst_side(s: U256, m: U256) -> MathResult<U256> {
    let short = first_passage(
        s,
        false,
        WAD,
        WAD.checked_add(m).ok_or(MathError::Overflow)?,
    )?;
    if m >= WAD {
        return Ok(short);
    }
    Ok(short.max(first_passage(s, true, WAD, WAD - m)?))
}

/// Standard deviations that bound every target the oracle accepts:
/// `2 Phi(-7.5) = 6.4e-14`, below the smallest `p` (`1e-12`).
const Z_MAX: U256 = U256::from_limbs([7_500_000_000_000_000_000, 0, 0, 0]);

/// Most secant steps of [`required_margin`]; it returns its (always valid)
/// upper end after them even if the bracket is not yet narrow enough.
const MAX_STEPS: usize = 100;

/// The smallest margin fraction `m` (equity over notional, WAD) for which a
/// position on either side has insolvency probability at most `p` within
/// `horizon` seconds; `0` when `p >= 1` or there is no risk (zero volatility
/// or horizon).
///
/// Method: a bracketing secant search (Illinois variant of regula falsi) on
/// the logarithm of the exact closed form, no inverse normal. For either side
/// `P(d) <= 2 Phi((h - d)/s)`, so a log distance of `h + 7.5 s` keeps both
/// sides below `6.4e-14`: the bracket starts as `[0, e^(h + 7.5 s) - 1]`
/// (widened by doubling if a smaller `p` needs it). Every step keeps the
/// upper end covered (`P <= p`) and the lower end uncovered, steps at least
/// `hi / 2^32` inside the bracket, and stops when the bracket is narrower
/// than `hi / 2^32`; it returns the upper end. So the answer always meets the
/// target (up to the normal CDF's 1e-18 error) and exceeds the exact root by
/// less than 2.3e-10 of itself; typically 12 to 20 evaluations.
///
/// # Errors
/// Overflow when the margin is astronomically large (`e^d` beyond range).
pub fn required_margin(vol: U256, p: U256, horizon: U256) -> MathResult<U256> {
    if p >= WAD {
        return Ok(U256::ZERO);
    }
    let s = mul_wad_up(vol, sqrt_years(horizon)?)?;
    if s.is_zero() {
        return Ok(U256::ZERO);
    }
    let h: U256 = mul_wad_up(s, s)? >> 1usize;
    let d_hi = h
        .checked_add(mul_wad_up(s, Z_MAX)?)
        .ok_or(MathError::Overflow)?;
    let mut hi = exp_wad(to_signed(d_hi)?)?.saturating_sub(WAD);
    // At m = 0 both sides are already bankrupt: P = 1 > p.
    let (mut lo, mut at_lo) = (U256::ZERO, WAD);
    let mut widen = 0;
    let mut at_hi = worst_side(s, hi)?;
    while at_hi > p {
        widen += 1;
        if widen > 8 {
            return Err(MathError::Overflow);
        }
        (lo, at_lo) = (hi, at_hi);
        hi = hi
            .checked_mul(U256::from(2))
            .ok_or(MathError::Overflow)?
            .max(U256::from(1));
        at_hi = worst_side(s, hi)?;
    }
    // The secant runs on log-probabilities, which fall about quadratically
    // with the distance where the probabilities themselves fall off a cliff:
    // `excess_lo = ln P(lo) - ln p >= 0`, `slack_hi = ln p - ln P(hi) >= 0`.
    // Which end moves is decided on the probabilities themselves.
    let ln_p = ln_wad(p)?;
    let log = |prob: U256| ln_wad(prob.max(U256::from(1)));
    let mut excess_lo = abs(log(at_lo)? - ln_p);
    let mut slack_hi = abs(ln_p - log(at_hi)?);
    let mut last_moved_hi = None;
    for _ in 0..MAX_STEPS {
        let width = hi - lo;
        let step = (hi >> REQUIRED_MARGIN_PRECISION_BITS).max(U256::from(1));
        if width <= step {
            break;
        }
        // The secant root, kept at least one step inside the bracket so that
        // the bracket always shrinks by a step or more.
        let secant = mul_div_down(width, excess_lo, (excess_lo + slack_hi).max(U256::from(1)))?;
        let offset = if width <= step << 1usize {
            width >> 1usize
        } else {
            secant.max(step).min(width - step)
        };
        let m = lo + offset;
        let at = worst_side(s, m)?;
        let distance = abs(log(at)? - ln_p);
        if at <= p {
            (hi, slack_hi) = (m, distance);
            // Illinois: the end that stayed twice gets half its weight, so
            // that the next secant moves it.
            if last_moved_hi == Some(true) {
                excess_lo >>= 1usize;
            }
            last_moved_hi = Some(true);
        } else {
            (lo, excess_lo) = (m, distance);
            if last_moved_hi == Some(false) {
                slack_hi >>= 1usize;
            }
            last_moved_hi = Some(false);
        }
    }
    Ok(hi)
}

#[cfg(test)]
mod tests;
