//! Mock margin engine for the Liquidator's tests: kicks auctions the way the MarginEngine does
//! (transfer the seized lot, then `kick`), funds keeper rewards by approving the Liquidator,
//! and reports every `onAuctionProceeds` callback as a [`Proceeds`] event.
//!
//! The callback only checks its caller and logs, so that gas measured for a take is the
//! Liquidator's and the tokens', not a mock's bookkeeping. Failures of the Liquidator bubble
//! up unchanged, so tests decode the Liquidator's own errors. Never deployed to production.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `no_std` only in the contract's wasm: a workspace build that generates abi/ turns on
// stylus-sdk's `export-abi`, whose `#[public]` output needs std in native builds.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use stylus_sdk::{
    call::call,
    prelude::*,
    storage::{StorageAddress, StorageBool},
};

sol! {
    /// The Liquidator reported `raised` for auction `id` of `account`.
    event Proceeds(uint256 indexed id, uint256 indexed account, uint256 raised, uint256 remainingTab, bool closed);
    /// `onAuctionProceeds` from an address other than the Liquidator.
    error MockUnauthorized(address caller);
    /// `onAuctionProceeds` while set to refuse.
    error MockEngineRefused();

    interface ILiquidator {
        function kick(uint256 tab, uint256 lot, address asset, uint256 account, address owner, address keeper) external returns (uint256);
    }
    interface IERC20 {
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
    }
}

/// Storage of the mock engine.
#[storage]
#[entrypoint]
pub struct MockAuctionEngine {
    liquidator: StorageAddress,
    quote: StorageAddress,
    refusing: StorageBool,
}

#[public]
impl MockAuctionEngine {
    /// Works with `liquidator`, whose auctions raise `quote`.
    #[constructor]
    pub fn constructor(&mut self, liquidator: Address, quote: Address) {
        self.liquidator.set(liquidator);
        self.quote.set(quote);
    }

    /// Transfers `fund` of `asset` (normally `= lot`) to the Liquidator, then kicks an auction
    /// of `lot` for `tab`. Returns the auction id.
    ///
    /// # Errors
    /// The revert data of the token or the Liquidator, unchanged.
    #[allow(clippy::too_many_arguments)]
    pub fn kick(
        &mut self,
        asset: Address,
        tab: U256,
        lot: U256,
        fund: U256,
        account: U256,
        owner: Address,
        keeper: Address,
    ) -> Result<U256, Vec<u8>> {
        let liquidator = self.liquidator.get();
        if !fund.is_zero() {
            self.call_out(
                asset,
                &IERC20::transferCall {
                    to: liquidator,
                    value: fund,
                }
                .abi_encode(),
            )?;
        }
        let kick = ILiquidator::kickCall {
            tab,
            lot,
            asset,
            account,
            owner,
            keeper,
        };
        let out = self.call_out(liquidator, &kick.abi_encode())?;
        ILiquidator::kickCall::abi_decode_returns(&out).map_err(|_| out)
    }

    /// Lets the Liquidator pull up to `amount` quote for keeper rewards.
    ///
    /// # Errors
    /// The token's revert data.
    #[selector(name = "approveRewards")]
    pub fn approve_rewards(&mut self, amount: U256) -> Result<(), Vec<u8>> {
        let spender = self.liquidator.get();
        let quote = self.quote.get();
        self.call_out(
            quote,
            &IERC20::approveCall {
                spender,
                value: amount,
            }
            .abi_encode(),
        )
        .map(drop)
    }

    /// Makes `onAuctionProceeds` revert (`true`) or record (`false`).
    #[selector(name = "setRefusing")]
    pub fn set_refusing(&mut self, refusing: bool) {
        self.refusing.set(refusing);
    }

    /// Reports the proceeds of a take. Only the Liquidator may call.
    ///
    /// # Errors
    /// `MockUnauthorized`, `MockEngineRefused`.
    ///
    /// # Events
    /// [`Proceeds`].
    #[selector(name = "onAuctionProceeds")]
    pub fn on_auction_proceeds(
        &mut self,
        id: U256,
        account: U256,
        raised: U256,
        remaining_tab: U256,
        closed: bool,
    ) -> Result<(), Vec<u8>> {
        let caller = self.vm().msg_sender();
        if caller != self.liquidator.get() {
            return Err(MockUnauthorized { caller }.abi_encode());
        }
        if self.refusing.get() {
            return Err(MockEngineRefused {}.abi_encode());
        }
        self.vm().log(Proceeds {
            id,
            account,
            raised,
            remainingTab: remaining_tab,
            closed,
        });
        Ok(())
    }
}

