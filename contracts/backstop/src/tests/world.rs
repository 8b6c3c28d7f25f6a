//! A small fake chain for native tests.
//!
//! The Backstop runs on the SDK's `TestVM` for storage, time, sender and logs, while its calls
//! out reach fakes kept here: ERC-20 ledgers, a margin engine that keeps accounts, positions
//! and the pool ledger and computes health the way SPEC.md describes it, an oracle, a risk
//! model and a Liquidator that checks and records kicks. The [`World`] is a
//! `keel_testvm::RoutedVm` whose router is [`Fakes`].
//!
//! Unlike a chain, `TestVM` does not roll back storage when a call returns an error: native
//! tests check that a refused call changes nothing only for refusals that come before any
//! effect; the end-to-end tests on the real `.wasm` cover rollback.

use std::{
    cell::RefCell,
    collections::{BTreeMap, HashMap},
};

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolValue};
use keel_math::WAD;
use keel_testvm::{CallKind, CallRouter, RoutedVm};
use stylus_sdk::stylus_core::host::AccountAccess;
use stylus_sdk::testing::TestVM;

use super::{ENGINE, LIQUIDATOR, MODEL, ORACLE};
use crate::calls::{ILiquidator, IMarginEngine as E, IPriceSource, IRiskModel, IERC20};

sol! {
    /// What every fake reverts with.
    error FakeRevert(string why);
}

pub(crate) fn revert(why: &str) -> Vec<u8> {
    FakeRevert { why: why.into() }.abi_encode()
}

/// An ERC-20 ledger.
#[derive(Default)]
pub(crate) struct Token {
    pub(crate) decimals: u8,
    pub(crate) balances: HashMap<Address, U256>,
    pub(crate) allowances: HashMap<(Address, Address), U256>,
}

impl Token {
    pub(crate) fn unit(&self) -> U256 {
        U256::from(10u64).pow(U256::from(18 - self.decimals))
    }

    pub(crate) fn move_(&mut self, from: Address, to: Address, value: U256) -> Result<(), Vec<u8>> {
        let balance = self.balances.entry(from).or_default();
        if *balance < value {
            return Err(revert("insufficient balance"));
        }
        *balance -= value;
        *self.balances.entry(to).or_default() += value;
        Ok(())
    }

    fn spend(&mut self, owner: Address, spender: Address, value: U256) -> Result<(), Vec<u8>> {
        let allowance = self.allowances.entry((owner, spender)).or_default();
        if *allowance < value {
            return Err(revert("insufficient allowance"));
        }
        if *allowance != U256::MAX {
            *allowance -= value;
        }
        Ok(())
    }
}

/// A position: signed WAD size, entry price.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Position {
    pub(crate) size: I256,
    pub(crate) entry: U256,
}

/// A margin account of the fake engine.
#[derive(Clone, Debug, Default)]
pub(crate) struct Account {
    pub(crate) owner: Address,
    /// WAD, may be negative.
    pub(crate) quote: I256,
    /// Token units.
    pub(crate) collateral: BTreeMap<Address, U256>,
    pub(crate) positions: BTreeMap<U256, Position>,
}

/// The fake MarginEngine.
#[derive(Default)]
pub(crate) struct Engine {
    pub(crate) accounts: HashMap<U256, Account>,
    /// market → oracle asset.
    pub(crate) markets: HashMap<U256, Address>,
    /// collateral token → haircut (WAD).
    pub(crate) haircuts: HashMap<Address, U256>,
    /// The pool ledger, WAD.
    pub(crate) pool: I256,
    pub(crate) wards: Vec<Address>,
    pub(crate) refuse_deposits: bool,
    /// Every hook call, by name, in order.
    pub(crate) hooks: Vec<&'static str>,
}

/// One kick the fake Liquidator received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Kick {
    pub(crate) id: U256,
    pub(crate) tab: U256,
    pub(crate) lot: U256,
    pub(crate) asset: Address,
    pub(crate) account: U256,
    pub(crate) owner: Address,
    pub(crate) keeper: Address,
    pub(crate) coin: U256,
}

