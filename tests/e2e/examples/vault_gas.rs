//! Gas and ink report of the DrawdownVault on the local host, in the full system of
//! `keel_e2e::system` (the vault's calls go through the MarginEngine, the RiskOracle, the
//! RiskModel and the quote token).
//!
//! ```sh
//! scripts/build-wasm keel-mock-erc20 keel-mock-price-feed keel-risk-oracle keel-risk-model \
//!     keel-liquidator keel-margin-engine keel-backstop keel-drawdown-vault
//! cargo run -p keel-e2e --example vault_gas
//! ```
//!
//! Each figure is the host's estimate for one top-level call (comparable with the "net"
//! figures of `TARGETS.md`: no intrinsic 21,000, no calldata), including what starting every
//! program frame it reaches costs (the full init gas the first time a program runs in the
//! transaction, the cached gas after that: see `keel_host::gas`). "With a position" rows run while the vault holds
//! its CPPI exposure, so a withdrawal also shrinks the position by a trade.
// Prices are written dollars_cents: `3_000_00` is $3,000.00.
#![allow(clippy::inconsistent_digit_grouping)]

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use keel_e2e::{risk_oracle::wad, system::*};
use keel_host::prelude::*;

use IDrawdownVault as V;

fn row<C>(label: &str, receipt: &Receipt<C>) {
    assert!(receipt.is_success(), "{label} reverted");
    println!(
        "{label:<44} {:>9} {:>14}",
        receipt.gas_used, receipt.ink_used
    );
}

fn view(s: &mut System, call: &impl SolCall) -> Receipt {
    let vault = s.vault;
    s.host()
        .simulate(KEEPER, vault, &call.abi_encode())
        .expect("run")
}

fn main() {
    let mut s = System::new();
    let vault = s.vault;
    println!("{:<44} {:>9} {:>14}", "call", "gas", "ink");

    row(
        "deposit (first, empty vault)",
        &s.vault_deposit(ALICE, usdc(100_000)),
    );
    row(
        "deposit (second, no position)",
        &s.vault_deposit(BOB, usdc(10_000)),
    );
    s.set_target(true, wad(3));
    row("rebalance (open to the CPPI target)", &s.rebalance());

    row(
        "deposit (with a position)",
        &s.vault_deposit(BOB, usdc(10_000)),
    );
    let shares = wad(1_000);
    let cost = s.view(vault, &V::previewMintCall { shares });
    s.fund(CAROL, cost);
    let mint = V::mintCall {
        shares,
        receiver: CAROL,
    };
    row("mint (with a position)", &s.call(CAROL, vault, &mint));
    row(
        "withdraw (with a position, shrinks it)",
        &s.vault_withdraw(BOB, usdc(5_000)),
    );
    let half = s.shares_of(BOB) / U256::from(2);
    row(
        "redeem (with a position, shrinks it)",
        &s.vault_redeem(BOB, half),
    );

    let t = s.now() + 60;
    s.warp(t);
    s.set_price(2_900_00);
    row("rebalance (de-risk after a fall)", &s.rebalance());
    row("poke", &s.call(KEEPER, vault, &V::pokeCall {}));

    row("totalAssets", &view(&mut s, &V::totalAssetsCall {}));
    row(
        "previewRedeem",
        &view(&mut s, &V::previewRedeemCall { shares: wad(1) }),
    );
    row(
        "maxWithdraw",
        &view(&mut s, &V::maxWithdrawCall { owner: ALICE }),
    );
    row("targetExposure", &view(&mut s, &V::targetExposureCall {}));
    row("drawdown", &view(&mut s, &V::drawdownCall {}));

    // Without a position: the ERC-4626 flows alone.
    let all = s.shares_of(ALICE);
    row(
        "redeem (one holder's all, with a position)",
        &s.vault_redeem(ALICE, all),
    );
    let mut cash = System::new();
    cash.vault_deposit(ALICE, usdc(100_000));
    let bob = Address::repeat_byte(0xb0);
    row(
        "deposit (cash vault)",
        &cash.vault_deposit(bob, usdc(10_000)),
    );
    row(
        "withdraw (cash vault)",
        &cash.vault_withdraw(bob, usdc(5_000)),
    );
    let half = cash.shares_of(bob) / U256::from(2);
    row("redeem (cash vault)", &cash.vault_redeem(bob, half));
}
