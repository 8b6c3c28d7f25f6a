use super::*;

fn wad(x: u64) -> U256 {
    U256::from(x) * WAD
}

fn pct(x: u64) -> U256 {
    U256::from(x) * WAD / U256::from(100)
}

fn swad(x: i64) -> I256 {
    let m = I256::from_raw(wad(x.unsigned_abs()));
    if x < 0 {
        -m
    } else {
        m
    }
}

fn rules() -> Rules {
    Rules {
        max_drawdown: pct(20),
        soft_drawdown: pct(10),
        multiplier: wad(4),
        leverage: wad(3),
    }
}

#[test]
fn an_empty_vault_is_priced_at_one() {
    assert_eq!(nav_per_share(U256::ZERO, U256::ZERO, 12), Ok(WAD));
    assert_eq!(nav_per_share(U256::ZERO, U256::ZERO, 0), Ok(WAD));
}

#[test]
fn nav_per_share_is_nav_over_supply_with_the_virtual_unit() {
    // 1,000 quote over 500 shares: 2 per share, the virtual unit moving it below 2.
    let p = nav_per_share(wad(1_000), wad(500), 12).unwrap();
    let unit = U256::from(1_000_000_000_000u64);
    assert_eq!(p, (wad(1_000) + unit) * WAD / (wad(500) + unit));
    assert!(p < wad(2) && p > wad(2) - U256::from(10_000_000_000u64));
}

#[test]
fn drawdown_is_zero_at_or_above_the_mark_and_rounds_up_below() {
    assert_eq!(drawdown(wad(2), wad(2)), Ok(U256::ZERO));
    assert_eq!(drawdown(wad(3), wad(2)), Ok(U256::ZERO));
    assert_eq!(drawdown(pct(90), WAD), Ok(pct(10)));
    // 1 − 2/3 rounds up.
    assert_eq!(
        drawdown(wad(2), wad(3)),
        Ok(U256::from(333_333_333_333_333_334u64))
    );
}

#[test]
fn bands_split_at_the_soft_start_and_the_cap() {
    let r = rules();
    assert_eq!(band(pct(10), r.soft_drawdown, r.max_drawdown), NORMAL);
    assert_eq!(
        band(pct(10) + U256::from(1), r.soft_drawdown, r.max_drawdown),
        SOFT
    );
    assert_eq!(
        band(pct(20) - U256::from(1), r.soft_drawdown, r.max_drawdown),
        SOFT
    );
    assert_eq!(band(pct(20), r.soft_drawdown, r.max_drawdown), HALTED);
}

#[test]
fn the_multiplier_falls_linearly_to_zero_across_the_soft_band() {
    let r = rules();
    assert_eq!(multiplier(&r, pct(5)), Ok(wad(4)));
    assert_eq!(multiplier(&r, pct(10)), Ok(wad(4)));
    assert_eq!(multiplier(&r, pct(15)), Ok(wad(2)));
    assert_eq!(multiplier(&r, pct(18)), Ok(pct(80)));
    assert_eq!(multiplier(&r, pct(20)), Ok(U256::ZERO));
    assert_eq!(multiplier(&r, pct(50)), Ok(U256::ZERO));
}

#[test]
fn the_target_is_the_smallest_of_cushion_model_and_strategist_caps() {
    let r = rules();
    // At the mark: floor 0.8, cushion 0.2 · 1,000 = 200, m · cushion = 800.
    let nav = wad(1_000);
    let t = target(&r, nav, wad(1_000), WAD, WAD, wad(5)).unwrap();
    assert_eq!(t, wad(800));
    // The model's max leverage binds at 0.5×.
    let t = target(&r, nav, wad(1_000), WAD, WAD, pct(50)).unwrap();
    assert_eq!(t, wad(500));
    // The strategist's leverage binds at 0.3×.
    let low = Rules {
        leverage: pct(30),
        ..r
    };
    assert_eq!(
        target(&low, nav, wad(1_000), WAD, WAD, wad(5)),
        Ok(wad(300))
    );
}