/// The fake Liquidator.
#[derive(Default)]
pub(crate) struct Liquidator {
    pub(crate) listed: HashMap<Address, bool>,
    /// Per asset `room`, quote units.
    pub(crate) room: HashMap<Address, U256>,
    pub(crate) chip: U256,
    pub(crate) tip: U256,
    /// The stop level (kicks halt at 1).
    pub(crate) stopped: U256,
    /// Price-drop breaker per asset: `(tol, last)`.
    pub(crate) breaker: HashMap<Address, (U256, U256)>,
    pub(crate) kicks: Vec<Kick>,
    /// Collateral held per asset for running auctions.
    pub(crate) held: HashMap<Address, U256>,
}

/// Everything outside the Backstop.
#[derive(Default)]
pub(crate) struct Chain {
    pub(crate) quote: Address,
    pub(crate) tokens: HashMap<Address, Token>,
    /// Oracle prices (missing: the oracle reverts).
    pub(crate) prices: HashMap<Address, U256>,
    /// RiskModel maintenance fractions.
    pub(crate) mm: HashMap<Address, U256>,
    /// The oracle reverts every price (stale), while the engine still values positions.
    pub(crate) oracle_down: bool,
    pub(crate) engine: Engine,
    pub(crate) liq: Liquidator,
}

/// The Backstop's fakes, shared by every clone of the [`World`].
#[derive(Default)]
pub(crate) struct Fakes {
    pub(crate) chain: RefCell<Chain>,
}

/// The host the Backstop runs on in native tests.
pub(crate) type World = RoutedVm<Fakes>;

/// `a · b / WAD`, toward zero (test arithmetic, not the contract's).
fn wmul(a: I256, b: I256) -> I256 {
    a * b / I256::from_raw(WAD)
}

fn signed(x: U256) -> I256 {
    I256::from_raw(x)
}

impl Chain {
    fn price(&self, asset: Address) -> Result<U256, Vec<u8>> {
        self.prices
            .get(&asset)
            .copied()
            .ok_or_else(|| revert("no price"))
    }

    /// Unrealised PnL of a position at the oracle price.
    pub(crate) fn pnl(&self, market: U256, p: &Position) -> I256 {
        let asset = self.engine.markets[&market];
        let price = self.prices[&asset];
        wmul(p.size, signed(price) - signed(p.entry))
    }

    /// `(equity, maintenance)` of `account`, as SPEC.md defines them.
    pub(crate) fn health(&self, id: U256) -> (I256, U256) {
        let Some(a) = self.engine.accounts.get(&id) else {
            return (I256::ZERO, U256::ZERO);
        };
        let mut equity = a.quote;
        for (token, amount) in &a.collateral {
            let t = &self.tokens[token];
            let value = signed(*amount * t.unit()) * signed(self.prices[token]) / signed(WAD);
            let haircut = self.engine.haircuts.get(token).copied().unwrap_or_default();
            equity += wmul(value, signed(WAD - haircut));
        }
        let mut mm = U256::ZERO;
        for (market, p) in &a.positions {
            let asset = self.engine.markets[market];
            equity += self.pnl(*market, p);
            let notional = p.size.unsigned_abs() * self.prices[&asset] / WAD;
            mm += notional * self.mm[&asset] / WAD;
        }
        (equity, mm)
    }

    /// Σ unrealised PnL of every position.
    pub(crate) fn trader_pnl(&self) -> I256 {
        let mut total = I256::ZERO;
        for a in self.engine.accounts.values() {
            for (market, p) in &a.positions {
                total += self.pnl(*market, p);
            }
        }
        total
    }

    fn account(&mut self, id: U256) -> Result<&mut Account, Vec<u8>> {
        self.engine
            .accounts
            .get_mut(&id)
            .ok_or_else(|| revert("no account"))
    }

