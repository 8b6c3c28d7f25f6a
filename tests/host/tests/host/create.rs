//! `create1`/`create2` from a contract.

use alloy_primitives::{Bytes, B256, U256};
use keel_host::prelude::*;
use keel_host::{create2_address, create_address, deploy_init_code};

use super::support::{ask, encode, probes, IProbe, ALICE};

fn clone(
    host: &mut Host,
    probe: alloy_primitives::Address,
    use_create2: bool,
    salt: B256,
) -> Receipt<IProbe::cloneSelfCall> {
    let call = IProbe::cloneSelfCall {
        useCreate2: use_create2,
        salt,
        endowment: U256::ZERO,
    };
    host.call(ALICE, probe, &call).unwrap()
}

#[test]
fn create1_deploys_at_the_address_of_the_creator_nonce() {
    let (mut host, [probe]) = probes();
    let expected = create_address(probe, host.nonce(probe));
    let clone = clone(&mut host, probe, false, B256::ZERO)
        .returns()
        .unwrap();
    assert_eq!(clone, expected);
    assert_eq!(host.nonce(probe), 2);
}

#[test]
fn a_created_program_runs_with_fresh_storage_and_the_same_code() {
    let (mut host, [probe]) = probes();
    ask(&mut host, probe, &IProbe::incrementCall {});
    let clone = clone(&mut host, probe, false, B256::ZERO)
        .returns()
        .unwrap();
    assert_eq!(
        ask(&mut host, clone, &IProbe::incrementCall {}),
        U256::from(1)
    );
    let codehash = |host: &Host, a| host.program(a).map(|p| p.codehash());
    assert_eq!(codehash(&host, clone), codehash(&host, probe));
}

#[test]
fn create2_deploys_at_the_salted_address_of_the_init_code() {
    let (mut host, [probe]) = probes();
    let salt = B256::repeat_byte(7);
    let init = deploy_init_code(host.program(probe).unwrap().code());
    let clone = clone(&mut host, probe, true, salt).returns().unwrap();
    assert_eq!(clone, create2_address(probe, salt, &init));
}

#[test]
fn create2_twice_with_the_same_salt_fails() {
    let (mut host, [probe]) = probes();
    let salt = B256::repeat_byte(7);
    clone(&mut host, probe, true, salt).returns().unwrap();
    let again = clone(&mut host, probe, true, salt);
    assert!(again.revert_as::<IProbe::DeployFailed>().is_ok());
}

#[test]
fn create_sends_the_endowment_to_the_new_contract() {
    let (mut host, [probe]) = probes();
    host.fund(probe, U256::from(100));
    let call = IProbe::cloneSelfCall {
        useCreate2: false,
        salt: B256::ZERO,
        endowment: U256::from(30),
    };
    let clone = ask(&mut host, probe, &call);
    assert_eq!(
        (host.balance(clone), host.balance(probe)),
        (U256::from(30), U256::from(70))
    );
}

#[test]
fn init_code_that_reverts_fails_to_deploy_with_its_revert_data() {
    let (mut host, [probe]) = probes();
    // PUSH1 0xAB PUSH0 MSTORE8 PUSH1 1 PUSH0 REVERT: reverts with the one byte 0xAB.
    let reverting = Bytes::from_static(&[0x60, 0xAB, 0x5F, 0x53, 0x60, 0x01, 0x5F, 0xFD]);
    let call = IProbe::deployCall {
        init: reverting,
        useCreate2: false,
        salt: B256::ZERO,
        endowment: U256::ZERO,
    };
    let receipt = host.call(ALICE, probe, &call).unwrap();
    let failed = receipt.revert_as::<IProbe::DeployFailed>().unwrap();
    assert_eq!(failed.data, Bytes::from_static(&[0xAB]));
    assert!(host.code(create_address(probe, 1)).is_empty());
}

#[test]
fn init_code_returning_an_invalid_program_fails_to_deploy() {
    let (mut host, [probe]) = probes();
    let not_wasm = deploy_init_code(&[0xEF, 0xF0, 0x00, 0x00, 0x01, 0x02]);
    let call = IProbe::deployCall {
        init: not_wasm.into(),
        useCreate2: false,
        salt: B256::ZERO,
        endowment: U256::ZERO,
    };
    assert!(host.call(ALICE, probe, &call).unwrap().is_revert());
}

#[test]
fn a_static_call_may_not_create() {
    let (mut host, [a, b]) = probes();
    let create = IProbe::cloneSelfCall {
        useCreate2: false,
        salt: B256::ZERO,
        endowment: U256::ZERO,
    };
    let result = ask(
        &mut host,
        a,
        &IProbe::tryStaticCallCall {
            target: b,
            data: encode(&create),
        },
    );
    assert!(!result.ok);
    assert_eq!(host.nonce(b), 1);
}
