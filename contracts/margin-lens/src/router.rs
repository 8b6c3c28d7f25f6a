//! The MarginLens's ABI and its hand-written router (as the Liquidator's: the SDK's `#[public]`
//! router costs several KB of compressed code). Calls with value, malformed arguments and
//! unknown selectors revert with empty data; the constructor runs once.

use alloc::{vec, vec::Vec};

use alloy_sol_types::{sol, SolCall};
use keel_common::abi::{uints, words, Args, Word};
use stylus_sdk::{
    abi::Router,
    prelude::*,
    stylus_core::{host::MessageAccess, ConstructorGuard},
    ArbResult,
};

use crate::{calls::iword, Error, MarginLens};

sol! {
    /// Keel's MarginLens: read-only risk views over the MarginEngine (see the crate docs).
    interface IMarginLens {
        /// The mark price of `market` (WAD) at which `account`'s equity equals its maintenance
        /// margin, other prices held fixed: a long is liquidatable below it (rounded up), a short
        /// above it (rounded down). 0 without a position there, or when no positive price
        /// changes the verdict (a long never liquidatable, a short liquidatable at any price).
        function liquidationPrice(uint256 account, uint256 market) external view returns (uint256 price);
        /// The RiskModel's probability (WAD) that the position loses the account's whole equity
        /// within `horizon` seconds, at the mark. 1e18 when equity <= 0; 0 without a position.
        function insolvencyProbability(uint256 account, uint256 market, uint256 horizon) external view returns (uint256 probability);
        /// `engine.accountHealth(account)` with the engine's health factor (equity / maintenance,
        /// WAD, rounded down; max uint without positions, 0 when equity <= 0) and
        /// `equity < maintenance`.
        function accountSummary(uint256 account) external view returns (
            int256 equity,
            uint256 initialMargin,
            uint256 maintenanceMargin,
            uint256 healthFactor,
            bool liquidatable
        );
        /// The engine, the oracle (the model's) and the model, fixed at construction.
        function config() external view returns (address engine, address oracle, address model);
    }
}

/// A call's return data or its revert data.
fn ret(result: Result<Vec<u8>, Error>) -> ArbResult {
    result.map_err(Vec::from)
}

impl MarginLens {
    /// Runs the function `selector` names; `None` for an unknown selector or malformed
    /// arguments (the SDK then reverts with empty data).
    fn dispatch(&self, selector: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
        use IMarginLens as I;
        let out = match selector {
            I::liquidationPriceCall::SELECTOR => ret(self
                .liquidation_price(a.uint(0)?, a.uint(1)?)
                .map(|p| uints(&[p]))),
            I::insolvencyProbabilityCall::SELECTOR => ret(self
                .insolvency_probability(a.uint(0)?, a.uint(1)?, a.uint(2)?)
                .map(|p| uints(&[p]))),
            I::accountSummaryCall::SELECTOR => ret(self.account_summary(a.uint(0)?).map(|s| {
                words(&[
                    iword(s.equity),
                    s.initial_margin.word(),
                    s.maintenance_margin.word(),
                    s.health_factor.word(),
                    s.liquidatable.word(),
                ])
            })),
            I::configCall::SELECTOR => {
                let [e, o, m] = self.config();
                Ok(words(&[e.word(), o.word(), m.word()]))
            }
            _ => return None,
        };
        Some(out)
    }
}

impl Router<MarginLens> for MarginLens {
    type Storage = MarginLens;

    fn route(storage: &mut MarginLens, selector: u32, input: &[u8]) -> Option<ArbResult> {
        // Nothing is payable.
        if !storage.vm().msg_value().is_zero() {
            return Some(Err(vec![]));
        }
        storage.dispatch(selector.to_be_bytes(), Args(input))
    }

    fn receive(_storage: &mut MarginLens) -> Option<Result<(), Vec<u8>>> {
        None
    }

    fn fallback(_storage: &mut MarginLens, _calldata: &[u8]) -> Option<ArbResult> {
        None
    }

    fn constructor(storage: &mut MarginLens, input: &[u8]) -> Option<ArbResult> {
        if !storage.vm().msg_value().is_zero() {
            return Some(Err(vec![]));
        }
        if let Err(e) = storage.check_constructor_slot() {
            return Some(Err(e));
        }
        let a = Args(input);
        let (engine, model) = (a.address(0)?, a.address(1)?);
        Some(ret(storage.constructor(engine, model).map(|()| Vec::new())))
    }
}