    fn engine_call(
        &mut self,
        caller: Address,
        data: &[u8],
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let sel: [u8; 4] = data[..4].try_into().map_err(|_| revert("short"))?;
        let d = |e| revert(&format!("engine abi: {e}"));
        let hook = !is_static;
        if hook && sel != E::depositCall::SELECTOR && !self.engine.wards.contains(&caller) {
            return Err(revert("engine: not a ward"));
        }
        match sel {
            E::isLiquidatableCall::SELECTOR => {
                let c = E::isLiquidatableCall::abi_decode(data).map_err(d)?;
                let (equity, mm) = self.health(c.account);
                Ok((equity < signed(mm)).abi_encode())
            }
            E::accountHealthCall::SELECTOR => {
                let c = E::accountHealthCall::abi_decode(data).map_err(d)?;
                let (equity, mm) = self.health(c.account);
                Ok((equity, mm * U256::from(2), mm).abi_encode_params())
            }
            E::accountMarketsCall::SELECTOR => {
                let c = E::accountMarketsCall::abi_decode(data).map_err(d)?;
                let markets: Vec<U256> = self
                    .engine
                    .accounts
                    .get(&c.account)
                    .map(|a| a.positions.keys().copied().collect())
                    .unwrap_or_default();
                Ok((markets,).abi_encode_params())
            }
            E::positionCall::SELECTOR => {
                let c = E::positionCall::abi_decode(data).map_err(d)?;
                let p = self
                    .engine
                    .accounts
                    .get(&c.account)
                    .and_then(|a| a.positions.get(&c.market).copied())
                    .unwrap_or_default();
                Ok((p.size, p.entry).abi_encode_params())
            }
            E::marketAssetCall::SELECTOR => {
                let c = E::marketAssetCall::abi_decode(data).map_err(d)?;
                Ok(self
                    .engine
                    .markets
                    .get(&c.market)
                    .copied()
                    .unwrap_or_default()
                    .abi_encode())
            }
            E::quoteBalanceCall::SELECTOR => {
                let c = E::quoteBalanceCall::abi_decode(data).map_err(d)?;
                Ok(self
                    .engine
                    .accounts
                    .get(&c.account)
                    .map(|a| a.quote)
                    .unwrap_or_default()
                    .abi_encode())
            }
            E::collateralOfCall::SELECTOR => {
                let c = E::collateralOfCall::abi_decode(data).map_err(d)?;
                let amount = self
                    .engine
                    .accounts
                    .get(&c.account)
                    .and_then(|a| a.collateral.get(&c.token).copied())
                    .unwrap_or_default();
                Ok(amount.abi_encode())
            }
            E::accountOwnerCall::SELECTOR => {
                let c = E::accountOwnerCall::abi_decode(data).map_err(d)?;
                Ok(self
                    .engine
                    .accounts
                    .get(&c.account)
                    .map(|a| a.owner)
                    .unwrap_or_default()
                    .abi_encode())
            }
            E::poolStateCall::SELECTOR => {
                let pnl = self.trader_pnl();
                let balance = self.engine.pool;
                let assets = if balance > pnl {
                    (balance - pnl).into_raw()
                } else {
                    U256::ZERO
                };
                Ok((assets, U256::ZERO, pnl, balance.into_raw()).abi_encode_params())
            }
            E::confiscateCall::SELECTOR if hook => {
                let c = E::confiscateCall::abi_decode(data).map_err(d)?;
                self.engine.hooks.push("confiscate");
                let a = self.account(c.account)?;
                let p = a
                    .positions
                    .get(&c.market)
                    .copied()
                    .ok_or_else(|| revert("no position"))?;
                let reduces = !c.sizeDelta.is_zero()
                    && p.size.is_negative() != c.sizeDelta.is_negative()
                    && c.sizeDelta.unsigned_abs() <= p.size.unsigned_abs();
                if !reduces {
                    return Err(revert("confiscate: not reduce-only"));
                }
                let realised = wmul(-c.sizeDelta, signed(c.price) - signed(p.entry));
                a.quote += realised;
                let size = p.size + c.sizeDelta;
                if size.is_zero() {
                    a.positions.remove(&c.market);
                } else {
                    a.positions.insert(
                        c.market,
                        Position {
                            size,
                            entry: p.entry,
                        },
                    );
                }
                self.engine.pool -= realised;
                Ok(realised.abi_encode())
            }
            E::chargeCall::SELECTOR if hook => {
                let c = E::chargeCall::abi_decode(data).map_err(d)?;
                self.engine.hooks.push("charge");
                self.account(c.account)?.quote -= signed(c.amount);
                let quote = self.quote;
                let t = self
                    .tokens
                    .get_mut(&quote)
                    .ok_or_else(|| revert("no quote"))?;
                let units = c.amount / t.unit();
                t.move_(ENGINE, c.to, units)?;
                Ok(Vec::new())
            }
            E::seizeCall::SELECTOR if hook => {
                let c = E::seizeCall::abi_decode(data).map_err(d)?;
                self.engine.hooks.push("seize");
                let a = self.account(c.account)?;
                let held = a.collateral.entry(c.token).or_default();
                if *held < c.amount {
                    return Err(revert("seize: not enough collateral"));
                }
                *held -= c.amount;
                if held.is_zero() {
                    a.collateral.remove(&c.token);
                }
                let t = self
                    .tokens
                    .get_mut(&c.token)
                    .ok_or_else(|| revert("no token"))?;
                t.move_(ENGINE, c.to, c.amount)?;
                Ok(Vec::new())
            }
            E::socialiseCall::SELECTOR if hook => {
                let c = E::socialiseCall::abi_decode(data).map_err(d)?;
                self.engine.hooks.push("socialise");
                self.account(c.account)?.quote += signed(c.amount);
                self.engine.pool -= signed(c.amount);
                Ok(Vec::new())
            }
            E::depositCall::SELECTOR if hook => {
                let c = E::depositCall::abi_decode(data).map_err(d)?;
                if self.engine.refuse_deposits {
                    return Err(revert("engine: deposits paused"));
                }
                self.engine.hooks.push("deposit");
                let quote = self.quote;
                let t = self
                    .tokens
                    .get_mut(&c.token)
                    .ok_or_else(|| revert("no token"))?;
                t.spend(caller, ENGINE, c.amount)?;
                t.move_(caller, ENGINE, c.amount)?;
                let unit = t.unit();
                let a = self.account(c.account)?;
                if c.token == quote {
                    a.quote += signed(c.amount * unit);
                } else {
                    *a.collateral.entry(c.token).or_default() += c.amount;
                }
                Ok(Vec::new())
            }
            _ => Err(revert("engine: unknown call")),
        }
    }

