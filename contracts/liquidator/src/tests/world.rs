//! A small fake chain for native tests.
//!
//! The Liquidator runs on the SDK's `TestVM` for storage, time, sender and logs, while its calls
//! out reach fakes kept here: ERC-20 ledgers, price sources, engines and flash takers that
//! behave like the real mocks and record what they were told. (`TestVM`'s own call mocks hand
//! back the most recently mocked data for every call, so they cannot tell a price from a
//! balance.) The [`World`] is a `keel_testvm::RoutedVm` whose router is [`Fakes`].
//!
//! Unlike a chain, `TestVM` does not roll back storage when a call returns an error: native
//! tests check that a refused call changes nothing only for refusals that come before any
//! effect; the end-to-end tests on the real `.wasm` cover rollback.

use std::{cell::RefCell, collections::HashMap};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolValue};
use keel_testvm::{CallKind, CallRouter, RoutedVm};
use stylus_sdk::{stylus_core::host::*, testing::TestVM};

use crate::calls::{IAuctionEngine, IFlashTaker, IPriceSource, IERC20};

sol! {
    /// What every fake reverts with.
    error FakeRevert(string why);
}

fn revert(why: &str) -> Vec<u8> {
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
    fn debit(&mut self, from: Address, value: U256) -> Result<(), Vec<u8>> {
        let balance = self.balances.entry(from).or_default();
        if *balance < value {
            return Err(revert("insufficient balance"));
        }
        *balance -= value;
        Ok(())
    }

    fn credit(&mut self, to: Address, value: U256) {
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

/// One `onAuctionProceeds` call, with the engine's quote balance when it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Proceeds {
    pub(crate) id: U256,
    pub(crate) account: U256,
    pub(crate) raised: U256,
    pub(crate) remaining_tab: U256,
    pub(crate) closed: bool,
    pub(crate) engine_balance: U256,
}

/// An engine that records proceeds (or refuses them).
#[derive(Default)]
pub(crate) struct Engine {
    pub(crate) proceeds: Vec<Proceeds>,
    pub(crate) refusing: bool,
}

/// What a flash taker does in `onTake`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum TakerMode {
    /// Sends `owe` quote from its inventory to the sender (a swap that paid enough).
    #[default]
    Pay,
    /// Reverts.
    Refuse,
    /// Pays nothing.
    Keep,
}

/// One `onTake` call, with what the taker saw when it ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Callback {
    pub(crate) sender: Address,
    pub(crate) owe: U256,
    pub(crate) slice: U256,
    pub(crate) data: Vec<u8>,
    /// The taker's collateral balance: it got the slice before the callback.
    pub(crate) collateral_held: U256,
    /// The Liquidator's first storage slot (which holds the lock) during the callback.
    pub(crate) liquidator_slot0: B256,
}

/// A flash taker.
#[derive(Default)]
pub(crate) struct Taker {
    pub(crate) mode: TakerMode,
    pub(crate) collateral: Address,
    pub(crate) callbacks: Vec<Callback>,
}

/// Everything outside the Liquidator.
#[derive(Default)]
pub(crate) struct Chain {
    pub(crate) quote: Address,
    pub(crate) tokens: HashMap<Address, Token>,
    /// `(source, asset)` → the price it returns, or its revert data.
    pub(crate) prices: HashMap<(Address, Address), Result<U256, Vec<u8>>>,
    pub(crate) engines: HashMap<Address, Engine>,
    pub(crate) takers: HashMap<Address, Taker>,
    /// Every call out of the Liquidator, in order: `(callee, calldata)`.
    pub(crate) calls: Vec<(Address, Vec<u8>)>,
}

/// The Liquidator's fakes, shared by every clone of the [`World`].
#[derive(Default)]
pub(crate) struct Fakes {
    pub(crate) chain: RefCell<Chain>,
}

/// The host the Liquidator runs on in native tests.
pub(crate) type World = RoutedVm<Fakes>;

/// What the tests ask of the [`World`] beyond the host functions.
pub(crate) trait WorldExt {
    /// The Liquidator's own address.
    fn this(&self) -> Address;
}

impl WorldExt for World {
    fn this(&self) -> Address {
        self.vm.contract_address()
    }
}

