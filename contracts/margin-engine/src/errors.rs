//! Every way a call to the MarginEngine can fail, as Solidity custom errors. A failing call
//! changes nothing.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, I256, U256};
use alloy_sol_types::{sol, SolError};
use keel_common::abi::{encode, Word};
use keel_math::MathError;

sol! {
    /// `caller` lacks the role the function needs (ward, owner or operator).
    error EngineUnauthorized(address caller);
    /// `trade` after its `deadline` (`now` is the block time).
    error EngineDeadlinePassed(uint256 deadline, uint256 now);
    /// `file` with a name it does not know.
    error EngineUnknownParameter(bytes32 what);
    /// `file` with `data` outside `[min, max]`.
    error EngineParameterOutOfBounds(bytes32 what, uint256 data, uint256 min, uint256 max);
    /// No account `account` has been opened.
    error EngineUnknownAccount(uint256 account);
    /// No market `market` has been listed.
    error EngineUnknownMarket(uint256 market);
    /// `token` is neither the quote token nor a listed collateral token.
    error EngineUnknownToken(address token);
    /// `listCollateral` of a token already listed (or of the quote token).
    error EngineAlreadyListed(address token);
    /// No room for another listing (collateral tokens or markets).
    error EngineListingFull();
    /// A token with more than 18 decimals.
    error EngineUnsupportedDecimals(address token, uint256 decimals);
    /// A zero amount, size or address where one is not allowed.
    error EngineZeroArgument();
    /// The engine's balance of `token` grew by `received` for a transfer of `expected`
    /// (a fee-on-transfer token).
    error EngineTransferMismatch(address token, uint256 expected, uint256 received);
    /// A deposit would take all accounts' deposits of `token` to `total`, above `cap`.
    error EngineDepositCapExceeded(address token, uint256 total, uint256 cap);
    /// A withdrawal of `amount` (WAD) from a quote balance of `balance`.
    error EngineInsufficientQuote(uint256 account, int256 balance, uint256 amount);
    /// A withdrawal or seizure of `amount` of `token` from an account holding `held`.
    error EngineInsufficientCollateral(uint256 account, address token, uint256 held, uint256 amount);
    /// The account's `equity` would be below its `initialMargin` (both WAD).
    error EngineBelowInitialMargin(uint256 account, int256 equity, uint256 initialMargin);
    /// The oracle has no trustworthy price of `asset` (`status` from `priceData`).
    error EngineInvalidPrice(address asset, uint256 status);
    /// The fill price is beyond the trader's limit.
    error EngineSlippage(uint256 fillPrice, uint256 priceLimit);
    /// New risk is refused: `reason` 1 paused by a ward (`stopped`), 2 the sequencer is
    /// not safe to add risk.
    error EngineNewRiskRefused(uint256 reason);
    /// A trade would take the open interest of one side of `market` to `openInterest`, above
    /// `cap`.
    error EngineOpenInterestCap(uint256 market, uint256 openInterest, uint256 cap);
    /// A trade adding risk would leave a position of `size`, below `minSize`.
    error EngineBelowMinSize(uint256 market, uint256 size, uint256 minSize);
    /// The account already holds positions in `max` markets.
    error EngineTooManyPositions(uint256 account, uint256 max);
    /// `confiscate` of `sizeDelta` does not move `size` toward zero without crossing it.
    error EngineNotReducing(int256 size, int256 sizeDelta);
    /// A redemption would leave traders' unrealised profit `traderPnl` above `maxProfit`
    /// (the ratio times the pool's assets after it).
    error EnginePoolProfitCap(int256 traderPnl, uint256 maxProfit);
    /// The pool's ledger `balance` (WAD) cannot pay `assets` (WAD).
    error EnginePoolInsufficient(int256 balance, uint256 assets);
    /// A redemption of `shares` by an LP holding `held`.
    error EngineInsufficientShares(uint256 shares, uint256 held);
    /// A call to `target` reverted (its revert data is `reason`), or returned malformed data.
    error EngineExternalCallFailed(address target, bytes reason);
    /// Arithmetic out of range (sizes and prices far beyond any market).
    error EngineMathError();
}

/// A failed call's revert data: one of the custom errors above, ABI-encoded by hand with
/// [`keel_common::abi::encode`] (the Liquidator's pattern: far smaller than alloy's encoders).
pub struct Error(Vec<u8>);

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Self {
        err.0
    }
}

impl From<MathError> for Error {
    fn from(_: MathError) -> Self {
        Self::new(EngineMathError::SELECTOR, &[])
    }
}

impl Error {
    fn new(selector: [u8; 4], words: &[B256]) -> Self {
        Self(encode(selector, words, None))
    }
}

/// Shorthand for a call's result.
pub type Result<T> = core::result::Result<T, Error>;

/// A signed value as an ABI word (two's complement).
pub(crate) fn iword(x: I256) -> B256 {
    B256::from(x.into_raw())
}

/// A number as an ABI word.
fn n(x: u64) -> B256 {
    U256::from(x).word()
}

pub(crate) fn unauthorized(caller: Address) -> Error {
    Error::new(EngineUnauthorized::SELECTOR, &[caller.word()])
}