    fn liquidator_call(
        &mut self,
        caller: Address,
        data: &[u8],
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let sel: [u8; 4] = data[..4].try_into().map_err(|_| revert("short"))?;
        let d = |e| revert(&format!("liquidator abi: {e}"));
        match sel {
            ILiquidator::roomCall::SELECTOR => {
                let c = ILiquidator::roomCall::abi_decode(data).map_err(d)?;
                Ok(self
                    .liq
                    .room
                    .get(&c.asset)
                    .copied()
                    .unwrap_or_default()
                    .abi_encode())
            }
            ILiquidator::assetsCall::SELECTOR => {
                let c = ILiquidator::assetsCall::abi_decode(data).map_err(d)?;
                let mut words = vec![U256::ZERO; 17];
                words[0] = U256::from(u8::from(
                    self.liq.listed.get(&c.asset).copied().unwrap_or_default(),
                ));
                words[6] = self.liq.chip;
                words[7] = self.liq.tip;
                let (tol, last) = self.liq.breaker.get(&c.asset).copied().unwrap_or_default();
                words[12] = tol;
                words[13] = last;
                Ok(words.iter().flat_map(|w| w.to_be_bytes::<32>()).collect())
            }
            ILiquidator::stateCall::SELECTOR => {
                let mut words = vec![U256::ZERO; 8];
                words[3] = self.liq.stopped;
                Ok(words.iter().flat_map(|w| w.to_be_bytes::<32>()).collect())
            }
            ILiquidator::kickCall::SELECTOR if !is_static => {
                let c = ILiquidator::kickCall::abi_decode(data).map_err(d)?;
                if !self.liq.stopped.is_zero() {
                    return Err(revert("liquidator: stopped"));
                }
                let (tol, last) = self.liq.breaker.get(&c.asset).copied().unwrap_or_default();
                if self.prices[&c.asset] < last * tol / WAD {
                    return Err(revert("liquidator: price-drop breaker"));
                }
                if !self.liq.listed.get(&c.asset).copied().unwrap_or_default() {
                    return Err(revert("liquidator: asset not listed"));
                }
                let room = self.liq.room.get(&c.asset).copied().unwrap_or_default();
                if c.tab.is_zero() || c.lot.is_zero() || c.owner.is_zero() || c.tab > room {
                    return Err(revert("liquidator: invalid kick"));
                }
                let held = self.liq.held.get(&c.asset).copied().unwrap_or_default() + c.lot;
                let balance = self.tokens[&c.asset]
                    .balances
                    .get(&LIQUIDATOR)
                    .copied()
                    .unwrap_or_default();
                if balance < held {
                    return Err(revert("liquidator: lot not funded"));
                }
                let coin = if c.keeper.is_zero() {
                    U256::ZERO
                } else {
                    self.liq.tip + c.tab * self.liq.chip / WAD
                };
                if !coin.is_zero() {
                    let quote = self.quote;
                    let t = self
                        .tokens
                        .get_mut(&quote)
                        .ok_or_else(|| revert("no quote"))?;
                    t.spend(caller, LIQUIDATOR, coin)?;
                    t.move_(caller, c.keeper, coin)?;
                }
                self.liq.held.insert(c.asset, held);
                self.liq.room.insert(c.asset, room - c.tab);
                let id = U256::from(self.liq.kicks.len() + 1);
                self.liq.kicks.push(Kick {
                    id,
                    tab: c.tab,
                    lot: c.lot,
                    asset: c.asset,
                    account: c.account,
                    owner: c.owner,
                    keeper: c.keeper,
                    coin,
                });
                Ok(id.abi_encode())
            }
            _ => Err(revert("liquidator: unknown call")),
        }
    }

