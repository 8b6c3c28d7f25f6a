//! World state: accounts, storage and the block environment, with a journal for rollback.
//!
//! Every change made during a transaction goes through [`World`]'s journaled setters, so
//! that a reverting call frame can undo exactly its own writes, balance moves, nonce bumps,
//! code installs, transient writes, logs and storage refunds by returning to a [`Checkpoint`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use alloy_primitives::{Address, Log, B256, U256};
use revm_interpreter::bytecode::Bytecode;

use crate::program::Program;

/// One account.
#[derive(Clone, Debug, Default)]
pub struct Account {
    /// Wei held.
    pub balance: U256,
    /// Transactions sent (EOA) or contracts created (contract).
    pub nonce: u64,
    /// The code installed here, if any.
    pub code: Option<Code>,
}

/// The code an account holds: a Stylus program or EVM bytecode.
#[derive(Clone, Debug)]
pub enum Code {
    /// An activated Stylus program (its code is `EF F0 00 00` ++ brotli).
    Stylus(Arc<Program>),
    /// EVM bytecode, analysed for jump destinations.
    Evm(Bytecode),
}

impl Code {
    /// The code bytes, as `EXTCODECOPY` sees them.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        match self {
            Code::Stylus(program) => program.code(),
            Code::Evm(bytecode) => bytecode.original_byte_slice(),
        }
    }

    /// keccak256 of [`Code::bytes`], as `EXTCODEHASH` reports it.
    #[must_use]
    pub fn hash(&self) -> B256 {
        match self {
            Code::Stylus(program) => program.codehash(),
            Code::Evm(bytecode) => bytecode.hash_slow(),
        }
    }

    /// The code as revm's interpreter takes it (cheap: both kinds share their bytes).
    pub(crate) fn evm_view(&self) -> Bytecode {
        match self {
            Code::Stylus(program) => program.evm_view().clone(),
            Code::Evm(bytecode) => bytecode.clone(),
        }
    }

    /// The Stylus program, if this is one.
    #[must_use]
    pub fn program(&self) -> Option<&Arc<Program>> {
        match self {
            Code::Stylus(program) => Some(program),
            Code::Evm(_) => None,
        }
    }
}

impl Account {
    /// Whether EIP-161 would call this account empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.balance.is_zero() && self.nonce == 0 && self.code.is_none()
    }
}

/// The block fields programs can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockEnv {
    /// `block.number`.
    pub number: u64,
    /// `block.timestamp`, seconds.
    pub timestamp: u64,
    /// `block.basefee` in wei; on Arbitrum also the gas price.
    pub basefee: U256,
    /// `block.coinbase`.
    pub coinbase: Address,
    /// `block.gaslimit`.
    pub gas_limit: u64,
    /// `chainid`.
    pub chain_id: u64,
}

impl Default for BlockEnv {
    /// A local Arbitrum dev chain (chain id 412346) at block 1, 1 Jan 2025, 0.1 gwei.
    fn default() -> Self {
        Self {
            number: 1,
            timestamp: 1_735_689_600,
            basefee: U256::from(100_000_000u64),
            coinbase: Address::ZERO,
            gas_limit: 1 << 50,
            chain_id: 412_346,
        }
    }
}

/// A position in the journal to roll back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Checkpoint {
    journal: usize,
    logs: usize,
}

/// An undo record.
#[derive(Debug)]
enum Undo {
    Storage {
        address: Address,
        key: B256,
        previous: B256,
    },
    Transient {
        address: Address,
        key: B256,
        previous: B256,
    },
    Account {
        address: Address,
        previous: Option<Account>,
    },
    WarmAccount(Address),
    WarmSlot(Address, B256),
    /// The refund counter before a change.
    Refund(i64),
}

/// Accounts, storage and per-transaction scratch state.
#[derive(Debug, Default)]
pub(crate) struct World {
    pub(crate) accounts: HashMap<Address, Account>,
    storage: HashMap<(Address, B256), B256>,
    pub(crate) block: BlockEnv,
    tx: TxScratch,
}

/// State that lives for one transaction only.
#[derive(Debug, Default)]
struct TxScratch {
    journal: Vec<Undo>,
    logs: Vec<Log>,
    transient: HashMap<(Address, B256), B256>,
    warm_accounts: HashSet<Address>,
    warm_slots: HashSet<(Address, B256)>,
    /// Value of each written slot when the transaction began (EIP-2200 pricing).
    original: HashMap<(Address, B256), B256>,
    /// Storage refunds earned so far (EIP-2200/3529), before the cap. Signed: a write can
    /// take back a refund an earlier one earned, even in another frame.
    refund: i64,
    /// Code hashes of the programs called in this transaction, least recently called first
    /// (Nitro's `RecentWasms`). Not journaled: a reverted frame's program stays.
    recent_programs: Vec<B256>,
}

impl World {
    /// Starts a transaction: clears transient storage, logs, warm sets and the journal.
    pub(crate) fn begin_tx(&mut self) {
        self.tx = TxScratch::default();
    }

