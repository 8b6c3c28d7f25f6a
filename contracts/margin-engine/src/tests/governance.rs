//! Roles, the `file` setters and their bounds, listings, and pausing new risk.

use super::*;
use crate::{errors::*, events, params::MAX_POSITIONS};

#[test]
fn constructor_reads_the_quote_decimals_and_makes_admin_a_ward() {
    let t = Fixture::deployed();
    let g = t.globals();
    assert_eq!(g[0], U256::from_be_slice(QUOTE.as_slice()));
    assert_eq!(g[1], U256::from(6));
    assert_eq!(g[8], U256::from(MAX_POSITIONS));
    assert!(t.engine.wards(ADMIN));
    assert_eq!(t.last::<events::Rely>().usr, ADMIN);
}

#[test]
fn constructor_refuses_a_quote_with_more_than_18_decimals() {
    let w = World::default();
    w.chain.borrow_mut().tokens.insert(
        QUOTE,
        Token {
            decimals: 19,
            ..Token::default()
        },
    );
    let mut fresh = MarginEngine::from(&w);
    let e: EngineUnsupportedDecimals = fails(fresh.constructor(QUOTE, ORACLE, MODEL, ADMIN));
    assert_eq!(e.decimals, U256::from(19));
    let _: EngineZeroArgument = fails(fresh.constructor(QUOTE, ORACLE, Address::ZERO, ADMIN));
}

#[test]
fn wards_rely_and_deny_with_events_and_strangers_cannot() {
    let mut t = Fixture::deployed();
    t.as_(STRANGER);
    let e: EngineUnauthorized = fails(t.engine.rely(STRANGER));
    assert_eq!(e.caller, STRANGER);
    assert!(!t.engine.wards(STRANGER));
    t.as_(ADMIN);
    t.ok(|e| e.rely(BACKSTOP));
    assert!(t.engine.wards(BACKSTOP));
    assert_eq!(t.last::<events::Rely>().usr, BACKSTOP);
    t.ok(|e| e.deny(BACKSTOP));
    assert!(!t.engine.wards(BACKSTOP));
    assert_eq!(t.last::<events::Deny>().usr, BACKSTOP);
}

#[test]
fn strangers_cannot_list_or_file() {
    let mut t = Fixture::new();
    t.as_(STRANGER);
    let expected = EngineUnauthorized { caller: STRANGER };
    use alloy_sol_types::SolError;
    let expected = expected.abi_encode();
    assert_eq!(
        err(t.engine.file(name("maxPositions"), U256::from(2))),
        expected
    );
    assert_eq!(err(t.engine.list_market(WBTC)), expected);
    assert_eq!(
        err(t.engine.file_market(ETH, name("fee"), U256::ZERO)),
        expected
    );
    assert_eq!(
        err(t
            .engine
            .list_collateral(WBTC, U256::ZERO, U256::ZERO, Address::ZERO, U256::ZERO)),
        expected
    );
    assert_eq!(
        err(t.engine.file_collateral(WETH, name("haircut"), U256::ZERO)),
        expected
    );
    assert_eq!(err(t.engine.deny(ADMIN)), expected);
}

#[test]
fn file_sets_globals_within_bounds_with_an_event() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    t.ok(|e| e.file(name("maxPositions"), U256::from(3)));
    assert_eq!(t.globals()[8], U256::from(3));
    let ev = t.last::<events::File>();
    assert_eq!((ev.what, ev.data), (name("maxPositions"), U256::from(3)));
    let e: EngineParameterOutOfBounds = fails(t.engine.file(name("maxPositions"), U256::from(9)));
    assert_eq!((e.min, e.max), (U256::from(1), U256::from(8)));
    let _: EngineParameterOutOfBounds = fails(t.engine.file(name("maxPositions"), U256::ZERO));
    let _: EngineParameterOutOfBounds = fails(t.engine.file(name("maxProfitRatio"), wad(11)));
    let _: EngineUnknownParameter = fails(t.engine.file(name("fee"), U256::ZERO));
    t.ok(|e| e.file(name("maxProfitRatio"), wad(2)));
    assert_eq!(t.globals()[7], wad(2));
}

#[test]
fn the_oracle_and_model_are_fixed_at_construction() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    let as_word = |a: Address| U256::from_be_slice(a.as_slice());
    let _: EngineUnknownParameter = fails(t.engine.file(name("oracle"), as_word(BOB)));
    let _: EngineUnknownParameter = fails(t.engine.file(name("guardian"), as_word(BOB)));
    assert_eq!(t.globals()[2], as_word(ORACLE));
    assert_eq!(t.globals()[3], as_word(MODEL));
}

