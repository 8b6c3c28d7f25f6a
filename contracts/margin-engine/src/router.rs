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
        function openAccount(address owner) external returns (uint256 account);
        function setOperator(uint256 account, address operator, bool approved) external;
        function accountOwner(uint256 account) external view returns (address);
        function isOperator(uint256 account, address who) external view returns (bool);
        // collateral
        function deposit(uint256 account, address token, uint256 amount) external;
        function withdraw(uint256 account, address token, uint256 amount, address to) external;
        function collateralOf(uint256 account, address token) external view returns (uint256 amount);
        function quoteBalance(uint256 account) external view returns (int256);
        // trading
        function trade(uint256 account, uint256 market, int256 sizeDelta, uint256 priceLimit, uint256 deadline)
            external returns (uint256 fillPrice);
        function position(uint256 account, uint256 market) external view returns (int256 size, uint256 entryPrice);
        function accountMarkets(uint256 account) external view returns (uint256[] memory markets);
        function marketAsset(uint256 market) external view returns (address asset);
        // health
        function accountHealth(uint256 account) external view returns (int256 equity, uint256 initialMargin, uint256 maintenanceMargin);
        function healthFactor(uint256 account) external view returns (uint256);
        function isLiquidatable(uint256 account) external view returns (bool);
        // pool
        function poolDeposit(uint256 assets, address receiver) external returns (uint256 shares);
        function poolRedeem(uint256 shares, address receiver) external returns (uint256 assets);
        function poolSharesOf(address lp) external view returns (uint256);
        function poolState() external view returns (uint256 totalAssets, uint256 totalShares, int256 traderPnl, uint256 balance);
        // ward-only hooks
        function confiscate(uint256 account, uint256 market, int256 sizeDelta, uint256 price) external returns (int256 realisedPnl);
        function charge(uint256 account, uint256 amount, address to) external;
        function seize(uint256 account, address token, uint256 amount, address to) external;
        function socialise(uint256 account, uint256 amount) external;
        function rely(address usr) external;
        function deny(address usr) external;
        function wards(address usr) external view returns (bool);

        // ---- additions: governance and listing
        function file(bytes32 what, uint256 data) external;
        function listCollateral(address token, uint256 haircut, uint256 cap, address correlatedAsset, uint256 correlationHaircut) external;
        function fileCollateral(address token, bytes32 what, uint256 data) external;
        function listMarket(address asset) external returns (uint256 market);
        function fileMarket(uint256 market, bytes32 what, uint256 data) external;
        // ---- additions: views
        function openInterest(uint256 market) external view returns (uint256 long, uint256 short);
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
