//! The MarginEngine's ABI, and the router that decodes calls to it, by hand.
//!
//! [`IMarginEngine`] declares every external function once, in Solidity: the functions of the
//! binding interface first (unchanged), then the engine's additions (governance, listing,
//! `openInterest`, `quoteTrade`). Its selectors drive the router below, and the tests build
//! their calls from it.
//!
//! Why not `#[public]`: the SDK's generated router brings one validating decoder per argument
//! list and one encoder per return type, many kilobytes of the 24 KiB limit. Every argument
//! here is a static word, so one small reader does the same work. The router keeps the SDK's
//! rules: calls with value revert (nothing is payable), malformed arguments revert with empty
//! data (an address with dirty upper bits, a `bool` other than 0 or 1, too little calldata),
//! unknown selectors revert, and the constructor runs once.

use alloc::{vec, vec::Vec};

use alloy_primitives::{I256, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    abi::Router,
    prelude::*,
    stylus_core::{host::MessageAccess, ConstructorGuard},
    ArbResult,
};

use keel_common::abi::{uints, words, Args, Word};

use crate::{errors::iword, Error, MarginEngine};

sol! {
    /// The MarginEngine's external interface (see the crate docs and each method).
    interface IMarginEngine {
        // accounts
        /// Opens a new margin account for `owner` and returns its id (from 1). Anyone may call,
        /// for any owner; an owner may hold several accounts.
        function openAccount(address owner) external returns (uint256 account);
        /// Approves (`approved = true`) or revokes `operator` to withdraw and trade for
        /// `account`. Owner of the account only.
        function setOperator(uint256 account, address operator, bool approved) external;
        /// The owner of `account`; zero if it was never opened.
        function accountOwner(uint256 account) external view returns (address);
        /// Whether `who` is an approved operator of `account`.
        function isOperator(uint256 account, address who) external view returns (bool);
        // collateral
        /// Pulls `amount` units of `token` (the quote token or a listed collateral token) from
        /// the caller into `account`. Anyone may fund any opened account; collateral deposits
        /// respect the token's cap, and fee-on-transfer tokens are refused.
        function deposit(uint256 account, address token, uint256 amount) external;
        /// Sends `amount` units of `token` from `account` to `to`. Owner or operator; the quote
        /// balance never goes below zero, and while the account has positions or owes quote its
        /// equity must stay at or above its initial margin, valued at trustworthy prices.
        function withdraw(uint256 account, address token, uint256 amount, address to) external;
        /// Collateral `token` held by `account`, in token units (0 for the quote token: see
        /// `quoteBalance`).
        function collateralOf(uint256 account, address token) external view returns (uint256 amount);
        /// `account`'s quote balance, signed WAD quote (negative: owed).
        function quoteBalance(uint256 account) external view returns (int256);
        // trading
        /// Trades `sizeDelta` (signed WAD base units: + buys, - sells) of `market` for `account`
        /// at the oracle price plus or minus the spread, charging the fee (WAD quote, rounded
        /// up) to the quote balance. Owner or operator; reverts after `deadline` (block time)
        /// or when the fill is above `priceLimit` for a buy or below it for a sell; returns the
        /// fill price (WAD quote per unit, rounded against the trader).
        function trade(uint256 account, uint256 market, int256 sizeDelta, uint256 priceLimit, uint256 deadline)
            external returns (uint256 fillPrice);
        /// `account`'s position in `market`: its size (signed WAD base units) and average entry
        /// price (WAD quote per unit); zeros when flat.
        function position(uint256 account, uint256 market) external view returns (int256 size, uint256 entryPrice);
        /// The ids of the markets in which `account` holds a position, lowest first.
        function accountMarkets(uint256 account) external view returns (uint256[] memory markets);
        /// The RiskOracle asset of `market`; reverts with `EngineUnknownMarket` if it is not
        /// listed.
        function marketAsset(uint256 market) external view returns (address asset);
        // health
        /// `account`'s equity and its initial and maintenance margins, WAD quote, at the
        /// oracle's last accepted prices (collateral value and PnL round down, margins up).
        function accountHealth(uint256 account) external view returns (int256 equity, uint256 initialMargin, uint256 maintenanceMargin);
        /// Equity over maintenance margin, WAD, rounded down, at the oracle's last accepted
        /// prices: 2^256 - 1 without positions (no requirement), 0 when equity <= 0.
        function healthFactor(uint256 account) external view returns (uint256);
        /// Whether `account`'s equity is below its maintenance margin at the oracle's last
        /// accepted prices (an account without positions but with negative equity is).
        function isLiquidatable(uint256 account) external view returns (bool);
        // pool
        /// Pulls `assets` quote token units from the caller into the counterparty pool for LP
        /// shares credited to `receiver`, rounded down, valued at trustworthy prices. Anyone;
        /// returns the shares.
        function poolDeposit(uint256 assets, address receiver) external returns (uint256 shares);
        /// Burns `shares` of the caller for their value, rounded down to whole quote token
        /// units, sent to `receiver`; refused when the pool's ledger cannot pay or traders'
        /// unrealised profit would exceed `maxProfitRatio` times the pool's assets after it.
        /// Returns the quote token units paid.
        function poolRedeem(uint256 shares, address receiver) external returns (uint256 assets);
        /// LP shares of `lp`.
        function poolSharesOf(address lp) external view returns (uint256);
        /// The pool's `totalAssets` (`max(0, balance - traderPnl)`), `totalShares`, `traderPnl`
        /// (traders' unrealised PnL, rounded up) and `balance` (its ledger, shown as 0 if
        /// negative): WAD quote but for shares, at the oracle's last accepted prices.
        function poolState() external view returns (uint256 totalAssets, uint256 totalShares, int256 traderPnl, uint256 balance);
        // ward-only hooks
        /// Closes `sizeDelta` (signed WAD base, toward zero and never through it) of `account`'s
        /// position in `market` at `price` (WAD), without fee or margin checks. Wards only (the
        /// Backstop); returns the realised PnL (signed WAD, rounded down), settled with the pool.
        function confiscate(uint256 account, uint256 market, int256 sizeDelta, uint256 price) external returns (int256 realisedPnl);
        /// Debits `amount` (WAD quote) from `account`'s quote balance, which may go negative,
        /// and sends it to `to` in quote token units rounded down; the dust goes to the pool.
        /// Wards only.
        function charge(uint256 account, uint256 amount, address to) external;
        /// Moves `amount` units of collateral `token` from `account` to `to`. Wards only.
        function seize(uint256 account, address token, uint256 amount, address to) external;
        /// Pays `amount` (WAD quote) from the pool's ledger into `account`'s quote balance: bad
        /// debt socialised to the LPs. Wards only.
        function socialise(uint256 account, uint256 amount) external;
        /// Makes `usr` a ward. Wards only.
        function rely(address usr) external;
        /// Removes `usr` from the wards. Wards only.
        function deny(address usr) external;
        /// Whether `usr` is a ward.
        function wards(address usr) external view returns (bool);

        // ---- additions: governance and listing
        /// Sets the global parameter `what` to `data`: `maxProfitRatio` (WAD, at most 10),
        /// `maxPositions` (1 to 8) or `stopped` (1 pauses new risk, 0 resumes). Wards only.
        function file(bytes32 what, uint256 data) external;
        /// Lists collateral `token` (not the quote token) with its `haircut` and
        /// `correlationHaircut` (WAD, at most 1), deposit `cap` (token units, all accounts
        /// together) and `correlatedAsset` (zero: none). At most 16 tokens; wards only.
        function listCollateral(address token, uint256 haircut, uint256 cap, address correlatedAsset, uint256 correlationHaircut) external;
        /// Sets the parameter `what` (`haircut`, `cap`, `correlatedAsset` or
        /// `correlationHaircut`) of listed collateral `token` to `data`. Wards only.
        function fileCollateral(address token, bytes32 what, uint256 data) external;
        /// Lists a market on RiskOracle `asset` with zero fees, spreads, open-interest caps and
        /// minimum size (nothing trades until caps are set); returns its id, from 1. At most
        /// 32 markets; wards only.
        function listMarket(address asset) external returns (uint256 market);
        /// Sets the parameter `what` of `market` to `data`: `fee`, `baseSpread` (WAD, at most
        /// 5 %), `volSpread` (WAD, at most 1), `oiCapLong`, `oiCapShort` or `minSize` (WAD base
        /// units). Wards only.
        function fileMarket(uint256 market, bytes32 what, uint256 data) external;
        // ---- additions: views
        /// The long and short open interest of `market` (the sum of `|size|` on each side), WAD
        /// base units.
        function openInterest(uint256 market) external view returns (uint256 long, uint256 short);
        /// The fill price (WAD quote per unit, rounded against the trader) and fee (WAD quote,
        /// rounded up) a `trade` of `sizeDelta` in `market` would get now, at a price the
        /// oracle vouches for.
        function quoteTrade(uint256 market, int256 sizeDelta) external view returns (uint256 fillPrice, uint256 fee);
    }
}

