//! [`Host`]: the in-process chain tests and scenarios drive.

use core::marker::PhantomData;
use std::path::Path;
use std::sync::Arc;

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::abi::TokenSeq;
use alloy_sol_types::{SolConstructor, SolType, SolValue};
use revm_interpreter::bytecode::Bytecode;
use wasmi::Store;

use crate::address::create_address;
use crate::artifacts::wasm_path;
use crate::chain::Chain;
use crate::error::HostError;
use crate::evm::{create, Creation};
use crate::forge::{forge_artifact_path, read_forge_bytecode};
use crate::gas::{fuel_to_ink, gas_to_fuel, GasSchedule, INK_PER_GAS};
use crate::program::{self, Program};
use crate::receipt::Receipt;
use crate::state::{BlockEnv, Code, World};
use crate::vm::{execute, new_store, Exec, Message, Outcome, STORE_RECYCLE_INSTANCES};

/// Selector of `stylus_constructor()`, which stylus-sdk 0.10 routes to `#[constructor]`.
pub const CONSTRUCTOR_SELECTOR: [u8; 4] = [0x55, 0x85, 0x25, 0x8d];

/// What to call after installing a program's code.
pub trait Constructor {
    /// Calldata of the constructor call, or `None` to deploy without calling it.
    fn calldata(&self) -> Option<Vec<u8>>;
}

/// Deploy without calling a constructor (for contracts that have none: calling
/// `stylus_constructor` on them reverts).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoConstructor;

impl Constructor for NoConstructor {
    fn calldata(&self) -> Option<Vec<u8>> {
        None
    }
}

/// A `sol!`-declared constructor, e.g. `Token::constructorCall { name, symbol, .. }` from
/// `sol! { contract Token { constructor(string name, string symbol, uint8 decimals); } }`.
impl<T: SolConstructor> Constructor for T {
    fn calldata(&self) -> Option<Vec<u8>> {
        Some([&CONSTRUCTOR_SELECTOR[..], &self.abi_encode()].concat())
    }
}

/// Constructor arguments as a tuple of Rust values with a Solidity encoding, e.g.
/// `Args((U256::from(5), owner))`; `Args(())` calls a constructor that takes none.
#[derive(Clone, Copy, Debug)]
pub struct Args<T>(pub T);

impl<T> Constructor for Args<T>
where
    T: SolValue,
    for<'a> <T::SolType as SolType>::Token<'a>: TokenSeq<'a>,
{
    fn calldata(&self) -> Option<Vec<u8>> {
        Some([&CONSTRUCTOR_SELECTOR[..], &self.0.abi_encode_params()].concat())
    }
}

/// A local Stylus chain in memory: accounts, programs, storage and a block that only moves
/// when told to. Any address can send transactions; there are no signatures and no fees.
///
/// The host owns one wasmi store in which every call frame gets a fresh instance of its
/// program; the store is replaced with a new one between transactions once it has
/// accumulated enough dead instances (256).
pub struct Host {
    store: Store<Exec>,
}

impl Default for Host {
    fn default() -> Self {
        Self {
            store: new_store(Exec::default()),
        }
    }
}

impl core::fmt::Debug for Host {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Host")
            .field("block", self.block())
            .finish_non_exhaustive()
    }
}

