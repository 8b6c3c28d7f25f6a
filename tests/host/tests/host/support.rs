//! Shared fixtures: the probe's ABI, well-known accounts and deployment helpers.

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use keel_host::prelude::*;

sol! {
    /// ABI of `tests/contracts/hostio-probe`.
    #[derive(Debug, PartialEq)]
    interface IProbe {
        event Ping(uint256 indexed id, address indexed sender, bytes data);

        error ProbeFailed(uint256 code);
        error CallFailed(bytes data);
        error DeployFailed(bytes data);
        error UnknownMathOp(uint8 op);

        function increment() external returns (uint256);
        function counter() external view returns (uint256);
        function setValue(uint256 key, uint256 value) external;
        function valueOf(uint256 key) external view returns (uint256);
        function setThenFail(uint256 key, uint256 value, uint256 code) external;
        function ping(uint256 id, bytes data) external;
        function messageInfo() external payable returns (address sender, uint256 value, address origin, bool reentrant);
        function txInfo() external view returns (uint256 gasPrice, uint32 inkPrice, address this_);
        function blockInfo() external view returns (uint64 number, uint64 timestamp, uint256 basefee, address coinbase, uint64 gasLimit, uint64 chainId);
        function gasLeft() external view returns (uint64 gas, uint64 ink);
        function accountInfo(address who) external view returns (uint256 balance, uint256 codeSize, bytes32 codehash);
        function codeWindow(address who, uint256 offset, uint256 size) external view returns (bytes);
        function hash(bytes data) external view returns (bytes32);
        function math(uint8 op, uint256 a, uint256 b, uint256 m) external view returns (uint256);
        function transientStore(bytes32 key, bytes32 value) external;
        function transientLoad(bytes32 key) external view returns (bytes32);
        function transientRoundTrip(bytes32 key, bytes32 value) external returns (bytes32);
        function exitWith(uint32 status, bytes data) external;
        function forward(address target, uint256 value, bytes data) external payable returns (bytes);
        function tryCall(address target, uint256 value, uint64 gas, bytes data) external returns (bool ok, bytes output);
        function tryStaticCall(address target, bytes data) external view returns (bool ok, bytes output);
        function tryDelegateCall(address target, bytes data) external returns (bool ok, bytes output);
        function callThenFail(address target, bytes data, uint256 code) external;
        function returnDataWindow(address target, bytes data, uint256 offset, uint256 size) external returns (uint256 total, bytes window);
        function cloneSelf(bool useCreate2, bytes32 salt, uint256 endowment) external returns (address);
        function deploy(bytes init, bool useCreate2, bytes32 salt, uint256 endowment) external returns (address);
        function spin(uint256 rounds) external view returns (bytes32);
        function grow(uint256 kib) external view returns (uint256);
    }
}

/// Deploys contracts in these tests.
pub(crate) const DEPLOYER: Address = Address::repeat_byte(0xD0);
/// An externally owned account.
pub(crate) const ALICE: Address = Address::repeat_byte(0xA1);
/// Another externally owned account.
pub(crate) const BOB: Address = Address::repeat_byte(0xB0);

/// Crate name of the probe's `.wasm`.
pub(crate) const PROBE: &str = "keel_hostio_probe";

/// A host with `count` probes deployed (constructor argument 0) and ALICE funded.
pub(crate) fn probes<const N: usize>() -> (Host, [Address; N]) {
    let mut host = Host::new();
    host.fund(ALICE, U256::from(1_000_000u64));
    let probes = core::array::from_fn(|_| {
        host.deploy_contract(DEPLOYER, PROBE, Args((U256::ZERO,)))
            .expect("probe deploys")
    });
    (host, probes)
}

/// Calls `call` on `to` from ALICE and returns the decoded value, failing the test on revert.
pub(crate) fn ask<C: alloy_sol_types::SolCall>(
    host: &mut Host,
    to: Address,
    call: &C,
) -> C::Return {
    host.call(ALICE, to, call)
        .expect("host runs the call")
        .returns()
        .expect("call succeeds")
}

/// Encodes a call for forwarding through the probe.
pub(crate) fn encode<C: alloy_sol_types::SolCall>(call: &C) -> alloy_primitives::Bytes {
    call.abi_encode().into()
}
