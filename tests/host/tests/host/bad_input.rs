//! Modules that break an activation rule, and calls a program cannot make sense of: each a
//! typed error or a failed receipt, never a panic of the host.

use alloy_primitives::U256;
use keel_host::activation::{activate, Count, Feature, Rule};
use keel_host::prelude::*;

use super::support::{probes, ALICE, DEPLOYER};

const ENTRY: &str = r#"(func (export "user_entrypoint") (param i32) (result i32) i32.const 0)"#;
const MEMORY: &str = r#"(memory (export "memory") 1)"#;

/// A module made of `parts`, with the valid memory and entrypoint unless replaced.
fn module(parts: &str) -> Vec<u8> {
    wat::parse_str(format!("(module {parts})")).expect("test WAT parses")
}

fn rule_of(wasm: &[u8]) -> Rule {
    activate("bad", wasm)
        .expect_err("activation must fail")
        .rule
}

#[test]
fn the_minimal_module_passes() {
    assert!(activate("minimal", &module(&format!("{MEMORY} {ENTRY}"))).is_ok());
}

#[test]
fn an_import_outside_vm_hooks_is_rejected() {
    let wasm = module(&format!(
        r#"(import "env" "abort" (func)) {MEMORY} {ENTRY}"#
    ));
    assert_eq!(
        rule_of(&wasm),
        Rule::ForeignImport {
            module: "env".into(),
            name: "abort".into()
        }
    );
}

#[test]
fn a_console_import_is_reported_as_a_debug_build() {
    let wasm = module(&format!(
        r#"(import "console" "log_txt" (func (param i32 i32))) {MEMORY} {ENTRY}"#
    ));
    let error = activate("debugged", &wasm).unwrap_err();
    assert_eq!(
        error.rule,
        Rule::DebugImport {
            name: "log_txt".into()
        }
    );
    assert!(error.to_string().contains("debug build"), "{error}");
}

#[test]
fn an_unknown_hook_is_rejected() {
    let wasm = module(&format!(
        r#"(import "vm_hooks" "storage_store_bytes32" (func (param i32 i32))) {MEMORY} {ENTRY}"#
    ));
    assert_eq!(
        rule_of(&wasm),
        Rule::UnknownHook {
            name: "storage_store_bytes32".into()
        }
    );
}

#[test]
fn a_hook_with_the_wrong_signature_is_rejected() {
    let wasm = module(&format!(
        r#"(import "vm_hooks" "read_args" (func (param i64))) {MEMORY} {ENTRY}"#
    ));
    assert!(matches!(rule_of(&wasm), Rule::HookSignature { name, .. } if name == "read_args"));
}

#[test]
fn a_float_instruction_is_rejected() {
    let body = "(func (drop (f64.add (f64.const 1) (f64.const 2))))";
    let wasm = module(&format!("{MEMORY} {ENTRY} {body}"));
    assert!(matches!(
        rule_of(&wasm),
        Rule::ForbiddenInstruction {
            feature: Feature::Float,
            ..
        }
    ));
}

#[test]
fn a_float_in_a_signature_is_rejected() {
    let wasm = module(&format!("{MEMORY} {ENTRY} (func (param f32))"));
    assert!(matches!(
        rule_of(&wasm),
        Rule::ForbiddenFeature {
            feature: Feature::Float,
            ..
        }
    ));
}

#[test]
fn a_simd_instruction_is_rejected() {
    let body = "(func (drop (v128.const i64x2 0 0)))";
    let wasm = module(&format!("{MEMORY} {ENTRY} {body}"));
    assert!(matches!(
        rule_of(&wasm),
        Rule::ForbiddenInstruction {
            feature: Feature::Simd,
            ..
        }
    ));
}

#[test]
fn a_tail_call_is_rejected() {
    let body = "(func $f (return_call $f))";
    let wasm = module(&format!("{MEMORY} {ENTRY} {body}"));
    assert!(matches!(
        rule_of(&wasm),
        Rule::ForbiddenInstruction {
            feature: Feature::TailCall,
            ..
        }
    ));
}

#[test]
fn a_module_over_128_kib_is_rejected() {
    let data = "\\00".repeat(130 * 1024);
    let wasm = module(&format!(
        r#"(memory (export "memory") 3) {ENTRY} (data (i32.const 0) "{data}")"#
    ));
    assert!(matches!(
        rule_of(&wasm),
        Rule::WasmTooLarge { limit: 131_072, .. }
    ));
}

#[test]
fn a_module_whose_compressed_code_exceeds_24_kib_is_rejected() {
    // 40 KB from a linear congruential generator: brotli cannot shrink it.
    let mut state: u32 = 12_345;
    let noise: String = (0..40_000)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            format!("\\{:02x}", (state >> 16) as u8)
        })
        .collect();
    let wasm = module(&format!(
        r#"{MEMORY} {ENTRY} (data (i32.const 0) "{noise}")"#
    ));
    assert!(matches!(
        rule_of(&wasm),
        Rule::DeployedTooLarge { limit: 24_576, .. }
    ));
}

#[test]
fn a_module_whose_init_cost_exceeds_sixteen_bits_is_rejected() {
    // 90,000 zero bytes: each byte of a data segment adds 0.75 to the init cost.
    let data = "\\00".repeat(90_000);
    let wasm = module(&format!(
        r#"(memory (export "memory") 2) {ENTRY} (data (i32.const 0) "{data}")"#
    ));
    assert!(matches!(
        rule_of(&wasm),
        Rule::InitCostTooLarge { cost, limit: 65_535 } if cost > 65_535
    ));
}

#[test]
fn a_module_without_user_entrypoint_is_rejected() {
    assert_eq!(rule_of(&module(MEMORY)), Rule::MissingEntrypoint);
}

