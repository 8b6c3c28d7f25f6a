//! Accounts, operators, deposits and withdrawals.

use super::*;
use crate::{errors::*, events};

#[test]
fn accounts_are_numbered_from_one_and_an_owner_may_hold_several() {
    let mut t = Fixture::new();
    t.as_(STRANGER);
    let second = t.ok(|e| e.open_account(ALICE));
    let third = t.ok(|e| e.open_account(BOB));
    assert_eq!((second, third), (U256::from(2), U256::from(3)));
    assert_eq!(t.engine.account_owner(ACC), ALICE);
    assert_eq!(t.engine.account_owner(second), ALICE);
    assert_eq!(t.engine.account_owner(U256::from(4)), Address::ZERO);
    let ev = t.last::<events::AccountOpened>();
    assert_eq!((ev.account, ev.owner), (third, BOB));
    let _: EngineZeroArgument = fails(t.engine.open_account(Address::ZERO));
}

#[test]
fn only_the_owner_sets_operators_and_operators_act_for_the_account() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.as_(BOB);
    let e: EngineUnauthorized = fails(t.engine.set_operator(ACC, BOB, true));
    assert_eq!(e.caller, BOB);
    let _: EngineUnauthorized = fails(t.engine.withdraw(ACC, QUOTE, usdc(1), BOB));
    let _: EngineUnauthorized = fails(t.engine.trade(ACC, ETH, swad(1), U256::MAX, U256::MAX));
    t.as_(ALICE);
    t.ok(|e| e.set_operator(ACC, BOB, true));
    assert!(t.engine.is_operator(ACC, BOB));
    let ev = t.last::<events::OperatorSet>();
    assert_eq!((ev.account, ev.operator, ev.approved), (ACC, BOB, true));
    t.as_(BOB);
    t.ok(|e| e.withdraw(ACC, QUOTE, usdc(1), BOB));
    assert_eq!(t.balance(QUOTE, BOB), usdc(1));
    t.ok(|e| e.trade(ACC, ETH, swad(1), U256::MAX, U256::MAX));
    let _: EngineUnauthorized = fails(t.engine.set_operator(ACC, STRANGER, true));
    t.as_(ALICE);
    t.ok(|e| e.set_operator(ACC, BOB, false));
    t.as_(BOB);
    let _: EngineUnauthorized = fails(t.engine.withdraw(ACC, QUOTE, usdc(1), BOB));
    let _: EngineUnauthorized = fails(t.engine.set_operator(U256::from(7), BOB, true));
}

#[test]
fn anyone_funds_any_account_in_quote_or_collateral() {
    let mut t = Fixture::new();
    t.fund(BOB, QUOTE, usdc(500));
    t.fund(BOB, WETH, wad(2));
    t.as_(BOB);
    t.ok(|e| e.deposit(ACC, QUOTE, usdc(500)));
    t.ok(|e| e.deposit(ACC, WETH, wad(2)));
    assert_eq!(t.engine.quote_balance(ACC), signed(wad(500)));
    assert_eq!(t.engine.collateral_of(ACC, WETH), wad(2));
    assert_eq!(t.collateral_params(WETH)[6], wad(2));
    assert_eq!(t.balance(QUOTE, BOB), U256::ZERO);
    let ev = t.last::<events::Deposited>();
    assert_eq!(
        (ev.account, ev.token, ev.from, ev.amount),
        (ACC, WETH, BOB, wad(2))
    );
}

#[test]
fn deposits_refuse_zero_unknown_tokens_and_unknown_accounts() {
    let mut t = Fixture::new();
    let _: EngineZeroArgument = fails(t.engine.deposit(ACC, QUOTE, U256::ZERO));
    let e: EngineUnknownToken = fails(t.engine.deposit(ACC, WBTC, U256::from(1)));
    assert_eq!(e.token, WBTC);
    let _: EngineUnknownAccount = fails(t.engine.deposit(U256::from(9), QUOTE, usdc(1)));
}

