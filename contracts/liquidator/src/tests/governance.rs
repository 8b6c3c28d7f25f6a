//! Roles, `file` setters and their bounds, listing, and the guardian's stop.

use alloy_primitives::U256;
use alloy_sol_types::SolError;
use keel_math::WAD;

use super::*;
use crate::{
    errors::*,
    events,
    params::{Defaults, ASSET_PARAMS},
};

#[test]
fn constructor_sets_the_quote_and_makes_admin_a_ward() {
    let t = Fixture::deployed();
    assert_eq!(t.global().quote, QUOTE);
    assert!(t.liq.wards(ADMIN));
    assert!(!t.liq.wards(ENGINE));
    assert_eq!(t.last::<events::Rely>().usr, ADMIN);
}

#[test]
fn ward_relies_and_denies_with_events() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    t.ok(|l| l.rely(ENGINE));
    assert!(t.liq.wards(ENGINE));
    assert_eq!(t.last::<events::Rely>().usr, ENGINE);
    t.ok(|l| l.deny(ENGINE));
    assert!(!t.liq.wards(ENGINE));
    assert_eq!(t.last::<events::Deny>().usr, ENGINE);
}

#[test]
fn stranger_cannot_rely_or_deny() {
    let mut t = Fixture::deployed();
    t.as_(STRANGER);
    let expected = LiquidatorUnauthorized { caller: STRANGER }.abi_encode();
    assert_eq!(err(t.liq.rely(STRANGER)), expected);
    assert_eq!(err(t.liq.deny(ADMIN)), expected);
    assert!(!t.liq.wards(STRANGER));
    assert!(t.liq.wards(ADMIN));
}

#[test]
fn denied_ward_loses_its_powers() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|l| l.deny(ENGINE));
    assert_eq!(
        err(t.try_kick(usdc(1_000), eth(1))),
        LiquidatorUnauthorized { caller: ENGINE }.abi_encode()
    );
}

#[test]
fn file_sets_the_global_hole_with_an_event() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    t.ok(|l| l.file(what("Hole"), usdc(5)));
    assert_eq!(t.global().hole, usdc(5));
    let event = t.last::<events::File>();
    assert_eq!((event.what, event.data), (what("Hole"), usdc(5)));
}

#[test]
fn file_rejects_a_hole_above_128_bits() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    let too_big = U256::from(u128::MAX) + U256::from(1);
    assert_eq!(
        err(t.liq.file(what("Hole"), too_big)),
        LiquidatorParameterOutOfBounds {
            what: what("Hole"),
            data: too_big,
            min: U256::ZERO,
            max: U256::from(u128::MAX),
        }
        .abi_encode()
    );
    assert_eq!(t.global().hole, U256::ZERO);
}

#[test]
fn file_sets_stopped_up_to_three() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    t.ok(|l| l.file(what("stopped"), U256::from(3)));
    assert_eq!(t.global().stopped, U256::from(3));
    assert!(!err(t.liq.file(what("stopped"), U256::from(4))).is_empty());
    t.ok(|l| l.file(what("stopped"), U256::ZERO));
    assert_eq!(t.global().stopped, U256::ZERO);
}

#[test]
fn file_with_an_unknown_name_is_rejected() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    for bad in ["hole", "Dirt", "buf", ""] {
        assert_eq!(
            err(t.liq.file(what(bad), U256::from(1))),
            LiquidatorUnknownParameter { what: what(bad) }.abi_encode(),
            "{bad}"
        );
    }
}

#[test]
fn stranger_cannot_file_anything() {
    let mut t = Fixture::new();
    t.as_(STRANGER);
    let expected = LiquidatorUnauthorized { caller: STRANGER }.abi_encode();
    assert_eq!(err(t.liq.file(what("Hole"), U256::ZERO)), expected);
    assert_eq!(err(t.liq.file_address(what("oracle"), STRANGER)), expected);
    assert_eq!(err(t.liq.file_asset(WETH, what("buf"), WAD)), expected);
    assert_eq!(err(t.liq.init(WBTC)), expected);
    assert_eq!(t.global().oracle, ORACLE);
}

