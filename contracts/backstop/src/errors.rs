//! Every way a call to the Backstop can fail, as Solidity custom errors. A failing call
//! changes nothing.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, I256, U256};
use alloy_sol_types::{sol, SolError};
use keel_common::abi::{encode, Word};
use keel_math::MathError;

use crate::calls::iword;

sol! {
    /// `caller` lacks the role the function needs (a ward, or the Liquidator for
    /// `onAuctionProceeds`).
    error BackstopUnauthorized(address caller);
    /// A setter with a name it does not know.
    error BackstopUnknownParameter(bytes32 what);
    /// A setter with `data` outside `[min, max]`.
    error BackstopParameterOutOfBounds(bytes32 what, uint256 data, uint256 min, uint256 max);
    /// `liquidate` of an `account` the engine does not call liquidatable.
    error BackstopNotLiquidatable(uint256 account);
    /// `liquidate` of an `account` with no position to close and nothing to seize.
    error BackstopNothingToLiquidate(uint256 account);
    /// `market`'s liquidation budget for the current window is spent: `used` of `limit`.
    error BackstopRateLimited(uint256 market, uint256 used, uint256 limit);
    /// `adl` while traders' profit `traderPnl` is within `adlRatio` of `totalAssets` and no bad
    /// debt is left uncovered by the insurance fund (`uncovered`, WAD).
    error BackstopAdlNotAllowed(int256 traderPnl, uint256 totalAssets, uint256 uncovered);
    /// `adl` of a position (or none) not in profit at the oracle price.
    error BackstopNotProfitable(uint256 account, uint256 market);
    /// `adl` whose bounds leave nothing to close.
    error BackstopNothingToClose(uint256 account, uint256 market);
    /// `adl` that did not lower the pool's exposure: traders' PnL went from `before` to `after`.
    error BackstopAdlNoEffect(int256 before, int256 after);
    /// `settleBadDebt` while `account` still holds positions.
    error BackstopPositionsOpen(uint256 account);
    /// `settleBadDebt` while `count` auctions of `account`'s collateral are running.
    error BackstopAuctionsRunning(uint256 account, uint256 count);
    /// `settleBadDebt` while `account` holds `amount` of auctionable `token`: seize it first.
    error BackstopCollateralLeft(uint256 account, address token, uint256 amount);
    /// `settleBadDebt` of an `account` whose `quoteBalance` or equity is not negative and
    /// which has no recorded debt.
    error BackstopNoDeficit(uint256 account, int256 quoteBalance);
    /// `fileToken` of the quote, or of a `token` the Liquidator has not listed (`init`).
    error BackstopTokenNotAuctionable(address token);
    /// `fileToken` beyond the `max` auctionable tokens.
    error BackstopTooManyTokens(uint256 max);
    /// `token` has more than 18 `decimals`.
    error BackstopUnsupportedDecimals(address token, uint8 decimals);
    /// The oracle returned a zero price for `asset`.
    error BackstopInvalidPrice(address asset);
    /// A call to `target` reverted (its revert data is `reason`), returned too little, or a
    /// token call returned `false` or nothing from an address without code.
    error BackstopExternalCallFailed(address target, bytes reason);
    /// Arithmetic out of range; not reachable with parameters inside the setters' bounds.
    error BackstopMathError();
}

/// A failed call's revert data: one of the custom errors above, ABI-encoded when it is made
/// (by hand, as in the Liquidator: see [`keel_common::abi`]).
pub struct Error(Vec<u8>);

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Self {
        err.0
    }
}

impl From<MathError> for Error {
    fn from(_: MathError) -> Self {
        Self::new(BackstopMathError::SELECTOR, &[])
    }
}

impl Error {
    fn new(selector: [u8; 4], words: &[B256]) -> Self {
        Self(encode(selector, words, None))
    }
}

/// Shorthand for a call's result.
pub type Result<T> = core::result::Result<T, Error>;

/// [`BackstopUnauthorized`].
pub(crate) fn unauthorized(caller: Address) -> Error {
    Error::new(BackstopUnauthorized::SELECTOR, &[caller.word()])
}

/// [`BackstopUnknownParameter`].
pub(crate) fn unknown_parameter(what: B256) -> Error {
    Error::new(BackstopUnknownParameter::SELECTOR, &[what])
}

