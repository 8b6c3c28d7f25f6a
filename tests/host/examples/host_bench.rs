//! Throughput and gas report for the local Stylus host (a benchmark program, not a test).
//!
//! ```text
//! scripts/build-wasm keel-hostio-probe keel-mock-erc20
//! cargo run --release -p keel-host --example host_bench
//! ```
//!
//! Prints calls per second for a storage increment and an ERC-20 transfer, deployment time
//! (first deployment of a wasm, which activates and compiles it, and later ones, which hit
//! the process-wide cache), and the ink/gas estimate per call.

use std::time::{Duration, Instant};

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use keel_host::prelude::*;

sol! {
    contract Probe {
        constructor(uint256 initial);
        function increment() external returns (uint256);
        function counter() external view returns (uint256);
    }

    contract Token {
        constructor(string name, string symbol, uint8 decimals, address owner);
        function mint(address to, uint256 value) external;
        function transfer(address to, uint256 value) external returns (bool);
    }
}

const DEPLOYER: Address = Address::repeat_byte(0xD0);
const ALICE: Address = Address::repeat_byte(0xA1);
const BOB: Address = Address::repeat_byte(0xB0);

/// Calls per measurement; enough for a stable rate, few enough to finish in seconds.
const CALLS: u32 = 20_000;
const DEPLOYS: u32 = 200;

fn rate(calls: u32, elapsed: Duration) -> f64 {
    f64::from(calls) / elapsed.as_secs_f64()
}

fn main() -> Result<(), HostError> {
    let mut host = Host::new();

    let started = Instant::now();
    let probe = host.deploy_contract(
        DEPLOYER,
        "keel_hostio_probe",
        Probe::constructorCall {
            initial: U256::ZERO,
        },
    )?;
    let first_deploy = started.elapsed();
    let started = Instant::now();
    for _ in 0..DEPLOYS {
        host.deploy_contract(
            DEPLOYER,
            "keel_hostio_probe",
            Probe::constructorCall {
                initial: U256::ZERO,
            },
        )?;
    }
    let cached_deploy = started.elapsed() / DEPLOYS;

    let first_increment = host
        .call(ALICE, probe, &Probe::incrementCall {})?
        .success()?;
    let increment = host
        .call(ALICE, probe, &Probe::incrementCall {})?
        .success()?;
    let view = host.call(ALICE, probe, &Probe::counterCall {})?.success()?;
    let started = Instant::now();
    for _ in 0..CALLS {
        host.call(ALICE, probe, &Probe::incrementCall {})?;
    }
    let increments = rate(CALLS, started.elapsed());

    let ctor = Token::constructorCall {
        name: "Bench".into(),
        symbol: "B".into(),
        decimals: 18,
        owner: DEPLOYER,
    };
    let token = host.deploy_contract(DEPLOYER, "keel_mock_erc20", ctor)?;
    host.call(
        DEPLOYER,
        token,
        &Token::mintCall {
            to: ALICE,
            value: U256::from(u64::MAX),
        },
    )?
    .success()?;
    host.call(
        DEPLOYER,
        token,
        &Token::mintCall {
            to: BOB,
            value: U256::from(u64::MAX),
        },
    )?
    .success()?;
    let transfer = host
        .call(
            ALICE,
            token,
            &Token::transferCall {
                to: BOB,
                value: U256::from(1),
            },
        )?
        .success()?;
    let started = Instant::now();
    for i in 0..CALLS {
        let (from, to) = if i % 2 == 0 {
            (ALICE, BOB)
        } else {
            (BOB, ALICE)
        };
        host.call(
            from,
            token,
            &Token::transferCall {
                to,
                value: U256::from(1),
            },
        )?;
    }
    let transfers = rate(CALLS, started.elapsed());

    println!(
        "local Stylus host benchmark ({} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!("  storage increment      {increments:>10.0} calls/s");
    println!("  ERC-20 transfer        {transfers:>10.0} calls/s");
    println!(
        "  first deploy (probe)   {:>10.2} ms  (activation: validation, brotli q11, compile)",
        first_deploy.as_secs_f64() * 1e3
    );
    println!(
        "  cached deploy (probe)  {:>10.1} µs  (incl. constructor call)",
        cached_deploy.as_secs_f64() * 1e6
    );
    println!("gas estimate per call (1 gas = 10,000 ink; no intrinsic 21,000 or calldata)");
    for (name, receipt) in [
        ("counter() (view)", view.typed::<()>()),
        ("increment(), 0 -> 1", first_increment.typed()),
        ("increment(), 1 -> 2", increment.typed()),
        ("ERC-20 transfer", transfer.typed()),
    ] {
        println!(
            "  {name:<22} {:>8} gas  {:>12} ink",
            receipt.gas_used, receipt.ink_used
        );
    }
    Ok(())
}
