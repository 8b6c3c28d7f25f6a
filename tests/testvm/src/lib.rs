//! stylus-test's `TestVM` with outgoing contract calls answered per call.
//!
//! `TestVM` 0.10 keeps a single "return data" buffer holding the data of the
//! *last mocked* call, whichever call is then made, so a contract that makes
//! two different calls (a feed's `decimals` then its `latestRoundData`, or a
//! price then a balance) reads the wrong answer. [`RoutedVm`] delegates every
//! host function to `TestVM` except outgoing calls, which it hands to a
//! [`CallRouter`] (each test's fakes); the router's answer is written to
//! `TestVM`'s return buffer, where the SDK reads it.

use std::{ops::Deref, rc::Rc};

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::{stylus_core::host::*, testing::TestVM};

/// The kind of an outgoing call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    /// A `CALL`: may change state and carry value.
    Call,
    /// A `STATICCALL`: must not change state.
    Static,
    /// A `DELEGATECALL`: runs the callee's code on the caller's storage.
    Delegate,
}

/// Answers the calls a contract makes, and the hooks where a test host
/// differs from plain `TestVM`.
pub trait CallRouter {
    /// Whether calls of `kind` are routed; those that are not go to `TestVM`.
    fn routes(&self, kind: CallKind) -> bool {
        let _ = kind;
        true
    }

    /// Answers one call of `data` to `to` with `value` attached: `Ok` with
    /// the return data, or `Err` with the revert data.
    fn route(
        &self,
        vm: &TestVM,
        to: Address,
        data: &[u8],
        value: U256,
        kind: CallKind,
    ) -> Result<Vec<u8>, Vec<u8>>;

    /// The code at `account`; `TestVM`'s by default.
    fn code(&self, vm: &TestVM, account: Address) -> Vec<u8> {
        vm.code(account)
    }

    /// The size of the code at `account`; `TestVM`'s by default.
    fn code_size(&self, vm: &TestVM, account: Address) -> usize {
        vm.code_size(account)
    }

    /// Whether the current call is reentrant; `TestVM`'s by default.
    fn msg_reentrant(&self, vm: &TestVM) -> bool {
        vm.msg_reentrant()
    }
}

/// `TestVM` with outgoing calls answered by a shared router `R`.
///
/// Clones share both the VM state and the router, as the SDK expects of a
/// host. Dereferences to the router, so tests reach their fakes directly.
pub struct RoutedVm<R> {
    /// The wrapped VM (storage, block, sender, logs, return buffer).
    pub vm: TestVM,
    /// The router, shared by all clones.
    pub router: Rc<R>,
}

impl<R> RoutedVm<R> {
    /// A fresh `TestVM` routing calls to `router`.
    pub fn new(router: R) -> Self {
        Self {
            vm: TestVM::default(),
            router: Rc::new(router),
        }
    }
}

impl<R> Clone for RoutedVm<R> {
    fn clone(&self) -> Self {
        Self {
            vm: self.vm.clone(),
            router: Rc::clone(&self.router),
        }
    }
}

impl<R: Default> Default for RoutedVm<R> {
    fn default() -> Self {
        Self::new(R::default())
    }
}

impl<R> Deref for RoutedVm<R> {
    type Target = R;

    fn deref(&self) -> &R {
        &self.router
    }
}

impl<R: CallRouter> RoutedVm<R> {
    /// Routes a call (or hands it to `TestVM`) and stores its output as the
    /// return data.
    ///
    /// # Safety
    /// `to` must point at 20 bytes, `data` at `data_len` bytes and `value`
    /// (unless null) at 32 big-endian bytes.
    #[allow(clippy::too_many_arguments)]
    unsafe fn call(
        &self,
        kind: CallKind,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        if !self.router.routes(kind) {
            // SAFETY: same arguments as received.
            return unsafe {
                match kind {
                    CallKind::Call => self
                        .vm
                        .call_contract(to, data, data_len, value, gas, outs_len),
                    CallKind::Static => self
                        .vm
                        .static_call_contract(to, data, data_len, gas, outs_len),
                    CallKind::Delegate => self
                        .vm
                        .delegate_call_contract(to, data, data_len, gas, outs_len),
                }
            };
        }
        // SAFETY: the SDK passes valid pointers (the caller's contract).
        let (to, data, value) = unsafe {
            (
                Address::from_slice(std::slice::from_raw_parts(to, 20)),
                std::slice::from_raw_parts(data, data_len),
                if value.is_null() {
                    U256::ZERO
                } else {
                    U256::from_be_slice(std::slice::from_raw_parts(value, 32))
                },
            )
        };
        let (status, out) = match self.router.route(&self.vm, to, data, value, kind) {
            Ok(out) => (0, out),
            Err(out) => (1, out),
        };
        self.vm.write_result(&out);
        *outs_len = out.len();
        status
    }
}

