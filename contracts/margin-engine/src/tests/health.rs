//! Equity, margins and the health views.

use super::*;

#[test]
fn collateral_counts_at_its_price_less_the_haircut() {
    let mut t = Fixture::new();
    t.deposit(WETH, wad(10));
    // 10 · 3,000 · 0.9.
    assert_eq!(t.health(), (signed(wad(27_000)), U256::ZERO, U256::ZERO));
    t.price(WETH, 2_000);
    assert_eq!(t.health().0, signed(wad(18_000)));
}

#[test]
fn the_correlation_haircut_applies_while_long_the_correlated_asset_and_not_short() {
    let mut t = Fixture::new();
    t.deposit(WETH, wad(10));
    t.trade(ETH, swad(1));
    // Wrong-way risk: 27,000 · 0.8, less the 3 fee.
    assert_eq!(t.health().0, signed(wad(21_600 - 3)));
    t.trade(ETH, swad(-2));
    // Short: a hedge, no extra haircut; fees 3 + 6.
    assert_eq!(t.health().0, signed(wad(27_000 - 9)));
    t.trade(ETH, swad(1));
    assert_eq!(t.health().0, signed(wad(27_000 - 12)));
}

#[test]
fn a_long_in_another_market_takes_no_correlation_haircut() {
    let mut t = Fixture::new();
    t.deposit(WETH, wad(10));
    t.trade(BTC, swad(1) / I256::try_from(100).unwrap_or_default());
    assert_eq!(t.health().0, signed(wad(27_000) - milli(600)));
}

#[test]
fn margins_sum_notional_times_the_model_fractions_over_markets() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.trade(ETH, swad(1));
    t.trade(BTC, swad(-1) / I256::try_from(100).unwrap_or_default());
    assert_eq!(t.markets(), vec![ETH, BTC]);
    let (_, im, mm) = t.health();
    // Notional 3,000 + 600.
    assert_eq!((im, mm), (wad(360), wad(180)));
    // A volatility spike raises the requirement.
    t.world
        .chain
        .borrow_mut()
        .margins
        .insert(WETH, (milli(200), milli(100)));
    assert_eq!(t.health().1, wad(660));
}

#[test]
fn health_factor_is_max_without_positions_and_zero_when_underwater() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(1_000));
    assert_eq!(t.engine.health_factor(ACC).ok(), Some(U256::MAX));
    assert_eq!(t.engine.is_liquidatable(ACC).ok(), Some(false));
    t.trade(ETH, swad(3));
    // Equity 991 over maintenance 450.
    let expected = wad(991) * WAD / wad(450);
    assert_eq!(t.engine.health_factor(ACC).ok(), Some(expected));
    t.price(WETH, 2_600);
    assert_eq!(t.engine.health_factor(ACC).ok(), Some(U256::ZERO));
}

#[test]
fn an_account_is_liquidatable_once_equity_falls_below_maintenance() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(1_000));
    t.trade(ETH, swad(3));
    t.price(WETH, 2_870);
    // Equity 991 − 390 = 601 ≥ 430.5.
    assert_eq!(t.engine.is_liquidatable(ACC).ok(), Some(false));
    t.price(WETH, 2_700);
    // Equity 91 < 405.
    assert_eq!(t.health(), (signed(wad(91)), wad(810), wad(405)));
    assert_eq!(t.engine.is_liquidatable(ACC).ok(), Some(true));
}

#[test]
fn views_revert_only_without_any_price() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(1_000));
    t.trade(ETH, swad(1));
    t.feed(WETH, |f| f.price = U256::ZERO);
    let e: crate::errors::EngineInvalidPrice = fails(t.engine.account_health(ACC));
    assert_eq!(e.asset, WETH);
}
