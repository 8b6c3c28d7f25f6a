//! Running one message (a call into an account) as a call frame.

use std::collections::HashMap;
use std::sync::Arc;

use alloy_primitives::{Address, U256};
use wasmi::{AsContext, AsContextMut, Instance, TrapCode};

use super::hostio::{define_hooks, Exit};
use super::{Exec, Frame, MAX_DEPTH};
use crate::gas::{gas_to_fuel, ink_to_fuel};
use crate::program::Program;
use crate::state::Code;

/// Each nested frame runs an interpreter (wasmi's or revm's) recursively on the native
/// stack (tens of KiB per frame in a debug build). When less than this is left, the next
/// frame runs on a fresh heap-allocated stack segment, so that the EVM's 1,024-frame depth
/// never overflows a thread's stack (2 MiB for test threads).
const STACK_RED_ZONE: usize = 256 * 1024;
/// Size of each extra stack segment.
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

/// Runs `f`, which starts a nested frame, on a new stack segment if the current one is
/// nearly used up.
pub(crate) fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, f)
}

/// Bytes in a wasm page.
const PAGE_BYTES: usize = 65_536;

/// A call into an account.
#[derive(Clone, Debug)]
pub(crate) struct Message {
    /// `msg.sender` of the frame.
    pub(crate) caller: Address,
    /// The account whose storage the frame acts on (`address(this)`).
    pub(crate) address: Address,
    /// The account whose code runs (differs from `address` in a delegate call).
    pub(crate) code_address: Address,
    /// `msg.value`; moved from `caller` to `address` unless `is_delegate`.
    pub(crate) value: U256,
    pub(crate) data: Vec<u8>,
    pub(crate) is_static: bool,
    pub(crate) is_delegate: bool,
}

/// How a frame ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// `user_entrypoint` returned 0 (or `exit_early(0)`), EVM code stopped or returned, or
    /// the target has no code.
    Success,
    /// `user_entrypoint` returned non-zero (or `exit_early` with non-zero status), or EVM
    /// code executed `REVERT`.
    Revert,
    /// Fuel (or EVM gas) ran out.
    OutOfGas,
    /// The program trapped or broke a host rule (write in a static call, bad pointer, ...),
    /// EVM code halted exceptionally (invalid opcode or jump, write in a static call, ...),
    /// or a create returned code that cannot be installed.
    Fault(String),
    /// The call could not start: depth limit, the caller lacks the value it sends, or a
    /// create's address is taken.
    Rejected(String),
}

impl core::fmt::Display for Status {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Status::Success => f.write_str("success"),
            Status::Revert => f.write_str("revert"),
            Status::OutOfGas => f.write_str("out of gas"),
            Status::Fault(reason) => write!(f, "fault: {reason}"),
            Status::Rejected(reason) => write!(f, "rejected: {reason}"),
        }
    }
}

impl Status {
    /// Whether the frame's state changes are kept.
    #[must_use]
    pub fn is_success(&self) -> bool {
        *self == Status::Success
    }

    /// Whether the frame ran to its own end (success or revert) and so returns unused gas
    /// and its output; the other endings forfeit both.
    pub(crate) fn returns_gas(&self) -> bool {
        matches!(self, Status::Success | Status::Revert)
    }
}

/// The result of a message.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub(crate) status: Status,
    /// Return data: the result on success, the revert data otherwise.
    pub(crate) output: Vec<u8>,
    pub(crate) fuel_left: u64,
}

impl Outcome {
    /// An outcome without output.
    pub(crate) fn early(status: Status, fuel_left: u64) -> Self {
        Self {
            status,
            output: Vec::new(),
            fuel_left,
        }
    }
}

