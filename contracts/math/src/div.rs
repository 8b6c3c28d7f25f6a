//! One compact long division, shared by every quotient in Keel.
//!
//! Why not `ruint`'s `/` and `div_rem`: each width instantiates its own generic division of about
//! 7.5 KB of wasm (≈ 3 KB compressed), and `U256` plus `U512` took 6 KB of a contract's 24 KiB
//! compressed budget. Keel keeps one instance, specialised to the only shape it needs: a 512-bit
//! numerator whose quotient fits 256 bits, divided by a 256-bit divisor. A divisor below 2^64 (WAD,
//! powers of ten up to 1e19, durations) takes four 128-by-64-bit limb divisions; a larger one takes
//! Knuth's algorithm D on 64-bit limbs (at most eight quotient digits, each estimated from the top
//! limbs and corrected at most twice). Contracts therefore never use `/` or `%` on `U256`; they call
//! [`div_down`], [`div_up`] or the `mul_div_*` family.

use alloy_primitives::U256;

use crate::error::{MathError, MathResult};

/// Floor quotient and remainder of `(high · 2^256 + low) / divisor`.
///
/// Requires `high < divisor`, which is exactly the condition for the quotient to fit 256 bits
/// (callers check it and report [`MathError::Overflow`] otherwise); `divisor` is non-zero because
/// it exceeds `high`.
pub(crate) fn div_rem_wide(high: U256, low: U256, divisor: U256) -> (U256, U256) {
    debug_assert!(high < divisor, "quotient must fit 256 bits");
    if divisor.bit_len() <= 64 {
        return div_rem_by_word(high, low, divisor.as_limbs()[0]);
    }
    div_rem_by_limbs(high, low, divisor)
}

/// Knuth's algorithm D (TAOCP 4.3.1; the 64-bit-digit form of Hacker's Delight `divmnu`) for a
/// divisor of `n ≥ 2` limbs and an eight-limb numerator.
fn div_rem_by_limbs(high: U256, low: U256, divisor: U256) -> (U256, U256) {
    const MASK: u128 = u64::MAX as u128;
    let n = divisor
        .as_limbs()
        .iter()
        .rposition(|limb| *limb != 0)
        .map_or(0, |top| top + 1);
    // Normalise: shift both operands left until the divisor's top limb has its top bit set, so
    // that each estimated digit is at most two above the true one.
    let shift = divisor.as_limbs()[n - 1].leading_zeros();
    let v = (divisor << shift as usize).into_limbs();
    let mut u = [0u64; 9];
    u[..4].copy_from_slice((low << shift as usize).as_limbs());
    u[4..8].copy_from_slice((high << shift as usize).as_limbs());
    if shift > 0 {
        u[4] |= low.as_limbs()[3] >> (64 - shift);
        u[8] = high.as_limbs()[3] >> (64 - shift);
    }
    let mut quotient = [0u64; 8];
    for j in (0..=8 - n).rev() {
        // Estimate the digit from the top two limbs of the running remainder and the divisor's
        // top limb, then refine it with the next limb (at most two steps).
        let top = (u128::from(u[j + n]) << 64) | u128::from(u[j + n - 1]);
        let mut digit = top / u128::from(v[n - 1]);
        let mut rest = top % u128::from(v[n - 1]);
        while digit > MASK
            || digit * u128::from(v[n - 2]) > ((rest << 64) | u128::from(u[j + n - 2]))
        {
            digit -= 1;
            rest += u128::from(v[n - 1]);
            if rest > MASK {
                break;
            }
        }
        // Multiply and subtract: u[j..=j+n] -= digit · v, with a signed borrow.
        let mut borrow: i128 = 0;
        for i in 0..n {
            let product = digit * u128::from(v[i]);
            let t = i128::from(u[i + j]) - borrow - (product & MASK) as i128;
            u[i + j] = t as u64;
            borrow = (product >> 64) as i128 - (t >> 64);
        }
        let t = i128::from(u[j + n]) - borrow;
        u[j + n] = t as u64;
        if t < 0 {
            // The estimate was one too large (rare): add the divisor back.
            digit -= 1;
            let mut carry = 0u128;
            for i in 0..n {
                let sum = u128::from(u[i + j]) + u128::from(v[i]) + carry;
                u[i + j] = sum as u64;
                carry = sum >> 64;
            }
            u[j + n] = u[j + n].wrapping_add(carry as u64);
        }
        quotient[j] = digit as u64;
    }
    // The remainder is the low n limbs of u, de-normalised.
    let mut remainder = [0u64; 4];
    remainder[..n].copy_from_slice(&u[..n]);
    let [q0, q1, q2, q3, ..] = quotient;
    (
        U256::from_limbs([q0, q1, q2, q3]),
        U256::from_limbs(remainder) >> shift as usize,
    )
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
