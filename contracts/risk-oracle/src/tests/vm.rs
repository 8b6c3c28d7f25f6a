//! A test host: stylus-test's `TestVM` with static calls answered per call.
//!
//! `TestVM` 0.10 keeps a single "return data" buffer holding the data of the
//! *last registered* mock, whichever call is made, so a contract that reads
//! two feeds (or a feed's `decimals` then its `latestRoundData`) would read
//! the wrong answer. [`FeedVm`] (a `keel_testvm::RoutedVm`) delegates
//! everything to `TestVM` but answers each static call from its own table.

use std::{cell::RefCell, collections::HashMap};

use alloy_primitives::{Address, U256};
use keel_testvm::{CallKind, CallRouter, RoutedVm};
use stylus_sdk::testing::TestVM;

type Table = HashMap<(Address, Vec<u8>), Result<Vec<u8>, Vec<u8>>>;

/// `TestVM` plus per-call static-call answers.
pub(crate) type FeedVm = RoutedVm<Answers>;

/// The static-call answers, by `(callee, calldata)`.
#[derive(Default)]
pub(crate) struct Answers {
    table: RefCell<Table>,
}

impl Answers {
    /// Answers static calls of `data` to `to` with `result` from now on.
    pub(crate) fn answer(&self, to: Address, data: &[u8], result: Result<Vec<u8>, Vec<u8>>) {
        self.table.borrow_mut().insert((to, data.to_vec()), result);
    }
}

impl CallRouter for Answers {
    /// Only static calls are answered here; other calls go to `TestVM`.
    fn routes(&self, kind: CallKind) -> bool {
        kind == CallKind::Static
    }

    fn route(
        &self,
        _vm: &TestVM,
        to: Address,
        data: &[u8],
        _value: U256,
        _kind: CallKind,
    ) -> Result<Vec<u8>, Vec<u8>> {
        // An account without a mocked answer behaves like one without code:
        // success, empty return data.
        self.table
            .borrow()
            .get(&(to, data.to_vec()))
            .cloned()
            .unwrap_or(Ok(Vec::new()))
    }
}
