//! The life of an auction: kick, take, redo, and the read-only status keepers poll.
//!
//! Each state-changing function follows checks → effects → interactions: every storage write
//! is made (and flushed by the SDK) before the first call out, so a callee that calls back
//! sees a consistent state; a take also holds the lock across its calls.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolEvent;
use keel_common::abi::Word;
use keel_math::{mul_wad_up, MathError};
use stylus_sdk::prelude::*;

use crate::{
    curve::Curve,
    errors::{self, Result},
    events,
    records::{asset, caps, head, sale, word},
    sale::{coin, fill, needs_redo, Fill, Scale},
    Liquidator,
};

/// Stop levels at which each action halts.
const KICK_STOPS: u8 = 1;
const REDO_STOPS: u8 = 2;
const TAKE_STOPS: u8 = 3;

/// The storage key of auction `id`; `None` for ids that were never issued in 64 bits.
pub(crate) fn key(id: U256) -> Option<u64> {
    u64::try_from(id).ok()
}

/// A running auction as a take, a redo or `getStatus` sees it.
pub(crate) struct Running {
    key: u64,
    asset: Address,
    tab: U256,
    lot: U256,
    /// The sale's `clock` word: `engine`, `tic`, `pos`.
    clock: U256,
    price: U256,
    done: bool,
    scale: Scale,
}

impl Liquidator {
    /// `min(Hole − Dirt, hole − dirt)`, each floored at zero.
    pub(crate) fn room_of(&self, token: Address) -> U256 {
        let free = |word: U256| caps::HOLE.of(word).saturating_sub(caps::DIRT.of(word));
        free(self.caps.get()).min(free(self.assets.getter(token).caps.get()))
    }

    /// The guarded oracle price of `token`; never zero.
    fn feed(&self, token: Address) -> Result<U256> {
        let price = self.price_from(self.oracle.get(), token)?;
        if price.is_zero() {
            return Err(errors::invalid_price(token, price));
        }
        Ok(price)
    }

    /// `top = price · buf`, rounded up (never below the intended start), as a `start` word
    /// with `token`; a top beyond 96 bits is an invalid price.
    fn start_word(&self, token: Address, price: U256) -> Result<U256> {
        let buf = asset::BUF.of(self.assets.getter(token).start.get());
        let top = mul_wad_up(price, buf)?;
        let start = sale::ASSET.with(U256::ZERO, word(token))?;
        sale::TOP
            .with(start, top)
            .map_err(|_| errors::invalid_price(token, price))
    }

    /// Auction `id`'s current price and whether it needs a redo; `None` if it is not running.
    pub(crate) fn running(&self, id: U256) -> Result<Option<Running>> {
        let Some(key) = key(id) else { return Ok(None) };
        let s = self.sales.getter(key);
        let clock = s.clock.get();
        if sale::ENGINE.of(clock).is_zero() {
            return Ok(None);
        }
        let (amounts, start) = (s.amounts.get(), s.start.get());
        let token = sale::ASSET.address(start);
        let top = sale::TOP.of(start);
        let tic = sale::TIC.small(clock);
        let rules = self.assets.getter(token).rules.get();
        let curve = Curve::new(
            asset::KIND.small(rules) as u8,
            asset::TAU.small(rules),
            asset::CUT.of(rules),
            asset::STEP.small(rules),
        )
        .ok_or(MathError::OutOfDomain)?;
        let now = self.vm().block_timestamp();
        let price = curve.price(top, now.saturating_sub(tic))?;
        let tail = asset::TAIL.small(rules);
        let done = needs_redo(now, tic, tail, top, price, asset::CUSP.of(rules))?;
        Ok(Some(Running {
            key,
            asset: token,
            tab: sale::TAB.of(amounts),
            lot: sale::LOT.of(amounts),
            clock,
            price,
            done,
            scale: Scale::from_exponent(asset::SCALE.small(rules) as u8),
        }))
    }

    pub(crate) fn status_of(&self, id: U256) -> Result<(bool, U256, U256, U256)> {
        Ok(match self.running(id)? {
            Some(r) => (r.done, r.price, r.lot, r.tab),
            None => (false, U256::ZERO, U256::ZERO, U256::ZERO),
        })
    }

    /// The keeper's reward for an auction of `token` with `tab` left; zero for no keeper.
    fn reward(&self, token: Address, tab: U256, keeper: Address) -> Result<U256> {
        if keeper.is_zero() {
            return Ok(U256::ZERO);
        }
        let a = self.assets.getter(token);
        let tip = asset::TIP.of(a.reward.get());
        let chip = asset::CHIP.of(a.start.get());
        Ok(coin(tip, chip, tab)?)
    }

