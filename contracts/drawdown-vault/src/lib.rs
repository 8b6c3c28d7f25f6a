//! Keel's DrawdownVault: an ERC-4626 vault over the quote token whose one MarginEngine account
//! takes leveraged exposure by a CPPI rule, with its drawdown from the high-water mark capped
//! in code.
//!
//! # Model
//! Depositors' quote goes straight into the vault's own engine account (opened by the
//! constructor); the vault's NAV is that account's equity, `max(0, equity)`, marked at the
//! oracle price by the engine. Shares are an ERC-20 with 18 decimals. The vault remembers the
//! high-water mark `HWM` of NAV per share and measures the live drawdown
//! `dd = 1 − navPerShare / HWM`; every deposit, withdrawal, rebalance and `poke` records a new
//! high (and, with no shares outstanding, restarts the mark at the current price). Anyone may [`rebalance`](DrawdownVault::rebalance) the
//! position toward the CPPI target, a step at a time, for a tip.
//!
//! # CPPI
//! ```text
//! floor per share  = HWM · (1 − maxDrawdown)
//! cushion          = max(0, navPerShare − floor) · supply
//! m'               = m                                         dd ≤ softDrawdown
//!                  = m · (maxDrawdown − dd) / (maxDrawdown − softDrawdown)   in the soft band
//!                  = 0                                         dd ≥ maxDrawdown
//! target (notional)= min(m' · cushion, riskModel.maxLeverage(asset) · NAV, leverage · NAV)
//! ```
//! in the strategist's direction, where `leverage = min(strategist's, admin's maxLeverage)`.
//! The market is fixed at construction. The cushion vanishes at the floor, and the soft band
//! takes the multiplier to zero before it, so the vault de-risks pre-emptively. At the hard
//! cap (`dd ≥ maxDrawdown`, noticed by any interaction) the vault is **halted**: the target is
//! zero, the next `rebalance` closes the whole position at once (no step bound), and no risk
//! is taken until a ward calls [`reset`](DrawdownVault::reset) after `coolDown`, which restarts
//! the high-water mark at the current NAV per share.
//!
//! # Rebalancing
//! `rebalance(priceLimit, deadline)` reads the target and moves the position toward it by at
//! most `maxStep` of notional, with two price limits: the caller's (0 = none) and the vault's
//! own, the oracle price `± slippage`; it also reverts when the trade cost the account more
//! equity than `slippage` of the traded notional (the engine's fee included). `slippage`
//! bounds rebalances only, whose cost every holder bears; withdrawals pay the engine's quote. While the vault
//! may not add risk (halted, the guardian's risk pause, or the oracle's `isValid = false`) a
//! rebalance only reduces the position. Anti-griefing: the caller picks neither the size nor
//! the direction; the tip (`tipCap` quote units, flat) is paid only when the step moved at
//! least `minMove` of notional, so dust rebalances earn nothing, and the target moves only
//! with prices and NAV, so a keeper cannot make the vault trade back and forth for tips
//! without the market moving.
//!
//! # Deposits and withdrawals (ERC-4626)
//! `totalAssets` is NAV in quote units rounded down. Shares are priced with
//! [`keel_math::SharePool`] (a virtual `10^(18 − decimals)` shares and one virtual quote unit:
//! an empty vault prices a share at 1 quote, and a donation to an empty vault costs the
//! attacker more than the victim). Rounding is always against the caller:
//! - deposit/mint price shares at NAV rounded **up** (fewer shares, more assets per share);
//! - withdraw/redeem price shares at the **exit NAV**, NAV minus what closing the whole position
//!   costs at the engine's own quote (`IMarginEngine.quoteTrade`: `|size| · |fill − price|`
//!   rounded up, plus the fee), rounded down. A withdrawal first shrinks the position by its
//!   share of the supply (more when the account is below its initial margin, so that the
//!   engine lets the quote out) at exactly the quoted fill, so the remaining holders' leverage
//!   does not rise and the withdrawer pays its own exit, whatever the engine's spread (its
//!   age- and volatility-scaled part included). Previews and `max*` views equal the actions
//!   exactly in the same state. The shrink is checked against the quote
//!   ([`cppi::close_allowance`]). So that the engine's rounding of the shrink never falls on
//!   the remaining holders, each exit with a position open also pays [`cppi::exit_charge`],
//!   rounded up to whole quote units (one unit of a 6-decimal token in practice).
//!
//! Deposits may be paused (guardian) or capped (`depositCap`); withdrawals are never paused,
//! only limited by what the engine lets out (`maxWithdraw` is 0 while a position is open and
//! either the oracle's price is invalid or the account's quote balance is negative).
//!
//! # Roles
//! - Wards (`rely`/`deny`): `file(what, data)` for every parameter of [`params::PARAMS`] and
//!   the pause bits, `fileAddress` for `strategist` and `guardian`, and `reset`.
//! - Strategist: [`set_target`](DrawdownVault::set_target) (direction and leverage within
//!   `maxLeverage`).
//! - Guardian: [`pause`](DrawdownVault::pause), which only adds pause bits (1 deposits,
//!   2 risk-taking); wards clear them with `file("paused", …)`.
//!
//! # States
//! `band()` in the `Drawdown` event and [`state`](DrawdownVault::state): 0 normal, 1 soft band,
//! 2 halted. Pause bits are independent of the band.
//!
//! # Units and rounding
//! NAV, notionals, cushion: WAD quote. NAV per share and HWM: WAD quote per whole share.
//! Fractions, multipliers, leverages: WAD. Sizes: signed WAD base. Quote amounts of the ERC-4626
//! interface, `tipCap`, `depositCap`: quote units. Drawdown rounds up, the floor up, the target
//! and each step down (toward zero), a withdrawal's shrink up.
//!
//! # Deployment
//! `constructor(address quote, address engine, address oracle, address model, uint256 market,
//! address admin)`: reads the quote's decimals (at most 18), `engine.marketAsset(market)` (the
//! RiskOracle and RiskModel asset) and opens the vault's account with
//! `engine.openAccount(address(this))`. Defaults are in [`params::DEFAULTS`]; the strategist's
//! leverage starts at 0, so the vault holds cash until a strategist is set (`fileAddress`) and
//! chooses a target. `slippage` must cover the engine's spread plus fee at the sizes traded,
//! or rebalances revert (`VaultTradeCostExceeded`, or the engine's price-limit error) until
//! a fresher price narrows the spread.
//!
//! # ABI
//! [`router::IDrawdownVault`] declares every external function; the router decodes calls by
//! hand (the Liquidator's pattern). Errors are in [`errors`], events in [`events`], the
//! interfaces called out in `calls.rs` (the subset of `IMarginEngine` of the shared
//! specification, `IRiskOracle.priceData`, `IRiskModel.maxLeverage`, ERC-20).
//!
//! # Cost
//! Parameters live in four packed words and the flags, band and share offset in one
//! ([`params`]); a deposit reads the account's health once, a withdrawal also its position and
//! the oracle, a rebalance also the RiskModel.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, I256, U256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256},
};

