//! The counterparty pool (LP shares over the pool's ledger) and the ward-only hooks the
//! Backstop uses to liquidate: `charge`, `seize`, `socialise` (`confiscate` is in `trade.rs`).

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::SolEvent;
use keel_common::abi::Word;
use keel_math::{from_wad_down, mul_wad_down, to_wad, SharePool};
use stylus_sdk::prelude::*;

use crate::{
    errors::{self, Result},
    events,
    params::POOL_OFFSET,
    records::globals as g,
    signed::{self, int, lt, neg},
    MarginEngine,
};

/// The pool's valuation: `(totalAssets, traderPnl, balance)`, WAD.
struct Totals {
    assets: U256,
    pnl: I256,
    balance: I256,
}

/// `max(0, x)` as unsigned.
fn floor0(x: I256) -> U256 {
    if x.is_negative() {
        U256::ZERO
    } else {
        x.into_raw()
    }
}

impl MarginEngine {
    /// The pool's ledger and traders' unrealised PnL (trustworthy prices only when `strict`).
    fn totals(&self, strict: bool) -> Result<Totals> {
        let pnl = self.trader_pnl(strict)?;
        let balance = self.pool_balance.get();
        let assets = floor0(signed::sub(balance, pnl)?);
        Ok(Totals {
            assets,
            pnl,
            balance,
        })
    }

    /// The share conversions at `assets` (WAD).
    fn shares_at(&self, assets: U256) -> SharePool {
        SharePool {
            supply: self.pool_supply.get(),
            assets,
            offset: POOL_OFFSET,
        }
    }

    /// Pulls `assets` quote token units from the caller into the pool for shares credited to
    /// `receiver`, rounded down. Valued at trustworthy prices. Returns the shares.
    ///
    /// # Errors
    /// `EngineZeroArgument` (zero assets or receiver, or zero shares), `EngineInvalidPrice`,
    /// `EngineTransferMismatch`, `EngineExternalCallFailed`, `EngineMathError`.
    ///
    /// # Events
    /// [`events::PoolDeposited`].
    pub fn pool_deposit(&mut self, assets: U256, receiver: Address) -> Result<U256> {
        if assets.is_zero() || receiver.is_zero() {
            return Err(errors::zero_argument());
        }
        let (quote, decimals) = self.quote();
        let value = to_wad(assets, decimals)?;
        let totals = self.totals(true)?;
        let shares = self.shares_at(totals.assets).to_shares_down(value)?;
        if shares.is_zero() {
            return Err(errors::zero_argument());
        }
        let from = self.vm().msg_sender();
        self.pull(quote, from, assets)?;
        let supply = self.pool_supply.get().checked_add(shares);
        self.pool_supply
            .set(supply.ok_or(keel_math::MathError::Overflow)?);
        let mut held = self.pool_shares.setter(receiver);
        let new = held.get() + shares; // ≤ supply: cannot overflow
        held.set(new);
        self.add_pool(int(value)?)?;
        self.emit(
            &[
                events::PoolDeposited::SIGNATURE_HASH,
                from.word(),
                receiver.word(),
            ],
            &[assets.word(), shares.word()],
        );
        Ok(shares)
    }

    /// Burns `shares` of the caller for their assets, rounded down to whole quote token units,
    /// sent to `receiver`. Valued at trustworthy prices. Refused when the pool's ledger cannot
    /// pay, or when traders' unrealised profit would exceed `maxProfitRatio` times the pool's
    /// assets after it. Returns the quote token units paid.
    ///
    /// # Errors
    /// `EngineZeroArgument`, `EngineInsufficientShares`, `EnginePoolInsufficient`,
    /// `EnginePoolProfitCap`, `EngineInvalidPrice`, `EngineExternalCallFailed`,
    /// `EngineMathError`.
    ///
    /// # Events
    /// [`events::PoolRedeemed`].
    pub fn pool_redeem(&mut self, shares: U256, receiver: Address) -> Result<U256> {
        if shares.is_zero() || receiver.is_zero() {
            return Err(errors::zero_argument());
        }
        let owner = self.vm().msg_sender();
        let held = self.pool_shares.get(owner);
        if shares > held {
            return Err(errors::insufficient_shares(shares, held));
        }
        let t = self.totals(true)?;
        let (quote, decimals) = self.quote();
        let value = self.shares_at(t.assets).to_assets_down(shares)?;
        let paid = from_wad_down(value, decimals)?;
        let debit = int(to_wad(paid, decimals)?)?;
        if lt(t.balance, debit) {
            return Err(errors::pool_insufficient(t.balance, debit.into_raw()));
        }
        if t.pnl.is_positive() {
            let after = floor0(signed::sub(signed::sub(t.balance, debit)?, t.pnl)?);
            let ratio = U256::from(self.global(g::MAX_PROFIT_RATIO));
            let max = mul_wad_down(after, ratio)?;
            if t.pnl.into_raw() > max {
                return Err(errors::pool_profit_cap(t.pnl, max));
            }
        }
        self.pool_shares.setter(owner).set(held - shares);
        let supply = self.pool_supply.get();
        self.pool_supply.set(supply - shares); // shares ≤ held ≤ supply
        self.add_pool(neg(debit))?;
        if !paid.is_zero() {
            self.send(quote, receiver, paid)?;
        }
        self.emit(
            &[
                events::PoolRedeemed::SIGNATURE_HASH,
                owner.word(),
                receiver.word(),
            ],
            &[shares.word(), paid.word()],
        );
        Ok(paid)
    }

