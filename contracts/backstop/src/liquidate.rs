//! Tranche liquidation: choosing the position, sizing the tranche, the rate limit, the penalty
//! split and the seizure of collateral for an auction. See the crate docs for the rules.

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use keel_common::abi::Word;
use keel_math::{abs, div_wad_down, div_wad_up, mul_div_up, mul_wad_down, mul_wad_up, MathError};
use stylus_sdk::prelude::*;

use crate::{
    calls::{iword, IERC20},
    errors::{self, Result},
    events,
    records::{
        account as acct, caps, market as mkt, misc, risk, to_wad, token, units_down, units_up,
        update,
    },
    Backstop,
};

/// What a liquidation call would do to an account now.
pub(crate) struct Plan {
    /// The market of the riskiest position (0: the account has none).
    pub(crate) market: U256,
    /// The size delta to apply (toward zero; zero if a bound leaves nothing).
    pub(crate) delta: I256,
    /// The oracle price the tranche closes at.
    pub(crate) price: U256,
    /// `|delta| · price`, rounded up, WAD.
    pub(crate) notional: U256,
    /// The tranche's penalty, WAD.
    pub(crate) penalty: U256,
    /// Positions the account holds after the tranche.
    pub(crate) left: usize,
    /// The market's rate-limit counter before the tranche, rolled to now, if it is limited:
    /// `(current, previous, start, used, limit)`.
    pub(crate) flow: Option<[U256; 5]>,
}

/// `x` as an unsigned value, zero if negative.
pub(crate) fn positive(x: I256) -> U256 {
    if x.is_negative() {
        U256::ZERO
    } else {
        x.into_raw()
    }
}

/// `magnitude` with the sign that moves `size` toward zero.
pub(crate) fn toward_zero(size: I256, magnitude: U256) -> Result<I256> {
    // Callers pass at most `|size|`, so the magnitude fits; checked all the same.
    if magnitude > I256::MAX.into_raw() {
        return Err(MathError::Overflow.into());
    }
    let m = I256::from_raw(magnitude);
    Ok(if size.is_negative() {
        m
    } else {
        m.wrapping_neg()
    })
}

impl Backstop {
    /// `market`'s two-bucket counter rolled to now: `(current, previous, start, used)`, where
    /// `used` is the sliding-window estimate (rounded up). `window` must not be zero.
    fn roll(&self, market: U256, window: U256) -> Result<[U256; 4]> {
        let m = self.markets.getter(market);
        let now = U256::from(self.vm().block_timestamp());
        let counter = m.counter.get();
        let (mut current, mut previous) = (mkt::CURRENT.of(counter), mkt::PREVIOUS.of(counter));
        let mut start = mkt::START.of(m.clock.get());
        let elapsed = now.saturating_sub(start);
        if elapsed >= window + window {
            (current, previous, start) = (U256::ZERO, U256::ZERO, now);
        } else if elapsed >= window {
            (current, previous, start) = (U256::ZERO, current, start + window);
        }
        let left = window - now.saturating_sub(start);
        let used = current + mul_div_up(previous, left, window)?;
        Ok([current, previous, start, used])
    }

