//! Keel's Liquidator: Dutch auctions of seized collateral, in the style of Maker's Clipper.
//!
//! A margin engine that has seized collateral from an unhealthy account hands it over and
//! [`kick`](Liquidator::kick)s an auction to raise `tab` quote (the account's deficit plus the
//! liquidation penalty). The price starts at `top = oracle price · buf` and falls along the
//! asset's [`curve`]; anyone may [`take`](Liquidator::take) part or all of the lot at the current
//! price, optionally receiving the collateral first and paying at the end of a callback (a flash
//! take). Each take's proceeds go straight to the engine, which is told about them. An auction
//! that gets too old (`tail`) or too cheap (`cusp`) is restarted at a fresh oracle price by
//! [`redo`](Liquidator::redo); it never sells at a price of zero.
//!
//! # ABI
//! [`router::ILiquidator`] declares every external function in Solidity; the router decodes
//! calls by hand (see [`router`] for why) and calls the methods of [`Liquidator`] below, which
//! native tests call directly. Custom errors are in [`errors`], events in [`events`]; the
//! interfaces the Liquidator calls (`IPriceSource.price`, `IAuctionEngine.onAuctionProceeds`,
//! `IFlashTaker.onTake`, ERC-20) are declared in `calls.rs`.
//!
//! # Price source
//! One global `oracle` (`fileAddress("oracle", …)`), read with `price(address asset)`: the
//! RiskOracle's guarded getter, WAD quote per whole token, reverting when the price is not
//! trustworthy. A kick or redo waits (reverts) until the price is trustworthy again.
//!
//! # Engine interface
//! An engine is a ward (`rely`). To liquidate it
//! 1. transfers the seized `lot` of `asset` to the Liquidator, then calls
//!    `kick(tab, lot, asset, account, owner, keeper)` (check [`room`](Liquidator::room) first:
//!    a `tab` above it reverts). `account` is the engine's opaque id of the margin account,
//!    `owner` receives the collateral left once `tab` is raised, `keeper` earns the kick reward.
//! 2. After every take the Liquidator has transferred the take's `owe` of quote from the taker
//!    to the engine, and calls
//!    `IAuctionEngine(engine).onAuctionProceeds(id, account, raised, remainingTab, closed)`.
//!    The engine repays the account's deficit with `raised`; when `closed` with
//!    `remainingTab > 0` the lot is sold out and `remainingTab` is bad debt. The call must not
//!    revert, and must not call back into the Liquidator.
//! 3. Keeper rewards `coin = tip + chip · tab` are owed by the engine out of the penalty it
//!    charges: the Liquidator pays them on the engine's behalf, at the kick (to `keeper`) and at
//!    a rewarded redo, with `quote.transferFrom(engine, keeper, coin)`. The engine therefore
//!    approves the Liquidator on the quote token for the rewards it funds. The Liquidator never
//!    pays from its own balance; a kick or redo with `keeper = address(0)` pays nothing.
//!
//! # Circuit breakers
//! - `Hole` (global) and `hole` (per asset) cap the quote under auction (`Dirt`, `dirt`): a kick
//!   adds its `tab`, each take frees what it raised, and a closing take frees the rest.
//! - `stopped`: 0 none; 1 no new kicks; 2 also no redos; 3 also no takes. Wards set any level
//!   (`file("stopped", …)`); the guardian may only raise it ([`stop`](Liquidator::stop)).
//! - Price-drop breaker (per asset, off when `tol = 0`): a kick reverts while the oracle price
//!   is below `last · tol`, where `last` is the price seen at the asset's previous kick or redo.
//!   A redo (not gated by the breaker) updates `last`; governance may also overwrite it.
//!
//! # Reentrancy
//! A take holds a lock from its first effect to its last call: while its flash callback runs,
//! `kick`, `take`, `redo`, `init` and the `file` setters revert with `LiquidatorLocked`.
//! (The Stylus SDK's entrypoint also rejects reentrant calls today; the lock does not rely on it.)
//!
//! # Glossary
//! - `tab`: quote still to raise (deficit plus penalty), quote token units.
//! - `lot`: collateral still for sale, collateral token units.
//! - `top`: start price, WAD quote per whole collateral token.
//! - `tic`: time of the kick or the last redo.
//! - `buf`: `top` over the oracle price at kick or redo, WAD.
//! - `tail`: age in seconds after which an auction needs a redo.
//! - `cusp`: `price / top` below which an auction needs a redo, WAD.
//! - `chip`, `tip`: keeper reward per unit of `tab` (WAD) and flat (quote units).
//! - `chost`: smallest `tab` a partial take may leave, quote units (Maker: dust · chop).
//! - `hole`, `dirt` (`Hole`, `Dirt` globally): cap on, and amount of, quote under auction.
//! - `kind`, `tau`, `step`, `cut`: the price curve, see [`curve`].
//!
//! # Units and rounding
//! Amounts are in each token's own units; prices are WAD per whole token; [`sale::Scale`]
//! converts. A take rounds what the buyer pays up and what it receives down; keeper rewards and
//! the value of a lot round down; the start price and the breaker's floor round up; curves round
//! down (each documented at its use).
//!
//! # Cost
//! Storage is packed by hand (`records.rs`): a take reads nine words and writes five. Every
//! quotient goes through keel-math's `mul_div_*`, whose divisions by WAD, a duration or a power of
//! ten up to 1e19 take a word-sized fast path; larger divisors (the price scale of a token with
//! more than 19 decimals above the quote) take its limb-wise long division.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use keel_common::abi::Word;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256},
};

