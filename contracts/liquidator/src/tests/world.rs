//! A small fake chain for native tests.
//!
//! The Liquidator runs on the SDK's `TestVM` for storage, time, sender and logs, while its calls
//! out reach fakes kept here: ERC-20 ledgers, price sources, engines and flash takers that
//! behave like the real mocks and record what they were told. (`TestVM`'s own call mocks hand
//! back the most recently mocked data for every call, so they cannot tell a price from a
//! balance.)
//!
//! Unlike a chain, `TestVM` does not roll back storage when a call returns an error: native
//! tests check that a refused call changes nothing only for refusals that come before any
//! effect; the end-to-end tests on the real `.wasm` cover rollback.

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolValue};
use stylus_sdk::{stylus_core::host::*, testing::TestVM};

use crate::calls::{IAuctionEngine, IFlashTaker, IPriceSource, IERC20};

sol! {
    /// What every fake reverts with.
    error FakeRevert(string why);
}

fn revert(why: &str) -> Vec<u8> {
    FakeRevert { why: why.into() }.abi_encode()
}

/// An ERC-20 ledger.
#[derive(Default)]
pub(crate) struct Token {
    pub(crate) decimals: u8,
    pub(crate) balances: HashMap<Address, U256>,
    pub(crate) allowances: HashMap<(Address, Address), U256>,
}

impl Token {
    fn debit(&mut self, from: Address, value: U256) -> Result<(), Vec<u8>> {
        let balance = self.balances.entry(from).or_default();
        if *balance < value {
            return Err(revert("insufficient balance"));
        }
        *balance -= value;
        Ok(())
    }

    fn credit(&mut self, to: Address, value: U256) {
        *self.balances.entry(to).or_default() += value;
    }

    fn spend(&mut self, owner: Address, spender: Address, value: U256) -> Result<(), Vec<u8>> {
        let allowance = self.allowances.entry((owner, spender)).or_default();
        if *allowance < value {
            return Err(revert("insufficient allowance"));
        }
        *allowance -= value;
        Ok(())
    }
}

/// One `onAuctionProceeds` call, with the engine's quote balance when it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Proceeds {
    pub(crate) id: U256,
    pub(crate) account: U256,
    pub(crate) raised: U256,
    pub(crate) remaining_tab: U256,
    pub(crate) closed: bool,
    pub(crate) engine_balance: U256,
}

/// An engine that records proceeds (or refuses them).
#[derive(Default)]
pub(crate) struct Engine {
    pub(crate) proceeds: Vec<Proceeds>,
    pub(crate) refusing: bool,
}

/// What a flash taker does in `onTake`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum TakerMode {
    /// Sends `owe` quote from its inventory to the sender (a swap that paid enough).
    #[default]
    Pay,
    /// Reverts.
    Refuse,
    /// Pays nothing.
    Keep,
}

/// One `onTake` call, with what the taker saw when it ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Callback {
    pub(crate) sender: Address,
    pub(crate) owe: U256,
    pub(crate) slice: U256,
    pub(crate) data: Vec<u8>,
    /// The taker's collateral balance: it got the slice before the callback.
    pub(crate) collateral_held: U256,
    /// The Liquidator's first storage slot (which holds the lock) during the callback.
    pub(crate) liquidator_slot0: B256,
}

/// A flash taker.
#[derive(Default)]
pub(crate) struct Taker {
    pub(crate) mode: TakerMode,
    pub(crate) collateral: Address,
    pub(crate) callbacks: Vec<Callback>,
}

/// Everything outside the Liquidator.
#[derive(Default)]
pub(crate) struct Chain {
    pub(crate) quote: Address,
    pub(crate) tokens: HashMap<Address, Token>,
    /// `(source, asset)` → the price it returns, or its revert data.
    pub(crate) prices: HashMap<(Address, Address), Result<U256, Vec<u8>>>,
    pub(crate) engines: HashMap<Address, Engine>,
    pub(crate) takers: HashMap<Address, Taker>,
    /// Every call out of the Liquidator, in order: `(callee, calldata)`.
    pub(crate) calls: Vec<(Address, Vec<u8>)>,
    return_data: Vec<u8>,
}