#[test]
fn the_target_shrinks_in_steps_through_the_soft_band_and_is_zero_at_the_cap() {
    let r = Rules {
        leverage: wad(10),
        ..rules()
    };
    let supply = wad(1_000);
    let mut last = U256::MAX;
    for dd in [0u64, 5, 10, 12, 14, 16, 18, 20] {
        let p = pct(100 - dd);
        let nav = mul_wad_down(p, supply).unwrap();
        let t = target(&r, nav, supply, p, WAD, wad(10)).unwrap();
        assert!(
            t < last || (t.is_zero() && last.is_zero()),
            "dd {dd}%: {t} after {last}"
        );
        last = t;
        if dd == 15 {
            // Cushion 0.05 · 1,000 = 50 at m' = 2.
            assert_eq!(t, wad(100));
        }
    }
    assert_eq!(last, U256::ZERO);
}

#[test]
fn no_supply_means_no_cushion_and_no_target() {
    assert_eq!(
        target(&rules(), wad(5), U256::ZERO, wad(2), wad(2), wad(5)),
        Ok(U256::ZERO)
    );
}

#[test]
fn reduce_only_keeps_the_smaller_same_side_target_and_never_flips() {
    assert_eq!(reduce_only(swad(500), swad(300)), swad(300));
    assert_eq!(reduce_only(swad(100), swad(300)), swad(100));
    assert_eq!(reduce_only(swad(-100), swad(300)), I256::ZERO);
    assert_eq!(reduce_only(swad(-100), swad(-300)), swad(-100));
    assert_eq!(reduce_only(swad(100), I256::ZERO), I256::ZERO);
}

#[test]
fn a_step_is_bounded_and_rounds_toward_zero() {
    let price = wad(3_000);
    // From flat to 6,000 long, at most 1,500 a step: 0.5 base.
    let d = step(I256::ZERO, I256::ZERO, swad(6_000), price, Some(wad(1_500)));
    assert_eq!(d, Ok(I256::from_raw(pct(50))));
    // Unbounded: the whole gap, 2 base.
    assert_eq!(
        step(I256::ZERO, I256::ZERO, swad(6_000), price, None),
        Ok(swad(2))
    );
    // A gap of 1 wei of notional at 3,000 rounds to zero size.
    let d = step(
        I256::ZERO,
        I256::ZERO,
        I256::from_raw(U256::from(1)),
        price,
        None,
    );
    assert_eq!(d, Ok(I256::ZERO));
}

#[test]
fn a_zero_target_within_one_step_closes_exactly() {
    let size = I256::from_raw(U256::from(1_234_567_891u64));
    let current = notional(size, wad(3_000)).unwrap();
    assert_eq!(
        step(size, current, I256::ZERO, wad(3_000), Some(wad(1))),
        Ok(-size)
    );
    assert_eq!(step(size, current, I256::ZERO, wad(3_000), None), Ok(-size));
}

#[test]
fn a_withdrawal_shrinks_its_fraction_or_more_below_initial_margin() {
    assert_eq!(shrink(pct(25), wad(100), wad(50)), Ok(pct(25)));
    // Equity 80 under IM 100: keep at most (1 − 0.25) · 0.8 = 0.6.
    assert_eq!(shrink(pct(25), wad(80), wad(100)), Ok(pct(40)));
    assert_eq!(shrink(wad(2), wad(80), wad(100)), Ok(WAD));
}

#[test]
fn close_cost_is_the_gap_to_the_fill_rounded_up_plus_the_fee() {
    // A long of 2 sold at 2,940 against 3,000, fee 3: 2 · 60 + 3.
    assert_eq!(
        close_cost(swad(2), wad(3_000), wad(2_940), wad(3)),
        Ok(wad(123))
    );
    // A short bought back above the price costs the same way.
    assert_eq!(
        close_cost(swad(-2), wad(3_000), wad(3_060), wad(3)),
        Ok(wad(123))
    );
    assert_eq!(
        close_cost(I256::ZERO, wad(3_000), wad(3_060), U256::ZERO),
        Ok(U256::ZERO)
    );
    let tiny = close_cost(
        I256::from_raw(U256::from(1)),
        wad(1),
        wad(1) - U256::from(1),
        U256::ZERO,
    );
    assert_eq!(tiny, Ok(U256::from(1)));
}

