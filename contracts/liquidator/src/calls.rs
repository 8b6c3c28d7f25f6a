//! Calls out of the Liquidator: the interfaces it relies on, and token transfers that accept
//! both standard ERC-20s and those returning nothing (OpenZeppelin's `SafeERC20` rule).
//!
//! Calldata is encoded by [`keel_common::abi`]. Every failure becomes
//! [`LiquidatorExternalCallFailed`](crate::errors::LiquidatorExternalCallFailed)
//! carrying the callee's address and its revert data, so a keeper sees, e.g., the oracle's own
//! typed error inside the Liquidator's.

use alloc::vec::Vec;
use keel_common::abi::{encode, first_word, Word};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
    stylus_core::calls::errors::Error as CallError,
};

use crate::{
    errors::{call_failed, Result},
    Liquidator,
};

sol! {
    /// Where prices come from: Keel's RiskOracle (`price(asset)`), or any source with the
    /// same guarded getter.
    interface IPriceSource {
        /// WAD price of one whole `asset` in the quote; reverts when the price is not
        /// trustworthy (stale, out of band, out of order).
        function price(address asset) external view returns (uint256);
    }

    /// A flash taker: receives the collateral first, then this call, then pays.
    interface IFlashTaker {
        /// Called on the take's `receiver` after it got `slice` collateral and before `owe`
        /// quote is pulled from `sender` (the caller of `take`); `data` is the taker's own.
        function onTake(address sender, uint256 owe, uint256 slice, bytes data) external;
    }

    /// The engine that kicked an auction.
    interface IAuctionEngine {
        /// Called after every take, once `raised` quote has reached the engine: `remainingTab`
        /// is still to raise; `closed` means the auction is over (with `remainingTab > 0`,
        /// that much is bad debt). Must not revert for a call from the Liquidator.
        function onAuctionProceeds(
            uint256 id,
            uint256 account,
            uint256 raised,
            uint256 remainingTab,
            bool closed
        ) external;
    }

    /// The parts of ERC-20 the Liquidator uses.
    interface IERC20 {
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
        function decimals() external view returns (uint8);
    }
}

/// A reverted call's error, carrying the callee's revert data. (The SDK's own conversion
/// also encodes a `Panic` for decoding failures, which raw calls never have.)
fn reverted(target: Address, err: CallError) -> crate::errors::Error {
    match err {
        CallError::Revert(data) => call_failed(target, data),
        CallError::AbiDecodingFailed(_) => call_failed(target, Vec::new()),
    }
}

impl Liquidator {
    /// A state-changing call; the storage cache is flushed first, so the callee (and anything
    /// it calls back) sees every effect already made.
    fn call_out(&mut self, target: Address, data: &[u8]) -> Result<Vec<u8>> {
        let context = Call::new_mutating(self);
        call(self.vm(), context, target, data).map_err(|e| reverted(target, e))
    }

    /// A read-only call returning one word.
    fn view_word(&self, target: Address, selector: [u8; 4], words: &[B256]) -> Result<U256> {
        let out = static_call(
            self.vm(),
            Call::new(),
            target,
            &encode(selector, words, None),
        )
        .map_err(|e| reverted(target, e))?;
        first_word(&out).ok_or_else(|| call_failed(target, out))
    }

    /// `IPriceSource(oracle).price(asset)`.
    pub(crate) fn price_from(&self, oracle: Address, asset: Address) -> Result<U256> {
        self.view_word(oracle, IPriceSource::priceCall::SELECTOR, &[asset.word()])
    }

    /// `IERC20(token).balanceOf(account)`.
    pub(crate) fn balance_of(&self, token: Address, account: Address) -> Result<U256> {
        self.view_word(token, IERC20::balanceOfCall::SELECTOR, &[account.word()])
    }

    /// `IERC20(token).decimals()`; a value above 255 is a failed call.
    pub(crate) fn decimals_of(&self, token: Address) -> Result<u8> {
        let decimals = self.view_word(token, IERC20::decimalsCall::SELECTOR, &[])?;
        u8::try_from(decimals).map_err(|_| call_failed(token, Vec::new()))
    }

    /// Sends `value` of `token` from the Liquidator to `to`.
    pub(crate) fn send(&mut self, token: Address, to: Address, value: U256) -> Result<()> {
        self.token_call(
            token,
            IERC20::transferCall::SELECTOR,
            &[to.word(), value.word()],
        )
    }

    /// Moves `value` of `token` from `from` to `to` under `from`'s allowance to the Liquidator.
    pub(crate) fn pull(
        &mut self,
        token: Address,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<()> {
        let words = [from.word(), to.word(), value.word()];
        self.token_call(token, IERC20::transferFromCall::SELECTOR, &words)
    }

    /// A token call succeeds if it did not revert and returned `true`, or returned nothing from
    /// an address that has code (tokens that predate the standard's return value).
    fn token_call(&mut self, token: Address, selector: [u8; 4], words: &[B256]) -> Result<()> {
        let out = self.call_out(token, &encode(selector, words, None))?;
        let ok = match first_word(&out) {
            None => out.is_empty() && self.vm().code_size(token) > 0,
            Some(word) => word == U256::from(1),
        };
        if ok {
            Ok(())
        } else {
            Err(call_failed(token, out))
        }
    }

    /// `IFlashTaker(receiver).onTake(sender, owe, slice, data)`.
    pub(crate) fn flash_callback(
        &mut self,
        receiver: Address,
        sender: Address,
        owe: U256,
        slice: U256,
        data: &[u8],
    ) -> Result<()> {
        let words = [sender.word(), owe.word(), slice.word()];
        let call = encode(IFlashTaker::onTakeCall::SELECTOR, &words, Some(data));
        self.call_out(receiver, &call).map(drop)
    }

    /// `IAuctionEngine(engine).onAuctionProceeds(id, account, raised, remainingTab, closed)`.
    pub(crate) fn notify_engine(
        &mut self,
        engine: Address,
        id: U256,
        account: U256,
        raised: U256,
        remaining_tab: U256,
        closed: bool,
    ) -> Result<()> {
        let words = [
            id.word(),
            account.word(),
            raised.word(),
            remaining_tab.word(),
            closed.word(),
        ];
        let call = encode(
            IAuctionEngine::onAuctionProceedsCall::SELECTOR,
            &words,
            None,
        );
        self.call_out(engine, &call).map(drop)
    }
}