#[test]
fn collateral_deposits_respect_the_cap_across_accounts() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|e| e.file_collateral(WETH, name("cap"), wad(150)));
    t.deposit(WETH, wad(100));
    t.fund(BOB, WETH, wad(100));
    t.as_(BOB);
    let second = t.ok(|e| e.open_account(BOB));
    let e: EngineDepositCapExceeded = fails(t.engine.deposit(second, WETH, wad(51)));
    assert_eq!((e.total, e.cap), (wad(151), wad(150)));
    t.ok(|e| e.deposit(second, WETH, wad(50)));
}

#[test]
fn a_fee_on_transfer_token_is_refused_at_deposit() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|e| e.list_collateral(FOT, U256::ZERO, wad(1_000), Address::ZERO, U256::ZERO));
    t.fund(ALICE, FOT, wad(10));
    t.as_(ALICE);
    let e: EngineTransferMismatch = fails(t.engine.deposit(ACC, FOT, wad(10)));
    assert_eq!((e.expected, e.received), (wad(10), wad(10) - U256::from(1)));
}

#[test]
fn quote_withdrawals_never_take_the_balance_below_zero() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(100));
    let e: EngineInsufficientQuote = fails(t.engine.withdraw(ACC, QUOTE, usdc(101), ALICE));
    assert_eq!((e.balance, e.amount), (signed(wad(100)), wad(101)));
    let before = t.balance(QUOTE, BOB);
    t.ok(|e| e.withdraw(ACC, QUOTE, usdc(100), BOB));
    assert_eq!(t.balance(QUOTE, BOB) - before, usdc(100));
    assert_eq!(t.engine.quote_balance(ACC), I256::ZERO);
    let ev = t.last::<events::Withdrawn>();
    assert_eq!((ev.token, ev.to, ev.amount), (QUOTE, BOB, usdc(100)));
    let _: EngineZeroArgument = fails(t.engine.withdraw(ACC, QUOTE, usdc(1), Address::ZERO));
}

#[test]
fn collateral_withdrawals_are_limited_to_what_is_held() {
    let mut t = Fixture::new();
    t.deposit(WETH, wad(3));
    let e: EngineInsufficientCollateral = fails(t.engine.withdraw(ACC, WETH, wad(4), ALICE));
    assert_eq!((e.held, e.amount), (wad(3), wad(4)));
    t.ok(|e| e.withdraw(ACC, WETH, wad(3), ALICE));
    assert_eq!(t.engine.collateral_of(ACC, WETH), U256::ZERO);
    assert_eq!(t.collateral_params(WETH)[6], U256::ZERO);
    // Nothing held: the account's equity no longer counts the token.
    assert_eq!(t.health().0, I256::ZERO);
}

#[test]
fn withdrawals_must_leave_initial_margin_while_positions_are_open() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(1_000));
    // 2 ETH at 3,000: notional 6,000, IM 600, fee 6.
    t.trade(ETH, swad(2));
    let (equity, im, _) = t.health();
    assert_eq!(im, wad(600));
    assert_eq!(equity, signed(wad(994)));
    t.ok(|e| e.withdraw(ACC, QUOTE, usdc(394), ALICE));
    // The check follows the effects (a revert undoes them on chain; TestVM keeps them).
    let e: EngineBelowInitialMargin = fails(t.engine.withdraw(ACC, QUOTE, usdc(1), ALICE));
    assert_eq!((e.equity, e.initialMargin), (signed(wad(599)), wad(600)));
}

#[test]
fn withdrawals_of_an_account_with_positions_need_trustworthy_prices() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.deposit(WETH, wad(1));
    t.feed(WETH, |f| {
        f.valid = false;
        f.status = 6;
    });
    // No position: withdrawals need no price.
    t.ok(|e| e.withdraw(ACC, WETH, wad(1), ALICE));
    t.feed(WETH, |f| f.valid = true);
    t.trade(BTC, swad(-1) / I256::try_from(100).unwrap_or_default());
    t.feed(WBTC, |f| {
        f.valid = false;
        f.status = 6;
    });
    let e: EngineInvalidPrice = fails(t.engine.withdraw(ACC, QUOTE, usdc(1), ALICE));
    assert_eq!((e.asset, e.status), (WBTC, U256::from(6)));
}
