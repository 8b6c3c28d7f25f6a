//! The volatility index: a time-aware EWMA of squared log returns.
//!
//! Pure functions, no storage. Each accepted price `p`, `dt` seconds after
//! the previous accepted price `q`, gives one sample of the **variance per
//! second** `ln(p/q)^2 / dt`. Samples are kept annualised (times [`YEAR`]),
//! so the state is an annualised volatility and no precision is lost on
//! per-second variances of order `1e-8`.
//!
//! Each component (fast, slow) blends the sample into its variance with the
//! weight the sample's duration earns under an exponential decay of rate
//! `lambda` per second:
//!
//! ```text
//! keep  = exp(-lambda * dt)                       (weight of the past)
//! var'  = keep * sigma^2 + (1 - keep) * sample     (annualised variance)
//! sigma' = clamp(sqrt(var'), sigma - rate * dt, sigma + rate * dt)
//! ```
//!
//! Because the weight depends only on `dt`, splitting an interval of steady
//! realised variance into several samples gives the same index as one long
//! sample: the index does not depend on how often it is poked. A long gap
//! (`lambda * dt` large) lets one sample replace the past, and a long-gap
//! sample is itself averaged over the whole gap.
//!
//! The clamp bounds how fast either component, and so the index (the larger
//! one), can move: manipulating the index by a given amount takes a given
//! time, as in Aloe II's volatility oracle. The stored state is the clamped
//! value, and results are capped at [`MAX_VOLATILITY`].
//!
//! Rounding: every step rounds up (log return, sample, both EWMA terms, the
//! square root): a higher volatility means higher margins, the protocol's
//! side.

use alloy_primitives::{I256, U256};
use keel_math::{
    div_wad_up, exp_wad, ln_wad, mul_div_up, mul_wad_up, to_unsigned, MathError, MathResult, WAD,
};

use crate::params::{MAX_VOLATILITY, YEAR};

/// `ln(1e9)` in WAD, rounded to nearest (error 0.16e-18).
// 20_723_265_836_946_411_156 = 2^64 + 2_276_521_763_236_859_540.
const LN_1E9: U256 = U256::from_limbs([2_276_521_763_236_859_540, 1, 0, 0]);

/// `sqrt(x)` rounded up, for `x = sigma^2` with `sigma` a WAD volatility
/// (`x` in WAD-squared units), as `exp(ln(x / 1e18) / 2 - ln(1e9))`.
///
/// Why not `keel_math::sqrt_up`: it links its own 128-bit integer root and
/// division (about 1.5 KB of the oracle's 24 KiB budget) while `ln_wad` and
/// `exp_wad` are here anyway. `ln(x / 1e18) / 2 = ln(sigma) + ln(1e9)` with
/// `sigma` as a real number, so the exponent is `ln(sigma)`. Error in the
/// exponent: `ln_wad` 0.5e-18, the halving 0.5e-18, the constant 0.16e-18;
/// `exp_wad` adds 1e-22 relative and one wei. So the result is within
/// `1.2e-18 * sigma + 1` of the root, and adding `sigma / 2^58 + 2` (at least
/// `3.4e-18 * sigma + 2`) rounds up: never below the exact root, at most
/// `5e-18 * sigma + 3` wei above it.
pub fn root_up(x: U256) -> MathResult<U256> {
    if x.is_zero() {
        return Ok(U256::ZERO);
    }
    // Halve and shift in two's complement on the raw word: a floor halving
    // (arithmetic shift) and a subtraction that cannot overflow (|ln| < 200).
    let log = ln_wad(x)?.into_raw();
    let half = if log.bit(255) {
        !((!log) >> 1usize)
    } else {
        log >> 1usize
    };
    let root = exp_wad(I256::from_raw(half.wrapping_sub(LN_1E9)))?;
    Ok(root + (root >> 58usize) + U256::from(2))
}

/// The decays and the rate bound of the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VolParams {
    /// Decay rate per second of the fast component (WAD).
    pub fast_decay: U256,
    /// Decay rate per second of the slow component (WAD).
    pub slow_decay: U256,
    /// Largest move of a component, annualised volatility per second (WAD).
    pub max_rate: U256,
}

