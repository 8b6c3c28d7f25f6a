//! Roles, `file`, `fileAsset`, pausing: who may do what, within which bounds.

use alloy_primitives::{Address, U256};

use super::*;
use crate::{
    errors::*,
    events::{file_address, File},
    params::{setting, AssetParam, Global},
};

const GLOBALS: [Global; 9] = [
    Global::FastDecay,
    Global::SlowDecay,
    Global::MaxVolRate,
    Global::ColdStartVol,
    Global::GracePeriod,
    Global::LiqHorizon,
    Global::K,
    Global::MmFloor,
    Global::ImMultiplier,
];

fn unauthorized(who: Address) -> OracleError {
    OracleError::Unauthorized(OracleUnauthorized { caller: who })
}

#[test]
fn constructor_sets_roles_and_every_default() {
    let env = Env::new();
    assert_eq!(env.account("admin"), ADMIN);
    assert_eq!(env.account("guardian"), GUARDIAN);
    assert_eq!(env.account("pendingAdmin"), Address::ZERO);
    assert!(!env.is_paused());
    for p in GLOBALS {
        assert_eq!(
            env.oracle.parameter(p.name()),
            Ok(p.default_value()),
            "{p:?}"
        );
    }
    assert_eq!(
        env.events::<File>(),
        vec![
            file_address(Address::ZERO, setting::ADMIN, ADMIN),
            file_address(Address::ZERO, setting::GUARDIAN, GUARDIAN)
        ]
    );
}

#[test]
fn constructor_rejects_a_zero_admin() {
    let vm = vm::FeedVm::default();
    let mut oracle = RiskOracle::from(&vm);
    assert_eq!(
        oracle.constructor(Address::ZERO, GUARDIAN),
        Err(OracleError::ZeroAddress(OracleZeroAddress {}))
    );
}

#[test]
fn constructor_without_guardian_leaves_only_the_admin() {
    let vm = vm::FeedVm::default();
    let mut oracle = RiskOracle::from(&vm);
    assert_eq!(oracle.constructor(ADMIN, Address::ZERO), Ok(()));
    assert_eq!(oracle.roles().2, Address::ZERO);
    assert_eq!(vm.vm.get_emitted_logs().len(), 1, "only the admin's File");
}

#[test]
fn file_sets_each_global_within_bounds_and_emits_file() {
    let mut env = Env::new();
    for p in GLOBALS {
        let (min, max) = p.bounds();
        for data in [min, max] {
            env.clear_logs();
            assert_eq!(env.oracle.file(p.name(), data), Ok(()), "{p:?}");
            assert_eq!(env.oracle.parameter(p.name()), Ok(data));
            assert_eq!(
                env.events::<File>(),
                vec![File {
                    asset: Address::ZERO,
                    what: p.name(),
                    data
                }]
            );
        }
    }
}

#[test]
fn file_rejects_values_outside_bounds_naming_the_bound() {
    let mut env = Env::new();
    for p in GLOBALS {
        let (min, max) = p.bounds();
        let mut outside = vec![max + U256::from(1)];
        if !min.is_zero() {
            outside.push(min - U256::from(1));
        }
        for data in outside {
            assert_eq!(
                env.oracle.file(p.name(), data),
                Err(OracleError::ParameterOutOfBounds(
                    OracleParameterOutOfBounds {
                        what: p.name(),
                        data,
                        min,
                        max
                    }
                )),
                "{p:?}"
            );
            assert_eq!(env.oracle.parameter(p.name()), Ok(p.default_value()));
        }
    }
    assert_eq!(env.log_count(), 2, "only the constructor's role events");
}

#[test]
fn file_rejects_an_unknown_name() {
    let mut env = Env::new();
    let what = what("heartbeat"); // per-asset, not global
    assert_eq!(
        env.oracle.file(what, U256::from(1)),
        Err(OracleError::UnknownParameter(OracleUnknownParameter {
            what
        }))
    );
    assert_eq!(
        env.oracle.parameter(what),
        Err(OracleError::UnknownParameter(OracleUnknownParameter {
            what
        }))
    );
}

