//! `create1` and `create2`.
//!
//! The init code is EVM bytecode, which this host does not execute. It recognises the init
//! code `cargo stylus` deploys with (a prelude that returns the bytes following it, see
//! [`crate::vm::returned_code`]); the returned code must be Stylus code, which is activated
//! at once (on Nitro, `ArbWasm.activateProgram` is a separate step). Any other init code,
//! or code that fails activation, makes the create fail: the address written is zero.

use alloy_primitives::{Address, B256, U256};
use wasmi::Error;

use super::enter;
use crate::address::{create2_address, create_address};
use crate::vm::memory::{
    charge_gas, frame, frame_mut, read, read_b256, read_u256, require_mutable, write, write_u32,
    Ctx,
};
use crate::vm::{returned_code, MAX_DEPTH};

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

    let created = deploy(ctx, &init, endowment, salt)?;
    frame_mut(ctx)?.return_data = Vec::new();
    write(ctx, contract, created.unwrap_or(Address::ZERO).as_slice())?;
    write_u32(ctx, revert_data_len, 0)
}

/// Installs the program; `Ok(None)` when the create fails without faulting the caller.
fn deploy(
    ctx: &mut Ctx<'_>,
    init: &[u8],
    endowment: U256,
    salt: Option<B256>,
) -> Result<Option<Address>, Error> {
    let Some(code) = returned_code(init) else {
        return Ok(None);
    };
    let Ok(program) = crate::program::load_deployed("created contract", code) else {
        return Ok(None);
    };
    let deposit = ctx.data().schedule.code_deposit_byte * program.code().len() as u64;
    charge_gas(ctx, deposit)?;
    if ctx.data().frames.len() >= MAX_DEPTH {
        return Ok(None);
    }
    let creator = frame(ctx)?.address;
    let world = &mut ctx.data_mut().world;
    let nonce = world.account(&creator).map_or(0, |a| a.nonce);
    world.update_account(creator, |a| a.nonce += 1);
    let address = match salt {
        None => create_address(creator, nonce),
        Some(salt) => create2_address(creator, salt, init),
    };
    if world
        .account(&address)
        .is_some_and(|a| a.code.is_some() || a.nonce > 0)
    {
        return Ok(None);
    }
    let checkpoint = world.checkpoint();
    world.update_account(address, |a| {
        a.nonce = 1;
        a.code = Some(program);
    });
    if !world.transfer(creator, address, endowment) {
        world.revert_to(checkpoint);
        return Ok(None);
    }
    world.touch_account(address);
    Ok(Some(address))
}
