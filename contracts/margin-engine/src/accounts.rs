//! Accounts, operators and collateral: opening, deposits, withdrawals and their views.

use alloc::vec::Vec;

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::SolEvent;
use keel_common::abi::Word;
use keel_math::to_wad;
use stylus_sdk::prelude::*;

use crate::{
    errors::{self, Result},
    events,
    records::{collateral as c, head, Position},
    signed::{self, int},
    MarginEngine,
};

/// The market ids in an account's `book` word (bit `id − 1` set while it holds a position in
/// market `id`), lowest first.
pub(crate) fn book_ids(book: U256) -> impl Iterator<Item = u64> {
    let mut mask = book.as_limbs()[0];
    core::iter::from_fn(move || {
        let id = u64::from(mask.trailing_zeros()) + 1;
        mask &= mask.checked_sub(1)?;
        Some(id)
    })
}

impl MarginEngine {
    /// Opens a new account for `owner` (anyone may, for anyone; an owner may hold several).
    /// Returns its id, from 1.
    ///
    /// # Errors
    /// `EngineZeroArgument` for a zero owner.
    ///
    /// # Events
    /// [`events::AccountOpened`].
    pub fn open_account(&mut self, owner: Address) -> Result<U256> {
        if owner.is_zero() {
            return Err(errors::zero_argument());
        }
        let id = self.head(head::ACCOUNTS) + U256::from(1);
        let value = head::ACCOUNTS.with(self.head.get(), id)?;
        self.head.set(value);
        self.accounts.setter(id).owner.set(owner);
        self.emit(
            &[
                events::AccountOpened::SIGNATURE_HASH,
                id.word(),
                owner.word(),
            ],
            &[],
        );
        Ok(id)
    }

    /// Approves (or revokes) `operator` to withdraw and trade for `account`. Owner only.
    ///
    /// # Errors
    /// `EngineUnauthorized` (also for an account never opened: it has no owner).
    ///
    /// # Events
    /// [`events::OperatorSet`].
    pub fn set_operator(&mut self, account: U256, operator: Address, approved: bool) -> Result<()> {
        let caller = self.vm().msg_sender();
        if self.account_owner(account) != caller {
            return Err(errors::unauthorized(caller));
        }
        let mut acc = self.accounts.setter(account);
        acc.operators.setter(operator).set(approved);
        self.emit(
            &[
                events::OperatorSet::SIGNATURE_HASH,
                account.word(),
                operator.word(),
            ],
            &[approved.word()],
        );
        Ok(())
    }

    /// The owner of `account`; zero if it was never opened.
    pub fn account_owner(&self, account: U256) -> Address {
        self.accounts.getter(account).owner.get()
    }

    /// Whether `who` is an approved operator of `account`.
    pub fn is_operator(&self, account: U256, who: Address) -> bool {
        self.accounts.getter(account).operators.get(who)
    }

    /// The owner of an opened `account`.
    pub(crate) fn owner_of(&self, account: U256) -> Result<Address> {
        let owner = self.account_owner(account);
        if owner.is_zero() {
            return Err(errors::unknown_account(account));
        }
        Ok(owner)
    }

    /// The caller must own `account` or operate it (an account never opened has neither).
    pub(crate) fn authorised(&self, account: U256) -> Result<()> {
        let caller = self.vm().msg_sender();
        if self.account_owner(account) != caller && !self.is_operator(account, caller) {
            return Err(errors::unauthorized(caller));
        }
        Ok(())
    }

    /// Pulls `amount` units of `token` (the quote or listed collateral) from the caller into
    /// `account`. Anyone may fund any account. Collateral deposits respect the token's cap.
    ///
    /// # Errors
    /// `EngineZeroArgument`, `EngineUnknownAccount`, `EngineUnknownToken`,
    /// `EngineDepositCapExceeded`, `EngineTransferMismatch` (fee-on-transfer),
    /// `EngineExternalCallFailed`, `EngineMathError`.
    ///
    /// # Events
    /// [`events::Deposited`].
    pub fn deposit(&mut self, account: U256, token: Address, amount: U256) -> Result<()> {
        if amount.is_zero() {
            return Err(errors::zero_argument());
        }
        self.owner_of(account)?;
        let from = self.vm().msg_sender();
        let (quote, decimals) = self.quote();
        if token == quote {
            let credit = int(to_wad(amount, decimals)?)?;
            self.add_quote(account, credit)?;
        } else {
            let index = self.collateral_index(token);
            if index == 0 {
                return Err(errors::unknown_token(token));
            }
            let caps = self.collaterals.getter(token).caps.get();
            let (cap, total) = (c::CAP.of(caps), c::TOTAL.of(caps));
            let total = total.checked_add(amount).unwrap_or(U256::MAX);
            if total > cap {
                return Err(errors::deposit_cap(token, total, cap));
            }
            self.collaterals
                .setter(token)
                .caps
                .set(c::TOTAL.with(caps, total)?);
            let mut acc = self.accounts.setter(account);
            let held = acc.collateral.get(token) + amount; // ≤ total: cannot overflow
            acc.collateral.setter(token).set(held);
        }
        // Effects first: the pull is the only call out, and its balance check refuses a
        // fee-on-transfer token (the revert undoes the booking).
        self.pull(token, from, amount)?;
        self.emit(
            &[
                events::Deposited::SIGNATURE_HASH,
                account.word(),
                token.word(),
            ],
            &[from.word(), amount.word()],
        );
        Ok(())
    }

