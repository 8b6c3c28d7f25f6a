//! The per-program call costs Nitro predicts at activation.
//!
//! Activation records two figures for each program, both derived from the module's size and
//! shape: `init_cost`, the cost of preparing an uncached program for a call, and
//! `cached_init_cost`, the cost of starting one whose compiled form is cached. Each call then
//! pays gas computed from them (see [`crate::gas::GasSchedule`]). The formula is that of
//! Nitro's `arbitrator/prover/src/binary.rs` (`WasmBinary::instrument`, "predict costs"); each
//! term divides separately and every sum and product saturates, as there.

use wasmparser::{CompositeInnerType, Parser, Payload};

use super::rules::Rule;

/// Globals Nitro's instrumentation adds to every program before it counts them: the ink left
/// and ink status of the meter, the dynamic meter's scratch global and the depth checker's
/// stack space.
pub const INSTRUMENTATION_GLOBALS: u64 = 4;

/// What Nitro's cost prediction reads from a module.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ModuleCounts {
    /// Function bodies the module defines (imports excluded).
    pub functions: u64,
    /// Parameters plus results, summed over the types of the defined functions.
    pub type_len: u64,
    /// Bytes of the module as deployed (without custom sections).
    pub wasm_len: u64,
    /// Globals, including the [`INSTRUMENTATION_GLOBALS`].
    pub globals: u64,
    /// Bytes of the data and element segments, each counted whole (flags, offset expression,
    /// length and contents), which is the byte range wasmparser reports for a segment.
    pub segment_len: u64,
    /// Initial pages of the memory.
    pub footprint: u64,
}

impl ModuleCounts {
    /// Counts a module that passed the activation checks.
    ///
    /// # Errors
    /// [`Rule::Malformed`] if a section cannot be read.
    pub fn measure(wasm: &[u8]) -> Result<Self, Rule> {
        let mut counts = Self {
            wasm_len: wasm.len() as u64,
            globals: INSTRUMENTATION_GLOBALS,
            ..Self::default()
        };
        let mut arities = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            counts.visit(payload.map_err(|e| malformed(&e))?, &mut arities)?;
        }
        Ok(counts)
    }

    /// Adds what one section contributes; `arities` collects each type's parameters plus
    /// results, in type-index order.
    fn visit(&mut self, payload: Payload<'_>, arities: &mut Vec<u64>) -> Result<(), Rule> {
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group.map_err(|e| malformed(&e))?.into_types() {
                        arities.push(match sub.composite_type.inner {
                            CompositeInnerType::Func(f) => {
                                (f.params().len() + f.results().len()) as u64
                            }
                            _ => 0,
                        });
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    let ty = ty.map_err(|e| malformed(&e))? as usize;
                    let arity = arities.get(ty).copied().unwrap_or(0);
                    self.type_len = self.type_len.saturating_add(arity);
                }
            }
            Payload::GlobalSection(reader) => {
                self.globals = self.globals.saturating_add(u64::from(reader.count()));
            }
            Payload::MemorySection(reader) => {
                if let Some(memory) = reader.into_iter().next() {
                    self.footprint = memory.map_err(|e| malformed(&e))?.initial;
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    self.add_segment(data.map_err(|e| malformed(&e))?.range.len());
                }
            }
            Payload::ElementSection(reader) => {
                for element in reader {
                    self.add_segment(element.map_err(|e| malformed(&e))?.range.len());
                }
            }
            Payload::CodeSectionEntry(_) => self.functions += 1,
            _ => {}
        }
        Ok(())
    }

    fn add_segment(&mut self, bytes: usize) {
        self.segment_len = self.segment_len.saturating_add(bytes as u64);
    }

    /// Nitro's `cached_init_cost` before it is stored as `u16`.
    #[must_use]
    pub fn cached_init_cost(&self) -> u64 {
        [
            term(self.functions, 13_420, 100_000),
            term(self.type_len, 89, 100_000),
            term(self.wasm_len, 122, 100_000),
            term(self.globals, 1_628, 1_000),
            term(self.segment_len, 75_244, 100_000),
            self.footprint.saturating_mul(5),
        ]
        .into_iter()
        .fold(0, u64::saturating_add)
    }

    /// Nitro's `init_cost` before it is stored as `u16`: the cached cost plus the cost of
    /// preparing the program's code.
    #[must_use]
    pub fn init_cost(&self) -> u64 {
        [
            self.cached_init_cost(),
            term(self.functions, 8_252, 1_000),
            term(self.type_len, 1_059, 1_000),
            term(self.wasm_len, 1_286, 10_000),
        ]
        .into_iter()
        .fold(0, u64::saturating_add)
    }
}

