//! Persistent storage through the frame's cache, and transient storage.
//!
//! As on Nitro, `storage_cache_bytes32` only updates the frame's cache; writes reach the
//! state, and are priced as `SSTORE`s, when the program calls `storage_flush_cache` (the SDK
//! does so before every external call and when `user_entrypoint` returns). Each write also
//! adds its EIP-2200/3529 refund to the transaction's journaled refund counter.

use alloy_primitives::B256;
use wasmi::Error;

use super::enter;
use crate::gas::SlotWrite;
use crate::vm::memory::{
    charge, charge_gas, frame, frame_mut, read_b256, require_mutable, write, Ctx,
};
use crate::vm::CachedSlot;

/// Reads a slot: from the cache if present, else from state at `SLOAD` cost.
pub(super) fn storage_load_bytes32(mut ctx: Ctx<'_>, key: u32, dest: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let key = read_b256(&ctx, key)?;
    let value = match frame(&ctx)?.cache.get(&key) {
        Some(slot) => slot.value,
        None => {
            let address = frame(&ctx)?.address;
            let exec = ctx.data_mut();
            let cold = exec.world.touch_slot(address, key);
            let gas = if cold {
                exec.schedule.sload_cold
            } else {
                exec.schedule.sload_warm
            };
            let value = exec.world.storage(address, key);
            charge_gas(&mut ctx, gas)?;
            frame_mut(&mut ctx)?.cache.insert(
                key,
                CachedSlot {
                    value,
                    dirty: false,
                },
            );
            value
        }
    };
    write(&mut ctx, dest, value.as_slice())
}

/// Stores a value in the cache. Needs the EIP-2200 sentry gas left, as an `SSTORE` would.
pub(super) fn storage_cache_bytes32(mut ctx: Ctx<'_>, key: u32, value: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let sentry = crate::gas::gas_to_fuel(ctx.data().schedule.sstore_sentry);
    if ctx.get_fuel()? <= sentry {
        // Take what is left: the frame is out of gas.
        return charge(&mut ctx, u64::MAX);
    }
    let key = read_b256(&ctx, key)?;
    let value = read_b256(&ctx, value)?;
    frame_mut(&mut ctx)?
        .cache
        .insert(key, CachedSlot { value, dirty: true });
    Ok(())
}

/// Writes every dirty cached slot to state, each priced as an `SSTORE`; `clear` also
/// empties the cache so later loads re-read state (needed after calls that may write it).
pub(super) fn storage_flush_cache(mut ctx: Ctx<'_>, clear: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let mut dirty: Vec<(B256, B256)> = frame(&ctx)?
        .cache
        .iter()
        .filter(|(_, slot)| slot.dirty)
        .map(|(key, slot)| (*key, slot.value))
        .collect();
    // Deterministic order: the journal, and so rollback, does not depend on hashing.
    dirty.sort_unstable();
    if !dirty.is_empty() {
        require_mutable(&ctx, "storage write")?;
    }
    let address = frame(&ctx)?.address;
    for (key, value) in dirty {
        let (gas, refund) = sstore_gas(ctx.data_mut(), address, key, value);
        charge_gas(&mut ctx, gas)?;
        let world = &mut ctx.data_mut().world;
        world.set_storage(address, key, value);
        world.add_refund(refund);
    }
    let cache = &mut frame_mut(&mut ctx)?.cache;
    if clear != 0 {
        cache.clear();
    } else {
        for slot in cache.values_mut() {
            slot.dirty = false;
        }
    }
    Ok(())
}

/// EIP-2929/2200 `SSTORE` gas (warming the slot) and the refund the write earns.
fn sstore_gas(
    exec: &mut crate::vm::Exec,
    address: alloy_primitives::Address,
    key: B256,
    value: B256,
) -> (u64, i64) {
    let cold = exec.world.touch_slot(address, key);
    let write = SlotWrite {
        original: exec.world.original_storage(address, key),
        current: exec.world.storage(address, key),
        new: value,
    };
    let schedule = &exec.schedule;
    let cold = if cold { schedule.sload_cold } else { 0 };
    (
        cold + schedule.sstore_gas(write),
        schedule.sstore_refund(write),
    )
}

/// `TLOAD`.
pub(super) fn transient_load_bytes32(mut ctx: Ctx<'_>, key: u32, dest: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let gas = ctx.data().schedule.transient;
    charge_gas(&mut ctx, gas)?;
    let key = read_b256(&ctx, key)?;
    let address = frame(&ctx)?.address;
    let value = ctx.data().world.transient(address, key);
    write(&mut ctx, dest, value.as_slice())
}

/// `TSTORE`; forbidden in a static call.
pub(super) fn transient_store_bytes32(mut ctx: Ctx<'_>, key: u32, value: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let gas = ctx.data().schedule.transient;
    charge_gas(&mut ctx, gas)?;
    require_mutable(&ctx, "transient storage write")?;
    let key = read_b256(&ctx, key)?;
    let value = read_b256(&ctx, value)?;
    let address = frame(&ctx)?.address;
    ctx.data_mut().world.set_transient(address, key, value);
    Ok(())
}