    fn token_call(
        &mut self,
        to: Address,
        caller: Address,
        data: &[u8],
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let sel: [u8; 4] = data[..4].try_into().map_err(|_| revert("short"))?;
        let d = |e| revert(&format!("token abi: {e}"));
        let token = self.tokens.get_mut(&to).ok_or_else(|| revert("no token"))?;
        match sel {
            IERC20::balanceOfCall::SELECTOR => {
                let c = IERC20::balanceOfCall::abi_decode(data).map_err(d)?;
                Ok(token
                    .balances
                    .get(&c.account)
                    .copied()
                    .unwrap_or_default()
                    .abi_encode())
            }
            IERC20::decimalsCall::SELECTOR => Ok(U256::from(token.decimals).abi_encode()),
            IERC20::transferCall::SELECTOR if !is_static => {
                let c = IERC20::transferCall::abi_decode(data).map_err(d)?;
                token.move_(caller, c.to, c.value)?;
                Ok(true.abi_encode())
            }
            IERC20::approveCall::SELECTOR if !is_static => {
                let c = IERC20::approveCall::abi_decode(data).map_err(d)?;
                token.allowances.insert((caller, c.spender), c.value);
                Ok(true.abi_encode())
            }
            _ => Err(revert("token: unknown call")),
        }
    }

    fn dispatch(
        &mut self,
        caller: Address,
        to: Address,
        data: &[u8],
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        if self.tokens.contains_key(&to) {
            return self.token_call(to, caller, data, is_static);
        }
        match to {
            ENGINE => self.engine_call(caller, data, is_static),
            LIQUIDATOR => self.liquidator_call(caller, data, is_static),
            ORACLE if self.oracle_down => Err(revert("oracle: stale price")),
            ORACLE => {
                let c =
                    IPriceSource::priceCall::abi_decode(data).map_err(|_| revert("oracle abi"))?;
                Ok(self.price(c.asset)?.abi_encode())
            }
            MODEL => {
                let c = IRiskModel::maintenanceMarginCall::abi_decode(data)
                    .map_err(|_| revert("model abi"))?;
                Ok(self
                    .mm
                    .get(&c.asset)
                    .copied()
                    .unwrap_or_default()
                    .abi_encode())
            }
            _ => Err(revert("no code")),
        }
    }
}

impl CallRouter for Fakes {
    fn route(
        &self,
        vm: &TestVM,
        to: Address,
        data: &[u8],
        _value: U256,
        kind: CallKind,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let caller = vm.contract_address();
        let mut chain = self.chain.borrow_mut();
        match kind {
            CallKind::Call => chain.dispatch(caller, to, data, false),
            CallKind::Static => chain.dispatch(caller, to, data, true),
            CallKind::Delegate => Err(Vec::new()),
        }
    }

    fn code_size(&self, _vm: &TestVM, _account: Address) -> usize {
        1
    }

    fn msg_reentrant(&self, _vm: &TestVM) -> bool {
        false
    }
}
