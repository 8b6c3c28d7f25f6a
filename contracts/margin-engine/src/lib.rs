//! Keel's MarginEngine: margin accounts, collateral with haircuts, perpetual positions, health,
//! and the counterparty pool's ledger (Maker's Vat: the ledger, nothing else).
//!
//! Anyone [`open`](MarginEngine::open_account)s margin accounts (several per owner, ids from 1)
//! and funds them with the quote token or listed collateral; the owner or an approved operator
//! withdraws and [`trade`](MarginEngine::trade)s cash-settled perpetual positions, marked to the
//! RiskOracle. Every trade's counterparty is the pool, a ledger entry funded by LPs for shares;
//! fees and traders' realised losses go to it, traders' realised profits come from it. The
//! engine holds every token. Liquidation, insurance and ADL live in the Backstop, a ward that
//! acts through the hooks [`confiscate`](MarginEngine::confiscate),
//! [`charge`](MarginEngine::charge), [`seize`](MarginEngine::seize) and
//! [`socialise`](MarginEngine::socialise).
//!
//! # ABI
//! [`router::IMarginEngine`] declares every external function in Solidity; the router decodes
//! calls by hand (the Liquidator's pattern: no `#[public]`, see `keel_common::abi`) and calls
//! the methods of [`MarginEngine`], which native tests call directly. Errors are in [`errors`],
//! events in [`events`], parameters in [`params`], the interfaces called out in `calls.rs`.
//!
//! # Model
//! - **Equity** = Σ collateral · price · (1 − haircut) [· (1 − correlationHaircut)] plus the
//!   quote balance plus Σ size · (mark − entry). Fees are charged at trade time, so nothing is
//!   owed later.
//! - **Margins**: `IM = Σ |size| · mark · initialMargin(asset)`, `MM` likewise with
//!   `maintenanceMargin(asset)`, fractions from the RiskModel (volatility-scaled, so a
//!   volatility spike raises both). `healthFactor = equity / MM`; liquidatable when
//!   `equity < MM` (an account without positions but with negative equity is liquidatable:
//!   its collateral covers its debt).
//! - **Wrong-way risk**: a collateral token listed with `correlatedAsset = X` takes its
//!   `correlationHaircut` on top of its haircut while the account is **long** a market on `X`
//!   (the collateral and the position fall together). A short on `X` hedges the collateral, so
//!   it takes no extra haircut. A collateral token is priced by the RiskOracle under its own
//!   address (`priceData(token)`).
//! - **Fill price**: `price · (1 ± spread)`, up for buys and down for sells, with
//!   `spread = baseSpread + volSpread · σ · √age` (capped at 50 %), `σ` the oracle's
//!   volatility index (annualised, WAD) and `age` the seconds since the price's round (read
//!   from `priceData`, √ to six decimals, ages beyond 2^24 s clamped). An old price may hide a
//!   move of about `σ · √age` already made by the market; the spread charges it, so trading a
//!   stale oracle does not pay (`volSpread = 1/√(seconds per year) ≈ 1.78e14` charges one
//!   standard deviation). The fee, `fee · |size| · fill`, is charged to the quote balance and
//!   credited to the pool. `quoteTrade(market, sizeDelta)` returns both for a trade now, so
//!   that integrators (the DrawdownVault's exits) price exactly what `trade` will do.
//! - **Positions**: increases average the entry price, rounded against the trader (up for
//!   longs, down for shorts); reductions realise `closed · (fill − entry)` (signed, rounded
//!   down) between the quote balance and the pool; a trade through zero closes then opens the
//!   rest at the fill.
//! - **Adding risk** (opening, increasing, flipping) needs: not paused (`stopped`), the
//!   sequencer safe to add risk, the market's open-interest cap on the side that grows, the
//!   resulting `|size| ≥ minSize`, at most `maxPositions` markets (≤ 8, so a health check reads
//!   at most 8 markets and 16 collateral prices), and equity ≥ IM after the trade with every
//!   price trustworthy. **Reducing** needs none of them, only a trustworthy price of the traded
//!   market: a fill at a stale price is the very latency arbitrage the spread prices, so a
//!   reduction waits, like an opening, for the oracle to recover (the Backstop's `confiscate`
//!   takes its own price).
//! - **Prices**: state changes that rely on a value (adding risk; withdrawals while the
//!   account has positions or owes quote; pool deposits and redemptions) need the oracle to
//!   vouch for every price they read (`priceData.isValid`). Views (`accountHealth`,
//!   `healthFactor`, `isLiquidatable`, `poolState`) value at the oracle's last accepted price
//!   instead, so that integrators can still read an account while a feed is stale; a zero
//!   price (no price at all) always reverts.
//! - **Tokens**: fee-on-transfer tokens are refused at every deposit: the engine's balance must
//!   grow by exactly the amount (`EngineTransferMismatch`). Chosen over a probe at listing,
//!   which cannot see a fee switched on later and needs the admin to hold the token. Rebasing
//!   tokens cannot be detected by a transfer and must not be listed: the engine keeps its own
//!   ledger of every amount.
//! - **Pool**: `traderPnl = Σ_markets (price · netSize − Σ size · entry)` from per-market
//!   aggregates (one price per market with open interest, at most 32 markets);
//!   `totalAssets = max(0, balance − traderPnl)`. Shares use `keel_math::SharePool` with a
//!   virtual offset of 6 (deposits and redemptions round down). A redemption pays whole quote
//!   units from the ledger (`EnginePoolInsufficient` if the ledger cannot pay) and must leave
//!   `traderPnl ≤ maxProfitRatio · totalAssets` while traders are in profit
//!   (`EnginePoolProfitCap`).
//! - **Bounded work**: at most 32 markets (an account's markets are a bitmask), 16 collateral
//!   tokens (a health check reads the account's balance of each listed one, and prices those
//!   held) and `maxPositions ≤ 8` markets per account.
//! - **Left out for code size** (the deployed code must stay under 24 KiB): the views
//!   `liquidationPrice` and `insolvencyProbability`, a guardian role, and views of the
//!   parameters (read them from the listing and `File*` events). The two risk views follow
//!   from the engine's views: with `K = |size| · mm − size` (`mm` the model's maintenance
//!   fraction) the liquidation price is `mark + (equity − MM) / K`; the insolvency
//!   probability is `RiskModel.insolvencyProbability(asset, size > 0, mark, equity, |size|,
//!   horizon)` with the account's whole equity attributed to the position.
//!
//! # Units and rounding
//! Token amounts in and out are in each token's units; everything inside and every value view
//! is WAD quote; prices are WAD quote per whole unit; sizes are `int256` WAD base units. What a
//! user receives rounds down and what a user owes rounds up: collateral value, unrealised PnL
//! and realised PnL down, margins and fees up; redemptions pay whole token units rounded down,
//! and `charge` sends rounded-down units, the dust of both staying in the pool's ledger. So
//! `Σ quote balances + pool ledger` equals the quote deposited minus the quote paid out, in
//! WAD, exactly.
//!
//! # Roles
//! - **Wards** (`rely`/`deny`): governance and the Backstop. List and `file` everything, pause
//!   new risk (`file("stopped", 1)`), and call the hooks. The oracle and the model are fixed at
//!   construction.
//! - **Owner** of an account: `setOperator`, plus everything an operator does.
//! - **Operator**: `withdraw` (to any address) and `trade` for the account. For an account never
//!   opened, both fail with `EngineUnauthorized` (it has no owner).
//! - **Anyone**: open accounts, deposit into any account, the pool.
//!
//! # Glossary
//! - `mark`: the oracle price a position is valued at.
//! - `entry`: a position's average entry price.
//! - `IM`, `MM`: initial and maintenance margin requirements, WAD quote.
//! - `haircut`, `correlationHaircut`: fractions of a collateral's price not counted, WAD.
//! - `OI`: open interest, Σ |size| of one side of a market.
//! - `cost`: a market's `Σ size · entry`, the pool's view of what traders paid.
//! - `pool ledger` / `balance`: the pool's quote, WAD; `traderPnl`: traders' unrealised PnL.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolEvent;
use keel_common::abi::Word;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageI256, StorageMap, StorageU256},
};