mod admin;
mod calls;
pub mod cppi;
pub mod errors;
pub mod events;
pub mod params;
pub mod router;
mod token;
mod vault;

pub use errors::Error;

/// The vault's storage. Parameters are packed four to a word, see [`params`].
#[storage]
#[entrypoint]
pub struct DrawdownVault {
    /// The quote token (the ERC-4626 asset).
    quote: StorageAddress,
    /// Pause bits, halted, direction, band, share offset: a [`params::Status`].
    status: StorageU256,
    /// The MarginEngine.
    engine: StorageAddress,
    /// The RiskOracle.
    oracle: StorageAddress,
    /// The RiskModel.
    model: StorageAddress,
    /// The market's oracle asset.
    asset: StorageAddress,
    /// May call `setTarget`.
    strategist: StorageAddress,
    /// May add pause bits.
    guardian: StorageAddress,
    /// The engine market the vault trades.
    market: StorageU256,
    /// The vault's engine account.
    account: StorageU256,
    /// High-water mark of NAV per share, WAD.
    hwm: StorageU256,
    /// Shares in existence.
    supply: StorageU256,
    /// `maxDrawdown`, `softDrawdown`, `multiplier`, `slippage`.
    rules: StorageU256,
    /// `maxLeverage`, leverage, `coolDown`, halt time.
    strategy: StorageU256,
    /// `maxStep`, `minMove`.
    moves: StorageU256,
    /// `tipCap`, `depositCap`.
    money: StorageU256,
    /// Share balances.
    balances: StorageMap<Address, StorageU256>,
    /// Share allowances, owner → spender.
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Admins.
    wards: StorageMap<Address, StorageBool>,
}

