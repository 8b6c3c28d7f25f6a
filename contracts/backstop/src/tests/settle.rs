//! Auction proceeds and the bad-debt waterfall.

use alloy_primitives::{I256, U256};
use alloy_sol_types::SolError;

use super::*;
use crate::{
    errors::{
        BackstopAuctionsRunning, BackstopCollateralLeft, BackstopNoDeficit, BackstopPositionsOpen,
        BackstopUnauthorized,
    },
    events,
};

/// Account 7 bankrupt with 1 WETH, liquidated: auction 1 runs for a tab of 3,000.
fn auctioned() -> Fixture {
    let mut t = Fixture::new();
    t.long(ACCOUNT, 0, 10, 3_000);
    t.collateral(ACCOUNT, WETH, wad(1));
    t.price(WETH, wad(2_700));
    t.ok(|b| b.liquidate(ACCOUNT, KEEPER));
    assert_eq!(t.bs.auctions(U256::from(1)), ACCOUNT);
    t
}

/// As the Liquidator: `raised` quote reaches the Backstop and it is told.
fn report(t: &mut Fixture, id: u64, raised: U256, remaining: U256, closed: bool) {
    let this = t.this();
    t.mint(QUOTE, this, raised);
    t.as_(LIQUIDATOR);
    t.ok(|b| b.on_auction_proceeds(U256::from(id), ACCOUNT, raised, remaining, closed));
}

#[test]
fn only_the_liquidator_reports_proceeds() {
    let mut t = auctioned();
    t.as_(STRANGER);
    assert_eq!(
        err(t
            .bs
            .on_auction_proceeds(U256::from(1), ACCOUNT, usdc(1), U256::ZERO, false)),
        BackstopUnauthorized { caller: STRANGER }.abi_encode()
    );
    t.as_(ADMIN);
    assert!(!err(t
        .bs
        .on_auction_proceeds(U256::from(1), ACCOUNT, usdc(1), U256::ZERO, false))
    .is_empty());
}

#[test]
fn proceeds_are_deposited_into_the_account() {
    let mut t = auctioned();
    report(&mut t, 1, usdc(2_000), usdc(1_000), false);
    assert_eq!(t.account(ACCOUNT).quote, swad(-1_000));
    assert_eq!(t.balance(QUOTE, t.this()), U256::ZERO);
    assert_eq!(t.bs.account(ACCOUNT)[..2], [usdc(1_000), U256::from(1)]);
    assert_eq!(t.bs.auctions(U256::from(1)), ACCOUNT);
    let e = t.last::<events::Proceeds>();
    assert_eq!(
        (e.id, e.account, e.raised, e.closed, e.deposited),
        (U256::from(1), ACCOUNT, usdc(2_000), false, true)
    );
}

#[test]
fn a_closing_report_ends_the_auction_and_frees_its_tab() {
    let mut t = auctioned();
    report(&mut t, 1, usdc(2_000), usdc(1_000), true);
    assert_eq!(t.bs.auctions(U256::from(1)), U256::ZERO);
    assert_eq!(t.bs.account(ACCOUNT)[..2], [U256::ZERO, U256::ZERO]);
    assert_eq!(t.account(ACCOUNT).quote, swad(-1_000));
}

#[test]
fn proceeds_of_an_unknown_auction_are_ignored_without_reverting() {
    let mut t = auctioned();
    report(&mut t, 99, usdc(10), U256::ZERO, true);
    let e = t.last::<events::UnknownAuction>();
    assert_eq!(
        (e.id, e.account, e.raised),
        (U256::from(99), ACCOUNT, usdc(10))
    );
    // A known id reported for another account is unknown too.
    t.as_(LIQUIDATOR);
    let other = ACCOUNT + U256::from(1);
    t.ok(|b| b.on_auction_proceeds(U256::from(1), other, U256::ZERO, U256::ZERO, true));
    assert_eq!(t.bs.auctions(U256::from(1)), ACCOUNT);
    assert_eq!(t.account(ACCOUNT).quote, swad(-3_000));
    assert!(t.events::<events::Proceeds>().is_empty());
}

#[test]
fn proceeds_the_engine_refuses_are_held_and_paid_in_at_settlement() {
    let mut t = auctioned();
    t.world.chain.borrow_mut().engine.refuse_deposits = true;
    report(&mut t, 1, usdc(3_000), U256::ZERO, true);
    assert!(!t.last::<events::Proceeds>().deposited);
    assert_eq!(t.bs.debts()[2], usdc(3_000));
    assert_eq!(t.bs.account(ACCOUNT)[2], usdc(3_000));
    assert_eq!(t.fund(), U256::ZERO, "held proceeds are not the fund's");
    t.world.chain.borrow_mut().engine.refuse_deposits = false;
    let out = t.ok(|b| b.settle_bad_debt(ACCOUNT));
    assert_eq!(out, (U256::ZERO, U256::ZERO, U256::ZERO));
    assert_eq!(t.account(ACCOUNT).quote, I256::ZERO);
    assert_eq!(t.last::<events::Released>().amount, usdc(3_000));
    assert_eq!(t.bs.debts()[2], U256::ZERO);
}