#[test]
fn file_address_sets_oracle_and_guardian_with_events() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    t.ok(|l| l.file_address(what("oracle"), ORACLE2));
    t.ok(|l| l.file_address(what("guardian"), GUARDIAN));
    assert_eq!(
        (t.global().oracle, t.global().guardian),
        (ORACLE2, GUARDIAN)
    );
    let event = t.last::<events::FileAddress>();
    assert_eq!((event.what, event.data), (what("guardian"), GUARDIAN));
    assert_eq!(
        err(t.liq.file_address(what("engine"), GUARDIAN)),
        LiquidatorUnknownParameter {
            what: what("engine")
        }
        .abi_encode()
    );
}

#[test]
fn init_reads_decimals_and_sets_in_bounds_defaults_with_a_closed_hole() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    t.ok(|l| l.init(WBTC));
    let a = t.asset(WBTC);
    assert!(a.listed);
    assert_eq!(a.scale, 18 + 8 - 6);
    assert_eq!(
        (a.buf, a.tail, a.cusp),
        (
            U256::from(Defaults::BUF),
            U256::from(Defaults::TAIL),
            U256::from(Defaults::CUSP)
        )
    );
    assert_eq!(a.kind, Defaults::KIND);
    assert_eq!(
        (a.tau, a.step, a.cut),
        (
            U256::from(Defaults::TAU),
            U256::from(Defaults::STEP),
            U256::from(Defaults::CUT)
        )
    );
    assert_eq!(a.hole, U256::ZERO, "hole stays closed");
    assert_eq!(
        (a.chip, a.tip, a.chost, a.tol, a.last),
        (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO)
    );
    let event = t.last::<events::Init>();
    assert_eq!((event.asset, event.scale), (WBTC, 20));
}

#[test]
fn init_twice_is_rejected() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    assert_eq!(
        err(t.liq.init(WETH)),
        LiquidatorAssetAlreadyListed { asset: WETH }.abi_encode()
    );
    // The asset's parameters were not reset.
    assert_eq!(t.asset(WETH).buf, pct(125));
}

#[test]
fn init_rejects_decimals_it_cannot_convert() {
    let mut t = Fixture::deployed();
    t.world
        .chain
        .borrow_mut()
        .tokens
        .entry(QUOTE)
        .or_default()
        .decimals = 30;
    t.world
        .chain
        .borrow_mut()
        .tokens
        .entry(WETH)
        .or_default()
        .decimals = 6;
    t.as_(ADMIN);
    assert_eq!(
        err(t.liq.init(WETH)),
        LiquidatorUnsupportedDecimals {
            asset: WETH,
            assetDecimals: 6,
            quoteDecimals: 30
        }
        .abi_encode()
    );
    assert!(!t.asset(WETH).listed);
}

#[test]
fn init_of_an_address_without_decimals_fails_with_the_call_error() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    assert_eq!(
        err(t.liq.init(STRANGER)),
        LiquidatorExternalCallFailed {
            target: STRANGER,
            reason: Vec::new().into()
        }
        .abi_encode()
    );
}

#[test]
fn file_asset_needs_a_listed_asset() {
    let mut t = Fixture::deployed();
    t.as_(ADMIN);
    assert_eq!(
        err(t.liq.file_asset(WBTC, what("buf"), WAD)),
        LiquidatorAssetNotListed { asset: WBTC }.abi_encode()
    );
}

/// The stored value of parameter `name` of WETH, read back through the `assets` view.
fn stored(t: &Fixture, name: &str) -> U256 {
    let a = t.asset(WETH);
    match name {
        "buf" => a.buf,
        "tail" => a.tail,
        "cusp" => a.cusp,
        "chip" => a.chip,
        "tip" => a.tip,
        "chost" => a.chost,
        "hole" => a.hole,
        "tol" => a.tol,
        "last" => a.last,
        "kind" => U256::from(a.kind),
        "tau" => a.tau,
        "step" => a.step,
        "cut" => a.cut,
        other => panic!("no view of {other}"),
    }
}

#[test]
fn every_asset_parameter_stores_both_of_its_bounds_exactly() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    for p in &ASSET_PARAMS {
        let text = p.name;
        for value in [p.min, p.max] {
            t.ok(|l| l.file_asset(WETH, what(text), value));
            assert_eq!(stored(&t, text), value, "{text} = {value}");
            let event = t.last::<events::FileAsset>();
            assert_eq!(
                (event.asset, event.what, event.data),
                (WETH, what(text), value)
            );
        }
    }
}

