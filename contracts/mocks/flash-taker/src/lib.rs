//! Mock flash-liquidation receiver for the Liquidator's tests.
//!
//! A keeper calls `take(id, amount, maxPrice, receiver = this, data)`; the Liquidator sends the
//! collateral here and calls `onTake(sender, owe, slice, data)`. In `Pay` mode the mock stands
//! for a swap: it keeps the collateral and sends `owe` quote from its own inventory to `sender`,
//! who then pays the Liquidator in the same transaction. It can also refuse (revert), keep
//! everything without paying, and first try a reentrant call into the Liquidator. What it saw
//! is reported as events ([`Called`], [`Reentered`]) rather than stored, so that gas measured
//! for a flash take is the Liquidator's and the tokens', not a mock's bookkeeping. Never
//! deployed to production.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `no_std` only in the contract's wasm: a workspace build that generates abi/ turns on
// stylus-sdk's `export-abi`, whose `#[public]` output needs std in native builds.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

use alloc::{vec, vec::Vec};

use alloy_primitives::{aliases::U8, Address, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use stylus_sdk::{
    abi::Bytes,
    call::call,
    prelude::*,
    storage::{StorageAddress, StorageBytes, StorageU8},
};

sol! {
    /// `onTake` was called with these arguments, holding `collateral` of the sold asset.
    event Called(address indexed sender, uint256 owe, uint256 slice, bytes data);
    /// The reentrant call went through (`ok`) or reverted, with its return or revert data.
    event Reentered(bool ok, bytes result);
    /// `onTake` from an address other than the Liquidator.
    error MockUnauthorized(address caller);
    /// `onTake` in `Refuse` mode.
    error MockTakerRefused();

    interface IERC20 {
        function transfer(address to, uint256 value) external returns (bool);
    }
}

/// Send `owe` quote to the take's sender (a swap that paid exactly enough).
pub const PAY: u8 = 0;
/// Revert from `onTake`.
pub const REFUSE: u8 = 1;
/// Keep the collateral, pay nothing.
pub const KEEP: u8 = 2;

/// Storage of the mock flash taker.
#[storage]
#[entrypoint]
pub struct MockFlashTaker {
    liquidator: StorageAddress,
    quote: StorageAddress,
    mode: StorageU8,
    reentry: StorageBytes,
}

#[public]
impl MockFlashTaker {
    /// Serves takes of `liquidator`, paying in `quote`.
    #[constructor]
    pub fn constructor(&mut self, liquidator: Address, quote: Address) {
        self.liquidator.set(liquidator);
        self.quote.set(quote);
    }

    /// [`PAY`], [`REFUSE`] or [`KEEP`].
    #[selector(name = "setMode")]
    pub fn set_mode(&mut self, mode: u8) {
        self.mode.set(U8::from(mode));
    }

    /// Calldata `onTake` sends to the Liquidator before anything else (empty: none).
    #[selector(name = "setReentry")]
    pub fn set_reentry(&mut self, data: Bytes) {
        self.reentry.set_bytes(&data);
    }

    /// The flash callback. Only the Liquidator may call.
    ///
    /// # Errors
    /// `MockUnauthorized`, `MockTakerRefused`, or the quote token's revert data in `Pay` mode.
    ///
    /// # Events
    /// [`Called`]; [`Reentered`] when a reentry is set.
    #[selector(name = "onTake")]
    pub fn on_take(
        &mut self,
        sender: Address,
        owe: U256,
        slice: U256,
        data: Bytes,
    ) -> Result<(), Vec<u8>> {
        let liquidator = self.liquidator.get();
        let caller = self.vm().msg_sender();
        if caller != liquidator {
            return Err(MockUnauthorized { caller }.abi_encode());
        }
        self.vm().log(Called {
            sender,
            owe,
            slice,
            data: data.clone(),
        });
        let reentry = self.reentry.get_bytes();
        if !reentry.is_empty() {
            let outcome = self.call_out(liquidator, &reentry);
            let ok = outcome.is_ok();
            let result = outcome.unwrap_or_else(|e| e);
            self.vm().log(Reentered {
                ok,
                result: result.into(),
            });
        }
        match self.mode.get().to::<u8>() {
            REFUSE => Err(MockTakerRefused {}.abi_encode()),
            PAY => {
                let quote = self.quote.get();
                self.call_out(
                    quote,
                    &IERC20::transferCall {
                        to: sender,
                        value: owe,
                    }
                    .abi_encode(),
                )
                .map(drop)
            }
            _ => Ok(()),
        }
    }
}

impl MockFlashTaker {
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
    const KEEPER: Address = address!("00000000000000000000000000000000000000b0");

    fn deployed(vm: &TestVM) -> MockFlashTaker {
        let mut taker = MockFlashTaker::from(vm);
        taker.constructor(LIQUIDATOR, QUOTE);
        vm.set_sender(LIQUIDATOR);
        taker
    }

    fn on_take(taker: &mut MockFlashTaker) -> Result<(), Vec<u8>> {
        taker.on_take(
            KEEPER,
            U256::from(50),
            U256::from(2),
            Bytes::from(vec![7u8]),
        )
    }

    #[test]
    fn pay_mode_sends_owe_to_the_sender_and_reports_the_call() {
        let vm = TestVM::default();
        let mut taker = deployed(&vm);
        let pay = IERC20::transferCall {
            to: KEEPER,
            value: U256::from(50),
        }
        .abi_encode();
        vm.mock_call(
            QUOTE,
            pay,
            U256::ZERO,
            Ok(U256::from(1).to_be_bytes::<32>().to_vec()),
        );
        assert!(on_take(&mut taker).is_ok());
        let logs = vm.get_emitted_logs();
        assert_eq!(logs.len(), 1);
        let called = Called::decode_raw_log(logs[0].0.iter().copied(), &logs[0].1);
        assert!(matches!(
            called,
            Ok(Called { sender, owe, slice, data })
                if sender == KEEPER
                    && owe == U256::from(50)
                    && slice == U256::from(2)
                    && data.to_vec() == vec![7u8]
        ));
    }

    #[test]
    fn pay_mode_bubbles_a_failed_payment() {
        let vm = TestVM::default();
        let mut taker = deployed(&vm);
        let pay = IERC20::transferCall {
            to: KEEPER,
            value: U256::from(50),
        }
        .abi_encode();
        vm.mock_call(QUOTE, pay, U256::ZERO, Err(vec![1, 2]));
        assert_eq!(on_take(&mut taker), Err(vec![1, 2]));
    }

    #[test]
    fn refuse_mode_reverts() {
        let vm = TestVM::default();
        let mut taker = deployed(&vm);
        taker.set_mode(REFUSE);
        assert_eq!(on_take(&mut taker), Err(MockTakerRefused {}.abi_encode()));
    }

    #[test]
    fn keep_mode_pays_nothing() {
        let vm = TestVM::default();
        let mut taker = deployed(&vm);
        taker.set_mode(KEEP);
        assert!(on_take(&mut taker).is_ok());
    }

    #[test]
    fn reentry_is_attempted_and_its_failure_reported() {
        let vm = TestVM::default();
        let mut taker = deployed(&vm);
        taker.set_mode(KEEP);
        taker.set_reentry(Bytes::from(vec![9u8, 9, 9, 9]));
        vm.mock_call(LIQUIDATOR, vec![9u8, 9, 9, 9], U256::ZERO, Err(vec![0xaa]));
        assert!(on_take(&mut taker).is_ok());
        let logs = vm.get_emitted_logs();
        let reentered = Reentered::decode_raw_log(logs[1].0.iter().copied(), &logs[1].1);
        assert!(
            matches!(reentered, Ok(Reentered { ok: false, result }) if result.to_vec() == vec![0xaa])
        );
    }

    #[test]
    fn only_the_liquidator_may_call_back() {
        let vm = TestVM::default();
        let mut taker = deployed(&vm);
        vm.set_sender(KEEPER);
        assert_eq!(
            on_take(&mut taker),
            Err(MockUnauthorized { caller: KEEPER }.abi_encode())
        );
        assert!(vm.get_emitted_logs().is_empty());
    }
}
