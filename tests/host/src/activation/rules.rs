//! The activation rules and the walk over a module that enforces them.

use core::fmt;

use wasmparser::{
    CompositeInnerType, ExternalKind, FuncType, Parser, Payload, TypeRef, ValType, Validator,
    WasmFeatures,
};

use super::limits::{
    MAX_DATA_SEGMENTS, MAX_ELEMENT_SEGMENTS, MAX_EXPORTS, MAX_FUNCTIONS, MAX_IMPORTS,
    MAX_MEMORY_PAGES, MAX_OPCODES_PER_FUNCTION,
};
use super::operators::forbidden_feature;
use crate::hooks::{self, Signature, Ty};

/// A wasm feature Stylus does not accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// Floating-point types or instructions (non-deterministic across machines).
    Float,
    /// 128-bit SIMD.
    Simd,
    /// Reference types (`ref.*`, `table.get/set/grow/size/fill`, typed `select`).
    ReferenceTypes,
    /// Threads and atomics, shared memory.
    Threads,
    /// Tail calls (`return_call*`).
    TailCall,
    /// Exception handling.
    Exceptions,
    /// More than one memory, or a memory index other than 0.
    MultiMemory,
    /// 64-bit memory indices.
    Memory64,
    /// Any other proposal, by its wasmparser name.
    Other(&'static str),
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Feature::Float => f.write_str("floating point (Stylus forbids floats)"),
            Feature::Simd => f.write_str("SIMD"),
            Feature::ReferenceTypes => f.write_str("reference types"),
            Feature::Threads => f.write_str("threads/atomics"),
            Feature::TailCall => f.write_str("tail calls"),
            Feature::Exceptions => f.write_str("exception handling"),
            Feature::MultiMemory => f.write_str("multiple memories"),
            Feature::Memory64 => f.write_str("64-bit memory"),
            Feature::Other(name) => write!(f, "the `{name}` proposal"),
        }
    }
}

/// Something Nitro counts and caps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// Data segments.
    DataSegments,
    /// Element segments.
    ElementSegments,
    /// Functions defined in the module.
    Functions,
    /// Exports.
    Exports,
    /// Imports.
    Imports,
    /// Operators in the body of the function with this index (imports included in the index).
    Opcodes {
        /// Function index.
        function: u32,
    },
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Count::DataSegments => f.write_str("data segments"),
            Count::ElementSegments => f.write_str("element segments"),
            Count::Functions => f.write_str("functions"),
            Count::Exports => f.write_str("exports"),
            Count::Imports => f.write_str("imports"),
            Count::Opcodes { function } => write!(f, "opcodes in function {function}"),
        }
    }
}

