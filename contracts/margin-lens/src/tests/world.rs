//! A small fake chain for native tests: an engine that values accounts exactly as the
//! MarginEngine's `health.rs` does (PnL rounded down, notional and margins rounded up), an
//! oracle's `priceData`, and a RiskModel that records what it is asked. The [`World`] is a
//! `keel_testvm::RoutedVm` whose router is [`Fakes`].

use std::{cell::RefCell, collections::HashMap};

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolValue};
use keel_math::{mul_div_signed_down, mul_wad_up, WAD};
use keel_testvm::{CallKind, CallRouter, RoutedVm};
use stylus_sdk::testing::TestVM;

use super::{ENGINE, MODEL, ORACLE};
use crate::calls::{IMarginEngine as E, IRiskModel as M, IRiskOracle};

sol! {
    /// What every fake reverts with.
    error FakeRevert(string why);
}

pub(crate) fn revert(why: &str) -> Vec<u8> {
    FakeRevert { why: why.into() }.abi_encode()
}

/// A position: signed WAD size, entry price.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Position {
    pub(crate) size: I256,
    pub(crate) entry: U256,
}

/// One `insolvencyProbability` question: asset, isLong, mark, equity, size, horizon.
pub(crate) type Question = (Address, bool, U256, U256, U256, U256);

/// Everything outside the lens.
#[derive(Default)]
pub(crate) struct Chain {
    /// Per account: quote balance (WAD) and positions by market.
    pub(crate) accounts: HashMap<U256, (I256, HashMap<U256, Position>)>,
    /// market → oracle asset.
    pub(crate) markets: HashMap<U256, Address>,
    /// Oracle prices (zero: none).
    pub(crate) prices: HashMap<Address, U256>,
    /// Maintenance fractions; initial margin is twice maintenance.
    pub(crate) mm: HashMap<Address, U256>,
    /// What `model.oracle()` returns.
    pub(crate) model_oracle: Address,
    /// The model's answer to every probability question, and the questions asked.
    pub(crate) probability: U256,
    pub(crate) questions: Vec<Question>,
    /// The model refuses probability questions.
    pub(crate) model_refuses: bool,
}

/// The fakes, shared by every clone of the [`World`].
#[derive(Default)]
pub(crate) struct Fakes {
    pub(crate) chain: RefCell<Chain>,
}

/// The host the lens runs on in native tests.
pub(crate) type World = RoutedVm<Fakes>;

/// `size · (price − entry)`, rounded down, as the engine's `unrealised`.
pub(crate) fn pnl(p: Position, price: U256) -> I256 {
    let diff = I256::from_raw(price) - I256::from_raw(p.entry);
    mul_div_signed_down(p.size, diff, I256::from_raw(WAD)).unwrap()
}

/// The engine's margin of a position: `⌈⌈|size| · price⌉ · fraction⌉`.
pub(crate) fn margin(p: Position, price: U256, fraction: U256) -> U256 {
    mul_wad_up(mul_wad_up(p.size.unsigned_abs(), price).unwrap(), fraction).unwrap()
}

impl Chain {
    /// `(equity, IM, MM)` of `account` at the current prices, by the engine's formulas.
    pub(crate) fn health(&self, account: U256) -> (I256, U256, U256) {
        self.health_at(account, None)
    }

    /// As [`Self::health`], with `asset` priced at `price` instead.
    pub(crate) fn health_at(
        &self,
        account: U256,
        over: Option<(Address, U256)>,
    ) -> (I256, U256, U256) {
        let Some((quote, positions)) = self.accounts.get(&account) else {
            return (I256::ZERO, U256::ZERO, U256::ZERO);
        };
        let (mut equity, mut im, mut mm) = (*quote, U256::ZERO, U256::ZERO);
        for (market, p) in positions {
            let asset = self.markets[market];
            let price = match over {
                Some((a, price)) if a == asset => price,
                _ => self.prices[&asset],
            };
            let m = self.mm[&asset];
            equity += pnl(*p, price);
            mm += margin(*p, price, m);
            im += margin(*p, price, m * U256::from(2));
        }
        (equity, im, mm)
    }

    fn engine(&self, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let d = |e| revert(&format!("engine abi: {e}"));
        match data[..4].try_into().unwrap_or_default() {
            E::accountHealthCall::SELECTOR => {
                let c = E::accountHealthCall::abi_decode(data).map_err(d)?;
                Ok(self.health(c.account).abi_encode_params())
            }
            E::positionCall::SELECTOR => {
                let c = E::positionCall::abi_decode(data).map_err(d)?;
                let p = self
                    .accounts
                    .get(&c.account)
                    .and_then(|(_, ps)| ps.get(&c.market).copied())
                    .unwrap_or_default();
                Ok((p.size, p.entry).abi_encode_params())
            }
            E::marketAssetCall::SELECTOR => {
                let c = E::marketAssetCall::abi_decode(data).map_err(d)?;
                let asset = self.markets.get(&c.market).copied();
                Ok(asset
                    .ok_or_else(|| revert("EngineUnknownMarket"))?
                    .abi_encode())
            }
            _ => Err(revert("engine: unknown selector")),
        }
    }

    fn model(&mut self, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let d = |e| revert(&format!("model abi: {e}"));
        match data[..4].try_into().unwrap_or_default() {
            M::oracleCall::SELECTOR => Ok(self.model_oracle.abi_encode()),
            M::maintenanceMarginCall::SELECTOR => {
                let c = M::maintenanceMarginCall::abi_decode(data).map_err(d)?;
                Ok(self
                    .mm
                    .get(&c.asset)
                    .copied()
                    .unwrap_or_default()
                    .abi_encode())
            }
            M::insolvencyProbabilityCall::SELECTOR => {
                if self.model_refuses {
                    return Err(revert("ModelArgumentOutOfBounds"));
                }
                let c = M::insolvencyProbabilityCall::abi_decode(data).map_err(d)?;
                self.questions.push((
                    c.asset,
                    c.isLong,
                    c.entryOrMark,
                    c.equity,
                    c.size,
                    c.horizon,
                ));
                Ok(self.probability.abi_encode())
            }
            _ => Err(revert("model: unknown selector")),
        }
    }
}

impl CallRouter for Fakes {
    fn route(
        &self,
        _vm: &TestVM,
        to: Address,
        data: &[u8],
        _value: U256,
        kind: CallKind,
    ) -> Result<Vec<u8>, Vec<u8>> {
        if kind != CallKind::Static {
            return Err(revert("the lens only reads"));
        }
        let mut chain = self.chain.borrow_mut();
        match to {
            ENGINE => chain.engine(data),
            MODEL => chain.model(data),
            ORACLE => {
                let c = IRiskOracle::priceDataCall::abi_decode(data)
                    .map_err(|_| revert("oracle abi"))?;
                let price = chain.prices.get(&c.asset).copied().unwrap_or_default();
                // Stale on purpose: the lens, as the engine's views, ignores `isValid`.
                Ok((price, false, U256::from(7_200), U256::from(2)).abi_encode_params())
            }
            _ => Err(revert("no code")),
        }
    }

    fn code_size(&self, _vm: &TestVM, _account: Address) -> usize {
        1
    }

    fn msg_reentrant(&self, _vm: &TestVM) -> bool {
        false
    }
}