#[test]
fn every_asset_parameter_rejects_values_outside_its_bounds() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    for p in &ASSET_PARAMS {
        let (text, min, max) = (p.name, p.min, p.max);
        let before = stored(&t, text);
        let mut outside = vec![max + U256::from(1)];
        if !min.is_zero() {
            outside.push(min - U256::from(1));
        }
        for data in outside {
            assert_eq!(
                err(t.liq.file_asset(WETH, what(text), data)),
                LiquidatorParameterOutOfBounds {
                    what: what(text),
                    data,
                    min,
                    max
                }
                .abi_encode(),
                "{text} = {data}"
            );
            assert_eq!(stored(&t, text), before, "{text} unchanged");
        }
    }
}

#[test]
fn file_asset_with_an_unknown_name_is_rejected() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    assert_eq!(
        err(t.liq.file_asset(WETH, what("Hole"), U256::ZERO)),
        LiquidatorUnknownParameter { what: what("Hole") }.abi_encode()
    );
}

#[test]
fn setters_refuse_to_run_during_a_take() {
    let mut t = Fixture::new();
    t.ok(|l| l.set_lock(true));
    t.as_(ADMIN);
    let locked = LiquidatorLocked {}.abi_encode();
    assert_eq!(err(t.liq.file(what("Hole"), U256::ZERO)), locked);
    assert_eq!(err(t.liq.file_address(what("oracle"), ORACLE2)), locked);
    assert_eq!(err(t.liq.file_asset(WETH, what("buf"), WAD)), locked);
    assert_eq!(err(t.liq.init(WBTC)), locked);
    assert_eq!(t.asset(WETH).buf, pct(125));
}

#[test]
fn guardian_raises_the_stop_level_with_an_event() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|l| l.file_address(what("guardian"), GUARDIAN));
    t.as_(GUARDIAN);
    t.ok(|l| l.stop(U256::from(1)));
    t.ok(|l| l.stop(U256::from(3)));
    assert_eq!(t.global().stopped, U256::from(3));
    let event = t.last::<events::Stop>();
    assert_eq!((event.guardian, event.level), (GUARDIAN, U256::from(3)));
}

#[test]
fn guardian_cannot_lower_the_stop_level() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|l| l.file_address(what("guardian"), GUARDIAN));
    t.as_(GUARDIAN);
    t.ok(|l| l.stop(U256::from(2)));
    assert_eq!(
        err(t.liq.stop(U256::from(1))),
        LiquidatorParameterOutOfBounds {
            what: what("stopped"),
            data: U256::from(1),
            min: U256::from(2),
            max: U256::from(3),
        }
        .abi_encode()
    );
    assert!(!err(t.liq.stop(U256::from(4))).is_empty());
    assert_eq!(t.global().stopped, U256::from(2));
}

#[test]
fn guardian_cannot_touch_anything_else() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|l| l.file_address(what("guardian"), GUARDIAN));
    t.as_(GUARDIAN);
    let expected = LiquidatorUnauthorized { caller: GUARDIAN }.abi_encode();
    assert_eq!(err(t.liq.file(what("stopped"), U256::ZERO)), expected);
    assert_eq!(
        err(t.liq.file_asset(WETH, what("hole"), U256::ZERO)),
        expected
    );
    assert_eq!(err(t.liq.rely(GUARDIAN)), expected);
}

#[test]
fn stranger_cannot_stop_even_without_a_guardian() {
    let mut t = Fixture::new();
    t.as_(STRANGER);
    assert_eq!(
        err(t.liq.stop(U256::from(3))),
        LiquidatorUnauthorized { caller: STRANGER }.abi_encode()
    );
    assert_eq!(t.global().stopped, U256::ZERO);
}

#[test]
fn ward_may_stop_and_only_a_ward_may_restart() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|l| l.stop(U256::from(3)));
    t.ok(|l| l.file(what("stopped"), U256::ZERO));
    assert_eq!(t.global().stopped, U256::ZERO);
}