/// The host the Liquidator runs on in native tests.
#[derive(Clone)]
pub(crate) struct World {
    pub(crate) vm: TestVM,
    pub(crate) chain: Rc<RefCell<Chain>>,
}

impl World {
    pub(crate) fn new() -> Self {
        Self {
            vm: TestVM::default(),
            chain: Rc::new(RefCell::new(Chain::default())),
        }
    }

    /// The Liquidator's own address.
    pub(crate) fn this(&self) -> Address {
        self.vm.contract_address()
    }

    /// Dispatches one call from the Liquidator.
    fn dispatch(&self, to: Address, data: &[u8], is_static: bool) -> Result<Vec<u8>, Vec<u8>> {
        let caller = self.this();
        let selector: [u8; 4] = match data.get(..4).and_then(|s| s.try_into().ok()) {
            Some(s) => s,
            None => return Ok(Vec::new()),
        };
        let mut chain = self.chain.borrow_mut();
        chain.calls.push((to, data.to_vec()));
        let chain = &mut *chain;
        if let Some(token) = chain.tokens.get_mut(&to) {
            return match selector {
                IERC20::balanceOfCall::SELECTOR => {
                    let call =
                        IERC20::balanceOfCall::abi_decode(data).map_err(|_| revert("abi"))?;
                    Ok(token
                        .balances
                        .get(&call.account)
                        .copied()
                        .unwrap_or_default()
                        .abi_encode())
                }
                IERC20::decimalsCall::SELECTOR => Ok(U256::from(token.decimals).abi_encode()),
                IERC20::transferCall::SELECTOR if !is_static => {
                    let call = IERC20::transferCall::abi_decode(data).map_err(|_| revert("abi"))?;
                    token.debit(caller, call.value)?;
                    token.credit(call.to, call.value);
                    Ok(true.abi_encode())
                }
                IERC20::transferFromCall::SELECTOR if !is_static => {
                    let call =
                        IERC20::transferFromCall::abi_decode(data).map_err(|_| revert("abi"))?;
                    token.spend(call.from, caller, call.value)?;
                    token.debit(call.from, call.value)?;
                    token.credit(call.to, call.value);
                    Ok(true.abi_encode())
                }
                _ => Err(revert("token: unknown call")),
            };
        }
        if selector == IPriceSource::priceCall::SELECTOR {
            let call = IPriceSource::priceCall::abi_decode(data).map_err(|_| revert("abi"))?;
            return match chain.prices.get(&(to, call.asset)) {
                Some(Ok(price)) => Ok(price.abi_encode()),
                Some(Err(reason)) => Err(reason.clone()),
                None => Ok(Vec::new()),
            };
        }
        if is_static {
            return Ok(Vec::new());
        }
        let quote = chain.quote;
        if let Some(engine) = chain.engines.get_mut(&to) {
            let call = IAuctionEngine::onAuctionProceedsCall::abi_decode(data)
                .map_err(|_| revert("engine: unknown call"))?;
            if engine.refusing {
                return Err(revert("engine refused"));
            }
            let engine_balance = chain
                .tokens
                .get(&quote)
                .and_then(|t| t.balances.get(&to).copied())
                .unwrap_or_default();
            engine.proceeds.push(Proceeds {
                id: call.id,
                account: call.account,
                raised: call.raised,
                remaining_tab: call.remainingTab,
                closed: call.closed,
                engine_balance,
            });
            return Ok(Vec::new());
        }
        if let Some(taker) = chain.takers.get_mut(&to) {
            let call = IFlashTaker::onTakeCall::abi_decode(data)
                .map_err(|_| revert("taker: unknown call"))?;
            let collateral_held = chain
                .tokens
                .get(&taker.collateral)
                .and_then(|t| t.balances.get(&to).copied())
                .unwrap_or_default();
            taker.callbacks.push(Callback {
                sender: call.sender,
                owe: call.owe,
                slice: call.slice,
                data: call.data.to_vec(),
                collateral_held,
                liquidator_slot0: self.vm.storage_load_bytes32(U256::ZERO),
            });
            return match taker.mode {
                TakerMode::Refuse => Err(revert("taker refused")),
                TakerMode::Keep => Ok(Vec::new()),
                TakerMode::Pay => {
                    let token = chain
                        .tokens
                        .get_mut(&quote)
                        .ok_or_else(|| revert("no quote"))?;
                    token.debit(to, call.owe)?;
                    token.credit(call.sender, call.owe);
                    Ok(Vec::new())
                }
            };
        }
        // An address without code: the call succeeds and returns nothing.
        Ok(Vec::new())
    }

