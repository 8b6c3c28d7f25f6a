//! Construction, roles and the setters.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolError;
use keel_math::WAD;

use super::*;
use crate::{
    errors::{
        BackstopParameterOutOfBounds, BackstopTokenNotAuctionable, BackstopTooManyTokens,
        BackstopUnauthorized, BackstopUnknownParameter,
    },
    events,
    params::{Defaults, GLOBAL_PARAMS, MARKET_PARAMS, MAX_TOKENS, U96_MAX},
};

fn word(a: Address) -> U256 {
    U256::from_be_bytes(a.into_word().0)
}

#[test]
fn constructor_wires_addresses_sets_defaults_and_makes_admin_a_ward() {
    let t = Fixture::new();
    let c = t.bs.config();
    assert_eq!(
        &c[..5],
        &[
            word(ENGINE),
            word(LIQUIDATOR),
            word(QUOTE),
            word(ORACLE),
            word(MODEL)
        ]
    );
    assert_eq!(c[5], U256::from(Defaults::TARGET_HEALTH));
    assert_eq!(c[6], U256::from(Defaults::PENALTY));
    assert_eq!(c[7], U256::from(Defaults::KEEPER_SHARE));
    assert_eq!(c[8], U96_MAX);
    assert_eq!(c[9], U256::from(Defaults::ADL_RATIO));
    assert_eq!(c[10], U256::ZERO);
    assert_eq!(c[11], U256::from(Defaults::ADL_GRACE));
    assert_eq!(
        c[12],
        U256::from(1_000_000_000_000u64),
        "6-decimal quote: 1e12 WAD per unit"
    );
    assert!(t.bs.wards(ADMIN));
    assert!(!t.bs.wards(STRANGER));
}

#[test]
fn constructor_approves_the_engine_and_the_liquidator_for_the_maximum() {
    let t = Fixture::new();
    let c = t.world.chain.borrow();
    let allowances = &c.tokens[&QUOTE].allowances;
    assert_eq!(allowances.get(&(t.this(), ENGINE)), Some(&U256::MAX));
    assert_eq!(allowances.get(&(t.this(), LIQUIDATOR)), Some(&U256::MAX));
}

#[test]
fn a_stranger_can_call_no_setter() {
    let mut t = Fixture::new();
    t.as_(STRANGER);
    let expected = BackstopUnauthorized { caller: STRANGER }.abi_encode();
    assert_eq!(err(t.bs.rely(STRANGER)), expected);
    assert_eq!(err(t.bs.deny(ADMIN)), expected);
    assert_eq!(err(t.bs.file(name("penalty"), U256::ZERO)), expected);
    assert_eq!(err(t.bs.file_address(name("oracle"), STRANGER)), expected);
    assert_eq!(
        err(t.bs.file_market(ETH, name("maxLot"), U256::ZERO)),
        expected
    );
    assert_eq!(err(t.bs.file_token(WETH, false)), expected);
    assert!(t.bs.wards(ADMIN));
    assert_eq!(t.bs.config()[6], U256::from(Defaults::PENALTY));
}

#[test]
fn rely_and_deny_grant_and_revoke_with_events() {
    let mut t = Fixture::new();
    t.ok(|b| b.rely(KEEPER));
    assert!(t.bs.wards(KEEPER));
    assert_eq!(t.last::<events::Rely>().usr, KEEPER);
    t.as_(KEEPER);
    t.ok(|b| b.deny(ADMIN));
    assert!(!t.bs.wards(ADMIN));
    assert_eq!(t.last::<events::Deny>().usr, ADMIN);
    t.as_(ADMIN);
    assert!(!err(t.bs.file(name("penalty"), U256::ZERO)).is_empty());
}

#[test]
fn every_global_parameter_takes_its_bounds_and_refuses_beyond_them() {
    let mut t = Fixture::new();
    let slots = [
        ("targetHealth", 5),
        ("penalty", 6),
        ("keeperShare", 7),
        ("adlRatio", 9),
        ("keeperCap", 8),
        ("adlMax", 10),
        ("adlGrace", 11),
    ];
    assert_eq!(slots.len(), GLOBAL_PARAMS.len());
    for (text, index) in slots {
        let p = GLOBAL_PARAMS.iter().find(|p| p.name == name(text)).copied();
        let Some(p) = p else {
            panic!("{text} is not a parameter")
        };
        for value in [p.min, p.max] {
            t.ok(|b| b.file(name(text), value));
            assert_eq!(t.bs.config()[index], value, "{text}");
            let event = t.last::<events::File>();
            assert_eq!((event.what, event.data), (name(text), value));
        }
        assert_eq!(
            err(t.bs.file(name(text), p.max + U256::from(1))),
            BackstopParameterOutOfBounds {
                what: name(text),
                data: p.max + U256::from(1),
                min: p.min,
                max: p.max
            }
            .abi_encode(),
            "{text}"
        );
        assert_eq!(
            t.bs.config()[index],
            p.max,
            "{text}: a refused value changes nothing"
        );
    }
}

