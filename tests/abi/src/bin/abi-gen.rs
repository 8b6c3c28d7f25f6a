//! `abi-gen [--check]`: writes `abi/` from the contracts' Rust sources, or with `--check`
//! lists the files of `abi/` that differ from what the sources generate and exits 1.
//! Run through `scripts/abi`.

use std::{path::Path, process::ExitCode};

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("abi");
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!("usage: abi-gen [--check] (unknown argument {other})");
            return ExitCode::from(2);
        }
    };
    let result = keel_abi::generate(&root).and_then(|files| {
        if check {
            keel_abi::differences(&dir, &files)
        } else {
            keel_abi::write(&dir, &files).map(|()| Vec::new())
        }
    });
    match result {
        Ok(differ) if differ.is_empty() => ExitCode::SUCCESS,
        Ok(differ) => {
            for path in differ {
                eprintln!("abi/{} differs from the sources", path.display());
            }
            eprintln!("run scripts/abi to regenerate abi/");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("abi-gen: {e}");
            ExitCode::FAILURE
        }
    }
}
