//! The vault's flows: reading NAV once per call, recording the high-water mark and band,
//! deposits and withdrawals with their share pools, and the rebalance.

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::{SolError, SolEvent};
use keel_common::abi::Word;
use keel_math::{div_down, div_up, mul_div_up, mul_wad_down, mul_wad_up, SharePool, WAD};
use stylus_sdk::prelude::*;

use crate::{
    cppi::{self, Rules},
    errors::{self, exceeded, of_address, of_uint, plain, Result},
    events,
    params::{self, Status, PAUSE_DEPOSITS, PAUSE_RISK, U128_MAX},
    DrawdownVault,
};

/// What one call reads of the vault and its engine account, once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Snapshot {
    /// `max(0, equity)`, WAD.
    pub(crate) nav: U256,
    /// The account's initial margin, WAD.
    pub(crate) initial: U256,
    /// Shares in existence.
    pub(crate) supply: U256,
    /// The vault's status word.
    pub(crate) status: Status,
    /// NAV per share, WAD.
    pub(crate) nav_per_share: U256,
    /// `max(recorded mark, nav_per_share)`; `nav_per_share` when no shares are outstanding.
    pub(crate) hwm: U256,
    /// Drawdown from `hwm`, WAD.
    pub(crate) drawdown: U256,
}

/// The position and its price.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Market {
    /// Signed size, WAD base.
    pub(crate) size: I256,
    /// Oracle price, WAD (0 when not read: no position and none needed).
    pub(crate) price: U256,
    /// The oracle's `isValid` (true when not read).
    pub(crate) valid: bool,
    /// The engine's quote for closing the whole position: `None` when not read (a rebalance)
    /// or when the engine cannot quote (the price invalid); zero without a position.
    pub(crate) exit: Option<Exit>,
}

impl Market {
    /// The engine's quote for closing the whole position.
    ///
    /// # Errors
    /// `VaultNoPrice` when there is none (the price invalid, or not read).
    pub(crate) fn exit(&self) -> Result<Exit> {
        self.exit
            .ok_or_else(|| plain(errors::VaultNoPrice::SELECTOR))
    }
}

/// The engine's quote for closing the whole position.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Exit {
    /// Fill price of the close, WAD (a sell below the price for a long, a buy above for a
    /// short); the same for any part of it.
    pub(crate) fill: U256,
    /// What the close costs the account, WAD quote ([`cppi::close_cost`]).
    pub(crate) cost: U256,
}

/// How withdrawals and redemptions are priced now: the pool at the exit NAV, and the fixed
/// [`cppi::exit_charge`] (quote units, rounded up; zero without a position) each one pays.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExitPrice {
    /// Shares over NAV less the whole close's cost, rounded down.
    pub(crate) pool: SharePool,
    /// Quote units taken from each exit.
    pub(crate) charge: U256,
}

impl ExitPrice {
    /// Assets a redemption of `shares` pays, rounded down.
    ///
    /// # Errors
    /// [`MathError`](keel_math::MathError) beyond 256 bits.
    pub(crate) fn assets_for(&self, shares: U256) -> Result<U256> {
        Ok(self
            .pool
            .to_assets_down(shares)?
            .saturating_sub(self.charge))
    }

    /// Shares a withdrawal of `assets` burns, rounded up; none for none (a zero withdrawal
    /// trades nothing, so it owes no charge).
    ///
    /// # Errors
    /// [`MathError`](keel_math::MathError) beyond 256 bits.
    pub(crate) fn shares_for(&self, assets: U256) -> Result<U256> {
        if assets.is_zero() {
            return Ok(U256::ZERO);
        }
        let gross = assets
            .checked_add(self.charge)
            .ok_or(keel_math::MathError::Overflow)?;
        Ok(self.pool.to_shares_up(gross)?)
    }
}

impl Snapshot {
    /// A pool of this supply over `nav` (WAD) converted to quote units, rounded up or down.
    fn pool(&self, nav: U256, up: bool) -> Result<SharePool> {
        let unit = self.status.unit();
        let assets = if up {
            div_up(nav, unit)?
        } else {
            div_down(nav, unit)?
        };
        Ok(SharePool {
            supply: self.supply,
            assets,
            offset: self.status.offset(),
        })
    }

