//! Mock ERC-20 token for Keel's tests and local scenarios.
//!
//! A plain ERC-20 with configurable decimals (e.g. a 6-decimal stablecoin
//! or an 18-decimal WETH) and a mint/burn controlled by its owner, so that
//! tests can fund accounts. Errors follow EIP-6093. Never deployed to
//! production.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `no_std` only in the contract's wasm: a workspace build that generates abi/ turns on
// stylus-sdk's `export-abi`, whose `#[public]` output needs std in native builds.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageString, StorageU256, StorageU8},
};

sol! {
    /// Emitted when `value` tokens move from `from` to `to` (mint: `from` is zero; burn: `to` is zero).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// Emitted when `owner` sets `spender`'s allowance to `value`.
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// `sender` holds `balance` but the transfer needs `needed`.
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// `spender` may move `allowance` but the transfer needs `needed`.
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// Tokens cannot come from the zero address.
    error ERC20InvalidSender(address sender);
    /// Tokens cannot go to the zero address.
    error ERC20InvalidReceiver(address receiver);
    /// The zero address cannot approve.
    error ERC20InvalidApprover(address approver);
    /// The zero address cannot be approved.
    error ERC20InvalidSpender(address spender);
    /// Only the owner may mint or burn.
    error MockUnauthorized(address caller);
    /// Minting would push the total supply past `2^256 - 1`.
    error MockSupplyOverflow();
}

/// Every way a call to the mock token can fail.
#[derive(SolidityError)]
pub enum Erc20Error {
    /// See [`ERC20InsufficientBalance`].
    InsufficientBalance(ERC20InsufficientBalance),
    /// See [`ERC20InsufficientAllowance`].
    InsufficientAllowance(ERC20InsufficientAllowance),
    /// See [`ERC20InvalidSender`].
    InvalidSender(ERC20InvalidSender),
    /// See [`ERC20InvalidReceiver`].
    InvalidReceiver(ERC20InvalidReceiver),
    /// See [`ERC20InvalidApprover`].
    InvalidApprover(ERC20InvalidApprover),
    /// See [`ERC20InvalidSpender`].
    InvalidSpender(ERC20InvalidSpender),
    /// See [`MockUnauthorized`].
    Unauthorized(MockUnauthorized),
    /// See [`MockSupplyOverflow`].
    SupplyOverflow(MockSupplyOverflow),
}

/// Storage of the mock token.
#[storage]
#[entrypoint]
pub struct MockErc20 {
    name: StorageString,
    symbol: StorageString,
    decimals: StorageU8,
    owner: StorageAddress,
    total_supply: StorageU256,
    balances: StorageMap<Address, StorageU256>,
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
}

#[public]
impl MockErc20 {
    /// Sets the metadata and the `owner` who may mint and burn.
    #[constructor]
    pub fn constructor(&mut self, name: String, symbol: String, decimals: u8, owner: Address) {
        self.name.set_str(name);
        self.symbol.set_str(symbol);
        self.decimals
            .set(alloy_primitives::Uint::<8, 1>::from(decimals));
        self.owner.set(owner);
    }

    /// Token name.
    pub fn name(&self) -> String {
        self.name.get_string()
    }

    /// Token symbol.
    pub fn symbol(&self) -> String {
        self.symbol.get_string()
    }

    /// Number of decimals of one token unit.
    pub fn decimals(&self) -> u8 {
        self.decimals.get().to::<u8>()
    }

    /// The address allowed to mint and burn.
    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    /// Total tokens in existence.
    #[selector(name = "totalSupply")]
    pub fn total_supply(&self) -> U256 {
        self.total_supply.get()
    }

    /// Balance of `account`.
    #[selector(name = "balanceOf")]
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// What `spender` may still move on behalf of `owner`.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Moves `value` from the caller to `to`.
    ///
    /// # Errors
    /// `ERC20InvalidReceiver` for the zero address, `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// [`Transfer`].
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Erc20Error> {
        let from = self.vm().msg_sender();
        self.move_tokens(from, to, value)?;
        Ok(true)
    }

