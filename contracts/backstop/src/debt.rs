//! After the auctions: proceeds, the bad-debt waterfall and auto-deleveraging. See the crate
//! docs for the rules.

use alloy_primitives::{I256, U256};
use alloy_sol_types::SolEvent;
use keel_common::abi::Word;
use keel_math::{abs, div_wad_down, mul_div_down, mul_wad_down, mul_wad_up};
use stylus_sdk::prelude::*;

use crate::{
    calls::iword,
    errors::{self, Result},
    events,
    liquidate::{positive, toward_zero},
    records::{account as acct, ledger, misc, risk, to_wad, units_up, update},
    Backstop,
};

impl Backstop {
    pub(crate) fn book_proceeds(
        &mut self,
        id: U256,
        account: U256,
        raised: U256,
        remaining_tab: U256,
        closed: bool,
    ) -> Result<()> {
        let caller = self.vm().msg_sender();
        if caller != self.liquidator.get() {
            return Err(errors::unauthorized(caller));
        }
        let known = self.auctions.get(id);
        if known.is_zero() || known != account {
            self.emit(
                &[
                    events::UnknownAuction::SIGNATURE_HASH,
                    id.word(),
                    account.word(),
                ],
                &[raised.word()],
            );
            return Ok(());
        }
        // What the auction raised, or will never raise, is no longer under auction.
        let freed = if closed {
            raised.saturating_add(remaining_tab)
        } else {
            raised
        };
        let mut book = self.accounts.setter(account);
        let (b, d) = (book.book.get(), book.debt.get());
        book.book
            .set(acct::TAB.with(b, acct::TAB.of(b).saturating_sub(freed))?);
        if closed {
            let count = acct::AUCTIONS.of(d).saturating_sub(U256::from(1));
            book.debt.set(acct::AUCTIONS.with(d, count)?);
            self.auctions.delete(id);
        }
        // Must not revert: if the engine refuses the deposit, the proceeds wait here.
        let deposited = raised.is_zero() || self.deposit(account, raised).is_ok();
        if !deposited {
            let mut book = self.accounts.setter(account);
            let b = book.book.get();
            book.book
                .set(acct::HELD.with(b, acct::HELD.of(b) + raised)?);
            let held = misc::HELD.of(self.misc.get()) + raised;
            update(&mut self.misc, misc::HELD, held)?;
        }
        self.emit(
            &[events::Proceeds::SIGNATURE_HASH, id.word(), account.word()],
            &[
                raised.word(),
                remaining_tab.word(),
                closed.word(),
                deposited.word(),
            ],
        );
        Ok(())
    }

    pub(crate) fn settle(&mut self, account: U256) -> Result<(U256, U256, U256)> {
        if !self.markets(account)?.is_empty() {
            return Err(errors::positions_open(account));
        }
        let book = self.accounts.getter(account);
        let (b, d) = (book.book.get(), book.debt.get());
        let (count, held) = (acct::AUCTIONS.of(d), acct::HELD.of(b));
        let (old, since) = (acct::DEBT.of(d), acct::SINCE.of(d));
        if !count.is_zero() {
            return Err(errors::auctions_running(account, count));
        }
        if !held.is_zero() {
            update(
                &mut self.accounts.setter(account).book,
                acct::HELD,
                U256::ZERO,
            )?;
            let total = misc::HELD.of(self.misc.get()).saturating_sub(held);
            update(&mut self.misc, misc::HELD, total)?;
            self.deposit(account, held)?;
            self.emit(
                &[events::Released::SIGNATURE_HASH, account.word()],
                &[held.word()],
            );
        }
        for i in 0..self.tokens.len() {
            let token = self.tokens.get(i).unwrap_or_default();
            let amount = self.collateral_of(account, token)?;
            if !amount.is_zero() {
                return Err(errors::collateral_left(account, token, amount));
            }
        }
        let balance = self.quote_balance(account)?;
        let (equity, _) = self.health(account)?;
        // Bad debt is what the equity lacks, at most the negative quote: collateral the
        // Backstop does not auction still counts, so the fund never pays out against it.
        let deficit = if balance.is_negative() && equity.is_negative() {
            abs(balance).min(abs(equity))
        } else {
            U256::ZERO
        };
        if deficit.is_zero() && old.is_zero() {
            if held.is_zero() {
                return Err(errors::no_deficit(account, balance));
            }
            return Ok((U256::ZERO, U256::ZERO, U256::ZERO));
        }
        let unit = self.quote_unit();
        // The fund pays first, rounded up to whole quote units.
        let pay = self.fund()?.min(units_up(deficit, unit)?);
        let rest = deficit.saturating_sub(to_wad(pay, unit)?);
        let now = U256::from(self.vm().block_timestamp());
        let since = if old.is_zero() { now } else { since };
        let grace = misc::ADL_GRACE.of(self.misc.get());
        let (socialised, debt) = if !rest.is_zero() && now >= since + grace {
            (rest, U256::ZERO)
        } else {
            (U256::ZERO, rest)
        };
        let since = if debt.is_zero() { U256::ZERO } else { since };

        let mut book = self.accounts.setter(account);
        let word = acct::DEBT.with(book.debt.get(), debt)?;
        book.debt.set(acct::SINCE.with(word, since)?);
        let l = self.ledger.get();
        // Cannot underflow: the total includes this account's recorded debt.
        let outstanding = ledger::OUTSTANDING.of(l) - old + debt;
        let l = ledger::OUTSTANDING.with(l, outstanding)?;
        let total = ledger::SOCIALISED.of(l) + socialised;
        self.ledger.set(ledger::SOCIALISED.with(l, total)?);
        if !pay.is_zero() {
            self.deposit(account, pay)?;
            self.emit(
                &[events::Cover::SIGNATURE_HASH, account.word()],
                &[pay.word()],
            );
        }
        if !socialised.is_zero() {
            self.socialise(account, socialised)?;
            self.emit(
                &[events::Socialise::SIGNATURE_HASH, account.word()],
                &[socialised.word()],
            );
        }
        if debt != old {
            self.emit(
                &[events::BadDebt::SIGNATURE_HASH, account.word()],
                &[debt.word(), since.word()],
            );
        }
        Ok((pay, socialised, debt))
    }

