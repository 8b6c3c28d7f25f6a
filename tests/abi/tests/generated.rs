//! `abi/` is exactly what the Rust sources generate (what `scripts/abi --check` checks), as a
//! test of the workspace suite: CI checks it without building this crate a second time with
//! another feature set.

use std::path::Path;

#[test]
fn abi_dir_is_what_the_sources_generate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = keel_abi::generate(&root).expect("generate");
    let differ = keel_abi::differences(&root.join("abi"), &files).expect("read abi/");
    assert!(
        differ.is_empty(),
        "abi/ differs from the sources in {differ:?}: run scripts/abi"
    );
}
