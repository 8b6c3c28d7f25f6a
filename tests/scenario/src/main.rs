//! Keel's main job (`scripts/demo`): a market crash played on the local Stylus host.
//!
//! Deploys the real `.wasm` of the mock ETH/USD and sequencer-uptime feeds, the RiskOracle and
//! the RiskModel, then drives the feed through a calm day, a −45 % crash over six hours (with a
//! bad print beyond the oracle's jump band and a sequencer outage), and a partial recovery. A
//! keeper pokes the oracle after every print. Each step prints the feed's answer, the oracle's
//! guarded price and its validity, the volatility index, the volatility-scaled maintenance and
//! initial margins, the adaptive max leverage, whether it is safe to add risk, and the 24-hour
//! insolvency probability of a 5× long opened at the start. The same rows go to
//! `target/demo/timeline.csv`.
//!
//! The vault, margin engine and liquidations join this scenario as those contracts land.

use std::{fmt::Write as _, fs, path::PathBuf};

use alloy_primitives::{aliases::U80, I256, U256};
use keel_e2e::risk_oracle::{f, wad, Feed, Model, Oracle, World, FEED_OWNER, T0, WETH};
use keel_host::prelude::*;

/// One print of the feed: minutes after `T0`, the answer in cents, and a note for the timeline.
struct Print {
    minute: u64,
    cents: i64,
    note: &'static str,
}

/// Minutes the sequencer is down during the crash (start, end).
const OUTAGE: (u64, u64) = (1_560, 1_580);

/// The price path: a calm day around $3,000, a six-hour crash to $1,650 with a spike in the
/// middle, one bad print, then a six-hour partial recovery to $2,200.
fn price_path() -> Vec<Print> {
    let mut path = Vec::new();
    // Calm day: hourly prints within ±0.6 % of $3,000.
    let calm = [
        0, 12, -9, 15, -6, 3, -14, 8, 11, -4, 6, -10, 9, -3, 5, -12, 7, 2, -8, 13, -5, 4, -7, 0,
    ];
    for (hour, wiggle) in calm.iter().enumerate() {
        let note = if hour == 0 { "listing at $3,000" } else { "" };
        path.push(Print {
            minute: 60 * hour as u64,
            cents: 300_000 + wiggle * 100,
            note,
        });
    }
    // Crash: every 20 minutes for six hours, −45 % overall, with two relief bounces.
    let crash = [
        2_950, 2_890, 2_800, 2_720, 2_610, 2_530, 2_560, 2_440, 2_330, 2_250, 2_170, 2_090, 2_140,
        2_010, 1_930, 1_860, 1_790, 1_720,
    ];
    for (i, dollars) in crash.iter().enumerate() {
        let minute = 1_440 + 20 * (i as u64 + 1);
        let note = match minute {
            1_460 => "crash starts",
            1_560 => "sequencer down",
            1_580 => "sequencer back (grace period)",
            _ => "",
        };
        path.push(Print {
            minute,
            cents: dollars * 100,
            note,
        });
    }
    path.push(Print {
        minute: 1_810,
        cents: 120_000,
        note: "bad print −30 % (beyond jump band)",
    });
    path.push(Print {
        minute: 1_820,
        cents: 165_000,
        note: "bottom: −45 %",
    });
    // Recovery: every 30 minutes for six hours, to $2,200.
    let recovery = [
        1_700, 1_760, 1_740, 1_820, 1_880, 1_860, 1_940, 2_000, 2_060, 2_040, 2_120, 2_200,
    ];
    for (i, dollars) in recovery.iter().enumerate() {
        let note = if i == 0 { "recovery" } else { "" };
        path.push(Print {
            minute: 1_820 + 30 * (i as u64 + 1),
            cents: dollars * 100,
            note,
        });
    }
    path
}

/// A 5× long of 10 ETH opened at $3,000: $6,000 of equity at entry.
const ENTRY_DOLLARS: u64 = 3_000;
const SIZE_ETH: u64 = 10;
const LEVERAGE: u64 = 5;

/// Equity of the long at `price` (WAD), or `None` once it is wiped out.
fn long_equity(price: U256) -> Option<U256> {
    let margin = wad(ENTRY_DOLLARS * SIZE_ETH / LEVERAGE);
    let value = price * U256::from(SIZE_ETH);
    let cost = wad(ENTRY_DOLLARS * SIZE_ETH);
    (margin + value).checked_sub(cost).filter(|e| !e.is_zero())
}

