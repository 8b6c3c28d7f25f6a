use keel_math::WAD;
use proptest::{prelude::*, test_runner::RngSeed};

use super::*;

/// 18-decimal collateral sold for 18-decimal quote: value = amount · price / 1e18.
const SAME: Scale = Scale(18);
/// 18-decimal collateral (WETH-like) sold for 6-decimal quote (USDC-like).
const WETH_USDC: Scale = Scale(30);

fn wad(x: u64) -> U256 {
    U256::from(x) * WAD
}

fn u(x: u64) -> U256 {
    U256::from(x)
}

/// `x / 1000` in WAD.
fn milli(x: u64) -> U256 {
    U256::from(x) * WAD / U256::from(1_000)
}

#[test]
fn scale_exponent_is_eighteen_plus_collateral_minus_quote_decimals() {
    assert_eq!(Scale::from_decimals(18, 6), Some(Scale(30)));
    assert_eq!(Scale::from_decimals(6, 18), Some(Scale(6)));
    assert_eq!(Scale::from_decimals(8, 6), Some(Scale(20)));
    assert_eq!(Scale::from_decimals(0, 18), Some(Scale(0)));
}

#[test]
fn scale_rejects_negative_or_oversized_exponents() {
    assert_eq!(Scale::from_decimals(0, 19), None);
    assert_eq!(Scale::from_decimals(20, 0), Some(Scale(38)));
    assert_eq!(Scale::from_decimals(21, 0), None);
    assert_eq!(Scale::from_decimals(u8::MAX, 0), None);
}

#[test]
fn value_converts_collateral_units_to_quote_units() {
    // 1.5 WETH at 3,000 USDC = 4,500 USDC (6 decimals).
    let value = WETH_USDC.value_up(milli(1_500), wad(3_000));
    assert_eq!(value, Ok(u(4_500_000_000)));
}

#[test]
fn value_up_rounds_up_and_value_down_rounds_down() {
    // 1 wei of WETH at 3,000 USDC is 3e-9 USDC units.
    assert_eq!(WETH_USDC.value_up(u(1), wad(3_000)), Ok(u(1)));
    assert_eq!(WETH_USDC.value_down(u(1), wad(3_000)), Ok(U256::ZERO));
}

#[test]
fn amount_down_rounds_down() {
    // 1 USDC unit buys 333,333,333.3 wei of WETH at 3,000: the buyer gets 333,333,333.
    assert_eq!(WETH_USDC.amount_down(u(1), wad(3_000)), Ok(u(333_333_333)));
}

#[test]
fn amount_at_zero_price_is_a_typed_error() {
    assert_eq!(
        SAME.amount_down(u(1), U256::ZERO),
        Err(MathError::DivisionByZero)
    );
}

#[test]
fn fill_of_part_of_the_lot_pays_its_value() {
    let f = fill(wad(1_000), wad(10), wad(50), wad(4), wad(10), SAME);
    assert_eq!(
        f,
        Ok(Fill {
            slice: wad(4),
            owe: wad(200)
        })
    );
}

#[test]
fn fill_larger_than_the_lot_is_cut_to_the_lot() {
    let f = fill(wad(1_000), wad(10), wad(50), wad(1_000_000), wad(10), SAME);
    assert_eq!(
        f,
        Ok(Fill {
            slice: wad(10),
            owe: wad(500)
        })
    );
}

#[test]
fn fill_worth_more_than_tab_is_cut_to_tab() {
    // 10 at 150 is worth 1,500 > tab 1,000: pay 1,000 for 6.67 (rounded down).
    let f = fill(wad(1_000), wad(10), wad(150), wad(10), wad(10), SAME);
    let slice = wad(1_000) * WAD / wad(150);
    assert_eq!(
        f,
        Ok(Fill {
            slice,
            owe: wad(1_000)
        })
    );
    assert!(slice < wad(10), "leftover collateral stays for the owner");
}

