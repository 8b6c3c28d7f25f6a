//! Trading: fill prices, the position arithmetic, the risk gates, and the Backstop's
//! reduce-only `confiscate`.

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::SolEvent;
use keel_common::abi::Word;
use keel_math::{div_down, div_up, mul_wad_down, mul_wad_up, MathError, WAD};
use stylus_sdk::prelude::*;

use crate::{
    calls::Quote,
    errors::{self, iword, Result},
    events,
    params::MAX_SPREAD,
    records::{globals as g, market as m, Position},
    signed::{self, add, diff, int, mag as abs},
    MarginEngine,
};

/// What a trade does to a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Change {
    /// The position after it.
    pub(crate) next: Position,
    /// PnL realised on the reduced part, WAD, rounded down.
    pub(crate) realised: I256,
    /// Whether it opens, increases or flips (adds risk).
    pub(crate) adds_risk: bool,
}

/// A trade's terms at the oracle's current price.
#[derive(Clone, Copy, Debug)]
pub struct Fill {
    /// The market's asset.
    pub(crate) asset: Address,
    /// The oracle's price and its age.
    pub(crate) quote: Quote,
    /// Fill price, WAD quote per unit: the price ± the spread, rounded against the trader.
    pub fill: U256,
    /// Fee, WAD quote: `|sizeDelta| · fill · fee`, rounded up.
    pub fee: U256,
}

/// Applies a trade of `delta` at `fill` to `pos`. An increase averages the entry, rounded
/// against the trader (up for a long, down for a short); a reduction realises
/// `closed · (fill − entry)` for a long (`entry − fill` for a short), rounded down; a trade
/// through zero closes the position and opens the rest at `fill`.
pub(crate) fn apply(pos: Position, delta: I256, fill: U256) -> Result<Change> {
    let size = add(pos.size, delta)?;
    let (held, traded) = (abs(pos.size), abs(delta));
    if pos.size.is_zero() || pos.size.is_negative() == delta.is_negative() {
        let paid = held.checked_mul(pos.entry).zip(traded.checked_mul(fill));
        let total = paid
            .and_then(|(a, b)| a.checked_add(b))
            .ok_or(MathError::Overflow)?;
        let entry = if size.is_positive() {
            div_up(total, abs(size))?
        } else {
            div_down(total, abs(size))?
        };
        return Ok(Change {
            next: Position { size, entry },
            realised: I256::ZERO,
            adds_risk: true,
        });
    }
    let closed = held.min(traded);
    let per_unit = if pos.size.is_positive() {
        diff(fill, pos.entry)?
    } else {
        diff(pos.entry, fill)?
    };
    let realised = signed::mul_wad_down(int(closed)?, per_unit)?;
    let flips = traded > held;
    let entry = if flips {
        fill
    } else if size.is_zero() {
        U256::ZERO
    } else {
        pos.entry
    };
    Ok(Change {
        next: Position { size, entry },
        realised,
        adds_risk: flips,
    })
}

/// Longest age the spread tells apart, seconds (about 194 days): `age · 1e12` fits a `u64`.
const MAX_AGE: u64 = 1 << 24;

