//! Locating build outputs: the contracts' `.wasm` files built by `scripts/build-wasm` (and,
//! in [`crate::forge`], Foundry's artifacts) under the workspace's `target/`.

use std::path::{Path, PathBuf};

use crate::error::HostError;

/// Environment variable that overrides the directory holding the built `.wasm` files.
pub const WASM_DIR_ENV: &str = "KEEL_WASM_DIR";

/// The directory holding the contracts' `.wasm` files: `$KEEL_WASM_DIR` if set, otherwise
/// `target/wasm` under the workspace root found above this crate's manifest directory.
///
/// # Errors
/// [`HostError::NoWorkspace`] if no `Cargo.toml` with a `[workspace]` table is found.
pub fn wasm_dir() -> Result<PathBuf, HostError> {
    if let Some(dir) = std::env::var_os(WASM_DIR_ENV) {
        return Ok(PathBuf::from(dir));
    }
    Ok(target_dir()?.join("wasm"))
}

/// `target/` under the workspace root found above this crate's manifest directory.
pub(crate) fn target_dir() -> Result<PathBuf, HostError> {
    static ROOT: std::sync::OnceLock<Result<PathBuf, PathBuf>> = std::sync::OnceLock::new();
    let start = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = ROOT.get_or_init(|| workspace_root(start).map_err(|_| start.to_path_buf()));
    match root {
        Ok(root) => Ok(root.join("target")),
        Err(start) => Err(HostError::NoWorkspace {
            start: start.clone(),
        }),
    }
}

/// The nearest directory at or above `start` whose `Cargo.toml` declares a `[workspace]`.
///
/// # Errors
/// [`HostError::NoWorkspace`] if there is none.
pub fn workspace_root(start: &Path) -> Result<PathBuf, HostError> {
    start
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|manifest| manifest.lines().any(|l| l.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
        .ok_or_else(|| HostError::NoWorkspace {
            start: start.to_path_buf(),
        })
}

/// Path of a contract's `.wasm` by crate name in snake case, e.g. `keel_mock_erc20`.
///
/// # Errors
/// As [`wasm_dir`]. The file's existence is checked when it is read ([`read_wasm`]).
pub fn wasm_path(name: &str) -> Result<PathBuf, HostError> {
    Ok(wasm_dir()?.join(format!("{name}.wasm")))
}

/// Reads a `.wasm` file.
///
/// # Errors
/// [`HostError::MissingWasm`] (run `scripts/build-wasm` first) if the file does not exist,
/// [`HostError::Read`] for other I/O failures.
pub fn read_wasm(path: &Path) -> Result<Vec<u8>, HostError> {
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => HostError::MissingWasm {
            path: path.to_path_buf(),
        },
        _ => HostError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_root_is_found_above_the_host_crate() {
        let root =
            workspace_root(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("inside a workspace");
        assert!(root.join("tests").join("host").join("Cargo.toml").is_file());
    }

    #[test]
    fn a_missing_wasm_names_the_build_script() {
        let error = read_wasm(Path::new("/nonexistent/keel_nothing.wasm")).expect_err("missing");
        assert!(matches!(error, HostError::MissingWasm { .. }));
        assert!(error.to_string().contains("run scripts/build-wasm first"));
    }
}
