//! EVM bytecode next to Stylus programs: deployment, storage, logs, gas, and calls in both
//! directions over one state. The Solidity sources and how their bytecode was compiled are in
//! `tests/fixtures/evm/`.

use alloy_primitives::{hex, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolConstructor, SolError};
use keel_host::prelude::*;
use keel_host::{create2_address, create_address, deploy_init_code, read_forge_bytecode};

use super::mocks::{token, IMockErc20};
use super::support::{ask, encode, probes, IProbe, ALICE, BOB, DEPLOYER};

sol! {
    /// `Store` of `tests/fixtures/evm/Contracts.sol`.
    #[derive(Debug, PartialEq)]
    contract Store {
        constructor(uint256 initial);
        event Stored(address indexed by, uint256 value);
        error Refused(uint256 value);
        function value() external view returns (uint256);
        function set(uint256 newValue) external;
        function setThenRevert(uint256 newValue) external;
        function info() external payable returns (address sender, uint256 amount, address origin);
    }

    /// `Relay` of `tests/fixtures/evm/Contracts.sol`.
    #[derive(Debug, PartialEq)]
    contract Relay {
        event Sent(address indexed token, address indexed to, uint256 amount);
        function forward(address target, bytes data) external payable returns (bytes);
        function tryCall(address target, bytes data) external returns (bool ok, bytes out);
        function tryStaticCall(address target, bytes data) external view returns (bool ok, bytes out);
        function tryDelegateCall(address target, bytes data) external returns (bool ok, bytes out);
        function balanceOf(address token) external view returns (uint256);
        function send(address token, address to, uint256 amount) external returns (bool);
        function sendThenRevert(address token, address to, uint256 amount) external;
        function codeSize(address account) external view returns (uint256);
    }

    /// `Factory` of `tests/fixtures/evm/Contracts.sol`.
    contract Factory {
        function make(uint256 initial) external returns (address);
        function make2(uint256 initial, bytes32 salt) external returns (address);
        function deploy(bytes init) external returns (address created);
    }
}

const STORE: &str = include_str!("../fixtures/evm/Store.hex");
const RELAY: &str = include_str!("../fixtures/evm/Relay.hex");
const FACTORY: &str = include_str!("../fixtures/evm/Factory.hex");

/// Creation bytecode of a fixture, constructor arguments appended.
fn init_code(fixture: &str, args: &[u8]) -> Vec<u8> {
    let code = hex::decode(fixture.trim()).expect("fixtures are hex");
    [&code[..], args].concat()
}

fn deploy(host: &mut Host, fixture: &str, args: &[u8]) -> Address {
    host.deploy_evm(DEPLOYER, &init_code(fixture, args))
        .expect("fixture deploys")
}

fn store_args(initial: u64) -> Vec<u8> {
    Store::constructorCall {
        initial: U256::from(initial),
    }
    .abi_encode()
}

fn store(host: &mut Host, initial: u64) -> Address {
    deploy(host, STORE, &store_args(initial))
}

fn value(host: &mut Host, store: Address) -> U256 {
    host.view(store, &Store::valueCall {}).unwrap()
}

/// A host with a probe, a `Store` holding 1 and a `Relay`.
fn mixed() -> (Host, Address, Address, Address) {
    let (mut host, [probe]) = probes();
    let store = store(&mut host, 1);
    let relay = deploy(&mut host, RELAY, &[]);
    (host, probe, store, relay)
}

/// Decodes the `bytes` a `forward` returned as `C`'s return value.
fn forwarded<C: SolCall>(output: &[u8]) -> C::Return {
    C::abi_decode_returns(output).expect("forwarded output decodes")
}

#[test]
fn evm_init_code_deploys_at_the_create_address_and_runs_its_constructor() {
    let mut host = Host::new();
    host.fund(DEPLOYER, U256::from(1));
    let nonce = host.nonce(DEPLOYER);
    let store = store(&mut host, 7);
    assert_eq!(store, create_address(DEPLOYER, nonce));
    assert_eq!(host.nonce(DEPLOYER), nonce + 1);
    assert_eq!(host.nonce(store), 1);
    assert_eq!(value(&mut host, store), U256::from(7));
    let runtime = host.code(store);
    assert!(!runtime.is_empty() && runtime.len() < init_code(STORE, &[]).len());
    assert!(host.program(store).is_none());
}

