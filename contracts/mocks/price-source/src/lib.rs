//! Mock price source for the Liquidator's tests: the same guarded getter as the RiskOracle,
//! `price(asset)` (WAD), with prices set directly by its owner.
//!
//! Like a guarded oracle it never returns a price it does not have: `price` reverts with
//! `MockNoPrice(asset)` until a price is set, or after it is set to zero (how a test makes the
//! oracle refuse). Never deployed to production.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `no_std` only in the contract's wasm: a workspace build that generates abi/ turns on
// stylus-sdk's `export-abi`, whose `#[public]` output needs std in native builds.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU256},
};

sol! {
    /// The price of `asset` is now `price` (WAD).
    event PriceSet(address indexed asset, uint256 price);
    /// Only the owner may set prices.
    error MockUnauthorized(address caller);
    /// No usable price for `asset`.
    error MockNoPrice(address asset);
}

/// Every way a call to the mock price source can fail.
#[derive(SolidityError)]
pub enum PriceSourceError {
    /// See [`MockUnauthorized`].
    Unauthorized(MockUnauthorized),
    /// See [`MockNoPrice`].
    NoPrice(MockNoPrice),
}

/// Storage of the mock price source.
#[storage]
#[entrypoint]
pub struct MockPriceSource {
    owner: StorageAddress,
    prices: StorageMap<Address, StorageU256>,
}

#[public]
impl MockPriceSource {
    /// Sets the `owner` who may set prices.
    #[constructor]
    pub fn constructor(&mut self, owner: Address) {
        self.owner.set(owner);
    }

    /// Sets the WAD price of `asset`; zero makes `price` revert. Owner only.
    ///
    /// # Errors
    /// `MockUnauthorized`.
    ///
    /// # Events
    /// [`PriceSet`].
    #[selector(name = "setPrice")]
    pub fn set_price(&mut self, asset: Address, price: U256) -> Result<(), PriceSourceError> {
        let caller = self.vm().msg_sender();
        if caller != self.owner.get() {
            return Err(PriceSourceError::Unauthorized(MockUnauthorized { caller }));
        }
        self.prices.insert(asset, price);
        self.vm().log(PriceSet { asset, price });
        Ok(())
    }

    /// The WAD price of one whole `asset`.
    ///
    /// # Errors
    /// `MockNoPrice` when the price is unset or zero.
    pub fn price(&self, asset: Address) -> Result<U256, PriceSourceError> {
        let price = self.prices.get(asset);
        if price.is_zero() {
            return Err(PriceSourceError::NoPrice(MockNoPrice { asset }));
        }
        Ok(price)
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::address;
    use stylus_sdk::testing::TestVM;

    use super::*;

    const OWNER: Address = address!("00000000000000000000000000000000000000a1");
    const WETH: Address = address!("00000000000000000000000000000000000000e7");

    fn deployed(vm: &TestVM) -> MockPriceSource {
        let mut source = MockPriceSource::from(vm);
        source.constructor(OWNER);
        vm.set_sender(OWNER);
        source
    }

    #[test]
    fn owner_sets_the_price_it_returns() {
        let vm = TestVM::default();
        let mut source = deployed(&vm);
        assert!(source.set_price(WETH, U256::from(3_000)).is_ok());
        assert!(matches!(source.price(WETH), Ok(p) if p == U256::from(3_000)));
        assert_eq!(vm.get_emitted_logs().len(), 1);
    }

    #[test]
    fn unset_or_zero_price_reverts() {
        let vm = TestVM::default();
        let mut source = deployed(&vm);
        assert!(matches!(
            source.price(WETH),
            Err(PriceSourceError::NoPrice(_))
        ));
        assert!(source.set_price(WETH, U256::from(1)).is_ok());
        assert!(source.set_price(WETH, U256::ZERO).is_ok());
        assert!(matches!(
            source.price(WETH),
            Err(PriceSourceError::NoPrice(_))
        ));
    }

    #[test]
    fn only_the_owner_sets_prices() {
        let vm = TestVM::default();
        let mut source = deployed(&vm);
        vm.set_sender(WETH);
        assert!(matches!(
            source.set_price(WETH, U256::from(1)),
            Err(PriceSourceError::Unauthorized(MockUnauthorized { caller })) if caller == WETH
        ));
    }
}
