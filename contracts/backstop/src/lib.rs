//! Keel's Backstop: tranche liquidations, the insurance fund, bad debt and auto-deleveraging
//! for the MarginEngine (Maker's Dog beside the engine's Vat).
//!
//! The MarginEngine keeps the ledger and makes no decisions about failing accounts; the
//! Backstop, one of its wards, makes them through the engine's ward-only hooks (`confiscate`,
//! `charge`, `seize`, `socialise`) and hands seized collateral to the Liquidator (whose ward it
//! is) for Dutch auctions. A liquidation, from trigger to last take:
//! 1. [`liquidate`](Backstop::liquidate) (anyone) closes one tranche of the riskiest position
//!    of an account the engine calls liquidatable, charges the penalty, pays the keeper;
//! 2. in the call that leaves the account without positions, if its quote balance is negative,
//!    collateral worth the deficit (the penalty included) is seized and an auction kicked;
//! 3. each take's proceeds come back through [`on_auction_proceeds`](Backstop::on_auction_proceeds)
//!    and are deposited into the account;
//! 4. what is still negative once nothing is left to sell is bad debt:
//!    [`settle_bad_debt`](Backstop::settle_bad_debt) (anyone) covers it from the insurance
//!    fund, waits `adlGrace` for [`adl`](Backstop::adl) to refill the fund from profitable
//!    traders, then socialises the rest to the pool, with an event.
//!
//! # ABI
//! [`router::IBackstop`] declares every external function in Solidity; the router decodes
//! calls by hand (as the Liquidator's does, for size) and calls the methods of [`Backstop`]
//! below, which native tests call directly. Errors are in [`errors`], events in [`events`];
//! the interfaces the Backstop calls (`IMarginEngine` exactly as SPEC.md declares it,
//! `IPriceSource`, `IRiskModel`, `ILiquidator`, ERC-20) are in [`calls`].
//!
//! # Tranches (target health)
//! With `E` the account's equity, `MM` its maintenance margin, `m` the maintenance fraction of
//! the chosen position's asset and `π` the penalty, closing notional `N` at the oracle price
//! lowers `MM` by `m·N` and `E` by `π·N` (closing at the mark moves no equity; the penalty
//! does). Health returns to the target `tH` when `E − π·N ≥ tH·(MM − m·N)`, so
//! `N = (tH·MM − E) / (tH·m − π)`, rounded up so that one unbounded call suffices. When
//! `tH·m ≤ π` a partial close cannot help and the whole position is closed. `N` is then bounded
//! by the position, the market's `maxLot` and what is left of its rate limit; the position
//! chosen is the largest risk `|size|·price·m` among the account's markets. The penalty
//! `π·N` is capped by the account's positive equity (a bankrupt account pays none) and is
//! charged to the Backstop: `min(keeperShare · penalty, keeperCap)` goes to the caller's
//! `keeper` (zero address: none), the rest stays in the insurance fund.
//!
//! # Rate limit
//! Per market, at most `limit` notional (WAD) per `window` seconds (Synthetix's rule), counted
//! over a sliding window approximated by two buckets: `used = current + previous·(window −
//! elapsed)/window` (rounded up). A bucket rolls over at the first liquidation after its
//! window. `limit = 0` or `window = 0` turns the limit off; `maxLot = 0` turns that bound off.
//!
//! # Seizure
//! Decided: collateral is seized only in the call that leaves the account without positions
//! (the account was liquidatable at its start). While positions remain, collateral still backs
//! them in the engine's equity, and taking it out before the auction pays would only deepen the
//! tranches. The deficit not yet under auction (`−quoteBalance − tab of running auctions`)
//! becomes the `tab`, capped by the Liquidator's `room`; the first auctionable token the
//! account holds is seized, `lot = tab / oracle price` rounded up, at most the account's
//! holding. One token per call: a keeper calls again for the rest while the account stays
//! liquidatable. A kick the Liquidator would refuse (stopped, or its price-drop breaker
//! tripped: `price < last · tol`) is skipped, so that it never reverts the tranche closed in
//! the same call; the collateral is seized by a later call. The deficit already includes the
//! penalty: the tranche rule closes a last position in full only when `E ≤ π·N`, so that
//! tranche's penalty takes all remaining positive equity, and a seizure has none left to
//! charge.
//!
//! # Insurance fund
//! The Backstop's own quote balance, less proceeds it holds for accounts
//! ([`insurance_fund`](Backstop::insurance_fund)). Penalties and ADL haircuts flow in; covers
//! of bad debt and the Liquidator's kick and redo rewards flow out. The fund is the balance
//! itself rather than a counter because the Liquidator pulls redo rewards without telling
//! the Backstop; anything sent to the Backstop is a donation to the fund.
//!
//! # Bad debt waterfall
//! [`settle_bad_debt`](Backstop::settle_bad_debt) needs an account with no positions, no
//! running auction and none of the auctionable tokens (seize them first). Its deficit (the
//! negative quote balance, at most the negative equity: other collateral still counts) is paid
//! from the fund (rounded up to whole quote units, so covered in full when the fund suffices);
//! what the fund cannot pay is recorded as the account's debt and counted in `badDebt()`.
//! While any recorded debt exceeds the fund, [`adl`](Backstop::adl) is open and each ADL moves
//! a haircut of the closed position's realised profit into the fund. Once the account's debt
//! is `adlGrace` seconds old, the next settle socialises the rest to the pool (`engine.socialise`,
//! with [`events::Socialise`]). Nothing is ever written off silently.
//!
//! # Auto-deleveraging
//! Keepers choose the account (ranking profit off-chain, as in GMX v2); the contract enforces
//! the bounds. ADL is open when traders' unrealised profit exceeds `adlRatio` × the pool's
//! assets, or while recorded bad debt exceeds the fund. The position must be in profit at the
//! oracle price. It is closed at the oracle mark, only enough to bring the ratio back to
//! `adlRatio` (realising profit `r` lowers `traderPnl` by `r` and leaves `totalAssets`
//! unchanged) or to realise the uncovered debt, whichever is larger, rounded down (never
//! overshoots), at most `adlMax` notional and never past zero (no flip). Under bad debt the
//! realised profit is then charged to the fund up to the uncovered debt and up to the
//! account's margin headroom (`equity − maintenance`), so the ADL'ed trader absorbs the loss
//! without becoming liquidatable. The call reverts unless traders' PnL fell. Decided: the
//! haircut is a `charge` after a close at the mark rather than a close at a worse price,
//! because `confiscate` settles PnL with the pool: a worse price would credit the pool, not
//! the bankrupt account, while the fund pays whichever account `settleBadDebt` names next.
//! Any profitable position qualifies ("opposite" to the bankrupt one in the sense that the
//! pool, every trader's counterparty, owes it). ADL pays no keeper reward; the caller is
//! named in [`events::Adl`].
//!
//! # Approvals and wiring
//! The constructor approves the engine (for `deposit` pulls) and the Liquidator (for keeper
//! rewards) for the maximum on the quote token, once, so no approval is ever renewed. Keeper
//! rewards of a kick are paid only when the fund holds them (otherwise the kick goes without a
//! keeper and never reverts). A deployer, after constructing the Backstop with the engine,
//! Liquidator, quote, RiskOracle, RiskModel and admin:
//! 1. `engine.rely(backstop)` (for `confiscate`, `charge`, `seize`, `socialise`);
//! 2. `liquidator.rely(backstop)` (for `kick`), with the Liquidator's `oracle` set;
//! 3. per auctionable collateral token: `liquidator.init(token)`, `liquidator.fileAsset(token,
//!    "hole", …)` and `liquidator.file("Hole", …)` (a zero room means no seizure), then
//!    `backstop.fileToken(token, true)`;
//! 4. per market, optionally: `backstop.fileMarket(market, "maxLot" | "limit" | "window", …)`;
//! 5. optionally seed the insurance fund by transferring quote to the Backstop.
//!
//! The Backstop calls `IMarginEngine` views (`isLiquidatable`, `accountHealth`,
//! `accountMarkets`, `position`, `marketAsset`, `quoteBalance`, `collateralOf`,
//! `accountOwner`, `poolState`), `deposit`, and the four hooks; `ILiquidator.kick`, `room`,
//! `assets`, `state`; `price(asset)` on the oracle; `maintenanceMargin(asset)` on the model.
//!
//! # Glossary
//! - `tab`: quote still to raise by an auction (the deficit), quote units.
//! - `lot`: collateral seized for an auction, token units.
//! - `tH`: target health factor; `π`: penalty fraction; `m`: maintenance fraction.
//! - `held`: auction proceeds the engine refused, kept for the account.
//! - `debt`: bad debt recorded and not yet covered or socialised.
//!
//! # Units and rounding
//! Values are WAD quote, sizes WAD base, prices WAD quote per whole unit, as in the engine;
//! token amounts (fund, rewards, tab, lot) are in each token's units. What an account owes
//! rounds up (close size toward the target, penalty, tab, lot), what it or a keeper receives
//! rounds down (keeper reward), bounds round down (no bound is ever exceeded).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, I256, U256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageVec},
};