/// `√age` in WAD, rounded up, from `age` seconds clamped to [`MAX_AGE`] (the spread is capped
/// long before). Integer square root of `age · 1e12` (√age to six decimals), scaled by 1e12: a
/// bitwise root on one `u64`, where keel_math's `sqrt_wad_up` would bring 512-bit arithmetic
/// and a division into the contract for a value a millionth is precise enough for.
pub(crate) fn root_seconds(age: U256) -> U256 {
    let age = if age > U256::from(MAX_AGE) {
        MAX_AGE
    } else {
        age.as_limbs()[0]
    };
    let x = age * 1_000_000_000_000;
    // Bitwise integer square root: the largest `r` with `r² ≤ x`.
    let (mut r, mut bit) = (0u64, 1u64 << 62);
    let mut rest = x;
    while bit != 0 {
        if rest >= r + bit {
            rest -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    let up = r + u64::from(r * r < x);
    // `up < 2^32`: the product fits a `u128`.
    U256::from(u128::from(up) * 1_000_000_000_000)
}

/// The open-interest side of a position (a flat one counts as long, adding nothing).
fn side(size: I256) -> crate::records::Field {
    if size.is_negative() {
        m::SHORT
    } else {
        m::LONG
    }
}

impl MarginEngine {
    /// `account`'s position in `market`.
    pub(crate) fn position_of(&self, account: U256, market: U256) -> Position {
        Position::unpack(self.accounts.getter(account).positions.get(market))
    }

    /// The fill of a buy (`up`) or sell at price `q`: `price · (1 ± spread)` with
    /// `spread = min(50 %, baseSpread + volSpread · σ · √age)`; σ is read only when
    /// `volSpread` is set.
    fn fill_price(&self, asset: Address, q: Quote, fees: U256, up: bool) -> Result<U256> {
        let mut spread = m::BASE_SPREAD.of(fees);
        let per_vol = m::VOL_SPREAD.of(fees);
        if !per_vol.is_zero() {
            let root_age = root_seconds(q.age);
            let vol = mul_wad_up(mul_wad_up(per_vol, self.volatility(asset)?)?, root_age)?;
            spread = spread.saturating_add(vol);
        }
        let spread = spread.min(MAX_SPREAD);
        Ok(if up {
            mul_wad_up(q.price, WAD + spread)?
        } else {
            mul_wad_down(q.price, WAD - spread)?
        })
    }

    /// What a trade of `size_delta` of `market` would get now: its fill price and fee (see
    /// [`Self::trade`]), at a price the oracle vouches for.
    ///
    /// # Errors
    /// `EngineZeroArgument`, `EngineUnknownMarket`, `EngineInvalidPrice`,
    /// `EngineExternalCallFailed`, `EngineMathError`.
    pub fn quote_trade(&self, market: U256, size_delta: I256) -> Result<Fill> {
        if size_delta.is_zero() {
            return Err(errors::zero_argument());
        }
        let asset = self.market_asset(market)?;
        let quote = self.price_of(asset, true)?;
        let fees = self.markets.getter(market).fees.get();
        let fill = self.fill_price(asset, quote, fees, size_delta.is_positive())?;
        let fee = mul_wad_up(mul_wad_up(abs(size_delta), fill)?, m::FEE.of(fees))?;
        Ok(Fill {
            asset,
            quote,
            fill,
            fee,
        })
    }

    /// Trades `size_delta` (WAD base: + buys, − sells) of `market` for `account` at the
    /// oracle price ± the spread, charging the fee to the quote balance (see the crate docs).
    /// Owner or operator. Returns the fill price.
    ///
    /// # Errors
    /// `EngineUnauthorized` (also for an account never opened), `EngineDeadlinePassed`,
    /// `EngineZeroArgument`, `EngineUnknownMarket`, `EngineInvalidPrice`, `EngineSlippage`;
    /// when adding risk also `EngineNewRiskRefused`, `EngineBelowMinSize`,
    /// `EngineTooManyPositions`, `EngineOpenInterestCap`, `EngineBelowInitialMargin`;
    /// `EngineExternalCallFailed`, `EngineMathError`.
    ///
    /// # Events
    /// [`events::Traded`].
    pub fn trade(
        &mut self,
        account: U256,
        market: U256,
        size_delta: I256,
        price_limit: U256,
        deadline: U256,
    ) -> Result<U256> {
        self.authorised(account)?;
        let now = self.vm().block_timestamp();
        if U256::from(now) > deadline {
            return Err(errors::deadline_passed(deadline, now));
        }
        let Fill {
            asset,
            quote: q,
            fill,
            fee,
        } = self.quote_trade(market, size_delta)?;
        let buy = size_delta.is_positive();
        if (buy && fill > price_limit) || (!buy && fill < price_limit) {
            return Err(errors::slippage(fill, price_limit));
        }
        let pos = self.position_of(account, market);
        let change = apply(pos, size_delta, fill)?;
        if change.adds_risk {
            if self.global(g::STOPPED) != 0 {
                return Err(errors::new_risk_refused(1));
            }
            if !self.safe_to_add_risk()? {
                return Err(errors::new_risk_refused(2));
            }
            let spec = self.markets.getter(market).spec.get();
            let (size, min) = (abs(change.next.size), m::MIN_SIZE.of(spec));
            if size < min {
                return Err(errors::below_min_size(market, size, min));
            }
        }
        self.settle(account, market, pos, change, fee)?;
        self.emit(
            &[
                events::Traded::SIGNATURE_HASH,
                account.word(),
                market.word(),
            ],
            &[
                iword(size_delta),
                fill.word(),
                fee.word(),
                iword(change.realised),
            ],
        );
        if change.adds_risk {
            self.require_initial_margin(account, Some((asset, q.price)))?;
        }
        Ok(fill)
    }

    /// Books a change of `account`'s position in `market` from `old`: the position word, the
    /// account's book of markets, the market's open interest (refusing growth past its cap)
    /// and cost, and the quote moving between the account and the pool (`realised − fee`).
    fn settle(
        &mut self,
        account: U256,
        market: U256,
        old: Position,
        change: Change,
        fee: U256,
    ) -> Result<()> {
        let next = change.next;
        let mut acc = self.accounts.setter(account);
        acc.positions.setter(market).set(next.pack()?);
        // Market ids run from 1 to 32: one bit each.
        let (book, bit) = (
            acc.book.get().as_limbs()[0],
            1u64 << ((market.as_limbs()[0] - 1) & 63),
        );
        if next.size.is_zero() {
            acc.book.set(U256::from(book & !bit));
        } else if old.size.is_zero() {
            let max = g::MAX_POSITIONS.small(self.globals.get());
            if u64::from(book.count_ones()) >= max {
                return Err(errors::too_many_positions(account, max));
            }
            acc.book.set(U256::from(book | bit));
        }
        let mut entry = self.markets.setter(market);
        // The old position leaves its side's open interest, the new one joins its side's; a
        // side that grows must stay within its cap.
        let (from, to) = (side(old.size), side(next.size));
        let (held, holds) = (abs(old.size), abs(next.size));
        let mut oi = entry.oi.get();
        oi = from.with(oi, from.of(oi).saturating_sub(held))?;
        let now = to.of(oi).checked_add(holds).ok_or(MathError::Overflow)?;
        let cap = to.of(entry.caps.get());
        if (to != from || holds > held) && !holds.is_zero() && now > cap {
            return Err(errors::open_interest_cap(market, now, cap));
        }
        entry.oi.set(to.with(oi, now)?);
        let old_cost = signed::mul(old.size, old.entry)?;
        let cost = add(
            signed::sub(entry.cost.get(), old_cost)?,
            signed::mul(next.size, next.entry)?,
        )?;
        entry.cost.set(cost);
        let net = signed::sub(change.realised, int(fee)?)?;
        self.add_quote(account, net)?;
        self.add_pool(signed::neg(net))
    }

    /// Closes `size_delta` of `account`'s position in `market` at `price`, reduce-only (toward
    /// zero, never through it), without fee or margin checks; the realised PnL (returned)
    /// settles between the account and the pool. Ward only (the Backstop).
    ///
    /// # Errors
    /// `EngineUnauthorized`, `EngineZeroArgument` (zero price), `EngineNotReducing` (also
    /// for an unknown account or market: no position), `EngineMathError`.
    ///
    /// # Events
    /// [`events::Confiscated`].
    pub fn confiscate(
        &mut self,
        account: U256,
        market: U256,
        size_delta: I256,
        price: U256,
    ) -> Result<I256> {
        self.auth()?;
        // An unknown account or market holds no position: refused below as not reducing.
        if price.is_zero() {
            return Err(errors::zero_argument());
        }
        let pos = self.position_of(account, market);
        let reducing = !size_delta.is_zero()
            && pos.size.is_negative() != size_delta.is_negative()
            && abs(size_delta) <= abs(pos.size);
        if !reducing {
            return Err(errors::not_reducing(pos.size, size_delta));
        }
        let change = apply(pos, size_delta, price)?;
        self.settle(account, market, pos, change, U256::ZERO)?;
        self.emit(
            &[
                events::Confiscated::SIGNATURE_HASH,
                account.word(),
                market.word(),
            ],
            &[iword(size_delta), price.word(), iword(change.realised)],
        );
        Ok(change.realised)
    }

    /// Traders' unrealised PnL over every market with open interest, WAD (+: traders win),
    /// rounded up (against the pool): `Σ (price · netSize − cost)`, one price per market.
    pub(crate) fn trader_pnl(&self, strict: bool) -> Result<I256> {
        let markets = crate::records::head::MARKETS.small(self.head.get());
        let mut pnl = I256::ZERO;
        for id in 1..=markets {
            let entry = self.markets.getter(U256::from(id));
            let oi = entry.oi.get();
            if oi.is_zero() {
                continue;
            }
            let net = diff(m::LONG.of(oi), m::SHORT.of(oi))?;
            let price = self
                .price_of(m::ASSET.address(entry.spec.get()), strict)?
                .price;
            let gain = signed::sub(signed::mul(net, price)?, entry.cost.get())?;
            // Divided by WAD rounding up: a loss's magnitude rounds down.
            let scaled = if gain.is_negative() {
                signed::neg(int(div_down(abs(gain), WAD)?)?)
            } else {
                int(div_up(gain.into_raw(), WAD)?)?
            };
            pnl = add(pnl, scaled)?;
        }
        Ok(pnl)
    }
}
