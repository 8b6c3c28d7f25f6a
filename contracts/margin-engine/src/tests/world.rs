//! A small fake chain for native tests.
//!
//! The engine runs on the SDK's `TestVM` (storage, time, sender, logs) through
//! `keel_testvm::RoutedVm`, whose router [`Fakes`] answers the engine's calls out: ERC-20
//! ledgers (one may charge a fee on transfer), a RiskOracle (per-asset `priceData` and
//! volatility, the sequencer's safe-to-add-risk flag) and a RiskModel (per-asset margin
//! fractions). `TestVM` does not roll back storage when a call returns an error, so tests check
//! "nothing changed" only for refusals made before any effect.

use std::{cell::RefCell, collections::HashMap};

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use keel_testvm::{CallKind, CallRouter, RoutedVm};
use stylus_sdk::{stylus_core::host::*, testing::TestVM};

use crate::calls::{IRiskModel, IRiskOracle, IERC20};

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
    /// Units burnt from every transfer (a fee-on-transfer token when non-zero).
    pub(crate) fee: U256,
    pub(crate) balances: HashMap<Address, U256>,
    pub(crate) allowances: HashMap<(Address, Address), U256>,
}

impl Token {
    fn debit(&mut self, from: Address, value: U256) -> Result<(), Vec<u8>> {
        let balance = self.balances.entry(from).or_default();
        if *balance < value {
            return Err(revert("insufficient balance"));
        }
        *balance -= value;
        Ok(())
    }

    fn credit(&mut self, to: Address, value: U256) {
        *self.balances.entry(to).or_default() += value.saturating_sub(self.fee);
    }
}

/// What the fake oracle says about one asset.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Feed {
    pub(crate) price: U256,
    pub(crate) valid: bool,
    pub(crate) age: u64,
    pub(crate) status: u8,
    pub(crate) vol: U256,
}

/// Everything outside the engine.
#[derive(Default)]
pub(crate) struct Chain {
    pub(crate) oracle: Address,
    pub(crate) model: Address,
    pub(crate) tokens: HashMap<Address, Token>,
    pub(crate) feeds: HashMap<Address, Feed>,
    /// `sequencerStatus().safeToAddRisk` is `!unsafe_sequencer`.
    pub(crate) unsafe_sequencer: bool,
    /// `(initialMargin, maintenanceMargin)` by asset, WAD.
    pub(crate) margins: HashMap<Address, (U256, U256)>,
    /// Calls out of the engine, in order: `(callee, selector)`.
    pub(crate) calls: Vec<(Address, [u8; 4])>,
}

/// The engine's fakes, shared by every clone of the [`World`].
#[derive(Default)]
pub(crate) struct Fakes {
    pub(crate) chain: RefCell<Chain>,
}

/// The host the engine runs on in native tests.
pub(crate) type World = RoutedVm<Fakes>;

fn word(x: U256) -> Vec<u8> {
    x.abi_encode()
}

impl Fakes {
    fn dispatch(
        &self,
        vm: &TestVM,
        to: Address,
        data: &[u8],
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let caller = vm.contract_address();
        let selector: [u8; 4] = data
            .get(..4)
            .and_then(|s| s.try_into().ok())
            .unwrap_or_default();
        let mut chain = self.chain.borrow_mut();
        chain.calls.push((to, selector));
        let chain = &mut *chain;
        let abi = |_| revert("abi");
        if let Some(token) = chain.tokens.get_mut(&to) {
            return match selector {
                IERC20::balanceOfCall::SELECTOR => {
                    let call = IERC20::balanceOfCall::abi_decode(data).map_err(abi)?;
                    Ok(word(
                        token
                            .balances
                            .get(&call.account)
                            .copied()
                            .unwrap_or_default(),
                    ))
                }
                IERC20::decimalsCall::SELECTOR => Ok(word(U256::from(token.decimals))),
                IERC20::transferCall::SELECTOR if !is_static => {
                    let call = IERC20::transferCall::abi_decode(data).map_err(abi)?;
                    token.debit(caller, call.value)?;
                    token.credit(call.to, call.value);
                    Ok(true.abi_encode())
                }
                IERC20::transferFromCall::SELECTOR if !is_static => {
                    let call = IERC20::transferFromCall::abi_decode(data).map_err(abi)?;
                    let allowance = token.allowances.entry((call.from, caller)).or_default();
                    if *allowance < call.value {
                        return Err(revert("insufficient allowance"));
                    }
                    *allowance -= call.value;
                    token.debit(call.from, call.value)?;
                    token.credit(call.to, call.value);
                    Ok(true.abi_encode())
                }
                _ => Err(revert("token: unknown call")),
            };
        }
        if to == chain.oracle {
            return match selector {
                IRiskOracle::priceDataCall::SELECTOR => {
                    let call = IRiskOracle::priceDataCall::abi_decode(data).map_err(abi)?;
                    Ok(match chain.feeds.get(&call.asset) {
                        Some(f) => (f.price, f.valid, U256::from(f.age), U256::from(f.status))
                            .abi_encode_params(),
                        None => (U256::ZERO, false, U256::ZERO, U256::from(1)).abi_encode_params(),
                    })
                }
                IRiskOracle::volatilityStateCall::SELECTOR => {
                    let call = IRiskOracle::volatilityStateCall::abi_decode(data).map_err(abi)?;
                    let f = chain
                        .feeds
                        .get(&call.asset)
                        .ok_or_else(|| revert("unknown asset"))?;
                    Ok((f.vol, f.vol, f.vol, U256::ZERO).abi_encode_params())
                }
                IRiskOracle::sequencerStatusCall::SELECTOR => {
                    let safe = !chain.unsafe_sequencer;
                    Ok((safe, safe, U256::ZERO).abi_encode_params())
                }
                _ => Err(revert("oracle: unknown call")),
            };
        }
        if to == chain.model {
            let asset = Address::from_slice(data.get(16..36).unwrap_or(&[0; 20]));
            let (im, mm) = chain
                .margins
                .get(&asset)
                .copied()
                .ok_or_else(|| revert("unknown asset"))?;
            return match selector {
                IRiskModel::marginsCall::SELECTOR => Ok((mm, im).abi_encode_params()),
                _ => Err(revert("model: unknown call")),
            };
        }
        // An address without code: the call succeeds and returns nothing.
        Ok(Vec::new())
    }

    fn has_code(&self, account: Address) -> bool {
        let chain = self.chain.borrow();
        chain.tokens.contains_key(&account) || account == chain.oracle || account == chain.model
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
        match kind {
            CallKind::Call => self.dispatch(vm, to, data, false),
            CallKind::Static => self.dispatch(vm, to, data, true),
            CallKind::Delegate => Err(Vec::new()),
        }
    }

    fn code(&self, _vm: &TestVM, account: Address) -> Vec<u8> {
        if self.has_code(account) {
            vec![0xfe]
        } else {
            Vec::new()
        }
    }

    fn code_size(&self, _vm: &TestVM, account: Address) -> usize {
        usize::from(self.has_code(account))
    }

    fn msg_reentrant(&self, _vm: &TestVM) -> bool {
        false
    }
}