    /// Deposits and mints: NAV rounded up, so the caller never gets a share cheaper than it is.
    pub(crate) fn entry(&self) -> Result<SharePool> {
        self.pool(self.nav, true)
    }

    /// `totalAssets` and the ideal conversions: NAV rounded down.
    pub(crate) fn ideal(&self) -> Result<SharePool> {
        self.pool(self.nav, false)
    }
}

impl DrawdownVault {
    pub(crate) fn init(
        &mut self,
        quote: Address,
        engine: Address,
        oracle: Address,
        model: Address,
        market: U256,
        admin: Address,
    ) -> Result<()> {
        let decimals = self.decimals_of(quote)?;
        if decimals > 18 {
            return Err(of_uint(
                errors::VaultUnsupportedDecimals::SELECTOR,
                U256::from(decimals),
            ));
        }
        self.quote.set(quote);
        self.status.set(U256::from_limbs(Status::new(decimals).0));
        self.engine.set(engine);
        self.oracle.set(oracle);
        self.model.set(model);
        self.market.set(market);
        let asset = self.market_asset(engine, market)?;
        self.asset.set(asset);
        let account = self.open_account(engine)?;
        self.account.set(account);
        let [rules, strategy, moves, money] = params::DEFAULTS;
        self.rules.set(rules);
        self.strategy.set(strategy);
        self.moves.set(moves);
        self.money.set(money);
        self.hwm.set(WAD);
        self.wards.setter(admin).set(true);
        self.emit(&[events::Rely::SIGNATURE_HASH, admin.word()], &[]);
        self.emit_drawdown(WAD, WAD, U256::ZERO, cppi::NORMAL);
        Ok(())
    }

    /// The status word.
    pub(crate) fn status_now(&self) -> Status {
        Status(self.status.get().into_limbs())
    }

    /// Writes the status word.
    pub(crate) fn set_status(&mut self, status: Status) {
        self.status.set(U256::from_limbs(status.0));
    }

    /// The CPPI rules in force.
    pub(crate) fn rules_now(&self) -> Rules {
        let (rules, strategy) = (self.rules.get(), self.strategy.get());
        Rules {
            max_drawdown: params::MAX_DRAWDOWN.of(rules),
            soft_drawdown: params::SOFT_DRAWDOWN.of(rules),
            multiplier: params::MULTIPLIER.of(rules),
            leverage: params::LEVERAGE
                .of(strategy)
                .min(params::MAX_LEVERAGE.of(strategy)),
        }
    }

    /// `slippage`, WAD.
    fn slippage(&self) -> U256 {
        params::SLIPPAGE.of(self.rules.get())
    }

    /// Reads NAV and the supply, and derives NAV per share and drawdown.
    pub(crate) fn snapshot(&self) -> Result<Snapshot> {
        let health = self.health()?;
        let nav = if health.equity.is_negative() {
            U256::ZERO
        } else {
            health.equity.into_raw()
        };
        let status = self.status_now();
        let supply = self.supply.get();
        let nav_per_share = cppi::nav_per_share(nav, supply, status.offset())?;
        // With no shares outstanding there is no holder whose drawdown to measure: the mark
        // restarts at the current price, so that an emptied vault does not halt its next
        // depositor.
        let hwm = if supply.is_zero() {
            nav_per_share
        } else {
            self.hwm.get().max(nav_per_share)
        };
        Ok(Snapshot {
            nav,
            initial: health.initial,
            supply,
            status,
            nav_per_share,
            hwm,
            drawdown: cppi::drawdown(nav_per_share, hwm)?,
        })
    }

    /// `totalAssets`.
    pub(crate) fn assets_now(&self) -> Result<U256> {
        Ok(self.snapshot()?.ideal()?.assets)
    }

    /// The pool of the ideal conversions.
    pub(crate) fn ideal_pool(&self) -> Result<SharePool> {
        self.snapshot()?.ideal()
    }

    /// The position, and when there is one its price and the engine's quote for closing it
    /// (read only while the oracle vouches for the price: the engine quotes nothing else).
    pub(crate) fn market_now(&self) -> Result<Market> {
        let size = self.size()?;
        if size.is_zero() {
            return Ok(Market {
                size,
                price: U256::ZERO,
                valid: true,
                exit: Some(Exit::default()),
            });
        }
        let mut m = self.priced(size)?;
        if m.valid {
            let (fill, fee) = self.quote_trade(-size)?;
            let cost = cppi::close_cost(size, m.price, fill, fee)?;
            m.exit = Some(Exit { fill, cost });
        }
        Ok(m)
    }