impl DrawdownVault {
    /// Deploys the vault over `quote`, trading `market` of `engine` with prices from `oracle`
    /// and leverage caps from `model`; opens the vault's engine account, sets the defaults of
    /// [`params::DEFAULTS`] and makes `admin` the first ward.
    ///
    /// # Errors
    /// `VaultUnsupportedDecimals` (more than 18), `VaultExternalCallFailed`.
    ///
    /// # Events
    /// [`events::Rely`] for `admin`; [`events::Drawdown`] with the mark at 1.
    pub fn constructor(
        &mut self,
        quote: Address,
        engine: Address,
        oracle: Address,
        model: Address,
        market: U256,
        admin: Address,
    ) -> Result<(), Error> {
        self.init(quote, engine, oracle, model, market, admin)
    }

    // ---------------------------------------------------------------- ERC-4626

    /// The quote token.
    pub fn asset(&self) -> Address {
        self.quote.get()
    }

    /// NAV in quote units, rounded down: `max(0, equity)` of the vault's engine account.
    ///
    /// # Errors
    /// `VaultExternalCallFailed` when the engine cannot value the account.
    pub fn total_assets(&self) -> Result<U256, Error> {
        self.assets_now()
    }

    /// Shares worth `assets` at `totalAssets`, rounded down (no exit cost, no limits).
    ///
    /// # Errors
    /// As [`total_assets`](Self::total_assets).
    pub fn convert_to_shares(&self, assets: U256) -> Result<U256, Error> {
        Ok(self.ideal_pool()?.to_shares_down(assets)?)
    }

    /// Assets `shares` are worth at `totalAssets`, rounded down (no exit cost, no limits).
    ///
    /// # Errors
    /// As [`total_assets`](Self::total_assets).
    pub fn convert_to_assets(&self, shares: U256) -> Result<U256, Error> {
        Ok(self.ideal_pool()?.to_assets_down(shares)?)
    }

    /// Most assets `receiver` may deposit now: 0 while deposits are paused, else what is left
    /// under `depositCap` (unbounded: `2^256 − 1`). Never reverts (0 when NAV is unknown).
    pub fn max_deposit(&self, _receiver: Address) -> U256 {
        self.entry_limits().map_or(U256::ZERO, |(assets, _)| assets)
    }

    /// Most shares `receiver` may mint now (see [`max_deposit`](Self::max_deposit)).
    pub fn max_mint(&self, _receiver: Address) -> U256 {
        self.entry_limits().map_or(U256::ZERO, |(_, shares)| shares)
    }

    /// Most assets `owner` may withdraw now: its shares at the exit NAV, or 0 while the
    /// engine would not let quote out (see the crate docs). Never reverts.
    pub fn max_withdraw(&self, owner: Address) -> U256 {
        self.exit_limits(owner)
            .map_or(U256::ZERO, |(assets, _)| assets)
    }

    /// Most shares `owner` may redeem now (see [`max_withdraw`](Self::max_withdraw)).
    pub fn max_redeem(&self, owner: Address) -> U256 {
        self.exit_limits(owner)
            .map_or(U256::ZERO, |(_, shares)| shares)
    }

    /// Shares a deposit of `assets` mints now (NAV rounded up, shares down).
    ///
    /// # Errors
    /// As [`total_assets`](Self::total_assets).
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, Error> {
        Ok(self.snapshot()?.entry()?.to_shares_down(assets)?)
    }

    /// Assets a mint of `shares` costs now (rounded up).
    ///
    /// # Errors
    /// As [`total_assets`](Self::total_assets).
    pub fn preview_mint(&self, shares: U256) -> Result<U256, Error> {
        Ok(self.snapshot()?.entry()?.to_assets_up(shares)?)
    }

    /// Shares a withdrawal of `assets` burns now (exit NAV, rounded up).
    ///
    /// # Errors
    /// As [`total_assets`](Self::total_assets); the oracle's or the engine's quote call
    /// failing; `VaultNoPrice` with a position open while the oracle's price is invalid (the
    /// engine quotes no close then, and a withdrawal would revert too).
    pub fn preview_withdraw(&self, assets: U256) -> Result<U256, Error> {
        let s = self.snapshot()?;
        Ok(self
            .exit_price(&s, &self.market_now()?)?
            .shares_for(assets)?)
    }

    /// Assets a redemption of `shares` pays now (exit NAV, rounded down).
    ///
    /// # Errors
    /// As [`preview_withdraw`](Self::preview_withdraw).
    pub fn preview_redeem(&self, shares: U256) -> Result<U256, Error> {
        let s = self.snapshot()?;
        Ok(self
            .exit_price(&s, &self.market_now()?)?
            .assets_for(shares)?)
    }

