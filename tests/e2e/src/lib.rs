//! End-to-end tests of Keel's contracts.
//!
//! The tests live in one binary, `tests/e2e/main.rs`, with one module per
//! contract; each deploys the real `.wasm` from `target/wasm/` (built by
//! `scripts/build-wasm`) on the local Stylus host (`keel-host`) and drives it
//! through its Solidity ABI, checking return values, typed reverts and events.
//!
//! Shared fixtures: [`risk_oracle::World`] (feeds, RiskOracle, RiskModel),
//! [`system::System`] (the whole of Keel deployed and wired, for the vault's tests, the gas
//! reports and the crash scenario) and [`crash`] (the crash scenario itself: `scripts/demo`
//! prints it, the test `crash` asserts its outcome).

pub mod crash;
pub mod risk_oracle;
pub mod system;
