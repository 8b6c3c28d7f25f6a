//! The counterparty pool and the ward hooks.

use super::*;
use crate::{errors::*, events};

/// The pool's ledger, WAD.
fn ledger(t: &Fixture) -> I256 {
    t.engine.pool_balance.get()
}

#[test]
fn the_first_deposit_mints_shares_at_the_virtual_offset() {
    let t = Fixture::new();
    // 1,000,000 quote = 1e24 WAD, at 1e6 virtual shares per (1e24 + 1) … (1 virtual asset).
    let shares = t.engine.pool_shares_of(LP);
    assert_eq!(
        shares,
        wad(1_000_000) * U256::from(1_000_000) / (U256::from(1))
    );
    assert_eq!(
        t.pool(),
        (wad(1_000_000), shares, I256::ZERO, wad(1_000_000))
    );
    let ev = t.last::<events::PoolDeposited>();
    assert_eq!(
        (ev.sender, ev.receiver, ev.assets, ev.shares),
        (LP, LP, usdc(1_000_000), shares)
    );
}

#[test]
fn shares_are_priced_at_the_pool_assets_and_redeemed_rounding_down() {
    let mut t = Fixture::new();
    // Fees raise the pool's assets: a later LP pays more per share.
    t.deposit(QUOTE, usdc(100_000));
    t.trade(ETH, swad(10));
    t.trade(ETH, swad(-10));
    let (assets, supply, pnl, balance) = t.pool();
    assert_eq!((pnl, balance), (I256::ZERO, wad(1_000_060)));
    t.fund(BOB, QUOTE, usdc(1_000));
    t.as_(BOB);
    let shares = t.ok(|e| e.pool_deposit(usdc(1_000), BOB));
    let expected = wad(1_000) * (supply + U256::from(1_000_000)) / (assets + U256::from(1));
    assert_eq!(shares, expected);
    let paid = t.ok(|e| e.pool_redeem(shares, BOB));
    // Never more than was paid in.
    assert!(paid <= usdc(1_000) && paid >= usdc(1_000) - U256::from(1));
    assert_eq!(t.balance(QUOTE, BOB), paid);
    let ev = t.last::<events::PoolRedeemed>();
    assert_eq!(
        (ev.owner, ev.receiver, ev.shares, ev.assets),
        (BOB, BOB, shares, paid)
    );
    let e: EngineInsufficientShares = fails(t.engine.pool_redeem(U256::from(1), BOB));
    assert_eq!(e.held, U256::ZERO);
}

#[test]
fn trader_pnl_is_the_sum_of_unrealised_pnl_over_markets() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(100_000));
    t.trade(ETH, swad(2));
    t.trade(BTC, swad(-1) / I256::try_from(10).unwrap_or_default());
    t.price(WETH, 3_100);
    t.price(WBTC, 59_000);
    let (assets, _, pnl, balance) = t.pool();
    // +200 on the long, +100 on the short.
    assert_eq!(pnl, swad(300));
    assert_eq!(balance, wad(1_000_000) + milli(6_000) + milli(6_000));
    assert_eq!(assets, balance - wad(300));
    t.price(WETH, 2_900);
    assert_eq!(t.pool().2, swad(-100));
}

#[test]
fn redemptions_that_would_push_trader_profit_past_the_ratio_are_refused() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(500_000));
    t.trade(ETH, swad(1_000));
    t.price(WETH, 3_300);
    // Traders' profit 300,000; pool ≈ 1,003,000 − 300,000: the ratio 0.5 allows redeeming
    // until assets fall to 600,000.
    let (_, supply, pnl, _) = t.pool();
    assert_eq!(pnl, swad(300_000));
    t.as_(LP);
    let e: EnginePoolProfitCap = fails(t.engine.pool_redeem(supply / U256::from(2), LP));
    assert_eq!(e.traderPnl, swad(300_000));
    t.ok(|e| e.pool_redeem(supply / U256::from(10), LP));
    t.as_(ADMIN);
    t.ok(|e| e.file(name("maxProfitRatio"), wad(10)));
    t.as_(LP);
    t.ok(|e| e.pool_redeem(supply / U256::from(2), LP));
}