impl Host {
    /// An empty chain at the default block ([`BlockEnv::default`]).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn world(&self) -> &World {
        &self.store.data().world
    }

    fn world_mut(&mut self) -> &mut World {
        &mut self.store.data_mut().world
    }

    /// The gas prices used for estimates; change them to model other parameters.
    pub fn schedule_mut(&mut self) -> &mut GasSchedule {
        &mut self.store.data_mut().schedule
    }

    /// The gas prices used for estimates.
    #[must_use]
    pub fn schedule(&self) -> &GasSchedule {
        &self.store.data().schedule
    }

    /// The current block environment.
    #[must_use]
    pub fn block(&self) -> &BlockEnv {
        &self.world().block
    }

    /// Mutable block environment (basefee, coinbase, chain id, ...).
    pub fn block_mut(&mut self) -> &mut BlockEnv {
        &mut self.world_mut().block
    }

    /// Sets an account's balance.
    pub fn fund(&mut self, account: Address, wei: U256) {
        self.world_mut()
            .accounts
            .entry(account)
            .or_default()
            .balance = wei;
    }

    /// Balance in wei.
    #[must_use]
    pub fn balance(&self, account: Address) -> U256 {
        self.world().balance(&account)
    }

    /// Nonce of an account (transactions sent, or contracts created).
    #[must_use]
    pub fn nonce(&self, account: Address) -> u64 {
        self.world().account(&account).map_or(0, |a| a.nonce)
    }

    /// A committed storage slot.
    #[must_use]
    pub fn storage(&self, contract: Address, slot: B256) -> B256 {
        self.world().storage(contract, slot)
    }

    /// The program installed at an address (`None` for EVM code or no code).
    #[must_use]
    pub fn program(&self, contract: Address) -> Option<&Arc<Program>> {
        self.world().code(&contract).and_then(Code::program)
    }

    /// The code at an address as `EXTCODECOPY` sees it: `EF F0 00 00` ++ brotli for a
    /// program, the runtime bytecode of an EVM contract, empty for an account without code.
    #[must_use]
    pub fn code(&self, account: Address) -> &[u8] {
        self.world().code(&account).map_or(&[], Code::bytes)
    }

    /// Installs a program at an address without running anything (like `anvil_setCode`).
    pub fn install(&mut self, contract: Address, program: Arc<Program>) {
        self.install_code(contract, Some(Code::Stylus(program)));
    }

    /// Installs EVM runtime bytecode at an address without running anything (like
    /// `anvil_setCode`); empty code leaves the account without code.
    pub fn install_evm(&mut self, contract: Address, runtime_code: &[u8]) {
        let code = (!runtime_code.is_empty())
            .then(|| Code::Evm(Bytecode::new_legacy(Bytes::copy_from_slice(runtime_code))));
        self.install_code(contract, code);
    }

    fn install_code(&mut self, contract: Address, code: Option<Code>) {
        let account = self.world_mut().accounts.entry(contract).or_default();
        account.code = code;
        account.nonce = account.nonce.max(1);
    }

    /// A contract-creation transaction: runs EVM `init_code` (creation bytecode with the
    /// constructor arguments appended) at `CREATE(from, nonce)` with `value` wei. The
    /// receipt's `to` is the new address (zero if the creation failed), its logs are the
    /// constructor's, its output the revert data if it reverted.
    pub fn create(&mut self, from: Address, value: U256, init_code: &[u8]) -> Receipt {
        let creation = Creation {
            creator: from,
            value,
            init: init_code.to_vec(),
            salt: None,
        };
        self.transaction(from, Mode::Commit, |store, fuel| {
            let (address, outcome) = create(store, creation, fuel);
            (address.unwrap_or(Address::ZERO), outcome)
        })
    }

    /// Deploys EVM creation bytecode (e.g. solc output, constructor arguments appended with
    /// `SolConstructor::abi_encode`) at the next `CREATE` address of `deployer`.
    ///
    /// # Errors
    /// [`HostError::ConstructorFailed`] if the init code does not succeed; nothing is
    /// deployed, but the deployer's nonce is used, as on a chain.
    pub fn deploy_evm(
        &mut self,
        deployer: Address,
        init_code: &[u8],
    ) -> Result<Address, HostError> {
        self.deploy_init_code(deployer, "EVM init code", init_code)
    }

    /// Deploys a Solidity contract from Foundry's artifact (see [`forge_artifact_path`]:
    /// `"File.sol:Contract"`, or `"Contract"`), with ABI-encoded constructor arguments
    /// (`ctor.abi_encode()` of a `sol!` `constructorCall`, or empty).
    ///
    /// # Errors
    /// As [`crate::read_forge_bytecode`] for the artifact, then as [`Host::deploy_evm`].
    pub fn deploy_forge(
        &mut self,
        deployer: Address,
        artifact: &str,
        ctor_args: &[u8],
    ) -> Result<Address, HostError> {
        let code = read_forge_bytecode(&forge_artifact_path(artifact)?)?;
        self.deploy_init_code(deployer, artifact, &[&code[..], ctor_args].concat())
    }

    fn deploy_init_code(
        &mut self,
        deployer: Address,
        name: &str,
        init_code: &[u8],
    ) -> Result<Address, HostError> {
        let receipt = self.create(deployer, U256::ZERO, init_code);
        if receipt.is_success() {
            return Ok(receipt.to);
        }
        Err(HostError::ConstructorFailed {
            contract: name.to_owned(),
            status: receipt.status,
            output: receipt.output,
        })
    }

    /// Deploys a contract from the workspace's `target/wasm/<name>.wasm`.
    ///
    /// # Errors
    /// As [`Host::deploy_path`].
    pub fn deploy_contract(
        &mut self,
        deployer: Address,
        name: &str,
        ctor: impl Constructor,
    ) -> Result<Address, HostError> {
        self.deploy_path(deployer, wasm_path(name)?, ctor)
    }

    /// Deploys the `.wasm` at `path`.
    ///
    /// # Errors
    /// [`HostError::MissingWasm`] if the file is absent (run `scripts/build-wasm` first),
    /// otherwise as [`Host::deploy_wasm`].
    pub fn deploy_path(
        &mut self,
        deployer: Address,
        path: impl AsRef<Path>,
        ctor: impl Constructor,
    ) -> Result<Address, HostError> {
        let program = program::load_path(path.as_ref())?;
        self.deploy_program(deployer, program, ctor)
    }

    /// Activates `wasm`, installs it at the next `CREATE` address of `deployer` and runs the
    /// constructor, all in one transaction.
    ///
    /// # Errors
    /// [`HostError::Activation`] or [`HostError::Compile`] for a bad module;
    /// [`HostError::ConstructorFailed`] if the constructor does not succeed (nothing is
    /// deployed, but the deployer's nonce is used, as on a chain).
    pub fn deploy_wasm(
        &mut self,
        deployer: Address,
        name: &str,
        wasm: &[u8],
        ctor: impl Constructor,
    ) -> Result<Address, HostError> {
        let program = program::load(name, wasm)?;
        self.deploy_program(deployer, program, ctor)
    }

    /// Installs an already activated program at the next `CREATE` address of `deployer`.
    ///
    /// # Errors
    /// [`HostError::ConstructorFailed`] as in [`Host::deploy_wasm`].
    pub fn deploy_program(
        &mut self,
        deployer: Address,
        program: Arc<Program>,
        ctor: impl Constructor,
    ) -> Result<Address, HostError> {
        let nonce = self.bump_nonce(deployer);
        let address = create_address(deployer, nonce);
        let name = program.name().to_owned();
        let Some(data) = ctor.calldata() else {
            self.install(address, program);
            return Ok(address);
        };
        let previous = self.world().account(&address).cloned();
        self.install(address, program);
        let receipt = self.transact(deployer, address, U256::ZERO, data, Mode::Commit);
        if receipt.is_success() {
            return Ok(address);
        }
        match previous {
            Some(account) => self.world_mut().accounts.insert(address, account),
            None => self.world_mut().accounts.remove(&address),
        };
        Err(HostError::ConstructorFailed {
            contract: name,
            status: receipt.status,
            output: receipt.output,
        })
    }

    fn bump_nonce(&mut self, account: Address) -> u64 {
        let entry = self.world_mut().accounts.entry(account).or_default();
        entry.nonce += 1;
        entry.nonce - 1
    }

    /// Runs one top-level message as a transaction.
    fn transact(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
        mode: Mode,
    ) -> Receipt {
        self.transaction(from, mode, |store, fuel| {
            store.data_mut().world.touch_account(to);
            let message = Message {
                caller: from,
                address: to,
                code_address: to,
                value,
                data,
                is_static: false,
                is_delegate: false,
            };
            (to, execute(store, message, fuel))
        })
    }

    /// Runs `run` (given the store and the transaction's fuel, returning the receipt's `to`
    /// and the top frame's outcome) as a transaction from `from`.
    fn transaction(
        &mut self,
        from: Address,
        mode: Mode,
        run: impl FnOnce(&mut Store<Exec>, u64) -> (Address, Outcome),
    ) -> Receipt {
        let exec = self.store.data_mut();
        exec.origin = from;
        exec.world.begin_tx();
        let base = exec.world.checkpoint();
        exec.world.touch_account(from);
        let fuel = gas_to_fuel(exec.schedule.tx_gas_limit);
        let (
            to,
            Outcome {
                status,
                output,
                fuel_left,
            },
        ) = run(&mut self.store, fuel);
        let exec = self.store.data_mut();
        // Read before a discarded transaction's rollback, so a simulation reports the same
        // gas as sending it. A failed top-level frame has already undone its refunds.
        let spent = fuel_to_ink(fuel - fuel_left.min(fuel));
        let gas_refunded = exec
            .schedule
            .tx_refund(exec.world.refund(), spent.div_ceil(INK_PER_GAS));
        if mode == Mode::Discard {
            exec.world.revert_to(base);
        }
        let logs = exec.world.end_tx();
        (exec.open_pages, exec.peak_pages) = (0, 0);
        if exec.cache.instances >= STORE_RECYCLE_INSTANCES {
            let exec = std::mem::replace(&mut self.store, new_store(Exec::default())).into_data();
            self.store = new_store(exec);
        }
        let ink_used = spent.saturating_sub(gas_refunded.saturating_mul(INK_PER_GAS));
        Receipt {
            to,
            status,
            output: Bytes::from(output),
            logs,
            gas_used: ink_used.div_ceil(INK_PER_GAS),
            gas_refunded,
            ink_used,
            call: PhantomData,
        }
    }
}