    /// Sets the caller's allowance for `spender` to `value`.
    ///
    /// # Errors
    /// `ERC20InvalidSpender` for the zero address.
    ///
    /// # Events
    /// [`Approval`].
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Erc20Error> {
        let owner = self.vm().msg_sender();
        if spender.is_zero() {
            return Err(Erc20Error::InvalidSpender(ERC20InvalidSpender { spender }));
        }
        self.allowances.setter(owner).insert(spender, value);
        self.vm().log(Approval {
            owner,
            spender,
            value,
        });
        Ok(true)
    }

    /// Moves `value` from `from` to `to` using the caller's allowance.
    /// An allowance of `2^256 - 1` is infinite and is not spent.
    ///
    /// # Errors
    /// `ERC20InsufficientAllowance`, `ERC20InvalidSender`, `ERC20InvalidReceiver`,
    /// `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// [`Transfer`].
    #[selector(name = "transferFrom")]
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Erc20Error> {
        let spender = self.vm().msg_sender();
        let allowance = self.allowances.getter(from).get(spender);
        if allowance != U256::MAX {
            if allowance < value {
                return Err(Erc20Error::InsufficientAllowance(
                    ERC20InsufficientAllowance {
                        spender,
                        allowance,
                        needed: value,
                    },
                ));
            }
            self.allowances
                .setter(from)
                .insert(spender, allowance - value);
        }
        self.move_tokens(from, to, value)?;
        Ok(true)
    }

    /// Creates `value` tokens for `to`. Owner only.
    ///
    /// # Errors
    /// `MockUnauthorized`, `ERC20InvalidReceiver`, `MockSupplyOverflow`.
    ///
    /// # Events
    /// [`Transfer`] from the zero address.
    pub fn mint(&mut self, to: Address, value: U256) -> Result<(), Erc20Error> {
        self.only_owner()?;
        if to.is_zero() {
            return Err(Erc20Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        let supply = self
            .total_supply
            .get()
            .checked_add(value)
            .ok_or(Erc20Error::SupplyOverflow(MockSupplyOverflow {}))?;
        self.total_supply.set(supply);
        // Cannot overflow: a balance never exceeds the total supply.
        let balance = self.balances.get(to) + value;
        self.balances.insert(to, balance);
        self.vm().log(Transfer {
            from: Address::ZERO,
            to,
            value,
        });
        Ok(())
    }

    /// Destroys `value` tokens of `from`. Owner only.
    ///
    /// # Errors
    /// `MockUnauthorized`, `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// [`Transfer`] to the zero address.
    pub fn burn(&mut self, from: Address, value: U256) -> Result<(), Erc20Error> {
        self.only_owner()?;
        let balance = self.balances.get(from);
        if balance < value {
            return Err(Erc20Error::InsufficientBalance(ERC20InsufficientBalance {
                sender: from,
                balance,
                needed: value,
            }));
        }
        self.balances.insert(from, balance - value);
        // Cannot underflow: the supply is at least any one balance.
        self.total_supply.set(self.total_supply.get() - value);
        self.vm().log(Transfer {
            from,
            to: Address::ZERO,
            value,
        });
        Ok(())
    }
}

impl MockErc20 {
    fn only_owner(&self) -> Result<(), Erc20Error> {
        let caller = self.vm().msg_sender();
        if caller != self.owner.get() {
            return Err(Erc20Error::Unauthorized(MockUnauthorized { caller }));
        }
        Ok(())
    }

    fn move_tokens(&mut self, from: Address, to: Address, value: U256) -> Result<(), Erc20Error> {
        if from.is_zero() {
            return Err(Erc20Error::InvalidSender(ERC20InvalidSender {
                sender: from,
            }));
        }
        if to.is_zero() {
            return Err(Erc20Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        let from_balance = self.balances.get(from);
        if from_balance < value {
            return Err(Erc20Error::InsufficientBalance(ERC20InsufficientBalance {
                sender: from,
                balance: from_balance,
                needed: value,
            }));
        }
        self.balances.insert(from, from_balance - value);
        // Cannot overflow: the sum of all balances equals the total supply.
        let to_balance = self.balances.get(to) + value;
        self.balances.insert(to, to_balance);
        self.vm().log(Transfer { from, to, value });
        Ok(())
    }
}

#[cfg(test)]
mod tests;