/// A call's return data or its revert data.
fn ret(result: Result<Vec<u8>, Error>) -> ArbResult {
    result.map_err(Vec::from)
}

/// Word `i` as a signed number.
fn int(a: Args<'_>, i: usize) -> Option<I256> {
    a.uint(i).map(I256::from_raw)
}

/// Word `i` as a `bool`; `None` unless it is 0 or 1.
fn flag(a: Args<'_>, i: usize) -> Option<bool> {
    let v = a.uint(i)?;
    (v <= U256::from(1)).then(|| v == U256::from(1))
}

/// Return data of one word.
fn one(w: impl Word) -> Vec<u8> {
    words(&[w.word()])
}

impl MarginEngine {
    /// Runs the function `selector` names; `None` for an unknown selector or malformed
    /// arguments (the SDK then reverts with empty data).
    fn dispatch(&mut self, selector: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
        use IMarginEngine as I;
        let none = |()| Vec::new();
        let out = match selector {
            I::openAccountCall::SELECTOR => ret(self.open_account(a.address(0)?).map(one)),
            I::setOperatorCall::SELECTOR => {
                let (account, operator, approved) = (a.uint(0)?, a.address(1)?, flag(a, 2)?);
                ret(self.set_operator(account, operator, approved).map(none))
            }
            I::accountOwnerCall::SELECTOR => Ok(one(self.account_owner(a.uint(0)?))),
            I::isOperatorCall::SELECTOR => Ok(one(self.is_operator(a.uint(0)?, a.address(1)?))),
            I::depositCall::SELECTOR => {
                let (account, token, amount) = (a.uint(0)?, a.address(1)?, a.uint(2)?);
                ret(self.deposit(account, token, amount).map(none))
            }
            I::withdrawCall::SELECTOR => {
                let (account, token, amount, to) =
                    (a.uint(0)?, a.address(1)?, a.uint(2)?, a.address(3)?);
                ret(self.withdraw(account, token, amount, to).map(none))
            }
            I::collateralOfCall::SELECTOR => Ok(one(self.collateral_of(a.uint(0)?, a.address(1)?))),
            I::quoteBalanceCall::SELECTOR => Ok(one(iword(self.quote_balance(a.uint(0)?)))),
            I::tradeCall::SELECTOR => {
                let (account, market, delta) = (a.uint(0)?, a.uint(1)?, int(a, 2)?);
                let (limit, deadline) = (a.uint(3)?, a.uint(4)?);
                ret(self.trade(account, market, delta, limit, deadline).map(one))
            }
            I::positionCall::SELECTOR => {
                let (size, entry) = self.position(a.uint(0)?, a.uint(1)?);
                Ok(words(&[iword(size), entry.word()]))
            }
            I::accountMarketsCall::SELECTOR => Ok(self.account_markets(a.uint(0)?)),
            I::marketAssetCall::SELECTOR => ret(self.market_asset(a.uint(0)?).map(one)),
            I::quoteTradeCall::SELECTOR => ret(self
                .quote_trade(a.uint(0)?, int(a, 1)?)
                .map(|f| uints(&[f.fill, f.fee]))),
            I::accountHealthCall::SELECTOR => ret(self
                .account_health(a.uint(0)?)
                .map(|(e, im, mm)| words(&[iword(e), im.word(), mm.word()]))),
            I::healthFactorCall::SELECTOR => ret(self.health_factor(a.uint(0)?).map(one)),
            I::isLiquidatableCall::SELECTOR => ret(self.is_liquidatable(a.uint(0)?).map(one)),
            I::poolDepositCall::SELECTOR => {
                ret(self.pool_deposit(a.uint(0)?, a.address(1)?).map(one))
            }
            I::poolRedeemCall::SELECTOR => {
                ret(self.pool_redeem(a.uint(0)?, a.address(1)?).map(one))
            }
            I::poolSharesOfCall::SELECTOR => Ok(one(self.pool_shares_of(a.address(0)?))),
            I::poolStateCall::SELECTOR => ret(self
                .pool_state()
                .map(|(t, s, p, b)| words(&[t.word(), s.word(), iword(p), b.word()]))),
            I::confiscateCall::SELECTOR => {
                let (account, market, delta, price) =
                    (a.uint(0)?, a.uint(1)?, int(a, 2)?, a.uint(3)?);
                ret(self
                    .confiscate(account, market, delta, price)
                    .map(|r| one(iword(r))))
            }
            I::chargeCall::SELECTOR => {
                let (account, amount, to) = (a.uint(0)?, a.uint(1)?, a.address(2)?);
                ret(self.charge(account, amount, to).map(none))
            }
            I::seizeCall::SELECTOR => {
                let (account, token, amount, to) =
                    (a.uint(0)?, a.address(1)?, a.uint(2)?, a.address(3)?);
                ret(self.seize(account, token, amount, to).map(none))
            }
            I::socialiseCall::SELECTOR => ret(self.socialise(a.uint(0)?, a.uint(1)?).map(none)),
            I::relyCall::SELECTOR => ret(self.rely(a.address(0)?).map(none)),
            I::denyCall::SELECTOR => ret(self.deny(a.address(0)?).map(none)),
            I::wardsCall::SELECTOR => Ok(one(self.wards(a.address(0)?))),
            I::fileCall::SELECTOR => ret(self.file(a.word(0)?, a.uint(1)?).map(none)),
            I::listCollateralCall::SELECTOR => {
                let (token, haircut, cap) = (a.address(0)?, a.uint(1)?, a.uint(2)?);
                let (correlated, correlation) = (a.address(3)?, a.uint(4)?);
                ret(self
                    .list_collateral(token, haircut, cap, correlated, correlation)
                    .map(none))
            }
            I::fileCollateralCall::SELECTOR => {
                let (token, what, data) = (a.address(0)?, a.word(1)?, a.uint(2)?);
                ret(self.file_collateral(token, what, data).map(none))
            }
            I::listMarketCall::SELECTOR => ret(self.list_market(a.address(0)?).map(one)),
            I::fileMarketCall::SELECTOR => {
                let (market, what, data) = (a.uint(0)?, a.word(1)?, a.uint(2)?);
                ret(self.file_market(market, what, data).map(none))
            }
            I::openInterestCall::SELECTOR => {
                let (long, short) = self.open_interest(a.uint(0)?);
                Ok(uints(&[long, short]))
            }
            _ => return None,
        };
        Some(out)
    }
}

impl Router<MarginEngine> for MarginEngine {
    type Storage = MarginEngine;

    fn route(storage: &mut MarginEngine, selector: u32, input: &[u8]) -> Option<ArbResult> {
        // Nothing is payable.
        if !storage.vm().msg_value().is_zero() {
            return Some(Err(vec![]));
        }
        storage.dispatch(selector.to_be_bytes(), Args(input))
    }

    fn receive(_storage: &mut MarginEngine) -> Option<Result<(), Vec<u8>>> {
        None
    }

    fn fallback(_storage: &mut MarginEngine, _calldata: &[u8]) -> Option<ArbResult> {
        None
    }

    fn constructor(storage: &mut MarginEngine, input: &[u8]) -> Option<ArbResult> {
        if !storage.vm().msg_value().is_zero() {
            return Some(Err(vec![]));
        }
        if let Err(e) = storage.check_constructor_slot() {
            return Some(Err(e));
        }
        let a = Args(input);
        let (quote, oracle, model, admin) =
            (a.address(0)?, a.address(1)?, a.address(2)?, a.address(3)?);
        Some(ret(storage
            .constructor(quote, oracle, model, admin)
            .map(|()| Vec::new())))
    }
}