#[test]
fn a_reverting_evm_constructor_deploys_nothing_but_uses_the_nonce() {
    let mut host = Host::new();
    // No constructor argument: the ABI decoder in the constructor reverts.
    let error = host
        .deploy_evm(DEPLOYER, &init_code(STORE, &[]))
        .unwrap_err();
    assert!(
        matches!(error, HostError::ConstructorFailed { .. }),
        "{error}"
    );
    assert!(host.code(create_address(DEPLOYER, 0)).is_empty());
    assert_eq!(host.nonce(DEPLOYER), 1);
}

#[test]
fn evm_storage_persists_and_is_the_hosts_storage() {
    let (mut host, _, store, _) = mixed();
    let set = Store::setCall {
        newValue: U256::from(42),
    };
    host.call(ALICE, store, &set).unwrap().success().unwrap();
    assert_eq!(value(&mut host, store), U256::from(42));
    assert_eq!(host.storage(store, B256::ZERO), B256::from(U256::from(42)));
}

#[test]
fn logs_from_evm_code_are_in_the_receipt() {
    let (mut host, _, store, _) = mixed();
    let receipt = host
        .call(
            ALICE,
            store,
            &Store::setCall {
                newValue: U256::from(5),
            },
        )
        .unwrap();
    let events = receipt.events::<Store::Stored>().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].address, store);
    assert_eq!((events[0].by, events[0].value), (ALICE, U256::from(5)));
}

#[test]
fn an_evm_revert_returns_its_data_and_undoes_its_writes_and_logs() {
    let (mut host, _, store, _) = mixed();
    let call = Store::setThenRevertCall {
        newValue: U256::from(9),
    };
    let receipt = host.call(ALICE, store, &call).unwrap();
    assert_eq!(receipt.status, Status::Revert);
    assert_eq!(
        receipt.revert_as::<Store::Refused>().unwrap().value,
        U256::from(9)
    );
    assert!(receipt.logs.is_empty());
    assert_eq!(value(&mut host, store), U256::from(1));
}

#[test]
fn evm_gas_is_counted_in_the_receipt() {
    let (mut host, _, store, _) = mixed();
    let set = |n| Store::setCall {
        newValue: U256::from(n),
    };
    // 1 -> 0 -> 5: the second write sets a slot that was zero at transaction start
    // (SSTORE 20,000), the first resets a non-zero one (2,900).
    let reset = host.call(ALICE, store, &set(0)).unwrap().success().unwrap();
    let fresh = host.call(ALICE, store, &set(5)).unwrap().success().unwrap();
    assert!(reset.gas_used > 2_900 + 2_100, "{}", reset.gas_used);
    assert!(
        fresh.gas_used > reset.gas_used + 15_000,
        "{} vs {}",
        fresh.gas_used,
        reset.gas_used
    );
    assert_eq!(fresh.ink_used, fresh.gas_used * 10_000);
}

#[test]
fn evm_code_calls_a_stylus_token_as_itself() {
    let (mut host, _, _, relay) = mixed();
    let token = token(&mut host);
    let fund = IMockErc20::transferCall {
        to: relay,
        value: U256::from(100),
    };
    host.call(ALICE, token, &fund).unwrap().success().unwrap();
    assert_eq!(
        host.view(relay, &Relay::balanceOfCall { token }).unwrap(),
        U256::from(100)
    );

    let send = Relay::sendCall {
        token,
        to: BOB,
        amount: U256::from(30),
    };
    let receipt = host.call(ALICE, relay, &send).unwrap();
    assert!(receipt.returns().unwrap());
    let balance = |host: &mut Host, account| {
        host.view(token, &IMockErc20::balanceOfCall { account })
            .unwrap()
    };
    assert_eq!(balance(&mut host, relay), U256::from(70));
    assert_eq!(balance(&mut host, BOB), U256::from(30));
    // Logs of both VMs, in order: the program's Transfer, then the EVM contract's Sent.
    let transfers = receipt.events::<IMockErc20::Transfer>().unwrap();
    assert_eq!((transfers[0].address, transfers[0].from), (token, relay));
    let emitters: Vec<Address> = receipt.logs.iter().map(|log| log.address).collect();
    assert_eq!(emitters, [token, relay]);
}