/// Whether a transaction's effects are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Commit,
    Discard,
}

impl Chain for Host {
    type Error = HostError;

    fn send(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: &[u8],
    ) -> Result<Receipt, HostError> {
        self.bump_nonce(from);
        Ok(self.transact(from, to, value, data.to_vec(), Mode::Commit))
    }

    fn simulate(&mut self, from: Address, to: Address, data: &[u8]) -> Result<Receipt, HostError> {
        Ok(self.transact(from, to, U256::ZERO, data.to_vec(), Mode::Discard))
    }

    fn warp(&mut self, timestamp: u64) -> Result<(), HostError> {
        self.world_mut().block.timestamp = timestamp;
        Ok(())
    }

    fn roll(&mut self, number: u64) -> Result<(), HostError> {
        self.world_mut().block.number = number;
        Ok(())
    }

    fn timestamp(&self) -> u64 {
        self.world().block.timestamp
    }

    fn balance_of(&self, account: Address) -> Result<U256, HostError> {
        Ok(self.balance(account))
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::keccak256;

    use super::*;

    #[test]
    fn constructor_selector_is_that_of_stylus_constructor() {
        assert_eq!(keccak256("stylus_constructor()")[..4], CONSTRUCTOR_SELECTOR);
    }

    #[test]
    fn tuple_arguments_encode_after_the_constructor_selector() {
        let data = Args((U256::from(7), Address::repeat_byte(1)))
            .calldata()
            .expect("calls the constructor");
        assert_eq!(data[..4], CONSTRUCTOR_SELECTOR);
        assert_eq!(data.len(), 4 + 64);
        assert_eq!(NoConstructor.calldata(), None);
    }
}