impl Fakes {
    /// Dispatches one call from the Liquidator.
    fn dispatch(
        &self,
        vm: &TestVM,
        to: Address,
        data: &[u8],
        is_static: bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let caller = vm.contract_address();
        let selector: [u8; 4] = match data.get(..4).and_then(|s| s.try_into().ok()) {
            Some(s) => s,
            None => return Ok(Vec::new()),
        };
        let mut chain = self.chain.borrow_mut();
        chain.calls.push((to, data.to_vec()));
        let chain = &mut *chain;
        if let Some(token) = chain.tokens.get_mut(&to) {
            return match selector {
                IERC20::balanceOfCall::SELECTOR => {
                    let call =
                        IERC20::balanceOfCall::abi_decode(data).map_err(|_| revert("abi"))?;
                    Ok(token
                        .balances
                        .get(&call.account)
                        .copied()
                        .unwrap_or_default()
                        .abi_encode())
                }
                IERC20::decimalsCall::SELECTOR => Ok(U256::from(token.decimals).abi_encode()),
                IERC20::transferCall::SELECTOR if !is_static => {
                    let call = IERC20::transferCall::abi_decode(data).map_err(|_| revert("abi"))?;
                    token.debit(caller, call.value)?;
                    token.credit(call.to, call.value);
                    Ok(true.abi_encode())
                }
                IERC20::transferFromCall::SELECTOR if !is_static => {
                    let call =
                        IERC20::transferFromCall::abi_decode(data).map_err(|_| revert("abi"))?;
                    token.spend(call.from, caller, call.value)?;
                    token.debit(call.from, call.value)?;
                    token.credit(call.to, call.value);
                    Ok(true.abi_encode())
                }
                _ => Err(revert("token: unknown call")),
            };
        }
        if selector == IPriceSource::priceCall::SELECTOR {
            let call = IPriceSource::priceCall::abi_decode(data).map_err(|_| revert("abi"))?;
            return match chain.prices.get(&(to, call.asset)) {
                Some(Ok(price)) => Ok(price.abi_encode()),
                Some(Err(reason)) => Err(reason.clone()),
                None => Ok(Vec::new()),
            };
        }
        if is_static {
            return Ok(Vec::new());
        }
        let quote = chain.quote;
        if let Some(engine) = chain.engines.get_mut(&to) {
            let call = IAuctionEngine::onAuctionProceedsCall::abi_decode(data)
                .map_err(|_| revert("engine: unknown call"))?;
            if engine.refusing {
                return Err(revert("engine refused"));
            }
            let engine_balance = chain
                .tokens
                .get(&quote)
                .and_then(|t| t.balances.get(&to).copied())
                .unwrap_or_default();
            engine.proceeds.push(Proceeds {
                id: call.id,
                account: call.account,
                raised: call.raised,
                remaining_tab: call.remainingTab,
                closed: call.closed,
                engine_balance,
            });
            return Ok(Vec::new());
        }
        if let Some(taker) = chain.takers.get_mut(&to) {
            let call = IFlashTaker::onTakeCall::abi_decode(data)
                .map_err(|_| revert("taker: unknown call"))?;
            let collateral_held = chain
                .tokens
                .get(&taker.collateral)
                .and_then(|t| t.balances.get(&to).copied())
                .unwrap_or_default();
            taker.callbacks.push(Callback {
                sender: call.sender,
                owe: call.owe,
                slice: call.slice,
                data: call.data.to_vec(),
                collateral_held,
                liquidator_slot0: vm.storage_load_bytes32(U256::ZERO),
            });
            return match taker.mode {
                TakerMode::Refuse => Err(revert("taker refused")),
                TakerMode::Keep => Ok(Vec::new()),
                TakerMode::Pay => {
                    let token = chain
                        .tokens
                        .get_mut(&quote)
                        .ok_or_else(|| revert("no quote"))?;
                    token.debit(to, call.owe)?;
                    token.credit(call.sender, call.owe);
                    Ok(Vec::new())
                }
            };
        }
        // An address without code: the call succeeds and returns nothing.
        Ok(Vec::new())
    }

    fn has_code(&self, account: Address) -> bool {
        let chain = self.chain.borrow();
        chain.tokens.contains_key(&account)
            || chain.engines.contains_key(&account)
            || chain.takers.contains_key(&account)
            || chain.prices.keys().any(|(source, _)| *source == account)
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
            // The Liquidator never delegates; a delegate call fails with no data.
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
