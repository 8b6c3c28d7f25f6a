//! One compact long division, shared by every quotient in Keel.
//!
//! Why not `ruint`'s `/` and `div_rem`: each width instantiates a Knuth division of about 7.5 KB of
//! wasm (≈ 3 KB compressed), and `U256` plus `U512` took 6 KB of a contract's 24 KiB compressed
//! budget. On Stylus, code size binds long before compute does: the bit-serial division below is
//! a few hundred bytes, and its worst case (256 iterations of shift, compare, subtract) costs a few
//! tens of thousands of ink, i.e. single-digit gas. Contracts therefore never use `/` or `%` on
//! `U256`; they call [`div_down`], [`div_up`] or the `mul_div_*` family.

use alloy_primitives::U256;

use crate::error::{MathError, MathResult};

/// Floor quotient and remainder of `(high · 2^256 + low) / divisor`.
///
/// Restoring binary long division over the bits of the numerator, starting from the highest set
/// bit. Requires `high < divisor`, which is exactly the condition for the quotient to fit 256 bits
/// (callers check it and report [`MathError::Overflow`] otherwise); `divisor` is non-zero because
/// it exceeds `high`.
pub(crate) fn div_rem_wide(high: U256, low: U256, divisor: U256) -> (U256, U256) {
    debug_assert!(high < divisor, "quotient must fit 256 bits");
    if divisor.bit_len() <= 64 {
        return div_rem_by_word(high, low, divisor.as_limbs()[0]);
    }
    let mut remainder = high;
    let mut quotient = U256::ZERO;
    let bits = if high.is_zero() { low.bit_len() } else { 256 };
    for i in (0..bits).rev() {
        // The remainder is below `divisor` before the shift, so after it the true value is below
        // `2 · divisor`: at most one subtraction. A bit shifted out of the top (`carry`) means the
        // true value is at least 2^256 > divisor, and the wrapping subtraction yields it exactly.
        let carry = remainder.bit(255);
        remainder <<= 1;
        if low.bit(i) {
            remainder.set_bit(0, true);
        }
        if carry || remainder >= divisor {
            remainder = remainder.wrapping_sub(divisor);
            quotient.set_bit(i, true);
        }
    }
    (quotient, remainder)
}

/// The fast path of [`div_rem_wide`] for a divisor below 2^64 (WAD, powers of ten up to 1e19):
/// four 128-by-64-bit limb divisions instead of up to 256 bit steps. `high < divisor < 2^64`, so
/// `high` is a single limb and the quotient's upper half is zero.
fn div_rem_by_word(high: U256, low: U256, divisor: u64) -> (U256, U256) {
    let divisor = u128::from(divisor);
    let mut remainder = u128::from(high.as_limbs()[0]);
    let mut quotient = [0u64; 4];
    for (limb, out) in low.as_limbs().iter().zip(quotient.iter_mut()).rev() {
        // remainder < divisor < 2^64, so `current` fits 128 bits and its quotient fits 64.
        let current = (remainder << 64) | u128::from(*limb);
        *out = (current / divisor) as u64;
        remainder = current % divisor;
    }
    (U256::from_limbs(quotient), U256::from(remainder))
}

/// `floor(x / d)` for a divisor the caller knows is non-zero (internal constants and
/// denominators bounded away from zero).
#[inline]
pub(crate) fn quotient(x: U256, d: U256) -> U256 {
    debug_assert!(!d.is_zero(), "divisor must be non-zero");
    div_rem_wide(U256::ZERO, x, d).0
}

/// Floor quotient and remainder of `x / d`.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `d == 0`. MUST NOT panic.
pub fn div_rem(x: U256, d: U256) -> MathResult<(U256, U256)> {
    if d.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    Ok(div_rem_wide(U256::ZERO, x, d))
}

/// `floor(x / d)`.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `d == 0`. MUST NOT panic.
pub fn div_down(x: U256, d: U256) -> MathResult<U256> {
    div_rem(x, d).map(|(quotient, _)| quotient)
}

/// `ceil(x / d)`; equals [`div_down`] when `d` divides `x`, and exceeds it by exactly 1 otherwise.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `d == 0`. Never overflows (`ceil(x / d) ≤ x` for `d ≥ 1`).
pub fn div_up(x: U256, d: U256) -> MathResult<U256> {
    let (quotient, remainder) = div_rem(x, d)?;
    // Cannot overflow: a non-zero remainder means d ≥ 2, so quotient ≤ MAX / 2.
    Ok(if remainder.is_zero() {
        quotient
    } else {
        quotient + U256::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic xorshift so the check needs no dependency and always sees the same inputs.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// A random value with a random bit length, so small and huge operands are both common.
    fn random_u256(state: &mut u64) -> U256 {
        let limbs = [next(state), next(state), next(state), next(state)];
        let value = U256::from_limbs(limbs);
        value >> (next(state) % 257) as usize
    }

    #[test]
    fn matches_ruint_division_on_random_operands() {
        let mut state = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..100_000 {
            let x = random_u256(&mut state);
            let d = random_u256(&mut state);
            if d.is_zero() {
                continue;
            }
            assert_eq!(div_rem(x, d), Ok(x.div_rem(d)), "x = {x}, d = {d}");
        }
    }

    #[test]
    fn wide_division_recomposes_the_numerator() {
        let mut state = 0xD1B5_4A32_D192_ED03;
        for _ in 0..100_000 {
            let d = random_u256(&mut state).max(U256::from(1));
            let high = random_u256(&mut state) % d;
            let low = random_u256(&mut state);
            let (quotient, remainder) = div_rem_wide(high, low, d);
            assert!(remainder < d);
            // quotient · d + remainder == high · 2^256 + low, checked in 512 bits.
            let lhs = quotient.widening_mul::<256, 4, 512, 8>(d)
                + alloy_primitives::ruint::Uint::<512, 8>::from(remainder);
            let rhs = (alloy_primitives::ruint::Uint::<512, 8>::from(high) << 256)
                + alloy_primitives::ruint::Uint::<512, 8>::from(low);
            assert_eq!(lhs, rhs);
        }
    }

    #[test]
    fn divisor_above_two_pow_255_keeps_the_carried_bit() {
        let d = U256::MAX - U256::from(7);
        let (quotient, remainder) = div_rem_wide(d - U256::from(1), U256::MAX, d);
        let lhs = quotient.widening_mul::<256, 4, 512, 8>(d)
            + alloy_primitives::ruint::Uint::<512, 8>::from(remainder);
        let rhs = (alloy_primitives::ruint::Uint::<512, 8>::from(d - U256::from(1)) << 256)
            + alloy_primitives::ruint::Uint::<512, 8>::from(U256::MAX);
        assert_eq!(lhs, rhs);
        assert!(remainder < d);
    }

    #[test]
    fn zero_divisor_is_a_typed_error() {
        assert_eq!(
            div_down(U256::from(1), U256::ZERO),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(
            div_up(U256::from(1), U256::ZERO),
            Err(MathError::DivisionByZero)
        );
    }

    #[test]
    fn up_exceeds_down_by_one_exactly_when_inexact() {
        assert_eq!(div_up(U256::from(10), U256::from(5)), Ok(U256::from(2)));
        assert_eq!(div_up(U256::from(11), U256::from(5)), Ok(U256::from(3)));
        assert_eq!(div_up(U256::MAX, U256::from(1)), Ok(U256::MAX));
    }
}