#[test]
fn an_evm_revert_undoes_the_stylus_writes_it_caused() {
    let (mut host, _, _, relay) = mixed();
    let token = token(&mut host);
    let fund = IMockErc20::transferCall {
        to: relay,
        value: U256::from(100),
    };
    host.call(ALICE, token, &fund).unwrap().success().unwrap();
    let call = Relay::sendThenRevertCall {
        token,
        to: BOB,
        amount: U256::from(30),
    };
    let receipt = host.call(ALICE, relay, &call).unwrap();
    let reason = alloy_sol_types::Revert::abi_decode(&receipt.output).unwrap();
    assert_eq!(reason.reason, "after transfer");
    assert!(receipt.logs.is_empty());
    let bob = host
        .view(token, &IMockErc20::balanceOfCall { account: BOB })
        .unwrap();
    assert_eq!(bob, U256::ZERO);
}

#[test]
fn a_stylus_program_calls_evm_code_with_value() {
    let (mut host, probe, store, _) = mixed();
    let call = IProbe::forwardCall {
        target: store,
        value: U256::from(10),
        data: encode(&Store::infoCall {}),
    };
    let receipt = host
        .call_with_value(ALICE, probe, U256::from(10), &call)
        .unwrap();
    let info = forwarded::<Store::infoCall>(&receipt.returns().unwrap());
    assert_eq!(
        (info.sender, info.amount, info.origin),
        (probe, U256::from(10), ALICE)
    );
    assert_eq!(host.balance(store), U256::from(10));
    assert_eq!(host.balance(probe), U256::ZERO);
}

#[test]
fn evm_code_calls_a_stylus_program_with_value() {
    let (mut host, probe, _, relay) = mixed();
    let call = Relay::forwardCall {
        target: probe,
        data: encode(&IProbe::messageInfoCall {}),
    };
    let receipt = host
        .call_with_value(ALICE, relay, U256::from(10), &call)
        .unwrap();
    let info = forwarded::<IProbe::messageInfoCall>(&receipt.returns().unwrap());
    assert_eq!(
        (info.sender, info.value, info.origin, info.reentrant),
        (relay, U256::from(10), ALICE, false)
    );
    assert_eq!(host.balance(probe), U256::from(10));
    assert_eq!(host.balance(relay), U256::ZERO);
}

#[test]
fn revert_data_and_rollback_cross_from_evm_to_stylus_and_back() {
    let (mut host, probe, store, relay) = mixed();
    let failing = IProbe::setThenFailCall {
        key: U256::from(1),
        value: U256::from(2),
        code: U256::from(77),
    };
    let call = Relay::tryCallCall {
        target: probe,
        data: encode(&failing),
    };
    let result = host.call(ALICE, relay, &call).unwrap().returns().unwrap();
    assert!(!result.ok);
    let error = IProbe::ProbeFailed::abi_decode(&result.out).unwrap();
    assert_eq!(error.code, U256::from(77));
    let stored = host
        .view(probe, &IProbe::valueOfCall { key: U256::from(1) })
        .unwrap();
    assert_eq!(stored, U256::ZERO);

    let call = IProbe::tryCallCall {
        target: store,
        value: U256::ZERO,
        gas: u64::MAX,
        data: encode(&Store::setThenRevertCall {
            newValue: U256::from(3),
        }),
    };
    let receipt = host.call(ALICE, probe, &call).unwrap();
    let result = receipt.returns().unwrap();
    assert!(!result.ok);
    assert_eq!(
        Store::Refused::abi_decode(&result.output).unwrap().value,
        U256::from(3)
    );
    assert!(receipt.logs.is_empty());
    assert_eq!(value(&mut host, store), U256::from(1));
}

#[test]
fn a_stylus_revert_undoes_the_evm_writes_and_logs_it_caused() {
    let (mut host, probe, store, _) = mixed();
    let call = IProbe::callThenFailCall {
        target: store,
        data: encode(&Store::setCall {
            newValue: U256::from(5),
        }),
        code: U256::from(1),
    };
    let receipt = host.call(ALICE, probe, &call).unwrap();
    assert!(receipt.is_revert());
    assert!(receipt.logs.is_empty());
    assert_eq!(value(&mut host, store), U256::from(1));
}