impl<R> CryptographyAccess for RoutedVm<R> {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.vm.native_keccak256(input)
    }
}

impl<R> CalldataAccess for RoutedVm<R> {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.vm.read_args(len)
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        self.vm.read_return_data(offset, size)
    }
    fn return_data_size(&self) -> usize {
        self.vm.return_data_size()
    }
    fn write_result(&self, data: &[u8]) {
        self.vm.write_result(data);
    }
}

// SAFETY: forwards to TestVM, which upholds the contract of these functions.
unsafe impl<R> UnsafeDeploymentAccess for RoutedVm<R> {
    unsafe fn create1(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        // SAFETY: same arguments as received.
        unsafe {
            self.vm
                .create1(code, code_len, endowment, contract, revert_data_len);
        }
    }
    unsafe fn create2(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        salt: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        // SAFETY: same arguments as received.
        unsafe {
            self.vm
                .create2(code, code_len, endowment, salt, contract, revert_data_len);
        }
    }
}

impl<R> StorageAccess for RoutedVm<R> {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.vm.storage_load_bytes32(key)
    }
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        // SAFETY: forwards to TestVM.
        unsafe { self.vm.storage_cache_bytes32(key, value) }
    }
    fn flush_cache(&self, clear: bool) {
        self.vm.flush_cache(clear);
    }
}

// SAFETY: `call` reads exactly the buffers the SDK hands over.
unsafe impl<R: CallRouter> UnsafeCallAccess for RoutedVm<R> {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        // SAFETY: pointers from the SDK.
        unsafe { self.call(CallKind::Call, to, data, data_len, value, gas, outs_len) }
    }
    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        // SAFETY: pointers from the SDK.
        unsafe {
            self.call(
                CallKind::Static,
                to,
                data,
                data_len,
                std::ptr::null(),
                gas,
                outs_len,
            )
        }
    }
    unsafe fn delegate_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        // SAFETY: pointers from the SDK.
        unsafe {
            self.call(
                CallKind::Delegate,
                to,
                data,
                data_len,
                std::ptr::null(),
                gas,
                outs_len,
            )
        }
    }
}

impl<R> BlockAccess for RoutedVm<R> {
    fn block_basefee(&self) -> U256 {
        self.vm.block_basefee()
    }
    fn block_coinbase(&self) -> Address {
        self.vm.block_coinbase()
    }
    fn block_number(&self) -> u64 {
        self.vm.block_number()
    }
    fn block_timestamp(&self) -> u64 {
        self.vm.block_timestamp()
    }
    fn block_gas_limit(&self) -> u64 {
        self.vm.block_gas_limit()
    }
}

impl<R> ChainAccess for RoutedVm<R> {
    fn chain_id(&self) -> u64 {
        self.vm.chain_id()
    }
}

impl<R: CallRouter> AccountAccess for RoutedVm<R> {
    fn balance(&self, account: Address) -> U256 {
        self.vm.balance(account)
    }
    fn contract_address(&self) -> Address {
        self.vm.contract_address()
    }
    fn code(&self, account: Address) -> Vec<u8> {
        self.router.code(&self.vm, account)
    }
    fn code_size(&self, account: Address) -> usize {
        self.router.code_size(&self.vm, account)
    }
    fn code_hash(&self, account: Address) -> B256 {
        self.vm.code_hash(account)
    }
}

impl<R> MemoryAccess for RoutedVm<R> {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.vm.pay_for_memory_grow(pages);
    }
}

impl<R: CallRouter> MessageAccess for RoutedVm<R> {
    fn msg_sender(&self) -> Address {
        self.vm.msg_sender()
    }
    fn msg_reentrant(&self) -> bool {
        self.router.msg_reentrant(&self.vm)
    }
    fn msg_value(&self) -> U256 {
        self.vm.msg_value()
    }
    fn tx_origin(&self) -> Address {
        self.vm.tx_origin()
    }
}

impl<R> MeteringAccess for RoutedVm<R> {
    fn evm_gas_left(&self) -> u64 {
        self.vm.evm_gas_left()
    }
    fn evm_ink_left(&self) -> u64 {
        self.vm.evm_ink_left()
    }
    fn tx_gas_price(&self) -> U256 {
        self.vm.tx_gas_price()
    }
    fn tx_ink_price(&self) -> u32 {
        self.vm.tx_ink_price()
    }
}

impl<R> RawLogAccess for RoutedVm<R> {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics);
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}

impl<R: CallRouter> Host for RoutedVm<R> {}
