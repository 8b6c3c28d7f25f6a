//! EVM bytecode, run on revm's interpreter inside the host's own call machinery.
//!
//! Only the interpreter comes from revm: the host drives its frames itself. An EVM frame is
//! one more kind of frame in [`crate::vm::execute`]: it runs until its code asks for a
//! `CALL`/`STATICCALL`/`DELEGATECALL`/`CREATE`, the host runs that message through the same
//! [`crate::vm::execute`] (so the callee may be a Stylus program or EVM code), and feeds the
//! outcome back. Both VMs therefore read and write one [`crate::state::World`], roll back
//! through one journal, count one call depth and see one static flag.
//!
//! Gas: an EVM frame gets the gas its fuel is worth (`fuel / FUEL_PER_GAS`) and returns
//! what the interpreter left, so EVM gas adds to a receipt's estimate one for one. The
//! refund a successful frame's own `SSTORE`s earned joins the transaction's refund counter,
//! which Stylus writes add to too.

mod create;
mod frame;
mod host;

use revm_interpreter::primitives::hardfork::SpecId;

pub(crate) use create::{create, Creation};
pub(crate) use frame::run;

/// The EVM rules EVM code runs under (Arbitrum's current EVM is Prague-level).
const SPEC: SpecId = SpecId::PRAGUE;

/// EIP-170: the most code a create may deploy.
const MAX_CODE_SIZE: usize = 24_576;