#[test]
fn redemptions_are_paid_only_from_the_ledger() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(500_000));
    t.trade(ETH, swad(-100));
    t.price(WETH, 3_300);
    // Traders lose 30,000 unrealised: assets exceed the ledger, which is all that can be paid.
    let (assets, supply, _, balance) = t.pool();
    assert_eq!(assets, balance + wad(30_000));
    t.as_(LP);
    let e: EnginePoolInsufficient = fails(t.engine.pool_redeem(supply, LP));
    assert_eq!(e.balance, signed(balance));
}

#[test]
fn pool_operations_need_trustworthy_prices_of_markets_with_open_interest() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.trade(ETH, swad(1));
    t.feed(WETH, |f| f.valid = false);
    t.fund(BOB, QUOTE, usdc(10));
    t.as_(BOB);
    let _: EngineInvalidPrice = fails(t.engine.pool_deposit(usdc(10), BOB));
    t.as_(LP);
    let _: EngineInvalidPrice = fails(t.engine.pool_redeem(U256::from(1), LP));
    // The view still values the pool at the last accepted price.
    assert_eq!(t.pool().2, I256::ZERO);
}

#[test]
fn hooks_are_for_wards_only() {
    let mut t = Fixture::new();
    t.as_(STRANGER);
    let _: EngineUnauthorized = fails(t.engine.charge(ACC, wad(1), STRANGER));
    let _: EngineUnauthorized = fails(t.engine.seize(ACC, WETH, wad(1), STRANGER));
    let _: EngineUnauthorized = fails(t.engine.socialise(ACC, wad(1)));
    let _: EngineUnauthorized = fails(t.engine.confiscate(ACC, ETH, swad(-1), wad(1)));
}

#[test]
fn charge_debits_wad_pays_whole_units_down_and_leaves_the_dust_to_the_pool() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10));
    t.as_(ADMIN);
    t.ok(|e| e.rely(BACKSTOP));
    t.as_(BACKSTOP);
    let before = ledger(&t);
    let amount = wad(15) + U256::from(123);
    t.ok(|e| e.charge(ACC, amount, BACKSTOP));
    assert_eq!(
        t.engine.quote_balance(ACC),
        signed(wad(10)) - signed(amount)
    );
    assert_eq!(t.balance(QUOTE, BACKSTOP), usdc(15));
    assert_eq!(ledger(&t) - before, I256::try_from(123).unwrap_or_default());
    let ev = t.last::<events::Charged>();
    assert_eq!(
        (ev.account, ev.to, ev.amount, ev.paid),
        (ACC, BACKSTOP, amount, usdc(15))
    );
    // A negative balance blocks withdrawals of collateral below margin.
    t.deposit(WETH, wad(1));
    t.as_(ALICE);
    let _: EngineBelowInitialMargin = fails(t.engine.withdraw(ACC, WETH, wad(1), ALICE));
}

#[test]
fn seize_moves_collateral_and_socialise_moves_pool_quote_into_the_account() {
    let mut t = Fixture::new();
    t.deposit(WETH, wad(2));
    t.as_(ADMIN);
    t.ok(|e| e.rely(BACKSTOP));
    t.as_(BACKSTOP);
    let e: EngineInsufficientCollateral = fails(t.engine.seize(ACC, WETH, wad(3), BACKSTOP));
    assert_eq!(e.held, wad(2));
    let _: EngineUnknownToken = fails(t.engine.seize(ACC, QUOTE, wad(1), BACKSTOP));
    t.ok(|e| e.seize(ACC, WETH, wad(2), BACKSTOP));
    assert_eq!(t.balance(WETH, BACKSTOP), wad(2));
    assert_eq!(t.engine.collateral_of(ACC, WETH), U256::ZERO);
    let ev = t.last::<events::Seized>();
    assert_eq!((ev.token, ev.to, ev.amount), (WETH, BACKSTOP, wad(2)));
    let before = ledger(&t);
    t.ok(|e| e.socialise(ACC, wad(7)));
    assert_eq!(t.engine.quote_balance(ACC), swad(7));
    assert_eq!(before - ledger(&t), swad(7));
    assert_eq!(t.last::<events::Socialised>().amount, wad(7));
    let _: EngineUnknownAccount = fails(t.engine.socialise(U256::from(9), wad(1)));
}
