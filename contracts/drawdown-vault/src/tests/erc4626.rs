//! ERC-4626: conversions, previews against actions, rounding, limits, zero and dust amounts,
//! and the inflation attack.

use alloy_primitives::{I256, U256};
use alloy_sol_types::SolError;
use keel_math::WAD;

use super::*;
use crate::{errors, events};

/// The vault's share pool at `supply` shares over `assets` quote units (offset 12).
fn pool(supply: U256, assets: U256) -> keel_math::SharePool {
    keel_math::SharePool {
        supply,
        assets,
        offset: 12,
    }
}

/// One USDC buys one whole share (1e18) in an empty vault.
#[test]
fn the_first_deposit_mints_one_share_per_quote_unit_scaled_to_18_decimals() {
    let mut t = Fixture::new();
    let shares = t.deposit(ALICE, usdc(1_000));
    assert_eq!(shares, wad(1_000));
    assert_eq!(t.vault.balance_of(ALICE), wad(1_000));
    assert_eq!(t.vault.total_supply(), wad(1_000));
    assert_eq!(t.ok(|v| v.total_assets()), usdc(1_000));
    assert_eq!(t.balance(ENGINE), usdc(1_000));
    assert_eq!(t.account().quote, I256::from_raw(wad(1_000)));
    let d = t.last::<events::Deposit>();
    assert_eq!(
        (d.sender, d.owner, d.assets, d.shares),
        (ALICE, ALICE, usdc(1_000), wad(1_000))
    );
    let tr = t.last::<events::Transfer>();
    assert_eq!(
        (tr.from, tr.to, tr.value),
        (Address::ZERO, ALICE, wad(1_000))
    );
    assert_eq!(t.vault.asset(), QUOTE);
}

#[test]
fn total_assets_is_positive_equity_rounded_down_to_quote_units() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(100));
    t.donate(U256::from(999_999_999_999u64)); // just under one quote unit
    assert_eq!(t.ok(|v| v.total_assets()), usdc(100));
    // Equity below zero counts as nothing.
    t.world
        .chain
        .borrow_mut()
        .engine
        .accounts
        .get_mut(&ACCOUNT)
        .unwrap()
        .quote = -swad(5);
    assert_eq!(t.ok(|v| v.total_assets()), U256::ZERO);
}

#[test]
fn previews_equal_actions_without_a_position() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(1_000));
    t.donate(wad(37)); // an odd share price
    t.fund(BOB, usdc(10_000));
    t.as_(BOB);
    let preview = t.ok(|v| v.preview_deposit(usdc(333)));
    assert_eq!(t.ok(|v| v.deposit(usdc(333), BOB)), preview);
    let shares = wad(123);
    let preview = t.ok(|v| v.preview_mint(shares));
    let before = t.balance(BOB);
    assert_eq!(t.ok(|v| v.mint(shares, BOB)), preview);
    assert_eq!(before - t.balance(BOB), preview);
    let preview = t.ok(|v| v.preview_withdraw(usdc(50)));
    assert_eq!(t.ok(|v| v.withdraw(usdc(50), BOB, BOB)), preview);
    let preview = t.ok(|v| v.preview_redeem(wad(40)));
    assert_eq!(t.ok(|v| v.redeem(wad(40), BOB, BOB)), preview);
}

#[test]
fn previews_equal_actions_with_an_open_position() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    t.deposit(BOB, usdc(10_000));
    t.rebalance();
    assert!(!t.account().size.is_zero());
    t.price(wad(3_100));
    t.as_(BOB);
    let preview = t.ok(|v| v.preview_redeem(wad(5_000)));
    assert_eq!(t.ok(|v| v.redeem(wad(5_000), BOB, BOB)), preview);
    let preview = t.ok(|v| v.preview_withdraw(usdc(1_000)));
    assert_eq!(t.ok(|v| v.withdraw(usdc(1_000), BOB, BOB)), preview);
    let preview = t.ok(|v| v.preview_deposit(usdc(1_000)));
    t.fund(BOB, usdc(1_000));
    t.as_(BOB);
    assert_eq!(t.ok(|v| v.deposit(usdc(1_000), BOB)), preview);
}

#[test]
fn a_withdrawal_is_priced_at_the_exit_nav_below_the_ideal_conversion() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    t.rebalance();
    // Exposure 8,000 (m · cushion) closing 1 % below the price: exit cost 80 on 10,000, and
    // the exit charge of one quote unit.
    t.costs(pct(1), U256::ZERO);
    let ideal = t.ok(|v| v.convert_to_assets(wad(1_000)));
    let exit = t.ok(|v| v.preview_redeem(wad(1_000)));
    assert_eq!(
        ideal,
        pool(wad(10_000), usdc(10_000))
            .to_assets_down(wad(1_000))
            .unwrap()
    );
    assert_eq!(
        exit,
        pool(wad(10_000), usdc(9_920))
            .to_assets_down(wad(1_000))
            .unwrap()
            - U256::from(1)
    );
    assert_eq!(exit, usdc(992) - U256::from(1));
}