#[test]
fn file_from_anyone_but_the_admin_is_unauthorized() {
    let mut env = Env::new();
    for who in [GUARDIAN, KEEPER, MALLORY] {
        env.caller(who);
        assert_eq!(
            env.oracle.file(Global::K.name(), WAD),
            Err(unauthorized(who))
        );
    }
    assert_eq!(env.param("k"), Global::K.default_value());
}

#[test]
fn file_asset_sets_heartbeat_and_max_jump() {
    let mut env = Env::listed();
    assert_eq!(
        env.oracle
            .file_asset(WETH, what("heartbeat"), U256::from(86_400)),
        Ok(())
    );
    assert_eq!(env.oracle.file_asset(WETH, what("maxJump"), WAD), Ok(()));
    let info = env.oracle.asset_info(WETH);
    assert_eq!((info.2, info.3), (U256::from(86_400), WAD));
    assert_eq!(info.0, FEED, "the feed is untouched");
    assert_eq!(
        env.events::<File>(),
        vec![
            File {
                asset: WETH,
                what: what("heartbeat"),
                data: U256::from(86_400)
            },
            File {
                asset: WETH,
                what: what("maxJump"),
                data: WAD
            },
        ]
    );
}

#[test]
fn file_asset_rejects_out_of_bounds_unknown_names_and_unknown_assets() {
    let mut env = Env::listed();
    for p in [AssetParam::Heartbeat, AssetParam::MaxJump] {
        let (min, max) = p.bounds();
        for data in [min - U256::from(1), max + U256::from(1)] {
            assert_eq!(
                env.oracle.file_asset(WETH, p.name(), data),
                Err(OracleError::ParameterOutOfBounds(
                    OracleParameterOutOfBounds {
                        what: p.name(),
                        data,
                        min,
                        max
                    }
                ))
            );
        }
    }
    let k = what("k");
    assert_eq!(
        env.oracle.file_asset(WETH, k, WAD),
        Err(OracleError::UnknownParameter(OracleUnknownParameter {
            what: k
        }))
    );
    assert_eq!(
        env.oracle
            .file_asset(FEED, what("heartbeat"), U256::from(60)),
        Err(OracleError::UnknownAsset(OracleUnknownAsset {
            asset: FEED
        }))
    );
    assert_eq!(env.log_count(), 0);
}

#[test]
fn file_asset_from_anyone_but_the_admin_is_unauthorized() {
    let mut env = Env::listed();
    for who in [GUARDIAN, MALLORY] {
        env.caller(who);
        assert_eq!(
            env.oracle.file_asset(WETH, what("maxJump"), WAD),
            Err(unauthorized(who))
        );
    }
}

#[test]
fn set_feed_and_set_sequencer_feed_from_anyone_but_the_admin_are_unauthorized() {
    let mut env = Env::new();
    env.set_price(FEED, 1, 3_000_00, T0);
    for who in [GUARDIAN, MALLORY] {
        env.caller(who);
        assert_eq!(
            env.oracle
                .set_feed(WETH, FEED, U256::from(HEARTBEAT), U256::from(MAX_JUMP)),
            Err(unauthorized(who))
        );
        assert_eq!(env.oracle.set_sequencer_feed(FEED), Err(unauthorized(who)));
    }
    assert_eq!(env.oracle.asset_info(WETH).0, Address::ZERO);
}

#[test]
fn guardian_can_pause_poke() {
    let mut env = Env::listed();
    env.caller(GUARDIAN);
    assert_eq!(env.oracle.pause(), Ok(()));
    assert!(env.is_paused());
    assert_eq!(
        env.events::<File>(),
        vec![File {
            asset: Address::ZERO,
            what: setting::PAUSED,
            data: U256::from(1)
        }]
    );
    env.set_price(FEED, 2, 3_010_00, T0 + 60);
    env.at(T0 + 60);
    assert_eq!(
        env.oracle.poke(WETH),
        Err(OracleError::Paused(OraclePaused {}))
    );
}