/// Runs `message` with `fuel` in the store of `ctx` (the host's store, or the store of the
/// calling frame's hook), committing its effects only if it succeeds. The store's fuel
/// counter is restored afterwards; the callee's leftover is in [`Outcome::fuel_left`].
pub(crate) fn execute(
    ctx: &mut impl AsContextMut<Data = Exec>,
    message: Message,
    fuel: u64,
) -> Outcome {
    let mut store = ctx.as_context_mut();
    let exec = store.data_mut();
    if exec.frames.len() >= MAX_DEPTH {
        let reason = format!("call depth limit {MAX_DEPTH} reached");
        return Outcome::early(Status::Rejected(reason), fuel);
    }
    let checkpoint = exec.world.checkpoint();
    if !message.is_delegate
        && !exec
            .world
            .transfer(message.caller, message.address, message.value)
    {
        let reason = format!("{} cannot send {} wei", message.caller, message.value);
        return Outcome::early(Status::Rejected(reason), fuel);
    }
    let Some(code) = exec.world.code(&message.code_address).cloned() else {
        // No code: a plain value transfer, as the EVM does for an externally owned account.
        return Outcome::early(Status::Success, fuel);
    };
    let outer_fuel = ctx.as_context().get_fuel().unwrap_or(0);
    let outcome = with_stack(|| match code {
        Code::Stylus(program) => run(ctx, &program, message, fuel),
        Code::Evm(bytecode) => crate::evm::run(ctx, bytecode, message, fuel),
    });
    let mut store = ctx.as_context_mut();
    // Cannot fail: fuel metering is on for the host's engine.
    let _ = store.set_fuel(outer_fuel);
    if !outcome.status.is_success() {
        store.data_mut().world.revert_to(checkpoint);
    }
    outcome
}

impl Frame {
    /// The frame `message` opens on top of `frames`; `args` is the calldata a program reads
    /// (EVM frames keep theirs in the interpreter). EVM frames are on the stack too, so that
    /// the depth limit and the reentrancy flag count frames of both VMs.
    pub(crate) fn open(frames: &[Frame], message: &Message, args: Vec<u8>) -> Self {
        Frame {
            address: message.address,
            caller: message.caller,
            value: message.value,
            is_static: message.is_static,
            is_delegate: message.is_delegate,
            reentrant: is_reentrant(frames, message),
            args,
            result: Vec::new(),
            return_data: Vec::new(),
            cache: HashMap::new(),
            memory: None,
        }
    }
}

/// Whether a frame acting on `address` re-enters it. As Nitro counts it: frames that are not
/// delegate calls, by the address they act on, including the new one.
fn is_reentrant(frames: &[Frame], message: &Message) -> bool {
    let below = frames
        .iter()
        .filter(|f| !f.is_delegate && f.address == message.address)
        .count();
    below + usize::from(!message.is_delegate) > 1
}

fn run(
    ctx: &mut impl AsContextMut<Data = Exec>,
    program: &Arc<Program>,
    mut message: Message,
    fuel: u64,
) -> Outcome {
    let mut store = ctx.as_context_mut();
    let exec = store.data_mut();
    let pages = u64::from(program.activated().memory_pages);
    let upfront = page_cost(exec, pages).saturating_add(gas_to_fuel(start_gas(exec, program)));
    let Some(fuel) = fuel.checked_sub(upfront) else {
        return Outcome::early(Status::OutOfGas, 0);
    };
    exec.open_pages += pages;
    let args = std::mem::take(&mut message.data);
    let frame = Frame::open(&exec.frames, &message, args);
    let (status, fuel_left, end_pages) = enter(ctx, program, frame, fuel);
    let mut store = ctx.as_context_mut();
    let exec = store.data_mut();
    let frame = exec.frames.pop();
    // Pages grown during the call are paid when it ends (the interpreter does not report
    // `memory.grow` to the host the way Nitro's instrumentation does).
    let growth = page_cost(exec, end_pages.saturating_sub(pages));
    exec.open_pages = exec.open_pages.saturating_sub(pages);
    let (status, fuel_left) = match fuel_left.checked_sub(growth) {
        Some(left) if status.returns_gas() => (status, left),
        None if status.returns_gas() => (Status::OutOfGas, 0),
        _ => (status, 0),
    };
    let output = match (status.returns_gas(), frame) {
        (true, Some(frame)) => frame.result,
        _ => Vec::new(),
    };
    Outcome {
        status,
        output,
        fuel_left,
    }
}

/// Fuel for holding `pages` more pages than are open now, counting only pages beyond the
/// transaction's peak and its free allowance. Updates the peak.
fn page_cost(exec: &mut Exec, pages: u64) -> u64 {
    let wanted = exec.open_pages + pages;
    let paid_up_to = exec.peak_pages.max(exec.schedule.free_pages);
    let new_pages = wanted.saturating_sub(paid_up_to);
    exec.peak_pages = exec.peak_pages.max(wanted);
    gas_to_fuel(new_pages.saturating_mul(exec.schedule.page))
}

