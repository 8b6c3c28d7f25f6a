//! Program execution on wasmi: the engine, the call-frame machinery and the host I/O.
//!
//! A [`crate::Host`] keeps one wasmi [`Store`] whose data is the whole [`Exec`] state. Every
//! call frame, top-level or nested, gets a fresh instance of its program in that store (so
//! memory and globals start clean, as on Nitro); the hook functions and each program's
//! resolved imports are created once per store and reused, which makes a call cost little
//! more than the instance's memory. Instances are never freed individually, so the host
//! replaces the store with a fresh one once it holds [`STORE_RECYCLE_INSTANCES`] of them.

mod call;
pub(crate) mod hostio;
mod initcode;
mod memory;

use std::collections::HashMap;
use std::sync::OnceLock;

use alloy_primitives::{Address, B256, U256};
use wasmi::{
    CompilationMode, Config, Engine, Extern, Func, Store, StoreLimits, StoreLimitsBuilder,
};

pub use call::Status;
pub(crate) use call::{execute, with_stack, Message, Outcome};
pub use initcode::{deploy_init_code, returned_code};

use crate::gas::{operator_costs, GasSchedule};
use crate::state::World;

/// EVM call depth limit.
pub(crate) const MAX_DEPTH: usize = 1024;

/// The process-wide engine: fuel metering on, Nitro-shaped operator prices, and every
/// function compiled when its module is (wasmi's default compiles a function on its first call
/// and charges that call fuel for it, which would make a figure depend on what ran before).
pub(crate) fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut config = Config::default();
        config
            .consume_fuel(true)
            .operator_cost(operator_costs())
            .compilation_mode(CompilationMode::Eager);
        Engine::new(&config)
    })
}

/// Instances a store may accumulate before the host starts a fresh one.
pub(crate) const STORE_RECYCLE_INSTANCES: usize = 256;

/// A store for `exec`, with Nitro's memory limit on every instance.
pub(crate) fn new_store(mut exec: Exec) -> Store<Exec> {
    exec.cache = StoreCache::default();
    let pages = usize::try_from(crate::activation::MAX_MEMORY_PAGES).unwrap_or(usize::MAX);
    exec.limits = StoreLimitsBuilder::new()
        .memory_size(pages * 65_536)
        // Per store, not per transaction: recycling happens between transactions only, so a
        // transaction with many frames must not hit these.
        .instances(1_000_000)
        .memories(1_000_000)
        .build();
    let mut store = Store::new(engine(), exec);
    store.limiter(|exec| &mut exec.limits);
    store
}

/// Handles that belong to the current store.
#[derive(Debug, Default)]
pub(crate) struct StoreCache {
    /// The hook functions, in [`crate::hooks::HOOKS`] order; created on first use.
    pub(crate) hooks: Vec<Func>,
    /// Each program's imports resolved to hooks, keyed by the program's address in memory
    /// (programs live in the process-wide cache for the whole run).
    pub(crate) imports: HashMap<usize, Vec<Extern>>,
    /// Instances created in this store.
    pub(crate) instances: usize,
}

/// Everything a running transaction can touch; the data of every wasmi store.
#[derive(Debug, Default)]
pub(crate) struct Exec {
    pub(crate) world: World,
    pub(crate) frames: Vec<Frame>,
    pub(crate) schedule: GasSchedule,
    pub(crate) origin: Address,
    /// Pages held by the frames currently on the stack.
    pub(crate) open_pages: u64,
    /// Most pages held at once so far in this transaction; only pages beyond it are paid.
    pub(crate) peak_pages: u64,
    pub(crate) limits: StoreLimits,
    pub(crate) cache: StoreCache,
}

/// A cached storage slot of one frame.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CachedSlot {
    pub(crate) value: B256,
    pub(crate) dirty: bool,
}

/// One program invocation on the call stack.
#[derive(Debug)]
pub(crate) struct Frame {
    /// The account whose storage and balance this frame acts on.
    pub(crate) address: Address,
    pub(crate) caller: Address,
    pub(crate) value: U256,
    pub(crate) is_static: bool,
    pub(crate) is_delegate: bool,
    pub(crate) reentrant: bool,
    pub(crate) args: Vec<u8>,
    pub(crate) result: Vec<u8>,
    /// Output of the last call or failed create made by this frame.
    pub(crate) return_data: Vec<u8>,
    /// The program-side storage cache that `storage_flush_cache` writes back.
    pub(crate) cache: HashMap<B256, CachedSlot>,
    pub(crate) memory: Option<wasmi::Memory>,
}
