//! Nested, static and delegate calls: value, return and revert data, rollback, gas.

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{SolCall, SolError};
use keel_host::prelude::*;

use super::support::{ask, encode, probes, IProbe, ALICE};

const CAROL: Address = Address::repeat_byte(0xC0);

#[test]
fn a_nested_call_sees_the_calling_contract_as_sender_and_the_origin_unchanged() {
    let (mut host, [a, b]) = probes();
    let call = IProbe::forwardCall {
        target: b,
        value: U256::ZERO,
        data: encode(&IProbe::messageInfoCall {}),
    };
    let output = ask(&mut host, a, &call);
    let info = IProbe::messageInfoCall::abi_decode_returns(&output).unwrap();
    assert_eq!(
        (info.sender, info.origin, info.reentrant),
        (a, ALICE, false)
    );
}

#[test]
fn value_flows_through_nested_calls() {
    let (mut host, [a, b]) = probes();
    let call = IProbe::forwardCall {
        target: b,
        value: U256::from(10),
        data: encode(&IProbe::messageInfoCall {}),
    };
    let receipt = host
        .call_with_value(ALICE, a, U256::from(10), &call)
        .unwrap();
    let info = IProbe::messageInfoCall::abi_decode_returns(&receipt.returns().unwrap()).unwrap();
    assert_eq!(info.value, U256::from(10));
    assert_eq!(
        (host.balance(a), host.balance(b)),
        (U256::ZERO, U256::from(10))
    );
}

#[test]
fn a_call_with_value_to_an_account_without_code_is_a_plain_transfer() {
    let (mut host, [a]) = probes();
    host.fund(a, U256::from(9));
    let call = IProbe::forwardCall {
        target: CAROL,
        value: U256::from(4),
        data: Bytes::new(),
    };
    assert!(ask(&mut host, a, &call).is_empty());
    assert_eq!(host.balance(CAROL), U256::from(4));
}

#[test]
fn a_call_sending_more_than_the_contract_holds_fails_without_moving_anything() {
    let (mut host, [a]) = probes();
    let call = IProbe::tryCallCall {
        target: CAROL,
        value: U256::from(1),
        gas: u64::MAX,
        data: Bytes::new(),
    };
    assert!(!ask(&mut host, a, &call).ok);
    assert_eq!(host.balance(CAROL), U256::ZERO);
}

#[test]
fn revert_data_of_a_failed_callee_reaches_the_caller() {
    let (mut host, [a, b]) = probes();
    let failing = IProbe::setThenFailCall {
        key: U256::from(1),
        value: U256::from(2),
        code: U256::from(99),
    };
    let call = IProbe::tryCallCall {
        target: b,
        value: U256::ZERO,
        gas: u64::MAX,
        data: encode(&failing),
    };
    let result = ask(&mut host, a, &call);
    assert!(!result.ok);
    assert_eq!(
        IProbe::ProbeFailed::abi_decode(&result.output)
            .unwrap()
            .code,
        U256::from(99)
    );
    assert_eq!(
        host.view(b, &IProbe::valueOfCall { key: U256::from(1) })
            .unwrap(),
        U256::ZERO
    );
}

#[test]
fn a_reverting_callee_rolls_back_only_its_own_writes_and_logs() {
    let (mut host, [a, b]) = probes();
    ask(&mut host, a, &IProbe::incrementCall {});
    let failing = IProbe::setThenFailCall {
        key: U256::from(1),
        value: U256::from(2),
        code: U256::ZERO,
    };
    let call = IProbe::tryCallCall {
        target: b,
        value: U256::ZERO,
        gas: u64::MAX,
        data: encode(&failing),
    };
    let receipt = host.call(ALICE, a, &call).unwrap();
    assert!(receipt.is_success());
    assert!(receipt.logs.is_empty());
    assert_eq!(
        host.view(a, &IProbe::counterCall {}).unwrap(),
        U256::from(1)
    );
}

#[test]
fn a_reverting_caller_rolls_back_the_writes_of_callees_that_succeeded() {
    let (mut host, [a, b]) = probes();
    let call = IProbe::callThenFailCall {
        target: b,
        data: encode(&IProbe::incrementCall {}),
        code: U256::from(1),
    };
    let receipt = host.call(ALICE, a, &call).unwrap();
    assert!(receipt.is_revert());
    assert_eq!(host.view(a, &IProbe::counterCall {}).unwrap(), U256::ZERO);
    assert_eq!(host.view(b, &IProbe::counterCall {}).unwrap(), U256::ZERO);
}

#[test]
fn a_static_call_may_read() {
    let (mut host, [a, b]) = probes();
    ask(&mut host, b, &IProbe::incrementCall {});
    let result = ask(
        &mut host,
        a,
        &IProbe::tryStaticCallCall {
            target: b,
            data: encode(&IProbe::counterCall {}),
        },
    );
    assert!(result.ok);
    assert_eq!(
        IProbe::counterCall::abi_decode_returns(&result.output).unwrap(),
        U256::from(1)
    );
}