#[test]
fn a_target_health_of_one_is_refused() {
    let mut t = Fixture::new();
    assert!(!err(t.bs.file(name("targetHealth"), WAD)).is_empty());
    t.ok(|b| b.file(name("targetHealth"), WAD + U256::from(1)));
}

#[test]
fn market_parameters_are_set_per_market_with_events() {
    let mut t = Fixture::new();
    t.set_market(ETH, "maxLot", wad(50_000));
    t.set_market(ETH, "limit", wad(200_000));
    t.set_market(ETH, "window", U256::from(600));
    let m = t.bs.market(ETH);
    assert_eq!(&m[..3], &[wad(50_000), wad(200_000), U256::from(600)]);
    assert_eq!(&t.bs.market(BTC)[..3], &[U256::ZERO; 3]);
    let event = t.last::<events::FileMarket>();
    assert_eq!(
        (event.market, event.what, event.data),
        (ETH, name("window"), U256::from(600))
    );
    for p in MARKET_PARAMS {
        assert!(!err(t.bs.file_market(ETH, p.name, p.max + U256::from(1))).is_empty());
    }
}

#[test]
fn unknown_names_are_refused() {
    let mut t = Fixture::new();
    for bad in ["maxLot", "Penalty", "", "oracle"] {
        assert_eq!(
            err(t.bs.file(name(bad), U256::ZERO)),
            BackstopUnknownParameter { what: name(bad) }.abi_encode(),
            "{bad}"
        );
    }
    assert!(!err(t.bs.file_market(ETH, name("penalty"), U256::ZERO)).is_empty());
    assert_eq!(
        err(t.bs.file_address(name("engine"), STRANGER)),
        BackstopUnknownParameter {
            what: name("engine")
        }
        .abi_encode()
    );
}

#[test]
fn oracle_and_model_can_be_replaced() {
    let mut t = Fixture::new();
    t.ok(|b| b.file_address(name("oracle"), KEEPER));
    t.ok(|b| b.file_address(name("model"), OWNER));
    let c = t.bs.config();
    assert_eq!((c[3], c[4]), (word(KEEPER), word(OWNER)));
    let event = t.last::<events::FileAddress>();
    assert_eq!((event.what, event.data), (name("model"), OWNER));
}

#[test]
fn a_token_is_auctionable_only_if_the_liquidator_lists_it_and_it_is_not_the_quote() {
    let mut t = Fixture::new();
    let other = Address::repeat_byte(0x77);
    t.world.chain.borrow_mut().tokens.insert(
        other,
        world::Token {
            decimals: 18,
            ..Default::default()
        },
    );
    assert_eq!(
        err(t.bs.file_token(other, true)),
        BackstopTokenNotAuctionable { token: other }.abi_encode()
    );
    t.world.chain.borrow_mut().liq.listed.insert(QUOTE, true);
    assert_eq!(
        err(t.bs.file_token(QUOTE, true)),
        BackstopTokenNotAuctionable { token: QUOTE }.abi_encode()
    );
    t.world.chain.borrow_mut().liq.listed.insert(other, true);
    t.ok(|b| b.file_token(other, true));
    assert_eq!(t.bs.tokens(), vec![WETH, WBTC, other]);
    let event = t.last::<events::FileToken>();
    assert_eq!((event.token, event.auctionable), (other, true));
}

#[test]
fn removing_a_token_keeps_the_others() {
    let mut t = Fixture::new();
    t.ok(|b| b.file_token(WETH, false));
    assert_eq!(t.bs.tokens(), vec![WBTC]);
    t.ok(|b| b.file_token(WETH, false));
    assert_eq!(t.bs.tokens(), vec![WBTC]);
    t.ok(|b| b.file_token(WETH, true));
    t.ok(|b| b.file_token(WETH, true));
    assert_eq!(t.bs.tokens(), vec![WBTC, WETH]);
    let event = t.last::<events::FileToken>();
    assert_eq!((event.token, event.auctionable), (WETH, true));
    assert_eq!(
        t.events::<events::FileToken>().len(),
        4,
        "every call logs, even a repeat"
    );
}

#[test]
fn at_most_max_tokens_are_auctionable() {
    let mut t = Fixture::new();
    for i in 2..MAX_TOKENS {
        let token = Address::repeat_byte(0x40 + i);
        let mut c = t.world.chain.borrow_mut();
        c.tokens.insert(
            token,
            world::Token {
                decimals: 18,
                ..Default::default()
            },
        );
        c.liq.listed.insert(token, true);
        drop(c);
        t.ok(|b| b.file_token(token, true));
    }
    let one_more = Address::repeat_byte(0x3f);
    {
        let mut c = t.world.chain.borrow_mut();
        c.tokens.insert(
            one_more,
            world::Token {
                decimals: 18,
                ..Default::default()
            },
        );
        c.liq.listed.insert(one_more, true);
    }
    assert_eq!(
        err(t.bs.file_token(one_more, true)),
        BackstopTooManyTokens {
            max: U256::from(MAX_TOKENS)
        }
        .abi_encode()
    );
}
