//! The vault's pure maths: NAV per share, drawdown and its band, the CPPI target, and the
//! size of one rebalancing step. No storage and no calls, so every rule is tested directly.
//!
//! Units: NAV, cushion, notionals WAD quote; NAV per share and the high-water mark WAD quote
//! per whole share (shares have 18 decimals, so a share amount is a WAD number of shares);
//! fractions, multiplier and leverages WAD; sizes signed WAD base; prices WAD quote per base.

use alloy_primitives::{I256, U256};
use keel_math::{
    div_up, div_wad_up, mul_div_down, mul_wad_down, mul_wad_up, pow10, to_signed, MathError,
    MathResult, WAD,
};

/// The drawdown band: below `softDrawdown`.
pub const NORMAL: u8 = 0;
/// The drawdown band: beyond `softDrawdown`, the multiplier shrinks linearly.
pub const SOFT: u8 = 1;
/// The drawdown band: at or beyond `maxDrawdown`; the vault is halted until a reset.
pub const HALTED: u8 = 2;

/// NAV per share with the pool's virtual share and asset (see [`keel_math::SharePool`]):
/// `(nav + 10^offset) / (supply + 10^offset)`, rounded down. The virtual asset is one quote
/// unit, `10^offset` in WAD, so an empty vault is priced at exactly 1.
///
/// # Errors
/// [`MathError::Overflow`] beyond 256 bits.
pub fn nav_per_share(nav: U256, supply: U256, offset: u8) -> MathResult<U256> {
    let unit = pow10(offset)?;
    let assets = nav.checked_add(unit).ok_or(MathError::Overflow)?;
    let shares = supply.checked_add(unit).ok_or(MathError::Overflow)?;
    mul_div_down(assets, WAD, shares)
}

/// Drawdown of `nav_per_share` from the high-water mark `hwm`: `1 − nav_per_share / hwm`,
/// zero at or above the mark, rounded up (a drawdown is never understated).
///
/// # Errors
/// [`MathError::DivisionByZero`] for a zero mark with a NAV below it (impossible).
pub fn drawdown(nav_per_share: U256, hwm: U256) -> MathResult<U256> {
    if nav_per_share >= hwm {
        return Ok(U256::ZERO);
    }
    div_wad_up(hwm - nav_per_share, hwm)
}

/// The band of a drawdown `dd`: [`NORMAL`] up to `soft`, [`HALTED`] from `max`, [`SOFT`]
/// between.
#[must_use]
pub fn band(dd: U256, soft: U256, max: U256) -> u8 {
    if dd >= max {
        HALTED
    } else if dd > soft {
        SOFT
    } else {
        NORMAL
    }
}

/// The CPPI inputs that governance and the strategist set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rules {
    /// The hard cap on drawdown from the high-water mark, WAD fraction.
    pub max_drawdown: U256,
    /// Where the soft band starts, WAD fraction (< `max_drawdown`).
    pub soft_drawdown: U256,
    /// The CPPI multiplier `m`, WAD.
    pub multiplier: U256,
    /// The strategist's leverage, WAD multiple of NAV.
    pub leverage: U256,
}

/// The multiplier in force at drawdown `dd`: `m` up to the soft band, falling linearly to 0
/// at `max_drawdown`, rounded down.
///
/// # Errors
/// [`MathError`] only for `soft ≥ max` with `dd` between them (excluded by `file`).
pub fn multiplier(rules: &Rules, dd: U256) -> MathResult<U256> {
    match band(dd, rules.soft_drawdown, rules.max_drawdown) {
        NORMAL => Ok(rules.multiplier),
        SOFT => mul_div_down(
            rules.multiplier,
            rules.max_drawdown - dd,
            rules.max_drawdown - rules.soft_drawdown,
        ),
        _ => Ok(U256::ZERO),
    }
}

/// The floor per share, `hwm · (1 − maxDrawdown)`, rounded up.
///
/// # Errors
/// [`MathError::Overflow`] beyond 256 bits.
pub fn floor(hwm: U256, max_drawdown: U256) -> MathResult<U256> {
    mul_wad_up(hwm, WAD.saturating_sub(max_drawdown))
}

/// The size of the target exposure (WAD notional), before its direction:
/// `min(m' · cushion, maxLeverage · nav, leverage · nav)`, where `m'` is [`multiplier`] at
/// the current drawdown and `cushion = max(0, navPerShare − floor) · supply`; everything
/// rounded down.
///
/// # Errors
/// [`MathError`] beyond 256 bits.
pub fn target(
    rules: &Rules,
    nav: U256,
    supply: U256,
    nav_per_share: U256,
    hwm: U256,
    max_leverage: U256,
) -> MathResult<U256> {
    let floor = floor(hwm, rules.max_drawdown)?;
    let cushion = mul_wad_down(nav_per_share.saturating_sub(floor), supply)?;
    let m = multiplier(rules, drawdown(nav_per_share, hwm)?)?;
    let cppi = mul_wad_down(m, cushion)?;
    let caps = mul_wad_down(max_leverage.min(rules.leverage), nav)?;
    Ok(cppi.min(caps))
}

/// Signed notional of `size` at `price`, rounded toward zero.
///
/// # Errors
/// [`MathError::Overflow`] beyond 255 bits.
pub fn notional(size: I256, price: U256) -> MathResult<I256> {
    let magnitude = to_signed(mul_wad_down(size.unsigned_abs(), price)?)?;
    Ok(if size.is_negative() {
        -magnitude
    } else {
        magnitude
    })
}

