//! Gas and ink report of the MarginEngine and the Backstop on the local host.
//!
//! ```sh
//! scripts/build-wasm keel-mock-erc20 keel-mock-price-feed keel-risk-oracle keel-risk-model \
//!     keel-liquidator keel-margin-engine keel-backstop keel-drawdown-vault
//! cargo run -p keel-e2e --example margin_gas
//! ```
//!
//! Each figure is the host's estimate for one top-level call (comparable with the "net" figures
//! of `TARGETS.md`: no intrinsic 21,000, no calldata), what starting every program frame
//! costs included (the full init gas the first time a program runs in the transaction, the
//! cached gas after that: see `keel_host::gas`): the engine calls the RiskOracle, the RiskModel and the tokens, and the
//! Backstop calls the engine, the Liquidator, the oracle and the model. The system is the one
//! `keel_e2e::system::System` deploys (ETH at $3,000, volatility index 80 %).
// Prices are written dollars_cents: `3_000_00` is $3,000.00.
#![allow(clippy::inconsistent_digit_grouping)]

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use keel_e2e::{
    risk_oracle::{cents, name, wad, Feed, Oracle, FEED_OWNER, HEARTBEAT, KEEPER, MAX_JUMP},
    system::*,
};
use keel_host::prelude::*;

use IBackstop as B;
use IMarginEngine as E;

/// Prints one row; the call must have succeeded.
fn row<C>(label: &str, receipt: &Receipt<C>) {
    assert!(receipt.is_success(), "{label} reverted");
    println!(
        "{label:<52} {:>9} {:>14}",
        receipt.gas_used, receipt.ink_used
    );
}

/// A view run as a call from the keeper, for its cost.
fn view(s: &mut System, to: Address, call: &impl SolCall) -> Receipt {
    s.host()
        .simulate(KEEPER, to, &call.abi_encode())
        .expect("run")
}

/// Lists seven more markets on seven more oracle assets (each priced $3,000 by its own feed),
/// so that one account can hold the engine's maximum of eight positions.
fn list_more_markets(s: &mut System) -> Vec<U256> {
    let (oracle, engine) = (s.world.oracle, s.engine);
    let mut markets = vec![s.market];
    for i in 1..8u8 {
        let asset = Address::repeat_byte(0xa0 + i);
        let ctor = Feed::constructorCall {
            decimals: 8,
            description: "X / USD".into(),
            owner: FEED_OWNER,
        };
        let feed = s
            .host()
            .deploy_contract(FEED_OWNER, "keel_mock_price_feed", ctor)
            .expect("feed");
        let answer = Feed::setAnswerCall {
            answer: cents(3_000_00),
        };
        s.ok(FEED_OWNER, feed, &answer);
        let set = Oracle::setFeedCall {
            asset,
            feed,
            heartbeat: U256::from(HEARTBEAT),
            maxJump: U256::from(MAX_JUMP),
        };
        s.ok(ADMIN, oracle, &set);
        let market = s
            .ok(ADMIN, engine, &E::listMarketCall { asset })
            .returns()
            .expect("market");
        for (what, data) in [
            ("fee", U256::from(500_000_000_000_000u64)),
            ("baseSpread", U256::from(500_000_000_000_000u64)),
            ("oiCapLong", eth(10_000)),
            ("oiCapShort", eth(10_000)),
            ("minSize", eth(1) / U256::from(100)),
        ] {
            let call = E::fileMarketCall {
                market,
                what: name(what),
                data,
            };
            s.ok(ADMIN, engine, &call);
        }
        markets.push(market);
    }
    markets
}

/// A trade on `market` with no limit, deadline now.
fn trade(
    s: &mut System,
    who: Address,
    account: U256,
    market: U256,
    delta: f64,
) -> Receipt<E::tradeCall> {
    let delta = size(delta);
    let call = E::tradeCall {
        account,
        market,
        sizeDelta: delta,
        priceLimit: if delta.is_negative() {
            U256::ZERO
        } else {
            U256::MAX
        },
        deadline: U256::from(s.now()),
    };
    let engine = s.engine;
    s.call(who, engine, &call)
}

/// Moves the ETH price to `c` cents in steps within the oracle's band, a minute apart.
fn move_price(s: &mut System, c: i64) {
    while s.price != c {
        let step = (s.price / 6).max(1);
        let next = if c < s.price {
            (s.price - step).max(c)
        } else {
            (s.price + step).min(c)
        };
        let t = s.now() + 60;
        s.warp(t);
        s.set_price(next).success().expect("poke");
    }
}