#[test]
fn close_allowance_is_the_pro_rata_cost_plus_one_unit_and_the_rounding() {
    // 123 for a size of 2e18: 61.5 pro rata at a half, 62 wei per wei of size (rounded up).
    let allowed = close_allowance(wad(123), pct(50), swad(2)).unwrap();
    assert_eq!(
        allowed,
        wad(123) / U256::from(2) + U256::from(62) + CLOSE_ROUNDING
    );
    assert_eq!(
        close_allowance(U256::ZERO, pct(50), I256::ZERO),
        Ok(CLOSE_ROUNDING)
    );
}

/// `a · b / WAD` rounded toward −∞, as the MarginEngine's signed arithmetic does.
fn floor_wad(a: I256, b: I256) -> I256 {
    let magnitude = a.unsigned_abs() * b.unsigned_abs();
    if a.is_negative() != b.is_negative() && !magnitude.is_zero() {
        -I256::from_raw(magnitude.div_ceil(WAD))
    } else {
        I256::from_raw(magnitude / WAD)
    }
}

/// What closing `closed` (same sign as `-size`) of `size` (entry `entry`) at `fill` with fee
/// rate `rate` takes from an account's equity valued at `price`, by the MarginEngine's
/// arithmetic: unrealised PnL before and after (rounded toward −∞), the realised PnL on the
/// closed part (rounded toward −∞) and the fee (rounded up twice).
fn engine_close_cost(
    size: I256,
    entry: U256,
    price: U256,
    fill: U256,
    rate: U256,
    closed: U256,
) -> I256 {
    let signed = |x: U256| I256::from_raw(x);
    let mark = signed(price) - signed(entry);
    let before = floor_wad(size, mark);
    let kept = if size.is_negative() {
        size + signed(closed)
    } else {
        size - signed(closed)
    };
    let after = floor_wad(kept, mark);
    let per_unit = if size.is_negative() {
        signed(entry) - signed(fill)
    } else {
        signed(fill) - signed(entry)
    };
    let realised = floor_wad(signed(closed), per_unit);
    let fee = mul_wad_up(mul_wad_up(closed, fill).unwrap(), rate).unwrap();
    before - (after + realised - signed(fee))
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 20_000,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x636c_6f73_6520_636f),
        ..proptest::test_runner::Config::default()
    })]

    /// A close of any part of any position, filled at the engine's quote, costs the account
    /// no more than the allowance derived from the quote for the whole close.
    #[test]
    fn a_close_at_the_quote_never_costs_more_than_its_allowance(
        size in 1u128..=(1u128 << 100),
        short in proptest::bool::ANY,
        entry in 1u128..=(1u128 << 80),
        price in 1u128..=(1u128 << 80),
        spread in 0u64..=500_000_000_000_000_000,
        rate in 0u64..=100_000_000_000_000_000,
        part in 0u64..=1_000_000_000_000_000_000,
    ) {
        let (magnitude, price, entry) = (U256::from(size), U256::from(price), U256::from(entry));
        let (spread, rate, part) = (U256::from(spread), U256::from(rate), U256::from(part));
        let signed_size = if short { -I256::from_raw(magnitude) } else { I256::from_raw(magnitude) };
        // The engine's fill of the close: a buy rounds up, a sell down.
        let fill = if short {
            mul_wad_up(price, WAD + spread).unwrap()
        } else {
            mul_wad_down(price, WAD - spread).unwrap()
        };
        let fee = mul_wad_up(mul_wad_up(magnitude, fill).unwrap(), rate).unwrap();
        let cost = close_cost(signed_size, price, fill, fee).unwrap();
        // The vault closes `part` rounded up to whole units of size.
        let closed = mul_wad_up(magnitude, part).unwrap().min(magnitude);
        let actual = engine_close_cost(signed_size, entry, price, fill, rate, closed);
        let allowed = close_allowance(cost, part, signed_size).unwrap();
        proptest::prop_assert!(actual <= I256::from_raw(allowed), "{actual} > {allowed}");
    }
}
