//! Calls out of the vault: the subset of the MarginEngine, RiskOracle and RiskModel it uses
//! (declared exactly as in the shared specification), and the quote token.
//!
//! Calldata is encoded by [`keel_common::abi`]. Every failure becomes
//! [`VaultExternalCallFailed`](crate::errors::VaultExternalCallFailed) carrying the callee's
//! address and its revert data, so a caller sees, e.g., the engine's own typed error inside
//! the vault's.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, I256, U256};
use alloy_sol_types::{sol, SolCall};
use keel_common::abi::{encode, first_word, Word};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
    stylus_core::calls::errors::Error as CallError,
};

use crate::{
    errors::{call_failed, Result},
    DrawdownVault,
};

sol! {
    /// The MarginEngine functions the vault calls (signatures as in the specification).
    interface IMarginEngine {
        function openAccount(address owner) external returns (uint256 account);
        function deposit(uint256 account, address token, uint256 amount) external;
        function withdraw(uint256 account, address token, uint256 amount, address to) external;
        function quoteBalance(uint256 account) external view returns (int256);
        function trade(uint256 account, uint256 market, int256 sizeDelta, uint256 priceLimit, uint256 deadline)
            external returns (uint256 fillPrice);
        function position(uint256 account, uint256 market) external view returns (int256 size, uint256 entryPrice);
        function marketAsset(uint256 market) external view returns (address asset);
        function quoteTrade(uint256 market, int256 sizeDelta) external view returns (uint256 fillPrice, uint256 fee);
        function accountHealth(uint256 account) external view
            returns (int256 equity, uint256 initialMargin, uint256 maintenanceMargin);
    }

    /// The RiskOracle view the vault reads: never reverts for a listed asset, says whether
    /// the price may be trusted.
    interface IRiskOracle {
        function priceData(address asset) external view
            returns (uint256 price, bool isValid, uint256 age, uint8 status);
    }

    /// The RiskModel view the vault reads: the adaptive maximum leverage (WAD multiple).
    interface IRiskModel {
        function maxLeverage(address asset) external view returns (uint256);
    }

    /// The parts of ERC-20 the vault uses on its quote token.
    interface IERC20 {
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function decimals() external view returns (uint8);
    }
}

/// A reverted call's error, carrying the callee's revert data.
fn reverted(target: Address, err: CallError) -> crate::errors::Error {
    match err {
        CallError::Revert(data) => call_failed(target, data),
        CallError::AbiDecodingFailed(_) => call_failed(target, Vec::new()),
    }
}

/// Word `i` of return data; a short answer is a failed call of `target`.
fn word_at(target: Address, out: &[u8], i: usize) -> Result<U256> {
    out.get(32 * i..)
        .and_then(first_word)
        .ok_or_else(|| call_failed(target, out.to_vec()))
}

/// What the engine says about the vault's account, in one place for every interaction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Health {
    /// Equity, WAD quote (may be negative).
    pub(crate) equity: I256,
    /// Initial margin of the open position, WAD quote.
    pub(crate) initial: U256,
}

impl DrawdownVault {
    /// A state-changing call; the storage cache is flushed first, so the callee sees every
    /// effect already made.
    fn call_out(&mut self, target: Address, data: &[u8]) -> Result<Vec<u8>> {
        let context = Call::new_mutating(self);
        call(self.vm(), context, target, data).map_err(|e| reverted(target, e))
    }

    /// A read-only call.
    fn view(&self, target: Address, selector: [u8; 4], words: &[B256]) -> Result<Vec<u8>> {
        let data = encode(selector, words, None);
        static_call(self.vm(), Call::new(), target, &data).map_err(|e| reverted(target, e))
    }

    /// `IERC20(token).decimals()`; a value above 255 is a failed call.
    pub(crate) fn decimals_of(&self, token: Address) -> Result<u8> {
        let out = self.view(token, IERC20::decimalsCall::SELECTOR, &[])?;
        u8::try_from(word_at(token, &out, 0)?).map_err(|_| call_failed(token, out))
    }

    /// `engine.openAccount(address(this))`.
    pub(crate) fn open_account(&mut self, engine: Address) -> Result<U256> {
        let this = self.vm().contract_address();
        let data = encode(
            IMarginEngine::openAccountCall::SELECTOR,
            &[this.word()],
            None,
        );
        let out = self.call_out(engine, &data)?;
        word_at(engine, &out, 0)
    }

    /// `engine.marketAsset(market)`.
    pub(crate) fn market_asset(&self, engine: Address, market: U256) -> Result<Address> {
        let out = self.view(
            engine,
            IMarginEngine::marketAssetCall::SELECTOR,
            &[market.word()],
        )?;
        let word = word_at(engine, &out, 0)?;
        Ok(Address::from_word(B256::from(word)))
    }