#[test]
fn admin_can_pause_too() {
    let mut env = Env::new();
    env.clear_logs();
    assert_eq!(env.oracle.pause(), Ok(()));
    assert_eq!(
        env.events::<File>(),
        vec![File {
            asset: Address::ZERO,
            what: setting::PAUSED,
            data: U256::from(1)
        }]
    );
}

#[test]
fn pause_from_anyone_else_is_unauthorized() {
    let mut env = Env::new();
    for who in [KEEPER, MALLORY] {
        env.caller(who);
        assert_eq!(env.oracle.pause(), Err(unauthorized(who)));
    }
    assert!(!env.is_paused());
}

#[test]
fn pausing_twice_is_rejected() {
    let mut env = Env::new();
    env.caller(GUARDIAN);
    assert_eq!(env.oracle.pause(), Ok(()));
    assert_eq!(
        env.oracle.pause(),
        Err(OracleError::Paused(OraclePaused {}))
    );
}

#[test]
fn guardian_cannot_unpause() {
    let mut env = Env::new();
    env.caller(GUARDIAN);
    assert_eq!(env.oracle.pause(), Ok(()));
    assert_eq!(env.oracle.unpause(), Err(unauthorized(GUARDIAN)));
    assert!(env.is_paused());
}

#[test]
fn admin_unpauses_and_poke_works_again() {
    let mut env = Env::listed();
    assert_eq!(env.oracle.pause(), Ok(()));
    env.clear_logs();
    assert_eq!(env.oracle.unpause(), Ok(()));
    assert_eq!(
        env.events::<File>(),
        vec![File {
            asset: Address::ZERO,
            what: setting::PAUSED,
            data: U256::ZERO
        }]
    );
    env.set_price(FEED, 2, 3_010_00, T0 + 60);
    env.at(T0 + 60);
    assert!(env.oracle.poke(WETH).is_ok());
}

#[test]
fn unpausing_when_not_paused_is_rejected() {
    let mut env = Env::new();
    assert_eq!(
        env.oracle.unpause(),
        Err(OracleError::NotPaused(OracleNotPaused {}))
    );
}

#[test]
fn guardian_can_do_nothing_but_pause() {
    let mut env = Env::listed();
    env.caller(GUARDIAN);
    assert_eq!(
        env.oracle.file(Global::K.name(), WAD),
        Err(unauthorized(GUARDIAN))
    );
    assert_eq!(
        env.oracle.file_asset(WETH, what("maxJump"), WAD),
        Err(unauthorized(GUARDIAN))
    );
    assert_eq!(
        env.oracle.set_sequencer_feed(Address::ZERO),
        Err(unauthorized(GUARDIAN))
    );
    assert_eq!(
        env.oracle.propose_role(setting::ADMIN, GUARDIAN),
        Err(unauthorized(GUARDIAN))
    );
    assert_eq!(
        env.oracle.propose_role(setting::GUARDIAN, MALLORY),
        Err(unauthorized(GUARDIAN))
    );
    assert_eq!(env.oracle.unpause(), Err(unauthorized(GUARDIAN)));
}

#[test]
fn admin_moves_in_two_steps() {
    let mut env = Env::new();
    env.clear_logs();
    assert_eq!(env.oracle.propose_role(setting::ADMIN, KEEPER), Ok(()));
    assert_eq!(
        env.events::<File>(),
        vec![file_address(Address::ZERO, setting::PENDING_ADMIN, KEEPER)]
    );
    assert_eq!(
        env.account("admin"),
        ADMIN,
        "nothing changes before acceptance"
    );
    assert_eq!(env.account("pendingAdmin"), KEEPER);
    env.clear_logs();
    env.caller(KEEPER);
    assert_eq!(env.oracle.accept_role(setting::ADMIN), Ok(()));
    assert_eq!(env.account("admin"), KEEPER);
    assert_eq!(env.account("pendingAdmin"), Address::ZERO);
    assert_eq!(
        env.events::<File>(),
        vec![file_address(Address::ZERO, setting::ADMIN, KEEPER)]
    );
    // The new admin holds the power; the old one lost it.
    assert_eq!(env.oracle.file(Global::K.name(), WAD), Ok(()));
    env.caller(ADMIN);
    assert_eq!(
        env.oracle.file(Global::K.name(), WAD),
        Err(unauthorized(ADMIN))
    );
}