mod admin;
mod auction;
mod calls;
pub mod curve;
pub mod errors;
pub mod events;
pub mod params;
mod records;
pub mod router;
pub mod sale;

pub use errors::Error;
use records::{AssetConfig, Sale};

/// The Liquidator's storage. Packed words are laid out in [`records`].
#[storage]
#[entrypoint]
pub struct Liquidator {
    /// `quote`, `stopped`, `locked`, `kicks`: read by every call that changes an auction.
    head: StorageU256,
    /// `Hole`, `Dirt`: the global circuit breaker, quote units.
    caps: StorageU256,
    /// The price source of every asset.
    oracle: StorageAddress,
    /// May raise the stop level.
    guardian: StorageAddress,
    /// Admins and engines.
    wards: StorageMap<Address, StorageBool>,
    /// Per-asset parameters and state.
    assets: StorageMap<Address, AssetConfig>,
    /// Running auctions by id.
    sales: StorageMap<u64, Sale>,
    /// Ids of running auctions by index `0..count`, in no particular order.
    active: StorageMap<u64, StorageU256>,
}

impl Liquidator {
    /// Sets the `quote` token every auction raises and makes `admin` the first ward.
    ///
    /// # Events
    /// [`events::Rely`] for `admin`.
    pub fn constructor(&mut self, quote: Address, admin: Address) {
        self.head.set(records::word(quote));
        self.wards.setter(admin).set(true);
        self.emit(&[events::Rely::SIGNATURE_HASH, admin.word()], &[]);
    }

    // ---------------------------------------------------------------- governance

    /// Makes `usr` a ward: it may call every admin function and `kick`. Ward only.
    ///
    /// # Errors
    /// `LiquidatorUnauthorized`.
    ///
    /// # Events
    /// [`events::Rely`].
    pub fn rely(&mut self, usr: Address) -> Result<(), Error> {
        self.auth()?;
        self.wards.setter(usr).set(true);
        self.emit(&[events::Rely::SIGNATURE_HASH, usr.word()], &[]);
        Ok(())
    }

    /// Removes `usr` from the wards. Ward only.
    ///
    /// # Errors
    /// `LiquidatorUnauthorized`.
    ///
    /// # Events
    /// [`events::Deny`].
    pub fn deny(&mut self, usr: Address) -> Result<(), Error> {
        self.auth()?;
        self.wards.setter(usr).set(false);
        self.emit(&[events::Deny::SIGNATURE_HASH, usr.word()], &[]);
        Ok(())
    }

    /// Sets a global parameter of [`params::GLOBAL_PARAMS`]: `Hole` (quote units,
    /// ≤ 2^128 − 1) or `stopped` (0–3). Ward only.
    ///
    /// # Errors
    /// `LiquidatorUnauthorized`, `LiquidatorLocked`, `LiquidatorUnknownParameter`,
    /// `LiquidatorParameterOutOfBounds`.
    ///
    /// # Events
    /// [`events::File`].
    pub fn file(&mut self, what: B256, data: U256) -> Result<(), Error> {
        self.file_global(what, data)
    }

    /// Sets a global address: `oracle` (the price source of every asset) or `guardian`
    /// (zero: none). Ward only.
    ///
    /// # Errors
    /// `LiquidatorUnauthorized`, `LiquidatorLocked`, `LiquidatorUnknownParameter`.
    ///
    /// # Events
    /// [`events::FileAddress`].
    pub fn file_address(&mut self, what: B256, data: Address) -> Result<(), Error> {
        self.file_global_address(what, data)
    }

