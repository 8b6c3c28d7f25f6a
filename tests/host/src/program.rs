//! Activated programs and the process-wide cache of compiled modules.
//!
//! Activation (validation plus brotli at quality 11) and wasmi compilation are done once per
//! distinct wasm, keyed by its keccak hash, and shared by every [`crate::Host`] in the
//! process: tests that each build a fresh host deploy the same contracts in microseconds.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use alloy_primitives::{keccak256, Bytes, B256};
use revm_interpreter::bytecode::Bytecode;

use crate::activation::{
    activate, Activated, ActivationError, Rule, MAX_WASM_BYTES, STYLUS_PREFIX,
};
use crate::artifacts::read_wasm;
use crate::error::HostError;
use crate::vm::engine;

/// A program that passed activation, compiled for the host's engine.
#[derive(Debug)]
pub struct Program {
    activated: Activated,
    codehash: B256,
    module: wasmi::Module,
    /// [`Program::code`] as EVM bytecode, built the first time EVM code inspects it.
    evm_view: OnceLock<Bytecode>,
}

impl Program {
    /// Name given at activation (usually the file stem).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.activated.name
    }

    /// The code an account holding this program reports: `EF F0 00 00` ++ brotli(wasm).
    #[must_use]
    pub fn code(&self) -> &[u8] {
        &self.activated.deployed
    }

    /// keccak256 of [`Program::code`], as `EXTCODEHASH` reports it.
    #[must_use]
    pub fn codehash(&self) -> B256 {
        self.codehash
    }

    /// The activation record (raw wasm, sizes).
    #[must_use]
    pub fn activated(&self) -> &Activated {
        &self.activated
    }

    pub(crate) fn module(&self) -> &wasmi::Module {
        &self.module
    }

    /// The code as EVM code sees it (`EXTCODESIZE`, `EXTCODECOPY`, the code a `CALL`
    /// loads): the same bytes, wrapped once per program in revm's type.
    pub(crate) fn evm_view(&self) -> &Bytecode {
        self.evm_view
            .get_or_init(|| Bytecode::new_legacy(Bytes::copy_from_slice(self.code())))
    }
}

type Cache = Mutex<HashMap<B256, Arc<Program>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Cache::default)
}

/// Activates and compiles `wasm`, or returns the cached program for identical bytes.
///
/// # Errors
/// [`HostError::Activation`] if the module breaks an activation rule;
/// [`HostError::Compile`] if wasmi rejects a module that passed activation.
pub fn load(name: &str, wasm: &[u8]) -> Result<Arc<Program>, HostError> {
    let key = keccak256(wasm);
    if let Some(program) = cache()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return Ok(Arc::clone(program));
    }
    // Activate outside the lock: brotli at quality 11 takes a while and tests run in parallel.
    let activated = activate(name, wasm).map_err(HostError::Activation)?;
    let module = wasmi::Module::new(engine(), wasm).map_err(|e| HostError::Compile {
        contract: name.to_owned(),
        reason: e.to_string(),
    })?;
    let codehash = keccak256(&activated.deployed);
    let program = Arc::new(Program {
        activated,
        codehash,
        module,
        evm_view: OnceLock::new(),
    });
    let mut cache = cache().lock().unwrap_or_else(PoisonError::into_inner);
    Ok(Arc::clone(cache.entry(key).or_insert(program)))
}

/// A file's identity as far as reloading goes: its size and modification time.
type FileStamp = (u64, Option<std::time::SystemTime>);

type PathCache = Mutex<HashMap<PathBuf, (FileStamp, Arc<Program>)>>;

/// Loads the `.wasm` at `path` (named after its file stem), skipping the read and the hash
/// when the file is unchanged since the last load in this process.
///
/// # Errors
/// [`HostError::MissingWasm`] (run `scripts/build-wasm` first) or [`HostError::Read`] for
/// the file, otherwise as [`load`].
pub fn load_path(path: &Path) -> Result<Arc<Program>, HostError> {
    static PATHS: OnceLock<PathCache> = OnceLock::new();
    let stamp = std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()));
    let paths = PATHS.get_or_init(PathCache::default);
    if let Some(stamp) = stamp {
        let cached = paths
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .cloned();
        if let Some((seen, program)) = cached {
            if seen == stamp {
                return Ok(program);
            }
        }
    }
    let wasm = read_wasm(path)?;
    let name = path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let program = load(&name, &wasm)?;
    if let Some(stamp) = stamp {
        let entry = (stamp, Arc::clone(&program));
        paths
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_path_buf(), entry);
    }
    Ok(program)
}

/// Activates deployed code (`EF F0 00 00` ++ brotli) as `create1`/`create2` receive it.
///
/// # Errors
/// [`HostError::Activation`] if the code is not Stylus code, does not decompress, or the
/// module breaks an activation rule.
pub fn load_deployed(name: &str, code: &[u8]) -> Result<Arc<Program>, HostError> {
    let fail = |why: &str| {
        HostError::Activation(ActivationError::new(name, Rule::Malformed(why.to_owned())))
    };
    let body = code
        .strip_prefix(&STYLUS_PREFIX)
        .ok_or_else(|| fail("code does not start with the Stylus header EF F0 00 00"))?;
    let mut wasm = Bounded(Vec::new());
    brotli::BrotliDecompress(&mut &body[..], &mut wasm)
        .map_err(|e| fail(&format!("brotli: {e}")))?;
    load(name, &wasm.0)
}

/// A sink that refuses to grow past the largest wasm Nitro activates, so that a small
/// compressed payload cannot expand without bound.
struct Bounded(Vec<u8>);

impl Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.0.len() + buf.len() > MAX_WASM_BYTES {
            return Err(io::Error::other("decompressed wasm exceeds 128 KiB"));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
