//! Solidity contracts compiled by Foundry: finding `forge build` artifacts and reading their
//! creation bytecode, for [`crate::Host::deploy_forge`].

use std::path::{Path, PathBuf};

use crate::artifacts::target_dir;
use crate::error::HostError;

/// Environment variable that overrides the directory holding Foundry's artifacts.
pub const FORGE_OUT_ENV: &str = "KEEL_FORGE_OUT";

/// The directory holding `forge build` output: `$KEEL_FORGE_OUT` if set, otherwise
/// `target/forge/out` under the workspace root.
///
/// # Errors
/// [`HostError::NoWorkspace`] if no workspace root is found.
pub fn forge_out_dir() -> Result<PathBuf, HostError> {
    if let Some(dir) = std::env::var_os(FORGE_OUT_ENV) {
        return Ok(PathBuf::from(dir));
    }
    Ok(target_dir()?.join("forge").join("out"))
}

/// Path of a contract's artifact, `<out>/<File>.sol/<Contract>.json`, from `"File.sol:Contract"`
/// or, when the file is named after the contract, just `"Contract"`.
///
/// # Errors
/// As [`forge_out_dir`].
pub fn forge_artifact_path(id: &str) -> Result<PathBuf, HostError> {
    let (file, contract) = match id.split_once(':') {
        Some((file, contract)) => (file.to_owned(), contract),
        None => (format!("{id}.sol"), id),
    };
    Ok(forge_out_dir()?.join(file).join(format!("{contract}.json")))
}

/// The creation bytecode (`bytecode.object`) of a Foundry artifact.
///
/// # Errors
/// [`HostError::MissingArtifact`] (run `forge build` first) or [`HostError::Read`] for the
/// file; [`HostError::BadArtifact`] if it is not JSON, has no `bytecode.object`, the hex does
/// not decode, or the bytecode is empty (an interface or abstract contract) or has unlinked
/// library placeholders.
pub fn read_forge_bytecode(path: &Path) -> Result<Vec<u8>, HostError> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => HostError::MissingArtifact {
            path: path.to_path_buf(),
        },
        _ => HostError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    })?;
    let bad = |reason: String| HostError::BadArtifact {
        path: path.to_path_buf(),
        reason,
    };
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("not JSON: {e}")))?;
    let hex = json
        .pointer("/bytecode/object")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| bad("no bytecode.object string".into()))?;
    if hex.contains("__$") {
        return Err(bad("bytecode has unlinked library placeholders".into()));
    }
    let code = alloy_primitives::hex::decode(hex).map_err(|e| bad(format!("bytecode: {e}")))?;
    if code.is_empty() {
        return Err(bad(
            "empty bytecode: an interface or abstract contract".into()
        ));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_artifact_id_names_the_source_file_and_the_contract() {
        let out = forge_out_dir().expect("inside a workspace");
        assert_eq!(
            forge_artifact_path("Vault.sol:Integrator").unwrap(),
            out.join("Vault.sol").join("Integrator.json")
        );
        assert_eq!(
            forge_artifact_path("Integrator").unwrap(),
            out.join("Integrator.sol").join("Integrator.json")
        );
    }

    #[test]
    fn bytecode_object_is_read_with_or_without_0x_and_bad_artifacts_are_named() {
        let dir = std::env::temp_dir().join(format!("keel-forge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        let good = write("a.json", r#"{"bytecode":{"object":"0x6001600055"}}"#);
        assert_eq!(
            read_forge_bytecode(&good).unwrap(),
            [0x60, 1, 0x60, 0, 0x55]
        );
        let bare = write("b.json", r#"{"bytecode":{"object":"00"}}"#);
        assert_eq!(read_forge_bytecode(&bare).unwrap(), [0]);
        for text in [
            r#"{"bytecode":{"object":"0x"}}"#,
            r#"{"abi":[]}"#,
            r#"{"bytecode":{"object":"0x73__$abc$__"}}"#,
            "not json",
        ] {
            let path = write("bad.json", text);
            assert!(matches!(
                read_forge_bytecode(&path),
                Err(HostError::BadArtifact { .. })
            ));
        }
        let missing = read_forge_bytecode(&dir.join("none.json")).unwrap_err();
        assert!(missing.to_string().contains("run forge build first"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
