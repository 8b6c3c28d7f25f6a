//! Host I/O probe: a test contract for Keel's local Stylus host.
//!
//! Each method exercises one or a few `vm_hooks` imports and returns what they reported, so
//! that the host's integration tests can compare it with the host's own state: storage
//! through the SDK's cache, logs, message/transaction/block context, account queries,
//! hashing and math, transient storage, early exit, nested/static/delegate calls with
//! value, return-data windows, `create1`/`create2` of its own code, and memory growth.
//! Never deployed anywhere but the local host.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `no_std` only in the contract's wasm: a workspace build that generates abi/ turns on
// stylus-sdk's `export-abi`, whose `#[public]` output needs std in native builds.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

mod raw;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    abi::Bytes,
    call::RawCall,
    deploy::RawDeploy,
    prelude::*,
    storage::{StorageMap, StorageU256},
};

use raw::MathOp;

sol! {
    /// Emitted by `ping`.
    event Ping(uint256 indexed id, address indexed sender, bytes data);

    /// A deliberate failure carrying `code`.
    error ProbeFailed(uint256 code);
    /// A forwarded call failed with `data`.
    error CallFailed(bytes data);
    /// `create1`/`create2` returned the zero address; `data` is the revert data.
    error DeployFailed(bytes data);
    /// `op` is not one of the math hooks (0 div, 1 mod, 2 pow, 3 addmod, 4 mulmod).
    error UnknownMathOp(uint8 op);
}

/// Every way a probe call can fail on purpose.
#[derive(SolidityError)]
pub enum ProbeError {
    /// See [`ProbeFailed`].
    Failed(ProbeFailed),
    /// See [`CallFailed`].
    Call(CallFailed),
    /// See [`DeployFailed`].
    Deploy(DeployFailed),
    /// See [`UnknownMathOp`].
    Math(UnknownMathOp),
}

/// EVM init code that returns the Stylus code following it (the `cargo stylus` prelude).
fn init_code(code: &[u8]) -> Vec<u8> {
    let mut init = Vec::with_capacity(43 + code.len());
    init.push(0x7f); // PUSH32 len
    init.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    // DUP1, PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN, version 0
    init.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    init.extend_from_slice(code);
    init
}

fn to_usize(value: U256) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

/// Storage of the probe.
#[storage]
#[entrypoint]
pub struct HostioProbe {
    counter: StorageU256,
    values: StorageMap<U256, StorageU256>,
}

#[public]
impl HostioProbe {
    /// Starts the counter at `initial`.
    #[constructor]
    pub fn constructor(&mut self, initial: U256) {
        self.counter.set(initial);
    }

