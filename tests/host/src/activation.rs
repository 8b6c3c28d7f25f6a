//! Activation: the checks Nitro's `ArbWasm.activateProgram` applies to a Stylus program.
//!
//! A contract that passes here is expected to pass activation on a Nitro node: the module is
//! valid wasm restricted to the features Stylus accepts, it imports only `vm_hooks` the host
//! implements with the right signatures, exports `memory` and `user_entrypoint(i32) -> i32`,
//! has no start function, stays inside Nitro's count limits, and its deployed form
//! (`EF F0 00 00` followed by brotli of the wasm without custom sections) fits in 24 KiB.
//! Activation also predicts what each call of the program will cost to start, as Nitro does
//! ([`InitCosts`]).
//!
//! Every failure is an [`ActivationError`] naming the contract and the [`Rule`] it broke.

mod costs;
mod limits;
mod operators;
mod rules;
mod sections;

use core::fmt;

pub use costs::{InitCosts, ModuleCounts, INSTRUMENTATION_GLOBALS};
pub use limits::{
    DEPLOYED_CODE_LIMIT, DEPLOYED_CODE_TARGET, MAX_DATA_SEGMENTS, MAX_ELEMENT_SEGMENTS,
    MAX_EXPORTS, MAX_FUNCTIONS, MAX_IMPORTS, MAX_MEMORY_PAGES, MAX_OPCODES_PER_FUNCTION,
    MAX_WASM_BYTES, STYLUS_PREFIX,
};
pub use rules::{Count, Feature, Rule};
pub use sections::{compress, deployed_code, strip_custom_sections};

use sections::deploy_stripped;

/// A program that passed activation, ready to be installed at an address.
#[derive(Clone, Debug)]
pub struct Activated {
    /// Name used in messages (usually the file stem).
    pub name: String,
    /// The wasm as given, custom sections included.
    pub wasm: Vec<u8>,
    /// The code an account holds on chain: `EF F0 00 00` ++ brotli(stripped wasm).
    pub deployed: Vec<u8>,
    /// Initial pages of the program's single memory.
    pub memory_pages: u32,
    /// Nitro's `init_cost`: what starting the program costs when it is not cached, on top of
    /// a fixed minimum (see [`crate::gas::GasSchedule::init_gas`]).
    pub init_cost: u16,
    /// Nitro's `cached_init_cost`: what starting the program costs when it is cached, on top
    /// of a fixed minimum (see [`crate::gas::GasSchedule::cached_gas`]).
    pub cached_init_cost: u16,
}

impl Activated {
    /// Size summary of this program.
    #[must_use]
    pub fn sizes(&self) -> CodeSizes {
        CodeSizes {
            wasm: self.wasm.len(),
            deployed: self.deployed.len(),
        }
    }

    /// The call costs predicted at activation.
    #[must_use]
    pub fn init_costs(&self) -> InitCosts {
        InitCosts {
            init: self.init_cost,
            cached: self.cached_init_cost,
        }
    }
}

/// Raw and deployed byte counts of a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeSizes {
    /// Bytes of the `.wasm` file.
    pub wasm: usize,
    /// Bytes of `EF F0 00 00` ++ brotli(wasm without custom sections).
    pub deployed: usize,
}

impl CodeSizes {
    /// Measures a module without validating it beyond splitting its sections.
    ///
    /// # Errors
    /// [`Rule::Malformed`] if the section structure cannot be read.
    pub fn measure(name: &str, wasm: &[u8]) -> Result<Self, ActivationError> {
        let deployed = deployed_code(wasm).map_err(|rule| ActivationError::new(name, rule))?;
        Ok(Self {
            wasm: wasm.len(),
            deployed: deployed.len(),
        })
    }

    /// Deployed size as a percentage of the 24,576-byte limit.
    #[must_use]
    pub fn percent_of_limit(&self) -> f64 {
        percent(self.deployed, DEPLOYED_CODE_LIMIT)
    }

    /// Deployed size as a percentage of Keel's 16,384-byte target.
    #[must_use]
    pub fn percent_of_target(&self) -> f64 {
        percent(self.deployed, DEPLOYED_CODE_TARGET)
    }
}

#[allow(clippy::cast_precision_loss)] // byte counts far below 2^52
fn percent(part: usize, whole: usize) -> f64 {
    part as f64 * 100.0 / whole as f64
}

/// A contract broke an activation rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivationError {
    /// The contract's name as given to [`activate`].
    pub contract: String,
    /// The rule it broke.
    pub rule: Rule,
}

impl ActivationError {
    pub(crate) fn new(contract: &str, rule: Rule) -> Self {
        Self {
            contract: contract.to_owned(),
            rule,
        }
    }
}

impl fmt::Display for ActivationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.contract, self.rule)
    }
}

impl std::error::Error for ActivationError {}

/// Validates a Stylus program the way Nitro's activation does and computes its deployed code.
///
/// # Errors
/// An [`ActivationError`] naming `name` and the first [`Rule`] the module breaks: size limits,
/// malformed or invalid wasm, forbidden features or instructions, imports outside the
/// implemented `vm_hooks`, missing or mistyped exports, a start function, count limits, or
/// an init cost too large to store.
pub fn activate(name: &str, wasm: &[u8]) -> Result<Activated, ActivationError> {
    let fail = |rule| ActivationError::new(name, rule);
    if wasm.len() > MAX_WASM_BYTES {
        return Err(fail(Rule::WasmTooLarge {
            bytes: wasm.len(),
            limit: MAX_WASM_BYTES,
        }));
    }
    let shape = rules::check_module(wasm).map_err(fail)?;
    rules::validate(wasm).map_err(fail)?;
    // Nitro activates what the deployed code decompresses to: the module without custom
    // sections. Its costs are predicted from that module.
    let stripped = strip_custom_sections(wasm).map_err(fail)?;
    let deployed = deploy_stripped(&stripped);
    if deployed.len() > DEPLOYED_CODE_LIMIT {
        return Err(fail(Rule::DeployedTooLarge {
            bytes: deployed.len(),
            limit: DEPLOYED_CODE_LIMIT,
        }));
    }
    let costs = ModuleCounts::measure(&stripped)
        .and_then(|counts| InitCosts::of(&counts))
        .map_err(fail)?;
    Ok(Activated {
        name: name.to_owned(),
        wasm: wasm.to_vec(),
        deployed,
        memory_pages: shape.memory_pages,
        init_cost: costs.init,
        cached_init_cost: costs.cached,
    })
}