    /// The position of `size` with the oracle's price.
    fn priced(&self, size: I256) -> Result<Market> {
        let (price, valid) = self.price_data()?;
        Ok(Market {
            size,
            price,
            valid,
            exit: None,
        })
    }

    /// Withdrawals and redemptions: NAV less what closing the whole position costs at the
    /// engine's quote, rounded down, and the exit charge.
    ///
    /// # Errors
    /// `VaultNoPrice` with a position open and no quote for closing it (the price invalid):
    /// an exit would revert then too.
    pub(crate) fn exit_price(&self, s: &Snapshot, m: &Market) -> Result<ExitPrice> {
        let exit = m.exit()?;
        let charge = if m.size.is_zero() {
            U256::ZERO
        } else {
            div_up(cppi::exit_charge(exit.cost, m.size)?, s.status.unit())?
        };
        Ok(ExitPrice {
            pool: s.pool(s.nav.saturating_sub(exit.cost), false)?,
            charge,
        })
    }

    /// Records a new high-water mark, the band, and the halt at the hard cap.
    pub(crate) fn settle(&mut self, s: &Snapshot) -> Result<()> {
        let raised = s.hwm != self.hwm.get();
        if raised {
            self.hwm.set(s.hwm);
        }
        let rules = self.rules_now();
        let status = s.status;
        let band = if status.halted() {
            cppi::HALTED
        } else {
            cppi::band(s.drawdown, rules.soft_drawdown, rules.max_drawdown)
        };
        if band == cppi::HALTED && !status.halted() {
            let now = U256::from(self.vm().block_timestamp());
            let strategy = params::HALTED_AT.with(self.strategy.get(), now);
            self.strategy.set(strategy);
        }
        if raised || band != status.band() {
            let halted = band == cppi::HALTED;
            self.set_status(status.with_band(band).with_halted(halted));
            self.emit_drawdown(s.nav_per_share, s.hwm, s.drawdown, band);
        }
        Ok(())
    }

    /// Logs [`events::Drawdown`].
    pub(crate) fn emit_drawdown(&self, nav_per_share: U256, hwm: U256, dd: U256, band: u8) {
        self.emit(
            &[events::Drawdown::SIGNATURE_HASH],
            &[nav_per_share.word(), hwm.word(), dd.word(), band.word()],
        );
    }

    /// `(maxDeposit, maxMint)` in state `s`.
    fn entry_max(&self, s: &Snapshot) -> Result<(U256, U256)> {
        if s.status.paused() & PAUSE_DEPOSITS != 0 {
            return Ok((U256::ZERO, U256::ZERO));
        }
        let cap = params::DEPOSIT_CAP.of(self.money.get());
        if cap == U128_MAX {
            return Ok((U256::MAX, U256::MAX));
        }
        let room = cap.saturating_sub(s.ideal()?.assets);
        Ok((room, s.entry()?.to_shares_down(room)?))
    }

    /// `(maxDeposit, maxMint)` now.
    pub(crate) fn entry_limits(&self) -> Result<(U256, U256)> {
        self.entry_max(&self.snapshot()?)
    }

    /// `(maxWithdraw, maxRedeem)` of `owner` in state `s`: nothing while a position is open and
    /// the engine could not reduce it (price invalid) or would not let quote out (negative
    /// quote balance; a proportional shrink keeps its sign).
    fn exit_max(&self, s: &Snapshot, m: &Market, owner: Address) -> Result<(U256, U256)> {
        if !m.size.is_zero() && (!m.valid || self.quote_balance()?.is_negative()) {
            return Ok((U256::ZERO, U256::ZERO));
        }
        let shares = self.balances.get(owner);
        Ok((self.exit_price(s, m)?.assets_for(shares)?, shares))
    }

    /// `(maxWithdraw, maxRedeem)` of `owner` now.
    pub(crate) fn exit_limits(&self, owner: Address) -> Result<(U256, U256)> {
        let s = self.snapshot()?;
        let m = self.market_now()?;
        self.exit_max(&s, &m, owner)
    }

