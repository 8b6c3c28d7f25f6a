//! Calls out of the MarginEngine: the RiskOracle, the RiskModel and ERC-20 tokens (standard
//! ones and those returning nothing, OpenZeppelin's `SafeERC20` rule).
//!
//! Calldata is encoded by [`keel_common::abi`]. Every failure becomes
//! [`EngineExternalCallFailed`](crate::errors::EngineExternalCallFailed) carrying the callee's
//! address and its revert data. Each call is a frame (about 9k gas), so callers read each price
//! once per operation.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use keel_common::abi::{encode, first_word, Word};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
    stylus_core::calls::errors::Error as CallError,
};

use crate::{
    errors::{self, call_failed, Result},
    MarginEngine,
};

sol! {
    /// The parts of Keel's RiskOracle the engine reads.
    interface IRiskOracle {
        function priceData(address asset) external view returns (uint256 price, bool isValid, uint256 age, uint8 status);
        function sequencerStatus() external view returns (bool isUp, bool safeToAddRisk, uint256 since);
        function volatilityState(address asset) external view returns (uint256 index, uint256 fast, uint256 slow, uint256 updatedAt);
    }

    /// The parts of Keel's RiskModel the engine reads.
    interface IRiskModel {
        function margins(address asset) external view returns (uint256 maintenance, uint256 initial);
    }

    /// The parts of ERC-20 the engine uses.
    interface IERC20 {
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
        function decimals() external view returns (uint8);
    }
}

/// Word `i` of return data already checked to hold more than `i` words.
fn word(out: &[u8], i: usize) -> U256 {
    U256::from_be_slice(&out[32 * i..32 * (i + 1)])
}

/// A reverted call's error, carrying the callee's revert data.
fn reverted(target: Address, err: CallError) -> errors::Error {
    match err {
        CallError::Revert(data) => call_failed(target, data),
        CallError::AbiDecodingFailed(_) => call_failed(target, Vec::new()),
    }
}

/// A trustworthy price and its age in seconds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Quote {
    /// WAD quote per whole unit.
    pub(crate) price: U256,
    /// Seconds since the feed's round.
    pub(crate) age: U256,
}

impl MarginEngine {
    /// The RiskOracle.
    fn oracle(&self) -> Address {
        crate::records::globals::ORACLE.address(self.globals.get())
    }

    /// The RiskModel.
    fn model(&self) -> Address {
        crate::records::links::MODEL.address(self.links.get())
    }

    /// A read-only call returning at least `n` words.
    fn view(
        &self,
        target: Address,
        selector: [u8; 4],
        words: &[B256],
        n: usize,
    ) -> Result<Vec<u8>> {
        let out = static_call(
            self.vm(),
            Call::new(),
            target,
            &encode(selector, words, None),
        )
        .map_err(|e| reverted(target, e))?;
        if out.len() < 32 * n {
            return Err(call_failed(target, out));
        }
        Ok(out)
    }

    /// A read-only call returning one word.
    fn view_word(&self, target: Address, selector: [u8; 4], words: &[B256]) -> Result<U256> {
        Ok(word(&self.view(target, selector, words, 1)?, 0))
    }

    /// `oracle.priceData(asset)`. A price the oracle does not vouch for is refused when
    /// `strict`; otherwise its last accepted price is used (views). A zero price is always
    /// refused.
    ///
    /// # Errors
    /// `EngineInvalidPrice` (with the oracle's status), `EngineExternalCallFailed`.
    pub(crate) fn price_of(&self, asset: Address, strict: bool) -> Result<Quote> {
        let oracle = self.oracle();
        let sel = IRiskOracle::priceDataCall::SELECTOR;
        let out = self.view(oracle, sel, &[asset.word()], 4)?;
        let (price, valid, age, status) =
            (word(&out, 0), word(&out, 1), word(&out, 2), word(&out, 3));
        if price.is_zero() || (strict && valid.is_zero()) {
            return Err(errors::invalid_price(asset, status));
        }
        Ok(Quote { price, age })
    }

    /// The oracle's volatility index of `asset` (annualised, WAD).
    pub(crate) fn volatility(&self, asset: Address) -> Result<U256> {
        let sel = IRiskOracle::volatilityStateCall::SELECTOR;
        self.view_word(self.oracle(), sel, &[asset.word()])
    }

    /// `sequencerStatus().safeToAddRisk`.
    pub(crate) fn safe_to_add_risk(&self) -> Result<bool> {
        let oracle = self.oracle();
        let out = self.view(oracle, IRiskOracle::sequencerStatusCall::SELECTOR, &[], 3)?;
        Ok(!word(&out, 1).is_zero())
    }

    /// The RiskModel's `(maintenance, initial)` margin fractions of `asset`, one call.
    pub(crate) fn margins_of(&self, asset: Address) -> Result<(U256, U256)> {
        let model = self.model();
        let out = self.view(model, IRiskModel::marginsCall::SELECTOR, &[asset.word()], 2)?;
        Ok((word(&out, 0), word(&out, 1)))
    }

    /// `IERC20(token).balanceOf(this)`.
    fn own_balance(&self, token: Address) -> Result<U256> {
        let this = self.vm().contract_address();
        self.view_word(token, IERC20::balanceOfCall::SELECTOR, &[this.word()])
    }

    /// `IERC20(token).decimals()`; more than 18 is refused (WAD is the engine's unit).
    pub(crate) fn decimals_of(&self, token: Address) -> Result<u8> {
        let decimals = self.view_word(token, IERC20::decimalsCall::SELECTOR, &[])?;
        if decimals > U256::from(18) {
            return Err(errors::unsupported_decimals(token, decimals));
        }
        Ok(decimals.as_limbs()[0] as u8)
    }

    /// Sends `value` of `token` from the engine to `to`.
    pub(crate) fn send(&mut self, token: Address, to: Address, value: U256) -> Result<()> {
        self.token_call(
            token,
            IERC20::transferCall::SELECTOR,
            &[to.word(), value.word()],
        )
    }

    /// Pulls exactly `value` of `token` from `from` (under its allowance): the engine's
    /// balance must grow by `value`, which refuses fee-on-transfer tokens at every deposit.
    ///
    /// # Errors
    /// `EngineTransferMismatch`, `EngineExternalCallFailed`.
    pub(crate) fn pull(&mut self, token: Address, from: Address, value: U256) -> Result<()> {
        let before = self.own_balance(token)?;
        let this = self.vm().contract_address();
        let words = [from.word(), this.word(), value.word()];
        self.token_call(token, IERC20::transferFromCall::SELECTOR, &words)?;
        let received = self.own_balance(token)?.saturating_sub(before);
        if received != value {
            return Err(errors::transfer_mismatch(token, value, received));
        }
        Ok(())
    }

    /// A token call succeeds if it did not revert and returned `true`, or returned nothing from
    /// an address that has code. The storage cache is flushed first (a mutating call).
    fn token_call(&mut self, token: Address, selector: [u8; 4], words: &[B256]) -> Result<()> {
        let context = Call::new_mutating(self);
        let out = call(self.vm(), context, token, &encode(selector, words, None))
            .map_err(|e| reverted(token, e))?;
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
}
