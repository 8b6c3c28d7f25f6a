//! The Liquidator's ABI, and the router that decodes calls to it, by hand.
//!
//! [`ILiquidator`] declares every external function once, in Solidity; its selectors drive the
//! router below, and the tests (native and end to end) build their calls from it.
//!
//! Why not `#[public]`: the SDK's generated router decodes each distinct argument list with its
//! own instance of alloy's validating decoder and encodes each return type with its own
//! encoder, about 4.5 KB of the 24 KiB code limit for this contract. Every argument here is a
//! static word except `take`'s trailing `bytes`, so one small reader does the same work. The
//! router keeps the SDK's rules: calls with value revert (nothing is payable), malformed
//! arguments revert with empty data (an address with dirty upper bits, a `bytes` out of
//! bounds, too little calldata), unknown selectors revert, and the constructor runs once.

use alloc::{vec, vec::Vec};

use alloy_primitives::U256;
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    abi::Router,
    prelude::*,
    stylus_core::{host::MessageAccess, ConstructorGuard},
    ArbResult,
};

use keel_common::abi::{uints, words, Args, Word};

use crate::{Error, Liquidator};

sol! {
    /// The Liquidator's external interface (see the crate docs for each function).
    interface ILiquidator {
        /// Makes `usr` a ward: it may call every admin function and `kick`. Wards only.
        function rely(address usr) external;
        /// Removes `usr` from the wards. Wards only.
        function deny(address usr) external;
        /// Sets the global parameter `what` to `data`: `Hole` (the cap on quote under auction,
        /// quote units, at most 2^128 - 1) or `stopped` (0 to 3). Wards only.
        function file(bytes32 what, uint256 data) external;
        /// Sets `oracle` (the price source of every asset) or `guardian` (zero: none). Wards
        /// only.
        function fileAddress(bytes32 what, address data) external;
        /// Sets the parameter `what` of listed `asset` to `data` (`buf`, `tail`, `cusp`, `chip`,
        /// `tip`, `chost`, `hole`, `kind`, `tau`, `step`, `cut`, `tol` or `last`); a change of
        /// `kind` or a curve parameter applies to running auctions at once. Wards only.
        function fileAsset(address asset, bytes32 what, uint256 data) external;
        /// Lists `asset` with the default parameters and `hole = 0`, so that nothing is
        /// auctioned until governance sets a cap; reads its and the quote's decimals. Wards only.
        function init(address asset) external;
        /// Raises the stop level to `level` (1: no kicks; 2: also no redos; 3: also no takes).
        /// The guardian or a ward; lowering it is for wards, through `file("stopped", ...)`.
        function stop(uint256 level) external;
        /// Starts an auction of `lot` units of `asset`, already transferred to the Liquidator,
        /// to raise `tab` quote units for margin account `account`; `owner` gets back what is
        /// left once `tab` is raised, and `keeper` earns `tip + chip * tab` quote units pulled
        /// from the caller. Wards (engines) only; returns the auction id.
        function kick(
            uint256 tab,
            uint256 lot,
            address asset,
            uint256 account,
            address owner,
            address keeper
        ) external returns (uint256 id);
        /// Buys up to `maxCollateral` units of auction `id`'s lot at the current price, if that
        /// is at most `maxPrice` (WAD quote per whole token): the collateral goes to `receiver`
        /// (called back with `onTake` when `data` is not empty), then the quote owed is pulled
        /// from the caller to the engine. Anyone; returns the collateral bought (token units,
        /// rounded down) and the quote paid (quote units, rounded up).
        function take(
            uint256 id,
            uint256 maxCollateral,
            uint256 maxPrice,
            address receiver,
            bytes data
        ) external returns (uint256 slice, uint256 owe);
        /// Restarts auction `id` at `top = oracle price * buf` once it is older than `tail` or
        /// its price fell below `cusp * top`. Anyone; `keeper` earns `tip + chip * tab`, pulled
        /// from the engine, if the tab and the lot's value at the new price are at least `chost`.
        function redo(uint256 id, address keeper) external;
        /// Whether `usr` is a ward.
        function wards(address usr) external view returns (bool);
        /// The global state: the quote token, the price source, the guardian, the stop level,
        /// auctions ever kicked (the last id), auctions running, and `Hole` and `Dirt` (quote
        /// units).
        function state() external view returns (
            address quote,
            address oracle,
            address guardian,
            uint256 stopped,
            uint256 kicks,
            uint256 count,
            uint256 Hole,
            uint256 Dirt
        );
        /// Quote units a new kick of `asset` may still put under auction:
        /// `min(Hole - Dirt, hole - dirt)`, zero when either is exhausted.
        function room(address asset) external view returns (uint256);
        /// The parameters and state of `asset`: `buf`, `cusp`, `chip`, `tol` and `last` in WAD;
        /// `tail`, `tau` and `step` in seconds; `tip`, `chost`, `hole` and `dirt` in quote
        /// units; `held`, the collateral of its running auctions, in token units.
        function assets(address asset) external view returns (
            bool listed,
            uint8 scale,
            uint8 kind,
            uint256 buf,
            uint256 tail,
            uint256 cusp,
            uint256 chip,
            uint256 tip,
            uint256 chost,
            uint256 hole,
            uint256 dirt,
            uint256 held,
            uint256 tol,
            uint256 last,
            uint256 tau,
            uint256 step,
            uint256 cut
        );
        /// Auction `id`: its engine, asset, account, owner, `tab` (quote units), `lot` (token
        /// units), start price `top` (WAD) and `tic` (time of the kick or the last redo); all
        /// zero when it is not running.
        function sales(uint256 id) external view returns (
            address engine,
            address asset,
            uint256 account,
            address owner,
            uint256 tab,
            uint256 lot,
            uint256 top,
            uint256 tic
        );
        /// Ids of the running auctions, in no particular order.
        function list() external view returns (uint256[] ids);
        /// What a keeper needs to act on auction `id`: whether it needs a redo, the price a
        /// take would pay now (WAD quote per whole token), the lot (token units) and the tab
        /// (quote units); all zero when it is not running.
        function getStatus(uint256 id) external view returns (
            bool needsRedo,
            uint256 price,
            uint256 lot,
            uint256 tab
        );
    }
}

