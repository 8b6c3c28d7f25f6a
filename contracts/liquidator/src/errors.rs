//! Every way a call to the Liquidator can fail, as Solidity custom errors. A failing call
//! changes nothing.

use alloc::vec::Vec;
use keel_common::abi::{encode, Word};

use alloy_primitives::{Address, B256, U256};

use alloy_sol_types::{sol, SolError};
use keel_math::MathError;

use crate::sale::FillError;

sol! {
    /// `caller` lacks the role the function needs (a ward, or the guardian for `stop`).
    error LiquidatorUnauthorized(address caller);
    /// The stop `level` in force forbids this function.
    error LiquidatorStopped(uint256 level);
    /// Called while a take is in progress (from its flash callback).
    error LiquidatorLocked();
    /// `file` with a name it does not know.
    error LiquidatorUnknownParameter(bytes32 what);
    /// `file` with `data` outside `[min, max]`.
    error LiquidatorParameterOutOfBounds(bytes32 what, uint256 data, uint256 min, uint256 max);
    /// `asset` has not been listed with `init`.
    error LiquidatorAssetNotListed(address asset);
    /// `init` of an `asset` that is already listed.
    error LiquidatorAssetAlreadyListed(address asset);
    /// `asset`'s decimals and the quote's cannot be converted: the quote has more than
    /// `18 +` the asset's decimals, or the asset more than `20 +` the quote's.
    error LiquidatorUnsupportedDecimals(address asset, uint8 assetDecimals, uint8 quoteDecimals);
    /// `kick` with a zero `tab` or `lot`, a `lot` above 2^128 − 1, or a zero `owner`.
    error LiquidatorInvalidKick(uint256 tab, uint256 lot, address owner);
    /// `kick` of `tab` beyond the `room` left under `Hole` and the asset's `hole`.
    error LiquidatorHoleExceeded(address asset, uint256 tab, uint256 room);
    /// The price source returned a zero `price` for `asset`, or one whose start price
    /// (`price · buf`) does not fit 96 bits.
    error LiquidatorInvalidPrice(address asset, uint256 price);
    /// The price-drop breaker: the oracle's `price` is below `floor = last · tol`.
    error LiquidatorPriceDropBreaker(address asset, uint256 price, uint256 floor);
    /// `kick` of a lot the Liquidator does not hold: it has `balance` of `asset` and needs
    /// `needed` (the lots of running auctions plus this one).
    error LiquidatorLotNotFunded(address asset, uint256 balance, uint256 needed);
    /// No auction `id` is running.
    error LiquidatorAuctionNotRunning(uint256 id);
    /// Auction `id` is too old or too cheap: it must be restarted with `redo` first.
    error LiquidatorNeedsRedo(uint256 id);
    /// `redo` of auction `id`, which is neither too old nor too cheap.
    error LiquidatorRedoNotNeeded(uint256 id);
    /// The current `price` is above the taker's `maxPrice`.
    error LiquidatorPriceAboveMax(uint256 price, uint256 maxPrice);
    /// A partial take would leave less than `chost` of a `tab` that is itself at most
    /// `chost`: only a take of the whole lot can proceed.
    error LiquidatorDustRemnant(uint256 tab, uint256 chost);
    /// `take` of zero collateral.
    error LiquidatorZeroTake();
    /// A call to `target` reverted (its revert data is `reason`), or a token call returned
    /// `false` or nothing from an address without code (`reason` is what it returned).
    error LiquidatorExternalCallFailed(address target, bytes reason);
    /// Arithmetic out of range; not reachable with parameters inside `file`'s bounds.
    error LiquidatorMathError();
}

/// A failed call's revert data: one of the custom errors above, ABI-encoded when it is made
/// (see [`keel_common::abi`] for why by hand rather than `#[derive(SolidityError)]`; keeping the
/// error a plain byte vector also keeps every `?` cheap). Made by the functions below, one per
/// error, whose arguments follow the error's declaration.
pub struct Error(Vec<u8>);

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Self {
        err.0
    }
}

impl From<MathError> for Error {
    fn from(_: MathError) -> Self {
        Self::new(LiquidatorMathError::SELECTOR, &[])
    }
}

impl From<FillError> for Error {
    fn from(err: FillError) -> Self {
        match err {
            FillError::DustRemnant { tab, chost } => dust_remnant(tab, chost),
            FillError::Math(math) => math.into(),
        }
    }
}

impl Error {
    fn new(selector: [u8; 4], words: &[B256]) -> Self {
        Self(encode(selector, words, None))
    }
}

/// Shorthand for a call's result.
pub type Result<T> = core::result::Result<T, Error>;

/// [`LiquidatorUnauthorized`].
pub(crate) fn unauthorized(caller: Address) -> Error {
    Error::new(LiquidatorUnauthorized::SELECTOR, &[caller.word()])
}

