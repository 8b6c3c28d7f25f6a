//! Trades: fills, fees, PnL, the risk gates and `confiscate`.

use super::*;
use crate::{errors::*, events, trade::root_seconds};

/// `(size, entry)` of ALICE in `market`.
fn pos(t: &Fixture, market: U256) -> (I256, U256) {
    t.engine.position(ACC, market)
}

/// The pool's ledger, WAD.
fn ledger(t: &Fixture) -> I256 {
    t.engine.pool_balance.get()
}

#[test]
fn a_buy_fills_above_and_a_sell_below_the_oracle_by_the_base_spread() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.file_market(ETH, "baseSpread", milli(10));
    assert_eq!(t.trade(ETH, swad(1)), wad(3_030));
    assert_eq!(t.trade(ETH, swad(-1)), wad(2_970));
    let ev = t.last::<events::Traded>();
    assert_eq!(
        (ev.account, ev.market, ev.sizeDelta, ev.fillPrice),
        (ACC, ETH, swad(-1), wad(2_970))
    );
    // Round trip: lost the spread (60) and two fees (3.03 + 2.97).
    assert_eq!(ev.realisedPnl, swad(-60));
    assert_eq!(t.engine.quote_balance(ACC), signed(wad(10_000 - 66)));
}

#[test]
fn the_volatility_spread_grows_with_the_square_root_of_the_price_age() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    // 0.001 per unit of σ·√s, σ = 0.5: 0.5 % at 100 s, 1 % at 400 s.
    t.file_market(ETH, "volSpread", milli(1));
    t.feed(WETH, |f| f.age = 100);
    assert_eq!(t.trade(ETH, swad(1)), wad(3_015));
    t.feed(WETH, |f| f.age = 400);
    assert_eq!(t.trade(ETH, swad(-1)), wad(2_970));
    t.feed(WETH, |f| f.age = 0);
    assert_eq!(t.trade(ETH, swad(1)), wad(3_000));
}

#[test]
fn quote_trade_gives_exactly_the_fill_and_fee_of_the_trade() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.file_market(ETH, "baseSpread", milli(10));
    t.file_market(ETH, "volSpread", milli(1));
    t.feed(WETH, |f| f.age = 30);
    for delta in [swad(2), swad(-3), I256::from_raw(U256::from(7))] {
        let quote = t.engine.quote_trade(ETH, delta).ok().expect("a quote");
        assert_eq!(t.trade(ETH, delta), quote.fill);
        assert_eq!(t.last::<events::Traded>().fee, quote.fee);
    }
    // 1 % + 0.001 · 0.5 · √30 ≈ 1.27 % around 3,000; the fee 0.1 % of |size| · fill.
    let quote = t.engine.quote_trade(ETH, swad(-1)).ok().unwrap();
    assert!(
        quote.fill > wad(2_961) && quote.fill < wad(2_962),
        "{}",
        quote.fill
    );
    assert_eq!(quote.fee, quote.fill.div_ceil(U256::from(1_000)));
}

#[test]
fn quote_trade_refuses_what_trade_refuses_before_pricing() {
    let mut t = Fixture::new();
    let _: EngineZeroArgument = fails(t.engine.quote_trade(ETH, I256::ZERO));
    let _: EngineUnknownMarket = fails(t.engine.quote_trade(U256::from(9), swad(1)));
    t.feed(WETH, |f| {
        f.valid = false;
        f.status = 6;
    });
    let e: EngineInvalidPrice = fails(t.engine.quote_trade(ETH, swad(1)));
    assert_eq!((e.asset, e.status), (WETH, U256::from(6)));
}

#[test]
fn the_root_of_the_age_is_exact_on_squares_rounds_up_otherwise_and_is_clamped() {
    assert_eq!(root_seconds(U256::ZERO), U256::ZERO);
    assert_eq!(root_seconds(U256::from(1)), wad(1));
    assert_eq!(root_seconds(U256::from(144)), wad(12));
    let two = root_seconds(U256::from(2));
    assert!(
        two >= U256::from(1_414_213_562_373_095_048u64)
            && two <= U256::from(1_414_214_000_000_000_000u64)
    );
    assert_eq!(
        root_seconds(U256::MAX),
        root_seconds(U256::from(1u64 << 24))
    );
    assert_eq!(root_seconds(U256::from(1u64 << 24)), wad(4_096));
}

