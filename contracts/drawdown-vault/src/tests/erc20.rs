//! The shares as an ERC-20.

use alloy_primitives::U256;
use alloy_sol_types::{SolCall, SolError};

use super::*;
use crate::{errors, events, router::IDrawdownVault};

#[test]
fn transfer_moves_shares_and_logs_it() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(100));
    t.as_(ALICE);
    assert!(t.ok(|v| v.transfer(BOB, wad(40))));
    assert_eq!(t.vault.balance_of(ALICE), wad(60));
    assert_eq!(t.vault.balance_of(BOB), wad(40));
    assert_eq!(t.vault.total_supply(), wad(100));
    let e = t.last::<events::Transfer>();
    assert_eq!((e.from, e.to, e.value), (ALICE, BOB, wad(40)));
}

#[test]
fn transfer_beyond_the_balance_or_to_zero_is_refused() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(1));
    t.as_(ALICE);
    let short = errors::ERC20InsufficientBalance {
        sender: ALICE,
        balance: wad(1),
        needed: wad(2),
    };
    assert_eq!(err(t.vault.transfer(BOB, wad(2))), short.abi_encode());
    let zero = errors::ERC20InvalidReceiver {
        receiver: Address::ZERO,
    };
    assert_eq!(
        err(t.vault.transfer(Address::ZERO, wad(1))),
        zero.abi_encode()
    );
    assert_eq!(t.vault.balance_of(ALICE), wad(1));
}

#[test]
fn transfer_from_spends_the_allowance_except_an_unlimited_one() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(100));
    t.as_(ALICE);
    assert!(t.ok(|v| v.approve(BOB, wad(30))));
    let a = t.last::<events::Approval>();
    assert_eq!((a.owner, a.spender, a.value), (ALICE, BOB, wad(30)));
    t.as_(BOB);
    assert!(t.ok(|v| v.transfer_from(ALICE, KEEPER, wad(10))));
    assert_eq!(t.vault.allowance(ALICE, BOB), wad(20));
    let short = errors::ERC20InsufficientAllowance {
        spender: BOB,
        allowance: wad(20),
        needed: wad(21),
    };
    assert_eq!(
        err(t.vault.transfer_from(ALICE, KEEPER, wad(21))),
        short.abi_encode()
    );
    t.as_(ALICE);
    t.ok(|v| v.approve(BOB, U256::MAX));
    t.as_(BOB);
    t.ok(|v| v.transfer_from(ALICE, KEEPER, wad(50)));
    assert_eq!(t.vault.allowance(ALICE, BOB), U256::MAX);
    assert_eq!(t.vault.balance_of(KEEPER), wad(60));
}

#[test]
fn approving_the_zero_address_is_refused() {
    let mut t = Fixture::new();
    t.as_(ALICE);
    let zero = errors::ERC20InvalidSpender {
        spender: Address::ZERO,
    };
    assert_eq!(
        err(t.vault.approve(Address::ZERO, wad(1))),
        zero.abi_encode()
    );
}

#[test]
fn transfer_from_the_zero_address_is_refused() {
    let mut t = Fixture::new();
    t.as_(BOB);
    // Nobody can hold an allowance of the zero address; an allowance of zero shares passes
    // the allowance check and reaches the sender check.
    let zero = errors::ERC20InvalidSender {
        sender: Address::ZERO,
    };
    assert_eq!(
        err(t.vault.transfer_from(Address::ZERO, BOB, U256::ZERO)),
        zero.abi_encode()
    );
}

#[test]
fn metadata_describes_18_decimal_shares() {
    let mut t = Fixture::new();
    let call = |t: &mut Fixture, data: Vec<u8>| {
        use stylus_sdk::abi::Router;
        let selector = u32::from_be_bytes(data[..4].try_into().unwrap());
        match DrawdownVault::route(&mut t.vault, selector, &data[4..]) {
            Some(Ok(out)) => out,
            _ => panic!("call failed"),
        }
    };
    let out = call(&mut t, IDrawdownVault::nameCall {}.abi_encode());
    let name = IDrawdownVault::nameCall::abi_decode_returns(&out).unwrap();
    assert_eq!(name, "Keel Drawdown Vault");
    let out = call(&mut t, IDrawdownVault::symbolCall {}.abi_encode());
    assert_eq!(
        IDrawdownVault::symbolCall::abi_decode_returns(&out).unwrap(),
        "kDV"
    );
    let out = call(&mut t, IDrawdownVault::decimalsCall {}.abi_encode());
    assert_eq!(
        IDrawdownVault::decimalsCall::abi_decode_returns(&out).unwrap(),
        18
    );
    let out = call(&mut t, IDrawdownVault::assetCall {}.abi_encode());
    assert_eq!(
        IDrawdownVault::assetCall::abi_decode_returns(&out).unwrap(),
        QUOTE
    );
}

#[test]
fn the_router_decodes_and_encodes_like_the_abi() {
    use stylus_sdk::abi::Router;
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(100));
    t.as_(ALICE);
    let data = IDrawdownVault::transferCall {
        to: BOB,
        value: wad(5),
    }
    .abi_encode();
    let selector = u32::from_be_bytes(data[..4].try_into().unwrap());
    let out = DrawdownVault::route(&mut t.vault, selector, &data[4..]);
    assert_eq!(out, Some(Ok(alloy_sol_types::SolValue::abi_encode(&true))));
    assert_eq!(t.vault.balance_of(BOB), wad(5));
    // A dirty address is malformed: the router refuses it with no data.
    let mut bad = data.clone();
    bad[4] = 1;
    assert_eq!(
        DrawdownVault::route(&mut t.vault, selector, &bad[4..]),
        None
    );
    // Unknown selectors are refused.
    assert_eq!(DrawdownVault::route(&mut t.vault, 0xdead_beef, &[]), None);
    // The state view encodes like its declaration.
    let data = IDrawdownVault::stateCall {}.abi_encode();
    let selector = u32::from_be_bytes(data[..4].try_into().unwrap());
    let Some(Ok(out)) = DrawdownVault::route(&mut t.vault, selector, &[]) else {
        panic!("state failed");
    };
    let state = IDrawdownVault::stateCall::abi_decode_returns(&out).unwrap();
    assert_eq!(
        (state.engine, state.marketAsset, state.account),
        (ENGINE, WETH, ACCOUNT)
    );
    assert_eq!(
        (state.market, state.strategist, state.isLong),
        (MARKET, STRATEGIST, true)
    );
    assert_eq!(state.leverage, wad(2));
}