    /// Pulls `assets` quote from the caller into the engine account and mints shares to
    /// `receiver`; returns the shares.
    ///
    /// # Errors
    /// `ERC4626ExceededMaxDeposit`, `ERC20InvalidReceiver`, `VaultExternalCallFailed`.
    ///
    /// # Events
    /// [`events::Transfer`], [`events::Deposit`]; [`events::Drawdown`] if the mark or band moved.
    pub fn deposit(&mut self, assets: U256, receiver: Address) -> Result<U256, Error> {
        self.enter(assets, false, receiver)
    }

    /// Mints exactly `shares` to `receiver` for the assets [`preview_mint`](Self::preview_mint)
    /// says; returns the assets.
    ///
    /// # Errors
    /// `ERC4626ExceededMaxMint`, as [`deposit`](Self::deposit).
    ///
    /// # Events
    /// As [`deposit`](Self::deposit).
    pub fn mint(&mut self, shares: U256, receiver: Address) -> Result<U256, Error> {
        self.enter(shares, true, receiver)
    }

    /// Burns `owner`'s shares worth `assets` at the exit NAV (spending the caller's allowance
    /// unless it is `owner`), shrinks the position and sends `assets` to `receiver`; returns
    /// the shares.
    ///
    /// # Errors
    /// `ERC4626ExceededMaxWithdraw`, `ERC20InsufficientAllowance`, `VaultTradeCostExceeded`,
    /// `VaultExternalCallFailed`.
    ///
    /// # Events
    /// [`events::Transfer`], [`events::Withdraw`], [`events::Shrink`] when a position was
    /// open; [`events::Drawdown`] if the mark or band moved.
    pub fn withdraw(
        &mut self,
        assets: U256,
        receiver: Address,
        owner: Address,
    ) -> Result<U256, Error> {
        self.leave(assets, false, receiver, owner)
    }

    /// Burns exactly `shares` of `owner` for the assets
    /// [`preview_redeem`](Self::preview_redeem) says; returns the assets.
    ///
    /// # Errors
    /// `ERC4626ExceededMaxRedeem`, as [`withdraw`](Self::withdraw).
    ///
    /// # Events
    /// As [`withdraw`](Self::withdraw).
    pub fn redeem(
        &mut self,
        shares: U256,
        receiver: Address,
        owner: Address,
    ) -> Result<U256, Error> {
        self.leave(shares, true, receiver, owner)
    }

    // ---------------------------------------------------------------- drawdown and CPPI

    /// The high-water mark of NAV per share, WAD (as last recorded by an interaction).
    pub fn high_water_mark(&self) -> U256 {
        self.hwm.get()
    }

    /// NAV per share, WAD quote per whole share (with the virtual share and asset).
    ///
    /// # Errors
    /// As [`total_assets`](Self::total_assets).
    pub fn nav_per_share(&self) -> Result<U256, Error> {
        Ok(self.snapshot()?.nav_per_share)
    }

    /// Live drawdown from the high-water mark, WAD fraction (0 at or above it).
    ///
    /// # Errors
    /// As [`total_assets`](Self::total_assets).
    pub fn drawdown(&self) -> Result<U256, Error> {
        Ok(self.snapshot()?.drawdown)
    }

    /// The notional (signed WAD quote) a rebalance moves toward now: the CPPI target in the
    /// strategist's direction, reduce-only while the vault may not add risk, 0 when halted.
    ///
    /// # Errors
    /// As [`total_assets`](Self::total_assets); oracle and model calls failing.
    pub fn target_exposure(&self) -> Result<I256, Error> {
        let s = self.snapshot()?;
        let m = self.market_now()?;
        self.aim(&s, &m)
    }

    /// The position's notional at the oracle price, signed WAD quote (+ long).
    ///
    /// # Errors
    /// The engine's or the oracle's call failing.
    pub fn exposure(&self) -> Result<I256, Error> {
        let m = self.market_now()?;
        Ok(cppi::notional(m.size, m.price)?)
    }

