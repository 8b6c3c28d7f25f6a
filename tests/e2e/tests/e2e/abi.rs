//! The published ABI (`abi/json/`) against the real `.wasm` on the local host.
//!
//! Calls are built only from the JSON ABI, never from the crates' `sol!` types, so a wrong
//! selector, argument list or return type in `abi/` fails here:
//!
//! * every view is called with ABI-encoded arguments and must succeed (or, for a Liquidator
//!   view about an auction that does not exist, revert with a custom error of the ABI), and its
//!   return data must decode with the ABI's output types and re-encode to the same bytes;
//! * every state-changing function called by a stranger must revert with a custom error
//!   declared in the ABI, whose arguments decode, unless anyone may call it (opening a margin
//!   account, approving, poking, …): then it must succeed;
//! * every event the contracts emit while being configured is declared in the ABI.

use std::{collections::BTreeSet, path::Path};

use alloy_dyn_abi::{DynSolType, DynSolValue, FunctionExt, JsonAbiExt, Specifier};
use alloy_json_abi::{Function, JsonAbi, StateMutability};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::sol;
use keel_e2e::{
    risk_oracle::{name, World, ADMIN, MALLORY, WETH},
    system::System,
};
use keel_host::prelude::*;

sol! {
    /// The mock ERC-20's constructor (mocks are not part of `abi/`).
    contract Token {
        constructor(string name, string symbol, uint8 decimals, address owner);
    }
}

