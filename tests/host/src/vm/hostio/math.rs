//! Hashing and the 256-bit math hooks. Each math hook overwrites its first operand with the
//! result, and a zero divisor or modulus gives zero, as the EVM's `DIV`/`MOD`/`ADDMOD`/
//! `MULMOD` do.

use alloy_primitives::{keccak256, U256};
use wasmi::Error;

use super::enter;
use crate::vm::memory::{charge_gas, read, read_u256, write, Ctx};

/// keccak256 of `len` bytes at `bytes`, written to `output`.
pub(super) fn native_keccak256(
    mut ctx: Ctx<'_>,
    bytes: u32,
    len: u32,
    output: u32,
) -> Result<(), Error> {
    enter(&mut ctx)?;
    let schedule = &ctx.data().schedule;
    let gas = schedule.keccak + schedule.keccak_word * u64::from(len).div_ceil(32);
    charge_gas(&mut ctx, gas)?;
    let hash = keccak256(read(&ctx, bytes, len)?);
    write(&mut ctx, output, hash.as_slice())
}

/// Applies `op` to the words at `value` and `other`, storing the result at `value`.
fn binary(
    ctx: &mut Ctx<'_>,
    value: u32,
    other: u32,
    gas: u64,
    op: impl FnOnce(U256, U256) -> U256,
) -> Result<(), Error> {
    enter(ctx)?;
    charge_gas(ctx, gas)?;
    let result = op(read_u256(ctx, value)?, read_u256(ctx, other)?);
    write(ctx, value, &result.to_be_bytes::<32>())
}

/// Applies `op` to the words at `value`, `other` and `modulus`, storing the result at `value`.
fn ternary(
    ctx: &mut Ctx<'_>,
    value: u32,
    other: u32,
    modulus: u32,
    op: impl FnOnce(U256, U256, U256) -> U256,
) -> Result<(), Error> {
    enter(ctx)?;
    charge_gas(ctx, 8)?;
    let result = op(
        read_u256(ctx, value)?,
        read_u256(ctx, other)?,
        read_u256(ctx, modulus)?,
    );
    write(ctx, value, &result.to_be_bytes::<32>())
}

/// `value = value / divisor` (0 when dividing by 0).
pub(super) fn math_div(mut ctx: Ctx<'_>, value: u32, divisor: u32) -> Result<(), Error> {
    binary(&mut ctx, value, divisor, 5, |a, b| {
        a.checked_div(b).unwrap_or_default()
    })
}

/// `value = value % modulus` (0 when the modulus is 0).
pub(super) fn math_mod(mut ctx: Ctx<'_>, value: u32, modulus: u32) -> Result<(), Error> {
    binary(&mut ctx, value, modulus, 5, |a, b| {
        a.checked_rem(b).unwrap_or_default()
    })
}

/// `value = value ** exponent`, wrapping modulo 2^256 like `EXP`.
pub(super) fn math_pow(mut ctx: Ctx<'_>, value: u32, exponent: u32) -> Result<(), Error> {
    let exponent_bytes = u64::try_from(read_u256(&ctx, exponent)?.byte_len()).unwrap_or(32);
    binary(
        &mut ctx,
        value,
        exponent,
        10 + 50 * exponent_bytes,
        U256::wrapping_pow,
    )
}

/// `value = (value + addend) % modulus` without intermediate overflow.
pub(super) fn math_add_mod(
    mut ctx: Ctx<'_>,
    value: u32,
    addend: u32,
    modulus: u32,
) -> Result<(), Error> {
    ternary(&mut ctx, value, addend, modulus, U256::add_mod)
}

/// `value = (value * multiplier) % modulus` without intermediate overflow.
pub(super) fn math_mul_mod(
    mut ctx: Ctx<'_>,
    value: u32,
    multiplier: u32,
    modulus: u32,
) -> Result<(), Error> {
    ternary(&mut ctx, value, multiplier, modulus, U256::mul_mod)
}

#[cfg(test)]
mod tests {
    use alloy_primitives::U256;

    #[test]
    fn ruint_mod_ops_return_zero_for_a_zero_modulus_as_the_evm_does() {
        assert_eq!(U256::from(7).add_mod(U256::from(5), U256::ZERO), U256::ZERO);
        assert_eq!(U256::from(7).mul_mod(U256::from(5), U256::ZERO), U256::ZERO);
        assert_eq!(
            U256::MAX.add_mod(U256::from(2), U256::from(10)),
            U256::from(7)
        );
    }
}