/// [`LiquidatorStopped`].
pub(crate) fn stopped(level: U256) -> Error {
    Error::new(LiquidatorStopped::SELECTOR, &[level.word()])
}

/// [`LiquidatorLocked`].
pub(crate) fn locked() -> Error {
    Error::new(LiquidatorLocked::SELECTOR, &[])
}

/// [`LiquidatorUnknownParameter`].
pub(crate) fn unknown_parameter(what: B256) -> Error {
    Error::new(LiquidatorUnknownParameter::SELECTOR, &[what])
}

/// [`LiquidatorParameterOutOfBounds`].
pub(crate) fn out_of_bounds(what: B256, data: U256, min: U256, max: U256) -> Error {
    let words = [what, data.word(), min.word(), max.word()];
    Error::new(LiquidatorParameterOutOfBounds::SELECTOR, &words)
}

/// [`LiquidatorAssetNotListed`].
pub(crate) fn asset_not_listed(asset: Address) -> Error {
    Error::new(LiquidatorAssetNotListed::SELECTOR, &[asset.word()])
}

/// [`LiquidatorAssetAlreadyListed`].
pub(crate) fn asset_already_listed(asset: Address) -> Error {
    Error::new(LiquidatorAssetAlreadyListed::SELECTOR, &[asset.word()])
}

/// [`LiquidatorUnsupportedDecimals`].
pub(crate) fn unsupported_decimals(
    asset: Address,
    asset_decimals: u8,
    quote_decimals: u8,
) -> Error {
    let words = [asset.word(), asset_decimals.word(), quote_decimals.word()];
    Error::new(LiquidatorUnsupportedDecimals::SELECTOR, &words)
}

/// [`LiquidatorInvalidKick`].
pub(crate) fn invalid_kick(tab: U256, lot: U256, owner: Address) -> Error {
    Error::new(
        LiquidatorInvalidKick::SELECTOR,
        &[tab.word(), lot.word(), owner.word()],
    )
}

/// [`LiquidatorHoleExceeded`].
pub(crate) fn hole_exceeded(asset: Address, tab: U256, room: U256) -> Error {
    Error::new(
        LiquidatorHoleExceeded::SELECTOR,
        &[asset.word(), tab.word(), room.word()],
    )
}

/// [`LiquidatorInvalidPrice`].
pub(crate) fn invalid_price(asset: Address, price: U256) -> Error {
    Error::new(
        LiquidatorInvalidPrice::SELECTOR,
        &[asset.word(), price.word()],
    )
}

/// [`LiquidatorPriceDropBreaker`].
pub(crate) fn price_drop_breaker(asset: Address, price: U256, floor: U256) -> Error {
    Error::new(
        LiquidatorPriceDropBreaker::SELECTOR,
        &[asset.word(), price.word(), floor.word()],
    )
}

/// [`LiquidatorLotNotFunded`].
pub(crate) fn lot_not_funded(asset: Address, balance: U256, needed: U256) -> Error {
    Error::new(
        LiquidatorLotNotFunded::SELECTOR,
        &[asset.word(), balance.word(), needed.word()],
    )
}

/// [`LiquidatorAuctionNotRunning`].
pub(crate) fn auction_not_running(id: U256) -> Error {
    Error::new(LiquidatorAuctionNotRunning::SELECTOR, &[id.word()])
}

/// [`LiquidatorNeedsRedo`].
pub(crate) fn needs_redo(id: U256) -> Error {
    Error::new(LiquidatorNeedsRedo::SELECTOR, &[id.word()])
}

/// [`LiquidatorRedoNotNeeded`].
pub(crate) fn redo_not_needed(id: U256) -> Error {
    Error::new(LiquidatorRedoNotNeeded::SELECTOR, &[id.word()])
}

/// [`LiquidatorPriceAboveMax`].
pub(crate) fn price_above_max(price: U256, max_price: U256) -> Error {
    Error::new(
        LiquidatorPriceAboveMax::SELECTOR,
        &[price.word(), max_price.word()],
    )
}

/// [`LiquidatorDustRemnant`].
pub(crate) fn dust_remnant(tab: U256, chost: U256) -> Error {
    Error::new(LiquidatorDustRemnant::SELECTOR, &[tab.word(), chost.word()])
}

/// [`LiquidatorZeroTake`].
pub(crate) fn zero_take() -> Error {
    Error::new(LiquidatorZeroTake::SELECTOR, &[])
}

/// [`LiquidatorExternalCallFailed`]: a call to `target` failed with (or returned) `reason`.
pub(crate) fn call_failed(target: Address, reason: Vec<u8>) -> Error {
    Error(encode(
        LiquidatorExternalCallFailed::SELECTOR,
        &[target.word()],
        Some(&reason),
    ))
}
