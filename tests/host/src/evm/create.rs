//! Contract creation with EVM init code: `CREATE`/`CREATE2` from EVM code, and
//! [`crate::Host::deploy_evm`].
//!
//! The init code runs as an EVM frame at the new address and what it returns becomes the
//! account's code. Returned code that starts with the Stylus header (`EF F0 00`) is activated
//! as a Stylus program, as the init code `cargo stylus deploy` sends returns it, so EVM code
//! can deploy Stylus contracts; any other code starting with `0xEF` is refused (EIP-3541).

use alloy_primitives::{Address, Bytes, B256, U256};
use revm_interpreter::bytecode::Bytecode;
use wasmi::AsContextMut;

use super::{run, MAX_CODE_SIZE};
use crate::activation::STYLUS_PREFIX;
use crate::address::{create2_address, create_address};
use crate::gas::gas_to_fuel;
use crate::state::Code;
use crate::vm::{with_stack, Exec, Message, Outcome, Status, MAX_DEPTH};

/// A contract creation.
#[derive(Debug)]
pub(crate) struct Creation {
    /// The account creating (its nonce gives the `CREATE` address).
    pub(crate) creator: Address,
    /// Wei moved to the new account.
    pub(crate) value: U256,
    /// EVM init code (constructor arguments appended).
    pub(crate) init: Vec<u8>,
    /// `CREATE2` salt; `None` for `CREATE`.
    pub(crate) salt: Option<B256>,
}

/// Runs a creation with `fuel`: the new address if it succeeded, and the init frame's
/// outcome (its revert data when it reverted).
pub(crate) fn create(
    ctx: &mut impl AsContextMut<Data = Exec>,
    creation: Creation,
    fuel: u64,
) -> (Option<Address>, Outcome) {
    let Creation {
        creator,
        value,
        init,
        salt,
    } = creation;
    let mut store = ctx.as_context_mut();
    let exec = store.data_mut();
    if exec.frames.len() >= MAX_DEPTH {
        let reason = format!("call depth limit {MAX_DEPTH} reached");
        return (None, Outcome::early(Status::Rejected(reason), fuel));
    }
    let world = &mut exec.world;
    if world.balance(&creator) < value {
        let reason = format!("{creator} cannot send {value} wei");
        return (None, Outcome::early(Status::Rejected(reason), fuel));
    }
    let nonce = world.account(&creator).map_or(0, |a| a.nonce);
    world.update_account(creator, |a| a.nonce += 1);
    let address = match salt {
        None => create_address(creator, nonce),
        Some(salt) => create2_address(creator, salt, &init),
    };
    world.touch_account(address);
    if world
        .account(&address)
        .is_some_and(|a| a.code.is_some() || a.nonce > 0)
    {
        // As in the EVM, a collision consumes the gas given to the create.
        let reason = format!("{address} already has code or a nonce");
        return (None, Outcome::early(Status::Rejected(reason), 0));
    }
    let checkpoint = world.checkpoint();
    // EIP-161: a new contract starts at nonce 1. The balance was checked above.
    world.update_account(address, |a| a.nonce = 1);
    world.transfer(creator, address, value);
    let message = Message {
        caller: creator,
        address,
        code_address: address,
        value,
        data: Vec::new(),
        is_static: false,
        is_delegate: false,
    };
    let bytecode = Bytecode::new_legacy(Bytes::from(init));
    let mut outcome = with_stack(|| run(ctx, bytecode, message, fuel));
    let mut store = ctx.as_context_mut();
    let exec = store.data_mut();
    if outcome.status.is_success() {
        if let Err(status) = install(exec, address, &outcome.output, &mut outcome.fuel_left) {
            outcome = Outcome::early(status, 0);
        }
    }
    if !outcome.status.is_success() {
        exec.world.revert_to(checkpoint);
        return (None, outcome);
    }
    (Some(address), outcome)
}

/// Pays for and installs the code the init code returned.
fn install(
    exec: &mut Exec,
    address: Address,
    code: &[u8],
    fuel_left: &mut u64,
) -> Result<(), Status> {
    if code.len() > MAX_CODE_SIZE {
        let reason = format!("{} bytes of code exceed {MAX_CODE_SIZE}", code.len());
        return Err(Status::Fault(reason));
    }
    let deposit = gas_to_fuel(exec.schedule.code_deposit_byte * code.len() as u64);
    *fuel_left = fuel_left.checked_sub(deposit).ok_or(Status::OutOfGas)?;
    let code = match code {
        [] => return Ok(()),
        stylus if stylus.starts_with(&STYLUS_PREFIX[..3]) => {
            crate::program::load_deployed("created contract", stylus)
                .map(Code::Stylus)
                .map_err(|e| Status::Fault(e.to_string()))?
        }
        [0xEF, ..] => return Err(Status::Fault("code starts with 0xEF (EIP-3541)".into())),
        evm => Code::Evm(Bytecode::new_legacy(Bytes::copy_from_slice(evm))),
    };
    exec.world.update_account(address, |a| a.code = Some(code));
    Ok(())
}