    /// Moves the position toward [`target_exposure`](Self::target_exposure) by at most
    /// `maxStep` (the whole position when halted), with fill at most `priceLimit` for a buy and
    /// at least it for a sell (0: only the vault's own `oracle ± slippage` limit), before
    /// `deadline`. Pays the caller `tipCap` quote when the step moved at least `minMove`.
    /// Returns the size traded and the tip. Anyone may call.
    ///
    /// # Errors
    /// `VaultDeadlinePassed`, `VaultNoPrice`, `VaultTradeCostExceeded`,
    /// `VaultExternalCallFailed` (the engine refused the trade, e.g. the sequencer forbids
    /// adding risk).
    ///
    /// # Events
    /// [`events::Rebalance`] when it traded; [`events::Drawdown`] if the mark or band moved.
    pub fn rebalance(&mut self, price_limit: U256, deadline: U256) -> Result<(I256, U256), Error> {
        self.rebalance_now(price_limit, deadline)
    }

    /// Records the high-water mark and the drawdown band now (and halts at the hard cap).
    /// Anyone may call.
    ///
    /// # Errors
    /// As [`total_assets`](Self::total_assets).
    ///
    /// # Events
    /// [`events::Drawdown`] if the mark or band moved.
    pub fn poke(&mut self) -> Result<(), Error> {
        let s = self.snapshot()?;
        self.settle(&s)
    }

    // ---------------------------------------------------------------- roles

    /// Sets the direction (`isLong`) and leverage (WAD multiple of NAV, at most the admin's
    /// `maxLeverage`). Strategist only.
    ///
    /// # Errors
    /// `VaultUnauthorized`, `VaultParameterOutOfBounds`.
    ///
    /// # Events
    /// [`events::Target`].
    pub fn set_target(&mut self, is_long: bool, leverage: U256) -> Result<(), Error> {
        self.choose(is_long, leverage)
    }

    /// Adds pause bits (1: deposits, 2: risk-taking); the guardian or a ward.
    ///
    /// # Errors
    /// `VaultUnauthorized`, `VaultParameterOutOfBounds` (bits above 3).
    ///
    /// # Events
    /// [`events::Pause`].
    pub fn pause(&mut self, flags: U256) -> Result<(), Error> {
        self.add_pause(flags)
    }

    /// Clears the halt once `coolDown` has passed since it, and restarts the high-water mark
    /// at the current NAV per share. Ward only.
    ///
    /// # Errors
    /// `VaultUnauthorized`, `VaultNotHalted`, `VaultCoolingDown`.
    ///
    /// # Events
    /// [`events::Reset`], [`events::Drawdown`].
    pub fn reset(&mut self) -> Result<(), Error> {
        self.unhalt()
    }

    /// Makes `usr` a ward. Ward only.
    ///
    /// # Errors
    /// `VaultUnauthorized`.
    ///
    /// # Events
    /// [`events::Rely`].
    pub fn rely(&mut self, usr: Address) -> Result<(), Error> {
        self.set_ward(usr, true)
    }

    /// Removes `usr` from the wards. Ward only.
    ///
    /// # Errors
    /// `VaultUnauthorized`.
    ///
    /// # Events
    /// [`events::Deny`].
    pub fn deny(&mut self, usr: Address) -> Result<(), Error> {
        self.set_ward(usr, false)
    }

    /// Whether `usr` is a ward.
    pub fn wards(&self, usr: Address) -> bool {
        self.wards.get(usr)
    }

    /// Sets a numeric parameter of [`params::PARAMS`] or the pause bits (`paused`). Ward only.
    ///
    /// # Errors
    /// `VaultUnauthorized`, `VaultUnknownParameter`, `VaultParameterOutOfBounds`.
    ///
    /// # Events
    /// [`events::File`].
    pub fn file(&mut self, what: alloy_primitives::B256, data: U256) -> Result<(), Error> {
        self.file_value(what, data)
    }

    /// Sets `strategist` or `guardian` (zero: none). Ward only.
    ///
    /// # Errors
    /// `VaultUnauthorized`, `VaultUnknownParameter`.
    ///
    /// # Events
    /// [`events::FileAddress`].
    pub fn file_address(
        &mut self,
        what: alloy_primitives::B256,
        data: Address,
    ) -> Result<(), Error> {
        self.file_role(what, data)
    }

    /// The vault's state, in this order: engine, oracle, model, market asset, strategist,
    /// guardian (addresses as words), market, account, pause bits, halted (1/0), halt time,
    /// band, isLong (1/0), leverage. ABI: see [`router::IDrawdownVault`]`::state`.
    pub fn state(&self) -> [U256; 14] {
        self.state_words()
    }

    /// The parameters, in the order of [`params::PARAMS`]. ABI: see
    /// [`router::IDrawdownVault`]`::params`.
    pub fn params(&self) -> [U256; 10] {
        self.param_words()
    }
}

#[cfg(test)]
mod tests;
