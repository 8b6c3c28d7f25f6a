//! The seam between scenarios and the chain they run on.
//!
//! Scenario code written against [`Chain`] runs on the in-process [`crate::Host`] today and
//! could run against a node's RPC endpoint through another implementation: the raw methods
//! are what such an implementation provides (`eth_sendTransaction` with impersonation,
//! `eth_call`, `evm_setNextBlockTimestamp`/`evm_mine`, `eth_getBalance`), and the typed
//! helpers are built on them.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;

use crate::error::HostError;
use crate::receipt::Receipt;

/// A chain that executes transactions from any sender and lets tests move time.
pub trait Chain {
    /// The implementation's error; host-side decoding errors convert into it.
    type Error: std::error::Error + From<HostError>;

    /// Sends a transaction from `from` (no signature needed) and waits for its receipt.
    ///
    /// # Errors
    /// Failures to execute at all; a revert is a receipt, not an error.
    fn send(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: &[u8],
    ) -> Result<Receipt, Self::Error>;

    /// Executes a call and discards its effects (`eth_call`).
    ///
    /// # Errors
    /// As [`Chain::send`].
    fn simulate(&mut self, from: Address, to: Address, data: &[u8])
        -> Result<Receipt, Self::Error>;

    /// Sets `block.timestamp` for the following transactions.
    ///
    /// # Errors
    /// If the chain refuses (e.g. moving time backwards on a node).
    fn warp(&mut self, timestamp: u64) -> Result<(), Self::Error>;

    /// Sets `block.number` for the following transactions.
    ///
    /// # Errors
    /// If the chain refuses.
    fn roll(&mut self, number: u64) -> Result<(), Self::Error>;

    /// Current `block.timestamp`.
    fn timestamp(&self) -> u64;

    /// Balance in wei.
    ///
    /// # Errors
    /// If the chain cannot be queried.
    fn balance_of(&self, account: Address) -> Result<U256, Self::Error>;

    /// Sends a typed call without value.
    ///
    /// # Errors
    /// As [`Chain::send`].
    fn call<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        call: &C,
    ) -> Result<Receipt<C>, Self::Error> {
        self.call_with_value(from, to, U256::ZERO, call)
    }

    /// Sends a typed call moving `value` wei.
    ///
    /// # Errors
    /// As [`Chain::send`].
    fn call_with_value<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        call: &C,
    ) -> Result<Receipt<C>, Self::Error> {
        Ok(self.send(from, to, value, &call.abi_encode())?.typed())
    }

    /// Reads through a typed call whose effects are discarded, returning the decoded value.
    ///
    /// # Errors
    /// [`HostError::Reverted`] (converted) if the call fails, [`HostError::Decode`] if the
    /// output does not decode.
    fn view<C: SolCall>(&mut self, to: Address, call: &C) -> Result<C::Return, Self::Error> {
        let receipt: Receipt<C> = self
            .simulate(Address::ZERO, to, &call.abi_encode())?
            .typed();
        Ok(receipt.returns()?)
    }

    /// Moves time forward by `seconds`.
    ///
    /// # Errors
    /// As [`Chain::warp`].
    fn advance(&mut self, seconds: u64) -> Result<(), Self::Error> {
        let now = self.timestamp();
        self.warp(now.saturating_add(seconds))
    }
}