#[test]
fn markets_are_numbered_from_one_and_filed_within_bounds() {
    let mut t = Fixture::new();
    assert_eq!(t.engine.market_asset(ETH).ok(), Some(WETH));
    assert_eq!(t.engine.market_asset(BTC).ok(), Some(WBTC));
    let _: EngineUnknownMarket = fails(t.engine.market_asset(U256::from(3)));
    t.as_(ADMIN);
    let listed = t.last::<events::MarketListed>();
    assert_eq!((listed.market, listed.asset), (BTC, WBTC));
    t.ok(|e| e.file_market(ETH, name("volSpread"), milli(1)));
    assert_eq!(t.market_params(ETH)[3], milli(1));
    let ev = t.last::<events::FileMarket>();
    assert_eq!(
        (ev.market, ev.what, ev.data),
        (ETH, name("volSpread"), milli(1))
    );
    let e: EngineParameterOutOfBounds = fails(t.engine.file_market(ETH, name("fee"), milli(51)));
    assert_eq!(e.max, milli(50));
    let _: EngineUnknownMarket =
        fails(t.engine.file_market(U256::from(9), name("fee"), U256::ZERO));
    let _: EngineUnknownParameter = fails(t.engine.file_market(ETH, name("haircut"), U256::ZERO));
    let _: EngineZeroArgument = fails(t.engine.list_market(Address::ZERO));
}

#[test]
fn collateral_is_listed_once_with_its_decimals_and_filed_within_bounds() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    let ev = t.last::<events::CollateralListed>();
    assert_eq!(
        (ev.token, ev.index, ev.decimals),
        (WETH, U256::from(1), U256::from(18))
    );
    let p = t.collateral_params(WETH);
    assert_eq!((p[2], p[3], p[5]), (milli(100), wad(1_000), milli(200)));
    let _: EngineAlreadyListed =
        fails(
            t.engine
                .list_collateral(WETH, U256::ZERO, U256::ZERO, Address::ZERO, U256::ZERO),
        );
    let _: EngineAlreadyListed =
        fails(
            t.engine
                .list_collateral(QUOTE, U256::ZERO, U256::ZERO, Address::ZERO, U256::ZERO),
        );
    // (Listing checks each parameter after its effects: a revert undoes them on chain.)
    let _: EngineParameterOutOfBounds =
        fails(
            t.engine
                .list_collateral(FOT, wad(2), U256::ZERO, Address::ZERO, U256::ZERO),
        );
    t.ok(|e| {
        e.list_collateral(
            WBTC,
            milli(50),
            U256::from(100_000_000u64),
            Address::ZERO,
            U256::ZERO,
        )
    });
    assert_eq!(t.collateral_params(WBTC)[1], U256::from(8));
    t.ok(|e| e.file_collateral(WBTC, name("haircut"), milli(80)));
    assert_eq!(t.collateral_params(WBTC)[2], milli(80));
    let ev = t.last::<events::FileCollateral>();
    assert_eq!(
        (ev.token, ev.what, ev.data),
        (WBTC, name("haircut"), milli(80))
    );
    let listed = t.events::<events::FileCollateral>();
    assert!(listed.iter().any(|e| e.token == WETH
        && e.what == name("correlatedAsset")
        && e.data == U256::from_be_slice(WETH.as_slice())));
    let _: EngineUnknownToken = fails(t.engine.file_collateral(QUOTE, name("haircut"), U256::ZERO));
    let _: EngineParameterOutOfBounds = fails(t.engine.file_collateral(
        WBTC,
        name("correlationHaircut"),
        wad(2),
    ));
}

#[test]
fn stopped_pauses_new_risk_but_reductions_go_on() {
    let mut t = Fixture::new();
    t.deposit(QUOTE, usdc(10_000));
    t.trade(ETH, swad(2));
    t.as_(ADMIN);
    t.ok(|e| e.file(name("stopped"), U256::from(1)));
    let _: EngineParameterOutOfBounds = fails(t.engine.file(name("stopped"), U256::from(2)));
    let e: EngineNewRiskRefused = fails(t.try_trade(ETH, swad(1)));
    assert_eq!(e.reason, U256::from(1));
    t.trade(ETH, swad(-1));
    t.as_(ADMIN);
    t.ok(|e| e.file(name("stopped"), U256::ZERO));
    t.trade(ETH, swad(1));
}