    /// Deposit (`amount` assets) or mint (`amount` shares) for `receiver`.
    pub(crate) fn enter(&mut self, amount: U256, is_mint: bool, receiver: Address) -> Result<U256> {
        if receiver.is_zero() {
            return Err(of_address(errors::ERC20InvalidReceiver::SELECTOR, receiver));
        }
        let s = self.snapshot()?;
        self.settle(&s)?;
        let pool = s.entry()?;
        let (max_assets, max_shares) = self.entry_max(&s)?;
        let (assets, shares) = if is_mint {
            if amount > max_shares {
                let selector = errors::ERC4626ExceededMaxMint::SELECTOR;
                return Err(exceeded(selector, receiver, amount, max_shares));
            }
            (pool.to_assets_up(amount)?, amount)
        } else {
            if amount > max_assets {
                let selector = errors::ERC4626ExceededMaxDeposit::SELECTOR;
                return Err(exceeded(selector, receiver, amount, max_assets));
            }
            (amount, pool.to_shares_down(amount)?)
        };
        let caller = self.vm().msg_sender();
        self.mint_shares(receiver, shares)?;
        if !assets.is_zero() {
            self.fund(caller, assets)?;
        }
        self.emit(
            &[
                events::Deposit::SIGNATURE_HASH,
                caller.word(),
                receiver.word(),
            ],
            &[assets.word(), shares.word()],
        );
        Ok(if is_mint { assets } else { shares })
    }

    /// Withdraw (`amount` assets) or redeem (`amount` shares) of `owner` to `receiver`.
    pub(crate) fn leave(
        &mut self,
        amount: U256,
        is_redeem: bool,
        receiver: Address,
        owner: Address,
    ) -> Result<U256> {
        if receiver.is_zero() {
            return Err(of_address(errors::ERC20InvalidReceiver::SELECTOR, receiver));
        }
        let s = self.snapshot()?;
        self.settle(&s)?;
        let m = self.market_now()?;
        let (max_assets, max_shares) = self.exit_max(&s, &m, owner)?;
        if is_redeem && amount > max_shares {
            let selector = errors::ERC4626ExceededMaxRedeem::SELECTOR;
            return Err(exceeded(selector, owner, amount, max_shares));
        }
        if !is_redeem && amount > max_assets {
            let selector = errors::ERC4626ExceededMaxWithdraw::SELECTOR;
            return Err(exceeded(selector, owner, amount, max_assets));
        }
        let price = self.exit_price(&s, &m)?;
        let (assets, shares) = if is_redeem {
            (price.assets_for(amount)?, amount)
        } else {
            (amount, price.shares_for(amount)?)
        };
        let caller = self.vm().msg_sender();
        if caller != owner {
            self.spend_allowance(owner, caller, shares)?;
        }
        self.burn_shares(owner, shares)?;
        if !m.size.is_zero() && !shares.is_zero() {
            self.shrink_for(&s, &m, shares)?;
        }
        if !assets.is_zero() {
            self.pay(receiver, assets)?;
        }
        self.emit(
            &[
                events::Withdraw::SIGNATURE_HASH,
                caller.word(),
                receiver.word(),
                owner.word(),
            ],
            &[assets.word(), shares.word()],
        );
        Ok(if is_redeem { assets } else { shares })
    }

    /// Shrinks the position for a withdrawal of `shares` (of the supply in `s`), at the
    /// engine's quote (`m.exit`, read in this call): the price limit is the quoted fill.
    fn shrink_for(&mut self, s: &Snapshot, m: &Market, shares: U256) -> Result<()> {
        let exit = m.exit()?;
        let fraction = mul_div_up(shares, WAD, s.supply)?;
        // Below initial margin, shrink against the exit NAV: what is left then covers the
        // margin of what is kept even after paying for the exit.
        let part = cppi::shrink(fraction, s.nav.saturating_sub(exit.cost), s.initial)?;
        let whole = m.size.unsigned_abs();
        let magnitude = mul_wad_up(whole, part)?.min(whole);
        let magnitude = keel_math::to_signed(magnitude)?;
        let delta = if m.size.is_negative() {
            magnitude
        } else {
            -magnitude
        };
        let now = U256::from(self.vm().block_timestamp());
        let fill = self.trade(delta, exit.fill, now)?;
        self.check_cost(s.nav, cppi::close_allowance(exit.cost, part, m.size)?)?;
        self.emit(
            &[events::Shrink::SIGNATURE_HASH],
            &[delta.into_raw().word(), fill.word()],
        );
        Ok(())
    }

