//! Hooks the probe calls directly: those stylus-sdk 0.10 does not wrap (`exit_early`,
//! transient storage, the 256-bit math hooks) and those whose offset/size arguments the
//! SDK fixes (`account_code`, `read_return_data`).

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "vm_hooks")]
extern "C" {
    fn exit_early(status: u32) -> !;
    fn write_result(data: *const u8, len: usize);
    fn transient_load_bytes32(key: *const u8, dest: *mut u8);
    fn transient_store_bytes32(key: *const u8, value: *const u8);
    fn math_div(value: *mut u8, divisor: *const u8);
    fn math_mod(value: *mut u8, modulus: *const u8);
    fn math_pow(value: *mut u8, exponent: *const u8);
    fn math_add_mod(value: *mut u8, addend: *const u8, modulus: *const u8);
    fn math_mul_mod(value: *mut u8, multiplier: *const u8, modulus: *const u8);
    fn account_code(address: *const u8, offset: usize, size: usize, dest: *mut u8) -> usize;
    fn read_return_data(dest: *mut u8, offset: usize, size: usize) -> usize;
    fn return_data_size() -> usize;
}

/// Off wasm32 (native `cargo check`/docs) the hooks do not exist; reaching one is a bug.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    #![allow(clippy::missing_safety_doc, unsafe_op_in_unsafe_fn)]
    const ONLY_WASM: &str = "vm_hooks exist only when the probe runs as wasm on a Stylus host";
    pub(super) unsafe fn exit_early(_: u32) -> ! {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn write_result(_: *const u8, _: usize) {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn transient_load_bytes32(_: *const u8, _: *mut u8) {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn transient_store_bytes32(_: *const u8, _: *const u8) {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn math_div(_: *mut u8, _: *const u8) {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn math_mod(_: *mut u8, _: *const u8) {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn math_pow(_: *mut u8, _: *const u8) {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn math_add_mod(_: *mut u8, _: *const u8, _: *const u8) {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn math_mul_mod(_: *mut u8, _: *const u8, _: *const u8) {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn account_code(_: *const u8, _: usize, _: usize, _: *mut u8) -> usize {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn read_return_data(_: *mut u8, _: usize, _: usize) -> usize {
        unreachable!("{ONLY_WASM}")
    }
    pub(super) unsafe fn return_data_size() -> usize {
        unreachable!("{ONLY_WASM}")
    }
}
#[cfg(not(target_arch = "wasm32"))]
use native::*;

/// Sets the result and stops the program with `status` (0 success, otherwise revert).
pub(crate) fn exit_with(status: u32, data: &[u8]) -> ! {
    // SAFETY: the pointer and length describe `data`, which outlives the call.
    unsafe {
        write_result(data.as_ptr(), data.len());
        exit_early(status)
    }
}

/// `TLOAD`.
pub(crate) fn transient_load(key: B256) -> B256 {
    let mut value = B256::ZERO;
    // SAFETY: both pointers address 32 valid bytes.
    unsafe { transient_load_bytes32(key.as_ptr(), value.as_mut_ptr()) };
    value
}

/// `TSTORE`.
pub(crate) fn transient_store(key: B256, value: B256) {
    // SAFETY: both pointers address 32 valid bytes.
    unsafe { transient_store_bytes32(key.as_ptr(), value.as_ptr()) };
}

/// One of the math hooks, by the number used in the probe's ABI.
#[derive(Clone, Copy)]
pub(crate) enum MathOp {
    Div,
    Mod,
    Pow,
    AddMod,
    MulMod,
}

impl MathOp {
    /// The op numbered `n` (0 div, 1 mod, 2 pow, 3 addmod, 4 mulmod).
    pub(crate) fn from_u8(n: u8) -> Option<Self> {
        [Self::Div, Self::Mod, Self::Pow, Self::AddMod, Self::MulMod]
            .get(usize::from(n))
            .copied()
    }

    /// Runs the hook on `a` and `b` (and `modulus` for the modular ops).
    pub(crate) fn apply(self, a: U256, b: U256, modulus: U256) -> U256 {
        let mut value = a.to_be_bytes::<32>();
        let b = b.to_be_bytes::<32>();
        let m = modulus.to_be_bytes::<32>();
        // SAFETY: every pointer addresses a 32-byte big-endian word.
        unsafe {
            match self {
                Self::Div => math_div(value.as_mut_ptr(), b.as_ptr()),
                Self::Mod => math_mod(value.as_mut_ptr(), b.as_ptr()),
                Self::Pow => math_pow(value.as_mut_ptr(), b.as_ptr()),
                Self::AddMod => math_add_mod(value.as_mut_ptr(), b.as_ptr(), m.as_ptr()),
                Self::MulMod => math_mul_mod(value.as_mut_ptr(), b.as_ptr(), m.as_ptr()),
            }
        }
        U256::from_be_bytes(value)
    }
}

/// `size` bytes of `who`'s code from `offset`, as `EXTCODECOPY` would copy them.
pub(crate) fn code_window(who: Address, offset: usize, size: usize) -> Vec<u8> {
    let mut dest = alloc::vec![0u8; size];
    // SAFETY: `dest` has room for `size` bytes; the host writes at most that many.
    let written = unsafe { account_code(who.as_ptr(), offset, size, dest.as_mut_ptr()) };
    dest.truncate(written);
    dest
}

/// The last call's return data size and a window of it, through the raw hooks.
pub(crate) fn return_data_window(offset: usize, size: usize) -> (usize, Vec<u8>) {
    let mut dest = alloc::vec![0u8; size];
    // SAFETY: `dest` has room for `size` bytes; the host writes at most that many.
    let (total, written) = unsafe {
        (
            return_data_size(),
            read_return_data(dest.as_mut_ptr(), offset, size),
        )
    };
    dest.truncate(written);
    (total, dest)
}
