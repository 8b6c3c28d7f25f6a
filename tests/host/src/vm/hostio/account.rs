//! Balances and code of any account (`BALANCE`, `EXTCODECOPY`, `EXTCODESIZE`,
//! `EXTCODEHASH`), each paying the EIP-2929 cold/warm account price.

use alloy_primitives::{keccak256, Address, B256};
use wasmi::Error;

use super::enter;
use crate::state::Account;
use crate::vm::memory::{charge_gas, read_address, write, Ctx};

/// Charges the account-access price and returns the address read from `ptr`.
fn access(ctx: &mut Ctx<'_>, ptr: u32) -> Result<Address, Error> {
    enter(ctx)?;
    let address = read_address(ctx, ptr)?;
    let exec = ctx.data_mut();
    let cold = exec.world.touch_account(address);
    let gas = if cold {
        exec.schedule.account_cold
    } else {
        exec.schedule.account_warm
    };
    charge_gas(ctx, gas)?;
    Ok(address)
}

/// Balance in wei, big-endian.
pub(super) fn account_balance(mut ctx: Ctx<'_>, address: u32, dest: u32) -> Result<(), Error> {
    let address = access(&mut ctx, address)?;
    let balance = ctx.data().world.balance(&address);
    write(&mut ctx, dest, &balance.to_be_bytes::<32>())
}

/// The account's code bytes (`EF F0 00 00` ++ brotli for a program, the bytecode of an EVM
/// contract, empty otherwise).
fn code(ctx: &Ctx<'_>, address: &Address) -> Vec<u8> {
    ctx.data()
        .world
        .code(address)
        .map(|c| c.bytes().to_vec())
        .unwrap_or_default()
}

/// Copies up to `size` code bytes from `offset` to `dest`; returns how many were copied.
pub(super) fn account_code(
    mut ctx: Ctx<'_>,
    address: u32,
    offset: u32,
    size: u32,
    dest: u32,
) -> Result<u32, Error> {
    let address = access(&mut ctx, address)?;
    let code = code(&ctx, &address);
    let start = (offset as usize).min(code.len());
    let end = start.saturating_add(size as usize).min(code.len());
    write(&mut ctx, dest, &code[start..end])?;
    Ok(u32::try_from(end - start).unwrap_or(size))
}

/// Code length in bytes.
pub(super) fn account_code_size(mut ctx: Ctx<'_>, address: u32) -> Result<u32, Error> {
    let address = access(&mut ctx, address)?;
    let len = ctx
        .data()
        .world
        .code(&address)
        .map_or(0, |c| c.bytes().len());
    Ok(u32::try_from(len).unwrap_or(u32::MAX))
}

/// keccak256 of the code; `keccak256("")` for an existing account without code, zero for
/// an account that does not exist (EIP-1052).
pub(super) fn account_codehash(mut ctx: Ctx<'_>, address: u32, dest: u32) -> Result<(), Error> {
    let address = access(&mut ctx, address)?;
    let hash = match ctx.data().world.account(&address) {
        Some(Account {
            code: Some(code), ..
        }) => code.hash(),
        Some(account) if !account.is_empty() => keccak256([]),
        _ => B256::ZERO,
    };
    write(&mut ctx, dest, hash.as_slice())
}
