//! A small fake chain for native tests.
//!
//! The vault runs on the SDK's `TestVM` for storage, time, sender and logs, while its calls
//! out reach fakes kept here: the quote token's ledger, a MarginEngine that keeps one ledger
//! per account (quote balance, one position, fills at the oracle price ± a spread, a fee,
//! initial margin as a fraction of notional), a RiskOracle's `priceData` and a RiskModel's
//! `maxLeverage`. The [`World`] is a `keel_testvm::RoutedVm` whose router is [`Fakes`].
//!
//! Unlike a chain, `TestVM` does not roll back storage when a call returns an error: tests
//! check that a refused call changes nothing only for refusals that come before any effect.

use std::{cell::RefCell, collections::HashMap};

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use keel_math::{mul_wad_down, to_wad, WAD};
use keel_testvm::{CallKind, CallRouter, RoutedVm};
use stylus_sdk::{stylus_core::host::*, testing::TestVM};

use crate::calls::{IMarginEngine as E, IRiskModel, IRiskOracle, IERC20};

sol! {
    /// What every fake reverts with.
    error FakeRevert(string why);
}

pub(crate) fn revert(why: &str) -> Vec<u8> {
    use alloy_sol_types::SolError;
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
    pub(crate) fn debit(&mut self, from: Address, value: U256) -> Result<(), Vec<u8>> {
        let balance = self.balances.entry(from).or_default();
        if *balance < value {
            return Err(revert("insufficient balance"));
        }
        *balance -= value;
        Ok(())
    }

    pub(crate) fn credit(&mut self, to: Address, value: U256) {
        *self.balances.entry(to).or_default() += value;
    }

    fn spend(&mut self, owner: Address, spender: Address, value: U256) -> Result<(), Vec<u8>> {
        let allowance = self.allowances.entry((owner, spender)).or_default();
        if *allowance < value {
            return Err(revert("insufficient allowance"));
        }
        *allowance -= value;
        Ok(())
    }
}

/// One margin account of the fake engine.
#[derive(Clone, Debug, Default)]
pub(crate) struct Account {
    pub(crate) owner: Address,
    /// WAD, may be negative.
    pub(crate) quote: I256,
    /// Signed WAD base.
    pub(crate) size: I256,
    /// WAD.
    pub(crate) entry: U256,
}

/// One trade the engine filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fill {
    pub(crate) delta: I256,
    pub(crate) fill: U256,
    pub(crate) limit: U256,
    pub(crate) deadline: U256,
}

/// A MarginEngine with one market. It values accounts at the oracle's last price even when
/// the oracle calls it invalid, and then only lets positions shrink (as the real engine does
/// while a price exists but adding risk is unsafe).
pub(crate) struct Engine {
    pub(crate) accounts: HashMap<U256, Account>,
    pub(crate) next: u64,
    pub(crate) market: U256,
    pub(crate) asset: Address,
    /// Fill = price · (1 ± spread), WAD.
    pub(crate) spread: U256,
    /// Fee per notional, WAD, debited from the quote balance.
    pub(crate) fee: U256,
    /// Initial margin per notional, WAD.
    pub(crate) im: U256,
    /// Quote (WAD) every trade takes beyond what `quoteTrade` said (a misbehaving engine).
    pub(crate) surcharge: U256,
    /// Refuses trades that add risk (as with the sequencer down).
    pub(crate) refuse_risk: bool,
    pub(crate) fills: Vec<Fill>,
}

impl Default for Engine {
    fn default() -> Self {
        Self {
            accounts: HashMap::new(),
            next: 1,
            market: U256::from(1),
            asset: Address::ZERO,
            spread: U256::ZERO,
            fee: U256::ZERO,
            im: WAD / U256::from(10),
            surcharge: U256::ZERO,
            refuse_risk: false,
            fills: Vec::new(),
        }
    }
}

/// `a · b` for a signed `a` and unsigned WAD `b`, rounded toward zero.
pub(crate) fn smul(a: I256, b: U256) -> I256 {
    let m = I256::from_raw(mul_wad_down(a.unsigned_abs(), b).unwrap_or_default());
    if a.is_negative() {
        -m
    } else {
        m
    }
}

impl Engine {
    /// Fill price and fee of a trade of `delta` at `price`: `price · (1 ± spread)` and
    /// `|delta| · fill · fee`, both rounded down.
    pub(crate) fn quote(&self, price: U256, delta: I256) -> (U256, U256) {
        let offset = mul_wad_down(price, self.spread).unwrap_or_default();
        let fill = if delta.is_positive() {
            price + offset
        } else {
            price - offset
        };
        let notional = mul_wad_down(delta.unsigned_abs(), fill).unwrap_or_default();
        (fill, mul_wad_down(notional, self.fee).unwrap_or_default())
    }

    /// Equity and initial margin of `account` at `price`.
    pub(crate) fn health(&self, account: &Account, price: U256) -> (I256, U256) {
        let pnl = smul(account.size, price) - smul(account.size, account.entry);
        let im = mul_wad_down(
            mul_wad_down(account.size.unsigned_abs(), price).unwrap_or_default(),
            self.im,
        )
        .unwrap_or_default();
        (account.quote + pnl, im)
    }
}