#[test]
fn fill_of_exactly_tab_pays_tab() {
    let f = fill(wad(500), wad(10), wad(50), wad(10), wad(10), SAME);
    assert_eq!(
        f,
        Ok(Fill {
            slice: wad(10),
            owe: wad(500)
        })
    );
}

#[test]
fn fill_leaving_a_remnant_below_chost_is_cut_to_leave_exactly_chost() {
    // Buying 19.9 at 50 pays 995, leaving 5 < chost 10: cut to pay 990 for 19.8.
    let f = fill(wad(1_000), wad(100), wad(50), milli(19_900), wad(10), SAME);
    assert_eq!(
        f,
        Ok(Fill {
            slice: milli(19_800),
            owe: wad(990)
        })
    );
}

#[test]
fn fill_leaving_exactly_chost_is_not_cut() {
    let f = fill(wad(1_000), wad(100), wad(50), milli(19_800), wad(10), SAME);
    assert_eq!(
        f,
        Ok(Fill {
            slice: milli(19_800),
            owe: wad(990)
        })
    );
}

#[test]
fn partial_fill_of_a_tab_at_or_below_chost_is_refused() {
    let f = fill(wad(10), wad(100), wad(50), wad(1) / u(10), wad(10), SAME);
    assert_eq!(
        f,
        Err(FillError::DustRemnant {
            tab: wad(10),
            chost: wad(10)
        })
    );
}

#[test]
fn whole_lot_fill_of_a_tab_at_or_below_chost_proceeds() {
    // Taking the whole lot leaves no remnant, so the dust rule does not apply.
    let f = fill(wad(10), wad(1), wad(5), wad(1), wad(10), SAME);
    assert_eq!(
        f,
        Ok(Fill {
            slice: wad(1),
            owe: wad(5)
        })
    );
}

#[test]
fn fill_paying_off_a_tab_at_or_below_chost_proceeds() {
    let f = fill(wad(10), wad(100), wad(50), wad(1), wad(10), SAME);
    assert_eq!(
        f,
        Ok(Fill {
            slice: wad(10) / u(50),
            owe: wad(10)
        })
    );
}

#[test]
fn fill_at_zero_price_is_refused_rather_than_giving_collateral_away() {
    let f = fill(wad(30), wad(100), U256::ZERO, wad(1), wad(20), SAME);
    assert_eq!(f, Err(FillError::Math(MathError::DivisionByZero)));
}

#[test]
fn fresh_auction_needs_no_redo() {
    assert_eq!(
        needs_redo(100, 100, 3_600, wad(10), wad(10), WAD / u(2)),
        Ok(false)
    );
}

#[test]
fn auction_at_exactly_tail_needs_no_redo() {
    assert_eq!(
        needs_redo(3_700, 100, 3_600, wad(10), wad(9), WAD / u(2)),
        Ok(false)
    );
}

#[test]
fn auction_older_than_tail_needs_redo() {
    assert_eq!(
        needs_redo(3_701, 100, 3_600, wad(10), wad(9), WAD / u(2)),
        Ok(true)
    );
}

#[test]
fn auction_at_exactly_cusp_needs_no_redo() {
    assert_eq!(
        needs_redo(200, 100, 3_600, wad(10), wad(5), WAD / u(2)),
        Ok(false)
    );
}

#[test]
fn auction_below_cusp_needs_redo() {
    assert_eq!(
        needs_redo(200, 100, 3_600, wad(10), wad(5) - u(1), WAD / u(2)),
        Ok(true)
    );
}

#[test]
fn auction_at_zero_price_needs_redo_even_without_cusp() {
    assert_eq!(
        needs_redo(200, 100, 3_600, wad(10), U256::ZERO, U256::ZERO),
        Ok(true)
    );
}