#[test]
fn the_fee_is_charged_to_the_quote_balance_and_credited_to_the_pool() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(1_000));
    let before = ledger(&t);
    t.trade(ETH, swad(2));
    assert_eq!(t.engine.quote_balance(ACC), signed(wad(994)));
    assert_eq!(ledger(&t) - before, swad(6));
    assert_eq!(t.last::<events::Traded>().fee, wad(6));
}

#[test]
fn a_reduction_realises_pnl_against_the_pool_and_keeps_the_entry() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(1_000));
    t.trade(ETH, swad(2));
    t.price(WETH, 3_300);
    let before = ledger(&t);
    t.trade(ETH, swad(-1));
    assert_eq!(pos(&t, ETH), (swad(1), wad(3_000)));
    assert_eq!(t.last::<events::Traded>().realisedPnl, swad(300));
    // 994 + 300 − 3.3 fee.
    assert_eq!(
        t.engine.quote_balance(ACC),
        signed(wad(1_294) - milli(3_300))
    );
    assert_eq!(ledger(&t) - before, signed(milli(3_300)) - swad(300));
    t.trade(ETH, swad(-1));
    assert_eq!(pos(&t, ETH), (I256::ZERO, U256::ZERO));
    assert!(t.markets().is_empty());
}

#[test]
fn increases_average_the_entry_rounded_against_the_trader() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.trade(ETH, swad(1));
    t.price(WETH, 3_001);
    t.trade(ETH, swad(2));
    // (3,000 + 6,002) / 3 = 3,000.666…, up for a long.
    assert_eq!(
        pos(&t, ETH).1,
        U256::from(3_000_666_666_666_666_666_667u128)
    );
    t.trade(ETH, swad(-3));
    t.price(WETH, 3_000);
    t.trade(ETH, swad(-1));
    t.price(WETH, 3_001);
    t.trade(ETH, swad(-2));
    // The same average, down for a short.
    assert_eq!(
        pos(&t, ETH).1,
        U256::from(3_000_666_666_666_666_666_666u128)
    );
}

#[test]
fn a_trade_through_zero_closes_then_opens_the_rest_at_the_fill() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.trade(ETH, swad(2));
    t.price(WETH, 3_100);
    t.trade(ETH, swad(-5));
    assert_eq!(pos(&t, ETH), (swad(-3), wad(3_100)));
    assert_eq!(t.last::<events::Traded>().realisedPnl, swad(200));
    assert_eq!(t.market_params(ETH)[7..], [U256::ZERO, wad(3)]);
}

#[test]
fn opening_needs_initial_margin_after_the_trade() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(1_000));
    // 3 ETH: IM 900, equity 1,000 − 9 = 991.
    t.trade(ETH, swad(3));
    let e: EngineBelowInitialMargin = fails(t.try_trade(ETH, swad(1)));
    assert_eq!(
        (e.equity, e.initialMargin),
        (signed(wad(1_000 - 9 - 3)), wad(1_200))
    );
}

#[test]
fn reducing_needs_no_margin() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(1_000));
    t.trade(ETH, swad(3));
    t.price(WETH, 2_800);
    let (equity, im, _) = t.health();
    assert!(equity < signed(im));
    t.trade(ETH, swad(-1));
    assert_eq!(pos(&t, ETH).0, swad(2));
}

#[test]
fn open_interest_caps_bound_each_side() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(100_000));
    t.file_market(ETH, "oiCapLong", wad(5));
    t.file_market(ETH, "oiCapShort", wad(4));
    let e: EngineOpenInterestCap = fails(t.try_trade(ETH, swad(6)));
    assert_eq!((e.market, e.openInterest, e.cap), (ETH, wad(6), wad(5)));
    let t2 = &mut Fixture::new();
    t2.deposit(QUOTE, usdc(100_000));
    t2.file_market(ETH, "oiCapShort", wad(4));
    t2.trade(ETH, swad(-4));
    assert_eq!(t2.market_params(ETH)[8], wad(4));
    let e: EngineOpenInterestCap = fails(t2.try_trade(ETH, swad(-1)));
    assert_eq!(e.openInterest, wad(5));
}

#[test]
fn a_position_adding_risk_must_reach_the_minimum_size_but_reductions_may_leave_less() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.file_market(ETH, "minSize", wad(1));
    let e: EngineBelowMinSize =
        fails(t.try_trade(ETH, swad(1) / I256::try_from(2).unwrap_or_default()));
    assert_eq!((e.size, e.minSize), (wad(1) / U256::from(2), wad(1)));
    t.trade(ETH, swad(2));
    t.trade(ETH, swad(-3) / I256::try_from(2).unwrap_or_default());
    assert_eq!(
        pos(&t, ETH).0,
        swad(1) / I256::try_from(2).unwrap_or_default()
    );
}