    /// Sizes the next tranche of `account` (see the crate docs).
    pub(crate) fn plan(&self, account: U256) -> Result<Plan> {
        let (equity, mm) = self.health(account)?;
        let mut plan = Plan {
            market: U256::ZERO,
            delta: I256::ZERO,
            price: U256::ZERO,
            notional: U256::ZERO,
            penalty: U256::ZERO,
            left: 0,
            flow: None,
        };
        // The riskiest position: largest |size| · price · m.
        let mut best = (I256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO);
        for word in self.markets(account)?.chunks_exact(32) {
            let market = U256::from_be_slice(word);
            let (size, _) = self.position(account, market)?;
            if size.is_zero() {
                continue;
            }
            plan.left += 1;
            let asset = self.market_asset(market)?;
            let price = self.price(asset)?;
            let m = self.maintenance(asset)?;
            let risk = mul_wad_down(mul_wad_down(abs(size), price)?, m)?;
            if plan.market.is_zero() || risk > best.3 {
                plan.market = market;
                best = (size, price, m, risk);
            }
        }
        let (size, price, m, _) = best;
        if plan.market.is_zero() {
            return Ok(plan);
        }
        let full = abs(size);
        let r = self.risk.get();
        let (th, pi) = (risk::TARGET_HEALTH.of(r), risk::PENALTY.of(r));
        // tH·MM − E: positive whenever the account is liquidatable (E < MM ≤ tH·MM).
        let target = mul_wad_up(th, mm)?;
        let need = if equity.is_negative() {
            target.checked_add(abs(equity)).ok_or(MathError::Overflow)?
        } else {
            target.saturating_sub(equity.into_raw())
        };
        let gain = mul_wad_down(th, m)?.saturating_sub(pi);
        let mut close = if need.is_zero() {
            U256::ZERO
        } else if gain.is_zero() {
            full
        } else {
            // N = need / gain, then its size at `price`, both rounded up: one call suffices.
            div_wad_up(div_wad_up(need, gain)?, price)?.min(full)
        };
        let book = self.markets.getter(plan.market);
        let bounds = book.bounds.get();
        let (max_lot, limit) = (mkt::MAX_LOT.of(bounds), mkt::LIMIT.of(bounds));
        let window = mkt::WINDOW.of(book.clock.get());
        if !max_lot.is_zero() {
            close = close.min(div_wad_down(max_lot, price)?);
        }
        if !limit.is_zero() && !window.is_zero() {
            let [current, previous, start, used] = self.roll(plan.market, window)?;
            close = close.min(div_wad_down(limit.saturating_sub(used), price)?);
            plan.flow = Some([current, previous, start, used, limit]);
        }
        if close == full {
            plan.left -= 1;
        }
        plan.delta = toward_zero(size, close)?;
        plan.price = price;
        plan.notional = mul_wad_up(close, price)?;
        // Capped by positive equity: a bankrupt account pays no penalty.
        plan.penalty = mul_wad_up(pi, plan.notional)?.min(positive(equity));
        Ok(plan)
    }

    pub(crate) fn liquidate_account(
        &mut self,
        account: U256,
        keeper: Address,
    ) -> Result<(U256, I256, U256)> {
        if !self.is_liquidatable(account)? {
            return Err(errors::not_liquidatable(account));
        }
        let plan = self.plan(account)?;

        if !plan.market.is_zero() {
            if plan.delta.is_zero() {
                return Err(match plan.flow {
                    Some([.., used, limit]) => errors::rate_limited(plan.market, used, limit),
                    None => errors::nothing_to_liquidate(account),
                });
            }
            if let Some([current, previous, start, ..]) = plan.flow {
                let mut m = self.markets.setter(plan.market);
                let counter = mkt::CURRENT.with(U256::ZERO, current + plan.notional)?;
                m.counter.set(mkt::PREVIOUS.with(counter, previous)?);
                update(&mut m.clock, mkt::START, start)?;
            }
            self.confiscate(account, plan.market, plan.delta, plan.price)?;
            let reward = self.collect(account, plan.penalty, keeper)?;
            self.emit(
                &[
                    events::Liquidate::SIGNATURE_HASH,
                    account.word(),
                    plan.market.word(),
                    keeper.word(),
                ],
                &[
                    iword(plan.delta),
                    plan.price.word(),
                    plan.notional.word(),
                    plan.penalty.word(),
                    reward.word(),
                ],
            );
        }
        if plan.left == 0 && !self.seize_for(account, keeper)? && plan.market.is_zero() {
            return Err(errors::nothing_to_liquidate(account));
        }
        Ok((plan.market, plan.delta, plan.penalty))
    }

