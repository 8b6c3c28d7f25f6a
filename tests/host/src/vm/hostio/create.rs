//! `create1` and `create2`.
//!
//! The init code runs on the EVM, as on Nitro, through the same path as an EVM `CREATE`
//! ([`crate::evm::create`]). The init code `cargo stylus` deploys with returns Stylus code,
//! which is activated at once (on Nitro, `ArbWasm.activateProgram` is a separate step); any
//! other returned code is installed as EVM code. If the init code fails, or returns code that
//! fails activation, the address written is zero; revert data becomes the return data.

use alloy_primitives::{Address, B256};
use wasmi::Error;

use super::enter;
use crate::evm::{self, Creation};
use crate::vm::memory::{
    charge_gas, frame, frame_mut, read, read_b256, read_u256, require_mutable, write, write_u32,
    Ctx,
};
use crate::vm::Status;

/// `CREATE`: deploys at `keccak256(rlp([this, nonce]))[12..]`.
pub(super) fn create1(
    mut ctx: Ctx<'_>,
    code: u32,
    code_len: u32,
    endowment: u32,
    contract: u32,
    revert_data_len: u32,
) -> Result<(), Error> {
    create(
        &mut ctx,
        [code, code_len, endowment, contract, revert_data_len],
        None,
    )
}

/// `CREATE2`: deploys at `keccak256(0xff ++ this ++ salt ++ keccak256(code))[12..]`.
pub(super) fn create2(
    mut ctx: Ctx<'_>,
    code: u32,
    code_len: u32,
    endowment: u32,
    salt: u32,
    contract: u32,
    revert_data_len: u32,
) -> Result<(), Error> {
    let salt = read_b256(&ctx, salt)?;
    create(
        &mut ctx,
        [code, code_len, endowment, contract, revert_data_len],
        Some(salt),
    )
}

fn create(ctx: &mut Ctx<'_>, ptrs: [u32; 5], salt: Option<B256>) -> Result<(), Error> {
    let [code, code_len, endowment, contract, revert_data_len] = ptrs;
    enter(ctx)?;
    require_mutable(ctx, "create")?;
    let init = read(ctx, code, code_len)?;
    let endowment = read_u256(ctx, endowment)?;
    let schedule = &ctx.data().schedule;
    let hashing = if salt.is_some() {
        schedule.keccak_word * (init.len() as u64).div_ceil(32)
    } else {
        0
    };
    let gas = schedule.create + hashing;
    charge_gas(ctx, gas)?;

    let creation = Creation {
        creator: frame(ctx)?.address,
        value: endowment,
        init,
        salt,
    };
    // As the EVM's CREATE: all but 1/64 of the gas left goes to the init code.
    let left = ctx.get_fuel()?;
    let allowance = left - left / 64;
    ctx.set_fuel(left - allowance)?;
    let (created, outcome) = evm::create(ctx, creation, allowance);
    ctx.set_fuel(ctx.get_fuel()?.saturating_add(outcome.fuel_left))?;

    let revert_data = if outcome.status == Status::Revert {
        outcome.output
    } else {
        Vec::new()
    };
    let len = revert_data.len();
    frame_mut(ctx)?.return_data = revert_data;
    write(ctx, contract, created.unwrap_or(Address::ZERO).as_slice())?;
    write_u32(ctx, revert_data_len, len)
}