    /// LP shares of `lp`.
    pub fn pool_shares_of(&self, lp: Address) -> U256 {
        self.pool_shares.get(lp)
    }

    /// `(totalAssets, totalShares, traderPnl, balance)`, WAD but for shares, at the oracle's
    /// last accepted prices; `balance` is the pool's ledger, shown as 0 should it ever be
    /// negative (bad debt beyond the pool).
    ///
    /// # Errors
    /// `EngineInvalidPrice` (no price at all), `EngineExternalCallFailed`, `EngineMathError`.
    pub fn pool_state(&self) -> Result<(U256, U256, I256, U256)> {
        let t = self.totals(false)?;
        Ok((t.assets, self.pool_supply.get(), t.pnl, floor0(t.balance)))
    }

    /// Debits `amount` (WAD) from `account`'s quote balance (it may go negative) and sends it
    /// to `to` in quote token units rounded down; the dust goes to the pool. Ward only.
    ///
    /// # Errors
    /// `EngineUnauthorized`, `EngineUnknownAccount`, `EngineZeroArgument`,
    /// `EngineExternalCallFailed`, `EngineMathError`.
    ///
    /// # Events
    /// [`events::Charged`].
    pub fn charge(&mut self, account: U256, amount: U256, to: Address) -> Result<()> {
        self.auth()?;
        self.owner_of(account)?;
        if amount.is_zero() || to.is_zero() {
            return Err(errors::zero_argument());
        }
        let (quote, decimals) = self.quote();
        let paid = from_wad_down(amount, decimals)?;
        let dust = amount - to_wad(paid, decimals)?; // paid rounds down: no underflow
        self.add_quote(account, neg(int(amount)?))?;
        self.add_pool(int(dust)?)?;
        if !paid.is_zero() {
            self.send(quote, to, paid)?;
        }
        self.emit(
            &[events::Charged::SIGNATURE_HASH, account.word(), to.word()],
            &[amount.word(), paid.word()],
        );
        Ok(())
    }

    /// Moves `amount` units of collateral `token` from `account` to `to`. Ward only.
    ///
    /// # Errors
    /// `EngineUnauthorized`, `EngineUnknownAccount`, `EngineZeroArgument`,
    /// `EngineUnknownToken`, `EngineInsufficientCollateral`, `EngineExternalCallFailed`.
    ///
    /// # Events
    /// [`events::Seized`].
    pub fn seize(
        &mut self,
        account: U256,
        token: Address,
        amount: U256,
        to: Address,
    ) -> Result<()> {
        self.auth()?;
        self.owner_of(account)?;
        if amount.is_zero() || to.is_zero() {
            return Err(errors::zero_argument());
        }
        self.take_collateral(account, token, amount)?;
        self.send(token, to, amount)?;
        self.emit(
            &[events::Seized::SIGNATURE_HASH, account.word(), token.word()],
            &[to.word(), amount.word()],
        );
        Ok(())
    }

    /// The pool's ledger pays `amount` (WAD) into `account`'s quote balance: bad debt
    /// socialised to the LPs. Ward only.
    ///
    /// # Errors
    /// `EngineUnauthorized`, `EngineUnknownAccount`, `EngineZeroArgument`, `EngineMathError`.
    ///
    /// # Events
    /// [`events::Socialised`].
    pub fn socialise(&mut self, account: U256, amount: U256) -> Result<()> {
        self.auth()?;
        self.owner_of(account)?;
        if amount.is_zero() {
            return Err(errors::zero_argument());
        }
        let value = int(amount)?;
        self.add_pool(neg(value))?;
        self.add_quote(account, value)?;
        self.emit(
            &[events::Socialised::SIGNATURE_HASH, account.word()],
            &[amount.word()],
        );
        Ok(())
    }
}