/// A call's return data or its revert data.
fn ret(result: Result<Vec<u8>, Error>) -> ArbResult {
    result.map_err(Vec::from)
}

impl Liquidator {
    /// Runs the function `selector` names; `None` for an unknown selector or malformed
    /// arguments (the SDK then reverts with empty data).
    fn dispatch(&mut self, selector: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
        use ILiquidator as I;
        let none = Vec::new;
        let out = match selector {
            I::relyCall::SELECTOR => ret(self.rely(a.address(0)?).map(|()| none())),
            I::denyCall::SELECTOR => ret(self.deny(a.address(0)?).map(|()| none())),
            I::fileCall::SELECTOR => ret(self.file(a.word(0)?, a.uint(1)?).map(|()| none())),
            I::fileAddressCall::SELECTOR => ret(self
                .file_address(a.word(0)?, a.address(1)?)
                .map(|()| none())),
            I::fileAssetCall::SELECTOR => {
                let (asset, what, data) = (a.address(0)?, a.word(1)?, a.uint(2)?);
                ret(self.file_asset(asset, what, data).map(|()| none()))
            }
            I::initCall::SELECTOR => ret(self.init(a.address(0)?).map(|()| none())),
            I::stopCall::SELECTOR => ret(self.stop(a.uint(0)?).map(|()| none())),
            I::kickCall::SELECTOR => {
                let (tab, lot, asset, account) =
                    (a.uint(0)?, a.uint(1)?, a.address(2)?, a.uint(3)?);
                let (owner, keeper) = (a.address(4)?, a.address(5)?);
                ret(self
                    .kick(tab, lot, asset, account, owner, keeper)
                    .map(|id| words(&[id.word()])))
            }
            I::takeCall::SELECTOR => {
                let (id, amount, max_price) = (a.uint(0)?, a.uint(1)?, a.uint(2)?);
                let (receiver, data) = (a.address(3)?, a.bytes(4)?);
                let taken = self.buy(id, amount, max_price, receiver, data);
                ret(taken.map(|(slice, owe)| words(&[slice.word(), owe.word()])))
            }
            I::redoCall::SELECTOR => ret(self.redo(a.uint(0)?, a.address(1)?).map(|()| none())),
            I::wardsCall::SELECTOR => Ok(words(&[self.wards(a.address(0)?).word()])),
            I::stateCall::SELECTOR => Ok(uints(&self.state())),
            I::roomCall::SELECTOR => Ok(words(&[self.room(a.address(0)?).word()])),
            I::assetsCall::SELECTOR => Ok(uints(&self.assets(a.address(0)?))),
            I::salesCall::SELECTOR => Ok(uints(&self.sales(a.uint(0)?))),
            I::listCall::SELECTOR => {
                let ids = self.list();
                let mut out = uints(&[U256::from(32), U256::from(ids.len())]);
                out.extend_from_slice(&uints(&ids));
                Ok(out)
            }
            I::getStatusCall::SELECTOR => ret(self
                .get_status(a.uint(0)?)
                .map(|s| words(&[s.0.word(), s.1.word(), s.2.word(), s.3.word()]))),
            _ => return None,
        };
        Some(out)
    }
}

impl Router<Liquidator> for Liquidator {
    type Storage = Liquidator;

    fn route(storage: &mut Liquidator, selector: u32, input: &[u8]) -> Option<ArbResult> {
        // Nothing is payable.
        if !storage.vm().msg_value().is_zero() {
            return Some(Err(vec![]));
        }
        storage.dispatch(selector.to_be_bytes(), Args(input))
    }

    fn receive(_storage: &mut Liquidator) -> Option<Result<(), Vec<u8>>> {
        None
    }

    fn fallback(_storage: &mut Liquidator, _calldata: &[u8]) -> Option<ArbResult> {
        None
    }

    fn constructor(storage: &mut Liquidator, input: &[u8]) -> Option<ArbResult> {
        if !storage.vm().msg_value().is_zero() {
            return Some(Err(vec![]));
        }
        if let Err(e) = storage.check_constructor_slot() {
            return Some(Err(e));
        }
        let a = Args(input);
        storage.constructor(a.address(0)?, a.address(1)?);
        Some(Ok(vec![]))
    }
}