/// [`BackstopParameterOutOfBounds`].
pub(crate) fn out_of_bounds(what: B256, data: U256, min: U256, max: U256) -> Error {
    let words = [what, data.word(), min.word(), max.word()];
    Error::new(BackstopParameterOutOfBounds::SELECTOR, &words)
}

/// [`BackstopNotLiquidatable`].
pub(crate) fn not_liquidatable(account: U256) -> Error {
    Error::new(BackstopNotLiquidatable::SELECTOR, &[account.word()])
}

/// [`BackstopNothingToLiquidate`].
pub(crate) fn nothing_to_liquidate(account: U256) -> Error {
    Error::new(BackstopNothingToLiquidate::SELECTOR, &[account.word()])
}

/// [`BackstopRateLimited`].
pub(crate) fn rate_limited(market: U256, used: U256, limit: U256) -> Error {
    let words = [market.word(), used.word(), limit.word()];
    Error::new(BackstopRateLimited::SELECTOR, &words)
}

/// [`BackstopAdlNotAllowed`].
pub(crate) fn adl_not_allowed(pnl: I256, assets: U256, uncovered: U256) -> Error {
    let words = [iword(pnl), assets.word(), uncovered.word()];
    Error::new(BackstopAdlNotAllowed::SELECTOR, &words)
}

/// [`BackstopNotProfitable`].
pub(crate) fn not_profitable(account: U256, market: U256) -> Error {
    Error::new(
        BackstopNotProfitable::SELECTOR,
        &[account.word(), market.word()],
    )
}

/// [`BackstopNothingToClose`].
pub(crate) fn nothing_to_close(account: U256, market: U256) -> Error {
    Error::new(
        BackstopNothingToClose::SELECTOR,
        &[account.word(), market.word()],
    )
}

/// [`BackstopAdlNoEffect`].
pub(crate) fn adl_no_effect(before: I256, after: I256) -> Error {
    Error::new(
        BackstopAdlNoEffect::SELECTOR,
        &[iword(before), iword(after)],
    )
}

/// [`BackstopPositionsOpen`].
pub(crate) fn positions_open(account: U256) -> Error {
    Error::new(BackstopPositionsOpen::SELECTOR, &[account.word()])
}

/// [`BackstopAuctionsRunning`].
pub(crate) fn auctions_running(account: U256, count: U256) -> Error {
    Error::new(
        BackstopAuctionsRunning::SELECTOR,
        &[account.word(), count.word()],
    )
}

/// [`BackstopCollateralLeft`].
pub(crate) fn collateral_left(account: U256, token: Address, amount: U256) -> Error {
    let words = [account.word(), token.word(), amount.word()];
    Error::new(BackstopCollateralLeft::SELECTOR, &words)
}

/// [`BackstopNoDeficit`].
pub(crate) fn no_deficit(account: U256, quote_balance: I256) -> Error {
    Error::new(
        BackstopNoDeficit::SELECTOR,
        &[account.word(), iword(quote_balance)],
    )
}

/// [`BackstopTokenNotAuctionable`].
pub(crate) fn token_not_auctionable(token: Address) -> Error {
    Error::new(BackstopTokenNotAuctionable::SELECTOR, &[token.word()])
}

/// [`BackstopTooManyTokens`].
pub(crate) fn too_many_tokens(max: U256) -> Error {
    Error::new(BackstopTooManyTokens::SELECTOR, &[max.word()])
}

/// [`BackstopUnsupportedDecimals`].
pub(crate) fn unsupported_decimals(token: Address, decimals: u8) -> Error {
    Error::new(
        BackstopUnsupportedDecimals::SELECTOR,
        &[token.word(), decimals.word()],
    )
}

/// [`BackstopInvalidPrice`].
pub(crate) fn invalid_price(asset: Address) -> Error {
    Error::new(BackstopInvalidPrice::SELECTOR, &[asset.word()])
}

/// [`BackstopExternalCallFailed`]: a call to `target` failed with (or returned) `reason`.
pub(crate) fn call_failed(target: Address, reason: Vec<u8>) -> Error {
    Error(encode(
        BackstopExternalCallFailed::SELECTOR,
        &[target.word()],
        Some(&reason),
    ))
}
