//! The vault's ABI, and the router that decodes calls to it, by hand.
//!
//! [`IDrawdownVault`] declares every external function once, in Solidity; its selectors drive
//! the router below, and the tests build their calls from it. Why not `#[public]`: see the
//! Liquidator's router (the SDK's generated decoders and encoders cost several KB). The router
//! keeps the SDK's rules: calls with value revert (nothing is payable), malformed arguments
//! revert with empty data, unknown selectors revert, and the constructor runs once.

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

use crate::{
    token::{DECIMALS, NAME, SYMBOL},
    DrawdownVault, Error,
};

sol! {
    /// The DrawdownVault's external interface (see the crate docs for each function).
    interface IDrawdownVault {
        // ERC-20 shares
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        // ERC-4626
        function asset() external view returns (address);
        function totalAssets() external view returns (uint256);
        function convertToShares(uint256 assets) external view returns (uint256);
        function convertToAssets(uint256 shares) external view returns (uint256);
        function maxDeposit(address receiver) external view returns (uint256);
        function maxMint(address receiver) external view returns (uint256);
        function maxWithdraw(address owner) external view returns (uint256);
        function maxRedeem(address owner) external view returns (uint256);
        function previewDeposit(uint256 assets) external view returns (uint256);
        function previewMint(uint256 shares) external view returns (uint256);
        function previewWithdraw(uint256 assets) external view returns (uint256);
        function previewRedeem(uint256 shares) external view returns (uint256);
        function deposit(uint256 assets, address receiver) external returns (uint256 shares);
        function mint(uint256 shares, address receiver) external returns (uint256 assets);
        function withdraw(uint256 assets, address receiver, address owner) external returns (uint256 shares);
        function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets);
        // drawdown and CPPI
        function highWaterMark() external view returns (uint256);
        function navPerShare() external view returns (uint256);
        function drawdown() external view returns (uint256);
        function targetExposure() external view returns (int256);
        function exposure() external view returns (int256);
        function rebalance(uint256 priceLimit, uint256 deadline) external returns (int256 sizeDelta, uint256 tip);
        function poke() external;
        // roles
        function setTarget(bool isLong, uint256 leverage) external;
        function pause(uint256 flags) external;
        function reset() external;
        function rely(address usr) external;
        function deny(address usr) external;
        function wards(address usr) external view returns (bool);
        function file(bytes32 what, uint256 data) external;
        function fileAddress(bytes32 what, address data) external;
        function state() external view returns (
            address engine,
            address oracle,
            address model,
            address marketAsset,
            address strategist,
            address guardian,
            uint256 market,
            uint256 account,
            uint8 paused,
            bool halted,
            uint256 haltedAt,
            uint8 band,
            bool isLong,
            uint256 leverage
        );
        function params() external view returns (
            uint256 maxDrawdown,
            uint256 softDrawdown,
            uint256 multiplier,
            uint256 slippage,
            uint256 maxLeverage,
            uint256 coolDown,
            uint256 maxStep,
            uint256 minMove,
            uint256 tipCap,
            uint256 depositCap
        );
    }
}

/// A call's return data or its revert data.
fn ret(result: Result<Vec<u8>, Error>) -> ArbResult {
    result.map_err(Vec::from)
}

/// Return data of one number.
fn one(value: U256) -> Vec<u8> {
    words(&[value.word()])
}

/// Return data of one signed number.
fn signed(value: I256) -> Vec<u8> {
    one(value.into_raw())
}

/// Return data of a `string` (at most 32 bytes).
fn string(text: &str) -> Vec<u8> {
    let mut content = [0u8; 32];
    for (byte, new) in content.iter_mut().zip(text.as_bytes()) {
        *byte = *new;
    }
    let head = [U256::from(32).word(), U256::from(text.len()).word()];
    let mut out = words(&head);
    out.extend_from_slice(&content);
    out
}