    /// Sets a parameter of a listed `asset`; names and bounds in [`params::ASSET_PARAMS`].
    /// Changing `kind` or a curve parameter applies to running auctions at once. Ward only.
    ///
    /// # Errors
    /// `LiquidatorUnauthorized`, `LiquidatorLocked`, `LiquidatorAssetNotListed`,
    /// `LiquidatorUnknownParameter`, `LiquidatorParameterOutOfBounds`.
    ///
    /// # Events
    /// [`events::FileAsset`].
    pub fn file_asset(&mut self, asset: Address, what: B256, data: U256) -> Result<(), Error> {
        self.file_asset_value(asset, what, data)
    }

    /// Lists `asset`: reads its and the quote's decimals and sets the defaults of
    /// [`params::Defaults`], with `hole = 0` so that nothing is auctioned until governance
    /// sets a cap. Ward only.
    ///
    /// # Errors
    /// `LiquidatorUnauthorized`, `LiquidatorLocked`, `LiquidatorAssetAlreadyListed`,
    /// `LiquidatorUnsupportedDecimals`, `LiquidatorExternalCallFailed` if a `decimals()` call
    /// fails.
    ///
    /// # Events
    /// [`events::Init`].
    pub fn init(&mut self, asset: Address) -> Result<(), Error> {
        self.list_asset(asset)
    }

    /// Raises the stop level to `level` (1: no kicks; 2: also no redos; 3: also no takes).
    /// The guardian or a ward; lowering the level is for wards, through `file("stopped", …)`.
    ///
    /// # Errors
    /// `LiquidatorUnauthorized`; `LiquidatorParameterOutOfBounds` for a level below the
    /// current one or above 3.
    ///
    /// # Events
    /// [`events::Stop`].
    pub fn stop(&mut self, level: U256) -> Result<(), Error> {
        self.raise_stop(level)
    }

    // ---------------------------------------------------------------- auctions

    /// Starts an auction of `lot` units of `asset`, already transferred to the Liquidator, to
    /// raise `tab` quote units for margin account `account`; `owner` gets back what is left
    /// once `tab` is raised, `keeper` earns `tip + chip · tab` pulled from the caller (see the
    /// crate docs). Wards (engines) only. Returns the auction id.
    ///
    /// # Errors
    /// `LiquidatorUnauthorized`, `LiquidatorStopped` (level ≥ 1), `LiquidatorLocked`,
    /// `LiquidatorInvalidKick`, `LiquidatorAssetNotListed`, `LiquidatorHoleExceeded`,
    /// `LiquidatorExternalCallFailed` (oracle, `balanceOf`, reward transfer),
    /// `LiquidatorInvalidPrice`, `LiquidatorPriceDropBreaker`, `LiquidatorLotNotFunded`.
    ///
    /// # Events
    /// [`events::Kick`].
    pub fn kick(
        &mut self,
        tab: U256,
        lot: U256,
        asset: Address,
        account: U256,
        owner: Address,
        keeper: Address,
    ) -> Result<U256, Error> {
        self.start(tab, lot, asset, account, owner, keeper)
    }

    /// Buys up to `max_collateral` of auction `id` at the current price, if that is at most
    /// `max_price`. The collateral goes to `receiver` first; if `data` is not empty,
    /// `receiver.onTake(caller, owe, slice, data)` is called; then `owe` quote is pulled from
    /// the caller to the engine, collateral left after the tab is raised goes back to the owner,
    /// and the engine is told. A take worth more than the tab is cut to the tab; a partial take
    /// never leaves a tab below `chost`. Returns `(slice, owe)`.
    ///
    /// # Errors
    /// `LiquidatorStopped` (level 3), `LiquidatorLocked`, `LiquidatorZeroTake`,
    /// `LiquidatorAuctionNotRunning`, `LiquidatorNeedsRedo`, `LiquidatorPriceAboveMax`,
    /// `LiquidatorDustRemnant`, `LiquidatorExternalCallFailed` (a transfer, the callback or
    /// the engine reverted).
    ///
    /// # Events
    /// [`events::Take`], and [`events::Close`] when the auction ends.
    pub fn take(
        &mut self,
        id: U256,
        max_collateral: U256,
        max_price: U256,
        receiver: Address,
        data: &[u8],
    ) -> Result<(U256, U256), Error> {
        self.buy(id, max_collateral, max_price, receiver, data)
    }

