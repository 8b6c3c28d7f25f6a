//! Keel's in-process Stylus host.
//!
//! Runs the real contract `.wasm` files end to end with no node: [`activation`] checks a
//! program the way Nitro's activation does, and [`Host`] executes it with every `vm_hooks`
//! import a `stylus-sdk` 0.10 contract can use, with Nitro's call semantics (journaled
//! rollback per frame, static calls, reentrancy flag, 63/64 gas rule) and an ink/gas
//! estimate per call.
//!
//! ```no_run
//! use alloy_primitives::{Address, U256};
//! use alloy_sol_types::sol;
//! use keel_host::prelude::*;
//!
//! sol! {
//!     contract Token {
//!         constructor(string name, string symbol, uint8 decimals, address owner);
//!         function transfer(address to, uint256 value) external returns (bool);
//!     }
//! }
//!
//! # fn main() -> Result<(), HostError> {
//! let (owner, alice) = (Address::repeat_byte(1), Address::repeat_byte(2));
//! let mut host = Host::new();
//! let ctor = Token::constructorCall { name: "USD".into(), symbol: "USD".into(), decimals: 6, owner };
//! let token = host.deploy_contract(owner, "keel_mock_erc20", ctor)?;
//! let receipt = host.call(owner, token, &Token::transferCall { to: alice, value: U256::from(5) })?;
//! assert!(receipt.returns()?);
//! println!("transfer: {} gas (estimate)", receipt.gas_used);
//! # Ok(()) }
//! ```
//!
//! # EVM bytecode
//! Solidity contracts run next to the Stylus programs: [`Host::deploy_evm`] and
//! [`Host::deploy_forge`] deploy EVM init code, which runs on revm's interpreter. Calls go
//! both ways (EVM `CALL`/`STATICCALL`/`DELEGATECALL` into a program, a program's
//! `call_contract` into EVM code) through one call stack over one journaled state, so a
//! revert in a frame of either VM undoes that frame's changes in both.
//!
//! # Engine
//! Programs run on [`wasmi`], an interpreter: deterministic (the same fuel on every
//! machine), with built-in fuel metering that the ink estimate is built on, and a small
//! build (a clean release build of the host takes about 1¼ minutes on two cores, against
//! about 16 minutes with a JIT such as wasmtime). Contracts are small and calls short, so
//! interpretation speed is not what limits the test suite.

pub mod activation;
mod address;
mod artifacts;
mod chain;
mod error;
mod evm;
mod forge;
pub mod gas;
pub mod hooks;
mod host;
mod program;
mod receipt;
mod state;
mod vm;

pub use address::{create2_address, create_address};
pub use artifacts::{read_wasm, wasm_dir, wasm_path, workspace_root, WASM_DIR_ENV};
pub use chain::Chain;
pub use error::HostError;
pub use forge::{forge_artifact_path, forge_out_dir, read_forge_bytecode, FORGE_OUT_ENV};
pub use host::{Args, Constructor, Host, NoConstructor, CONSTRUCTOR_SELECTOR};
pub use program::{load, load_deployed, load_path, Program};
pub use receipt::{RawCall, Receipt};
pub use state::{Account, BlockEnv, Code};
pub use vm::{deploy_init_code, returned_code, Status};

/// Everything a test usually needs: `use keel_host::prelude::*;`.
pub mod prelude {
    pub use crate::{Args, Chain, Host, HostError, NoConstructor, Receipt, Status};
}