pub(crate) fn deadline_passed(deadline: U256, now: u64) -> Error {
    Error::new(EngineDeadlinePassed::SELECTOR, &[deadline.word(), n(now)])
}

pub(crate) fn unknown_parameter(what: B256) -> Error {
    Error::new(EngineUnknownParameter::SELECTOR, &[what])
}

pub(crate) fn out_of_bounds(what: B256, data: U256, min: U256, max: U256) -> Error {
    let words = [what, data.word(), min.word(), max.word()];
    Error::new(EngineParameterOutOfBounds::SELECTOR, &words)
}

pub(crate) fn unknown_account(account: U256) -> Error {
    Error::new(EngineUnknownAccount::SELECTOR, &[account.word()])
}

pub(crate) fn unknown_market(market: U256) -> Error {
    Error::new(EngineUnknownMarket::SELECTOR, &[market.word()])
}

pub(crate) fn unknown_token(token: Address) -> Error {
    Error::new(EngineUnknownToken::SELECTOR, &[token.word()])
}

pub(crate) fn already_listed(token: Address) -> Error {
    Error::new(EngineAlreadyListed::SELECTOR, &[token.word()])
}

pub(crate) fn listing_full() -> Error {
    Error::new(EngineListingFull::SELECTOR, &[])
}

pub(crate) fn unsupported_decimals(token: Address, decimals: U256) -> Error {
    Error::new(
        EngineUnsupportedDecimals::SELECTOR,
        &[token.word(), decimals.word()],
    )
}

pub(crate) fn zero_argument() -> Error {
    Error::new(EngineZeroArgument::SELECTOR, &[])
}

pub(crate) fn transfer_mismatch(token: Address, expected: U256, received: U256) -> Error {
    let words = [token.word(), expected.word(), received.word()];
    Error::new(EngineTransferMismatch::SELECTOR, &words)
}

pub(crate) fn deposit_cap(token: Address, total: U256, cap: U256) -> Error {
    let words = [token.word(), total.word(), cap.word()];
    Error::new(EngineDepositCapExceeded::SELECTOR, &words)
}

pub(crate) fn insufficient_quote(account: U256, balance: I256, amount: U256) -> Error {
    let words = [account.word(), iword(balance), amount.word()];
    Error::new(EngineInsufficientQuote::SELECTOR, &words)
}

pub(crate) fn insufficient_collateral(
    account: U256,
    token: Address,
    held: U256,
    amount: U256,
) -> Error {
    let words = [account.word(), token.word(), held.word(), amount.word()];
    Error::new(EngineInsufficientCollateral::SELECTOR, &words)
}

pub(crate) fn below_initial_margin(account: U256, equity: I256, im: U256) -> Error {
    let words = [account.word(), iword(equity), im.word()];
    Error::new(EngineBelowInitialMargin::SELECTOR, &words)
}

pub(crate) fn invalid_price(asset: Address, status: U256) -> Error {
    Error::new(EngineInvalidPrice::SELECTOR, &[asset.word(), status.word()])
}

pub(crate) fn slippage(fill: U256, limit: U256) -> Error {
    Error::new(EngineSlippage::SELECTOR, &[fill.word(), limit.word()])
}

pub(crate) fn new_risk_refused(reason: u64) -> Error {
    Error::new(EngineNewRiskRefused::SELECTOR, &[n(reason)])
}

pub(crate) fn open_interest_cap(market: U256, oi: U256, cap: U256) -> Error {
    let words = [market.word(), oi.word(), cap.word()];
    Error::new(EngineOpenInterestCap::SELECTOR, &words)
}

pub(crate) fn below_min_size(market: U256, size: U256, min: U256) -> Error {
    let words = [market.word(), size.word(), min.word()];
    Error::new(EngineBelowMinSize::SELECTOR, &words)
}

pub(crate) fn too_many_positions(account: U256, max: u64) -> Error {
    Error::new(EngineTooManyPositions::SELECTOR, &[account.word(), n(max)])
}

pub(crate) fn not_reducing(size: I256, delta: I256) -> Error {
    Error::new(EngineNotReducing::SELECTOR, &[iword(size), iword(delta)])
}

pub(crate) fn pool_profit_cap(pnl: I256, max: U256) -> Error {
    Error::new(EnginePoolProfitCap::SELECTOR, &[iword(pnl), max.word()])
}

pub(crate) fn pool_insufficient(balance: I256, assets: U256) -> Error {
    Error::new(
        EnginePoolInsufficient::SELECTOR,
        &[iword(balance), assets.word()],
    )
}

pub(crate) fn insufficient_shares(shares: U256, held: U256) -> Error {
    Error::new(
        EngineInsufficientShares::SELECTOR,
        &[shares.word(), held.word()],
    )
}

/// [`EngineExternalCallFailed`]: a call to `target` failed with (or returned) `reason`.
pub(crate) fn call_failed(target: Address, reason: Vec<u8>) -> Error {
    Error(encode(
        EngineExternalCallFailed::SELECTOR,
        &[target.word()],
        Some(&reason),
    ))
}
