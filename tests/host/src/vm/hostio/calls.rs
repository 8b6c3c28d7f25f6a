//! `call_contract`, `static_call_contract` and `delegate_call_contract`.
//!
//! The callee runs as a nested frame with at most 63/64 of the caller's remaining gas (the
//! EVM rule), plus the 2,300 stipend when value moves. Its output becomes the caller's
//! return data whatever the outcome; the hook returns 0 on success and 1 otherwise.

use alloy_primitives::U256;
use wasmi::Error;

use super::enter;
use crate::gas::gas_to_fuel;
use crate::vm::memory::{
    charge_gas, frame, frame_mut, read, read_address, read_u256, require_mutable, write_u32, Ctx,
};
use crate::vm::{execute, Message};

/// EVM gas stipend given to the callee of a value-moving call.
const CALL_STIPEND: u64 = 2_300;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Call,
    Static,
    Delegate,
}

struct Request {
    kind: Kind,
    contract: u32,
    calldata: u32,
    calldata_len: u32,
    value: Option<u32>,
    gas: u64,
    return_data_len: u32,
}

/// A `CALL`: runs `contract` with the calldata, moving `value` wei from this contract.
pub(super) fn call_contract(
    mut ctx: Ctx<'_>,
    contract: u32,
    calldata: u32,
    calldata_len: u32,
    value: u32,
    gas: u64,
    return_data_len: u32,
) -> Result<u32, Error> {
    let request = Request {
        kind: Kind::Call,
        contract,
        calldata,
        calldata_len,
        value: Some(value),
        gas,
        return_data_len,
    };
    call(&mut ctx, &request)
}

/// A `STATICCALL`: like a call without value, in which no state may change.
pub(super) fn static_call_contract(
    mut ctx: Ctx<'_>,
    contract: u32,
    calldata: u32,
    calldata_len: u32,
    gas: u64,
    return_data_len: u32,
) -> Result<u32, Error> {
    let request = Request {
        kind: Kind::Static,
        contract,
        calldata,
        calldata_len,
        value: None,
        gas,
        return_data_len,
    };
    call(&mut ctx, &request)
}

/// A `DELEGATECALL`: runs `contract`'s code on this contract's storage, sender and value.
pub(super) fn delegate_call_contract(
    mut ctx: Ctx<'_>,
    contract: u32,
    calldata: u32,
    calldata_len: u32,
    gas: u64,
    return_data_len: u32,
) -> Result<u32, Error> {
    let request = Request {
        kind: Kind::Delegate,
        contract,
        calldata,
        calldata_len,
        value: None,
        gas,
        return_data_len,
    };
    call(&mut ctx, &request)
}

fn call(ctx: &mut Ctx<'_>, request: &Request) -> Result<u32, Error> {
    enter(ctx)?;
    let target = read_address(ctx, request.contract)?;
    let data = read(ctx, request.calldata, request.calldata_len)?;
    let value = request
        .value
        .map(|ptr| read_u256(ctx, ptr))
        .transpose()?
        .unwrap_or(U256::ZERO);
    if !value.is_zero() {
        require_mutable(ctx, "value transfer")?;
    }
    let caller_frame = frame(ctx)?;
    let message = match request.kind {
        Kind::Call | Kind::Static => Message {
            caller: caller_frame.address,
            address: target,
            code_address: target,
            value,
            data,
            is_static: caller_frame.is_static || request.kind == Kind::Static,
            is_delegate: false,
        },
        Kind::Delegate => Message {
            caller: caller_frame.caller,
            address: caller_frame.address,
            code_address: target,
            value: caller_frame.value,
            data,
            is_static: caller_frame.is_static,
            is_delegate: true,
        },
    };
    let gas = access_gas(ctx, target, value);
    charge_gas(ctx, gas)?;

    let left = ctx.get_fuel()?;
    let allowance = gas_to_fuel(request.gas).min(left - left / 64);
    let stipend = if value.is_zero() {
        0
    } else {
        gas_to_fuel(CALL_STIPEND)
    };
    ctx.set_fuel(left - allowance)?;
    let outcome = execute(ctx, message, allowance + stipend);
    let refund = outcome.fuel_left.min(allowance);
    ctx.set_fuel(ctx.get_fuel()?.saturating_add(refund))?;

    let len = outcome.output.len();
    frame_mut(ctx)?.return_data = outcome.output;
    write_u32(ctx, request.return_data_len, len)?;
    Ok(u32::from(!outcome.status.is_success()))
}

/// EIP-2929 account access, plus the value-transfer and new-account surcharges.
fn access_gas(ctx: &mut Ctx<'_>, target: alloy_primitives::Address, value: U256) -> u64 {
    let exec = ctx.data_mut();
    let schedule = &exec.schedule;
    let mut gas = if exec.world.touch_account(target) {
        schedule.account_cold
    } else {
        schedule.account_warm
    };
    if !value.is_zero() {
        gas += schedule.call_value;
        if exec
            .world
            .account(&target)
            .is_none_or(crate::state::Account::is_empty)
        {
            gas += schedule.new_account;
        }
    }
    gas
}
