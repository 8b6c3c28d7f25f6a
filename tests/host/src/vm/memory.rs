//! Access to the running frame and its linear memory from inside a host function.
//!
//! Every pointer a program passes is checked: an out-of-bounds access is a fault of the
//! program (it reverts), never a panic of the host.

use alloy_primitives::{Address, B256, U256};
use wasmi::{Caller, Error};

use super::hostio::Exit;
use super::{Exec, Frame};
use crate::gas::gas_to_fuel;

/// The context every hook receives.
pub(crate) type Ctx<'a> = Caller<'a, Exec>;

/// A host fault: the program broke a rule and its frame fails.
pub(crate) fn fault(reason: impl Into<String>) -> Error {
    Error::host(Exit::Fault(reason.into()))
}

/// The frame of the program that called the hook.
pub(crate) fn frame<'a>(ctx: &'a Ctx<'_>) -> Result<&'a Frame, Error> {
    ctx.data()
        .frames
        .last()
        .ok_or_else(|| fault("hook called with no frame"))
}

/// Mutable access to the frame of the program that called the hook.
pub(crate) fn frame_mut<'a>(ctx: &'a mut Ctx<'_>) -> Result<&'a mut Frame, Error> {
    ctx.data_mut()
        .frames
        .last_mut()
        .ok_or_else(|| fault("hook called with no frame"))
}

fn memory(ctx: &Ctx<'_>) -> Result<wasmi::Memory, Error> {
    frame(ctx)?
        .memory
        .ok_or_else(|| fault("frame has no memory"))
}

fn range(ptr: u32, len: usize, size: usize) -> Result<std::ops::Range<usize>, Error> {
    let start = ptr as usize;
    match start.checked_add(len) {
        Some(end) if end <= size => Ok(start..end),
        _ => Err(fault(format!(
            "memory access {start}+{len} out of bounds ({size} bytes)"
        ))),
    }
}

/// Copies `len` bytes at `ptr` out of the program's memory.
pub(crate) fn read(ctx: &Ctx<'_>, ptr: u32, len: u32) -> Result<Vec<u8>, Error> {
    let data = memory(ctx)?.data(ctx);
    Ok(data[range(ptr, len as usize, data.len())?].to_vec())
}

/// Reads a fixed-size value at `ptr`.
pub(crate) fn read_array<const N: usize>(ctx: &Ctx<'_>, ptr: u32) -> Result<[u8; N], Error> {
    let data = memory(ctx)?.data(ctx);
    let mut out = [0u8; N];
    out.copy_from_slice(&data[range(ptr, N, data.len())?]);
    Ok(out)
}

/// Reads a 32-byte word.
pub(crate) fn read_b256(ctx: &Ctx<'_>, ptr: u32) -> Result<B256, Error> {
    read_array::<32>(ctx, ptr).map(B256::from)
}

/// Reads a big-endian `U256`.
pub(crate) fn read_u256(ctx: &Ctx<'_>, ptr: u32) -> Result<U256, Error> {
    read_array::<32>(ctx, ptr).map(U256::from_be_bytes)
}

/// Reads a 20-byte address.
pub(crate) fn read_address(ctx: &Ctx<'_>, ptr: u32) -> Result<Address, Error> {
    read_array::<20>(ctx, ptr).map(Address::from)
}

/// Copies `bytes` into the program's memory at `ptr`.
pub(crate) fn write(ctx: &mut Ctx<'_>, ptr: u32, bytes: &[u8]) -> Result<(), Error> {
    let memory = memory(ctx)?;
    let data = memory.data_mut(ctx);
    let range = range(ptr, bytes.len(), data.len())?;
    data[range].copy_from_slice(bytes);
    Ok(())
}

/// Writes a `u32` (a wasm32 `usize`) little-endian, as the program reads it.
pub(crate) fn write_u32(ctx: &mut Ctx<'_>, ptr: u32, value: usize) -> Result<(), Error> {
    let value = u32::try_from(value).map_err(|_| fault("length exceeds u32"))?;
    write(ctx, ptr, &value.to_le_bytes())
}

/// Takes `fuel` from the frame; running out is out-of-gas.
pub(crate) fn charge(ctx: &mut Ctx<'_>, fuel: u64) -> Result<(), Error> {
    let left = ctx.get_fuel()?;
    match left.checked_sub(fuel) {
        Some(left) => ctx.set_fuel(left),
        None => {
            ctx.set_fuel(0)?;
            Err(Error::host(Exit::OutOfGas))
        }
    }
}

/// Takes `gas` (EVM units) from the frame.
pub(crate) fn charge_gas(ctx: &mut Ctx<'_>, gas: u64) -> Result<(), Error> {
    charge(ctx, gas_to_fuel(gas))
}

/// Fails the frame if it runs in a static context: no state may change there.
pub(crate) fn require_mutable(ctx: &Ctx<'_>, what: &str) -> Result<(), Error> {
    if frame(ctx)?.is_static {
        return Err(fault(format!("write protection: {what} in a static call")));
    }
    Ok(())
}