/// The target the vault may trade toward when it must not add risk: the part of `target` on
/// the side of the current `size` and no larger than `current` (its notional), else zero.
#[must_use]
pub fn reduce_only(target: I256, current: I256) -> I256 {
    let same_side = target.is_negative() == current.is_negative() && !current.is_zero();
    if !same_side {
        return I256::ZERO;
    }
    if target.unsigned_abs() > current.unsigned_abs() {
        current
    } else {
        target
    }
}

/// The size to trade (signed WAD base) to move a position of `size` (notional `current`)
/// toward the notional `target` at `price`, at most `max_step` of notional. A target of zero
/// within one step closes the position exactly (no dust); any other step is rounded toward
/// zero so that the vault never overshoots. `max_step = None`: no bound (the exit to cash).
///
/// # Errors
/// [`MathError`] for a zero price or beyond 255 bits.
pub fn step(
    size: I256,
    current: I256,
    target: I256,
    price: U256,
    max_step: Option<U256>,
) -> MathResult<I256> {
    let gap = target.checked_sub(current).ok_or(MathError::Overflow)?;
    let bounded = max_step.is_none_or(|m| gap.unsigned_abs() <= m);
    if target.is_zero() && bounded {
        return Ok(-size);
    }
    let moved = max_step.map_or(gap.unsigned_abs(), |m| gap.unsigned_abs().min(m));
    let magnitude = to_signed(mul_div_down(moved, WAD, price)?)?;
    Ok(if gap.is_negative() {
        -magnitude
    } else {
        magnitude
    })
}

/// The fraction of the position a withdrawal of `fraction` of the shares must shrink: the
/// same fraction, or more when the account is below its initial margin (`equity < im`), so
/// that what is left satisfies it: `max(f, 1 − (1 − f) · equity / im)`, rounded up, at most 1.
///
/// # Errors
/// [`MathError`] beyond 256 bits.
pub fn shrink(fraction: U256, equity: U256, im: U256) -> MathResult<U256> {
    let fraction = fraction.min(WAD);
    if im <= equity {
        return Ok(fraction);
    }
    let kept = mul_div_down(WAD - fraction, equity, im)?;
    Ok(fraction.max(WAD - kept))
}

/// What closing a whole position of `size` costs at the engine's quote for that close:
/// `|size| · |fill − price|` (rounded up) plus the engine's `fee`, WAD quote. The fill does not
/// depend on the size traded, and the fee is proportional to it, so a close of part of the
/// position costs the same part of this (up to rounding, see [`close_allowance`]).
///
/// # Errors
/// [`MathError`] beyond 256 bits.
pub fn close_cost(size: I256, price: U256, fill: U256, fee: U256) -> MathResult<U256> {
    let per_unit = fill.abs_diff(price);
    mul_wad_up(size.unsigned_abs(), per_unit)?
        .checked_add(fee)
        .ok_or(MathError::Overflow)
}

/// Rounding of the engine's arithmetic in one close, WAD quote: the realised PnL and the
/// unrealised PnL after the close may each come out 1 below exact and the unrealised PnL
/// before 1 above (all rounded toward −∞), the fee's two roundings up add at most 2 (a fee of
/// at most 100 %), and 1 more covers an engine truncating toward zero instead.
pub const CLOSE_ROUNDING: U256 = U256::from_limbs([6, 0, 0, 0]);

/// What a close of part of a position of `size` may cost beyond that part of `cost` (the
/// whole close, [`close_cost`]), WAD quote: one unit of size (the vault rounds the closed size
/// up) and [`CLOSE_ROUNDING`].
///
/// # Errors
/// [`MathError`] beyond 256 bits.
pub fn close_slack(cost: U256, size: I256) -> MathResult<U256> {
    let per_unit = div_up(cost, size.unsigned_abs().max(U256::from(1)))?;
    per_unit
        .checked_add(CLOSE_ROUNDING)
        .ok_or(MathError::Overflow)
}

/// The most a close of `part` (WAD fraction, rounded up to whole units of size) of a position
/// of `size` may cost when closing all of it costs `cost`: the pro-rata share rounded up plus
/// [`close_slack`]. A close costing more was not filled at the quote.
///
/// # Errors
/// [`MathError`] beyond 256 bits.
pub fn close_allowance(cost: U256, part: U256, size: I256) -> MathResult<U256> {
    mul_wad_up(cost, part)?
        .checked_add(close_slack(cost, size)?)
        .ok_or(MathError::Overflow)
}

/// What a withdrawal pays on top of its pro-rata share of `cost` so that its shrink can never
/// cost the remaining holders anything, WAD quote: [`close_slack`], plus `cost / WAD` rounded
/// up and 1 for the shrink's fraction of the supply and its share of `cost` both rounding up.
/// A few thousand wei of WAD: one unit of a 6-decimal quote token.
///
/// # Errors
/// [`MathError`] beyond 256 bits.
pub fn exit_charge(cost: U256, size: I256) -> MathResult<U256> {
    close_slack(cost, size)?
        .checked_add(div_up(cost, WAD)?)
        .and_then(|c| c.checked_add(U256::from(1)))
        .ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests;