#[test]
fn a_user_entrypoint_of_the_wrong_type_is_rejected() {
    let wasm = module(&format!(
        r#"{MEMORY} (func (export "user_entrypoint") (param i64) (result i32) i32.const 0)"#
    ));
    assert_eq!(
        rule_of(&wasm),
        Rule::EntrypointSignature {
            found: "(i64) -> i32".into()
        }
    );
}

#[test]
fn a_module_without_a_memory_export_is_rejected() {
    assert_eq!(
        rule_of(&module(&format!("(memory 1) {ENTRY}"))),
        Rule::MissingMemoryExport
    );
}

#[test]
fn a_start_function_is_rejected() {
    let wasm = module(&format!("{MEMORY} {ENTRY} (func $init) (start $init)"));
    assert_eq!(rule_of(&wasm), Rule::StartFunction);
}

#[test]
fn a_memory_over_128_pages_is_rejected() {
    let wasm = module(&format!(r#"(memory (export "memory") 129) {ENTRY}"#));
    assert_eq!(
        rule_of(&wasm),
        Rule::MemoryTooLarge {
            pages: 129,
            limit: 128
        }
    );
}

#[test]
fn a_second_memory_is_rejected() {
    let wasm = module(&format!("{MEMORY} (memory 1) {ENTRY}"));
    assert!(matches!(
        rule_of(&wasm),
        Rule::ForbiddenFeature {
            feature: Feature::MultiMemory,
            ..
        }
    ));
}

#[test]
fn more_than_128_data_segments_are_rejected() {
    let segments: String = (0..129)
        .map(|i| format!(r#"(data (i32.const {i}) "x")"#))
        .collect();
    let wasm = module(&format!("{MEMORY} {ENTRY} {segments}"));
    assert_eq!(
        rule_of(&wasm),
        Rule::TooMany {
            what: Count::DataSegments,
            count: 129,
            limit: 128
        }
    );
}

#[test]
fn bytes_that_are_not_wasm_are_malformed() {
    assert!(matches!(rule_of(b"#!/bin/sh\n"), Rule::Malformed(_)));
}

#[test]
fn deploying_a_bad_module_is_an_activation_error_naming_the_contract() {
    let mut host = Host::new();
    let error = host
        .deploy_wasm(DEPLOYER, "no_entry", &module(MEMORY), NoConstructor)
        .unwrap_err();
    assert!(
        matches!(&error, HostError::Activation(e) if e.contract == "no_entry"),
        "{error}"
    );
}

#[test]
fn a_missing_wasm_file_says_to_build_first() {
    let mut host = Host::new();
    let error = host
        .deploy_contract(DEPLOYER, "keel_no_such_contract", NoConstructor)
        .unwrap_err();
    assert!(
        error.to_string().contains("run scripts/build-wasm first"),
        "{error}"
    );
}

#[test]
fn calldata_shorter_than_a_selector_reverts_with_empty_data() {
    let (mut host, [probe]) = probes();
    let receipt = host.send(ALICE, probe, U256::ZERO, &[0xd0, 0x9d]).unwrap();
    assert_eq!(receipt.status, Status::Revert);
    assert!(receipt.output.is_empty());
}

#[test]
fn an_unknown_selector_reverts_with_empty_data() {
    let (mut host, [probe]) = probes();
    let receipt = host
        .send(ALICE, probe, U256::ZERO, &[0xde, 0xad, 0xbe, 0xef])
        .unwrap();
    assert_eq!(receipt.status, Status::Revert);
    assert!(receipt.output.is_empty());
}

/// Deploys a raw program whose entrypoint runs `body`, then calls it.
fn run_raw(imports: &str, body: &str) -> Receipt {
    let mut host = Host::new();
    let wasm = module(&format!(
        r#"{imports} {MEMORY} (func (export "user_entrypoint") (param i32) (result i32) {body})"#
    ));
    let program = host
        .deploy_wasm(DEPLOYER, "raw", &wasm, NoConstructor)
        .expect("activates");
    host.send(ALICE, program, U256::ZERO, &[])
        .expect("host runs it")
}

#[test]
fn a_trap_fails_the_call_with_a_fault() {
    let receipt = run_raw("", "unreachable");
    assert!(
        matches!(receipt.status, Status::Fault(ref why) if why.contains("unreachable")),
        "{:?}",
        receipt.status
    );
}

#[test]
fn a_hook_given_an_out_of_bounds_pointer_faults() {
    let import = r#"(import "vm_hooks" "msg_sender" (func $sender (param i32)))"#;
    let receipt = run_raw(import, "(call $sender (i32.const 65530)) i32.const 0");
    assert!(
        matches!(receipt.status, Status::Fault(ref why) if why.contains("out of bounds")),
        "{:?}",
        receipt.status
    );
}

#[test]
fn a_log_with_five_topics_faults() {
    let import = r#"(import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))"#;
    let receipt = run_raw(
        import,
        "(call $log (i32.const 0) (i32.const 160) (i32.const 5)) i32.const 0",
    );
    assert!(matches!(receipt.status, Status::Fault(_)));
    assert!(receipt.logs.is_empty());
}

#[test]
fn a_host_survives_a_faulting_call_and_runs_the_next() {
    let (mut host, [probe]) = probes();
    let wasm = module(&format!(
        r#"{MEMORY} (func (export "user_entrypoint") (param i32) (result i32) unreachable)"#
    ));
    let trap = host
        .deploy_wasm(DEPLOYER, "trap", &wasm, NoConstructor)
        .unwrap();
    assert!(host.send(ALICE, trap, U256::ZERO, &[]).unwrap().is_revert());
    let counter = host
        .view(probe, &super::support::IProbe::counterCall {})
        .unwrap();
    assert_eq!(counter, U256::ZERO);
}