    /// Restarts auction `id` at `top = oracle price · buf`, once it is older than `tail` or its
    /// price fell below `cusp · top` (or to zero). `keeper` earns `tip + chip · tab`, pulled
    /// from the engine, if the tab and the lot's value at the new price are at least `chost`.
    ///
    /// # Errors
    /// `LiquidatorStopped` (level ≥ 2), `LiquidatorLocked`, `LiquidatorAuctionNotRunning`,
    /// `LiquidatorRedoNotNeeded`, `LiquidatorExternalCallFailed` (oracle, reward transfer),
    /// `LiquidatorInvalidPrice`.
    ///
    /// # Events
    /// [`events::Redo`].
    pub fn redo(&mut self, id: U256, keeper: Address) -> Result<(), Error> {
        self.restart(id, keeper)
    }

    // ---------------------------------------------------------------- views

    /// Whether `usr` is a ward.
    pub fn wards(&self, usr: Address) -> bool {
        self.wards.get(usr)
    }

    /// The global state, in this order: the quote token, the price source, the guardian (the
    /// three addresses as words), the stop level, auctions ever kicked (the last id), auctions
    /// running, `Hole` and `Dirt` (quote units). ABI: see [`router::ILiquidator`]`::state`.
    pub fn state(&self) -> [U256; 8] {
        use records::{caps, head, word};
        let (h, c) = (self.head.get(), self.caps.get());
        [
            head::QUOTE.of(h),
            word(self.oracle.get()),
            word(self.guardian.get()),
            head::STOPPED.of(h),
            head::KICKS.of(h),
            head::COUNT.of(h),
            caps::HOLE.of(c),
            caps::DIRT.of(c),
        ]
    }

    /// Quote that a new kick of `asset` may still put under auction:
    /// `min(Hole − Dirt, hole − dirt)`, zero when either is exhausted.
    pub fn room(&self, asset: Address) -> U256 {
        self.room_of(asset)
    }

    /// The parameters and state of `asset`, in this order: listed (1 or 0), scale, kind, buf,
    /// tail, cusp, chip, tip, chost, hole, dirt, held (the collateral of its running auctions),
    /// tol, last, tau, step, cut; units in [`params::ASSET_PARAMS`]. ABI: see
    /// [`router::ILiquidator`]`::assets`.
    pub fn assets(&self, asset: Address) -> [U256; 17] {
        use records::{asset as f, caps};
        let a = self.assets.getter(asset);
        let (rules, book, caps_word) = (a.rules.get(), a.book.get(), a.caps.get());
        let (start, reward) = (a.start.get(), a.reward.get());
        [
            f::LISTED.of(rules),
            f::SCALE.of(rules),
            f::KIND.of(rules),
            f::BUF.of(start),
            f::TAIL.of(rules),
            f::CUSP.of(rules),
            f::CHIP.of(start),
            f::TIP.of(reward),
            f::CHOST.of(book),
            caps::HOLE.of(caps_word),
            caps::DIRT.of(caps_word),
            f::HELD.of(book),
            f::TOL.of(start),
            f::LAST.of(reward),
            f::TAU.of(rules),
            f::STEP.of(rules),
            f::CUT.of(rules),
        ]
    }

    /// Auction `id`, in this order: engine, asset (addresses as words), account, owner (as a
    /// word), tab, lot, top, tic; all zero when it is not running. ABI: see
    /// [`router::ILiquidator`]`::sales`.
    pub fn sales(&self, id: U256) -> [U256; 8] {
        use records::sale as f;
        let s = self.sales.getter(auction::key(id).unwrap_or_default());
        let (amounts, clock, start) = (s.amounts.get(), s.clock.get(), s.start.get());
        [
            f::ENGINE.of(clock),
            f::ASSET.of(start),
            s.account.get(),
            f::OWNER.of(s.owner.get()),
            f::TAB.of(amounts),
            f::LOT.of(amounts),
            f::TOP.of(start),
            f::TIC.of(clock),
        ]
    }

    /// Ids of the running auctions, in no particular order.
    pub fn list(&self) -> Vec<U256> {
        (0..self.head(records::head::COUNT).as_limbs()[0])
            .map(|i| self.active.get(i))
            .collect()
    }

    /// What a keeper needs to act on auction `id`: `(needsRedo, price, lot, tab)`, where
    /// `price` is what a take would pay per whole collateral token now (WAD). All zero when
    /// the auction is not running.
    ///
    /// # Errors
    /// `LiquidatorMathError` (unreachable within `file`'s bounds).
    pub fn get_status(&self, id: U256) -> Result<(bool, U256, U256, U256), Error> {
        self.status_of(id)
    }
}

#[cfg(test)]
mod tests;