/// Gas for starting `program`, as Nitro charges it: the cached gas always, and the init gas
/// too unless the program counts as cached (by the `CacheManager`, or by an earlier call in
/// this transaction). The call is recorded before it is paid for, so a program whose frame
/// runs out of gas or reverts stays recent, as in Nitro.
fn start_gas(exec: &mut Exec, program: &Program) -> u64 {
    let schedule = &exec.schedule;
    let cached = schedule.all_programs_cached
        || (schedule.recent_programs
            && exec
                .world
                .note_program_call(program.codehash(), schedule.recent_programs_capacity));
    schedule.program_start_gas(program.activated().init_costs(), cached)
}

/// A fresh instance of `program` in the store, its imports resolved through the store's
/// cache.
fn instantiate(
    ctx: &mut impl AsContextMut<Data = Exec>,
    program: &Arc<Program>,
) -> Result<Instance, String> {
    let key = Arc::as_ptr(program) as usize;
    let mut store = ctx.as_context_mut();
    if store.data().cache.hooks.is_empty() {
        let hooks = define_hooks(&mut store);
        store.data_mut().cache.hooks = hooks;
    }
    let imports = match store.data().cache.imports.get(&key) {
        Some(imports) => imports.clone(),
        None => {
            let hooks = &store.data().cache.hooks;
            let imports = program
                .module()
                .imports()
                .map(|import| {
                    crate::hooks::HOOKS
                        .binary_search_by(|hook| hook.name.cmp(import.name()))
                        .map(|index| wasmi::Extern::Func(hooks[index]))
                        .map_err(|_| format!("no hook {}", import.name()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            store.data_mut().cache.imports.insert(key, imports.clone());
            imports
        }
    };
    store.data_mut().cache.instances += 1;
    Instance::new(&mut store, program.module(), &imports).map_err(|e| e.to_string())
}

/// Pushes `frame`, instantiates the program and calls `user_entrypoint` with `fuel`.
/// Returns the status, the fuel left (zero when all of it is forfeited) and the pages the
/// memory ended with.
fn enter(
    ctx: &mut impl AsContextMut<Data = Exec>,
    program: &Arc<Program>,
    frame: Frame,
    fuel: u64,
) -> (Status, u64, u64) {
    let fail = |reason: String| (Status::Fault(reason), 0, 0);
    let args_len = i32::try_from(frame.args.len());
    // Pushed first: `run` pops it whatever happens below.
    ctx.as_context_mut().data_mut().frames.push(frame);
    let Ok(args_len) = args_len else {
        return fail("calldata longer than 2 GiB".into());
    };
    let instance = match instantiate(ctx, program) {
        Ok(instance) => instance,
        Err(e) => return fail(format!("instantiation failed: {e}")),
    };
    let mut store = ctx.as_context_mut();
    let memory = instance.get_memory(&store, "memory");
    let entrypoint = instance.get_typed_func::<i32, i32>(&store, "user_entrypoint");
    let (Some(memory), Ok(entrypoint)) = (memory, entrypoint) else {
        return fail("missing memory or user_entrypoint".into());
    };
    if let Some(frame) = store.data_mut().frames.last_mut() {
        frame.memory = Some(memory);
    }
    if store.set_fuel(fuel).is_err() {
        return fail("fuel metering is off".into());
    }
    let result = entrypoint.call(&mut store, args_len);
    let end_pages = (memory.data_size(&store) / PAGE_BYTES) as u64;
    let fuel_left = store.get_fuel().unwrap_or(0);
    let status = match result {
        Ok(0) => Status::Success,
        Ok(_) => Status::Revert,
        Err(error) => match error.downcast_ref::<Exit>() {
            Some(Exit::Early(0)) => Status::Success,
            Some(Exit::Early(_)) => Status::Revert,
            Some(Exit::OutOfGas) => Status::OutOfGas,
            Some(Exit::Fault(reason)) => Status::Fault(reason.clone()),
            None if error.as_trap_code() == Some(TrapCode::OutOfFuel) => Status::OutOfGas,
            None => Status::Fault(format!("trap: {error}")),
        },
    };
    let fuel_left = if status.returns_gas() { fuel_left } else { 0 };
    (status, fuel_left, end_pages)
}

/// Fuel for the host I/O base price.
pub(crate) fn hostio_fuel(exec: &Exec) -> u64 {
    ink_to_fuel(exec.schedule.hostio_ink)
}
