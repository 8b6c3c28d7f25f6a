//! A test host: stylus-test's `TestVM` with static calls answered per call.
//!
//! `TestVM` 0.10 keeps a single "return data" buffer holding the data of the
//! *last registered* mock, whichever call is made, so a contract that reads
//! two feeds (or a feed's `decimals` then its `latestRoundData`) would read
//! the wrong answer. This wrapper delegates everything to `TestVM` but
//! answers each static call from its own table and writes that answer to the
//! return buffer.

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::{prelude::*, testing::TestVM};

type Answers = HashMap<(Address, Vec<u8>), Result<Vec<u8>, Vec<u8>>>;

/// `TestVM` plus per-call static-call answers.
#[derive(Clone, Default)]
pub(crate) struct FeedVm {
    /// The wrapped VM (storage, block, sender, logs).
    pub(crate) vm: TestVM,
    answers: Rc<RefCell<Answers>>,
}

impl FeedVm {
    /// Answers static calls of `data` to `to` with `result` from now on.
    pub(crate) fn answer(&self, to: Address, data: &[u8], result: Result<Vec<u8>, Vec<u8>>) {
        self.answers
            .borrow_mut()
            .insert((to, data.to_vec()), result);
    }
}

impl CryptographyAccess for FeedVm {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.vm.native_keccak256(input)
    }
}

impl CalldataAccess for FeedVm {
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

unsafe impl UnsafeDeploymentAccess for FeedVm {
    unsafe fn create1(
        &self,
        code: *const u8,
        len: usize,
        endowment: *const u8,
        contract: *mut u8,
        revert_len: *mut usize,
    ) {
        self.vm.create1(code, len, endowment, contract, revert_len);
    }
    unsafe fn create2(
        &self,
        code: *const u8,
        len: usize,
        endowment: *const u8,
        salt: *const u8,
        contract: *mut u8,
        revert_len: *mut usize,
    ) {
        self.vm
            .create2(code, len, endowment, salt, contract, revert_len);
    }
}

impl StorageAccess for FeedVm {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.vm.storage_load_bytes32(key)
    }
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        self.vm.storage_cache_bytes32(key, value);
    }
    fn flush_cache(&self, clear: bool) {
        self.vm.flush_cache(clear);
    }
}

unsafe impl UnsafeCallAccess for FeedVm {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        self.vm
            .call_contract(to, data, data_len, value, gas, outs_len)
    }
    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let to = Address::from_slice(std::slice::from_raw_parts(to, 20));
        let data = std::slice::from_raw_parts(data, data_len).to_vec();
        // An account without a mocked answer behaves like one without code:
        // success, empty return data.
        let result = self
            .answers
            .borrow()
            .get(&(to, data))
            .cloned()
            .unwrap_or(Ok(Vec::new()));
        let (status, out) = match result {
            Ok(out) => (0, out),
            Err(out) => (1, out),
        };
        self.vm.write_result(&out);
        *outs_len = out.len();
        status
    }
    unsafe fn delegate_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        self.vm
            .delegate_call_contract(to, data, data_len, gas, outs_len)
    }
}

impl BlockAccess for FeedVm {
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

impl ChainAccess for FeedVm {
    fn chain_id(&self) -> u64 {
        self.vm.chain_id()
    }
}

impl AccountAccess for FeedVm {
    fn balance(&self, account: Address) -> U256 {
        self.vm.balance(account)
    }
    fn contract_address(&self) -> Address {
        self.vm.contract_address()
    }
    fn code(&self, account: Address) -> Vec<u8> {
        self.vm.code(account)
    }
    fn code_size(&self, account: Address) -> usize {
        self.vm.code_size(account)
    }
    fn code_hash(&self, account: Address) -> B256 {
        self.vm.code_hash(account)
    }
}

impl MemoryAccess for FeedVm {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.vm.pay_for_memory_grow(pages);
    }
}

impl MessageAccess for FeedVm {
    fn msg_sender(&self) -> Address {
        self.vm.msg_sender()
    }
    fn msg_reentrant(&self) -> bool {
        self.vm.msg_reentrant()
    }
    fn msg_value(&self) -> U256 {
        self.vm.msg_value()
    }
    fn tx_origin(&self) -> Address {
        self.vm.tx_origin()
    }
}

impl MeteringAccess for FeedVm {
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

impl RawLogAccess for FeedVm {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics);
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}

impl Host for FeedVm {}
