//! The vault's shares as an ERC-20 (18 decimals), with OpenZeppelin's EIP-6093 errors.
//! An allowance of `2^256 − 1` is never spent down.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolError, SolEvent};
use keel_common::abi::Word;
use stylus_sdk::prelude::*;

use crate::{
    errors::{self, exceeded, of_address, Result},
    events, DrawdownVault,
};

/// The shares' name.
pub(crate) const NAME: &str = "Keel Drawdown Vault";
/// The shares' symbol.
pub(crate) const SYMBOL: &str = "kDV";
/// The shares' decimals: the quote's plus the virtual offset `18 − decimals`.
pub(crate) const DECIMALS: u8 = 18;

impl DrawdownVault {
    /// Shares in existence.
    pub fn total_supply(&self) -> U256 {
        self.supply.get()
    }

    /// Shares of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// Shares `spender` may move for `owner`.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Moves `value` shares from the caller to `to`.
    ///
    /// # Errors
    /// `ERC20InvalidReceiver`, `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// [`events::Transfer`].
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool> {
        let from = self.vm().msg_sender();
        self.move_shares(from, to, value)?;
        Ok(true)
    }

    /// Moves `value` shares from `from` to `to` under the caller's allowance.
    ///
    /// # Errors
    /// `ERC20InsufficientAllowance`, `ERC20InvalidSender`, `ERC20InvalidReceiver`,
    /// `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// [`events::Transfer`].
    pub fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool> {
        let spender = self.vm().msg_sender();
        self.spend_allowance(from, spender, value)?;
        self.move_shares(from, to, value)?;
        Ok(true)
    }

    /// Lets `spender` move `value` of the caller's shares.
    ///
    /// # Errors
    /// `ERC20InvalidSpender`.
    ///
    /// # Events
    /// [`events::Approval`].
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool> {
        let owner = self.vm().msg_sender();
        self.set_allowance(owner, spender, value)?;
        Ok(true)
    }

    fn set_allowance(&mut self, owner: Address, spender: Address, value: U256) -> Result<()> {
        if owner.is_zero() {
            return Err(of_address(errors::ERC20InvalidApprover::SELECTOR, owner));
        }
        if spender.is_zero() {
            return Err(of_address(errors::ERC20InvalidSpender::SELECTOR, spender));
        }
        self.allowances.setter(owner).setter(spender).set(value);
        self.emit(
            &[
                events::Approval::SIGNATURE_HASH,
                owner.word(),
                spender.word(),
            ],
            &[value.word()],
        );
        Ok(())
    }

    /// Spends `value` of `spender`'s allowance from `owner` (none of an unlimited one).
    pub(crate) fn spend_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<()> {
        let allowed = self.allowance(owner, spender);
        if allowed == U256::MAX {
            return Ok(());
        }
        if allowed < value {
            let selector = errors::ERC20InsufficientAllowance::SELECTOR;
            return Err(exceeded(selector, spender, allowed, value));
        }
        self.allowances
            .setter(owner)
            .setter(spender)
            .set(allowed - value);
        Ok(())
    }

    fn move_shares(&mut self, from: Address, to: Address, value: U256) -> Result<()> {
        if from.is_zero() {
            return Err(of_address(errors::ERC20InvalidSender::SELECTOR, from));
        }
        if to.is_zero() {
            return Err(of_address(errors::ERC20InvalidReceiver::SELECTOR, to));
        }
        self.debit(from, value)?;
        self.credit(to, value);
        self.log_transfer(from, to, value);
        Ok(())
    }

    /// Mints `value` shares to `to`.
    pub(crate) fn mint_shares(&mut self, to: Address, value: U256) -> Result<()> {
        let supply = self.supply.get().checked_add(value);
        self.supply
            .set(supply.ok_or(keel_math::MathError::Overflow)?);
        self.credit(to, value);
        self.log_transfer(Address::ZERO, to, value);
        Ok(())
    }

    /// Burns `value` shares of `from`.
    pub(crate) fn burn_shares(&mut self, from: Address, value: U256) -> Result<()> {
        self.debit(from, value)?;
        // Cannot underflow: the supply is the sum of the balances.
        self.supply.set(self.supply.get() - value);
        self.log_transfer(from, Address::ZERO, value);
        Ok(())
    }

    fn debit(&mut self, from: Address, value: U256) -> Result<()> {
        let balance = self.balances.get(from);
        if balance < value {
            let selector = errors::ERC20InsufficientBalance::SELECTOR;
            return Err(exceeded(selector, from, balance, value));
        }
        self.balances.setter(from).set(balance - value);
        Ok(())
    }

    /// Cannot overflow: a balance is at most the supply, which is checked when minting.
    fn credit(&mut self, to: Address, value: U256) {
        let balance = self.balances.get(to);
        self.balances.setter(to).set(balance + value);
    }

    fn log_transfer(&self, from: Address, to: Address, value: U256) {
        self.emit(
            &[events::Transfer::SIGNATURE_HASH, from.word(), to.word()],
            &[value.word()],
        );
    }
}