impl MockAuctionEngine {
    fn call_out(&mut self, target: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let context = Call::new_mutating(self);
        call(self.vm(), context, target, data).map_err(Vec::from)
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::address;
    use alloy_sol_types::SolEvent;
    use stylus_sdk::testing::TestVM;

    use super::*;

    const LIQUIDATOR: Address = address!("00000000000000000000000000000000000000c1");
    const QUOTE: Address = address!("00000000000000000000000000000000000000c2");
    const WETH: Address = address!("00000000000000000000000000000000000000e7");
    const OWNER: Address = address!("00000000000000000000000000000000000000a0");

    fn deployed(vm: &TestVM) -> MockAuctionEngine {
        let mut engine = MockAuctionEngine::from(vm);
        engine.constructor(LIQUIDATOR, QUOTE);
        vm.set_sender(LIQUIDATOR);
        engine
    }

    fn word(x: u64) -> Vec<u8> {
        U256::from(x).to_be_bytes::<32>().to_vec()
    }

    #[test]
    fn kick_funds_the_lot_then_kicks_and_returns_the_id() {
        let vm = TestVM::default();
        let mut engine = deployed(&vm);
        let transfer = IERC20::transferCall {
            to: LIQUIDATOR,
            value: U256::from(5),
        }
        .abi_encode();
        vm.mock_call(WETH, transfer, U256::ZERO, Ok(word(1)));
        let kick = ILiquidator::kickCall {
            tab: U256::from(100),
            lot: U256::from(5),
            asset: WETH,
            account: U256::from(9),
            owner: OWNER,
            keeper: Address::ZERO,
        };
        vm.mock_call(LIQUIDATOR, kick.abi_encode(), U256::ZERO, Ok(word(7)));
        let id = engine.kick(
            WETH,
            U256::from(100),
            U256::from(5),
            U256::from(5),
            U256::from(9),
            OWNER,
            Address::ZERO,
        );
        assert_eq!(id, Ok(U256::from(7)));
    }

    #[test]
    fn kick_bubbles_the_liquidators_revert_data() {
        let vm = TestVM::default();
        let mut engine = deployed(&vm);
        let kick = ILiquidator::kickCall {
            tab: U256::from(1),
            lot: U256::from(1),
            asset: WETH,
            account: U256::ZERO,
            owner: OWNER,
            keeper: Address::ZERO,
        };
        vm.mock_call(
            LIQUIDATOR,
            kick.abi_encode(),
            U256::ZERO,
            Err(vec![0xde, 0xad]),
        );
        let out = engine.kick(
            WETH,
            U256::from(1),
            U256::from(1),
            U256::ZERO,
            U256::ZERO,
            OWNER,
            Address::ZERO,
        );
        assert_eq!(out, Err(vec![0xde, 0xad]));
    }

    #[test]
    fn proceeds_are_reported_as_an_event() {
        let vm = TestVM::default();
        let mut engine = deployed(&vm);
        let one = U256::from(1);
        assert!(engine
            .on_auction_proceeds(one, U256::from(9), U256::from(60), U256::from(40), true)
            .is_ok());
        let logs = vm.get_emitted_logs();
        assert_eq!(logs.len(), 1);
        let event = Proceeds::decode_raw_log(logs[0].0.iter().copied(), &logs[0].1);
        assert!(matches!(
            event,
            Ok(Proceeds { id, account, raised, remainingTab, closed: true })
                if id == one && account == U256::from(9) && raised == U256::from(60) && remainingTab == U256::from(40)
        ));
    }

    #[test]
    fn proceeds_from_anyone_but_the_liquidator_are_refused() {
        let vm = TestVM::default();
        let mut engine = deployed(&vm);
        vm.set_sender(OWNER);
        let out = engine.on_auction_proceeds(U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO, false);
        assert_eq!(out, Err(MockUnauthorized { caller: OWNER }.abi_encode()));
        assert!(vm.get_emitted_logs().is_empty());
    }

    #[test]
    fn a_refusing_engine_reverts_proceeds() {
        let vm = TestVM::default();
        let mut engine = deployed(&vm);
        engine.set_refusing(true);
        let out = engine.on_auction_proceeds(U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO, false);
        assert_eq!(out, Err(MockEngineRefused {}.abi_encode()));
    }
}