    /// Accepts plain value transfers.
    #[receive]
    #[payable]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        Ok(())
    }

    /// Adds one to the counter and returns the new value.
    pub fn increment(&mut self) -> U256 {
        let next = self.counter.get() + U256::from(1);
        self.counter.set(next);
        next
    }

    /// The counter.
    pub fn counter(&self) -> U256 {
        self.counter.get()
    }

    /// Stores `value` under `key`.
    pub fn set_value(&mut self, key: U256, value: U256) {
        self.values.setter(key).set(value);
    }

    /// The value under `key`.
    pub fn value_of(&self, key: U256) -> U256 {
        self.values.get(key)
    }

    /// Stores `value` under `key`, emits [`Ping`], then fails with `code`: nothing of it
    /// may survive.
    ///
    /// # Errors
    /// Always [`ProbeFailed`].
    pub fn set_then_fail(&mut self, key: U256, value: U256, code: U256) -> Result<(), ProbeError> {
        self.values.setter(key).set(value);
        self.vm().log(Ping {
            id: key,
            sender: self.vm().msg_sender(),
            data: Vec::new().into(),
        });
        Err(ProbeError::Failed(ProbeFailed { code }))
    }

    /// Emits [`Ping`] with the caller as sender.
    pub fn ping(&mut self, id: U256, data: Bytes) {
        let sender = self.vm().msg_sender();
        self.vm().log(Ping {
            id,
            sender,
            data: data.0.into(),
        });
    }

    /// `msg.sender`, `msg.value`, `tx.origin` and `msg_reentrant`.
    #[payable]
    pub fn message_info(&self) -> (Address, U256, Address, bool) {
        let vm = self.vm();
        (
            vm.msg_sender(),
            vm.msg_value(),
            vm.tx_origin(),
            vm.msg_reentrant(),
        )
    }

    /// `tx.gasprice`, `tx_ink_price` and `address(this)`.
    pub fn tx_info(&self) -> (U256, u32, Address) {
        let vm = self.vm();
        (vm.tx_gas_price(), vm.tx_ink_price(), vm.contract_address())
    }

    /// Number, timestamp, basefee, coinbase, gas limit and chain id.
    pub fn block_info(&self) -> (u64, u64, U256, Address, u64, u64) {
        let vm = self.vm();
        (
            vm.block_number(),
            vm.block_timestamp(),
            vm.block_basefee(),
            vm.block_coinbase(),
            vm.block_gas_limit(),
            vm.chain_id(),
        )
    }

    /// Gas and ink left.
    pub fn gas_left(&self) -> (u64, u64) {
        (self.vm().evm_gas_left(), self.vm().evm_ink_left())
    }

    /// Balance, code size and code hash of `who`.
    pub fn account_info(&self, who: Address) -> (U256, U256, B256) {
        let vm = self.vm();
        (
            vm.balance(who),
            U256::from(vm.code_size(who)),
            vm.code_hash(who),
        )
    }

    /// `size` bytes of `who`'s code from `offset`.
    pub fn code_window(&self, who: Address, offset: U256, size: U256) -> Bytes {
        raw::code_window(who, to_usize(offset), to_usize(size)).into()
    }

    /// keccak256 of `data` through the host.
    pub fn hash(&self, data: Bytes) -> B256 {
        self.vm().native_keccak256(&data)
    }

    /// One of the math hooks: 0 `a / b`, 1 `a % b`, 2 `a ** b`, 3 `(a + b) % m`,
    /// 4 `(a * b) % m`.
    ///
    /// # Errors
    /// [`UnknownMathOp`] for another `op`.
    pub fn math(&self, op: u8, a: U256, b: U256, m: U256) -> Result<U256, ProbeError> {
        let op = MathOp::from_u8(op).ok_or(ProbeError::Math(UnknownMathOp { op }))?;
        Ok(op.apply(a, b, m))
    }

    /// Stores `value` under `key` in transient storage.
    pub fn transient_store(&mut self, key: B256, value: B256) {
        raw::transient_store(key, value);
    }

    /// The transient value under `key`.
    pub fn transient_load(&self, key: B256) -> B256 {
        raw::transient_load(key)
    }

    /// Stores then loads a transient value within one call.
    pub fn transient_round_trip(&mut self, key: B256, value: B256) -> B256 {
        raw::transient_store(key, value);
        raw::transient_load(key)
    }

    /// Increments the counter without flushing, then stops with `exit_early(status)` and
    /// `data` as the result: the write is lost because the SDK never flushes its cache.
    pub fn exit_with(&mut self, status: u32, data: Bytes) {
        self.increment();
        raw::exit_with(status, &data);
    }

    /// Calls `target` with `value` and `data`; returns its output.
    ///
    /// # Errors
    /// [`CallFailed`] with the callee's revert data if the call fails.
    #[payable]
    pub fn forward(
        &mut self,
        target: Address,
        value: U256,
        data: Bytes,
    ) -> Result<Bytes, ProbeError> {
        // SAFETY: the storage cache is flushed and cleared before the call.
        let result = unsafe {
            RawCall::new_with_value(self.vm(), value)
                .clear_storage_cache()
                .call(target, &data)
        };
        result
            .map(Bytes::from)
            .map_err(|data| ProbeError::Call(CallFailed { data: data.into() }))
    }

    /// Calls `target` with `value`, at most `gas`, and reports success and output without
    /// failing itself.
    pub fn try_call(
        &mut self,
        target: Address,
        value: U256,
        gas: u64,
        data: Bytes,
    ) -> (bool, Bytes) {
        // SAFETY: the storage cache is flushed and cleared before the call.
        let result = unsafe {
            RawCall::new_with_value(self.vm(), value)
                .gas(gas)
                .clear_storage_cache()
                .call(target, &data)
        };
        match result {
            Ok(out) => (true, out.into()),
            Err(out) => (false, out.into()),
        }
    }

    /// Static-calls `target`; reports success and output.
    pub fn try_static_call(&self, target: Address, data: Bytes) -> (bool, Bytes) {
        // SAFETY: a static call cannot change this contract's storage.
        let result = unsafe {
            RawCall::new_static(self.vm())
                .flush_storage_cache()
                .call(target, &data)
        };
        match result {
            Ok(out) => (true, out.into()),
            Err(out) => (false, out.into()),
        }
    }

    /// Delegate-calls `target` (its code on this storage); reports success and output.
    pub fn try_delegate_call(&mut self, target: Address, data: Bytes) -> (bool, Bytes) {
        // SAFETY: the storage cache is flushed and cleared before the call.
        let result = unsafe {
            RawCall::new_delegate(self.vm())
                .clear_storage_cache()
                .call(target, &data)
        };
        match result {
            Ok(out) => (true, out.into()),
            Err(out) => (false, out.into()),
        }
    }

    /// Bumps the counter, calls `target` (which must succeed), then fails with `code`:
    /// neither this contract's nor the callee's changes may survive.
    ///
    /// # Errors
    /// [`CallFailed`] if the call fails, otherwise always [`ProbeFailed`].
    pub fn call_then_fail(
        &mut self,
        target: Address,
        data: Bytes,
        code: U256,
    ) -> Result<(), ProbeError> {
        self.increment();
        self.forward(target, U256::ZERO, data)?;
        Err(ProbeError::Failed(ProbeFailed { code }))
    }

    /// Calls `target` and returns the return data size and the window `[offset, offset+size)`
    /// read through `read_return_data`.
    pub fn return_data_window(
        &mut self,
        target: Address,
        data: Bytes,
        offset: U256,
        size: U256,
    ) -> (U256, Bytes) {
        // SAFETY: the storage cache is flushed and cleared before the call.
        let _ = unsafe {
            RawCall::new(self.vm())
                .clear_storage_cache()
                .skip_return_data()
                .call(target, &data)
        };
        let (total, window) = raw::return_data_window(to_usize(offset), to_usize(size));
        (U256::from(total), window.into())
    }

    /// Deploys a copy of this contract's own code (no constructor runs), with `create2` and
    /// `salt` if `use_create2`, else `create1`, sending it `endowment`.
    ///
    /// # Errors
    /// [`DeployFailed`] if the host returns the zero address.
    pub fn clone_self(
        &mut self,
        use_create2: bool,
        salt: B256,
        endowment: U256,
    ) -> Result<Address, ProbeError> {
        let code = self.vm().code(self.vm().contract_address());
        self.deploy(init_code(&code).into(), use_create2, salt, endowment)
    }

    /// Deploys with arbitrary init code.
    ///
    /// # Errors
    /// [`DeployFailed`] if the host returns the zero address.
    pub fn deploy(
        &mut self,
        init: Bytes,
        use_create2: bool,
        salt: B256,
        endowment: U256,
    ) -> Result<Address, ProbeError> {
        let deploy = RawDeploy::new().salt_option(use_create2.then_some(salt));
        // SAFETY: the probe holds no storage references across the deployment.
        unsafe { deploy.deploy(self.vm(), &init, endowment) }
            .map_err(|data| ProbeError::Deploy(DeployFailed { data: data.into() }))
    }

    /// Hashes in a loop `rounds` times (to run out of gas on purpose).
    pub fn spin(&self, rounds: U256) -> B256 {
        let mut hash = B256::ZERO;
        let mut i = U256::ZERO;
        while i < rounds {
            hash = alloy_primitives::keccak256(hash);
            i += U256::from(1);
        }
        hash
    }

    /// Allocates `kib` KiB filled with ones, growing memory; returns their sum (the byte
    /// count), read back so that the allocation cannot be optimised away.
    pub fn grow(&self, kib: U256) -> U256 {
        let buffer = core::hint::black_box(vec![1u8; to_usize(kib).saturating_mul(1024)]);
        U256::from(buffer.iter().map(|&b| u64::from(b)).sum::<u64>())
    }
}
