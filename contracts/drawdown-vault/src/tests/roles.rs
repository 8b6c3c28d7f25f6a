//! Roles and governance: every role-gated function from the wrong caller, `file`'s names and
//! bounds, the guardian's pause.

use alloy_primitives::{B256, U256};
use alloy_sol_types::SolError;
use keel_math::WAD;

use super::*;
use crate::{errors, events, params};

fn unauthorized(who: Address) -> Vec<u8> {
    errors::VaultUnauthorized { caller: who }.abi_encode()
}

fn bounds(what: &str, data: U256, min: U256, max: U256) -> Vec<u8> {
    errors::VaultParameterOutOfBounds {
        what: name(what),
        data,
        min,
        max,
    }
    .abi_encode()
}

#[test]
fn the_constructor_opens_the_account_and_sets_the_defaults() {
    let t = Fixture::deployed();
    let s = t.vault.state();
    assert_eq!(s[7], ACCOUNT);
    assert_eq!(
        t.world.chain.borrow().engine.accounts[&ACCOUNT].owner,
        t.this()
    );
    assert!(t.vault.wards(ADMIN));
    assert_eq!(t.vault.high_water_mark(), WAD);
    assert_eq!(
        t.vault.params(),
        [
            pct(20),
            pct(10),
            wad(4),
            pct(1),
            wad(3),
            U256::from(86_400),
            params::U128_MAX,
            U256::ZERO,
            U256::ZERO,
            params::U128_MAX
        ]
    );
    assert_eq!(t.last::<events::Rely>().usr, ADMIN);
}

#[test]
fn a_quote_with_more_than_18_decimals_is_refused() {
    let world = world::World::default();
    {
        let mut chain = world.chain.borrow_mut();
        chain.engine_address = ENGINE;
        chain.tokens.insert(
            QUOTE,
            Token {
                decimals: 19,
                ..Token::default()
            },
        );
    }
    let mut vault = DrawdownVault::from(&world);
    let e = err(vault.constructor(QUOTE, ENGINE, ORACLE, MODEL, MARKET, ADMIN));
    assert_eq!(
        e,
        errors::VaultUnsupportedDecimals { decimals: 19 }.abi_encode()
    );
}

#[test]
fn only_wards_govern() {
    let mut t = Fixture::new();
    for who in [STRANGER, STRATEGIST, GUARDIAN] {
        t.as_(who);
        assert_eq!(err(t.vault.rely(who)), unauthorized(who));
        assert_eq!(err(t.vault.deny(ADMIN)), unauthorized(who));
        assert_eq!(
            err(t.vault.file(name("tipCap"), U256::from(1))),
            unauthorized(who)
        );
        assert_eq!(
            err(t.vault.file(name("paused"), U256::ZERO)),
            unauthorized(who)
        );
        assert_eq!(
            err(t.vault.file_address(name("guardian"), who)),
            unauthorized(who)
        );
        assert_eq!(err(t.vault.reset()), unauthorized(who));
    }
    assert!(t.vault.wards(ADMIN) && !t.vault.wards(STRANGER));
}

#[test]
fn rely_and_deny_change_the_wards_and_log_it() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|v| v.rely(BOB));
    assert!(t.vault.wards(BOB));
    t.as_(BOB);
    t.ok(|v| v.deny(ADMIN));
    assert!(!t.vault.wards(ADMIN));
    assert_eq!(t.last::<events::Deny>().usr, ADMIN);
    t.as_(ADMIN);
    assert_eq!(err(t.vault.rely(ADMIN)), unauthorized(ADMIN));
}

#[test]
fn only_the_strategist_sets_the_target_and_within_the_bound() {
    let mut t = Fixture::new();
    for who in [STRANGER, ADMIN, GUARDIAN] {
        t.as_(who);
        assert_eq!(err(t.vault.set_target(false, WAD)), unauthorized(who));
    }
    t.as_(STRATEGIST);
    let e = err(t.vault.set_target(true, wad(3) + U256::from(1)));
    assert_eq!(
        e,
        bounds("leverage", wad(3) + U256::from(1), U256::ZERO, wad(3))
    );
    t.ok(|v| v.set_target(false, wad(3)));
    let e = t.last::<events::Target>();
    assert_eq!((e.isLong, e.leverage), (false, wad(3)));
    // Without a strategist nobody sets it.
    t.as_(ADMIN);
    t.ok(|v| v.file_address(name("strategist"), Address::ZERO));
    t.as_(Address::ZERO);
    assert_eq!(
        err(t.vault.set_target(true, WAD)),
        unauthorized(Address::ZERO)
    );
}

