//! `emit_log`: `LOG0`..`LOG4`.

use alloy_primitives::{Bytes, Log, LogData, B256};
use wasmi::Error;

use super::enter;
use crate::vm::memory::{charge_gas, fault, frame, read, require_mutable, Ctx};

/// Most topics a log may have.
const MAX_TOPICS: u32 = 4;

/// Emits a log whose first `topics` × 32 bytes of `data` are the topics.
pub(super) fn emit_log(mut ctx: Ctx<'_>, data: u32, len: u32, topics: u32) -> Result<(), Error> {
    enter(&mut ctx)?;
    if topics > MAX_TOPICS {
        return Err(fault(format!(
            "emit_log with {topics} topics; at most {MAX_TOPICS}"
        )));
    }
    let topic_bytes = topics * 32;
    if len < topic_bytes {
        return Err(fault(format!(
            "emit_log: {len} bytes cannot hold {topics} topics"
        )));
    }
    require_mutable(&ctx, "log")?;
    let schedule = &ctx.data().schedule;
    let gas = schedule.log
        + schedule.log_topic * u64::from(topics)
        + schedule.log_byte * u64::from(len - topic_bytes);
    charge_gas(&mut ctx, gas)?;
    let bytes = read(&ctx, data, len)?;
    let (topic_part, body) = bytes.split_at(topic_bytes as usize);
    let topics: Vec<B256> = topic_part.chunks_exact(32).map(B256::from_slice).collect();
    let address = frame(&ctx)?.address;
    let log = Log {
        address,
        data: LogData::new_unchecked(topics, Bytes::copy_from_slice(body)),
    };
    ctx.data_mut().world.push_log(log);
    Ok(())
}