/// Points the oracle at the uptime feed, reporting the sequencer up since a day before `T0`.
fn watch_sequencer(world: &mut World) {
    let up_since_yesterday = Feed::setRoundDataCall {
        roundId: U80::from(1),
        answer: I256::ZERO,
        startedAt: U256::from(T0 - 86_400),
        updatedAt: U256::from(T0 - 86_400),
        answeredInRound: U80::from(1),
    };
    let uptime = world.uptime;
    world
        .host
        .call(FEED_OWNER, uptime, &up_since_yesterday)
        .and_then(|receipt| receipt.success())
        .expect("the uptime feed accepts its owner's round");
    world.admin(&Oracle::setSequencerFeedCall { feed: uptime });
}

fn main() {
    let mut world = World::new();
    watch_sequencer(&mut world);
    let mut table = String::new();
    let mut csv = String::from(
        "minute,feed_usd,oracle_usd,valid,vol_index,maintenance_margin,initial_margin,\
         max_leverage,safe_to_add_risk,long_5x_insolvency_24h,note\n",
    );
    let _ = writeln!(
        table,
        "{:>6}  {:>9}  {:>9}  {:>5}  {:>6}  {:>6}  {:>6}  {:>6}  {:>4}  {:>9}  note",
        "min", "feed $", "oracle $", "valid", "vol", "MM", "IM", "maxLev", "safe", "P(ruin)"
    );
    let mut peak_vol = 0.0f64;
    let mut min_leverage = f64::MAX;
    for print in price_path() {
        world.warp(T0 + 60 * print.minute);
        if print.minute == OUTAGE.0 {
            world.uptime_status(1);
        }
        if print.minute == OUTAGE.1 {
            world.uptime_status(0);
        }
        world.answer(print.cents);
        // A rejected print (jump band) makes `poke` revert with a typed error; the keeper
        // moves on and the last accepted price stays in force.
        let _ = world.poke();

        let data = world.price_data();
        let sequencer = world.view(&Oracle::sequencerStatusCall {});
        let vol = world
            .view(&Oracle::volatilityStateCall { asset: WETH })
            .index;
        let mm = world.model(&Model::maintenanceMarginCall { asset: WETH });
        let im = world.model(&Model::initialMarginCall { asset: WETH });
        let max_leverage = world.model(&Model::maxLeverageCall { asset: WETH });
        let probability = match long_equity(data.price) {
            Some(equity) => f(world.model(&Model::insolvencyProbabilityCall {
                asset: WETH,
                isLong: true,
                entryOrMark: data.price,
                equity,
                size: wad(SIZE_ETH),
                horizon: U256::from(86_400u64),
            })),
            None => 1.0,
        };
        let feed_usd = print.cents as f64 / 100.0;
        peak_vol = peak_vol.max(f(vol));
        min_leverage = min_leverage.min(f(max_leverage));
        let _ = writeln!(
            table,
            "{:>6}  {:>9.2}  {:>9.2}  {:>5}  {:>5.0}%  {:>5.1}%  {:>5.1}%  {:>5.1}x  {:>4}  {:>9.6}  {}",
            print.minute,
            feed_usd,
            f(data.price),
            if data.isValid { "yes" } else { "NO" },
            100.0 * f(vol),
            100.0 * f(mm),
            100.0 * f(im),
            f(max_leverage),
            if sequencer.safeToAddRisk { "yes" } else { "NO" },
            probability,
            print.note
        );
        let _ = writeln!(
            csv,
            "{},{:.2},{:.6},{},{:.6},{:.6},{:.6},{:.4},{},{:.8},{}",
            print.minute,
            feed_usd,
            f(data.price),
            data.isValid,
            f(vol),
            f(mm),
            f(im),
            f(max_leverage),
            sequencer.safeToAddRisk,
            probability,
            print.note
        );
    }
    print!("{table}");
    println!(
        "\npeak volatility index {:.0} %, lowest adaptive max leverage {:.1}x",
        100.0 * peak_vol,
        min_leverage
    );
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/demo");
    let written = fs::create_dir_all(&dir)
        .and_then(|()| dir.canonicalize())
        .and_then(|dir| {
            let path = dir.join("timeline.csv");
            fs::write(&path, csv).map(|()| path)
        });
    match written {
        Ok(path) => println!("timeline written to {}", path.display()),
        Err(err) => eprintln!("could not write {}/timeline.csv: {err}", dir.display()),
    }
}