mod admin;
pub mod calls;
mod debt;
pub mod errors;
pub mod events;
mod liquidate;
pub mod params;
mod records;
pub mod router;

pub use errors::Error;
use records::{account as acct, caps, ledger, market as mkt, misc, risk, AccountBook, MarketBook};

/// The Backstop's storage. Packed words are laid out in `records.rs`.
#[storage]
#[entrypoint]
pub struct Backstop {
    /// The MarginEngine (fixed at construction).
    engine: StorageAddress,
    /// The Liquidator (fixed at construction).
    liquidator: StorageAddress,
    /// The quote token (fixed at construction).
    quote: StorageAddress,
    /// The RiskOracle: prices.
    oracle: StorageAddress,
    /// The RiskModel: maintenance margin fractions.
    model: StorageAddress,
    /// `targetHealth`, `penalty`, `keeperShare`, `adlRatio`: read by every tranche.
    risk: StorageU256,
    /// `keeperCap`, `adlMax`.
    caps: StorageU256,
    /// `adlGrace`, WAD per quote unit, proceeds held for accounts.
    misc: StorageU256,
    /// Bad debt outstanding and socialised.
    ledger: StorageU256,
    /// Admins.
    wards: StorageMap<Address, StorageBool>,
    /// Per-market bounds and rate-limit counters.
    markets: StorageMap<U256, MarketBook>,
    /// Per-account auctions and debt.
    accounts: StorageMap<U256, AccountBook>,
    /// The account of each running auction kicked by the Backstop (0: none).
    auctions: StorageMap<U256, StorageU256>,
    /// Auctionable collateral tokens, in no particular order.
    tokens: StorageVec<StorageAddress>,
    /// `listed`, WAD per unit of each collateral token.
    token_info: StorageMap<Address, StorageU256>,
}