#[test]
fn a_static_context_forbids_writes_in_both_vms() {
    let (mut host, probe, store, relay) = mixed();
    let write = encode(&Store::setCall {
        newValue: U256::from(5),
    });
    let from_stylus = IProbe::tryStaticCallCall {
        target: store,
        data: write,
    };
    assert!(!ask(&mut host, probe, &from_stylus).ok);
    assert_eq!(value(&mut host, store), U256::from(1));

    let from_evm = Relay::tryStaticCallCall {
        target: probe,
        data: encode(&IProbe::incrementCall {}),
    };
    assert!(!ask(&mut host, relay, &from_evm).ok);
    // Static through EVM code that itself only CALLs: the flag reaches the program.
    let through_evm = IProbe::tryStaticCallCall {
        target: relay,
        data: encode(&Relay::forwardCall {
            target: probe,
            data: encode(&IProbe::incrementCall {}),
        }),
    };
    assert!(!ask(&mut host, probe, &through_evm).ok);
    assert_eq!(
        host.view(probe, &IProbe::counterCall {}).unwrap(),
        U256::ZERO
    );

    let read = Relay::tryStaticCallCall {
        target: probe,
        data: encode(&IProbe::counterCall {}),
    };
    assert!(ask(&mut host, relay, &read).ok);
}

#[test]
fn reentry_through_evm_code_is_seen_by_the_program() {
    let (mut host, [probe, other]) = probes();
    let relay = deploy(&mut host, RELAY, &[]);
    let via_relay = |target| IProbe::tryCallCall {
        target: relay,
        value: U256::ZERO,
        gas: u64::MAX,
        data: encode(&Relay::forwardCall {
            target,
            data: encode(&IProbe::messageInfoCall {}),
        }),
    };
    let elsewhere = ask(&mut host, probe, &via_relay(other));
    let inner = forwarded::<Relay::forwardCall>(&elsewhere.output);
    let info = forwarded::<IProbe::messageInfoCall>(&inner);
    assert_eq!((info.sender, info.reentrant), (relay, false));
    // Back into the probe: the SDK's reentrancy guard (no `reentrant` feature) sees the
    // probe's frame below the EVM frame and reverts with empty data.
    let back = ask(&mut host, probe, &via_relay(probe));
    assert!(!back.ok);
    assert!(back.output.is_empty());
}

#[test]
fn evm_delegatecall_runs_stylus_code_on_the_evm_contracts_storage() {
    let (mut host, probe, _, relay) = mixed();
    let delegate = |data| Relay::tryDelegateCallCall {
        target: probe,
        data,
    };
    for _ in 0..2 {
        assert!(
            ask(
                &mut host,
                relay,
                &delegate(encode(&IProbe::incrementCall {}))
            )
            .ok
        );
    }
    let result = ask(&mut host, relay, &delegate(encode(&IProbe::counterCall {})));
    assert!(result.ok);
    assert_eq!(forwarded::<IProbe::counterCall>(&result.out), U256::from(2));
    assert_eq!(
        host.view(probe, &IProbe::counterCall {}).unwrap(),
        U256::ZERO
    );
}

#[test]
fn stylus_delegatecall_runs_evm_code_on_the_programs_storage() {
    let (mut host, probe, store, _) = mixed();
    let delegate = |data| IProbe::tryDelegateCallCall {
        target: store,
        data,
    };
    let set = encode(&Store::setCall {
        newValue: U256::from(9),
    });
    let receipt = host.call(ALICE, probe, &delegate(set)).unwrap();
    assert!(receipt.returns().unwrap().ok);
    let stored = receipt.events::<Store::Stored>().unwrap();
    assert_eq!((stored[0].address, stored[0].by), (probe, ALICE));
    let read = ask(&mut host, probe, &delegate(encode(&Store::valueCall {})));
    assert_eq!(forwarded::<Store::valueCall>(&read.output), U256::from(9));
    assert_eq!(value(&mut host, store), U256::from(1));
}

#[test]
fn each_vm_sees_the_others_code() {
    let (mut host, probe, store, relay) = mixed();
    let size = host
        .view(relay, &Relay::codeSizeCall { account: probe })
        .unwrap();
    assert_eq!(size, U256::from(host.code(probe).len()));
    assert!(host.code(probe).starts_with(&[0xEF, 0xF0, 0x00]));
    let info = host
        .view(probe, &IProbe::accountInfoCall { who: store })
        .unwrap();
    assert_eq!(info.codeSize, U256::from(host.code(store).len()));
    assert_eq!(info.codehash, keccak256(host.code(store)));
}