mod accounts;
mod admin;
mod calls;
pub mod errors;
pub mod events;
mod health;
pub mod params;
mod pool;
mod records;
pub mod router;
mod signed;
mod trade;

pub use errors::Error;
use records::{Account, Collateral, Market};

/// The MarginEngine's storage. Packed words are laid out in `records.rs`.
#[storage]
#[entrypoint]
pub struct MarginEngine {
    /// `quote`, its decimals, and the listing and account counters.
    head: StorageU256,
    /// The numeric global parameters and the RiskOracle.
    globals: StorageU256,
    /// The RiskModel.
    links: StorageU256,
    /// Governance and the Backstop.
    wards: StorageMap<Address, StorageBool>,
    /// Margin accounts by id.
    accounts: StorageMap<U256, Account>,
    /// Markets by id.
    markets: StorageMap<U256, Market>,
    /// Listed collateral tokens.
    collaterals: StorageMap<Address, Collateral>,
    /// Collateral tokens by index `1..=count`.
    collateral_list: StorageMap<U256, StorageAddress>,
    /// The pool's ledger, WAD quote.
    pool_balance: StorageI256,
    /// All LP shares.
    pool_supply: StorageU256,
    /// LP shares by holder.
    pool_shares: StorageMap<Address, StorageU256>,
}