#[test]
fn settlement_waits_for_positions_auctions_and_collateral() {
    let mut t = auctioned();
    assert_eq!(
        err(t.bs.settle_bad_debt(ACCOUNT)),
        BackstopAuctionsRunning {
            account: ACCOUNT,
            count: U256::from(1)
        }
        .abi_encode()
    );
    report(&mut t, 1, U256::ZERO, usdc(3_000), true);
    t.collateral(ACCOUNT, WBTC, U256::from(10u64));
    assert_eq!(
        err(t.bs.settle_bad_debt(ACCOUNT)),
        BackstopCollateralLeft {
            account: ACCOUNT,
            token: WBTC,
            amount: U256::from(10u64)
        }
        .abi_encode()
    );
    t.position(ACCOUNT, ETH, swad(1), wad(2_700));
    assert_eq!(
        err(t.bs.settle_bad_debt(ACCOUNT)),
        BackstopPositionsOpen { account: ACCOUNT }.abi_encode()
    );
    t.open(ACCOUNT + U256::from(1), swad(5));
    assert_eq!(
        err(t.bs.settle_bad_debt(ACCOUNT + U256::from(1))),
        BackstopNoDeficit {
            account: ACCOUNT + U256::from(1),
            quoteBalance: swad(5)
        }
        .abi_encode()
    );
}

/// Account 7 with a deficit of 3,000 and nothing left; the fund holds `fund`.
fn in_deficit(fund: U256) -> Fixture {
    let mut t = Fixture::new();
    t.open(ACCOUNT, swad(-3_000));
    let this = t.this();
    t.mint(QUOTE, this, fund);
    t
}

#[test]
fn the_insurance_fund_pays_first() {
    let mut t = in_deficit(usdc(5_000));
    let out = t.ok(|b| b.settle_bad_debt(ACCOUNT));
    assert_eq!(out, (usdc(3_000), U256::ZERO, U256::ZERO));
    assert_eq!(t.account(ACCOUNT).quote, I256::ZERO);
    assert_eq!(t.fund(), usdc(2_000));
    assert_eq!(t.bs.bad_debt(), U256::ZERO);
    assert_eq!(t.last::<events::Cover>().amount, usdc(3_000));
}

#[test]
fn what_the_fund_cannot_pay_waits_for_adl_then_is_socialised_with_an_event() {
    let mut t = in_deficit(usdc(1_000));
    let out = t.ok(|b| b.settle_bad_debt(ACCOUNT));
    assert_eq!(out, (usdc(1_000), U256::ZERO, wad(2_000)));
    assert_eq!(t.bs.bad_debt(), wad(2_000));
    let e = t.last::<events::BadDebt>();
    assert_eq!(
        (e.account, e.debt, e.since),
        (ACCOUNT, wad(2_000), U256::from(T0))
    );
    // Within the grace period nothing more happens.
    t.at(3_599);
    assert_eq!(
        t.ok(|b| b.settle_bad_debt(ACCOUNT)),
        (U256::ZERO, U256::ZERO, wad(2_000))
    );
    assert!(t.events::<events::Socialise>().is_empty());
    let pool = t.world.chain.borrow().engine.pool;
    t.at(3_600);
    assert_eq!(
        t.ok(|b| b.settle_bad_debt(ACCOUNT)),
        (U256::ZERO, wad(2_000), U256::ZERO)
    );
    assert_eq!(t.account(ACCOUNT).quote, I256::ZERO);
    assert_eq!(t.world.chain.borrow().engine.pool, pool - swad(2_000));
    assert_eq!(t.last::<events::Socialise>().amount, wad(2_000));
    assert_eq!(t.bs.debts(), [U256::ZERO, wad(2_000), U256::ZERO]);
    assert_eq!(t.bs.bad_debt(), wad(2_000), "socialised debt stays counted");
}

#[test]
fn without_a_grace_period_the_rest_is_socialised_at_once() {
    let mut t = in_deficit(usdc(1_000));
    t.set("adlGrace", U256::ZERO);
    let out = t.ok(|b| b.settle_bad_debt(ACCOUNT));
    assert_eq!(out, (usdc(1_000), wad(2_000), U256::ZERO));
    assert_eq!(t.account(ACCOUNT).quote, I256::ZERO);
}

#[test]
fn a_debt_refilled_by_the_fund_is_cleared() {
    let mut t = in_deficit(U256::ZERO);
    t.ok(|b| b.settle_bad_debt(ACCOUNT));
    assert_eq!(t.bs.bad_debt(), wad(3_000));
    let this = t.this();
    t.mint(QUOTE, this, usdc(3_000));
    assert_eq!(
        t.ok(|b| b.settle_bad_debt(ACCOUNT)),
        (usdc(3_000), U256::ZERO, U256::ZERO)
    );
    assert_eq!(t.bs.bad_debt(), U256::ZERO);
    assert_eq!(t.last::<events::BadDebt>().debt, U256::ZERO);
}

#[test]
fn collateral_the_backstop_does_not_auction_still_counts_against_the_deficit() {
    let mut t = in_deficit(usdc(5_000));
    let other = alloy_primitives::Address::repeat_byte(0x77);
    t.world.chain.borrow_mut().tokens.insert(
        other,
        world::Token {
            decimals: 18,
            ..Default::default()
        },
    );
    t.price(other, wad(1));
    // 2,000 of other collateral: equity −1,000.
    t.collateral(ACCOUNT, other, wad(2_000));
    assert_eq!(
        t.ok(|b| b.settle_bad_debt(ACCOUNT)),
        (usdc(1_000), U256::ZERO, U256::ZERO)
    );
    assert_eq!(t.account(ACCOUNT).quote, swad(-2_000));
    // Now fully backed: nothing to settle.
    assert_eq!(
        err(t.bs.settle_bad_debt(ACCOUNT)),
        BackstopNoDeficit {
            account: ACCOUNT,
            quoteBalance: swad(-2_000)
        }
        .abi_encode()
    );
}
