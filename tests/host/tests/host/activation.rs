//! Activation of the real contracts and the `stylus-check` command.

use std::process::Command;

use keel_host::activation::{activate, strip_custom_sections, STYLUS_PREFIX};
use keel_host::{read_wasm, wasm_path};

use super::support::PROBE;

#[test]
fn the_probe_passes_activation_with_prefixed_brotli_as_deployed_code() {
    let wasm = read_wasm(&wasm_path(PROBE).unwrap()).unwrap();
    let program = activate(PROBE, &wasm).unwrap();
    assert_eq!(program.deployed[..4], STYLUS_PREFIX);
    let mut plain = Vec::new();
    brotli::BrotliDecompress(&mut &program.deployed[4..], &mut plain).unwrap();
    assert_eq!(plain, strip_custom_sections(&wasm).unwrap());
}

#[test]
fn stylus_check_prints_a_row_per_contract_and_succeeds_when_all_pass() {
    let path = wasm_path(PROBE).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_stylus-check"))
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let row = stdout
        .lines()
        .find(|l| l.starts_with(PROBE))
        .expect("a row for the probe");
    assert!(
        row.ends_with("ok") || row.ends_with("ok (over target)"),
        "{row}"
    );
}

#[test]
fn stylus_check_fails_and_names_the_rule_for_a_bad_contract() {
    let dir = std::env::temp_dir().join(format!("keel-stylus-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("starts_itself.wasm");
    let wat = r#"(module (memory (export "memory") 1) (func $s) (start $s)
                 (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;
    std::fs::write(&bad, wat::parse_str(wat).unwrap()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_stylus-check"))
        .arg(&bad)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout.contains("starts_itself: start functions are not allowed"),
        "{stdout}"
    );
}
