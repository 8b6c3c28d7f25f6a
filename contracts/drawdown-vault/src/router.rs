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
        /// The shares' name: `Keel Drawdown Vault`.
        function name() external view returns (string);
        /// The shares' symbol: `kDV`.
        function symbol() external view returns (string);
        /// The shares' decimals: 18 (the quote's plus the virtual offset `18 - decimals`).
        function decimals() external view returns (uint8);
        /// Shares in existence.
        function totalSupply() external view returns (uint256);
        /// Shares of `account`.
        function balanceOf(address account) external view returns (uint256);
        /// Shares `spender` may move for `owner`; an allowance of 2^256 - 1 is never spent down.
        function allowance(address owner, address spender) external view returns (uint256);
        /// Moves `value` shares from the caller to `to`; returns true.
        function transfer(address to, uint256 value) external returns (bool);
        /// Moves `value` shares from `from` to `to` under the caller's allowance; returns true.
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        /// Lets `spender` move `value` of the caller's shares; returns true.
        function approve(address spender, uint256 value) external returns (bool);
        // ERC-4626
        /// The quote token, the vault's asset.
        function asset() external view returns (address);
        /// NAV in quote units, rounded down: `max(0, equity)` of the vault's engine account.
        function totalAssets() external view returns (uint256);
        /// Shares worth `assets` quote units at `totalAssets`, rounded down (no exit cost, no
        /// limits).
        function convertToShares(uint256 assets) external view returns (uint256);
        /// Quote units `shares` are worth at `totalAssets`, rounded down (no exit cost, no
        /// limits).
        function convertToAssets(uint256 shares) external view returns (uint256);
        /// Most quote units `receiver` may deposit now: 0 while deposits are paused, else what
        /// is left under `depositCap` (2^256 - 1 while it is at its maximum, 2^128 - 1: no
        /// cap). Never reverts.
        function maxDeposit(address receiver) external view returns (uint256);
        /// Most shares `receiver` may mint now (see `maxDeposit`). Never reverts.
        function maxMint(address receiver) external view returns (uint256);
        /// Most quote units `owner` may withdraw now: its shares at the exit NAV less the exit
        /// charge, or 0 while the engine would not let quote out (a position open while the
        /// oracle's price is invalid or the account's quote balance negative). Never reverts.
        function maxWithdraw(address owner) external view returns (uint256);
        /// Most shares `owner` may redeem now: its balance, or 0 when `maxWithdraw` is 0 for
        /// that reason. Never reverts.
        function maxRedeem(address owner) external view returns (uint256);
        /// Shares a deposit of `assets` quote units mints now (NAV rounded up, shares down).
        function previewDeposit(uint256 assets) external view returns (uint256);
        /// Quote units a mint of `shares` costs now (NAV rounded up, assets up).
        function previewMint(uint256 shares) external view returns (uint256);
        /// Shares a withdrawal of `assets` quote units burns now: `assets` plus the exit charge
        /// at the exit NAV (NAV less the engine's quoted cost of closing the whole position),
        /// rounded up; 0 for 0. Reverts with `VaultNoPrice` while a position is open and the
        /// oracle's price invalid (the engine quotes no close then).
        function previewWithdraw(uint256 assets) external view returns (uint256);
        /// Quote units a redemption of `shares` pays now, at the exit NAV less the exit charge,
        /// rounded down. Reverts as `previewWithdraw`.
        function previewRedeem(uint256 shares) external view returns (uint256);
        /// Pulls `assets` quote units from the caller into the vault's engine account and mints
        /// shares to `receiver` (NAV rounded up, shares down). Anyone, up to `maxDeposit`;
        /// returns the shares.
        function deposit(uint256 assets, address receiver) external returns (uint256 shares);
        /// Mints exactly `shares` to `receiver` for the quote units `previewMint` gives, pulled
        /// from the caller. Anyone, up to `maxMint`; returns the quote units.
        function mint(uint256 shares, address receiver) external returns (uint256 assets);
        /// Burns `owner`'s shares worth `assets` quote units at the exit NAV (spending the
        /// caller's allowance unless it is `owner`), shrinks the position by their share and
        /// sends `assets` to `receiver`. Up to `maxWithdraw`; returns the shares burnt.
        function withdraw(uint256 assets, address receiver, address owner) external returns (uint256 shares);
        /// Burns exactly `shares` of `owner` (spending the caller's allowance unless it is
        /// `owner`), shrinks the position by their share and sends the quote units
        /// `previewRedeem` gives to `receiver`. Up to `maxRedeem`; returns the quote units.
        function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets);
        // drawdown and CPPI
        /// The high-water mark of NAV per share, WAD quote per whole share, as last recorded by
        /// an interaction.
        function highWaterMark() external view returns (uint256);
        /// NAV per share now, WAD quote per whole share (with the virtual share and asset).
        function navPerShare() external view returns (uint256);
        /// Live drawdown from the high-water mark, WAD fraction rounded up (0 at or above it).
        function drawdown() external view returns (uint256);
        /// The notional (signed WAD quote, + long) a rebalance moves toward now: the CPPI target
        /// in the strategist's direction, reduce-only while the vault may not add risk, 0 when
        /// halted.
        function targetExposure() external view returns (int256);
        /// The position's notional at the oracle price, signed WAD quote (+ long).
        function exposure() external view returns (int256);
        /// Moves the position toward `targetExposure` by at most `maxStep` of notional (the
        /// whole position when halted), within the caller's `priceLimit` (at most it for a buy,
        /// at least it for a sell; 0: none) and the vault's own `oracle price +- slippage`, at
        /// or before `deadline`. Anyone; returns the size traded (signed WAD base) and the tip
        /// paid to the caller (`tipCap` quote units if the step moved at least `minMove`).
        function rebalance(uint256 priceLimit, uint256 deadline) external returns (int256 sizeDelta, uint256 tip);
        /// Records the high-water mark and the drawdown band now, halting the vault at the hard
        /// cap. Anyone.
        function poke() external;
        // roles
        /// Sets the direction (`isLong`) and leverage (WAD multiple of NAV, at most
        /// `maxLeverage`). Strategist only.
        function setTarget(bool isLong, uint256 leverage) external;
        /// Adds the pause bits `flags` (1: deposits, 2: risk-taking) and never clears any. The
        /// guardian or a ward.
        function pause(uint256 flags) external;
        /// Clears the halt once `coolDown` seconds have passed since it, and restarts the
        /// high-water mark at the current NAV per share. Wards only.
        function reset() external;
        /// Makes `usr` a ward. Wards only.
        function rely(address usr) external;
        /// Removes `usr` from the wards. Wards only.
        function deny(address usr) external;
        /// Whether `usr` is a ward.
        function wards(address usr) external view returns (bool);
        /// Sets the parameter `what` (one of those `params` returns, in its units) to `data`
        /// within its bounds, or the pause bits `paused` to any value from 0 to 3. Wards only.
        function file(bytes32 what, uint256 data) external;
        /// Sets `strategist` or `guardian` (zero: none). Wards only.
        function fileAddress(bytes32 what, address data) external;
        /// The vault's state: the contracts and roles, the engine market and account, the pause
        /// bits, the halt and its time, the drawdown band (0 normal, 1 soft band, 2 halted), and
        /// the strategist's direction and leverage (WAD).
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
        /// The parameters set by `file`: `maxDrawdown`, `softDrawdown`, `multiplier`,
        /// `slippage`, `maxLeverage` (WAD); `coolDown` (seconds); `maxStep`, `minMove` (WAD
        /// quote notional); `tipCap`, `depositCap` (quote units).
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