    /// `engine.accountHealth(account)`: equity and initial margin.
    pub(crate) fn health(&self) -> Result<Health> {
        let engine = self.engine.get();
        let selector = IMarginEngine::accountHealthCall::SELECTOR;
        let out = self.view(engine, selector, &[self.account.get().word()])?;
        Ok(Health {
            equity: I256::from_raw(word_at(engine, &out, 0)?),
            initial: word_at(engine, &out, 1)?,
        })
    }

    /// `engine.quoteBalance(account)`.
    pub(crate) fn quote_balance(&self) -> Result<I256> {
        let engine = self.engine.get();
        let selector = IMarginEngine::quoteBalanceCall::SELECTOR;
        let out = self.view(engine, selector, &[self.account.get().word()])?;
        Ok(I256::from_raw(word_at(engine, &out, 0)?))
    }

    /// The vault's signed position size in its market, WAD base units.
    pub(crate) fn size(&self) -> Result<I256> {
        let engine = self.engine.get();
        let words = [self.account.get().word(), self.market.get().word()];
        let out = self.view(engine, IMarginEngine::positionCall::SELECTOR, &words)?;
        Ok(I256::from_raw(word_at(engine, &out, 0)?))
    }

    /// `engine.quoteTrade(market, delta)`: the fill price (WAD) and fee (WAD quote) a trade of
    /// `delta` would get now.
    pub(crate) fn quote_trade(&self, delta: I256) -> Result<(U256, U256)> {
        let engine = self.engine.get();
        let words = [self.market.get().word(), B256::from(delta.into_raw())];
        let out = self.view(engine, IMarginEngine::quoteTradeCall::SELECTOR, &words)?;
        Ok((word_at(engine, &out, 0)?, word_at(engine, &out, 1)?))
    }

    /// `oracle.priceData(asset)`: the price (WAD) and whether it may be trusted.
    pub(crate) fn price_data(&self) -> Result<(U256, bool)> {
        let oracle = self.oracle.get();
        let selector = IRiskOracle::priceDataCall::SELECTOR;
        let out = self.view(oracle, selector, &[self.asset.get().word()])?;
        Ok((
            word_at(oracle, &out, 0)?,
            !word_at(oracle, &out, 1)?.is_zero(),
        ))
    }

    /// `model.maxLeverage(asset)`, WAD.
    pub(crate) fn max_leverage(&self) -> Result<U256> {
        let model = self.model.get();
        let selector = IRiskModel::maxLeverageCall::SELECTOR;
        let out = self.view(model, selector, &[self.asset.get().word()])?;
        word_at(model, &out, 0)
    }

    /// Pulls `assets` quote from `from` and deposits them into the vault's engine account.
    pub(crate) fn fund(&mut self, from: Address, assets: U256) -> Result<()> {
        let (quote, engine) = (self.quote.get(), self.engine.get());
        let this = self.vm().contract_address();
        let pull = [from.word(), this.word(), assets.word()];
        self.token_call(quote, IERC20::transferFromCall::SELECTOR, &pull)?;
        self.token_call(
            quote,
            IERC20::approveCall::SELECTOR,
            &[engine.word(), assets.word()],
        )?;
        let words = [self.account.get().word(), quote.word(), assets.word()];
        let data = encode(IMarginEngine::depositCall::SELECTOR, &words, None);
        self.call_out(engine, &data).map(drop)
    }

    /// Withdraws `assets` quote from the vault's engine account straight to `to`.
    pub(crate) fn pay(&mut self, to: Address, assets: U256) -> Result<()> {
        let engine = self.engine.get();
        let words = [
            self.account.get().word(),
            self.quote.get().word(),
            assets.word(),
            to.word(),
        ];
        let data = encode(IMarginEngine::withdrawCall::SELECTOR, &words, None);
        self.call_out(engine, &data).map(drop)
    }

    /// `engine.trade(account, market, sizeDelta, priceLimit, deadline)`; returns the fill price.
    pub(crate) fn trade(&mut self, delta: I256, limit: U256, deadline: U256) -> Result<U256> {
        let engine = self.engine.get();
        let words = [
            self.account.get().word(),
            self.market.get().word(),
            B256::from(delta.into_raw()),
            limit.word(),
            deadline.word(),
        ];
        let data = encode(IMarginEngine::tradeCall::SELECTOR, &words, None);
        let out = self.call_out(engine, &data)?;
        word_at(engine, &out, 0)
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
}
