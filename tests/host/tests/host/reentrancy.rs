//! Reentry into a contract already on the call stack.

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{SolCall, SolError};
use keel_host::prelude::*;

use super::support::{ask, encode, probes, IProbe, ALICE, DEPLOYER};

/// A raw program that, called with no calldata, returns the one byte `msg_reentrant()`;
/// called with `target ++ calldata`, calls `target` and returns its output and status.
const REENTRY_REPORTER: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "msg_reentrant" (func $msg_reentrant (result i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $read_return_data (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $status i32)
    (if (i32.eqz (local.get $len))
      (then
        (i32.store8 (i32.const 0) (call $msg_reentrant))
        (call $write_result (i32.const 0) (i32.const 1))
        (return (i32.const 0))))
    (call $read_args (i32.const 0))
    (local.set $status
      (call $call (i32.const 0) (i32.const 20) (i32.sub (local.get $len) (i32.const 20))
                  (i32.const 8192) (i64.const -1) (i32.const 8256)))
    (call $write_result (i32.const 16384)
      (call $read_return_data (i32.const 16384) (i32.const 0) (i32.load (i32.const 8256))))
    (local.get $status)))
"#;

fn reporter(host: &mut Host) -> Address {
    let wasm = wat::parse_str(REENTRY_REPORTER).expect("valid WAT");
    host.deploy_wasm(DEPLOYER, "reentry_reporter", &wasm, NoConstructor)
        .expect("activates")
}

#[test]
fn msg_reentrant_is_false_on_first_entry() {
    let (mut host, [_]) = probes();
    let reporter = reporter(&mut host);
    let receipt = host.send(ALICE, reporter, U256::ZERO, &[]).unwrap();
    assert_eq!(receipt.output, Bytes::from_static(&[0]));
}

#[test]
fn msg_reentrant_is_true_when_the_contract_is_already_on_the_stack() {
    let (mut host, [probe]) = probes();
    let reporter = reporter(&mut host);
    let back = IProbe::forwardCall {
        target: reporter,
        value: U256::ZERO,
        data: Bytes::new(),
    };
    let args = [probe.as_slice(), &back.abi_encode()].concat();
    let receipt = host.send(ALICE, reporter, U256::ZERO, &args).unwrap();
    assert!(receipt.is_success());
    let inner = IProbe::forwardCall::abi_decode_returns(&receipt.output).unwrap();
    assert_eq!(inner, Bytes::from_static(&[1]));
}

#[test]
fn an_sdk_contract_reverts_on_reentry_by_itself() {
    let (mut host, [a, b]) = probes();
    let back_into_a = IProbe::forwardCall {
        target: a,
        value: U256::ZERO,
        data: encode(&IProbe::counterCall {}),
    };
    let call = IProbe::tryCallCall {
        target: b,
        value: U256::ZERO,
        gas: u64::MAX,
        data: encode(&back_into_a),
    };
    let result = ask(&mut host, a, &call);
    assert!(!result.ok);
    // b saw a's reentered frame fail with empty revert data and bubbled it up.
    assert_eq!(
        IProbe::CallFailed::abi_decode(&result.output).unwrap().data,
        Bytes::new()
    );
}

/// A raw program that calls itself with all the gas it may forward and returns, as a
/// little-endian u32, how many frames deep the recursion went below and including it.
const RECURSER: &str = r#"
(module
  (import "vm_hooks" "contract_address" (func $this (param i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $read_return_data (param i32 i32 i32) (result i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param i32) (result i32)
    (call $this (i32.const 0))
    (if (i32.eqz (call $call (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 64) (i64.const -1) (i32.const 96)))
      (then (drop (call $read_return_data (i32.const 100) (i32.const 0) (i32.const 4)))))
    (i32.store (i32.const 100) (i32.add (i32.load (i32.const 100)) (i32.const 1)))
    (call $write_result (i32.const 100) (i32.const 4))
    (i32.const 0)))
"#;

#[test]
fn unbounded_recursion_ends_in_a_failed_inner_call_not_a_crash() {
    let mut host = Host::new();
    let wasm = wat::parse_str(RECURSER).expect("valid WAT");
    let recurser = host
        .deploy_wasm(DEPLOYER, "recurser", &wasm, NoConstructor)
        .expect("activates");
    let receipt = host.send(ALICE, recurser, U256::ZERO, &[]).unwrap();
    assert!(receipt.is_success(), "{:?}", receipt.status);
    let depth = u32::from_le_bytes(receipt.output[..4].try_into().unwrap());
    // The 63/64 rule and the cost of starting each frame stop it a few hundred frames down.
    assert!(depth > 100, "recursion stopped at depth {depth}");
}
