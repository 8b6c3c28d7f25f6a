//! Classification of wasm operators into the features Stylus forbids.
//!
//! Generated from `wasmparser::for_each_operator!`, which tags every operator with the
//! proposal that introduced it, so a new wasmparser version cannot add an operator that slips
//! through unclassified: proposals not named here are rejected as [`Feature::Other`].

use wasmparser::Operator;

use super::rules::Feature;

/// The forbidden feature an operator belongs to, or `None` if Stylus accepts it.
pub(super) fn forbidden_feature(op: &Operator<'_>) -> Option<Feature> {
    classify(op)
}

/// Decides from the operator's proposal and name. Floats are named `F32*`/`F64*` or contain
/// `F32`/`F64` (conversions such as `I32TruncF64S`), in every proposal.
fn by_proposal(proposal: &'static str, name: &'static str) -> Option<Feature> {
    if name.contains("F32") || name.contains("F64") {
        return Some(Feature::Float);
    }
    match proposal {
        "mvp" | "sign_extension" | "bulk_memory" | "saturating_float_to_int" => None,
        "simd" | "relaxed_simd" => Some(Feature::Simd),
        "reference_types" | "function_references" | "gc" => Some(Feature::ReferenceTypes),
        "threads" | "shared_everything_threads" => Some(Feature::Threads),
        "tail_call" => Some(Feature::TailCall),
        "exceptions" | "legacy_exceptions" => Some(Feature::Exceptions),
        other => Some(Feature::Other(other)),
    }
}

macro_rules! define_classify {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        fn classify(op: &Operator<'_>) -> Option<Feature> {
            #[allow(unreachable_patterns)]
            match op {
                $( Operator::$op { .. } => by_proposal(stringify!($proposal), stringify!($op)), )*
                _ => Some(Feature::Other("unknown")),
            }
        }
    };
}

wasmparser::for_each_operator!(define_classify);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_mvp_and_bulk_memory_operators_are_allowed() {
        assert_eq!(forbidden_feature(&Operator::I32Add), None);
        assert_eq!(forbidden_feature(&Operator::I64Extend32S), None);
        assert_eq!(
            forbidden_feature(&Operator::MemoryCopy {
                dst_mem: 0,
                src_mem: 0
            }),
            None
        );
    }

    #[test]
    fn float_operators_are_forbidden_in_every_proposal() {
        assert_eq!(forbidden_feature(&Operator::F64Add), Some(Feature::Float));
        assert_eq!(
            forbidden_feature(&Operator::I32TruncF32S),
            Some(Feature::Float)
        );
        assert_eq!(
            forbidden_feature(&Operator::I64TruncSatF64U),
            Some(Feature::Float)
        );
    }

    #[test]
    fn proposals_outside_stylus_are_forbidden() {
        assert_eq!(
            forbidden_feature(&Operator::ReturnCall { function_index: 0 }),
            Some(Feature::TailCall)
        );
        assert_eq!(
            forbidden_feature(&Operator::I8x16Popcnt),
            Some(Feature::Simd)
        );
        assert_eq!(
            forbidden_feature(&Operator::TableSize { table: 0 }),
            Some(Feature::ReferenceTypes)
        );
        assert_eq!(
            forbidden_feature(&Operator::AtomicFence),
            Some(Feature::Threads)
        );
    }
}