impl Backstop {
    /// Wires the Backstop to its `engine`, `liquidator`, `quote` token, `oracle` and `model`,
    /// makes `admin` the first ward, sets the [`params::Defaults`], reads the quote's decimals
    /// and approves the engine and the Liquidator for the maximum on the quote.
    ///
    /// # Errors
    /// `BackstopUnsupportedDecimals` for a quote of more than 18 decimals,
    /// `BackstopExternalCallFailed` if `decimals()` or an `approve` fails.
    ///
    /// # Events
    /// [`events::Rely`] for `admin`.
    pub fn constructor(
        &mut self,
        engine: Address,
        liquidator: Address,
        quote: Address,
        oracle: Address,
        model: Address,
        admin: Address,
    ) -> Result<(), Error> {
        self.setup(engine, liquidator, quote, oracle, model, admin)
    }

    // ---------------------------------------------------------------- governance

    /// Makes `usr` a ward. Ward only.
    ///
    /// # Errors
    /// `BackstopUnauthorized`.
    ///
    /// # Events
    /// [`events::Rely`].
    pub fn rely(&mut self, usr: Address) -> Result<(), Error> {
        self.set_ward(usr, true)
    }

    /// Removes `usr` from the wards. Ward only.
    ///
    /// # Errors
    /// `BackstopUnauthorized`.
    ///
    /// # Events
    /// [`events::Deny`].
    pub fn deny(&mut self, usr: Address) -> Result<(), Error> {
        self.set_ward(usr, false)
    }

    /// Sets a global parameter of [`params::GLOBAL_PARAMS`] within its bounds. Ward only.
    ///
    /// # Errors
    /// `BackstopUnauthorized`, `BackstopUnknownParameter`, `BackstopParameterOutOfBounds`.
    ///
    /// # Events
    /// [`events::File`].
    pub fn file(&mut self, what: B256, data: U256) -> Result<(), Error> {
        self.file_global(what, data)
    }

    /// Sets `oracle` or `model`. Ward only.
    ///
    /// # Errors
    /// `BackstopUnauthorized`, `BackstopUnknownParameter`.
    ///
    /// # Events
    /// [`events::FileAddress`].
    pub fn file_address(&mut self, what: B256, data: Address) -> Result<(), Error> {
        self.file_global_address(what, data)
    }