#[test]
fn a_static_call_may_not_write_storage() {
    let (mut host, [a, b]) = probes();
    let result = ask(
        &mut host,
        a,
        &IProbe::tryStaticCallCall {
            target: b,
            data: encode(&IProbe::incrementCall {}),
        },
    );
    assert!(!result.ok);
    assert_eq!(host.view(b, &IProbe::counterCall {}).unwrap(), U256::ZERO);
}

#[test]
fn a_static_call_may_not_emit_logs() {
    let (mut host, [a, b]) = probes();
    let ping = IProbe::pingCall {
        id: U256::ZERO,
        data: Bytes::new(),
    };
    let receipt = host
        .call(
            ALICE,
            a,
            &IProbe::tryStaticCallCall {
                target: b,
                data: encode(&ping),
            },
        )
        .unwrap();
    assert!(!receipt.returns().unwrap().ok);
    assert!(receipt.logs.is_empty());
}

#[test]
fn a_static_call_may_not_move_value_or_write_transient_storage() {
    let (mut host, [a, b]) = probes();
    host.fund(b, U256::from(5));
    let pay = IProbe::forwardCall {
        target: CAROL,
        value: U256::from(1),
        data: Bytes::new(),
    };
    let tstore = IProbe::transientStoreCall {
        key: Default::default(),
        value: Default::default(),
    };
    for inner in [encode(&pay), encode(&tstore)] {
        assert!(
            !ask(
                &mut host,
                a,
                &IProbe::tryStaticCallCall {
                    target: b,
                    data: inner
                }
            )
            .ok
        );
    }
    assert_eq!(host.balance(CAROL), U256::ZERO);
}

#[test]
fn a_delegate_call_runs_the_callee_code_on_the_caller_storage_and_message() {
    let (mut host, [a, b]) = probes();
    let bump = ask(
        &mut host,
        a,
        &IProbe::tryDelegateCallCall {
            target: b,
            data: encode(&IProbe::incrementCall {}),
        },
    );
    assert!(bump.ok);
    assert_eq!(
        host.view(a, &IProbe::counterCall {}).unwrap(),
        U256::from(1)
    );
    assert_eq!(host.view(b, &IProbe::counterCall {}).unwrap(), U256::ZERO);
    let info = ask(
        &mut host,
        a,
        &IProbe::tryDelegateCallCall {
            target: b,
            data: encode(&IProbe::messageInfoCall {}),
        },
    );
    let info = IProbe::messageInfoCall::abi_decode_returns(&info.output).unwrap();
    assert_eq!((info.sender, info.reentrant), (ALICE, false));
}

#[test]
fn return_data_is_read_as_the_overlap_of_the_requested_window() {
    let (mut host, [a, b]) = probes();
    let window = |host: &mut Host, offset: u64, size: u64| {
        let call = IProbe::returnDataWindowCall {
            target: b,
            data: encode(&IProbe::counterCall {}),
            offset: U256::from(offset),
            size: U256::from(size),
        };
        ask(host, a, &call)
    };
    let whole = window(&mut host, 0, 32);
    assert_eq!((whole.total, whole.window.len()), (U256::from(32), 32));
    assert_eq!(window(&mut host, 16, 32).window.len(), 16);
    assert!(window(&mut host, 40, 8).window.is_empty());
}

#[test]
fn a_callee_out_of_gas_fails_alone_and_its_gas_is_spent() {
    let (mut host, [a, b]) = probes();
    let spin = encode(&IProbe::spinCall {
        rounds: U256::from(1_000_000u64),
    });
    let call = IProbe::tryCallCall {
        target: b,
        value: U256::ZERO,
        gas: 200_000,
        data: spin,
    };
    let receipt = host.call(ALICE, a, &call).unwrap();
    assert!(!receipt.returns().unwrap().ok);
    assert!(
        receipt.gas_used > 200_000,
        "the callee's whole allowance is consumed: {}",
        receipt.gas_used
    );
}

#[test]
fn a_transaction_out_of_gas_reports_it_and_keeps_nothing() {
    let (mut host, [a]) = probes();
    host.schedule_mut().tx_gas_limit = 100_000;
    let receipt = host
        .call(
            ALICE,
            a,
            &IProbe::spinCall {
                rounds: U256::from(1_000_000u64),
            },
        )
        .unwrap();
    assert_eq!(receipt.status, Status::OutOfGas);
    assert_eq!(receipt.gas_used, 100_000);
}

#[test]
fn calling_an_account_without_code_succeeds_with_empty_output() {
    let (mut host, [_]) = probes();
    let receipt = host.send(ALICE, CAROL, U256::ZERO, &[1, 2, 3, 4]).unwrap();
    assert!(receipt.is_success());
    assert!(receipt.output.is_empty());
}
