//! Calls out of the MarginLens: the engine's views, the oracle's price and the model's margin
//! and probability. All are static calls.
//!
//! Calldata is encoded by [`keel_common::abi`]. Every failure becomes
//! [`LensExternalCallFailed`](crate::errors::LensExternalCallFailed) carrying the callee's
//! address and its revert data; return data shorter than expected is a failed call too.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, I256, U256};
use alloy_sol_types::{sol, SolCall};
use keel_common::abi::{encode, first_word, Word};
use stylus_sdk::{call::static_call, prelude::*, stylus_core::calls::errors::Error as CallError};

use crate::{
    errors::{call_failed, invalid_price, Result},
    MarginLens,
};

sol! {
    /// The MarginEngine views the lens reads (SPEC.md's `IMarginEngine`).
    interface IMarginEngine {
        function position(uint256 account, uint256 market) external view returns (int256 size, uint256 entryPrice);
        function marketAsset(uint256 market) external view returns (address asset);
        function accountHealth(uint256 account) external view returns (int256 equity, uint256 initialMargin, uint256 maintenanceMargin);
    }

    /// The RiskOracle view the engine values positions with (its last accepted price).
    interface IRiskOracle {
        function priceData(address asset) external view returns (uint256 price, bool isValid, uint256 age, uint8 status);
    }

    /// The RiskModel views the lens reads.
    interface IRiskModel {
        function oracle() external view returns (address);
        function maintenanceMargin(address asset) external view returns (uint256);
        function insolvencyProbability(address asset, bool isLong, uint256 entryOrMark, uint256 equity, uint256 size, uint256 horizon)
            external view returns (uint256);
    }
}

/// A signed value as its ABI word.
#[inline]
pub(crate) fn iword(x: I256) -> B256 {
    x.into_raw().word()
}

/// A reverted call's error, carrying the callee's revert data.
fn reverted(target: Address, err: CallError) -> crate::errors::Error {
    match err {
        CallError::Revert(data) => call_failed(target, data),
        CallError::AbiDecodingFailed(_) => call_failed(target, Vec::new()),
    }
}

/// Word `i` of `out`, the return data of a call to `target`.
fn at(target: Address, out: &[u8], i: usize) -> Result<U256> {
    out.get(32 * i..)
        .and_then(first_word)
        .ok_or_else(|| call_failed(target, out.to_vec()))
}

/// A read-only call to `target`.
pub(crate) fn ask(
    lens: &MarginLens,
    target: Address,
    selector: [u8; 4],
    words: &[B256],
) -> Result<Vec<u8>> {
    static_call(
        lens.vm(),
        Call::new(),
        target,
        &encode(selector, words, None),
    )
    .map_err(|e| reverted(target, e))
}

/// A read-only call returning (at least) one word.
fn ask_word(lens: &MarginLens, target: Address, selector: [u8; 4], words: &[B256]) -> Result<U256> {
    at(target, &ask(lens, target, selector, words)?, 0)
}

impl MarginLens {
    /// `engine.accountHealth(account)`: `(equity, initialMargin, maintenanceMargin)`.
    pub(crate) fn health(&self, account: U256) -> Result<(I256, U256, U256)> {
        let e = self.engine.get();
        let sel = IMarginEngine::accountHealthCall::SELECTOR;
        let out = ask(self, e, sel, &[account.word()])?;
        Ok((
            I256::from_raw(at(e, &out, 0)?),
            at(e, &out, 1)?,
            at(e, &out, 2)?,
        ))
    }

    /// `engine.position(account, market)`: the signed size and the entry price.
    pub(crate) fn position(&self, account: U256, market: U256) -> Result<(I256, U256)> {
        let e = self.engine.get();
        let words = [account.word(), market.word()];
        let out = ask(self, e, IMarginEngine::positionCall::SELECTOR, &words)?;
        Ok((I256::from_raw(at(e, &out, 0)?), at(e, &out, 1)?))
    }

    /// `engine.marketAsset(market)` (the engine refuses an unknown market).
    pub(crate) fn market_asset(&self, market: U256) -> Result<Address> {
        let e = self.engine.get();
        let sel = IMarginEngine::marketAssetCall::SELECTOR;
        let w = ask_word(self, e, sel, &[market.word()])?;
        Ok(Address::from_word(B256::from(w)))
    }

    /// The mark of `asset`: the oracle's last accepted price, read as the engine's views read
    /// it (`priceData(asset).price`, stale or not); zero is refused, as by the engine.
    pub(crate) fn mark(&self, asset: Address) -> Result<U256> {
        let o = self.oracle.get();
        let p = ask_word(
            self,
            o,
            IRiskOracle::priceDataCall::SELECTOR,
            &[asset.word()],
        )?;
        if p.is_zero() {
            return Err(invalid_price(asset));
        }
        Ok(p)
    }

    /// The RiskModel's maintenance margin fraction of `asset`, WAD.
    pub(crate) fn maintenance(&self, asset: Address) -> Result<U256> {
        let sel = IRiskModel::maintenanceMarginCall::SELECTOR;
        ask_word(self, self.model.get(), sel, &[asset.word()])
    }

    /// `model.insolvencyProbability(asset, isLong, mark, equity, size, horizon)`, WAD.
    pub(crate) fn probability(&self, asset: Address, words: [B256; 5]) -> Result<U256> {
        let [long, mark, equity, size, horizon] = words;
        let words = [asset.word(), long, mark, equity, size, horizon];
        let sel = IRiskModel::insolvencyProbabilityCall::SELECTOR;
        ask_word(self, self.model.get(), sel, &words)
    }

    /// `model.oracle()`, read once by the constructor.
    pub(crate) fn model_oracle(&self, model: Address) -> Result<Address> {
        let w = ask_word(self, model, IRiskModel::oracleCall::SELECTOR, &[])?;
        Ok(Address::from_word(B256::from(w)))
    }
}
