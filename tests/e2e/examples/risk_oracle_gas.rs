//! Gas and ink report of the RiskOracle and RiskModel on the local host.
//!
//! ```sh
//! scripts/build-wasm keel-mock-price-feed keel-risk-oracle keel-risk-model
//! cargo run -p keel-e2e --example risk_oracle_gas
//! ```
//!
//! Each figure is the host's estimate for one top-level call (comparable with
//! the "net" figures of `TARGETS.md`: no intrinsic 21,000, no calldata),
//! including what starting every program frame costs (the oracle's and the
//! feed's in `poke`; the model's and the oracle's in the model's views): the
//! full init gas the first time a program runs in the transaction, the cached
//! gas after that (see `keel_host::gas`).
// Prices are written dollars_cents: `3_000_00` is $3,000.00.
#![allow(clippy::inconsistent_digit_grouping)]

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use keel_e2e::risk_oracle::*;
use keel_host::prelude::*;

fn row(label: &str, receipt: &Receipt) {
    assert!(receipt.is_success(), "{label} reverted");
    println!(
        "{label:<44} {:>9} {:>14}",
        receipt.gas_used, receipt.ink_used
    );
}

fn view(w: &mut World, to: Address, call: &impl SolCall) -> Receipt {
    w.host
        .simulate(KEEPER, to, &call.abi_encode())
        .expect("run")
}

fn main() {
    let mut w = World::new();
    let uptime = w.uptime;
    w.uptime_status(0);
    w.host
        .call(
            ADMIN,
            w.oracle,
            &Oracle::setSequencerFeedCall { feed: uptime },
        )
        .expect("run")
        .success()
        .expect("uptime feed");
    println!("{:<44} {:>9} {:>14}", "call", "gas", "ink");

    // Steady state: the asset's words already hold values (SSTORE resets).
    let mut t = T0;
    let mut price = 3_000_00;
    for i in 0..5 {
        t += 60;
        price += if i % 2 == 0 { 1_00 } else { -1_00 };
        w.warp(t);
        w.answer(price);
        let receipt = w.poke();
        if i == 4 {
            row("poke (steady state, incl. feed frame)", &receipt.typed());
        }
    }
    let feed = w.feed;
    row(
        "  of which: feed.latestRoundData alone",
        &w.host
            .simulate(KEEPER, feed, &[0xfe, 0xaf, 0x96, 0x8c])
            .expect("run"),
    );

    let oracle = w.oracle;
    let model = w.model;
    let asset = WETH;
    row("price", &view(&mut w, oracle, &Oracle::priceCall { asset }));
    row(
        "priceData",
        &view(&mut w, oracle, &Oracle::priceDataCall { asset }),
    );
    row(
        "sequencerStatus",
        &view(&mut w, oracle, &Oracle::sequencerStatusCall {}),
    );
    row(
        "volatilityState",
        &view(&mut w, oracle, &Oracle::volatilityStateCall { asset }),
    );
    row(
        "marginInputs",
        &view(&mut w, oracle, &Oracle::marginInputsCall { asset }),
    );
    row(
        "model.maintenanceMargin",
        &view(&mut w, model, &Model::maintenanceMarginCall { asset }),
    );
    row(
        "model.maxLeverage",
        &view(&mut w, model, &Model::maxLeverageCall { asset }),
    );
    let call = Model::insolvencyProbabilityCall {
        asset,
        isLong: true,
        entryOrMark: wad(3_000),
        equity: wad(300),
        size: wad(1),
        horizon: U256::from(86_400),
    };
    row("model.insolvencyProbability", &view(&mut w, model, &call));
    let call = Model::requiredMarginForProbabilityCall {
        asset,
        p: wad_f(0.01),
        horizon: U256::from(86_400),
    };
    row(
        "model.requiredMarginForProbability",
        &view(&mut w, model, &call),
    );
}
