//! Runtime glue shared by every Keel contract.
//!
//! Keel's contracts are `no_std` on `wasm32` to keep the deployed code small
//! (the Stylus limit is 24 KiB of brotli-compressed code, Keel's target
//! 16 KiB). A `no_std` binary needs exactly one panic handler; it lives here
//! so that every contract links the same one. Contracts pull it in with
//! `extern crate keel_common;`.
//!
//! [`abi`] is the word-based ABI codec of the contracts that route calls by hand, and
//! [`packed`] the bit fields of their hand-packed storage words.
//!
//! A panic in a contract is a bug (every expected failure is a typed Solidity
//! error), so the handler traps without formatting anything: the host
//! reverts the call with empty return data, and no formatting code is linked.
#![no_std]

extern crate alloc;

pub mod abi;
pub mod packed;

/// Traps on panic so that the enclosing call reverts.
#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