/// `count × numerator / denominator`, the product saturating and the quotient rounded down.
const fn term(count: u64, numerator: u64, denominator: u64) -> u64 {
    count.saturating_mul(numerator) / denominator
}

/// A program's call costs as activation stores them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitCosts {
    /// Cost of starting the program when its compiled form is not cached.
    pub init: u16,
    /// Cost of starting the program when it is cached.
    pub cached: u16,
}

impl InitCosts {
    /// The costs of a module with `counts`. Nitro stores both as `u16` and fails activation
    /// when either does not fit (`try_into()?` in `binary.rs`), which only a module with tens
    /// of kilobytes of data segments can reach.
    ///
    /// # Errors
    /// [`Rule::InitCostTooLarge`] if a cost exceeds `u16::MAX`.
    pub fn of(counts: &ModuleCounts) -> Result<Self, Rule> {
        let (init, cached) = (counts.init_cost(), counts.cached_init_cost());
        let too_large = |_| Rule::InitCostTooLarge {
            cost: init,
            limit: u64::from(u16::MAX),
        };
        Ok(Self {
            init: u16::try_from(init).map_err(too_large)?,
            cached: u16::try_from(cached).map_err(too_large)?,
        })
    }
}

fn malformed(e: &wasmparser::BinaryReaderError) -> Rule {
    Rule::Malformed(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts chosen so that every term is non-zero and most round down.
    const COUNTS: ModuleCounts = ModuleCounts {
        functions: 100,
        type_len: 250,
        wasm_len: 40_000,
        globals: 6,
        segment_len: 3_000,
        footprint: 2,
    };

    #[test]
    fn cached_init_cost_sums_the_rounded_down_terms() {
        // 13 + 0 + 48 + 9 + 2,257 + 10
        assert_eq!(COUNTS.cached_init_cost(), 2_337);
    }

    #[test]
    fn init_cost_adds_the_code_terms_to_the_cached_cost() {
        // 2,337 + 825 + 264 + 5,144
        assert_eq!(COUNTS.init_cost(), 8_570);
    }

    #[test]
    fn costs_saturate_instead_of_overflowing() {
        let huge = ModuleCounts {
            footprint: u64::MAX,
            ..COUNTS
        };
        assert_eq!(huge.cached_init_cost(), u64::MAX);
        assert_eq!(huge.init_cost(), u64::MAX);
    }

    #[test]
    fn a_cost_over_sixteen_bits_fails_activation() {
        let data_heavy = ModuleCounts {
            segment_len: 90_000,
            ..COUNTS
        };
        assert!(matches!(
            InitCosts::of(&data_heavy),
            Err(Rule::InitCostTooLarge { limit: 65_535, .. })
        ));
        assert_eq!(
            InitCosts::of(&COUNTS),
            Ok(InitCosts {
                init: 8_570,
                cached: 2_337
            })
        );
    }

    #[test]
    fn measuring_counts_instrumentation_globals_and_whole_segments() {
        // One defined (i32) -> i32 function, no globals, one page, an active data segment
        // of 3 bytes at offset 0: flags (1) + `i32.const 0; end` (3) + length (1) + 3 = 8.
        let wasm = wat::parse_str(
            r#"(module
                (memory 1)
                (func (param i32) (result i32) local.get 0)
                (data (i32.const 0) "abc"))"#,
        )
        .expect("valid wat");
        let counts = ModuleCounts::measure(&wasm).expect("well-formed");
        assert_eq!(
            counts,
            ModuleCounts {
                functions: 1,
                type_len: 2,
                wasm_len: wasm.len() as u64,
                globals: INSTRUMENTATION_GLOBALS,
                segment_len: 8,
                footprint: 1,
            }
        );
    }
}