#[test]
fn rounding_is_against_the_caller() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(1_000));
    t.donate(wad(1) / U256::from(3)); // price per share with a repeating fraction
    let (assets, shares) = (U256::from(1_234_567u64), wad(7) / U256::from(3));
    let deposit = t.ok(|v| v.preview_deposit(assets));
    let mint = t.ok(|v| v.preview_mint(deposit));
    assert!(
        mint >= assets,
        "minting what a deposit gives costs at least the deposit"
    );
    let withdraw = t.ok(|v| v.preview_withdraw(assets));
    let redeem = t.ok(|v| v.preview_redeem(withdraw));
    assert!(redeem >= assets && withdraw > deposit);
    assert!(t.ok(|v| v.preview_redeem(shares)) < t.ok(|v| v.preview_mint(shares)));
    assert!(t.ok(|v| v.convert_to_shares(assets)) >= deposit);
}

#[test]
fn zero_amounts_move_nothing_and_call_nothing_that_moves_tokens() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(1_000));
    let calls = t.world.chain.borrow().calls.len();
    t.as_(BOB);
    assert_eq!(t.ok(|v| v.deposit(U256::ZERO, BOB)), U256::ZERO);
    assert_eq!(t.ok(|v| v.mint(U256::ZERO, BOB)), U256::ZERO);
    assert_eq!(t.ok(|v| v.redeem(U256::ZERO, BOB, BOB)), U256::ZERO);
    assert_eq!(t.ok(|v| v.withdraw(U256::ZERO, BOB, BOB)), U256::ZERO);
    let chain = t.world.chain.borrow();
    assert!(chain.calls[calls..].iter().all(|(to, _)| *to != QUOTE));
    assert_eq!(t.vault.total_supply(), wad(1_000));
}

#[test]
fn zero_exits_with_a_position_open_burn_nothing_and_trade_nothing() {
    let mut t = Fixture::new();
    let shares = t.deposit(ALICE, usdc(1_000));
    t.rebalance();
    t.costs(pct(1), pct(1));
    let (size, fills) = (t.account().size, t.world.chain.borrow().engine.fills.len());
    assert_eq!(t.ok(|v| v.preview_withdraw(U256::ZERO)), U256::ZERO);
    assert_eq!(t.ok(|v| v.preview_redeem(U256::ZERO)), U256::ZERO);
    t.as_(ALICE);
    assert_eq!(t.ok(|v| v.withdraw(U256::ZERO, ALICE, ALICE)), U256::ZERO);
    assert_eq!(t.ok(|v| v.redeem(U256::ZERO, ALICE, ALICE)), U256::ZERO);
    assert_eq!(t.vault.balance_of(ALICE), shares);
    assert_eq!(t.account().size, size);
    assert_eq!(t.world.chain.borrow().engine.fills.len(), fills);
}

#[test]
fn dust_deposits_get_their_exact_share_and_round_trip_to_no_more() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(1_000));
    t.donate(wad(1));
    let shares = t.deposit(BOB, U256::from(1));
    assert!(!shares.is_zero() && shares < U256::from(1_000_000_000_000u64));
    assert_eq!(t.redeem(BOB, shares), U256::ZERO);
}

#[test]
fn max_views_follow_the_cap_the_pause_and_balances() {
    let mut t = Fixture::new();
    assert_eq!(t.vault.max_deposit(ALICE), U256::MAX);
    assert_eq!(t.vault.max_mint(ALICE), U256::MAX);
    t.deposit(ALICE, usdc(1_000));
    t.set("depositCap", usdc(1_500));
    assert_eq!(t.vault.max_deposit(BOB), usdc(500));
    assert_eq!(t.vault.max_mint(BOB), wad(500));
    assert_eq!(t.vault.max_redeem(ALICE), wad(1_000));
    assert_eq!(t.vault.max_withdraw(ALICE), usdc(1_000));
    assert_eq!(t.vault.max_withdraw(BOB), U256::ZERO);
    t.fund(BOB, usdc(501));
    t.as_(BOB);
    let over = errors::ERC4626ExceededMaxDeposit {
        receiver: BOB,
        assets: usdc(501),
        max: usdc(500),
    };
    assert_eq!(err(t.vault.deposit(usdc(501), BOB)), over.abi_encode());
    let over = errors::ERC4626ExceededMaxMint {
        receiver: BOB,
        shares: wad(501),
        max: wad(500),
    };
    assert_eq!(err(t.vault.mint(wad(501), BOB)), over.abi_encode());
    t.set("paused", U256::from(1));
    assert_eq!(t.vault.max_deposit(BOB), U256::ZERO);
    assert_eq!(t.vault.max_mint(BOB), U256::ZERO);
    assert_eq!(t.vault.max_withdraw(ALICE), usdc(1_000));
}