fn main() {
    println!("{:<52} {:>9} {:>14}", "call", "gas", "ink");
    let mut s = System::new();
    let (engine, usdc_token) = (s.engine, s.usdc);

    // Accounts and collateral.
    let r = s.call(ALICE, engine, &E::openAccountCall { owner: ALICE });
    row("openAccount", &r);
    let alice = r.returns().expect("id");
    s.fund(ALICE, usdc(100_000));
    let deposit = E::depositCall {
        account: alice,
        token: usdc_token,
        amount: usdc(50_000),
    };
    row("deposit (USDC, first)", &s.call(ALICE, engine, &deposit));
    row("deposit (USDC, again)", &s.call(ALICE, engine, &deposit));
    let withdraw = E::withdrawCall {
        account: alice,
        token: usdc_token,
        amount: usdc(1_000),
        to: ALICE,
    };
    row(
        "withdraw (USDC, no positions)",
        &s.call(ALICE, engine, &withdraw),
    );

    s.fund_weth(ALICE, eth(10));
    let weth = s.weth;
    let deposit = E::depositCall {
        account: alice,
        token: weth,
        amount: eth(10),
    };
    row(
        "deposit (WETH collateral, first)",
        &s.call(ALICE, engine, &deposit),
    );

    // The pool with no open interest.
    s.fund(CAROL, usdc(200_000));
    let r = s.call(
        CAROL,
        engine,
        &E::poolDepositCall {
            assets: usdc(100_000),
            receiver: CAROL,
        },
    );
    row("poolDeposit (no open interest)", &r);
    let shares = r.returns().expect("shares");
    let r = s.call(
        CAROL,
        engine,
        &E::poolRedeemCall {
            shares: shares / U256::from(2),
            receiver: CAROL,
        },
    );
    row("poolRedeem (no open interest)", &r);

    // Trades on the ETH market.
    let market = s.market;
    row(
        "trade open (long 2 ETH)",
        &trade(&mut s, ALICE, alice, market, 2.0),
    );
    row(
        "trade increase (+1 ETH)",
        &trade(&mut s, ALICE, alice, market, 1.0),
    );
    row(
        "trade reduce (-1 ETH)",
        &trade(&mut s, ALICE, alice, market, -1.0),
    );
    row(
        "withdraw (USDC, 1 position, WETH held)",
        &s.call(ALICE, engine, &withdraw),
    );
    row(
        "accountHealth (1 position, WETH held)",
        &view(&mut s, engine, &E::accountHealthCall { account: alice }),
    );
    row(
        "trade close (-2 ETH)",
        &trade(&mut s, ALICE, alice, market, -2.0),
    );

    // Eight positions on eight markets.
    let markets = list_more_markets(&mut s);
    for &m in &markets {
        trade(&mut s, ALICE, alice, m, 1.0).success().expect("open");
    }
    row(
        "accountHealth (8 positions, WETH held)",
        &view(&mut s, engine, &E::accountHealthCall { account: alice }),
    );
    row(
        "healthFactor (8 positions, WETH held)",
        &view(&mut s, engine, &E::healthFactorCall { account: alice }),
    );
    row(
        "trade increase (8 positions)",
        &trade(&mut s, ALICE, alice, markets[7], 1.0),
    );
    row(
        "poolState (8 markets with OI)",
        &view(&mut s, engine, &E::poolStateCall {}),
    );

    // The pool.
    s.fund(CAROL, usdc(100_000));
    let r = s.call(
        CAROL,
        engine,
        &E::poolDepositCall {
            assets: usdc(100_000),
            receiver: CAROL,
        },
    );
    row("poolDeposit (8 markets with OI)", &r);
    let shares = r.returns().expect("shares");
    let r = s.call(
        CAROL,
        engine,
        &E::poolRedeemCall {
            shares: shares / U256::from(2),
            receiver: CAROL,
        },
    );
    row("poolRedeem (8 markets with OI)", &r);

    // Liquidation in tranches: one tranche of a long after a 3 % drop.
    let mut s = System::new();
    let backstop = s.backstop;
    let bob = s.open_account(BOB, usdc(1_000), U256::ZERO);
    s.trade(BOB, bob, size(7.0));
    let market = s.market;
    s.ok(
        ADMIN,
        backstop,
        &B::fileMarketCall {
            market,
            what: name("maxLot"),
            data: wad(4_000),
        },
    );
    move_price(&mut s, 2_910_00);
    row(
        "liquidationPreview",
        &view(
            &mut s,
            backstop,
            &B::liquidationPreviewCall { account: bob },
        ),
    );
    row("liquidate (one tranche, keeper paid)", &s.liquidate(bob));

    // Seizure: WETH collateral, insolvent after a 10 % drop; the call that closes the position
    // seizes the WETH and kicks an auction.
    let mut s = System::new();
    let carol = s.open_account(CAROL, usdc(50_000), U256::ZERO);
    s.trade(CAROL, carol, size(-100.0));
    let bob = s.open_account(BOB, U256::ZERO, eth(1));
    s.trade(BOB, bob, size(12.0));
    move_price(&mut s, 2_700_00);
    row("liquidate (close all, seize, kick)", &s.liquidate(bob));
    let id = s.auctions()[0];
    s.tick(1_800);
    row(
        "take (Liquidator, proceeds to Backstop)",
        &s.take(id, eth(1), U256::MAX),
    );
    row("settleBadDebt (fund covers)", &s.settle_bad_debt(bob));
    let backstop = s.backstop;
    s.ok(
        ADMIN,
        backstop,
        &B::fileCall {
            what: name("adlRatio"),
            data: wad(1) / U256::from(100),
        },
    );
    row("adl (ratio above adlRatio)", &s.adl(carol));
}