    /// The price limit of a trade of `delta`: the oracle `price ± slippage`, tightened by the
    /// caller's `limit` (0: none).
    fn limit(&self, delta: I256, price: U256, limit: U256) -> Result<U256> {
        let slippage = self.slippage();
        Ok(if delta.is_positive() {
            let own = mul_wad_down(price, WAD + slippage)?;
            if limit.is_zero() {
                own
            } else {
                own.min(limit)
            }
        } else {
            mul_wad_up(price, WAD - slippage)?.max(limit)
        })
    }

    /// A trade may not have cost the account more than `allowed` of equity (WAD).
    fn check_cost(&self, nav_before: U256, allowed: U256) -> Result<()> {
        let equity = self.health()?.equity;
        let after = if equity.is_negative() {
            U256::ZERO
        } else {
            equity.into_raw()
        };
        let cost = nav_before.saturating_sub(after);
        if cost > allowed {
            return Err(errors::trade_cost(cost, allowed));
        }
        Ok(())
    }

    /// The notional a rebalance moves toward (see `targetExposure`).
    pub(crate) fn aim(&self, s: &Snapshot, m: &Market) -> Result<I256> {
        if s.status.halted() {
            return Ok(I256::ZERO);
        }
        let rules = self.rules_now();
        let size = cppi::target(
            &rules,
            s.nav,
            s.supply,
            s.nav_per_share,
            s.hwm,
            self.max_leverage()?,
        )?;
        let size = keel_math::to_signed(size)?;
        let target = if s.status.long() { size } else { -size };
        let price = if m.price.is_zero() && m.size.is_zero() {
            self.price_data()?
        } else {
            (m.price, m.valid)
        };
        if price.1 && s.status.paused() & PAUSE_RISK == 0 {
            return Ok(target);
        }
        Ok(cppi::reduce_only(target, cppi::notional(m.size, price.0)?))
    }

    pub(crate) fn rebalance_now(
        &mut self,
        price_limit: U256,
        deadline: U256,
    ) -> Result<(I256, U256)> {
        let now = U256::from(self.vm().block_timestamp());
        if now > deadline {
            return Err(of_uint(errors::VaultDeadlinePassed::SELECTOR, deadline));
        }
        let s = self.snapshot()?;
        self.settle(&s)?;
        let size = self.size()?;
        let m = self.priced(size)?;
        if m.price.is_zero() {
            return Err(plain(errors::VaultNoPrice::SELECTOR));
        }
        let target = self.aim(&s, &m)?;
        let current = cppi::notional(size, m.price)?;
        let (moves, halted) = (self.moves.get(), self.status_now().halted());
        let max_step = (!halted).then(|| params::MAX_STEP.of(moves));
        let delta = cppi::step(size, current, target, m.price, max_step)?;
        if delta.is_zero() {
            return Ok((I256::ZERO, U256::ZERO));
        }
        let fill = self.trade(delta, self.limit(delta, m.price, price_limit)?, deadline)?;
        let moved = cppi::notional(delta, m.price)?.unsigned_abs();
        self.check_cost(s.nav, mul_wad_up(moved, self.slippage())?)?;
        let mut tip = if moved >= params::MIN_MOVE.of(moves) {
            params::TIP_CAP.of(self.money.get())
        } else {
            U256::ZERO
        };
        let caller = self.vm().msg_sender();
        // A tip the engine will not let out (the account below its initial margin, or its
        // quote balance too low) is skipped rather than blocking the trade: de-risking must
        // not depend on paying the keeper. The failed call changed nothing.
        if !tip.is_zero() && self.pay(caller, tip).is_err() {
            tip = U256::ZERO;
        }
        self.emit(
            &[events::Rebalance::SIGNATURE_HASH, caller.word()],
            &[
                delta.into_raw().word(),
                fill.word(),
                target.into_raw().word(),
                tip.word(),
            ],
        );
        Ok((delta, tip))
    }
}