#[test]
fn evm_code_creates_contracts_with_create_and_create2() {
    let mut host = Host::new();
    let factory = deploy(&mut host, FACTORY, &[]);
    let made = ask(
        &mut host,
        factory,
        &Factory::makeCall {
            initial: U256::from(4),
        },
    );
    assert_eq!(made, create_address(factory, 1));
    assert_eq!(value(&mut host, made), U256::from(4));

    let salt = B256::repeat_byte(7);
    let call = Factory::make2Call {
        initial: U256::from(5),
        salt,
    };
    let made2 = ask(&mut host, factory, &call);
    let init = init_code(STORE, &store_args(5));
    assert_eq!(made2, create2_address(factory, salt, &init));
    assert_eq!(value(&mut host, made2), U256::from(5));
    // The same salt and init code again: the address is taken, so the create fails.
    assert!(host.call(ALICE, factory, &call).unwrap().is_revert());
}

#[test]
fn evm_code_deploys_a_stylus_program_from_its_deploy_init_code() {
    let (mut host, [probe]) = probes();
    let factory = deploy(&mut host, FACTORY, &[]);
    let init = deploy_init_code(host.program(probe).unwrap().code());
    let created = ask(
        &mut host,
        factory,
        &Factory::deployCall { init: init.into() },
    );
    assert_ne!(created, Address::ZERO);
    assert_eq!(
        host.program(created).unwrap().codehash(),
        host.program(probe).unwrap().codehash()
    );
    assert_eq!(
        ask(&mut host, created, &IProbe::incrementCall {}),
        U256::from(1)
    );
}

#[test]
fn a_stylus_program_deploys_solidity_init_code() {
    let (mut host, [probe]) = probes();
    let call = IProbe::deployCall {
        init: init_code(STORE, &store_args(8)).into(),
        useCreate2: false,
        salt: B256::ZERO,
        endowment: U256::ZERO,
    };
    let created = ask(&mut host, probe, &call);
    assert_eq!(created, create_address(probe, 1));
    assert_eq!(value(&mut host, created), U256::from(8));
}

#[test]
fn a_forge_artifact_deploys_its_creation_bytecode() {
    let dir = std::env::temp_dir().join(format!("keel-host-evm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Store.json");
    let artifact = format!(
        r#"{{"abi":[],"bytecode":{{"object":"0x{}"}}}}"#,
        STORE.trim()
    );
    std::fs::write(&path, artifact).unwrap();
    let code = read_forge_bytecode(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let mut host = Host::new();
    let store = host
        .deploy_evm(DEPLOYER, &[&code[..], &store_args(3)].concat())
        .unwrap();
    assert_eq!(value(&mut host, store), U256::from(3));
}

#[test]
fn installed_evm_code_runs_for_transactions_and_program_calls() {
    let (mut host, [probe]) = probes();
    // PUSH1 42 PUSH0 MSTORE PUSH1 32 PUSH0 RETURN: returns the word 42.
    let answer = [0x60, 0x2A, 0x5F, 0x52, 0x60, 0x20, 0x5F, 0xF3];
    let contract = Address::repeat_byte(0x42);
    host.install_evm(contract, &answer);
    assert_eq!(host.code(contract), answer);
    let word = U256::from(42).to_be_bytes::<32>();
    let receipt = host.send(ALICE, contract, U256::ZERO, &[]).unwrap();
    assert_eq!(receipt.output[..], word);
    let call = IProbe::forwardCall {
        target: contract,
        value: U256::ZERO,
        data: Bytes::new(),
    };
    assert_eq!(ask(&mut host, probe, &call)[..], word);
    host.install_evm(contract, &[]);
    assert!(host.code(contract).is_empty());
}

#[test]
fn value_sent_by_evm_code_to_an_account_without_code_is_a_transfer() {
    let (mut host, _, _, relay) = mixed();
    let carol = Address::repeat_byte(0xC0);
    let call = Relay::forwardCall {
        target: carol,
        data: Bytes::new(),
    };
    host.call_with_value(ALICE, relay, U256::from(6), &call)
        .unwrap()
        .success()
        .unwrap();
    assert_eq!(host.balance(carol), U256::from(6));
}
