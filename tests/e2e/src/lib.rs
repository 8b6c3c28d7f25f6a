//! End-to-end tests of Keel's contracts.
//!
//! The tests live in one binary, `tests/e2e/main.rs`, with one module per
//! contract; each deploys the real `.wasm` from `target/wasm/` (built by
//! `scripts/build-wasm`) on the local Stylus host (`keel-host`) and drives it
//! through its Solidity ABI, checking return values, typed reverts and events.

pub mod risk_oracle;