#[test]
fn an_account_holds_at_most_max_positions_markets() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(100_000));
    t.as_(ADMIN);
    t.ok(|e| e.file(name("maxPositions"), U256::from(1)));
    t.trade(ETH, swad(1));
    let e: EngineTooManyPositions =
        fails(t.try_trade(BTC, swad(1) / I256::try_from(100).unwrap_or_default()));
    assert_eq!(e.max, U256::from(1));
    assert_eq!(t.markets(), vec![ETH]);
}

#[test]
fn an_unsafe_sequencer_blocks_new_risk_but_not_reductions() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.trade(ETH, swad(2));
    t.world.chain.borrow_mut().unsafe_sequencer = true;
    let e: EngineNewRiskRefused = fails(t.try_trade(ETH, swad(1)));
    assert_eq!(e.reason, U256::from(2));
    t.trade(ETH, swad(-1));
    let _: EngineNewRiskRefused = fails(t.try_trade(ETH, swad(-2)));
}

#[test]
fn a_stale_price_blocks_every_trade_of_its_market() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.trade(ETH, swad(2));
    t.feed(WETH, |f| {
        f.valid = false;
        f.status = 6;
    });
    let e: EngineInvalidPrice = fails(t.try_trade(ETH, swad(1)));
    assert_eq!((e.asset, e.status), (WETH, U256::from(6)));
    let _: EngineInvalidPrice = fails(t.try_trade(ETH, swad(-1)));
    // The account is still valued, at the last accepted price.
    assert_eq!(t.health().2, wad(300));
}

#[test]
fn slippage_and_deadline_are_enforced() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.as_(ALICE);
    let far = U256::from(T0 + 100);
    let e: EngineSlippage = fails(t.engine.trade(ACC, ETH, swad(1), wad(2_999), far));
    assert_eq!((e.fillPrice, e.priceLimit), (wad(3_000), wad(2_999)));
    let _: EngineSlippage = fails(t.engine.trade(ACC, ETH, swad(-1), wad(3_001), far));
    t.ok(|e| e.trade(ACC, ETH, swad(1), wad(3_000), far));
    t.at(101);
    let e: EngineDeadlinePassed = fails(t.engine.trade(ACC, ETH, swad(1), U256::MAX, far));
    assert_eq!((e.deadline, e.now), (far, U256::from(T0 + 101)));
    let _: EngineZeroArgument = fails(t.engine.trade(ACC, ETH, I256::ZERO, U256::MAX, U256::MAX));
    let _: EngineUnknownMarket =
        fails(
            t.engine
                .trade(ACC, U256::from(5), swad(1), U256::MAX, U256::MAX),
        );
}

#[test]
fn confiscate_is_reduce_only_at_the_given_price_for_wards() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(1_000));
    t.trade(ETH, swad(2));
    t.as_(BACKSTOP);
    let _: EngineUnauthorized = fails(t.engine.confiscate(ACC, ETH, swad(-1), wad(2_900)));
    t.as_(ADMIN);
    t.ok(|e| e.rely(BACKSTOP));
    t.as_(BACKSTOP);
    let _: EngineNotReducing = fails(t.engine.confiscate(ACC, ETH, swad(1), wad(2_900)));
    let e: EngineNotReducing = fails(t.engine.confiscate(ACC, ETH, swad(-3), wad(2_900)));
    assert_eq!((e.size, e.sizeDelta), (swad(2), swad(-3)));
    let before = ledger(&t);
    let realised = t.ok(|e| e.confiscate(ACC, ETH, swad(-1), wad(2_900)));
    assert_eq!(realised, swad(-100));
    assert_eq!(ledger(&t) - before, swad(100));
    assert_eq!(t.engine.quote_balance(ACC), signed(wad(994 - 100)));
    let ev = t.last::<events::Confiscated>();
    assert_eq!(
        (ev.sizeDelta, ev.price, ev.realisedPnl),
        (swad(-1), wad(2_900), swad(-100))
    );
    t.ok(|e| e.confiscate(ACC, ETH, swad(-1), wad(2_900)));
    assert!(t.markets().is_empty());
    // No position, so nothing to reduce: an unknown account or market alike.
    let _: EngineNotReducing = fails(t.engine.confiscate(U256::from(9), ETH, swad(-1), wad(1)));
    let _: EngineNotReducing = fails(t.engine.confiscate(ACC, U256::from(9), swad(-1), wad(1)));
    assert_eq!(t.market_params(ETH)[7], U256::ZERO);
}