/// Everything outside the vault.
#[derive(Default)]
pub(crate) struct Chain {
    pub(crate) quote: Address,
    pub(crate) engine_address: Address,
    pub(crate) oracle: Address,
    pub(crate) model: Address,
    pub(crate) tokens: HashMap<Address, Token>,
    pub(crate) engine: Engine,
    /// The oracle's price and validity of the market asset.
    pub(crate) price: U256,
    pub(crate) valid: bool,
    /// The model's `maxLeverage`, WAD.
    pub(crate) max_leverage: U256,
    /// Every call out of the vault, in order: `(callee, calldata)`.
    pub(crate) calls: Vec<(Address, Vec<u8>)>,
}

/// The vault's fakes, shared by every clone of the [`World`].
#[derive(Default)]
pub(crate) struct Fakes {
    pub(crate) chain: RefCell<Chain>,
}

/// The host the vault runs on in native tests.
pub(crate) type World = RoutedVm<Fakes>;

fn abi<T: SolCall>(data: &[u8]) -> Result<T, Vec<u8>> {
    T::abi_decode(data).map_err(|_| revert("abi"))
}

impl Chain {
    fn token(
        &mut self,
        to: Address,
        caller: Address,
        data: &[u8],
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let token = self.tokens.get_mut(&to).ok_or_else(|| revert("no token"))?;
        let selector: [u8; 4] = data[..4].try_into().unwrap_or_default();
        match selector {
            IERC20::decimalsCall::SELECTOR => Ok(U256::from(token.decimals).abi_encode()),
            IERC20::approveCall::SELECTOR if !is_static => {
                let call: IERC20::approveCall = abi(data)?;
                token.allowances.insert((caller, call.spender), call.value);
                Ok(true.abi_encode())
            }
            IERC20::transferFromCall::SELECTOR if !is_static => {
                let call: IERC20::transferFromCall = abi(data)?;
                token.spend(call.from, caller, call.value)?;
                token.debit(call.from, call.value)?;
                token.credit(call.to, call.value);
                Ok(true.abi_encode())
            }
            _ => Err(revert("token: unknown call")),
        }
    }

