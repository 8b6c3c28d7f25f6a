//! Calls out of the Backstop: the interfaces it relies on, and their thin wrappers.
//!
//! Calldata is encoded by [`keel_common::abi`]. Every failure becomes
//! [`BackstopExternalCallFailed`](crate::errors::BackstopExternalCallFailed) carrying the
//! callee's address and its revert data, so a keeper sees, e.g., the engine's own typed error
//! inside the Backstop's. Return data shorter than expected is a failed call too.

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
    Backstop,
};

sol! {
    /// The MarginEngine, exactly as SPEC.md declares it (the Backstop uses the views, `deposit`
    /// and the ward-only hooks).
    interface IMarginEngine {
        function openAccount(address owner) external returns (uint256 account);
        function setOperator(uint256 account, address operator, bool approved) external;
        function accountOwner(uint256 account) external view returns (address);
        function isOperator(uint256 account, address who) external view returns (bool);
        function deposit(uint256 account, address token, uint256 amount) external;
        function withdraw(uint256 account, address token, uint256 amount, address to) external;
        function collateralOf(uint256 account, address token) external view returns (uint256 amount);
        function quoteBalance(uint256 account) external view returns (int256);
        function trade(uint256 account, uint256 market, int256 sizeDelta, uint256 priceLimit, uint256 deadline)
            external returns (uint256 fillPrice);
        function position(uint256 account, uint256 market) external view returns (int256 size, uint256 entryPrice);
        function accountMarkets(uint256 account) external view returns (uint256[] memory markets);
        function marketAsset(uint256 market) external view returns (address asset);
        function accountHealth(uint256 account) external view returns (int256 equity, uint256 initialMargin, uint256 maintenanceMargin);
        function healthFactor(uint256 account) external view returns (uint256);
        function isLiquidatable(uint256 account) external view returns (bool);
        function poolDeposit(uint256 assets, address receiver) external returns (uint256 shares);
        function poolRedeem(uint256 shares, address receiver) external returns (uint256 assets);
        function poolSharesOf(address lp) external view returns (uint256);
        function poolState() external view returns (uint256 totalAssets, uint256 totalShares, int256 traderPnl, uint256 balance);
        function confiscate(uint256 account, uint256 market, int256 sizeDelta, uint256 price) external returns (int256 realisedPnl);
        function charge(uint256 account, uint256 amount, address to) external;
        function seize(uint256 account, address token, uint256 amount, address to) external;
        function socialise(uint256 account, uint256 amount) external;
        function rely(address usr) external;
        function deny(address usr) external;
        function wards(address usr) external view returns (bool);
    }

    /// The RiskOracle's guarded getter: WAD quote per whole `asset`; reverts when untrustworthy.
    interface IPriceSource {
        function price(address asset) external view returns (uint256);
    }

    /// The RiskModel's maintenance margin fraction of `asset`, WAD.
    interface IRiskModel {
        function maintenanceMargin(address asset) external view returns (uint256);
    }

    /// The parts of Keel's Liquidator the Backstop uses (see its crate docs, "Engine interface").
    interface ILiquidator {
        function kick(uint256 tab, uint256 lot, address asset, uint256 account, address owner, address keeper)
            external returns (uint256 id);
        function room(address asset) external view returns (uint256);
        function state() external view returns (
            address quote, address oracle, address guardian, uint256 stopped, uint256 kicks,
            uint256 count, uint256 Hole, uint256 Dirt
        );
        function assets(address asset) external view returns (
            bool listed, uint8 scale, uint8 kind, uint256 buf, uint256 tail, uint256 cusp,
            uint256 chip, uint256 tip, uint256 chost, uint256 hole, uint256 dirt, uint256 held,
            uint256 tol, uint256 last, uint256 tau, uint256 step, uint256 cut
        );
    }

    /// The parts of ERC-20 the Backstop uses.
    interface IERC20 {
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
        function decimals() external view returns (uint8);
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

impl Backstop {
    /// A state-changing call; the storage cache is flushed first, so the callee (and anything
    /// it calls back) sees every effect already made.
    pub(crate) fn call_out(
        &mut self,
        target: Address,
        selector: [u8; 4],
        words: &[B256],
    ) -> Result<Vec<u8>> {
        let context = Call::new_mutating(self);
        call(self.vm(), context, target, &encode(selector, words, None))
            .map_err(|e| reverted(target, e))
    }

    /// A read-only call.
    fn ask(&self, target: Address, selector: [u8; 4], words: &[B256]) -> Result<Vec<u8>> {
        static_call(
            self.vm(),
            Call::new(),
            target,
            &encode(selector, words, None),
        )
        .map_err(|e| reverted(target, e))
    }

    /// A read-only call returning (at least) one word.
    fn ask_word(&self, target: Address, selector: [u8; 4], words: &[B256]) -> Result<U256> {
        at(target, &self.ask(target, selector, words)?, 0)
    }

    // ------------------------------------------------------------ engine views

    /// `engine.isLiquidatable(account)`.
    pub(crate) fn is_liquidatable(&self, account: U256) -> Result<bool> {
        let e = self.engine.get();
        let w = self.ask_word(
            e,
            IMarginEngine::isLiquidatableCall::SELECTOR,
            &[account.word()],
        )?;
        Ok(!w.is_zero())
    }

    /// `engine.accountHealth(account)`: `(equity, maintenanceMargin)`.
    pub(crate) fn health(&self, account: U256) -> Result<(I256, U256)> {
        let e = self.engine.get();
        let out = self.ask(
            e,
            IMarginEngine::accountHealthCall::SELECTOR,
            &[account.word()],
        )?;
        Ok((I256::from_raw(at(e, &out, 0)?), at(e, &out, 2)?))
    }

    /// `engine.accountMarkets(account)`: the market ids, one ABI word each.
    pub(crate) fn markets(&self, account: U256) -> Result<Vec<u8>> {
        let e = self.engine.get();
        let mut out = self.ask(
            e,
            IMarginEngine::accountMarketsCall::SELECTOR,
            &[account.word()],
        )?;
        // `(offset, length, items…)`; the engine's encoder puts the array right after its
        // offset, and every item must be there.
        if at(e, &out, 0)? != U256::from(32) {
            return Err(call_failed(e, out));
        }
        let len = usize::try_from(at(e, &out, 1)?).unwrap_or(usize::MAX);
        let end = len
            .checked_mul(32)
            .and_then(|bytes| bytes.checked_add(64))
            .filter(|end| *end <= out.len())
            .ok_or_else(|| call_failed(e, out.clone()))?;
        out.truncate(end);
        Ok(out.split_off(64))
    }

    /// `engine.position(account, market)`: the signed size and the entry price.
    pub(crate) fn position(&self, account: U256, market: U256) -> Result<(I256, U256)> {
        let e = self.engine.get();
        let words = [account.word(), market.word()];
        let out = self.ask(e, IMarginEngine::positionCall::SELECTOR, &words)?;
        Ok((I256::from_raw(at(e, &out, 0)?), at(e, &out, 1)?))
    }

    /// `engine.marketAsset(market)`.
    pub(crate) fn market_asset(&self, market: U256) -> Result<Address> {
        let e = self.engine.get();
        let w = self.ask_word(
            e,
            IMarginEngine::marketAssetCall::SELECTOR,
            &[market.word()],
        )?;
        Ok(Address::from_word(B256::from(w)))
    }

    /// `engine.quoteBalance(account)`, WAD.
    pub(crate) fn quote_balance(&self, account: U256) -> Result<I256> {
        let e = self.engine.get();
        let w = self.ask_word(
            e,
            IMarginEngine::quoteBalanceCall::SELECTOR,
            &[account.word()],
        )?;
        Ok(I256::from_raw(w))
    }

    /// `engine.collateralOf(account, token)`, token units.
    pub(crate) fn collateral_of(&self, account: U256, token: Address) -> Result<U256> {
        let e = self.engine.get();
        let words = [account.word(), token.word()];
        self.ask_word(e, IMarginEngine::collateralOfCall::SELECTOR, &words)
    }

    /// `engine.accountOwner(account)`.
    pub(crate) fn owner_of(&self, account: U256) -> Result<Address> {
        let e = self.engine.get();
        let w = self.ask_word(
            e,
            IMarginEngine::accountOwnerCall::SELECTOR,
            &[account.word()],
        )?;
        Ok(Address::from_word(B256::from(w)))
    }

    /// `engine.poolState()`: `(totalAssets, traderPnl)`.
    pub(crate) fn pool(&self) -> Result<(U256, I256)> {
        let e = self.engine.get();
        let out = self.ask(e, IMarginEngine::poolStateCall::SELECTOR, &[])?;
        Ok((at(e, &out, 0)?, I256::from_raw(at(e, &out, 2)?)))
    }

    // ------------------------------------------------------------ engine hooks

    /// `engine.confiscate(account, market, delta, price)`: the realised PnL.
    pub(crate) fn confiscate(
        &mut self,
        account: U256,
        market: U256,
        delta: I256,
        price: U256,
    ) -> Result<I256> {
        let e = self.engine.get();
        let words = [account.word(), market.word(), iword(delta), price.word()];
        let out = self.call_out(e, IMarginEngine::confiscateCall::SELECTOR, &words)?;
        Ok(I256::from_raw(at(e, &out, 0)?))
    }

    /// `engine.charge(account, amount, this)`: `amount` WAD of the account's quote to the fund.
    pub(crate) fn charge(&mut self, account: U256, amount: U256) -> Result<()> {
        let (e, this) = (self.engine.get(), self.vm().contract_address());
        let words = [account.word(), amount.word(), this.word()];
        self.call_out(e, IMarginEngine::chargeCall::SELECTOR, &words)
            .map(drop)
    }

    /// `engine.seize(account, token, amount, liquidator)`.
    pub(crate) fn seize(&mut self, account: U256, token: Address, amount: U256) -> Result<()> {
        let (e, to) = (self.engine.get(), self.liquidator.get());
        let words = [account.word(), token.word(), amount.word(), to.word()];
        self.call_out(e, IMarginEngine::seizeCall::SELECTOR, &words)
            .map(drop)
    }

    /// `engine.socialise(account, amount)`.
    pub(crate) fn socialise(&mut self, account: U256, amount: U256) -> Result<()> {
        let e = self.engine.get();
        let words = [account.word(), amount.word()];
        self.call_out(e, IMarginEngine::socialiseCall::SELECTOR, &words)
            .map(drop)
    }

    /// `engine.deposit(account, quote, amount)` from the Backstop's own quote (quote units).
    pub(crate) fn deposit(&mut self, account: U256, amount: U256) -> Result<()> {
        let (e, q) = (self.engine.get(), self.quote.get());
        let words = [account.word(), q.word(), amount.word()];
        self.call_out(e, IMarginEngine::depositCall::SELECTOR, &words)
            .map(drop)
    }

    // ------------------------------------------------------------ prices and risk

    /// The oracle's guarded price of `asset`, never zero.
    pub(crate) fn price(&self, asset: Address) -> Result<U256> {
        let o = self.oracle.get();
        let p = self.ask_word(o, IPriceSource::priceCall::SELECTOR, &[asset.word()])?;
        if p.is_zero() {
            return Err(crate::errors::invalid_price(asset));
        }
        Ok(p)
    }

    /// The RiskModel's maintenance margin fraction of `asset`, WAD.
    pub(crate) fn maintenance(&self, asset: Address) -> Result<U256> {
        let m = self.model.get();
        self.ask_word(
            m,
            IRiskModel::maintenanceMarginCall::SELECTOR,
            &[asset.word()],
        )
    }

    // ------------------------------------------------------------ Liquidator

    /// `liquidator.room(token)`, quote units.
    pub(crate) fn room(&self, token: Address) -> Result<U256> {
        let l = self.liquidator.get();
        self.ask_word(l, ILiquidator::roomCall::SELECTOR, &[token.word()])
    }

    /// `liquidator.assets(token)`: `[listed, chip, tip, tol, last]`.
    pub(crate) fn auction_rules(&self, token: Address) -> Result<[U256; 5]> {
        let l = self.liquidator.get();
        let out = self.ask(l, ILiquidator::assetsCall::SELECTOR, &[token.word()])?;
        Ok([
            at(l, &out, 0)?,
            at(l, &out, 6)?,
            at(l, &out, 7)?,
            at(l, &out, 12)?,
            at(l, &out, 13)?,
        ])
    }

    /// `liquidator.state().stopped`: kicks halt at level 1 and above.
    pub(crate) fn auctions_stopped(&self) -> Result<bool> {
        let l = self.liquidator.get();
        let out = self.ask(l, ILiquidator::stateCall::SELECTOR, &[])?;
        Ok(!at(l, &out, 3)?.is_zero())
    }

    /// `liquidator.kick(tab, lot, token, account, owner, keeper)`: the auction id.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn kick(
        &mut self,
        tab: U256,
        lot: U256,
        token: Address,
        account: U256,
        owner: Address,
        keeper: Address,
    ) -> Result<U256> {
        let l = self.liquidator.get();
        let words = [
            tab.word(),
            lot.word(),
            token.word(),
            account.word(),
            owner.word(),
            keeper.word(),
        ];
        let out = self.call_out(l, ILiquidator::kickCall::SELECTOR, &words)?;
        at(l, &out, 0)
    }

    // ------------------------------------------------------------ tokens

    /// `IERC20(token).balanceOf(who)`.
    pub(crate) fn balance_of(&self, token: Address, who: Address) -> Result<U256> {
        self.ask_word(token, IERC20::balanceOfCall::SELECTOR, &[who.word()])
    }

    /// WAD per unit of `token`, from its `decimals()`.
    ///
    /// # Errors
    /// `BackstopUnsupportedDecimals` above 18.
    pub(crate) fn unit_of_token(&self, token: Address) -> Result<U256> {
        let d = self.ask_word(token, IERC20::decimalsCall::SELECTOR, &[])?;
        let d = u8::try_from(d).unwrap_or(u8::MAX);
        crate::records::unit_of(d).ok_or_else(|| crate::errors::unsupported_decimals(token, d))
    }

    /// A token call that must not revert and must return `true` or nothing (OpenZeppelin's
    /// `SafeERC20` rule; nothing only from an address with code).
    pub(crate) fn token_call(
        &mut self,
        token: Address,
        selector: [u8; 4],
        words: &[B256],
    ) -> Result<()> {
        let out = self.call_out(token, selector, words)?;
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