    /// Sets a parameter of [`params::MARKET_PARAMS`] for `market`. Ward only.
    ///
    /// # Errors
    /// `BackstopUnauthorized`, `BackstopUnknownParameter`, `BackstopParameterOutOfBounds`.
    ///
    /// # Events
    /// [`events::FileMarket`].
    pub fn file_market(&mut self, market: U256, what: B256, data: U256) -> Result<(), Error> {
        self.file_market_value(market, what, data)
    }

    /// Adds `token` to (or removes it from) the collateral the Backstop seizes and auctions.
    /// Adding needs a non-quote token the Liquidator has listed, and reads its decimals (at
    /// most 18); at most [`params::MAX_TOKENS`]. Idempotent. Ward only.
    ///
    /// # Errors
    /// `BackstopUnauthorized`, `BackstopTokenNotAuctionable`, `BackstopTooManyTokens`,
    /// `BackstopUnsupportedDecimals`,
    /// `BackstopExternalCallFailed`.
    ///
    /// # Events
    /// [`events::FileToken`].
    pub fn file_token(&mut self, token: Address, auctionable: bool) -> Result<(), Error> {
        self.file_token_value(token, auctionable)
    }

    // ---------------------------------------------------------------- liquidation

    /// Liquidates one tranche of `account` (see the crate docs): closes part of its riskiest
    /// position at the oracle price, charges the penalty (paying `keeper` its share) and, if
    /// that leaves no positions and a negative quote balance, seizes collateral and kicks an
    /// auction. Anyone. Returns `(market, closed, penalty)`: the market closed in (0: none),
    /// the size delta applied, and the WAD penalty charged.
    ///
    /// # Errors
    /// `BackstopNotLiquidatable`, `BackstopRateLimited`, `BackstopNothingToLiquidate`,
    /// `BackstopInvalidPrice`, `BackstopExternalCallFailed`, `BackstopMathError`.
    ///
    /// # Events
    /// [`events::Liquidate`], [`events::Kick`].
    pub fn liquidate(
        &mut self,
        account: U256,
        keeper: Address,
    ) -> Result<(U256, I256, U256), Error> {
        self.liquidate_account(account, keeper)
    }

    /// What [`liquidate`](Backstop::liquidate) would close now: `(market, closeSize, penalty)`
    /// (the tranche only, not a seizure); zeros when the account is not liquidatable or has no
    /// position, a zero size when `maxLot` or the rate limit leaves nothing to close in the
    /// market it names.
    ///
    /// # Errors
    /// `BackstopInvalidPrice`, `BackstopExternalCallFailed`, `BackstopMathError`.
    pub fn liquidation_preview(&self, account: U256) -> Result<(U256, I256, U256), Error> {
        if !self.is_liquidatable(account)? {
            return Ok((U256::ZERO, I256::ZERO, U256::ZERO));
        }
        let plan = self.plan(account)?;
        Ok((plan.market, plan.delta, plan.penalty))
    }

    /// The Liquidator's report on auction `id` of `account` (see its crate docs): deposits
    /// `raised` quote, already sent to the Backstop, into the account, and books the auction's
    /// end. Never reverts for a call from the Liquidator: proceeds of an unknown auction are
    /// ignored with [`events::UnknownAuction`], and if the engine refuses the deposit the
    /// proceeds are held for the account. Liquidator only.
    ///
    /// # Errors
    /// `BackstopUnauthorized` for any other caller.
    ///
    /// # Events
    /// [`events::Proceeds`] or [`events::UnknownAuction`].
    pub fn on_auction_proceeds(
        &mut self,
        id: U256,
        account: U256,
        raised: U256,
        remaining_tab: U256,
        closed: bool,
    ) -> Result<(), Error> {
        self.book_proceeds(id, account, raised, remaining_tab, closed)
    }

    /// Runs the bad-debt waterfall for `account` (see the crate docs). Anyone. Returns
    /// `(covered, socialised, debt)`: quote units paid from the fund, WAD socialised to the
    /// pool, WAD still recorded as the account's debt.
    ///
    /// # Errors
    /// `BackstopPositionsOpen`, `BackstopAuctionsRunning`, `BackstopCollateralLeft`,
    /// `BackstopNoDeficit`, `BackstopExternalCallFailed`, `BackstopMathError`.
    ///
    /// # Events
    /// [`events::Released`], [`events::Cover`], [`events::BadDebt`], [`events::Socialise`].
    pub fn settle_bad_debt(&mut self, account: U256) -> Result<(U256, U256, U256), Error> {
        self.settle(account)
    }

