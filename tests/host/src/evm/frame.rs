//! One EVM frame: the interpreter loop, and the calls and creates its code asks for.

use alloy_primitives::{Bytes, U256};
use revm_interpreter::bytecode::Bytecode;
use revm_interpreter::interpreter::{EthInterpreter, ExtBytecode, InputsImpl, SharedMemory};
use revm_interpreter::interpreter_types::ReturnData;
use revm_interpreter::{
    instruction_table, instructions::gas_table_spec, CallInput, CallInputs, CallValue,
    CreateInputs, CreateScheme, FrameInput, InstructionResult, Interpreter, InterpreterAction,
    InterpreterResult,
};
use wasmi::AsContextMut;

use super::host::EvmHost;
use super::{create, Creation, SPEC};
use crate::gas::{gas_to_fuel, FUEL_PER_GAS};
use crate::vm::{execute, Exec, Frame, Message, Outcome, Status};

/// Runs `bytecode` for `message` with the gas `fuel` is worth. Value has already moved and
/// the caller rolls back on failure, as for a Stylus frame.
pub(crate) fn run(
    ctx: &mut impl AsContextMut<Data = Exec>,
    bytecode: Bytecode,
    mut message: Message,
    fuel: u64,
) -> Outcome {
    let mut store = ctx.as_context_mut();
    let exec = store.data_mut();
    let input = InputsImpl {
        target_address: message.address,
        bytecode_address: Some(message.code_address),
        caller_address: message.caller,
        input: CallInput::Bytes(Bytes::from(std::mem::take(&mut message.data))),
        call_value: message.value,
        depth: exec.frames.len(),
    };
    let frame = Frame::open(&exec.frames, &message, Vec::new());
    exec.frames.push(frame);
    let mut interpreter = Interpreter::new(
        SharedMemory::new(),
        ExtBytecode::new(bytecode),
        input,
        message.is_static,
        SPEC,
        fuel / FUEL_PER_GAS,
    );
    let result = drive(ctx, &mut interpreter);
    let mut store = ctx.as_context_mut();
    let exec = store.data_mut();
    exec.frames.pop();
    if result.result.is_ok() {
        // The interpreter's counter holds this frame's own `SSTORE` refunds only: `settle`
        // passes no sub-frame's refund up, as those are in the world's counter already. The
        // caller's rollback undoes this if the frame's enclosing frame fails.
        exec.world.add_refund(result.gas.refunded());
    }
    outcome(result)
}

/// Steps the interpreter until its code returns, serving each call or create on the way.
fn drive(
    ctx: &mut impl AsContextMut<Data = Exec>,
    interpreter: &mut Interpreter<EthInterpreter>,
) -> InterpreterResult {
    let gas_table = gas_table_spec(SPEC);
    loop {
        let action = {
            let mut store = ctx.as_context_mut();
            let mut host = EvmHost {
                exec: store.data_mut(),
            };
            interpreter.run_plain(&instruction_table(), &gas_table, &mut host)
        };
        match action {
            InterpreterAction::Return(result) => return result,
            InterpreterAction::NewFrame(FrameInput::Call(inputs)) => {
                call(ctx, interpreter, &inputs);
            }
            InterpreterAction::NewFrame(FrameInput::Create(inputs)) => {
                create_from(ctx, interpreter, &inputs);
            }
            // The instructions never ask for an empty frame; should one, the frame fails.
            InterpreterAction::NewFrame(FrameInput::Empty) => {
                let gas = interpreter.gas;
                return InterpreterResult::new(
                    InstructionResult::FatalExternalError,
                    Bytes::new(),
                    gas,
                );
            }
        }
    }
}

/// A frame's result as the host's [`Outcome`]: exceptional halts forfeit gas and output.
fn outcome(result: InterpreterResult) -> Outcome {
    use InstructionResult::{
        InvalidOperandOOG, MemoryLimitOOG, MemoryOOG, OutOfGas, PrecompileOOG, ReentrancySentryOOG,
    };
    let status = match result.result {
        ok if ok.is_ok() => Status::Success,
        revert if revert.is_revert() => Status::Revert,
        OutOfGas | MemoryOOG | MemoryLimitOOG | PrecompileOOG | InvalidOperandOOG
        | ReentrancySentryOOG => Status::OutOfGas,
        halt => Status::Fault(format!("EVM halt: {halt:?}")),
    };
    if !status.returns_gas() {
        return Outcome::early(status, 0);
    }
    Outcome {
        status,
        output: result.output.into(),
        fuel_left: gas_to_fuel(result.gas.remaining()),
    }
}

/// Serves a `CALL`-family instruction through [`execute`], so the callee may be a Stylus
/// program, EVM code or an account without code.
fn call(
    ctx: &mut impl AsContextMut<Data = Exec>,
    interpreter: &mut Interpreter<EthInterpreter>,
    inputs: &CallInputs,
) {
    let data = match &inputs.input {
        // Empty input has no memory range (its start is usize::MAX).
        CallInput::SharedBuffer(range) if range.is_empty() => Vec::new(),
        input => input.as_bytes_memory(&interpreter.memory).to_vec(),
    };
    // Only DELEGATECALL carries its caller's value without moving it; CALLCODE moves value
    // from the calling account to itself, which the transfer in `execute` handles as is.
    let (value, is_delegate) = match inputs.value {
        CallValue::Transfer(value) => (value, false),
        CallValue::Apparent(value) => (value, true),
    };
    let message = Message {
        caller: inputs.caller,
        address: inputs.target_address,
        code_address: inputs.bytecode_address,
        value,
        data,
        is_static: inputs.is_static,
        is_delegate,
    };
    let outcome = execute(ctx, message, gas_to_fuel(inputs.gas_limit));
    let success = outcome.status.is_success();
    if outcome.status.returns_gas() {
        let out = &inputs.return_memory_offset;
        let len = out.len().min(outcome.output.len());
        if len > 0 {
            interpreter.memory.set(out.start, &outcome.output[..len]);
        }
    }
    settle(interpreter, &outcome, U256::from(success));
}

/// Serves `CREATE`/`CREATE2`: the new account's address on the stack, or zero.
fn create_from(
    ctx: &mut impl AsContextMut<Data = Exec>,
    interpreter: &mut Interpreter<EthInterpreter>,
    inputs: &CreateInputs,
) {
    let creation = Creation {
        creator: inputs.caller(),
        value: inputs.value(),
        init: inputs.init_code().to_vec(),
        salt: match inputs.scheme() {
            CreateScheme::Create2 { salt } => Some(salt.into()),
            _ => None,
        },
    };
    let (address, mut outcome) = create(ctx, creation, gas_to_fuel(inputs.gas_limit()));
    // Return data is the init code's revert data, and nothing after a successful create.
    if outcome.status != Status::Revert {
        outcome.output.clear();
    }
    let word = address.map_or(U256::ZERO, |a| a.into_word().into());
    settle(interpreter, &outcome, word);
}

/// Hands a finished sub-frame back to its caller: unused gas, return data, the stack result.
fn settle(interpreter: &mut Interpreter<EthInterpreter>, outcome: &Outcome, result: U256) {
    // `fuel_left` never exceeds the fuel given, so this returns at most the gas forwarded.
    interpreter.gas.erase_cost(outcome.fuel_left / FUEL_PER_GAS);
    interpreter
        .return_data
        .set_buffer(Bytes::copy_from_slice(&outcome.output));
    // Cannot overflow: the instruction popped its arguments before suspending.
    let _ = interpreter.stack.push(result);
}
