//! Integer powers of fixed-point numbers by repeated squaring (Maker's `rpow`).
//!
//! `rpow` reproduces Maker's rounding (half up at every multiplication) so that results match
//! on-chain Maker-style accumulators; `rpow_down` and `rpow_up` round every step in one
//! direction, which bounds the exact power from below or above — use them where the rounding
//! must favour the protocol (for example `rpow_up` for debt accrual).
//!
//! Difference from Maker: products are held in 512 bits, so a step whose 256-bit product would
//! overflow but whose quotient fits still succeeds (Maker reverts there). Where Maker returns a
//! value, `rpow` returns the same value.

use alloy_primitives::U256;

use crate::fixed::mul_div_rem;
use crate::{MathError, MathResult};

/// How each fixed-point multiplication inside the power rounds.
#[derive(Clone, Copy)]
enum Rounding {
    Down,
    Up,
    HalfUp,
}

/// `a · b / base` rounded as asked.
fn mul_base(a: U256, b: U256, base: U256, rounding: Rounding) -> MathResult<U256> {
    let (quotient, remainder) = mul_div_rem(a, b, base)?;
    let bump = match rounding {
        Rounding::Down => false,
        Rounding::Up => !remainder.is_zero(),
        // floor((p + floor(base/2)) / base) = quotient + [remainder >= base - floor(base/2)].
        Rounding::HalfUp => remainder >= base - (base >> 1),
    };
    if bump {
        quotient
            .checked_add(U256::from(1u8))
            .ok_or(MathError::Overflow)
    } else {
        Ok(quotient)
    }
}

/// `x^n` in fixed point with unit `base`, by binary exponentiation, rounding each step.
fn rpow_rounded(mut x: U256, mut n: U256, base: U256, rounding: Rounding) -> MathResult<U256> {
    if base.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    if x.is_zero() {
        return Ok(if n.is_zero() { base } else { U256::ZERO });
    }
    let mut z = if n.bit(0) { x } else { base };
    n >>= 1;
    while !n.is_zero() {
        x = mul_base(x, x, base, rounding)?;
        if n.bit(0) {
            z = mul_base(z, x, base, rounding)?;
        }
        n >>= 1;
    }
    Ok(z)
}

/// `(x / base)^n · base` with Maker's rounding: every multiplication rounds half up.
///
/// `base` is the fixed-point unit (`RAY` for Maker's per-second rates, `WAD`, …).
/// `x^0 = base` (including `0^0`) and `0^n = 0` for `n > 0`.
///
/// # Accuracy
/// Each multiplication rounds to nearest, adding at most half a unit; squaring doubles the
/// relative error carried so far, so for `x >= base` the result is within a relative `n / base`
/// of the exact power (3e-20 for a year of seconds at RAY). It is bit-for-bit Maker's `rpow`
/// whenever Maker's returns.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `base == 0`; [`MathError::Overflow`] if an intermediate
/// power `x^(2^i)` or the result exceeds `U256::MAX`. MUST NOT panic.
pub fn rpow(x: U256, n: U256, base: U256) -> MathResult<U256> {
    rpow_rounded(x, n, base, Rounding::HalfUp)
}

/// `(x / base)^n · base` with every multiplication rounded down: never above the exact power.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `base == 0`; [`MathError::Overflow`] if an intermediate
/// power or the result exceeds `U256::MAX`. MUST NOT panic.
pub fn rpow_down(x: U256, n: U256, base: U256) -> MathResult<U256> {
    rpow_rounded(x, n, base, Rounding::Down)
}

/// `(x / base)^n · base` with every multiplication rounded up: never below the exact power.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `base == 0`; [`MathError::Overflow`] if an intermediate
/// power or the result exceeds `U256::MAX`. MUST NOT panic.
pub fn rpow_up(x: U256, n: U256, base: U256) -> MathResult<U256> {
    rpow_rounded(x, n, base, Rounding::Up)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RAY, WAD};

    fn u(v: u128) -> U256 {
        U256::from(v)
    }

    #[test]
    fn power_zero_is_the_unit_even_for_zero() {
        assert_eq!(rpow(U256::ZERO, U256::ZERO, RAY), Ok(RAY));
        assert_eq!(rpow(u(5), U256::ZERO, RAY), Ok(RAY));
    }

    #[test]
    fn zero_to_a_positive_power_is_zero() {
        assert_eq!(rpow(U256::ZERO, u(3), RAY), Ok(U256::ZERO));
    }

    #[test]
    fn zero_base_is_division_by_zero() {
        assert_eq!(rpow(u(2), u(2), U256::ZERO), Err(MathError::DivisionByZero));
    }

    #[test]
    fn integer_powers_with_unit_base_are_exact() {
        assert_eq!(rpow(u(3), u(5), u(1)), Ok(u(243)));
        assert_eq!(rpow_down(u(2), u(255), u(1)), Ok(U256::from(1u8) << 255));
        assert_eq!(rpow_up(u(2), u(256), u(1)), Err(MathError::Overflow));
    }

    #[test]
    fn half_up_rounding_matches_maker_on_a_small_base() {
        // base 10: 1.5^2 = 2.25 → 22.5 → rounds half up to 23 (Maker: (225 + 5) / 10 = 23).
        assert_eq!(rpow(u(15), u(2), u(10)), Ok(u(23)));
        assert_eq!(rpow_down(u(15), u(2), u(10)), Ok(u(22)));
        assert_eq!(rpow_up(u(15), u(2), u(10)), Ok(u(23)));
    }

    #[test]
    fn directed_rounding_brackets_the_half_up_result() {
        // 1.05^365 in WAD.
        let x = u(1_050_000_000_000_000_000);
        let n = u(365);
        let down = rpow_down(x, n, WAD).unwrap();
        let near = rpow(x, n, WAD).unwrap();
        let up = rpow_up(x, n, WAD).unwrap();
        assert!(down <= near && near <= up);
        // Relative spread below 2 · n / base: each squaring doubles the relative error.
        assert!((up - down) * WAD <= near * u(2 * 365));
    }

    #[test]
    fn products_beyond_256_bits_do_not_spuriously_overflow() {
        // x² = 2^280 overflows 256 bits but x² / RAY ≈ 2^190 fits: Maker reverts, rpow does not.
        let x = U256::from(1u8) << 140;
        let floor = crate::mul_div_down(x, x, RAY).unwrap();
        assert_eq!(rpow_down(x, u(2), RAY), Ok(floor));
        assert_eq!(rpow_up(x, u(2), RAY), Ok(floor + u(1)));
        assert!(rpow(x, u(2), RAY).is_ok());
    }
}