#[test]
fn coin_is_tip_plus_chip_times_tab_rounded_down() {
    // tip 100 + 0.1% of 1,000,001 units = 100 + 1,000.001 → 1,100.
    let chip = WAD / u(1_000);
    assert_eq!(coin(u(100), chip, u(1_000_001)), Ok(u(1_100)));
    assert_eq!(coin(U256::ZERO, U256::ZERO, u(5)), Ok(U256::ZERO));
}

#[test]
fn coin_overflow_is_a_typed_error() {
    assert_eq!(coin(U256::MAX, U256::ZERO, u(1)), Ok(U256::MAX));
    assert_eq!(coin(U256::MAX, WAD, u(1)), Err(MathError::Overflow));
}

/// A whole auction's outcome: quote raised, collateral sold and returned.
#[derive(Debug)]
struct Outcome {
    raised: U256,
    sold: U256,
    returned: U256,
}

/// Plays takes at a price falling by the given steps until the auction closes (or the takes
/// run out), following the contract's rules: a take refused for dust is retried for the whole
/// lot; tab reaching zero returns the rest of the lot. Each take asks for a share (of 2^16) of
/// the lot left, so partial takes near the dust limit are common.
fn play(
    tab: U256,
    lot: U256,
    mut price: U256,
    chost: U256,
    scale: Scale,
    takes: &[(u16, u16)],
) -> Result<(Outcome, bool), TestCaseError> {
    let (mut tab, mut lot) = (tab, lot);
    let mut out = Outcome {
        raised: U256::ZERO,
        sold: U256::ZERO,
        returned: U256::ZERO,
    };
    for &(share, fall) in takes {
        price -= price * U256::from(fall) / U256::from(u16::MAX) / U256::from(4);
        if price.is_zero() {
            break;
        }
        let amount = (lot * U256::from(share) / U256::from(u16::MAX)).max(U256::from(1));
        let f = match fill(tab, lot, price, amount, chost, scale) {
            Err(FillError::DustRemnant { .. }) => fill(tab, lot, price, lot, chost, scale),
            other => other,
        };
        let f = f.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert!(f.owe <= tab && f.slice <= lot);
        // The buyer never pays less than the exact value of what it receives.
        prop_assert!(f.owe * scale.factor() >= f.slice * price);
        tab -= f.owe;
        lot -= f.slice;
        out.raised += f.owe;
        out.sold += f.slice;
        if tab.is_zero() {
            out.returned = lot;
            return Ok((out, true));
        }
        if lot.is_zero() {
            return Ok((out, true));
        }
        prop_assert!(
            tab >= chost,
            "open auction left a remnant {tab} below chost {chost}"
        );
    }
    Ok((out, false))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 20_000,
        rng_seed: RngSeed::Fixed(0x6b65_656c_7361_6c65),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Over a whole auction, raised ≤ tab and sold + returned = lot (the rest stays in the
    /// auction while it is open), whatever the take sizes, decimals and dust limit.
    #[test]
    fn raised_never_exceeds_tab_and_collateral_is_conserved(
        tab in 1u128..=(1u128 << 100),
        lot in 1u128..=(1u128 << 100),
        price in 1u128..(1u128 << 96),
        chost_share in any::<u16>(),
        decimals in (0u8..=26, 6u8..=18),
        takes in proptest::collection::vec((any::<u16>(), any::<u16>()), 1..12),
    ) {
        let scale = Scale::from_decimals(decimals.0, decimals.1)
            .ok_or_else(|| TestCaseError::reject("decimals out of range"))?;
        let (tab, lot) = (U256::from(tab), U256::from(lot));
        // The dust limit as a share of the tab, from none to (almost) all of it.
        let chost = tab * U256::from(chost_share) / U256::from(u16::MAX);
        let (out, closed) = play(tab, lot, U256::from(price), chost, scale, &takes)?;
        prop_assert!(out.raised <= tab);
        if closed {
            prop_assert_eq!(out.sold + out.returned, lot);
        } else {
            prop_assert!(out.sold <= lot);
        }
    }
}
