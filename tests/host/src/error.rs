//! Errors of the host itself. A contract reverting is not one of them: it is an outcome,
//! reported in a [`crate::Receipt`]; these are failures to run, deploy or decode.

use core::fmt;
use std::path::PathBuf;

use alloy_primitives::{Address, Bytes};

use crate::activation::ActivationError;
use crate::vm::Status;

/// Why the host could not do what was asked.
#[derive(Debug)]
pub enum HostError {
    /// The program breaks an activation rule.
    Activation(ActivationError),
    /// wasmi could not compile a program that passed activation.
    Compile {
        /// Contract name.
        contract: String,
        /// wasmi's message.
        reason: String,
    },
    /// A contract's `.wasm` is not where the build puts it.
    MissingWasm {
        /// The path looked at.
        path: PathBuf,
    },
    /// A Foundry artifact is not where `forge build` puts it.
    MissingArtifact {
        /// The path looked at.
        path: PathBuf,
    },
    /// A Foundry artifact has no usable creation bytecode.
    BadArtifact {
        /// The artifact.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A file exists but could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        reason: String,
    },
    /// No Cargo workspace root above the starting directory.
    NoWorkspace {
        /// Where the search started.
        start: PathBuf,
    },
    /// A deployment's constructor call did not succeed; nothing was deployed.
    ConstructorFailed {
        /// Contract name.
        contract: String,
        /// How the constructor ended.
        status: Status,
        /// Its revert data.
        output: Bytes,
    },
    /// A call expected to succeed did not (from [`crate::Receipt::returns`] or a view).
    Reverted {
        /// The contract called.
        to: Address,
        /// How the call ended.
        status: Status,
        /// Its revert data.
        output: Bytes,
    },
    /// Revert data was asked for, but the call succeeded.
    NotReverted {
        /// The contract called.
        to: Address,
    },
    /// Return, revert or log data did not decode as the requested type.
    Decode {
        /// What was being decoded (a type name).
        what: &'static str,
        /// The decoder's message.
        reason: String,
    },
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostError::Activation(e) => write!(f, "activation failed: {e}"),
            HostError::Compile { contract, reason } => {
                write!(f, "{contract}: wasm engine rejected the module: {reason}")
            }
            HostError::MissingWasm { path } => write!(
                f,
                "{} does not exist: run scripts/build-wasm first",
                path.display()
            ),
            HostError::MissingArtifact { path } => write!(
                f,
                "{} does not exist: run forge build first",
                path.display()
            ),
            HostError::BadArtifact { path, reason } => {
                write!(f, "{}: {reason}", path.display())
            }
            HostError::Read { path, reason } => {
                write!(f, "cannot read {}: {reason}", path.display())
            }
            HostError::NoWorkspace { start } => {
                write!(f, "no Cargo workspace root above {}", start.display())
            }
            HostError::ConstructorFailed {
                contract,
                status,
                output,
            } => {
                write!(
                    f,
                    "constructor of {contract} failed ({status}) with data {output}"
                )?;
                write_reason(f, output)
            }
            HostError::Reverted { to, status, output } => {
                write!(f, "call to {to} failed ({status}) with data {output}")?;
                write_reason(f, output)
            }
            HostError::NotReverted { to } => {
                write!(
                    f,
                    "call to {to} succeeded; there is no revert data to decode"
                )
            }
            HostError::Decode { what, reason } => write!(f, "cannot decode {what}: {reason}"),
        }
    }
}

/// Appends a decoded `Error(string)`/`Panic(uint256)` reason when the data is one.
fn write_reason(f: &mut fmt::Formatter<'_>, output: &[u8]) -> fmt::Result {
    match alloy_sol_types::decode_revert_reason(output) {
        Some(reason) => write!(f, " ({reason})"),
        None => Ok(()),
    }
}

impl std::error::Error for HostError {}

impl From<ActivationError> for HostError {
    fn from(e: ActivationError) -> Self {
        HostError::Activation(e)
    }
}