/// `abi/json/<name>.json`.
fn abi(name: &str) -> JsonAbi {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../abi/json/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An argument for an input of this type and name: the listed asset for addresses, a known
/// parameter name for `bytes32`, and numbers inside every view's accepted range (a 1 %
/// probability target, a one-day horizon, one WAD otherwise).
fn argument(ty: &DynSolType, param: &str, asset: Address) -> DynSolValue {
    let wad = U256::from(10u64).pow(U256::from(18));
    match ty {
        DynSolType::Address => DynSolValue::Address(asset),
        DynSolType::Bool => DynSolValue::Bool(true),
        DynSolType::FixedBytes(32) => DynSolValue::FixedBytes(name("k"), 32),
        DynSolType::Uint(bits) => {
            let value = match param {
                "p" => wad / U256::from(100),
                "horizon" => U256::from(86_400),
                "id" | "level" | "account" | "market" => U256::from(1),
                _ => wad,
            };
            DynSolValue::Uint(value, *bits)
        }
        DynSolType::Int(bits) => DynSolValue::Int(alloy_primitives::I256::from_raw(wad), *bits),
        DynSolType::Bytes => DynSolValue::Bytes(vec![1, 2, 3]),
        other => panic!("no test argument for a {other} input ({param})"),
    }
}

/// The calldata of `f` with test arguments.
fn calldata(f: &Function, asset: Address) -> Vec<u8> {
    let args: Vec<DynSolValue> = f
        .inputs
        .iter()
        .map(|p| argument(&p.resolve().expect("input type"), &p.name, asset))
        .collect();
    f.abi_encode_input(&args).expect("encode")
}

/// The name of the ABI error that `revert` encodes, after checking that its arguments decode.
fn declared_error(abi: &JsonAbi, revert: &[u8]) -> Option<String> {
    let selector = revert.get(..4)?;
    let error = abi.errors().find(|e| e.selector().as_slice() == selector)?;
    error.abi_decode_input(&revert[4..]).ok()?;
    Some(error.name.clone())
}

/// Calls every function of `interface` at `contract` (see the module docs). Views named in
/// `may_revert` may revert with a declared error instead of returning; state-changing
/// functions named in `anyone` are permissionless and must succeed for a stranger.
fn call_every_function(
    host: &mut Host,
    interface: &str,
    contract: Address,
    asset: Address,
    may_revert: &[&str],
    anyone: &[&str],
) {
    let abi = abi(interface);
    assert!(
        abi.functions().next().is_some(),
        "{interface} declares no function"
    );
    for f in abi.functions() {
        let data = calldata(f, asset);
        let view = matches!(
            f.state_mutability,
            StateMutability::View | StateMutability::Pure
        );
        let from = if view { ADMIN } else { MALLORY };
        let receipt = host.simulate(from, contract, &data).expect("run");
        let what = format!("{interface}.{}", f.signature());
        match (view, receipt.is_success()) {
            (true, true) => {
                let values = f
                    .abi_decode_output(&receipt.output)
                    .unwrap_or_else(|e| panic!("{what}: return data does not decode: {e}"));
                assert_eq!(
                    f.abi_encode_output(&values).expect("encode"),
                    receipt.output.to_vec(),
                    "{what}: return data is not the canonical encoding of the ABI's outputs"
                );
            }
            (true, false) => {
                let error = declared_error(&abi, &receipt.output);
                assert!(
                    may_revert.contains(&f.name.as_str()) && error.is_some(),
                    "{what} reverted with {:?} ({error:?})",
                    receipt.output
                );
            }
            (false, true) => assert!(
                anyone.contains(&f.name.as_str()),
                "{what} succeeded for a stranger"
            ),
            (false, false) => assert!(
                !anyone.contains(&f.name.as_str())
                    && declared_error(&abi, &receipt.output).is_some(),
                "{what}: a stranger's call reverted with {:?}, not an error of {interface}",
                receipt.output
            ),
        }
    }
}

/// The topics of every event `interface` declares.
fn event_topics(interface: &str) -> BTreeSet<B256> {
    abi(interface).events().map(|e| e.selector()).collect()
}

/// Runs `f` of `interface` (by name, with the given arguments) from `from`; returns the topic
/// of each log the contract emitted.
fn emitted(
    host: &mut Host,
    interface: &str,
    contract: Address,
    from: Address,
    f: &str,
    args: &[DynSolValue],
) -> Vec<B256> {
    let abi = abi(interface);
    let function = abi.function(f).and_then(|fs| fs.first()).expect("function");
    let data = function.abi_encode_input(args).expect("encode");
    let receipt = host.send(from, contract, U256::ZERO, &data).expect("run");
    assert!(
        receipt.is_success(),
        "{interface}.{f}: {:?}",
        receipt.output
    );
    receipt
        .logs
        .iter()
        .filter(|log| log.address == contract)
        .filter_map(|log| log.topics().first().copied())
        .collect()
}

#[test]
fn risk_oracle_and_model_answer_every_function_of_the_abi() {
    let mut w = World::new();
    call_every_function(&mut w.host, "IRiskOracle", w.oracle, WETH, &[], &[]);
    call_every_function(&mut w.host, "IRiskModel", w.model, WETH, &[], &[]);
}

#[test]
fn risk_model_passes_the_oracle_error_declared_in_its_abi() {
    let mut w = World::new();
    let abi = abi("IRiskModel");
    let f = abi
        .function("maxLeverage")
        .and_then(|fs| fs.first())
        .expect("maxLeverage");
    let unknown = Address::repeat_byte(0x77);
    let receipt = w
        .host
        .simulate(ADMIN, w.model, &calldata(f, unknown))
        .expect("run");
    assert!(!receipt.is_success());
    assert_eq!(
        declared_error(&abi, &receipt.output).as_deref(),
        Some("OracleUnknownAsset")
    );
}

#[test]
fn risk_oracle_emits_only_events_of_its_abi() {
    let mut w = World::new();
    let declared = event_topics("IRiskOracle");
    let mut seen = BTreeSet::new();
    let wad = U256::from(10u64).pow(U256::from(18));
    let k = DynSolValue::FixedBytes(name("k"), 32);
    seen.extend(emitted(
        &mut w.host,
        "IRiskOracle",
        w.oracle,
        ADMIN,
        "file",
        &[k, DynSolValue::Uint(wad, 256)],
    ));
    w.warp(keel_e2e::risk_oracle::T0 + 60);
    w.answer(301_000); // $3,010.00
    let asset = DynSolValue::Address(WETH);
    seen.extend(emitted(
        &mut w.host,
        "IRiskOracle",
        w.oracle,
        MALLORY,
        "poke",
        &[asset],
    ));
    assert_eq!(seen, declared, "emitted events vs the ABI's");
}

#[test]
fn liquidator_answers_every_function_of_the_abi() -> Result<(), HostError> {
    let mut host = Host::new();
    let token = |decimals: u8| Token::constructorCall {
        name: "Token".into(),
        symbol: "TKN".into(),
        decimals,
        owner: ADMIN,
    };
    let quote = host.deploy_contract(ADMIN, "keel_mock_erc20", token(6))?;
    let weth = host.deploy_contract(ADMIN, "keel_mock_erc20", token(18))?;
    let liquidator = host.deploy_contract(ADMIN, "keel_liquidator", Args((quote, ADMIN)))?;
    let declared = event_topics("ILiquidator");
    let mut seen = emitted(
        &mut host,
        "ILiquidator",
        liquidator,
        ADMIN,
        "init",
        &[DynSolValue::Address(weth)],
    );
    let hole = [
        DynSolValue::FixedBytes(name("Hole"), 32),
        DynSolValue::Uint(U256::from(1), 256),
    ];
    seen.extend(emitted(
        &mut host,
        "ILiquidator",
        liquidator,
        ADMIN,
        "file",
        &hole,
    ));
    assert!(
        !seen.is_empty() && seen.iter().all(|t| declared.contains(t)),
        "{seen:?}"
    );
    // No auction is running: the views about auction 1 revert with a declared error.
    call_every_function(
        &mut host,
        "ILiquidator",
        liquidator,
        weth,
        &["getStatus"],
        &[],
    );
    Ok(())
}

#[test]
fn margin_system_and_vault_answer_every_function_of_the_abi() -> Result<(), HostError> {
    let mut s = System::new();
    let (engine, backstop, vault, weth) = (s.engine, s.backstop, s.vault, s.weth);
    let model = s.world.model;
    let lens = s
        .host()
        .deploy_contract(ADMIN, "keel_margin_lens", Args((engine, model)))?;
    let host = s.host();
    call_every_function(host, "IMarginEngine", engine, weth, &[], &["openAccount"]);
    call_every_function(host, "IBackstop", backstop, weth, &[], &[]);
    call_every_function(
        host,
        "IDrawdownVault",
        vault,
        weth,
        &[],
        &["approve", "poke", "rebalance"],
    );
    call_every_function(host, "IMarginLens", lens, weth, &[], &[]);
    Ok(())
}