    /// Sends `amount` units of `token` from `account` to `to`. Owner or operator. The quote
    /// balance never goes below zero; while the account has positions or owes quote, its
    /// equity must stay at or above its initial margin, valued at trustworthy prices.
    ///
    /// # Errors
    /// `EngineUnauthorized` (also for an account never opened), `EngineZeroArgument`,
    /// `EngineUnknownToken`, `EngineInsufficientQuote`, `EngineInsufficientCollateral`,
    /// `EngineBelowInitialMargin`, `EngineInvalidPrice`, `EngineExternalCallFailed`.
    ///
    /// # Events
    /// [`events::Withdrawn`].
    pub fn withdraw(
        &mut self,
        account: U256,
        token: Address,
        amount: U256,
        to: Address,
    ) -> Result<()> {
        self.authorised(account)?;
        if amount.is_zero() || to.is_zero() {
            return Err(errors::zero_argument());
        }
        let (quote, decimals) = self.quote();
        if token == quote {
            let debit = to_wad(amount, decimals)?;
            let balance = self.accounts.getter(account).quote.get();
            if signed::lt(balance, int(debit)?) {
                return Err(errors::insufficient_quote(account, balance, debit));
            }
            self.add_quote(account, signed::neg(int(debit)?))?;
        } else {
            self.take_collateral(account, token, amount)?;
        }
        let acc = self.accounts.getter(account);
        if acc.book.get() != U256::ZERO || acc.quote.get().is_negative() {
            self.require_initial_margin(account, None)?;
        }
        self.send(token, to, amount)?;
        self.emit(
            &[
                events::Withdrawn::SIGNATURE_HASH,
                account.word(),
                token.word(),
            ],
            &[to.word(), amount.word()],
        );
        Ok(())
    }

    /// Removes `amount` of collateral `token` from `account`'s books (withdraw and seize).
    pub(crate) fn take_collateral(
        &mut self,
        account: U256,
        token: Address,
        amount: U256,
    ) -> Result<()> {
        let index = self.collateral_index(token);
        if index == 0 {
            return Err(errors::unknown_token(token));
        }
        let mut acc = self.accounts.setter(account);
        let held = acc.collateral.get(token);
        if held < amount {
            return Err(errors::insufficient_collateral(
                account, token, held, amount,
            ));
        }
        acc.collateral.setter(token).set(held - amount);
        let mut entry = self.collaterals.setter(token);
        let caps = entry.caps.get();
        let total = c::TOTAL.of(caps).saturating_sub(amount);
        entry.caps.set(c::TOTAL.with(caps, total)?);
        Ok(())
    }

    /// Adds `delta` (WAD, signed) to `account`'s quote balance.
    pub(crate) fn add_quote(&mut self, account: U256, delta: I256) -> Result<()> {
        let mut acc = self.accounts.setter(account);
        let value = signed::add(acc.quote.get(), delta)?;
        acc.quote.set(value);
        Ok(())
    }

    /// Adds `delta` (WAD, signed) to the pool's ledger.
    pub(crate) fn add_pool(&mut self, delta: I256) -> Result<()> {
        let value = signed::add(self.pool_balance.get(), delta)?;
        self.pool_balance.set(value);
        Ok(())
    }

    /// Collateral `token` held by `account`, token units (zero for the quote token: its
    /// balance is [`Self::quote_balance`]).
    pub fn collateral_of(&self, account: U256, token: Address) -> U256 {
        self.accounts.getter(account).collateral.get(token)
    }

    /// `account`'s quote balance, WAD (negative: owed).
    pub fn quote_balance(&self, account: U256) -> I256 {
        self.accounts.getter(account).quote.get()
    }

    /// `account`'s position in `market`: `(size, entryPrice)`, zeros when flat.
    pub fn position(&self, account: U256, market: U256) -> (I256, U256) {
        let p = Position::unpack(self.accounts.getter(account).positions.get(market));
        (p.size, p.entry)
    }

    /// The markets in which `account` has a position, lowest id first, ABI-encoded as the
    /// return data of `uint256[]` (offset, length, ids): built in place, the view's only use.
    pub fn account_markets(&self, account: U256) -> Vec<u8> {
        let mut out = alloc::vec![0u8; 64];
        out[31] = 32;
        let mut len = 0u8;
        for id in book_ids(self.accounts.getter(account).book.get()) {
            out.extend_from_slice(&U256::from(id).to_be_bytes::<32>());
            len += 1;
        }
        out[63] = len;
        out
    }
}
