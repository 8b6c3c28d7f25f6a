//! Signed WAD arithmetic on `I256`, in a handful of out-of-line helpers over its two's
//! complement `U256`.
//!
//! Why not `I256`'s own checked operators and keel-math's signed helpers: each of alloy's
//! generic operators (`checked_add`, `checked_mul`, `Neg`, `PartialOrd`, …) and keel-math's
//! sign-and-magnitude conversions is its own few hundred bytes of wasm; the engine's signed
//! values (quote balances, sizes, PnL) need only the few operations below, written once on
//! the unsigned arithmetic every contract links anyway. Every overflow is an error.

use alloy_primitives::{I256, U256};
use keel_math::{mul_wad_down as wad_down, mul_wad_up as wad_up, MathError};

use crate::errors::Result;

/// `x` as a signed value.
///
/// # Errors
/// `EngineMathError` for `x ≥ 2^255`.
#[inline(never)]
pub(crate) fn int(x: U256) -> Result<I256> {
    if x.bit(255) {
        return Err(MathError::Overflow.into());
    }
    Ok(I256::from_raw(x))
}

/// `−x` (two's complement; `I256::MIN` stays itself, which [`int`] never produces).
pub(crate) fn neg(x: I256) -> I256 {
    I256::from_raw(U256::ZERO.wrapping_sub(x.into_raw()))
}

/// `|x|`.
pub(crate) fn mag(x: I256) -> U256 {
    if x.is_negative() {
        neg(x).into_raw()
    } else {
        x.into_raw()
    }
}

/// `a + b`.
///
/// # Errors
/// `EngineMathError` on overflow (both operands of one sign, the sum of the other).
#[inline(never)]
pub(crate) fn add(a: I256, b: I256) -> Result<I256> {
    let sum = I256::from_raw(a.into_raw().wrapping_add(b.into_raw()));
    if a.is_negative() == b.is_negative() && sum.is_negative() != a.is_negative() {
        return Err(MathError::Overflow.into());
    }
    Ok(sum)
}

/// `a − b`.
///
/// # Errors
/// `EngineMathError` on overflow.
pub(crate) fn sub(a: I256, b: I256) -> Result<I256> {
    if b == I256::MIN {
        return Err(MathError::Overflow.into());
    }
    add(a, neg(b))
}

/// `a < b`.
#[inline(never)]
pub(crate) fn lt(a: I256, b: I256) -> bool {
    // Of one sign, two's complement order is unsigned order.
    if a.is_negative() == b.is_negative() {
        a.into_raw() < b.into_raw()
    } else {
        a.is_negative()
    }
}

/// The signed value of a sign and a magnitude.
///
/// # Errors
/// `EngineMathError` for a magnitude ≥ 2^255.
pub(crate) fn of(negative: bool, magnitude: U256) -> Result<I256> {
    let x = int(magnitude)?;
    Ok(if negative { neg(x) } else { x })
}

/// `a · b` with `b` unsigned.
///
/// # Errors
/// `EngineMathError` on overflow.
pub(crate) fn mul(a: I256, b: U256) -> Result<I256> {
    let product = mag(a).checked_mul(b).ok_or(MathError::Overflow)?;
    of(a.is_negative(), product)
}

/// `a · b / WAD`, rounded down (toward −∞).
///
/// # Errors
/// `EngineMathError` on overflow.
#[inline(never)]
pub(crate) fn mul_wad_down(a: I256, b: I256) -> Result<I256> {
    let negative = a.is_negative() != b.is_negative();
    let magnitude = if negative {
        wad_up(mag(a), mag(b))?
    } else {
        wad_down(mag(a), mag(b))?
    };
    of(negative, magnitude)
}

/// `x − y` of two unsigned values.
///
/// # Errors
/// `EngineMathError` when either is ≥ 2^255.
pub(crate) fn diff(x: U256, y: U256) -> Result<I256> {
    sub(int(x)?, int(y)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(x: i64) -> I256 {
        I256::try_from(x).unwrap_or_default()
    }

    #[test]
    fn add_sub_lt_and_mul_agree_with_i256() {
        let values = [i(0), i(1), i(-1), i(7), i(-7), I256::MAX, I256::MIN + i(1)];
        for a in values {
            for b in values {
                assert_eq!(add(a, b).ok(), a.checked_add(b), "{a} + {b}");
                assert_eq!(sub(a, b).ok(), a.checked_sub(b), "{a} - {b}");
                assert_eq!(lt(a, b), a < b, "{a} < {b}");
                if !b.is_negative() {
                    assert_eq!(mul(a, b.into_raw()).ok(), a.checked_mul(b), "{a} * {b}");
                }
            }
        }
    }

    #[test]
    fn mul_wad_down_rounds_toward_minus_infinity() {
        let wad = I256::from_raw(keel_math::WAD);
        assert_eq!(mul_wad_down(i(3), wad / i(2)).ok(), Some(i(1)));
        assert_eq!(mul_wad_down(i(-3), wad / i(2)).ok(), Some(i(-2)));
        assert_eq!(mul_wad_down(i(-4), wad / i(2)).ok(), Some(i(-2)));
        assert!(int(U256::from(1) << 255).is_err());
        assert_eq!(mag(i(-5)), U256::from(5));
    }
}