/// One activation rule, as broken by a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The raw wasm exceeds 128 KiB.
    WasmTooLarge {
        /// Size of the module.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// `EF F0 00 00` + brotli exceeds 24,576 bytes.
    DeployedTooLarge {
        /// Deployed size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The binary cannot be parsed.
    Malformed(String),
    /// The binary parses but is not valid wasm under Stylus's feature set.
    Invalid(String),
    /// No export named `memory`, or it is not a memory.
    MissingMemoryExport,
    /// No function export named `user_entrypoint`.
    MissingEntrypoint,
    /// `user_entrypoint` exists with a type other than `(i32) -> i32`.
    EntrypointSignature {
        /// The type found.
        found: String,
    },
    /// The module has a start function (Nitro runs nothing before `user_entrypoint`).
    StartFunction,
    /// An import from `console`: the contract was built with the SDK's `debug` feature.
    DebugImport {
        /// The import name (`log_txt`, `log_i32`, ...).
        name: String,
    },
    /// An import from a module other than `vm_hooks`.
    ForeignImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// An import from `vm_hooks` that the host does not implement.
    UnknownHook {
        /// Import name.
        name: String,
    },
    /// A `vm_hooks` import with the wrong type.
    HookSignature {
        /// Import name.
        name: String,
        /// The signature the host implements.
        expected: String,
        /// The signature the module declares.
        found: String,
    },
    /// An imported memory, table or global: Stylus programs import functions only.
    NonFunctionImport {
        /// Import name.
        name: String,
    },
    /// Not exactly one memory.
    MemoryCount(usize),
    /// The memory declares more initial pages than Nitro allows.
    MemoryTooLarge {
        /// Initial pages.
        pages: u64,
        /// The limit.
        limit: u64,
    },
    /// A forbidden feature in a type, memory, global or local.
    ForbiddenFeature {
        /// The feature.
        feature: Feature,
        /// Where it appears.
        location: String,
    },
    /// A forbidden instruction.
    ForbiddenInstruction {
        /// The feature the instruction belongs to.
        feature: Feature,
        /// Function index (imports included).
        function: u32,
        /// The instruction, as wasmparser names it.
        instruction: String,
    },
    /// The predicted init cost does not fit the 16 bits Nitro stores it in (see
    /// [`crate::activation::InitCosts`]).
    InitCostTooLarge {
        /// The predicted cost.
        cost: u64,
        /// The largest storable cost.
        limit: u64,
    },
    /// Too many of something Nitro caps.
    TooMany {
        /// What was counted.
        what: Count,
        /// How many the module has.
        count: usize,
        /// The limit.
        limit: usize,
    },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::WasmTooLarge { bytes, limit } => {
                write!(f, "wasm is {bytes} bytes, over the {limit}-byte limit")
            }
            Rule::DeployedTooLarge { bytes, limit } => write!(
                f,
                "deployed code (EF F0 00 00 + brotli) is {bytes} bytes, over the {limit}-byte limit"
            ),
            Rule::Malformed(why) => write!(f, "malformed wasm: {why}"),
            Rule::Invalid(why) => write!(f, "invalid wasm: {why}"),
            Rule::MissingMemoryExport => f.write_str("no `memory` export"),
            Rule::MissingEntrypoint => f.write_str("no `user_entrypoint` function export"),
            Rule::EntrypointSignature { found } => {
                write!(f, "`user_entrypoint` must be (i32) -> i32, found {found}")
            }
            Rule::StartFunction => f.write_str("start functions are not allowed"),
            Rule::DebugImport { name } => write!(
                f,
                "imports console::{name}: this is a debug build (stylus-sdk `debug` feature); \
                 build without it"
            ),
            Rule::ForeignImport { module, name } => {
                write!(
                    f,
                    "imports {module}::{name}; only `vm_hooks` imports are allowed"
                )
            }
            Rule::UnknownHook { name } => write!(f, "imports unknown hook vm_hooks::{name}"),
            Rule::HookSignature {
                name,
                expected,
                found,
            } => {
                write!(f, "vm_hooks::{name} must be {expected}, found {found}")
            }
            Rule::NonFunctionImport { name } => {
                write!(
                    f,
                    "imports non-function `{name}`; only functions may be imported"
                )
            }
            Rule::MemoryCount(n) => write!(f, "exactly one memory is required, found {n}"),
            Rule::MemoryTooLarge { pages, limit } => {
                write!(
                    f,
                    "memory starts at {pages} pages, over the {limit}-page limit"
                )
            }
            Rule::ForbiddenFeature { feature, location } => {
                write!(f, "{feature} is not allowed ({location})")
            }
            Rule::ForbiddenInstruction {
                feature,
                function,
                instruction,
            } => write!(
                f,
                "{feature} is not allowed: instruction {instruction} in function {function}"
            ),
            Rule::InitCostTooLarge { cost, limit } => write!(
                f,
                "predicted init cost {cost} is over the {limit} Nitro can store (large data segments?)"
            ),
            Rule::TooMany { what, count, limit } => {
                write!(f, "too many {what}: {count} > {limit}")
            }
        }
    }
}

/// Facts about a module that passed [`check_module`].
#[derive(Clone, Copy, Debug)]
pub(super) struct Shape {
    pub(super) memory_pages: u32,
}

/// Features Nitro enables when parsing user programs; everything else is rejected.
fn stylus_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::FLOATS
}

/// Runs the full wasm validator under Stylus's feature set.
pub(super) fn validate(wasm: &[u8]) -> Result<(), Rule> {
    Validator::new_with_features(stylus_features())
        .validate_all(wasm)
        .map(|_| ())
        .map_err(|e| {
            let mut why = e.to_string();
            if why.starts_with("zero byte expected") {
                // wasm-ld writes `call_indirect` table indices as padded LEBs when any object
                // (Rust's prebuilt std) was compiled with reference-types; Nitro reads them as
                // the reference-types encoding and rejects the module. wasm-opt re-encodes them.
                why.push_str(
                    " (padded table index from reference-types objects: run wasm-opt \
                     --enable-bulk-memory --enable-sign-ext, as scripts/build-wasm does)",
                );
            }
            Rule::Invalid(why)
        })
}

fn malformed(e: &wasmparser::BinaryReaderError) -> Rule {
    Rule::Malformed(e.to_string())
}