    fn engine(
        &mut self,
        vm: &TestVM,
        caller: Address,
        data: &[u8],
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let selector: [u8; 4] = data[..4].try_into().unwrap_or_default();
        let (price, valid, this) = (self.price, self.valid, self.engine_address);
        let decimals = self.tokens.get(&self.quote).map_or(6, |t| t.decimals);
        match selector {
            E::marketAssetCall::SELECTOR => Ok(self.engine.asset.abi_encode()),
            E::accountHealthCall::SELECTOR => {
                let call: E::accountHealthCall = abi(data)?;
                let account = self
                    .engine
                    .accounts
                    .get(&call.account)
                    .cloned()
                    .unwrap_or_default();
                let (equity, im) = self.engine.health(&account, price);
                Ok((equity, im, im / U256::from(2)).abi_encode_params())
            }
            E::quoteBalanceCall::SELECTOR => {
                let call: E::quoteBalanceCall = abi(data)?;
                let a = self
                    .engine
                    .accounts
                    .get(&call.account)
                    .cloned()
                    .unwrap_or_default();
                Ok(a.quote.abi_encode())
            }
            E::quoteTradeCall::SELECTOR => {
                let call: E::quoteTradeCall = abi(data)?;
                if !valid {
                    return Err(revert("engine: invalid price"));
                }
                Ok(self.engine.quote(price, call.sizeDelta).abi_encode_params())
            }
            E::positionCall::SELECTOR => {
                let call: E::positionCall = abi(data)?;
                let a = self
                    .engine
                    .accounts
                    .get(&call.account)
                    .cloned()
                    .unwrap_or_default();
                Ok((a.size, a.entry).abi_encode_params())
            }
            _ if is_static => Err(revert("engine: state change in a static call")),
            E::openAccountCall::SELECTOR => {
                let call: E::openAccountCall = abi(data)?;
                let id = U256::from(self.engine.next);
                self.engine.next += 1;
                self.engine.accounts.insert(
                    id,
                    Account {
                        owner: call.owner,
                        ..Account::default()
                    },
                );
                Ok(id.abi_encode())
            }
            E::depositCall::SELECTOR => {
                let call: E::depositCall = abi(data)?;
                let token = self
                    .tokens
                    .get_mut(&call.token)
                    .ok_or_else(|| revert("no token"))?;
                token.spend(caller, this, call.amount)?;
                token.debit(caller, call.amount)?;
                token.credit(this, call.amount);
                let wad = to_wad(call.amount, decimals).map_err(|_| revert("math"))?;
                let a = self
                    .engine
                    .accounts
                    .get_mut(&call.account)
                    .ok_or_else(|| revert("no account"))?;
                a.quote += I256::from_raw(wad);
                Ok(Vec::new())
            }
            E::withdrawCall::SELECTOR => {
                let call: E::withdrawCall = abi(data)?;
                let wad = to_wad(call.amount, decimals).map_err(|_| revert("math"))?;
                let mut a = self
                    .engine
                    .accounts
                    .get(&call.account)
                    .cloned()
                    .ok_or_else(|| revert("no account"))?;
                if a.owner != caller {
                    return Err(revert("engine: not the owner"));
                }
                a.quote -= I256::from_raw(wad);
                if a.quote.is_negative() {
                    return Err(revert("engine: quote balance below zero"));
                }
                let (equity, im) = self.engine.health(&a, price);
                if !a.size.is_zero() && equity < I256::from_raw(im) {
                    return Err(revert("engine: initial margin"));
                }
                let token = self
                    .tokens
                    .get_mut(&call.token)
                    .ok_or_else(|| revert("no token"))?;
                token.debit(this, call.amount)?;
                token.credit(call.to, call.amount);
                self.engine.accounts.insert(call.account, a);
                Ok(Vec::new())
            }
            E::tradeCall::SELECTOR => {
                let call: E::tradeCall = abi(data)?;
                if U256::from(vm.block_timestamp()) > call.deadline {
                    return Err(revert("engine: deadline"));
                }
                let mut a = self
                    .engine
                    .accounts
                    .get(&call.account)
                    .cloned()
                    .ok_or_else(|| revert("no account"))?;
                if a.owner != caller {
                    return Err(revert("engine: not the owner"));
                }
                let delta = call.sizeDelta;
                let buy = delta.is_positive();
                let (fill, fee) = self.engine.quote(price, delta);
                if (buy && fill > call.priceLimit) || (!buy && fill < call.priceLimit) {
                    return Err(revert("engine: price limit"));
                }
                let new = a.size + delta;
                let adds = new.unsigned_abs() > a.size.unsigned_abs()
                    || (new.is_negative() != a.size.is_negative()
                        && !new.is_zero()
                        && !a.size.is_zero());
                if adds && (self.engine.refuse_risk || !valid) {
                    return Err(revert("engine: not safe to add risk"));
                }
                // Realise PnL on the part that closes, at the fill.
                let closing = if a.size.is_zero() || delta.is_negative() == a.size.is_negative() {
                    I256::ZERO
                } else if delta.unsigned_abs() >= a.size.unsigned_abs() {
                    -a.size
                } else {
                    delta
                };
                a.quote += smul(-closing, fill) - smul(-closing, a.entry);
                let opening = delta - closing;
                let after_close = a.size + closing;
                if !opening.is_zero() {
                    let notional = smul(after_close, a.entry) + smul(opening, fill);
                    let size = after_close + opening;
                    a.entry =
                        keel_math::mul_div_down(notional.unsigned_abs(), WAD, size.unsigned_abs())
                            .unwrap_or_default();
                }
                a.size = new;
                if a.size.is_zero() {
                    a.entry = U256::ZERO;
                }
                a.quote -= I256::from_raw(fee + self.engine.surcharge);
                let (equity, im) = self.engine.health(&a, price);
                if adds && equity < I256::from_raw(im) {
                    return Err(revert("engine: initial margin"));
                }
                self.engine.accounts.insert(call.account, a);
                self.engine.fills.push(Fill {
                    delta,
                    fill,
                    limit: call.priceLimit,
                    deadline: call.deadline,
                });
                Ok(fill.abi_encode())
            }
            _ => Err(revert("engine: unknown call")),
        }
    }

    fn dispatch(
        &mut self,
        vm: &TestVM,
        to: Address,
        data: &[u8],
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let caller = vm.contract_address();
        if data.len() < 4 {
            return Ok(Vec::new());
        }
        self.calls.push((to, data.to_vec()));
        if self.tokens.contains_key(&to) {
            return self.token(to, caller, data, is_static);
        }
        if to == self.engine_address {
            return self.engine(vm, caller, data, is_static);
        }
        if to == self.oracle && data[..4] == IRiskOracle::priceDataCall::SELECTOR {
            return Ok((self.price, self.valid, U256::ZERO, U256::ZERO).abi_encode_params());
        }
        if to == self.model && data[..4] == IRiskModel::maxLeverageCall::SELECTOR {
            return Ok(self.max_leverage.abi_encode());
        }
        Err(revert("no such contract"))
    }

    fn has_code(&self, account: Address) -> bool {
        self.tokens.contains_key(&account)
            || [self.engine_address, self.oracle, self.model].contains(&account)
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
        let mut chain = self.chain.borrow_mut();
        match kind {
            CallKind::Call => chain.dispatch(vm, to, data, false),
            CallKind::Static => chain.dispatch(vm, to, data, true),
            CallKind::Delegate => Err(Vec::new()),
        }
    }

    fn code(&self, _vm: &TestVM, account: Address) -> Vec<u8> {
        if self.chain.borrow().has_code(account) {
            vec![0xfe]
        } else {
            Vec::new()
        }
    }

    fn code_size(&self, _vm: &TestVM, account: Address) -> usize {
        usize::from(self.chain.borrow().has_code(account))
    }

    fn msg_reentrant(&self, _vm: &TestVM) -> bool {
        false
    }
}
