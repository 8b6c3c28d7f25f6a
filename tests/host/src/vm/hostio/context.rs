//! Read-only facts about the message, transaction, block and gas.

use alloy_primitives::U256;
use wasmi::Error;

use super::enter;
use crate::gas::{fuel_to_ink, FUEL_PER_GAS, INK_PER_GAS};
use crate::vm::memory::{frame, write, Ctx};

/// `msg.sender`.
pub(super) fn msg_sender(mut ctx: Ctx<'_>, dest: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let sender = frame(&ctx)?.caller;
    write(&mut ctx, dest, sender.as_slice())
}

/// `msg.value`, big-endian.
pub(super) fn msg_value(mut ctx: Ctx<'_>, dest: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let value = frame(&ctx)?.value;
    write(&mut ctx, dest, &value.to_be_bytes::<32>())
}

/// 1 if the acting address already had a (non-delegate) frame lower on the stack.
pub(super) fn msg_reentrant(mut ctx: Ctx<'_>) -> Result<u32, Error> {
    enter(&mut ctx)?;
    Ok(u32::from(frame(&ctx)?.reentrant))
}

/// `tx.origin`.
pub(super) fn tx_origin(mut ctx: Ctx<'_>, dest: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let origin = ctx.data().origin;
    write(&mut ctx, dest, origin.as_slice())
}

/// `tx.gasprice`: the basefee, as on Arbitrum.
pub(super) fn tx_gas_price(mut ctx: Ctx<'_>, dest: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let price = ctx.data().world.block.basefee;
    write(&mut ctx, dest, &price.to_be_bytes::<32>())
}

/// Ink per gas.
pub(super) fn tx_ink_price(mut ctx: Ctx<'_>) -> Result<u32, Error> {
    enter(&mut ctx)?;
    Ok(u32::try_from(INK_PER_GAS).unwrap_or(u32::MAX))
}

/// `block.basefee`.
pub(super) fn block_basefee(mut ctx: Ctx<'_>, dest: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let basefee: U256 = ctx.data().world.block.basefee;
    write(&mut ctx, dest, &basefee.to_be_bytes::<32>())
}

/// `block.coinbase`.
pub(super) fn block_coinbase(mut ctx: Ctx<'_>, dest: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let coinbase = ctx.data().world.block.coinbase;
    write(&mut ctx, dest, coinbase.as_slice())
}

/// `block.gaslimit`.
pub(super) fn block_gas_limit(mut ctx: Ctx<'_>) -> Result<u64, Error> {
    enter(&mut ctx)?;
    Ok(ctx.data().world.block.gas_limit)
}

/// `block.number`.
pub(super) fn block_number(mut ctx: Ctx<'_>) -> Result<u64, Error> {
    enter(&mut ctx)?;
    Ok(ctx.data().world.block.number)
}

/// `block.timestamp`.
pub(super) fn block_timestamp(mut ctx: Ctx<'_>) -> Result<u64, Error> {
    enter(&mut ctx)?;
    Ok(ctx.data().world.block.timestamp)
}

/// `block.chainid`.
pub(super) fn chainid(mut ctx: Ctx<'_>) -> Result<u64, Error> {
    enter(&mut ctx)?;
    Ok(ctx.data().world.block.chain_id)
}

/// `address(this)`.
pub(super) fn contract_address(mut ctx: Ctx<'_>, dest: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let address = frame(&ctx)?.address;
    write(&mut ctx, dest, address.as_slice())
}

/// Gas left after paying for this hook.
pub(super) fn evm_gas_left(mut ctx: Ctx<'_>) -> Result<u64, Error> {
    enter(&mut ctx)?;
    // Rounded down: the gas the program could still spend in full.
    Ok(ctx.get_fuel()? / FUEL_PER_GAS)
}

/// Ink left after paying for this hook.
pub(super) fn evm_ink_left(mut ctx: Ctx<'_>) -> Result<u64, Error> {
    enter(&mut ctx)?;
    Ok(fuel_to_ink(ctx.get_fuel()?))
}
