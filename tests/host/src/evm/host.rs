//! revm's [`Host`] over the host's world: what EVM instructions read and write.
//!
//! Every state access goes through [`World`]'s journaled setters, the same ones the Stylus
//! hooks use, so a failed frame of either VM undoes EVM and Stylus writes alike.

use std::borrow::Cow;
use std::sync::OnceLock;

use alloy_primitives::{Address, Log, B256, KECCAK256_EMPTY, U256};
use revm_interpreter::context_interface::cfg::GasParams;
use revm_interpreter::context_interface::host::LoadError;
use revm_interpreter::context_interface::journaled_state::AccountInfoLoad;
use revm_interpreter::state::AccountInfo;
use revm_interpreter::{Host, SStoreResult, SelfDestructResult, StateLoad};

use super::{MAX_CODE_SIZE, SPEC};
use crate::state::Code;
use crate::vm::Exec;

/// Arbitrum reports a constant 1 for `DIFFICULTY`/`PREVRANDAO`.
const ARBITRUM_DIFFICULTY: u64 = 1;

/// The interpreter's view of the running transaction.
pub(super) struct EvmHost<'a> {
    pub(super) exec: &'a mut Exec,
}

fn gas_params() -> &'static GasParams {
    static PARAMS: OnceLock<GasParams> = OnceLock::new();
    PARAMS.get_or_init(|| GasParams::new_spec(SPEC))
}

fn word(key: U256) -> B256 {
    B256::from(key)
}

impl Host for EvmHost<'_> {
    fn basefee(&self) -> U256 {
        self.exec.world.block.basefee
    }

    fn blob_gasprice(&self) -> U256 {
        U256::ZERO
    }

    fn gas_limit(&self) -> U256 {
        U256::from(self.exec.world.block.gas_limit)
    }

    fn difficulty(&self) -> U256 {
        U256::from(ARBITRUM_DIFFICULTY)
    }

    fn prevrandao(&self) -> Option<U256> {
        Some(U256::from(ARBITRUM_DIFFICULTY))
    }

    fn block_number(&self) -> U256 {
        U256::from(self.exec.world.block.number)
    }

    fn timestamp(&self) -> U256 {
        U256::from(self.exec.world.block.timestamp)
    }

    fn beneficiary(&self) -> Address {
        self.exec.world.block.coinbase
    }

    fn slot_num(&self) -> U256 {
        U256::ZERO
    }

    fn chain_id(&self) -> U256 {
        U256::from(self.exec.world.block.chain_id)
    }

    /// The basefee, as on Arbitrum (and as `tx_gas_price` reports to Stylus).
    fn effective_gas_price(&self) -> U256 {
        self.exec.world.block.basefee
    }

    /// `tx.origin` (revm's name for the transaction's sender).
    fn caller(&self) -> Address {
        self.exec.origin
    }

    fn blob_hash(&self, _number: usize) -> Option<U256> {
        None
    }

    fn max_initcode_size(&self) -> usize {
        2 * MAX_CODE_SIZE
    }

    fn gas_params(&self) -> &GasParams {
        gas_params()
    }

    fn is_amsterdam_eip8037_enabled(&self) -> bool {
        false
    }

    /// The host produces no blocks, so there are no hashes to report: zero.
    fn block_hash(&mut self, _number: u64) -> Option<B256> {
        Some(B256::ZERO)
    }

    /// Moves the balance to `target`; the account itself stays (EIP-6780 for a contract
    /// not created in this transaction, which is the only case the host models).
    fn selfdestruct(
        &mut self,
        address: Address,
        target: Address,
        _skip_cold_load: bool,
    ) -> Result<StateLoad<SelfDestructResult>, LoadError> {
        let world = &mut self.exec.world;
        let is_cold = world.touch_account(target);
        let balance = world.balance(&address);
        let target_exists = world.account(&target).is_some_and(|a| !a.is_empty());
        if address != target {
            world.transfer(address, target, balance);
        }
        let result = SelfDestructResult {
            had_value: !balance.is_zero(),
            target_exists,
            previously_destroyed: false,
        };
        Ok(StateLoad::new(result, is_cold))
    }

    fn log(&mut self, log: Log) {
        self.exec.world.push_log(log);
    }

    /// Cold loads are never skipped: loading a slot the frame cannot pay for only warms it,
    /// and the frame then fails out of gas, which rolls the warming back.
    fn sstore_skip_cold_load(
        &mut self,
        address: Address,
        key: U256,
        value: U256,
        _skip_cold_load: bool,
    ) -> Result<StateLoad<SStoreResult>, LoadError> {
        let world = &mut self.exec.world;
        let is_cold = world.touch_slot(address, word(key));
        let present = world.storage(address, word(key));
        let original = world.set_storage(address, word(key), word(value));
        let result = SStoreResult {
            original_value: original.into(),
            present_value: present.into(),
            new_value: value,
        };
        Ok(StateLoad::new(result, is_cold))
    }

    fn sload_skip_cold_load(
        &mut self,
        address: Address,
        key: U256,
        _skip_cold_load: bool,
    ) -> Result<StateLoad<U256>, LoadError> {
        let world = &mut self.exec.world;
        let is_cold = world.touch_slot(address, word(key));
        let value = world.storage(address, word(key)).into();
        Ok(StateLoad::new(value, is_cold))
    }

    fn tstore(&mut self, address: Address, key: U256, value: U256) {
        self.exec
            .world
            .set_transient(address, word(key), word(value));
    }

    fn tload(&mut self, address: Address, key: U256) -> U256 {
        self.exec.world.transient(address, word(key)).into()
    }

    fn load_account_info_skip_cold_load(
        &mut self,
        address: Address,
        load_code: bool,
        _skip_cold_load: bool,
    ) -> Result<AccountInfoLoad<'_>, LoadError> {
        let world = &mut self.exec.world;
        let is_cold = world.touch_account(address);
        let account = world.account(&address).cloned().unwrap_or_default();
        let code = account.code.as_ref();
        let info = AccountInfo {
            balance: account.balance,
            nonce: account.nonce,
            code_hash: code.map_or(KECCAK256_EMPTY, Code::hash),
            code: load_code.then(|| code.map(Code::evm_view).unwrap_or_default()),
            ..AccountInfo::default()
        };
        Ok(AccountInfoLoad {
            account: Cow::Owned(info),
            is_cold,
            is_empty: account.is_empty(),
        })
    }
}