impl DrawdownVault {
    /// Runs the function `selector` names; `None` for an unknown selector or malformed
    /// arguments (the SDK then reverts with empty data).
    fn dispatch(&mut self, selector: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
        use IDrawdownVault as I;
        let none = |r: Result<(), Error>| ret(r.map(|()| Vec::new()));
        let num = |r: Result<U256, Error>| ret(r.map(one));
        let yes = |r: Result<bool, Error>| ret(r.map(|b| words(&[b.word()])));
        let out = match selector {
            I::nameCall::SELECTOR => Ok(string(NAME)),
            I::symbolCall::SELECTOR => Ok(string(SYMBOL)),
            I::decimalsCall::SELECTOR => Ok(words(&[DECIMALS.word()])),
            I::totalSupplyCall::SELECTOR => Ok(one(self.total_supply())),
            I::balanceOfCall::SELECTOR => Ok(one(self.balance_of(a.address(0)?))),
            I::allowanceCall::SELECTOR => Ok(one(self.allowance(a.address(0)?, a.address(1)?))),
            I::transferCall::SELECTOR => yes(self.transfer(a.address(0)?, a.uint(1)?)),
            I::transferFromCall::SELECTOR => {
                let (from, to, value) = (a.address(0)?, a.address(1)?, a.uint(2)?);
                yes(self.transfer_from(from, to, value))
            }
            I::approveCall::SELECTOR => yes(self.approve(a.address(0)?, a.uint(1)?)),
            I::assetCall::SELECTOR => Ok(words(&[self.asset().word()])),
            I::totalAssetsCall::SELECTOR => num(self.total_assets()),
            I::convertToSharesCall::SELECTOR => num(self.convert_to_shares(a.uint(0)?)),
            I::convertToAssetsCall::SELECTOR => num(self.convert_to_assets(a.uint(0)?)),
            I::maxDepositCall::SELECTOR => Ok(one(self.max_deposit(a.address(0)?))),
            I::maxMintCall::SELECTOR => Ok(one(self.max_mint(a.address(0)?))),
            I::maxWithdrawCall::SELECTOR => Ok(one(self.max_withdraw(a.address(0)?))),
            I::maxRedeemCall::SELECTOR => Ok(one(self.max_redeem(a.address(0)?))),
            I::previewDepositCall::SELECTOR => num(self.preview_deposit(a.uint(0)?)),
            I::previewMintCall::SELECTOR => num(self.preview_mint(a.uint(0)?)),
            I::previewWithdrawCall::SELECTOR => num(self.preview_withdraw(a.uint(0)?)),
            I::previewRedeemCall::SELECTOR => num(self.preview_redeem(a.uint(0)?)),
            I::depositCall::SELECTOR => num(self.deposit(a.uint(0)?, a.address(1)?)),
            I::mintCall::SELECTOR => num(self.mint(a.uint(0)?, a.address(1)?)),
            I::withdrawCall::SELECTOR => {
                let (assets, receiver, owner) = (a.uint(0)?, a.address(1)?, a.address(2)?);
                num(self.withdraw(assets, receiver, owner))
            }
            I::redeemCall::SELECTOR => {
                let (shares, receiver, owner) = (a.uint(0)?, a.address(1)?, a.address(2)?);
                num(self.redeem(shares, receiver, owner))
            }
            I::highWaterMarkCall::SELECTOR => Ok(one(self.high_water_mark())),
            I::navPerShareCall::SELECTOR => num(self.nav_per_share()),
            I::drawdownCall::SELECTOR => num(self.drawdown()),
            I::targetExposureCall::SELECTOR => ret(self.target_exposure().map(signed)),
            I::exposureCall::SELECTOR => ret(self.exposure().map(signed)),
            I::rebalanceCall::SELECTOR => ret(self
                .rebalance(a.uint(0)?, a.uint(1)?)
                .map(|(delta, tip)| words(&[delta.into_raw().word(), tip.word()]))),
            I::pokeCall::SELECTOR => none(self.poke()),
            I::setTargetCall::SELECTOR => {
                let is_long = match a.uint(0)? {
                    x if x > U256::from(1) => return None,
                    x => !x.is_zero(),
                };
                none(self.set_target(is_long, a.uint(1)?))
            }
            I::pauseCall::SELECTOR => none(self.pause(a.uint(0)?)),
            I::resetCall::SELECTOR => none(self.reset()),
            I::relyCall::SELECTOR => none(self.rely(a.address(0)?)),
            I::denyCall::SELECTOR => none(self.deny(a.address(0)?)),
            I::wardsCall::SELECTOR => Ok(words(&[self.wards(a.address(0)?).word()])),
            I::fileCall::SELECTOR => none(self.file(a.word(0)?, a.uint(1)?)),
            I::fileAddressCall::SELECTOR => none(self.file_address(a.word(0)?, a.address(1)?)),
            I::stateCall::SELECTOR => Ok(uints(&self.state())),
            I::paramsCall::SELECTOR => Ok(uints(&self.params())),
            _ => return None,
        };
        Some(out)
    }
}

impl Router<DrawdownVault> for DrawdownVault {
    type Storage = DrawdownVault;

    fn route(storage: &mut DrawdownVault, selector: u32, input: &[u8]) -> Option<ArbResult> {
        // Nothing is payable.
        if !storage.vm().msg_value().is_zero() {
            return Some(Err(vec![]));
        }
        storage.dispatch(selector.to_be_bytes(), Args(input))
    }

    fn receive(_storage: &mut DrawdownVault) -> Option<Result<(), Vec<u8>>> {
        None
    }

    fn fallback(_storage: &mut DrawdownVault, _calldata: &[u8]) -> Option<ArbResult> {
        None
    }

    fn constructor(storage: &mut DrawdownVault, input: &[u8]) -> Option<ArbResult> {
        if !storage.vm().msg_value().is_zero() {
            return Some(Err(vec![]));
        }
        if let Err(e) = storage.check_constructor_slot() {
            return Some(Err(e));
        }
        let a = Args(input);
        let (quote, engine, oracle, model) =
            (a.address(0)?, a.address(1)?, a.address(2)?, a.address(3)?);
        let (market, admin) = (a.uint(4)?, a.address(5)?);
        Some(ret(storage
            .constructor(quote, engine, oracle, model, market, admin)
            .map(|()| Vec::new())))
    }
}
