//! Calldata in, result out, return data of sub-calls, early exit and memory growth.

use wasmi::Error;

use super::{enter, Exit};
use crate::vm::memory::{frame, frame_mut, read, write, Ctx};

/// Copies the whole calldata to `dest` (its length was passed to `user_entrypoint`).
pub(super) fn read_args(mut ctx: Ctx<'_>, dest: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let args = std::mem::take(&mut frame_mut(&mut ctx)?.args);
    let written = write(&mut ctx, dest, &args);
    frame_mut(&mut ctx)?.args = args;
    written
}

/// Sets the frame's result (return data on success, revert data on failure).
pub(super) fn write_result(mut ctx: Ctx<'_>, data: u32, len: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    let result = read(&ctx, data, len)?;
    frame_mut(&mut ctx)?.result = result;
    Ok(())
}

/// Stops the program now with `status` (0 success, otherwise revert), keeping the result.
pub(super) fn exit_early(mut ctx: Ctx<'_>, status: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    Err(Error::host(Exit::Early(status)))
}

/// Nitro inserts calls to this hook when memory grows; the SDK calls it with 0 so that the
/// import exists. Growth is priced when the frame ends (see `vm::call`), so this charges
/// only the host I/O price.
pub(super) fn pay_for_memory_grow(mut ctx: Ctx<'_>, _pages: u32) -> Result<(), Error> {
    enter(&mut ctx)
}

/// Copies up to `size` bytes of the last call's return data from `offset` to `dest`;
/// returns how many were copied (out-of-range offsets copy nothing).
pub(super) fn read_return_data(
    mut ctx: Ctx<'_>,
    dest: u32,
    offset: u32,
    size: u32,
) -> Result<u32, Error> {
    enter(&mut ctx)?;
    let data = &frame(&ctx)?.return_data;
    let start = (offset as usize).min(data.len());
    let end = start.saturating_add(size as usize).min(data.len());
    let slice = data[start..end].to_vec();
    write(&mut ctx, dest, &slice)?;
    // `slice` is at most `size` bytes, a u32.
    Ok(u32::try_from(slice.len()).unwrap_or(size))
}

/// Length of the last call's return data.
pub(super) fn return_data_size(mut ctx: Ctx<'_>) -> Result<u32, Error> {
    enter(&mut ctx)?;
    u32::try_from(frame(&ctx)?.return_data.len())
        .map_err(|_| crate::vm::memory::fault("return data exceeds u32"))
}