fn limit(what: Count, count: usize, limit: usize) -> Result<(), Rule> {
    if count > limit {
        return Err(Rule::TooMany { what, count, limit });
    }
    Ok(())
}

fn to_ty(ty: ValType) -> Option<Ty> {
    match ty {
        ValType::I32 => Some(Ty::I32),
        ValType::I64 => Some(Ty::I64),
        _ => None,
    }
}

fn is_float(ty: ValType) -> bool {
    matches!(ty, ValType::F32 | ValType::F64)
}

fn describe(ty: &FuncType) -> String {
    let params: Option<Vec<Ty>> = ty.params().iter().copied().map(to_ty).collect();
    let results: Option<Vec<Ty>> = ty.results().iter().copied().map(to_ty).collect();
    match (params, results) {
        (Some(p), Some(r)) => Signature(&p, &r).to_string(),
        _ => {
            let list = |tys: &[ValType]| {
                tys.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            match ty.results() {
                [] => format!("({})", list(ty.params())),
                [one] => format!("({}) -> {one}", list(ty.params())),
                many => format!("({}) -> ({})", list(ty.params()), list(many)),
            }
        }
    }
}

fn matches_hook(ty: &FuncType, hook: &hooks::Hook) -> bool {
    let same = |have: &[ValType], want: &[Ty]| {
        have.len() == want.len() && have.iter().zip(want).all(|(h, w)| to_ty(*h) == Some(*w))
    };
    same(ty.params(), hook.params) && same(ty.results(), hook.results)
}

/// Walks the module once, enforcing every structural rule and the instruction restrictions.
pub(super) fn check_module(wasm: &[u8]) -> Result<Shape, Rule> {
    if !wasm.starts_with(&super::sections::WASM_HEADER) {
        return Err(Rule::Malformed(
            "not a wasm module (no `\\0asm` version 1 header)".into(),
        ));
    }
    let mut walk = Walk::default();
    for payload in Parser::new(0).parse_all(wasm) {
        walk.visit(payload.map_err(|e| malformed(&e))?)?;
    }
    walk.finish()
}

#[derive(Default)]
struct Walk {
    types: Vec<Option<FuncType>>,
    /// Type index of every function, imports first.
    func_types: Vec<u32>,
    imported_funcs: u32,
    memories: Vec<u64>,
    exports_memory: bool,
    entrypoint: Option<u32>,
    next_body: u32,
}

impl Walk {
    fn visit(&mut self, payload: Payload<'_>) -> Result<(), Rule> {
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group.map_err(|e| malformed(&e))?.into_types() {
                        self.types.push(match sub.composite_type.inner {
                            CompositeInnerType::Func(func) => {
                                self.reject_float_type(&func)?;
                                Some(func)
                            }
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                limit(Count::Imports, reader.count() as usize, MAX_IMPORTS)?;
                for import in reader {
                    self.import(import.map_err(|e| malformed(&e))?)?;
                }
            }
            Payload::FunctionSection(reader) => {
                limit(Count::Functions, reader.count() as usize, MAX_FUNCTIONS)?;
                for ty in reader {
                    self.func_types.push(ty.map_err(|e| malformed(&e))?);
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(|e| malformed(&e))?;
                    if memory.memory64 {
                        return Err(forbidden(Feature::Memory64, "memory section"));
                    }
                    if memory.shared {
                        return Err(forbidden(Feature::Threads, "shared memory"));
                    }
                    self.memories.push(memory.initial);
                }
            }
            Payload::GlobalSection(reader) => {
                for (index, global) in reader.into_iter().enumerate() {
                    if is_float(global.map_err(|e| malformed(&e))?.ty.content_type) {
                        return Err(forbidden(Feature::Float, &format!("global {index}")));
                    }
                }
            }
            Payload::TagSection(_) => return Err(forbidden(Feature::Exceptions, "tag section")),
            Payload::ExportSection(reader) => {
                limit(Count::Exports, reader.count() as usize, MAX_EXPORTS)?;
                for export in reader {
                    let export = export.map_err(|e| malformed(&e))?;
                    match (export.name, export.kind) {
                        ("memory", ExternalKind::Memory) => self.exports_memory = true,
                        ("user_entrypoint", ExternalKind::Func) => {
                            self.entrypoint = Some(export.index);
                        }
                        _ => {}
                    }
                }
            }
            Payload::StartSection { .. } => return Err(Rule::StartFunction),
            Payload::ElementSection(reader) => {
                limit(
                    Count::ElementSegments,
                    reader.count() as usize,
                    MAX_ELEMENT_SEGMENTS,
                )?;
            }
            Payload::DataSection(reader) => {
                limit(
                    Count::DataSegments,
                    reader.count() as usize,
                    MAX_DATA_SEGMENTS,
                )?;
            }
            Payload::CodeSectionEntry(body) => {
                let function = self.imported_funcs + self.next_body;
                self.next_body += 1;
                check_body(function, &body)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn reject_float_type(&self, func: &FuncType) -> Result<(), Rule> {
        if func
            .params()
            .iter()
            .chain(func.results())
            .copied()
            .any(is_float)
        {
            let location = format!("type {} is {}", self.types.len(), describe(func));
            return Err(forbidden(Feature::Float, &location));
        }
        Ok(())
    }

    fn import(&mut self, import: wasmparser::Import<'_>) -> Result<(), Rule> {
        if import.module == hooks::DEBUG_MODULE {
            return Err(Rule::DebugImport {
                name: import.name.to_owned(),
            });
        }
        if import.module != hooks::MODULE {
            return Err(Rule::ForeignImport {
                module: import.module.to_owned(),
                name: import.name.to_owned(),
            });
        }
        let TypeRef::Func(type_index) = import.ty else {
            return Err(Rule::NonFunctionImport {
                name: import.name.to_owned(),
            });
        };
        let hook = hooks::lookup(import.name).ok_or_else(|| Rule::UnknownHook {
            name: import.name.to_owned(),
        })?;
        let ty = self.func_type(type_index)?;
        if !matches_hook(ty, hook) {
            return Err(Rule::HookSignature {
                name: import.name.to_owned(),
                expected: hook.to_string(),
                found: describe(ty),
            });
        }
        self.func_types.push(type_index);
        self.imported_funcs += 1;
        Ok(())
    }

    fn func_type(&self, type_index: u32) -> Result<&FuncType, Rule> {
        self.types
            .get(type_index as usize)
            .and_then(Option::as_ref)
            .ok_or_else(|| Rule::Invalid(format!("type index {type_index} is not a function type")))
    }

    fn finish(self) -> Result<Shape, Rule> {
        if self.memories.len() != 1 {
            return Err(if self.memories.len() > 1 {
                forbidden(Feature::MultiMemory, "memory section")
            } else {
                Rule::MemoryCount(0)
            });
        }
        let pages = self.memories[0];
        if pages > MAX_MEMORY_PAGES {
            return Err(Rule::MemoryTooLarge {
                pages,
                limit: MAX_MEMORY_PAGES,
            });
        }
        if !self.exports_memory {
            return Err(Rule::MissingMemoryExport);
        }
        let entry = self.entrypoint.ok_or(Rule::MissingEntrypoint)?;
        let type_index = *self
            .func_types
            .get(entry as usize)
            .ok_or_else(|| Rule::Invalid(format!("export of unknown function {entry}")))?;
        let ty = self.func_type(type_index)?;
        if ty.params() != [ValType::I32] || ty.results() != [ValType::I32] {
            return Err(Rule::EntrypointSignature {
                found: describe(ty),
            });
        }
        // MAX_MEMORY_PAGES fits in u32, checked above.
        Ok(Shape {
            memory_pages: u32::try_from(pages).unwrap_or(u32::MAX),
        })
    }
}

fn forbidden(feature: Feature, location: &str) -> Rule {
    Rule::ForbiddenFeature {
        feature,
        location: location.to_owned(),
    }
}

fn check_body(function: u32, body: &wasmparser::FunctionBody<'_>) -> Result<(), Rule> {
    for local in body.get_locals_reader().map_err(|e| malformed(&e))? {
        let (_, ty) = local.map_err(|e| malformed(&e))?;
        if is_float(ty) {
            return Err(forbidden(
                Feature::Float,
                &format!("a local of function {function}"),
            ));
        }
    }
    let mut reader = body.get_operators_reader().map_err(|e| malformed(&e))?;
    let mut opcodes = 0usize;
    while !reader.eof() {
        let op = reader.read().map_err(|e| malformed(&e))?;
        opcodes += 1;
        if let Some(feature) = forbidden_feature(&op) {
            return Err(Rule::ForbiddenInstruction {
                feature,
                function,
                instruction: format!("{op:?}"),
            });
        }
    }
    limit(
        Count::Opcodes { function },
        opcodes,
        MAX_OPCODES_PER_FUNCTION,
    )
}