#[test]
fn withdrawing_more_than_the_max_is_refused_with_the_standard_errors() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(100));
    t.as_(ALICE);
    let over = errors::ERC4626ExceededMaxRedeem {
        owner: ALICE,
        shares: wad(101),
        max: wad(100),
    };
    assert_eq!(
        err(t.vault.redeem(wad(101), ALICE, ALICE)),
        over.abi_encode()
    );
    let over = errors::ERC4626ExceededMaxWithdraw {
        owner: ALICE,
        assets: usdc(101),
        max: usdc(100),
    };
    assert_eq!(
        err(t.vault.withdraw(usdc(101), ALICE, ALICE)),
        over.abi_encode()
    );
}

#[test]
fn withdrawals_stay_open_while_deposits_and_risk_are_paused() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(1_000));
    t.rebalance();
    t.as_(GUARDIAN);
    t.ok(|v| v.pause(U256::from(3)));
    let max = t.vault.max_redeem(ALICE);
    assert_eq!(max, wad(1_000));
    let paid = t.redeem(ALICE, max);
    assert!(paid > usdc(990));
    assert_eq!(t.account().size, I256::ZERO);
}

#[test]
fn max_withdraw_is_zero_while_the_price_is_invalid_with_a_position_open() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(1_000));
    t.rebalance();
    t.valid(false);
    assert_eq!(t.vault.max_withdraw(ALICE), U256::ZERO);
    assert_eq!(t.vault.max_redeem(ALICE), U256::ZERO);
}

#[test]
fn a_spender_withdraws_for_the_owner_within_its_allowance() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(1_000));
    t.as_(ALICE);
    t.ok(|v| v.approve(BOB, wad(100)));
    t.as_(BOB);
    let needed = errors::ERC20InsufficientAllowance {
        spender: BOB,
        allowance: wad(100),
        needed: wad(101),
    };
    assert_eq!(
        err(t.vault.redeem(wad(101), BOB, ALICE)),
        needed.abi_encode()
    );
    assert_eq!(t.ok(|v| v.redeem(wad(100), BOB, ALICE)), usdc(100));
    assert_eq!(t.vault.allowance(ALICE, BOB), U256::ZERO);
    let w = t.last::<events::Withdraw>();
    assert_eq!((w.sender, w.receiver, w.owner), (BOB, BOB, ALICE));
}

#[test]
fn a_zero_receiver_is_refused() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10));
    t.as_(ALICE);
    let bad = errors::ERC20InvalidReceiver {
        receiver: Address::ZERO,
    }
    .abi_encode();
    assert_eq!(err(t.vault.deposit(usdc(1), Address::ZERO)), bad);
    assert_eq!(err(t.vault.redeem(wad(1), Address::ZERO, ALICE)), bad);
}

/// The classic attack: the first depositor mints one unit's worth, donates a large sum to the
/// account to inflate the share price, and hopes the victim's deposit rounds down to nothing.
#[test]
fn the_inflation_attack_costs_the_attacker_more_than_the_victim() {
    let mut t = Fixture::new();
    let attacker = t.deposit(BOB, U256::from(1));
    t.donate(wad(10_000));
    let victim = t.deposit(ALICE, usdc(10_000));
    assert!(!victim.is_zero());
    let (got_attacker, got_victim) = (
        t.ok(|v| v.convert_to_assets(attacker)),
        t.ok(|v| v.convert_to_assets(victim)),
    );
    let attacker_loss = usdc(10_000) + U256::from(1) - got_attacker;
    let victim_loss = usdc(10_000) - got_victim;
    assert!(
        attacker_loss > victim_loss * U256::from(1_000),
        "attacker loses {attacker_loss}, victim {victim_loss}"
    );
    assert!(victim_loss <= usdc(10_000) / U256::from(1_000_000));
}

#[test]
fn convert_views_use_total_assets_without_exit_costs_or_limits() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(2_000));
    t.donate(wad(2_000));
    let p = pool(wad(2_000), usdc(4_000));
    let shares = t.ok(|v| v.convert_to_shares(usdc(100)));
    assert_eq!(shares, p.to_shares_down(usdc(100)).unwrap());
    assert!(
        shares > wad(50),
        "the virtual shares make a share slightly cheaper than 2"
    );
    assert_eq!(
        t.ok(|v| v.convert_to_assets(wad(50))),
        p.to_assets_down(wad(50)).unwrap()
    );
    assert!(t.ok(|v| v.nav_per_share()) > wad(2) - WAD / U256::from(1_000_000));
}

#[test]
fn an_18_decimal_quote_prices_shares_one_to_one_with_no_offset() {
    let mut t = Fixture::deployed_with(18);
    t.fund(ALICE, wad(1_000));
    t.as_(ALICE);
    assert_eq!(t.ok(|v| v.deposit(wad(1_000), ALICE)), wad(1_000));
    assert_eq!(t.ok(|v| v.total_assets()), wad(1_000));
    assert_eq!(t.ok(|v| v.nav_per_share()), WAD);
    assert_eq!(t.ok(|v| v.preview_redeem(wad(250))), wad(250));
    assert_eq!(t.ok(|v| v.redeem(wad(250), ALICE, ALICE)), wad(250));
    assert_eq!(t.balance(ALICE), wad(250));
}