    fn has_code(&self, account: Address) -> bool {
        let chain = self.chain.borrow();
        chain.tokens.contains_key(&account)
            || chain.engines.contains_key(&account)
            || chain.takers.contains_key(&account)
            || chain.prices.keys().any(|(source, _)| *source == account)
    }

    /// Runs a call and stores its output as the return data.
    ///
    /// # Safety
    /// `to` must point at 20 bytes and `data` at `data_len` bytes.
    unsafe fn run(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        is_static: bool,
        outs_len: &mut usize,
    ) -> u8 {
        // SAFETY: the SDK passes valid pointers (the caller's contract).
        let (to, data) = unsafe {
            (
                Address::from_slice(std::slice::from_raw_parts(to, 20)),
                std::slice::from_raw_parts(data, data_len).to_vec(),
            )
        };
        let (out, status) = match self.dispatch(to, &data, is_static) {
            Ok(out) => (out, 0),
            Err(out) => (out, 1),
        };
        *outs_len = out.len();
        self.chain.borrow_mut().return_data = out;
        status
    }
}

impl CryptographyAccess for World {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.vm.native_keccak256(input)
    }
}

impl CalldataAccess for World {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.vm.read_args(len)
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let chain = self.chain.borrow();
        let data = &chain.return_data;
        let start = offset.min(data.len());
        let end = size.map_or(data.len(), |s| (start + s).min(data.len()));
        data[start..end].to_vec()
    }
    fn return_data_size(&self) -> usize {
        self.chain.borrow().return_data.len()
    }
    fn write_result(&self, data: &[u8]) {
        self.vm.write_result(data);
    }
}

// SAFETY: forwards to TestVM, which upholds the contract of these functions.
unsafe impl UnsafeDeploymentAccess for World {
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
                .create1(code, code_len, endowment, contract, revert_data_len)
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
                .create2(code, code_len, endowment, salt, contract, revert_data_len)
        }
    }
}

impl StorageAccess for World {
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

// SAFETY: `run` reads exactly the buffers the SDK hands over.
unsafe impl UnsafeCallAccess for World {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _value: *const u8,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        // SAFETY: pointers from the SDK.
        unsafe { self.run(to, data, data_len, false, outs_len) }
    }
    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        // SAFETY: pointers from the SDK.
        unsafe { self.run(to, data, data_len, true, outs_len) }
    }
    unsafe fn delegate_call_contract(
        &self,
        _to: *const u8,
        _data: *const u8,
        _data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        *outs_len = 0;
        1
    }
}

impl BlockAccess for World {
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

impl ChainAccess for World {
    fn chain_id(&self) -> u64 {
        self.vm.chain_id()
    }
}

impl AccountAccess for World {
    fn balance(&self, account: Address) -> U256 {
        self.vm.balance(account)
    }
    fn contract_address(&self) -> Address {
        self.vm.contract_address()
    }
    fn code(&self, account: Address) -> Vec<u8> {
        if self.has_code(account) {
            vec![0xfe]
        } else {
            Vec::new()
        }
    }
    fn code_size(&self, account: Address) -> usize {
        usize::from(self.has_code(account))
    }
    fn code_hash(&self, account: Address) -> B256 {
        self.vm.code_hash(account)
    }
}

impl MemoryAccess for World {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.vm.pay_for_memory_grow(pages);
    }
}

impl MessageAccess for World {
    fn msg_sender(&self) -> Address {
        self.vm.msg_sender()
    }
    fn msg_reentrant(&self) -> bool {
        false
    }
    fn msg_value(&self) -> U256 {
        self.vm.msg_value()
    }
    fn tx_origin(&self) -> Address {
        self.vm.tx_origin()
    }
}

impl MeteringAccess for World {
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

impl RawLogAccess for World {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics);
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}

impl Host for World {}