    /// Recorded bad debt the fund cannot pay, WAD.
    fn uncovered(&self) -> Result<U256> {
        let outstanding = ledger::OUTSTANDING.of(self.ledger.get());
        if outstanding.is_zero() {
            return Ok(U256::ZERO);
        }
        Ok(outstanding.saturating_sub(to_wad(self.fund()?, self.quote_unit())?))
    }

    pub(crate) fn deleverage(&mut self, account: U256, market: U256) -> Result<I256> {
        let (assets, before) = self.pool()?;
        // The ratio's allowance rounds up, so the excess (what to realise) never overshoots.
        let allowance = mul_wad_up(risk::ADL_RATIO.of(self.risk.get()), assets)?;
        let excess = positive(before).saturating_sub(allowance);
        let uncovered = self.uncovered()?;
        if excess.is_zero() && uncovered.is_zero() {
            return Err(errors::adl_not_allowed(before, assets, uncovered));
        }
        let (size, entry) = self.position(account, market)?;
        let price = self.price(self.market_asset(market)?)?;
        let full = abs(size);
        // In profit when the price moved the position's way: above entry for a long, below
        // for a short (rounded down).
        let (high, low) = if size.is_negative() {
            (entry, price)
        } else {
            (price, entry)
        };
        let profit = mul_wad_down(full, high.saturating_sub(low))?;
        if profit.is_zero() {
            return Err(errors::not_profitable(account, market));
        }
        // Realising `r` of profit lowers traderPnl by `r`; close the share of the position
        // whose profit is the excess (or the uncovered debt), rounded down.
        let target = excess.max(uncovered).min(profit);
        let mut close = mul_div_down(full, target, profit)?;
        let max = crate::records::caps::ADL_MAX.of(self.caps.get());
        if !max.is_zero() {
            close = close.min(div_wad_down(max, price)?);
        }
        if close.is_zero() {
            return Err(errors::nothing_to_close(account, market));
        }
        let delta = toward_zero(size, close)?;
        let realised = self.confiscate(account, market, delta, price)?;
        let mut haircut = U256::ZERO;
        if !uncovered.is_zero() && realised.is_positive() {
            // The trader absorbs the loss up to its margin headroom: never made liquidatable.
            let (equity, mm) = self.health(account)?;
            let headroom = positive(equity).saturating_sub(mm);
            haircut = realised.into_raw().min(uncovered).min(headroom);
            if !haircut.is_zero() {
                self.charge(account, haircut)?;
            }
        }
        let (_, after) = self.pool()?;
        if after >= before {
            return Err(errors::adl_no_effect(before, after));
        }
        let keeper = self.vm().msg_sender();
        self.emit(
            &[
                events::Adl::SIGNATURE_HASH,
                account.word(),
                market.word(),
                keeper.word(),
            ],
            &[iword(delta), price.word(), iword(realised), haircut.word()],
        );
        Ok(delta)
    }
}