    /// Auto-deleverages `account`'s position in `market` (see the crate docs). Anyone; the
    /// caller is recorded as the keeper. Returns the size delta applied.
    ///
    /// # Errors
    /// `BackstopAdlNotAllowed`, `BackstopNotProfitable`, `BackstopNothingToClose`,
    /// `BackstopAdlNoEffect`, `BackstopInvalidPrice`, `BackstopExternalCallFailed`,
    /// `BackstopMathError`.
    ///
    /// # Events
    /// [`events::Adl`].
    pub fn adl(&mut self, account: U256, market: U256) -> Result<I256, Error> {
        self.deleverage(account, market)
    }

    // ---------------------------------------------------------------- views

    /// Whether `usr` is a ward.
    pub fn wards(&self, usr: Address) -> bool {
        self.wards.get(usr)
    }

    /// The insurance fund: the Backstop's quote balance less held proceeds, quote units.
    ///
    /// # Errors
    /// `BackstopExternalCallFailed` if `balanceOf` fails.
    pub fn insurance_fund(&self) -> Result<U256, Error> {
        self.fund()
    }

    /// Bad debt: socialised (cumulative) plus recorded and not yet covered, WAD.
    pub fn bad_debt(&self) -> U256 {
        let l = self.ledger.get();
        ledger::SOCIALISED.of(l) + ledger::OUTSTANDING.of(l)
    }

    /// The account of auction `id` if the Backstop kicked it and it is running, else 0.
    pub fn auctions(&self, id: U256) -> U256 {
        self.auctions.get(id)
    }

    /// The configuration, in this order: engine, liquidator, quote, oracle, model (addresses
    /// as words), targetHealth, penalty, keeperShare, keeperCap, adlRatio, adlMax, adlGrace,
    /// WAD per quote unit (`10^(18 − decimals)`). ABI: see [`router::IBackstop`]`::config`.
    pub fn config(&self) -> [U256; 13] {
        let a = |x: &StorageAddress| U256::from_be_bytes(x.get().into_word().0);
        let (r, c, m) = (self.risk.get(), self.caps.get(), self.misc.get());
        [
            a(&self.engine),
            a(&self.liquidator),
            a(&self.quote),
            a(&self.oracle),
            a(&self.model),
            risk::TARGET_HEALTH.of(r),
            risk::PENALTY.of(r),
            risk::KEEPER_SHARE.of(r),
            caps::KEEPER_CAP.of(c),
            risk::ADL_RATIO.of(r),
            caps::ADL_MAX.of(c),
            misc::ADL_GRACE.of(m),
            misc::UNIT.of(m),
        ]
    }

    /// The debt ledger: `(outstanding, socialised, held)`: WAD recorded and uncovered, WAD
    /// socialised ever, quote units of proceeds held for accounts.
    pub fn debts(&self) -> [U256; 3] {
        let l = self.ledger.get();
        [
            ledger::OUTSTANDING.of(l),
            ledger::SOCIALISED.of(l),
            misc::HELD.of(self.misc.get()),
        ]
    }

    /// `market`'s bounds and counter: maxLot, limit, window, current, previous, start.
    pub fn market(&self, market: U256) -> [U256; 6] {
        let m = self.markets.getter(market);
        let (b, n, c) = (m.bounds.get(), m.counter.get(), m.clock.get());
        [
            mkt::MAX_LOT.of(b),
            mkt::LIMIT.of(b),
            mkt::WINDOW.of(c),
            mkt::CURRENT.of(n),
            mkt::PREVIOUS.of(n),
            mkt::START.of(c),
        ]
    }

    /// What the Backstop knows of `account`: tab under auction (quote units), running
    /// auctions, held proceeds (quote units), recorded debt (WAD), since when.
    pub fn account(&self, account: U256) -> [U256; 5] {
        let a = self.accounts.getter(account);
        let (b, d) = (a.book.get(), a.debt.get());
        [
            acct::TAB.of(b),
            acct::AUCTIONS.of(d),
            acct::HELD.of(b),
            acct::DEBT.of(d),
            acct::SINCE.of(d),
        ]
    }

    /// The auctionable collateral tokens.
    pub fn tokens(&self) -> Vec<Address> {
        (0..self.tokens.len())
            .filter_map(|i| self.tokens.get(i))
            .collect()
    }
}

#[cfg(test)]
mod tests;