impl MarginEngine {
    /// Sets the quote token (reading its decimals once), the oracle and the model, makes `admin`
    /// the first ward, and sets `maxPositions = 8`, `maxProfitRatio = 0.5`.
    ///
    /// # Errors
    /// `EngineZeroArgument` for a zero address; `EngineUnsupportedDecimals`,
    /// `EngineExternalCallFailed` from `quote.decimals()`.
    ///
    /// # Events
    /// [`events::Rely`] for `admin`.
    pub fn constructor(
        &mut self,
        quote: Address,
        oracle: Address,
        model: Address,
        admin: Address,
    ) -> errors::Result<()> {
        if quote.is_zero() || oracle.is_zero() || model.is_zero() || admin.is_zero() {
            return Err(errors::zero_argument());
        }
        let decimals = self.decimals_of(quote)?;
        let head = records::head::DECIMALS.with(records::word(quote), U256::from(decimals))?;
        self.head.set(head);
        let globals =
            records::globals::MAX_POSITIONS.with(U256::ZERO, U256::from(params::MAX_POSITIONS))?;
        let half = U256::from(keel_math::WAD.as_limbs()[0] / 2);
        let globals = records::globals::MAX_PROFIT_RATIO.with(globals, half)?;
        let globals = records::globals::ORACLE.with(globals, records::word(oracle))?;
        self.globals.set(globals);
        self.links.set(records::word(model));
        self.wards.setter(admin).set(true);
        self.emit(&[events::Rely::SIGNATURE_HASH, admin.word()], &[]);
        Ok(())
    }

    /// Makes `usr` a ward. Ward only.
    ///
    /// # Errors
    /// `EngineUnauthorized`.
    ///
    /// # Events
    /// [`events::Rely`].
    pub fn rely(&mut self, usr: Address) -> errors::Result<()> {
        self.auth()?;
        self.wards.setter(usr).set(true);
        self.emit(&[events::Rely::SIGNATURE_HASH, usr.word()], &[]);
        Ok(())
    }

    /// Removes `usr` from the wards. Ward only.
    ///
    /// # Errors
    /// `EngineUnauthorized`.
    ///
    /// # Events
    /// [`events::Deny`].
    pub fn deny(&mut self, usr: Address) -> errors::Result<()> {
        self.auth()?;
        self.wards.setter(usr).set(false);
        self.emit(&[events::Deny::SIGNATURE_HASH, usr.word()], &[]);
        Ok(())
    }

    /// Whether `usr` is a ward.
    pub fn wards(&self, usr: Address) -> bool {
        self.wards.get(usr)
    }

    /// The caller must be a ward.
    pub(crate) fn auth(&self) -> errors::Result<()> {
        let caller = self.vm().msg_sender();
        if !self.wards.get(caller) {
            return Err(errors::unauthorized(caller));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
