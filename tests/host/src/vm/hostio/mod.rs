//! The `vm_hooks` implementations, grouped by what they touch.
//!
//! Every hook first charges the host I/O base price, then its EVM-priced work, then acts.
//! A hook that finds the program breaking a rule returns [`Exit::Fault`], which fails the
//! frame (revert with empty data, all its gas forfeited), as a trap does on Nitro.

mod account;
mod calls;
mod context;
mod create;
mod io;
mod log;
mod math;
mod storage;

use core::fmt;

use wasmi::{AsContextMut, Func};

use super::memory::{charge, Ctx};
use super::Exec;

/// Why a program stopped before `user_entrypoint` returned.
#[derive(Debug)]
pub(crate) enum Exit {
    /// `exit_early(status)`: stop now, keeping the result written so far.
    Early(u32),
    /// Fuel ran out inside a hook.
    OutOfGas,
    /// The program broke a rule of the host.
    Fault(String),
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exit::Early(status) => write!(f, "exit_early({status})"),
            Exit::OutOfGas => f.write_str("out of gas"),
            Exit::Fault(reason) => f.write_str(reason),
        }
    }
}

impl wasmi::errors::HostError for Exit {}

/// Charges the base price every hook pays.
pub(crate) fn enter(ctx: &mut Ctx<'_>) -> Result<(), wasmi::Error> {
    let fuel = super::call::hostio_fuel(ctx.data());
    charge(ctx, fuel)
}

macro_rules! hooks {
    ($($module:ident::$name:ident),* $(,)?) => {
        /// Names of the hooks [`define_hooks`] creates.
        #[cfg(test)]
        const DEFINED: &[&str] = &[$(stringify!($name)),*];

        /// Creates every hook of [`crate::hooks::HOOKS`] as a function of the store, in the
        /// order of that table (a test keeps the two in step).
        pub(crate) fn define_hooks(mut ctx: impl AsContextMut<Data = Exec>) -> Vec<Func> {
            let mut hooks = vec![$((stringify!($name), Func::wrap(&mut ctx, $module::$name))),*];
            hooks.sort_unstable_by_key(|(name, _)| *name);
            hooks.into_iter().map(|(_, func)| func).collect()
        }
    };
}

hooks!(
    account::account_balance,
    account::account_code,
    account::account_code_size,
    account::account_codehash,
    calls::call_contract,
    calls::delegate_call_contract,
    calls::static_call_contract,
    context::block_basefee,
    context::block_coinbase,
    context::block_gas_limit,
    context::block_number,
    context::block_timestamp,
    context::chainid,
    context::contract_address,
    context::evm_gas_left,
    context::evm_ink_left,
    context::msg_reentrant,
    context::msg_sender,
    context::msg_value,
    context::tx_gas_price,
    context::tx_ink_price,
    context::tx_origin,
    create::create1,
    create::create2,
    io::exit_early,
    io::pay_for_memory_grow,
    io::read_args,
    io::read_return_data,
    io::return_data_size,
    io::write_result,
    log::emit_log,
    math::math_add_mod,
    math::math_div,
    math::math_mod,
    math::math_mul_mod,
    math::math_pow,
    math::native_keccak256,
    storage::storage_cache_bytes32,
    storage::storage_flush_cache,
    storage::storage_load_bytes32,
    storage::transient_load_bytes32,
    storage::transient_store_bytes32,
);

#[cfg(test)]
mod tests {
    use crate::hooks::{Ty, HOOKS};

    fn wat_type(ty: Ty) -> &'static str {
        match ty {
            Ty::I32 => "i32",
            Ty::I64 => "i64",
        }
    }

    /// A module importing every hook of the table with its declared signature.
    fn importing_every_hook() -> String {
        let mut wat = String::from("(module\n");
        for hook in HOOKS {
            let params: Vec<&str> = hook.params.iter().copied().map(wat_type).collect();
            let results: Vec<&str> = hook.results.iter().copied().map(wat_type).collect();
            wat.push_str(&format!(
                "(import \"vm_hooks\" \"{}\" (func (param {}) (result {})))\n",
                hook.name,
                params.join(" "),
                results.join(" ")
            ));
        }
        wat.push(')');
        wat
    }

    #[test]
    fn every_hook_of_the_table_is_defined_with_its_signature() {
        let wasm = wat::parse_str(importing_every_hook()).expect("generated WAT parses");
        let engine = crate::vm::engine();
        let module = wasmi::Module::new(engine, &wasm).expect("module compiles");
        let mut store = wasmi::Store::new(engine, super::Exec::default());
        let hooks: Vec<wasmi::Extern> = super::define_hooks(&mut store)
            .into_iter()
            .map(wasmi::Extern::Func)
            .collect();
        let linked = wasmi::Instance::new(&mut store, &module, &hooks);
        assert!(linked.is_ok(), "{:?}", linked.err());
    }

    #[test]
    fn exactly_the_hooks_of_the_table_are_defined() {
        let mut defined = super::DEFINED.to_vec();
        defined.sort_unstable();
        let table: Vec<&str> = HOOKS.iter().map(|h| h.name).collect();
        assert_eq!(defined, table);
    }
}