#[test]
fn the_guardian_may_only_add_pause_bits() {
    let mut t = Fixture::new();
    t.as_(STRANGER);
    assert_eq!(err(t.vault.pause(U256::from(1))), unauthorized(STRANGER));
    t.as_(STRATEGIST);
    assert_eq!(err(t.vault.pause(U256::from(1))), unauthorized(STRATEGIST));
    t.as_(GUARDIAN);
    t.ok(|v| v.pause(U256::from(1)));
    t.ok(|v| v.pause(U256::from(2)));
    assert_eq!(t.status().0, U256::from(3));
    let e = t.last::<events::Pause>();
    assert_eq!((e.by, e.flags), (GUARDIAN, U256::from(3)));
    t.ok(|v| v.pause(U256::ZERO));
    assert_eq!(
        t.status().0,
        U256::from(3),
        "pausing nothing unpauses nothing"
    );
    assert_eq!(
        err(t.vault.pause(U256::from(4))),
        bounds("paused", U256::from(4), U256::ZERO, U256::from(3))
    );
    assert_eq!(
        err(t.vault.file(name("paused"), U256::ZERO)),
        unauthorized(GUARDIAN)
    );
    t.set("paused", U256::ZERO);
    assert_eq!(t.status().0, U256::ZERO);
}

#[test]
fn deposits_are_refused_while_paused_with_the_standard_error() {
    let mut t = Fixture::new();
    t.as_(GUARDIAN);
    t.ok(|v| v.pause(U256::from(1)));
    t.fund(ALICE, usdc(10));
    t.as_(ALICE);
    let e = errors::ERC4626ExceededMaxDeposit {
        receiver: ALICE,
        assets: usdc(10),
        max: U256::ZERO,
    };
    assert_eq!(err(t.vault.deposit(usdc(10), ALICE)), e.abi_encode());
}

#[test]
fn file_sets_each_parameter_within_its_bounds_and_logs_it() {
    let mut t = Fixture::new();
    for (i, p) in params::PARAMS.iter().enumerate() {
        let value = if p.max > p.min {
            p.max - U256::from(1)
        } else {
            p.max
        };
        // The drawdown pair must keep soft < max: set them in an order that allows it.
        if p.name == name("softDrawdown") || p.name == name("maxDrawdown") {
            continue;
        }
        t.as_(ADMIN);
        t.ok(|v| v.file(p.name, value));
        assert_eq!(t.vault.params()[i], value);
        let e = t.last::<events::File>();
        assert_eq!((e.what, e.data), (p.name, value));
        if p.max < U256::MAX {
            let e = err(t.vault.file(p.name, p.max + U256::from(1)));
            assert_eq!(
                e,
                errors::VaultParameterOutOfBounds {
                    what: p.name,
                    data: p.max + U256::from(1),
                    min: p.min,
                    max: p.max
                }
                .abi_encode()
            );
        }
    }
    t.as_(ADMIN);
    let unknown = errors::VaultUnknownParameter { what: name("nope") }.abi_encode();
    assert_eq!(err(t.vault.file(name("nope"), U256::ZERO)), unknown);
    assert_eq!(
        err(t.vault.file(B256::ZERO, U256::ZERO)),
        errors::VaultUnknownParameter { what: B256::ZERO }.abi_encode()
    );
    let unknown = errors::VaultUnknownParameter {
        what: name("oracle"),
    }
    .abi_encode();
    assert_eq!(err(t.vault.file_address(name("oracle"), STRANGER)), unknown);
}

#[test]
fn the_soft_band_must_start_below_the_hard_cap() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    let e = err(t.vault.file(name("softDrawdown"), pct(20)));
    assert_eq!(
        e,
        bounds("softDrawdown", pct(20), U256::ZERO, pct(20) - U256::from(1))
    );
    let e = err(t.vault.file(name("maxDrawdown"), pct(10)));
    assert_eq!(
        e,
        bounds("maxDrawdown", pct(10), pct(10) + U256::from(1), pct(99))
    );
    t.ok(|v| v.file(name("maxDrawdown"), pct(30)));
    t.ok(|v| v.file(name("softDrawdown"), pct(25)));
    assert_eq!(&t.vault.params()[..2], &[pct(30), pct(25)]);
}

#[test]
fn file_address_sets_the_roles_and_logs_it() {
    let mut t = Fixture::new();
    t.as_(ADMIN);
    t.ok(|v| v.file_address(name("guardian"), BOB));
    let e = t.last::<events::FileAddress>();
    assert_eq!((e.what, e.data), (name("guardian"), BOB));
    assert_eq!(t.vault.state()[5], U256::from_be_bytes(BOB.into_word().0));
    t.as_(GUARDIAN);
    assert_eq!(err(t.vault.pause(U256::from(1))), unauthorized(GUARDIAN));
}

#[test]
fn rebalance_and_poke_are_open_to_anyone() {
    let mut t = Fixture::new();
    t.deposit(ALICE, usdc(1_000));
    t.as_(STRANGER);
    t.ok(|v| v.poke());
    t.ok(|v| v.rebalance(U256::ZERO, U256::from(T0)));
    assert!(!t.account().size.is_zero());
}
