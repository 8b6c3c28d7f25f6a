//! Storage, logs, constructor, early exit and transient storage.

use alloy_primitives::{keccak256, Bytes, B256, U256};
use keel_host::prelude::*;
use keel_host::CONSTRUCTOR_SELECTOR;

use super::support::{ask, probes, IProbe, ALICE, DEPLOYER, PROBE};

/// Slot of `values[key]`: `keccak256(key ++ 1)`, the mapping being the probe's second field.
fn value_slot(key: U256) -> B256 {
    keccak256([key.to_be_bytes::<32>(), U256::from(1).to_be_bytes::<32>()].concat())
}

#[test]
fn increments_persist_across_transactions() {
    let (mut host, [probe]) = probes();
    assert_eq!(
        ask(&mut host, probe, &IProbe::incrementCall {}),
        U256::from(1)
    );
    assert_eq!(
        ask(&mut host, probe, &IProbe::incrementCall {}),
        U256::from(2)
    );
    assert_eq!(
        host.view(probe, &IProbe::counterCall {}).unwrap(),
        U256::from(2)
    );
}

#[test]
fn flushed_writes_land_in_the_slots_solidity_layout_gives() {
    let (mut host, [probe]) = probes();
    ask(&mut host, probe, &IProbe::incrementCall {});
    ask(
        &mut host,
        probe,
        &IProbe::setValueCall {
            key: U256::from(9),
            value: U256::from(77),
        },
    );
    assert_eq!(host.storage(probe, B256::ZERO), B256::from(U256::from(1)));
    assert_eq!(
        host.storage(probe, value_slot(U256::from(9))),
        B256::from(U256::from(77))
    );
}

#[test]
fn a_reverted_call_keeps_no_storage_write_and_no_log() {
    let (mut host, [probe]) = probes();
    let call = IProbe::setThenFailCall {
        key: U256::from(1),
        value: U256::from(5),
        code: U256::from(42),
    };
    let receipt = host.call(ALICE, probe, &call).unwrap();
    assert_eq!(receipt.status, Status::Revert);
    assert_eq!(
        receipt.revert_as::<IProbe::ProbeFailed>().unwrap().code,
        U256::from(42)
    );
    assert!(receipt.logs.is_empty());
    assert_eq!(host.storage(probe, value_slot(U256::from(1))), B256::ZERO);
}

#[test]
fn revert_data_decodes_through_the_error_enum() {
    let (mut host, [probe]) = probes();
    let call = IProbe::setThenFailCall {
        key: U256::ZERO,
        value: U256::ZERO,
        code: U256::from(3),
    };
    let receipt = host.call(ALICE, probe, &call).unwrap();
    let error = receipt.revert_as_any::<IProbe::IProbeErrors>().unwrap();
    assert_eq!(
        error,
        IProbe::IProbeErrors::ProbeFailed(IProbe::ProbeFailed {
            code: U256::from(3)
        })
    );
}

#[test]
fn logs_decode_as_typed_events_with_their_emitter() {
    let (mut host, [probe]) = probes();
    let data = Bytes::from_static(b"hello");
    let receipt = host
        .call(
            ALICE,
            probe,
            &IProbe::pingCall {
                id: U256::from(7),
                data: data.clone(),
            },
        )
        .unwrap();
    let pings = receipt.events::<IProbe::Ping>().unwrap();
    assert_eq!(pings.len(), 1);
    assert_eq!(pings[0].address, probe);
    assert_eq!(
        (pings[0].id, pings[0].sender, pings[0].data.data.clone()),
        (U256::from(7), ALICE, data)
    );
}

#[test]
fn the_constructor_runs_at_deployment_with_its_arguments() {
    let mut host = Host::new();
    let probe = host
        .deploy_contract(DEPLOYER, PROBE, Args((U256::from(41),)))
        .unwrap();
    assert_eq!(
        host.view(probe, &IProbe::counterCall {}).unwrap(),
        U256::from(41)
    );
}

#[test]
fn the_sdk_marks_its_constructor_as_run_in_a_storage_flag() {
    let mut host = Host::new();
    let probe = host
        .deploy_contract(DEPLOYER, PROBE, Args((U256::from(41),)))
        .unwrap();
    // stylus-sdk 0.10 keeps a bool at keccak256("stylus_constructor") and refuses to run
    // the constructor again once it is set.
    assert_ne!(
        host.storage(probe, keccak256("stylus_constructor")),
        B256::ZERO
    );
}

#[test]
fn a_second_constructor_call_reverts() {
    let mut host = Host::new();
    let probe = host
        .deploy_contract(DEPLOYER, PROBE, Args((U256::from(41),)))
        .unwrap();
    let mut again = CONSTRUCTOR_SELECTOR.to_vec();
    again.extend_from_slice(&U256::from(5).to_be_bytes::<32>());
    let receipt = host.send(DEPLOYER, probe, U256::ZERO, &again).unwrap();
    assert!(receipt.is_revert());
    assert_eq!(
        host.view(probe, &IProbe::counterCall {}).unwrap(),
        U256::from(41)
    );
}

#[test]
fn a_failing_constructor_deploys_nothing() {
    let mut host = Host::new();
    // The probe's constructor takes one uint256: no arguments at all fail to decode.
    let error = host.deploy_contract(DEPLOYER, PROBE, Args(())).unwrap_err();
    assert!(
        matches!(error, HostError::ConstructorFailed { .. }),
        "{error}"
    );
    let address = keel_host::create_address(DEPLOYER, 0);
    assert!(host.program(address).is_none());
    assert_eq!(host.nonce(DEPLOYER), 1);
}

#[test]
fn exit_early_with_status_zero_succeeds_with_the_raw_result_and_drops_unflushed_writes() {
    let (mut host, [probe]) = probes();
    let data = Bytes::from_static(b"raw bytes, not ABI");
    let receipt = host
        .call(
            ALICE,
            probe,
            &IProbe::exitWithCall {
                status: 0,
                data: data.clone(),
            },
        )
        .unwrap();
    assert!(receipt.is_success());
    assert_eq!(receipt.output, data);
    assert_eq!(
        host.view(probe, &IProbe::counterCall {}).unwrap(),
        U256::ZERO
    );
}

#[test]
fn exit_early_with_a_nonzero_status_reverts_with_the_result() {
    let (mut host, [probe]) = probes();
    let data = Bytes::from_static(b"why");
    let receipt = host
        .call(
            ALICE,
            probe,
            &IProbe::exitWithCall {
                status: 3,
                data: data.clone(),
            },
        )
        .unwrap();
    assert_eq!(receipt.status, Status::Revert);
    assert_eq!(receipt.output, data);
}

#[test]
fn transient_storage_is_visible_within_a_transaction() {
    let (mut host, [probe]) = probes();
    let (key, value) = (B256::repeat_byte(1), B256::repeat_byte(2));
    let call = IProbe::transientRoundTripCall { key, value };
    assert_eq!(ask(&mut host, probe, &call), value);
}

#[test]
fn transient_storage_is_cleared_between_transactions() {
    let (mut host, [probe]) = probes();
    let (key, value) = (B256::repeat_byte(1), B256::repeat_byte(2));
    ask(&mut host, probe, &IProbe::transientStoreCall { key, value });
    assert_eq!(
        ask(&mut host, probe, &IProbe::transientLoadCall { key }),
        B256::ZERO
    );
}
