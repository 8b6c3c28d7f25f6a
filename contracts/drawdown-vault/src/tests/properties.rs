//! Properties over random sequences, with fixed seeds: a deposit followed by a redemption
//! never returns more than was paid, and nobody's deposit or withdrawal lowers the value of
//! the other holders' shares (nor raises the value of the caller's own).

use alloy_primitives::{I256, U256};
use keel_math::WAD;
use proptest::{prelude::*, test_runner::RngSeed};

use super::*;

/// A vault with 10,000 from Alice, a position, and a price move of `moved` per mille around
/// 3,000; `gift` WAD of extra equity makes the share price odd.
fn market(moved: i64, gift: u128, spread: u64) -> Fixture {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(10_000));
    t.rebalance();
    t.donate(U256::from(gift));
    t.price(U256::from(3_000 + 3 * moved) * WAD);
    t.costs(U256::from(spread) * WAD / U256::from(10_000), U256::ZERO);
    t
}

/// What the holders other than `who` own, valued at the ideal conversion.
fn others(t: &mut Fixture, who: Address) -> U256 {
    let shares = t.vault.total_supply() - t.vault.balance_of(who);
    t.ok(|v| v.convert_to_assets(shares))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2_000,
        rng_seed: RngSeed::Fixed(0x6b65_656c_7661_756c),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Deposit then redeem everything: never more back than paid, whatever the state.
    #[test]
    fn a_deposit_then_redeem_round_trip_never_returns_more(
        moved in -150i64..150,
        gift in 0u128..1_000_000_000_000_000_000_000,
        spread in 0u64..90,
        assets in 1u64..50_000_000_000,
    ) {
        let mut t = market(moved, gift, spread);
        let assets = U256::from(assets);
        let shares = t.deposit(BOB, assets);
        let back = t.redeem(BOB, shares);
        prop_assert!(back <= assets, "paid {assets}, got {back}");
    }

    /// Mint then withdraw what the mint cost: never fewer shares burnt than minted.
    #[test]
    fn a_mint_then_withdraw_round_trip_never_keeps_shares(
        moved in -150i64..150,
        gift in 0u128..1_000_000_000_000_000_000_000,
        shares in 1u64..u64::MAX,
    ) {
        let mut t = market(moved, gift, 0);
        let shares = U256::from(shares) * U256::from(1_000u64);
        t.fund(BOB, usdc(1_000_000));
        t.as_(BOB);
        let paid = t.ok(|v| v.mint(shares, BOB));
        let max = t.vault.max_withdraw(BOB);
        prop_assert!(max <= paid);
        let burnt = t.ok(|v| v.withdraw(max, BOB, BOB));
        prop_assert!(burnt <= shares && t.vault.balance_of(BOB) == shares - burnt);
    }

    /// Neither a deposit nor a withdrawal lowers the other holders' value, and the caller's
    /// own shares are never worth more than it paid.
    #[test]
    fn a_users_own_flows_never_move_value_to_it(
        moved in -150i64..150,
        gift in 0u128..1_000_000_000_000_000_000_000,
        spread in 0u64..90,
        assets in 1u64..50_000_000_000,
        part in 1u64..=100,
    ) {
        let mut t = market(moved, gift, spread);
        let before = others(&mut t, BOB);
        let price = t.ok(|v| v.nav_per_share());
        let assets = U256::from(assets);
        let shares = t.deposit(BOB, assets);
        prop_assert!(others(&mut t, BOB) >= before);
        prop_assert!(t.ok(|v| v.nav_per_share()) >= price);
        prop_assert!(t.ok(|v| v.convert_to_assets(shares)) <= assets);
        let before = others(&mut t, BOB);
        let price = t.ok(|v| v.nav_per_share());
        let size = t.account().size;
        let burn = shares * U256::from(part) / U256::from(100);
        t.redeem(BOB, burn);
        prop_assert!(others(&mut t, BOB) >= before, "withdrawal cost the others");
        prop_assert!(t.ok(|v| v.nav_per_share()) >= price);
        prop_assert!(t.account().size.unsigned_abs() <= size.unsigned_abs());
        prop_assert!(!t.account().size.is_negative() || size.is_negative() || size == I256::ZERO);
    }
}