#[test]
fn only_the_proposed_account_can_accept_admin() {
    let mut env = Env::new();
    assert_eq!(env.oracle.propose_role(setting::ADMIN, KEEPER), Ok(()));
    for who in [MALLORY, GUARDIAN, ADMIN] {
        env.caller(who);
        assert_eq!(
            env.oracle.accept_role(setting::ADMIN),
            Err(unauthorized(who))
        );
    }
    assert_eq!(env.account("admin"), ADMIN);
}

#[test]
fn proposing_zero_cancels_a_proposal() {
    let mut env = Env::new();
    assert_eq!(env.oracle.propose_role(setting::ADMIN, KEEPER), Ok(()));
    assert_eq!(
        env.oracle.propose_role(setting::ADMIN, Address::ZERO),
        Ok(())
    );
    env.caller(KEEPER);
    assert_eq!(
        env.oracle.accept_role(setting::ADMIN),
        Err(unauthorized(KEEPER))
    );
}

#[test]
fn proposing_admin_from_anyone_but_the_admin_is_unauthorized() {
    let mut env = Env::new();
    env.caller(MALLORY);
    assert_eq!(
        env.oracle.propose_role(setting::ADMIN, MALLORY),
        Err(unauthorized(MALLORY))
    );
    assert_eq!(env.account("pendingAdmin"), Address::ZERO);
}

#[test]
fn guardian_moves_in_two_steps_appointed_by_the_admin() {
    let mut env = Env::new();
    assert_eq!(env.oracle.propose_role(setting::GUARDIAN, KEEPER), Ok(()));
    assert_eq!(env.account("pendingGuardian"), KEEPER);
    assert_eq!(env.account("guardian"), GUARDIAN);
    env.caller(MALLORY);
    assert_eq!(
        env.oracle.accept_role(setting::GUARDIAN),
        Err(unauthorized(MALLORY))
    );
    env.clear_logs();
    env.caller(KEEPER);
    assert_eq!(env.oracle.accept_role(setting::GUARDIAN), Ok(()));
    assert_eq!(env.account("guardian"), KEEPER);
    assert_eq!(env.account("pendingGuardian"), Address::ZERO);
    assert_eq!(
        env.events::<File>(),
        vec![file_address(Address::ZERO, setting::GUARDIAN, KEEPER)]
    );
    // The old guardian can no longer pause.
    env.caller(GUARDIAN);
    assert_eq!(env.oracle.pause(), Err(unauthorized(GUARDIAN)));
}

#[test]
fn proposing_or_accepting_an_unknown_role_is_rejected() {
    let mut env = Env::new();
    let role = what("owner");
    let unknown = Err(OracleError::UnknownParameter(OracleUnknownParameter {
        what: role,
    }));
    assert_eq!(env.oracle.propose_role(role, KEEPER), unknown);
    env.caller(KEEPER);
    assert_eq!(env.oracle.accept_role(role), unknown);
}

#[test]
fn proposing_guardian_from_anyone_but_the_admin_is_unauthorized() {
    let mut env = Env::new();
    env.caller(GUARDIAN);
    assert_eq!(
        env.oracle.propose_role(setting::GUARDIAN, MALLORY),
        Err(unauthorized(GUARDIAN))
    );
    env.caller(MALLORY);
    assert_eq!(
        env.oracle.propose_role(setting::GUARDIAN, MALLORY),
        Err(unauthorized(MALLORY))
    );
}