    /// Charges `penalty` WAD of `account` to the Backstop and pays `keeper` its share (quote
    /// units, rounded down); returns the reward paid.
    fn collect(&mut self, account: U256, penalty: U256, keeper: Address) -> Result<U256> {
        if penalty.is_zero() {
            return Ok(U256::ZERO);
        }
        self.charge(account, penalty)?;
        let received = units_down(penalty, self.quote_unit())?;
        let share = risk::KEEPER_SHARE.of(self.risk.get());
        let reward = mul_wad_down(received, share)?.min(caps::KEEPER_CAP.of(self.caps.get()));
        if keeper.is_zero() || reward.is_zero() {
            return Ok(U256::ZERO);
        }
        let words = [keeper.word(), reward.word()];
        self.token_call(self.quote.get(), IERC20::transferCall::SELECTOR, &words)?;
        Ok(reward)
    }

    /// WAD per quote unit.
    pub(crate) fn quote_unit(&self) -> U256 {
        misc::UNIT.of(self.misc.get())
    }

    /// Seizes collateral of `account` for the part of its negative quote balance not yet under
    /// auction, and kicks an auction. False when there is no such deficit or no auctionable
    /// collateral with room.
    fn seize_for(&mut self, account: U256, keeper: Address) -> Result<bool> {
        let balance = self.quote_balance(account)?;
        if !balance.is_negative() {
            return Ok(false);
        }
        let unit = self.quote_unit();
        let under_auction = to_wad(acct::TAB.of(self.accounts.getter(account).book.get()), unit)?;
        let uncovered = abs(balance).saturating_sub(under_auction);
        if uncovered.is_zero() {
            return Ok(false);
        }
        let mut pick = None;
        for i in 0..self.tokens.len() {
            let token = self.tokens.get(i).unwrap_or_default();
            let held = self.collateral_of(account, token)?;
            if held.is_zero() {
                continue;
            }
            let room = self.room(token)?;
            if !room.is_zero() {
                pick = Some((token, held, room));
                break;
            }
        }
        let Some((token, held, room)) = pick else {
            return Ok(false);
        };
        let tab = units_up(uncovered, unit)?.min(room);
        let price = self.price(token)?;
        let token_unit = token::UNIT.of(self.token_info.get(token));
        let lot = units_up(div_wad_up(to_wad(tab, unit)?, price)?, token_unit)?.min(held);
        let [_, chip, tip, tol, last] = self.auction_rules(token)?;
        // A kick the Liquidator would refuse (stopped, or its price-drop breaker tripped)
        // is skipped rather than let it revert the tranche before it: the collateral stays
        // with the account until a later call.
        if self.auctions_stopped()? || price < mul_wad_up(last, tol)? {
            return Ok(false);
        }
        let coin = tip
            .checked_add(mul_wad_down(tab, chip)?)
            .ok_or(MathError::Overflow)?;
        let owner = self.owner_of(account)?;

        let mut book = self.accounts.setter(account);
        let (b, d) = (book.book.get(), book.debt.get());
        book.book.set(acct::TAB.with(b, acct::TAB.of(b) + tab)?);
        let count = acct::AUCTIONS.of(d) + U256::from(1);
        book.debt.set(acct::AUCTIONS.with(d, count)?);
        // The kick reward comes from the fund; without it the kick goes unrewarded.
        let paid = if !keeper.is_zero() && self.fund()? >= coin {
            keeper
        } else {
            Address::ZERO
        };
        self.seize(account, token, lot)?;
        let id = self.kick(tab, lot, token, account, owner, paid)?;
        self.auctions.setter(id).set(account);
        self.emit(
            &[
                events::Kick::SIGNATURE_HASH,
                id.word(),
                account.word(),
                token.word(),
            ],
            &[lot.word(), tab.word(), paid.word()],
        );
        Ok(true)
    }
}