/// Annualised variance (WAD) of one sample: `ln(price / last)^2 * YEAR / dt`,
/// rounded up (the log of the larger over the smaller price, with the ratio
/// itself rounded up).
///
/// # Errors
/// `DivisionByZero` for a zero price or `dt`.
pub fn sample_variance(last: U256, price: U256, dt: u64) -> MathResult<U256> {
    if dt == 0 {
        return Err(MathError::DivisionByZero);
    }
    let (hi, lo) = if price >= last {
        (price, last)
    } else {
        (last, price)
    };
    // Prices < 2^128, so hi / lo < 2^128 and |ln| < 130e18.
    let log_return = to_unsigned(ln_wad(div_wad_up(hi, lo)?)?)?;
    let squared = log_return
        .checked_mul(log_return)
        .ok_or(MathError::Overflow)?;
    let per_wad_second = WAD.checked_mul(U256::from(dt)).ok_or(MathError::Overflow)?;
    // squared < 1.7e40, times YEAR < 2^160.
    mul_div_up(squared, U256::from(YEAR), per_wad_second)
}

/// Weight of the past after `dt` seconds at `decay` per second:
/// `exp(-decay * dt)` in WAD.
///
/// # Errors
/// Only if `decay * dt` overflows (it cannot for stored parameters: `decay
/// <= 1e18`, `dt < 2^48`).
pub fn keep_weight(decay: U256, dt: u64) -> MathResult<U256> {
    // decay <= 1e18 and dt < 2^48 in storage: the product is far below
    // 2^255, and its negation is taken on the raw two's-complement word.
    let exponent = decay
        .checked_mul(U256::from(dt))
        .ok_or(MathError::Overflow)?;
    if exponent.bit(255) {
        return Err(MathError::Overflow);
    }
    Ok(exp_wad(I256::from_raw(U256::ZERO.wrapping_sub(exponent)))?.min(WAD))
}

/// One component's step: blend `sample` (annualised variance) into the
/// component `vol` over `dt` seconds, then clamp the move to `max_rate * dt`
/// and cap at [`MAX_VOLATILITY`].
///
/// # Errors
/// Arithmetic overflow, impossible for the ranges the oracle stores.
pub fn step(vol: U256, sample: U256, decay: U256, max_rate: U256, dt: u64) -> MathResult<U256> {
    let keep = keep_weight(decay, dt)?;
    // Variances in WAD^2 units (sigma * sigma, no division) so that the
    // square of the stored volatility is exact: with a zero sample the
    // result can never round above the previous volatility.
    // vol <= 1e20 and sample < 6e29 (a 2^128 price ratio over one second),
    // so vol^2 and sample * 1e18 stay below 2^160.
    let overflow = || MathError::Overflow;
    let past = mul_wad_up(vol.checked_mul(vol).ok_or_else(overflow)?, keep)?;
    let new = mul_wad_up(sample.checked_mul(WAD).ok_or_else(overflow)?, WAD - keep)?;
    let variance = past.checked_add(new).ok_or_else(overflow)?;
    let mut raw = root_up(variance)?;
    if variance <= vol * vol {
        // A variance that did not grow never reads as a higher volatility
        // (the root's upward rounding must not creep).
        raw = raw.min(vol);
    }
    let reach = max_rate
        .checked_mul(U256::from(dt))
        .ok_or(MathError::Overflow)?;
    let floor = vol.saturating_sub(reach);
    let ceiling = vol.saturating_add(reach).min(MAX_VOLATILITY);
    Ok(raw.max(floor).min(ceiling))
}

/// The index after a new accepted `price`, `dt` seconds after the previous
/// accepted `last`: `(fast, slow)`.
///
/// # Errors
/// `DivisionByZero` for `dt == 0` or a zero price.
pub fn update(
    fast: U256,
    slow: U256,
    last: U256,
    price: U256,
    dt: u64,
    params: &VolParams,
) -> MathResult<(U256, U256)> {
    let sample = sample_variance(last, price, dt)?;
    Ok((
        step(fast, sample, params.fast_decay, params.max_rate, dt)?,
        step(slow, sample, params.slow_decay, params.max_rate, dt)?,
    ))
}

#[cfg(test)]
mod tests;
