//! Every way a call to the vault can fail, as Solidity custom errors: the standard EIP-6093
//! errors of ERC-20 and ERC-4626 (as OpenZeppelin names them) and the vault's own. A failing
//! call changes nothing.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolError};
use keel_common::abi::{encode, Word};
use keel_math::MathError;

sol! {
    /// `sender` holds `balance` shares and tried to move `needed`.
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// Shares cannot come from `sender` (the zero address).
    error ERC20InvalidSender(address sender);
    /// Shares cannot go to `receiver` (the zero address).
    error ERC20InvalidReceiver(address receiver);
    /// `spender` may move `allowance` shares and tried to move `needed`.
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// `approver` (the zero address) cannot approve.
    error ERC20InvalidApprover(address approver);
    /// `spender` (the zero address) cannot be approved.
    error ERC20InvalidSpender(address spender);
    /// A deposit of `assets` for `receiver` above the `max` it may deposit now.
    error ERC4626ExceededMaxDeposit(address receiver, uint256 assets, uint256 max);
    /// A mint of `shares` for `receiver` above the `max` it may mint now.
    error ERC4626ExceededMaxMint(address receiver, uint256 shares, uint256 max);
    /// A withdrawal of `assets` of `owner` above the `max` it may withdraw now.
    error ERC4626ExceededMaxWithdraw(address owner, uint256 assets, uint256 max);
    /// A redemption of `shares` of `owner` above the `max` it may redeem now.
    error ERC4626ExceededMaxRedeem(address owner, uint256 shares, uint256 max);
    /// `caller` lacks the role the function needs (ward, strategist or guardian).
    error VaultUnauthorized(address caller);
    /// `file` or `fileAddress` with a name it does not know.
    error VaultUnknownParameter(bytes32 what);
    /// `file` or `setTarget` with `data` outside `[min, max]`.
    error VaultParameterOutOfBounds(bytes32 what, uint256 data, uint256 min, uint256 max);
    /// `reset` while the vault is not halted.
    error VaultNotHalted();
    /// `reset` before the cool-down after the halt has passed; possible from `until`.
    error VaultCoolingDown(uint256 until);
    /// `rebalance` after its `deadline`.
    error VaultDeadlinePassed(uint256 deadline);
    /// The oracle gave no usable price (zero) while the vault needed one.
    error VaultNoPrice();
    /// A trade of the vault cost `cost` (WAD quote of equity) where at most `max` was allowed
    /// (the `slippage` parameter bounds spread and fee).
    error VaultTradeCostExceeded(uint256 cost, uint256 max);
    /// The quote token has `decimals` decimals; the vault supports at most 18.
    error VaultUnsupportedDecimals(uint8 decimals);
    /// A call to `target` reverted (its revert data is `reason`), or a token call returned
    /// `false` or nothing from an address without code (`reason` is what it returned).
    error VaultExternalCallFailed(address target, bytes reason);
    /// Arithmetic out of range.
    error VaultMathError();
}

/// A failed call's revert data: one of the custom errors above, ABI-encoded when it is made
/// (see [`keel_common::abi`] for why by hand). Made by the functions below, one per error,
/// whose arguments follow the error's declaration.
pub struct Error(Vec<u8>);

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Self {
        err.0
    }
}

impl From<MathError> for Error {
    fn from(_: MathError) -> Self {
        Self::new(VaultMathError::SELECTOR, &[])
    }
}

impl Error {
    fn new(selector: [u8; 4], words: &[B256]) -> Self {
        Self(encode(selector, words, None))
    }
}

/// Shorthand for a call's result.
pub type Result<T> = core::result::Result<T, Error>;

/// An error of one address argument (most ERC-20 errors and `VaultUnauthorized`).
pub(crate) fn of_address(selector: [u8; 4], who: Address) -> Error {
    Error::new(selector, &[who.word()])
}

/// An error of an address and two amounts (the balance, allowance and `max` errors).
pub(crate) fn exceeded(selector: [u8; 4], who: Address, have: U256, needed: U256) -> Error {
    Error::new(selector, &[who.word(), have.word(), needed.word()])
}

/// [`VaultUnauthorized`].
pub(crate) fn unauthorized(caller: Address) -> Error {
    of_address(VaultUnauthorized::SELECTOR, caller)
}

/// [`VaultUnknownParameter`].
pub(crate) fn unknown_parameter(what: B256) -> Error {
    Error::new(VaultUnknownParameter::SELECTOR, &[what])
}

/// [`VaultParameterOutOfBounds`].
pub(crate) fn out_of_bounds(what: B256, data: U256, min: U256, max: U256) -> Error {
    let words = [what, data.word(), min.word(), max.word()];
    Error::new(VaultParameterOutOfBounds::SELECTOR, &words)
}

/// An error with no arguments ([`VaultNotHalted`], [`VaultNoPrice`]).
pub(crate) fn plain(selector: [u8; 4]) -> Error {
    Error::new(selector, &[])
}

/// An error with one number ([`VaultCoolingDown`], [`VaultDeadlinePassed`],
/// [`VaultUnsupportedDecimals`]).
pub(crate) fn of_uint(selector: [u8; 4], value: U256) -> Error {
    Error::new(selector, &[value.word()])
}

/// [`VaultTradeCostExceeded`].
pub(crate) fn trade_cost(cost: U256, max: U256) -> Error {
    Error::new(VaultTradeCostExceeded::SELECTOR, &[cost.word(), max.word()])
}

/// [`VaultExternalCallFailed`]: a call to `target` failed with (or returned) `reason`.
pub(crate) fn call_failed(target: Address, reason: Vec<u8>) -> Error {
    Error(encode(
        VaultExternalCallFailed::SELECTOR,
        &[target.word()],
        Some(&reason),
    ))
}