    /// Records `price` as the last oracle price of `token`, for the price-drop breaker.
    fn remember(&mut self, token: Address, price: U256) -> Result<()> {
        let mut a = self.assets.setter(token);
        let reward = asset::LAST.with(a.reward.get(), price)?;
        a.reward.set(reward);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start(
        &mut self,
        tab: U256,
        lot: U256,
        token: Address,
        account: U256,
        owner: Address,
        keeper: Address,
    ) -> Result<U256> {
        self.auth()?;
        self.live(KICK_STOPS)?;
        if tab.is_zero() || lot.is_zero() || lot > U256::from(u128::MAX) || owner.is_zero() {
            return Err(errors::invalid_kick(tab, lot, owner));
        }
        let a = self.assets.getter(token);
        if asset::LISTED.of(a.rules.get()).is_zero() {
            return Err(errors::asset_not_listed(token));
        }
        let room = self.room_of(token);
        if tab > room {
            return Err(errors::hole_exceeded(token, tab, room));
        }
        let price = self.feed(token)?;
        let tol = asset::TOL.of(a.start.get());
        let last = asset::LAST.of(a.reward.get());
        if !tol.is_zero() && !last.is_zero() {
            // Rounded up: at the boundary the breaker trips rather than lets a kick through.
            let floor = mul_wad_up(last, tol)?;
            if price < floor {
                return Err(errors::price_drop_breaker(token, price, floor));
            }
        }
        let start = self.start_word(token, price)?;
        // The lot must already be here, on top of every running auction's lot of this asset.
        let book = a.book.get();
        let needed = asset::HELD.of(book) + lot;
        let balance = self.balance_of(token, self.vm().contract_address())?;
        if balance < needed {
            return Err(errors::lot_not_funded(token, balance, needed));
        }
        let coin = self.reward(token, tab, keeper)?;

        let engine = self.vm().msg_sender();
        let now = self.vm().block_timestamp();
        let id = self.head(head::KICKS) + U256::from(1);
        self.set_head(head::KICKS, id)?;
        let pos = self.head(head::COUNT);
        self.active.setter(pos.as_limbs()[0]).set(id);
        self.set_head(head::COUNT, pos + U256::from(1))?;
        let amounts = sale::LOT.with(sale::TAB.with(U256::ZERO, tab)?, lot)?;
        let clock = sale::ENGINE.with(U256::ZERO, word(engine))?;
        let clock = sale::TIC.with(clock, U256::from(now))?;
        let clock = sale::POS.with(clock, pos)?;
        let mut s = self.sales.setter(id.as_limbs()[0]);
        s.amounts.set(amounts);
        s.clock.set(clock);
        s.start.set(start);
        s.owner.set(word(owner));
        s.account.set(account);
        // `tab ≤ room` keeps both dirts within their caps, which fit their fields.
        let dirt = caps::DIRT.of(self.caps.get()) + tab;
        self.caps.set(caps::DIRT.with(self.caps.get(), dirt)?);
        let mut a = self.assets.setter(token);
        let caps_word = a.caps.get();
        a.caps
            .set(caps::DIRT.with(caps_word, caps::DIRT.of(caps_word) + tab)?);
        a.book.set(asset::HELD.with(book, needed)?);
        self.remember(token, price)?;

        if !coin.is_zero() {
            self.pull(self.quote_token(), engine, keeper, coin)?;
        }
        self.emit(
            &[
                events::Kick::SIGNATURE_HASH,
                id.word(),
                token.word(),
                engine.word(),
            ],
            &[
                account.word(),
                owner.word(),
                keeper.word(),
                sale::TOP.of(start).word(),
                tab.word(),
                lot.word(),
                coin.word(),
            ],
        );
        Ok(id)
    }

    pub(crate) fn buy(
        &mut self,
        id: U256,
        max_collateral: U256,
        max_price: U256,
        receiver: Address,
        data: &[u8],
    ) -> Result<(U256, U256)> {
        self.live(TAKE_STOPS)?;
        if max_collateral.is_zero() {
            return Err(errors::zero_take());
        }
        let r = self
            .running(id)?
            .ok_or_else(|| errors::auction_not_running(id))?;
        if r.done {
            return Err(errors::needs_redo(id));
        }
        if r.price > max_price {
            return Err(errors::price_above_max(r.price, max_price));
        }
        let book = self.assets.getter(r.asset).book.get();
        let chost = asset::CHOST.of(book);
        let Fill { slice, owe } = fill(r.tab, r.lot, r.price, max_collateral, chost, r.scale)?;
        // Cannot underflow: `fill` returns owe ≤ tab and slice ≤ lot.
        let (tab, lot) = (r.tab - owe, r.lot - slice);
        let closed = tab.is_zero() || lot.is_zero();
        // Once the tab is raised the rest of the lot goes home; once the lot is sold out the
        // rest of the tab is never raised.
        let returned = if tab.is_zero() { lot } else { U256::ZERO };
        let shortfall = if closed { tab } else { U256::ZERO };

        let engine = sale::ENGINE.address(r.clock);
        let s = self.sales.getter(r.key);
        let account = s.account.get();
        let owner = if returned.is_zero() {
            Address::ZERO
        } else {
            sale::OWNER.address(s.owner.get())
        };
        self.set_lock(true)?;
        // Cannot underflow: both dirts include this auction's whole tab, and `held` its lot.
        let freed = owe + shortfall;
        let global = self.caps.get();
        self.caps
            .set(caps::DIRT.with(global, caps::DIRT.of(global) - freed)?);
        let mut a = self.assets.setter(r.asset);
        let local = a.caps.get();
        a.caps
            .set(caps::DIRT.with(local, caps::DIRT.of(local) - freed)?);
        a.book
            .set(asset::HELD.with(book, asset::HELD.of(book) - slice - returned)?);
        if closed {
            self.remove(r.key, sale::POS.small(r.clock))?;
        } else {
            self.sales
                .setter(r.key)
                .amounts
                .set(sale::LOT.with(sale::TAB.with(U256::ZERO, tab)?, lot)?);
        }

        let taker = self.vm().msg_sender();
        self.send(r.asset, receiver, slice)?;
        if !data.is_empty() {
            self.flash_callback(receiver, taker, owe, slice, data)?;
        }
        self.pull(self.quote_token(), taker, engine, owe)?;
        if !returned.is_zero() {
            self.send(r.asset, owner, returned)?;
        }
        self.notify_engine(engine, id, account, owe, tab, closed)?;
        self.set_lock(false)?;

        self.emit(
            &[
                events::Take::SIGNATURE_HASH,
                id.word(),
                taker.word(),
                receiver.word(),
            ],
            &[
                r.price.word(),
                slice.word(),
                owe.word(),
                tab.word(),
                lot.word(),
            ],
        );
        if closed {
            self.emit(
                &[events::Close::SIGNATURE_HASH, id.word()],
                &[returned.word(), shortfall.word()],
            );
        }
        Ok((slice, owe))
    }

    pub(crate) fn restart(&mut self, id: U256, keeper: Address) -> Result<()> {
        self.live(REDO_STOPS)?;
        let r = self
            .running(id)?
            .ok_or_else(|| errors::auction_not_running(id))?;
        if !r.done {
            return Err(errors::redo_not_needed(id));
        }
        let price = self.feed(r.asset)?;
        let start = self.start_word(r.asset, price)?;
        let now = self.vm().block_timestamp();
        let clock = sale::TIC.with(r.clock, U256::from(now))?;
        let mut s = self.sales.setter(r.key);
        s.start.set(start);
        s.clock.set(clock);
        let chost = asset::CHOST.of(self.assets.getter(r.asset).book.get());
        // A redo earns a reward only if what is left is worth auctioning (Maker's rule): the
        // tab and the lot's value at the new price (rounded down) are both at least `chost`.
        let worth = r.tab >= chost && r.scale.value_down(r.lot, price)? >= chost;
        let coin = if worth {
            self.reward(r.asset, r.tab, keeper)?
        } else {
            U256::ZERO
        };
        self.remember(r.asset, price)?;

        if !coin.is_zero() {
            self.pull(
                self.quote_token(),
                sale::ENGINE.address(r.clock),
                keeper,
                coin,
            )?;
        }
        self.emit(
            &[events::Redo::SIGNATURE_HASH, id.word(), keeper.word()],
            &[
                sale::TOP.of(start).word(),
                r.tab.word(),
                r.lot.word(),
                coin.word(),
            ],
        );
        Ok(())
    }

    /// Deletes auction `key` at `pos` and takes it off the active list (swap with the last,
    /// pop).
    fn remove(&mut self, key: u64, pos: u64) -> Result<()> {
        // Cannot underflow: the auction being removed is on the list.
        let last = self.head(head::COUNT).as_limbs()[0] - 1;
        if pos != last {
            let moved = self.active.get(last);
            self.active.setter(pos).set(moved);
            let mut m = self.sales.setter(moved.as_limbs()[0]);
            let clock = sale::POS.with(m.clock.get(), U256::from(pos))?;
            m.clock.set(clock);
        }
        self.active.delete(last);
        self.set_head(head::COUNT, U256::from(last))?;
        self.sales.delete(key);
        Ok(())
    }
}
