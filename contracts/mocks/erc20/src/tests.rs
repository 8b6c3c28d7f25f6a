use alloy_primitives::{address, Address, U256};
use alloy_sol_types::SolEvent;
use stylus_sdk::testing::TestVM;

use super::*;

const OWNER: Address = address!("00000000000000000000000000000000000000a1");
const ALICE: Address = address!("00000000000000000000000000000000000000b2");
const BOB: Address = address!("00000000000000000000000000000000000000c3");

fn deployed(vm: &TestVM) -> MockErc20 {
    let mut token = MockErc20::from(vm);
    token.constructor("Mock USD".into(), "mUSD".into(), 6, OWNER);
    token
}

fn minted_to_alice(vm: &TestVM, value: u64) -> MockErc20 {
    let mut token = deployed(vm);
    vm.set_sender(OWNER);
    token
        .mint(ALICE, U256::from(value))
        .unwrap_or_else(|_| panic!("owner mint must succeed"));
    token
}

#[test]
fn constructor_sets_metadata_and_owner() {
    let vm = TestVM::default();
    let token = deployed(&vm);
    assert_eq!(token.name(), "Mock USD");
    assert_eq!(token.symbol(), "mUSD");
    assert_eq!(token.decimals(), 6);
    assert_eq!(token.owner(), OWNER);
    assert_eq!(token.total_supply(), U256::ZERO);
}

#[test]
fn owner_mint_credits_balance_and_supply_and_logs_transfer() {
    let vm = TestVM::default();
    let token = minted_to_alice(&vm, 1_000);
    assert_eq!(token.balance_of(ALICE), U256::from(1_000));
    assert_eq!(token.total_supply(), U256::from(1_000));
    let logs = vm.get_emitted_logs();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].0[0], Transfer::SIGNATURE_HASH);
}

#[test]
fn mint_from_non_owner_is_unauthorized() {
    let vm = TestVM::default();
    let mut token = deployed(&vm);
    vm.set_sender(ALICE);
    let err = token.mint(ALICE, U256::from(1)).err();
    assert!(
        matches!(err, Some(Erc20Error::Unauthorized(MockUnauthorized { caller })) if caller == ALICE)
    );
    assert_eq!(token.total_supply(), U256::ZERO);
}

#[test]
fn mint_past_max_supply_overflows_with_typed_error() {
    let vm = TestVM::default();
    let mut token = minted_to_alice(&vm, 1);
    let err = token.mint(BOB, U256::MAX).err();
    assert!(matches!(err, Some(Erc20Error::SupplyOverflow(_))));
    assert_eq!(token.balance_of(BOB), U256::ZERO);
}

#[test]
fn transfer_moves_balance() {
    let vm = TestVM::default();
    let mut token = minted_to_alice(&vm, 1_000);
    vm.set_sender(ALICE);
    assert!(token.transfer(BOB, U256::from(400)).is_ok());
    assert_eq!(token.balance_of(ALICE), U256::from(600));
    assert_eq!(token.balance_of(BOB), U256::from(400));
    assert_eq!(token.total_supply(), U256::from(1_000));
}

#[test]
fn transfer_to_self_keeps_balance() {
    let vm = TestVM::default();
    let mut token = minted_to_alice(&vm, 1_000);
    vm.set_sender(ALICE);
    assert!(token.transfer(ALICE, U256::from(400)).is_ok());
    assert_eq!(token.balance_of(ALICE), U256::from(1_000));
}

#[test]
fn transfer_above_balance_fails_and_changes_nothing() {
    let vm = TestVM::default();
    let mut token = minted_to_alice(&vm, 10);
    vm.set_sender(ALICE);
    let err = token.transfer(BOB, U256::from(11)).err();
    assert!(matches!(
        err,
        Some(Erc20Error::InsufficientBalance(ERC20InsufficientBalance { sender, balance, needed }))
            if sender == ALICE && balance == U256::from(10) && needed == U256::from(11)
    ));
    assert_eq!(token.balance_of(ALICE), U256::from(10));
    assert_eq!(token.balance_of(BOB), U256::ZERO);
}

#[test]
fn transfer_to_zero_address_is_rejected() {
    let vm = TestVM::default();
    let mut token = minted_to_alice(&vm, 10);
    vm.set_sender(ALICE);
    assert!(matches!(
        token.transfer(Address::ZERO, U256::from(1)).err(),
        Some(Erc20Error::InvalidReceiver(_))
    ));
}

#[test]
fn transfer_from_spends_allowance() {
    let vm = TestVM::default();
    let mut token = minted_to_alice(&vm, 1_000);
    vm.set_sender(ALICE);
    assert!(token.approve(BOB, U256::from(300)).is_ok());
    vm.set_sender(BOB);
    assert!(token.transfer_from(ALICE, BOB, U256::from(200)).is_ok());
    assert_eq!(token.allowance(ALICE, BOB), U256::from(100));
    assert_eq!(token.balance_of(BOB), U256::from(200));
}

#[test]
fn transfer_from_above_allowance_fails() {
    let vm = TestVM::default();
    let mut token = minted_to_alice(&vm, 1_000);
    vm.set_sender(ALICE);
    assert!(token.approve(BOB, U256::from(300)).is_ok());
    vm.set_sender(BOB);
    assert!(matches!(
        token.transfer_from(ALICE, BOB, U256::from(301)).err(),
        Some(Erc20Error::InsufficientAllowance(ERC20InsufficientAllowance { allowance, .. }))
            if allowance == U256::from(300)
    ));
    assert_eq!(token.balance_of(ALICE), U256::from(1_000));
}

#[test]
fn infinite_allowance_is_not_spent() {
    let vm = TestVM::default();
    let mut token = minted_to_alice(&vm, 1_000);
    vm.set_sender(ALICE);
    assert!(token.approve(BOB, U256::MAX).is_ok());
    vm.set_sender(BOB);
    assert!(token.transfer_from(ALICE, BOB, U256::from(500)).is_ok());
    assert_eq!(token.allowance(ALICE, BOB), U256::MAX);
}

#[test]
fn approve_zero_spender_is_rejected() {
    let vm = TestVM::default();
    let mut token = deployed(&vm);
    vm.set_sender(ALICE);
    assert!(matches!(
        token.approve(Address::ZERO, U256::from(1)).err(),
        Some(Erc20Error::InvalidSpender(_))
    ));
}

#[test]
fn owner_burn_reduces_balance_and_supply() {
    let vm = TestVM::default();
    let mut token = minted_to_alice(&vm, 1_000);
    assert!(token.burn(ALICE, U256::from(250)).is_ok());
    assert_eq!(token.balance_of(ALICE), U256::from(750));
    assert_eq!(token.total_supply(), U256::from(750));
    vm.set_sender(ALICE);
    assert!(matches!(
        token.burn(ALICE, U256::from(1)).err(),
        Some(Erc20Error::Unauthorized(_))
    ));
}
