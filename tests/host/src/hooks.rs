//! The `vm_hooks` imports a Stylus program may use, with their wasm signatures.
//!
//! The list follows `stylus-sdk` 0.10.10 (`src/hostio.rs`), where every pointer and `usize`
//! is an `i32` on wasm32, `bool`/`u8`/`u16` arguments and results are widened to `i32`, and
//! `u64` is an `i64`. It adds the hooks Nitro provides beyond that SDK version
//! (`exit_early`, transient storage and the 256-bit math hooks), so that a contract importing
//! them directly passes activation here exactly as it would on Nitro.
//!
//! Activation checks each import against this table, and the host defines a function for
//! every entry (a unit test in `vm::hostio` keeps the two in step).

use core::fmt;

/// A wasm value type as seen by a hook signature. Stylus has no floats and no references.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// 32-bit integer: pointers, lengths, `bool`, `u8`, `u16`, `u32`.
    I32,
    /// 64-bit integer: `u64`.
    I64,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ty::I32 => "i32",
            Ty::I64 => "i64",
        })
    }
}

/// The signature of one `vm_hooks` import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hook {
    /// Import name inside module `vm_hooks`.
    pub name: &'static str,
    /// Parameter types.
    pub params: &'static [Ty],
    /// Result types (zero or one).
    pub results: &'static [Ty],
}

impl fmt::Display for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Signature(self.params, self.results))
    }
}

/// Formats a parameter/result pair as `(i32, i64) -> i32`.
#[derive(Clone, Copy, Debug)]
pub struct Signature<'a>(pub &'a [Ty], pub &'a [Ty]);

impl fmt::Display for Signature<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (i, ty) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{ty}")?;
        }
        f.write_str(")")?;
        match self.1 {
            [] => Ok(()),
            [one] => write!(f, " -> {one}"),
            many => {
                f.write_str(" -> (")?;
                for (i, ty) in many.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{ty}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// The import module every Stylus hook lives in.
pub const MODULE: &str = "vm_hooks";

/// The import module of the debug-only `console` hooks (`log_txt`, `log_i32`, ...).
pub const DEBUG_MODULE: &str = "console";

use Ty::{I32, I64};

macro_rules! hooks {
    ($($name:ident ( $($p:ident),* ) $(-> $r:ident)?;)*) => {
        /// Every hook the host implements, sorted by name.
        pub const HOOKS: &[Hook] = &[
            $(Hook { name: stringify!($name), params: &[$($p),*], results: &[$($r)?] },)*
        ];
    };
}

hooks! {
    account_balance(I32, I32);
    account_code(I32, I32, I32, I32) -> I32;
    account_code_size(I32) -> I32;
    account_codehash(I32, I32);
    block_basefee(I32);
    block_coinbase(I32);
    block_gas_limit() -> I64;
    block_number() -> I64;
    block_timestamp() -> I64;
    call_contract(I32, I32, I32, I32, I64, I32) -> I32;
    chainid() -> I64;
    contract_address(I32);
    create1(I32, I32, I32, I32, I32);
    create2(I32, I32, I32, I32, I32, I32);
    delegate_call_contract(I32, I32, I32, I64, I32) -> I32;
    emit_log(I32, I32, I32);
    evm_gas_left() -> I64;
    evm_ink_left() -> I64;
    exit_early(I32);
    math_add_mod(I32, I32, I32);
    math_div(I32, I32);
    math_mod(I32, I32);
    math_mul_mod(I32, I32, I32);
    math_pow(I32, I32);
    msg_reentrant() -> I32;
    msg_sender(I32);
    msg_value(I32);
    native_keccak256(I32, I32, I32);
    pay_for_memory_grow(I32);
    read_args(I32);
    read_return_data(I32, I32, I32) -> I32;
    return_data_size() -> I32;
    static_call_contract(I32, I32, I32, I64, I32) -> I32;
    storage_cache_bytes32(I32, I32);
    storage_flush_cache(I32);
    storage_load_bytes32(I32, I32);
    transient_load_bytes32(I32, I32);
    transient_store_bytes32(I32, I32);
    tx_gas_price(I32);
    tx_ink_price() -> I32;
    tx_origin(I32);
    write_result(I32, I32);
}

/// Looks up a hook by its import name.
#[must_use]
pub fn lookup(name: &str) -> Option<&'static Hook> {
    HOOKS
        .binary_search_by(|hook| hook.name.cmp(name))
        .ok()
        .map(|index| &HOOKS[index])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_so_lookup_can_binary_search() {
        assert!(HOOKS.windows(2).all(|w| w[0].name < w[1].name));
    }

    #[test]
    fn lookup_finds_sdk_hooks_and_rejects_unknown_names() {
        assert_eq!(lookup("read_args").map(|h| h.params), Some(&[I32][..]));
        assert_eq!(lookup("chainid").map(|h| h.results), Some(&[I64][..]));
        assert!(lookup("storage_store_bytes32").is_none());
    }

    #[test]
    fn signature_formats_like_wat() {
        let hook = lookup("call_contract").expect("call_contract is a hook");
        assert_eq!(hook.to_string(), "(i32, i32, i32, i32, i64, i32) -> i32");
        assert_eq!(
            lookup("contract_address")
                .map(ToString::to_string)
                .as_deref(),
            Some("(i32)")
        );
    }
}