    /// Ends a transaction, returning its logs.
    pub(crate) fn end_tx(&mut self) -> Vec<Log> {
        std::mem::take(&mut self.tx).logs
    }

    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            journal: self.tx.journal.len(),
            logs: self.tx.logs.len(),
        }
    }

    /// Undoes every change made since `checkpoint`.
    pub(crate) fn revert_to(&mut self, checkpoint: Checkpoint) {
        while self.tx.journal.len() > checkpoint.journal {
            match self.tx.journal.pop() {
                Some(Undo::Storage {
                    address,
                    key,
                    previous,
                }) => {
                    self.storage.insert((address, key), previous);
                }
                Some(Undo::Transient {
                    address,
                    key,
                    previous,
                }) => {
                    self.tx.transient.insert((address, key), previous);
                }
                Some(Undo::Account {
                    address,
                    previous: Some(account),
                }) => {
                    self.accounts.insert(address, account);
                }
                Some(Undo::Account {
                    address,
                    previous: None,
                }) => {
                    self.accounts.remove(&address);
                }
                Some(Undo::WarmAccount(address)) => {
                    self.tx.warm_accounts.remove(&address);
                }
                Some(Undo::WarmSlot(address, key)) => {
                    self.tx.warm_slots.remove(&(address, key));
                }
                Some(Undo::Refund(previous)) => {
                    self.tx.refund = previous;
                }
                None => break,
            }
        }
        self.tx.logs.truncate(checkpoint.logs);
    }

    /// The account at `address`, if it exists.
    #[must_use]
    pub(crate) fn account(&self, address: &Address) -> Option<&Account> {
        self.accounts.get(address)
    }

    /// Balance of `address` (zero for unknown accounts).
    #[must_use]
    pub(crate) fn balance(&self, address: &Address) -> U256 {
        self.accounts.get(address).map_or(U256::ZERO, |a| a.balance)
    }

    /// The code at `address`, if any.
    #[must_use]
    pub(crate) fn code(&self, address: &Address) -> Option<&Code> {
        self.accounts.get(address).and_then(|a| a.code.as_ref())
    }

    /// Committed value of a storage slot (zero if never written).
    #[must_use]
    pub(crate) fn storage(&self, address: Address, key: B256) -> B256 {
        self.storage
            .get(&(address, key))
            .copied()
            .unwrap_or_default()
    }

    /// Journaled mutation of an account, creating it if absent.
    pub(crate) fn update_account(&mut self, address: Address, f: impl FnOnce(&mut Account)) {
        let previous = self.accounts.get(&address).cloned();
        self.tx.journal.push(Undo::Account { address, previous });
        f(self.accounts.entry(address).or_default());
    }

    /// Moves `value` wei. Returns `false`, changing nothing, if `from` holds less.
    pub(crate) fn transfer(&mut self, from: Address, to: Address, value: U256) -> bool {
        if value.is_zero() {
            return true;
        }
        if self.balance(&from) < value {
            return false;
        }
        self.update_account(from, |a| a.balance -= value);
        self.update_account(to, |a| a.balance += value);
        true
    }

    /// Journaled storage write. Returns the slot's value at transaction start.
    pub(crate) fn set_storage(&mut self, address: Address, key: B256, value: B256) -> B256 {
        let previous = self.storage(address, key);
        let original = *self.tx.original.entry((address, key)).or_insert(previous);
        self.tx.journal.push(Undo::Storage {
            address,
            key,
            previous,
        });
        self.storage.insert((address, key), value);
        original
    }

    /// The value a slot had when the transaction began.
    pub(crate) fn original_storage(&self, address: Address, key: B256) -> B256 {
        self.tx
            .original
            .get(&(address, key))
            .copied()
            .unwrap_or_else(|| self.storage(address, key))
    }

    /// Journaled change of the transaction's refund counter by `delta` gas.
    pub(crate) fn add_refund(&mut self, delta: i64) {
        if delta == 0 {
            return;
        }
        let previous = self.tx.refund;
        self.tx.journal.push(Undo::Refund(previous));
        self.tx.refund = previous.saturating_add(delta);
    }

    /// The transaction's refund counter: refunds earned by the writes that stand, uncapped.
    pub(crate) fn refund(&self) -> i64 {
        self.tx.refund
    }

    pub(crate) fn transient(&self, address: Address, key: B256) -> B256 {
        self.tx
            .transient
            .get(&(address, key))
            .copied()
            .unwrap_or_default()
    }

    pub(crate) fn set_transient(&mut self, address: Address, key: B256, value: B256) {
        let previous = self.transient(address, key);
        self.tx.journal.push(Undo::Transient {
            address,
            key,
            previous,
        });
        self.tx.transient.insert((address, key), value);
    }

    /// Marks an account accessed; returns whether it was cold (EIP-2929).
    pub(crate) fn touch_account(&mut self, address: Address) -> bool {
        let cold = self.tx.warm_accounts.insert(address);
        if cold {
            self.tx.journal.push(Undo::WarmAccount(address));
        }
        cold
    }

    /// Marks a slot accessed; returns whether it was cold (EIP-2929).
    pub(crate) fn touch_slot(&mut self, address: Address, key: B256) -> bool {
        let cold = self.tx.warm_slots.insert((address, key));
        if cold {
            self.tx.journal.push(Undo::WarmSlot(address, key));
        }
        cold
    }

    /// Records a call of the program with `codehash`, keeping at most `capacity` programs
    /// (the least recently called is dropped first); returns whether it was already there,
    /// as Nitro's `RecentWasms.Insert` does.
    pub(crate) fn note_program_call(&mut self, codehash: B256, capacity: usize) -> bool {
        let recent = &mut self.tx.recent_programs;
        if let Some(at) = recent.iter().position(|seen| *seen == codehash) {
            let seen = recent.remove(at);
            recent.push(seen);
            return true;
        }
        recent.push(codehash);
        if recent.len() > capacity {
            recent.remove(0);
        }
        false
    }

    pub(crate) fn push_log(&mut self, log: Log) {
        self.tx.logs.push(log);
    }

    /// Logs emitted so far in this transaction.
    #[cfg(test)]
    pub(crate) fn logs(&self) -> &[Log] {
        &self.tx.logs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Address = Address::repeat_byte(0xA);
    const B: Address = Address::repeat_byte(0xB);

    fn slot(n: u8) -> B256 {
        B256::repeat_byte(n)
    }

    #[test]
    fn reverting_to_a_checkpoint_undoes_storage_balances_and_logs_after_it() {
        let mut world = World::default();
        world.begin_tx();
        world.update_account(A, |a| a.balance = U256::from(10));
        world.set_storage(A, slot(1), slot(2));
        let checkpoint = world.checkpoint();
        world.set_storage(A, slot(1), slot(3));
        assert!(world.transfer(A, B, U256::from(4)));
        world.push_log(Log::new_unchecked(A, vec![], Default::default()));
        world.revert_to(checkpoint);
        assert_eq!(world.storage(A, slot(1)), slot(2));
        assert_eq!(world.balance(&A), U256::from(10));
        assert!(world.account(&B).is_none());
        assert!(world.logs().is_empty());
    }

    #[test]
    fn reverting_to_a_checkpoint_undoes_the_refunds_earned_after_it() {
        let mut world = World::default();
        world.begin_tx();
        world.add_refund(19_900);
        let checkpoint = world.checkpoint();
        world.add_refund(-4_800);
        world.add_refund(2_800);
        assert_eq!(world.refund(), 17_900);
        world.revert_to(checkpoint);
        assert_eq!(world.refund(), 19_900);
        world.begin_tx();
        assert_eq!(world.refund(), 0);
    }

    #[test]
    fn transfer_beyond_balance_changes_nothing() {
        let mut world = World::default();
        world.begin_tx();
        assert!(!world.transfer(A, B, U256::from(1)));
        assert!(world.account(&B).is_none());
    }

    #[test]
    fn original_storage_is_the_value_at_transaction_start() {
        let mut world = World::default();
        world.begin_tx();
        world.set_storage(A, slot(1), slot(5));
        world.begin_tx();
        world.set_storage(A, slot(1), slot(6));
        world.set_storage(A, slot(1), slot(7));
        assert_eq!(world.original_storage(A, slot(1)), slot(5));
    }

    #[test]
    fn programs_are_recent_from_their_first_call_until_the_transaction_ends() {
        let mut world = World::default();
        world.begin_tx();
        assert!(!world.note_program_call(slot(1), 32));
        let checkpoint = world.checkpoint();
        assert!(!world.note_program_call(slot(2), 32));
        world.revert_to(checkpoint);
        assert!(world.note_program_call(slot(1), 32));
        assert!(world.note_program_call(slot(2), 32));
        world.begin_tx();
        assert!(!world.note_program_call(slot(1), 32));
    }

    #[test]
    fn the_least_recently_called_program_is_forgotten_beyond_capacity() {
        let mut world = World::default();
        world.begin_tx();
        for n in 1..=3 {
            world.note_program_call(slot(n), 3);
        }
        assert!(world.note_program_call(slot(1), 3));
        assert!(!world.note_program_call(slot(4), 3));
        assert!(!world.note_program_call(slot(2), 3));
        assert!(world.note_program_call(slot(1), 3));
    }

    #[test]
    fn accounts_and_slots_are_cold_once_per_transaction() {
        let mut world = World::default();
        world.begin_tx();
        assert!(world.touch_account(A));
        assert!(!world.touch_account(A));
        assert!(world.touch_slot(A, slot(1)));
        assert!(!world.touch_slot(A, slot(1)));
        world.begin_tx();
        assert!(world.touch_account(A));
    }
}
