//! The crash scenario: the whole of Keel ([`System`]) through a calm day, a −45 % crash over six
//! hours and a partial recovery, with keepers at work. `scripts/demo` prints and charts it; the
//! end-to-end test `crash` asserts its outcome.
//!
//! # Story
//! At [`T0`] ([`setup`]): the pool holds the LP's 2,000,000 USDC ([`System::new`]); ALICE and BOB
//! deposit [`DEPOSITS`] into the DrawdownVault; the strategist targets a 3× long ETH (the
//! vault's default bound); keepers rebalance, [`MAX_STEP`] of notional per call, until the
//! position is built; three traders ([`TRADERS`]) open accounts with WETH collateral and USDC
//! and go long ETH at 5×, 7.5× and 10× their equity. Then the feed follows [`price_path`]. At
//! every print a keeper pokes the oracle (a print beyond the oracle's 20 % jump band is
//! rejected and the last price stays in force) and then, in this order:
//! - pokes the vault (it records a new high-water mark or band) and, under
//!   [`Control::Drawdown`] only, rebalances it toward the CPPI target while the target is at
//!   least [`MIN_MOVE`] away, up to [`MAX_REBALANCES`] bounded calls (a call that reverts, e.g.
//!   new risk while the sequencer is in its grace period, ends the round);
//! - liquidates each liquidatable trader, tranche by tranche;
//! - restarts auctions that need a redo, and has [`TAKER`] buy every lot whose auction price is
//!   at or below the oracle price (worthwhile: a discount to the market);
//! - settles the bad debt of every trader left with no position, no auction, no WETH and a
//!   negative quote balance.
//!
//! # The two runs
//! [`Control::Drawdown`]: the vault's code-enforced drawdown control as designed: hard cap
//! [`CAP`] (20 %, the default), soft band from 10 %, CPPI multiplier [`MULTIPLIER`], keepers
//! rebalancing at every print.
//!
//! [`Control::Static`], the baseline: the same vault with its drawdown control switched off
//! before the first deposit: the hard cap raised out of reach (`maxDrawdown` 99 %, its upper
//! bound, so the floor is 1 % of the high-water mark and the vault never halts). The exposure
//! rule then reduces to the strategist's target, 3× NAV, which keepers build at `T0`; after
//! that nobody rebalances: a static-leverage long held through the crash, which is what the
//! strategist's target means without a floor. Everything else (traders, liquidations of every
//! account including the vault's own, auctions) is the same.
//!
//! # Why the controlled vault stays within the cap
//! CPPI keeps exposure at `m × cushion`, the cushion being NAV above the floor
//! `HWM × (1 − 20 %)`. A fall of `d` between two rebalances costs `m · d` of the cushion, so the
//! floor is only crossed by a single gap larger than `1 / m`. With `m = 5` that is 20 %; the
//! largest move the oracle accepts between two prints of the path is 6.1 % (2,140 → 2,010 in
//! 20 minutes), which costs about 30 % of the cushion, and the oracle's jump band (20 %)
//! rejects the bad print (−30 %), so no accepted gap can exceed `1 / m`. Trading costs (the
//! engine's 5 bp fee plus its spread) are paid on notionals of at most `m × cushion`, so they
//! too only shrink the cushion proportionally. Over the whole fall the cushion shrinks roughly
//! as `(1 − 0.45)^m`; from the soft band (10 %) the multiplier also falls linearly to zero at
//! the cap, so the vault ends the crash close to, but above, its floor. During the sequencer
//! outage and its grace period the engine still lets the vault reduce risk, which is all a
//! falling market asks of it. The static baseline holds 3× NAV: the fall takes its equity
//! below maintenance and the Backstop liquidates the vault's own account in tranches, which
//! keeps the system free of bad debt but leaves the depositors with a fraction of their NAV.
//!
//! # Measures
//! NAV per share and the mark come from the vault's views after each round. The outcome's
//! maximum drawdown is computed here from the NAV-per-share series (running maximum, then the
//! largest `1 − nav / max`), independently of the vault's own bookkeeping; bad debt is the
//! Backstop's `badDebt()` (socialised plus outstanding, cumulative).
// Prices are written dollars_cents: `3_000_00` is $3,000.00.
#![allow(clippy::inconsistent_digit_grouping)]

use std::fmt::Write as _;

use alloy_primitives::{address, Address, I256, U256};
use alloy_sol_types::SolInterface;

pub use crate::system::TAKER;
use crate::{
    risk_oracle::{f, name, wad, Model, Oracle, T0},
    system::{
        fi, pct, usdc, IDrawdownVault, ILiquidator, IMarginEngine, System, ADMIN, ALICE, BOB,
        KEEPER,
    },
};

/// Whether the vault's drawdown control runs (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// CPPI exposure and the hard cap, keepers rebalancing at every print.
    Drawdown,
    /// The same starting position held without rebalancing, hard cap out of reach.
    Static,
}

impl Control {
    /// The run's name in tables and the CSV.
    pub fn label(self) -> &'static str {
        match self {
            Self::Drawdown => "drawdown",
            Self::Static => "static",
        }
    }
}

/// One print of the feed: minutes after [`T0`], the answer in cents, and a note for the timeline.
#[derive(Clone, Copy, Debug)]
pub struct Print {
    /// Minutes after `T0`.
    pub minute: u64,
    /// The feed's answer, cents.
    pub cents: i64,
    /// What happens then (empty for most prints).
    pub note: &'static str,
}

/// Minutes the sequencer is down during the crash (start, end).
pub const OUTAGE: (u64, u64) = (1_560, 1_580);

/// The vault's hard cap on drawdown (its default, 20 %), WAD fraction.
pub fn cap() -> U256 {
    pct(20)
}

/// The CPPI multiplier of both runs: 5, so the opening exposure is `5 × 20 %` = 1× NAV and a
/// single gap would have to exceed 20 % to cross the floor (see the module docs).
pub const MULTIPLIER: u64 = 5;
/// The most notional one rebalance moves (WAD dollars): 25,000, a quarter of the vault, so that
/// building and large de-risking take several calls.
pub const MAX_STEP: u64 = 25_000;
/// The least notional (WAD dollars) a rebalance must move to earn the tip: 500, half a percent
/// of the vault. Keepers call only when the target is at least this far from the exposure.
pub const MIN_MOVE: u64 = 500;
/// The keeper's tip per rebalance that moved at least [`MIN_MOVE`], whole USDC.
pub const TIP: u64 = 1;
/// Rebalance calls a keeper makes per print at most.
pub const MAX_REBALANCES: usize = 8;
/// Rounds of at most [`MAX_REBALANCES`] calls that build the vault's position at `T0`: enough
/// for the static run's 3× NAV (300,000 of notional) in [`MAX_STEP`]s.
pub const BUILD_ROUNDS: usize = 4;
/// The depositors and their deposits, whole USDC.
pub const DEPOSITS: [(Address, u64); 2] = [(ALICE, 60_000), (BOB, 40_000)];

/// A leveraged trader: owner, WETH collateral (whole), USDC (whole), leverage over equity (tenths).
#[derive(Clone, Copy, Debug)]
pub struct Trader {
    /// The account's owner.
    pub owner: Address,
    /// WETH deposited as collateral, whole tokens.
    pub weth: u64,
    /// USDC deposited, whole dollars.
    pub usdc: u64,
    /// Long notional over equity at the start, in tenths (75 = 7.5×).
    pub leverage_tenths: u64,
}

/// The other leveraged longs.
pub const TRADERS: [Trader; 3] = [
    Trader {
        owner: address!("00000000000000000000000000000000000a0031"),
        weth: 2,
        usdc: 4_000,
        leverage_tenths: 50,
    },
    Trader {
        owner: address!("00000000000000000000000000000000000a0032"),
        weth: 3,
        usdc: 2_000,
        leverage_tenths: 75,
    },
    Trader {
        owner: address!("00000000000000000000000000000000000a0033"),
        weth: 1,
        usdc: 5_000,
        leverage_tenths: 100,
    },
];

/// The price path: a calm day around $3,000, a six-hour crash to $1,650 (−45 %) with relief
/// bounces and a sequencer outage, one bad print beyond the jump band, then a six-hour partial
/// recovery to $2,200.
pub fn price_path() -> Vec<Print> {
    let mut path = Vec::new();
    // Calm day: hourly prints within ±0.6 % of $3,000.
    let calm = [
        0, 12, -9, 15, -6, 3, -14, 8, 11, -4, 6, -10, 9, -3, 5, -12, 7, 2, -8, 13, -5, 4, -7, 0,
    ];
    for (hour, wiggle) in calm.iter().enumerate() {
        let note = if hour == 0 {
            "positions built at $3,000"
        } else {
            ""
        };
        path.push(Print {
            minute: 60 * hour as u64,
            cents: 3_000_00 + wiggle * 100,
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
            m if m == OUTAGE.0 => "sequencer down",
            m if m == OUTAGE.1 => "sequencer back (grace period)",
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
        cents: 1_200_00,
        note: "bad print -30 % (beyond jump band)",
    });
    path.push(Print {
        minute: 1_820,
        cents: 1_650_00,
        note: "bottom: -45 %",
    });
    // Recovery: every 30 minutes for six hours, to $2,200.
    let recovery = [
        1_700, 1_760, 1_740, 1_820, 1_880, 1_860, 1_940, 2_000, 2_060, 2_040, 2_120, 2_200,
    ];
    for (i, dollars) in recovery.iter().enumerate() {
        path.push(Print {
            minute: 1_820 + 30 * (i as u64 + 1),
            cents: dollars * 100,
            note: if i == 0 { "recovery" } else { "" },
        });
    }
    path
}

/// The state after one print and the keepers' round.
#[derive(Clone, Debug)]
pub struct Row {
    /// Minutes after `T0`.
    pub minute: u64,
    /// The feed's answer, dollars.
    pub feed: f64,
    /// The oracle's price (the last accepted one when invalid), dollars.
    pub oracle: f64,
    /// Whether the oracle's price is valid.
    pub valid: bool,
    /// The volatility index, annualised fraction.
    pub vol: f64,
    /// The RiskModel's maintenance margin of ETH, fraction.
    pub maintenance: f64,
    /// The vault's NAV per share, WAD.
    pub nav_per_share: U256,
    /// The vault's recorded high-water mark, WAD.
    pub hwm: U256,
    /// The floor per share at the 20 % cap, `hwm · (1 − cap)`, WAD.
    pub floor: U256,
    /// The vault's drawdown from its mark, fraction.
    pub drawdown: f64,
    /// The vault's position notional, signed dollars.
    pub exposure: f64,
    /// Rebalances that traded in this round.
    pub rebalances: usize,
    /// Liquidation tranches in this round.
    pub liquidations: usize,
    /// Auction takes in this round.
    pub takes: usize,
    /// The Backstop's insurance fund, dollars.
    pub insurance: f64,
    /// The Backstop's bad debt, dollars.
    pub bad_debt: f64,
    /// What happened (the path's note, and a refused rebalance).
    pub note: String,
}

impl Row {
    /// The CSV header of [`Row::csv`], after a `mode` column.
    pub const CSV_HEADER: &'static str = "mode,minute,feed_usd,oracle_usd,valid,vol_index,\
        maintenance_margin,nav_per_share,hwm,floor,drawdown,exposure_usd,rebalances,\
        liquidations,auction_takes,insurance_fund_usd,bad_debt_usd,note";

    /// The row as a CSV line for run `mode` (no newline; the note quoted).
    pub fn csv(&self, mode: Control) -> String {
        format!(
            "{},{},{:.2},{:.2},{},{:.6},{:.6},{:.8},{:.8},{:.8},{:.6},{:.2},{},{},{},{:.2},{:.2},\"{}\"",
            mode.label(),
            self.minute,
            self.feed,
            self.oracle,
            self.valid,
            self.vol,
            self.maintenance,
            f(self.nav_per_share),
            f(self.hwm),
            f(self.floor),
            self.drawdown,
            self.exposure,
            self.rebalances,
            self.liquidations,
            self.takes,
            self.insurance,
            self.bad_debt,
            self.note.replace('"', "'")
        )
    }
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Which run.
    pub control: Control,
    /// One row per print.
    pub rows: Vec<Row>,
    /// The largest drawdown of NAV per share from its running maximum, WAD fraction (rounded up).
    pub max_drawdown: U256,
    /// The Backstop's bad debt at the end, WAD.
    pub bad_debt: U256,
    /// NAV per share at the end, WAD.
    pub final_nav_per_share: U256,
    /// Rebalances that traded, the build-up included.
    pub rebalances: usize,
    /// Liquidation tranches.
    pub liquidations: usize,
    /// Auction takes.
    pub takes: usize,
    /// Rebalance calls that reverted (e.g. new risk refused in the sequencer's grace period).
    pub refused: usize,
}

/// The keepers' running totals.
#[derive(Default)]
struct Counts {
    rebalances: usize,
    liquidations: usize,
    takes: usize,
    refused: usize,
}

/// Deploys Keel, funds the pool (in [`System::new`]) and the vault (its drawdown control off
/// for [`Control::Static`]), builds the vault's long and opens the traders' longs, all at
/// [`T0`]; returns the system, the accounts keepers watch (the traders' and the vault's) and
/// the number of rebalances the build-up took.
///
/// # Panics
/// If a deployment, deposit or opening trade fails.
pub fn setup(control: Control) -> (System, Vec<U256>, usize) {
    let mut s = System::new();
    let vault = s.vault;
    let max_drawdown = match control {
        Control::Drawdown => cap(),
        Control::Static => pct(99),
    };
    for (what, data) in [
        ("maxDrawdown", max_drawdown),
        ("multiplier", wad(MULTIPLIER)),
        ("maxStep", wad(MAX_STEP)),
        ("minMove", wad(MIN_MOVE)),
        ("tipCap", usdc(TIP)),
    ] {
        let call = IDrawdownVault::fileCall {
            what: name(what),
            data,
        };
        s.ok(ADMIN, vault, &call);
    }
    for (who, dollars) in DEPOSITS {
        s.vault_deposit(who, usdc(dollars))
            .success()
            .expect("deposit");
    }
    s.set_target(true, wad(3));
    let mut counts = Counts::default();
    // Keepers build the position over as many bounded rounds as it takes.
    for _ in 0..BUILD_ROUNDS {
        rebalance(&mut s, &mut counts, &mut String::new());
    }
    let price = s.oracle_price();
    let mut accounts = Vec::new();
    for t in TRADERS {
        let account = s.open_account(t.owner, usdc(t.usdc), wad(t.weth));
        let equity = s.health(account).equity.into_raw();
        let notional = equity * U256::from(t.leverage_tenths) / U256::from(10);
        let size = I256::from_raw(notional * wad(1) / price);
        s.trade(t.owner, account, size);
        accounts.push(account);
    }
    let vault_account = s.view(vault, &IDrawdownVault::stateCall {}).account;
    accounts.push(vault_account);
    (s, accounts, counts.rebalances)
}

/// Plays [`price_path`] with `control` and returns the rows and the outcome.
///
/// # Panics
/// If the setup fails or a view reverts (a contract misbehaving).
pub fn run(control: Control) -> Outcome {
    let (mut s, accounts, built) = setup(control);
    let mut counts = Counts {
        rebalances: built,
        ..Counts::default()
    };
    let mut rows = Vec::new();
    for print in price_path() {
        s.warp(T0 + 60 * print.minute);
        if print.minute == OUTAGE.0 {
            s.world.uptime_status(1);
        }
        if print.minute == OUTAGE.1 {
            s.world.uptime_status(0);
        }
        // A print beyond the jump band makes `poke` revert; the last accepted price stays.
        let _ = s.set_price(print.cents);
        let mut note = print.note.to_string();
        let before = (counts.rebalances, counts.liquidations, counts.takes);
        keep_vault(&mut s, control, &mut counts, &mut note);
        liquidate(&mut s, &accounts, &mut counts);
        rows.push(row(&mut s, &print, &counts, before, note));
    }
    let max_drawdown = max_drawdown(rows.iter().map(|r| r.nav_per_share));
    Outcome {
        control,
        max_drawdown,
        bad_debt: s.bad_debt(),
        final_nav_per_share: rows.last().map_or(U256::ZERO, |r| r.nav_per_share),
        rebalances: counts.rebalances,
        liquidations: counts.liquidations,
        takes: counts.takes,
        refused: counts.refused,
        rows,
    }
}

/// The largest `1 − nav / running max` over `navs`, WAD, rounded up.
pub fn max_drawdown(navs: impl IntoIterator<Item = U256>) -> U256 {
    let mut peak = U256::ZERO;
    let mut worst = U256::ZERO;
    for nav in navs {
        peak = peak.max(nav);
        if nav < peak {
            let dd = ((peak - nav) * wad(1)).div_ceil(peak);
            worst = worst.max(dd);
        }
    }
    worst
}

/// The vault's keeper: records the mark (`poke`) and, under drawdown control, [`rebalance`]s.
fn keep_vault(s: &mut System, control: Control, counts: &mut Counts, note: &mut String) {
    let vault = s.vault;
    s.ok(KEEPER, vault, &IDrawdownVault::pokeCall {});
    if control == Control::Drawdown {
        rebalance(s, counts, note);
    }
}

/// Rebalances while the target is at least [`MIN_MOVE`] away from the exposure (a keeper's
/// tip is paid only then), at most [`MAX_REBALANCES`] calls; a call that reverts ends the
/// round and its reason goes to `note`.
fn rebalance(s: &mut System, counts: &mut Counts, note: &mut String) {
    let vault = s.vault;
    for _ in 0..MAX_REBALANCES {
        let target = s.view(vault, &IDrawdownVault::targetExposureCall {});
        let exposure = s.view(vault, &IDrawdownVault::exposureCall {});
        if (target - exposure).unsigned_abs() < wad(MIN_MOVE) {
            return;
        }
        let receipt = s.rebalance();
        if !receipt.is_success() {
            counts.refused += 1;
            let reason = receipt
                .revert_as::<IDrawdownVault::VaultExternalCallFailed>()
                .ok()
                .and_then(|e| IMarginEngine::IMarginEngineErrors::abi_decode(&e.reason).ok())
                .map_or_else(
                    || format!("0x{}", alloy_primitives::hex::encode(&receipt.output)),
                    |e| format!("{e:?}"),
                );
            let reason = reason.split('(').next().unwrap_or_default().to_string();
            let _ = write!(note, "{}rebalance refused: {reason}", sep(note));
            return;
        }
        counts.rebalances += 1;
    }
}

/// `"; "` after a non-empty note.
fn sep(note: &str) -> &'static str {
    if note.is_empty() {
        ""
    } else {
        "; "
    }
}

/// The liquidation keepers and the auction taker (see the module docs).
fn liquidate(s: &mut System, accounts: &[U256], counts: &mut Counts) {
    for &account in accounts {
        for _ in 0..10 {
            if !s.is_liquidatable(account) || !s.liquidate(account).is_success() {
                break;
            }
            counts.liquidations += 1;
        }
    }
    let oracle = s.world.price_data();
    for id in s.auctions() {
        let status = s.auction(id);
        if status.needsRedo {
            let liq = s.liquidator;
            let call = ILiquidator::redoCall { id, keeper: KEEPER };
            let _ = s.call(KEEPER, liq, &call);
        } else if oracle.isValid
            && status.price <= oracle.price
            && s.take(id, status.lot, status.price).is_success()
        {
            counts.takes += 1;
        }
    }
    let (engine, weth) = (s.engine, s.weth);
    for &account in accounts {
        let quote = s.view(engine, &IMarginEngine::quoteBalanceCall { account });
        let held = s.view(
            engine,
            &IMarginEngine::collateralOfCall {
                account,
                token: weth,
            },
        );
        if quote.is_negative() && held.is_zero() && s.position(account).0.is_zero() {
            let _ = s.settle_bad_debt(account);
        }
    }
}

/// The row after `print` and the keepers' round.
fn row(
    s: &mut System,
    print: &Print,
    counts: &Counts,
    before: (usize, usize, usize),
    note: String,
) -> Row {
    let data = s.world.price_data();
    let weth = s.weth;
    let vol = s
        .world
        .view(&Oracle::volatilityStateCall { asset: weth })
        .index;
    let maintenance = s.world.model(&Model::maintenanceMarginCall { asset: weth });
    let v = s.vault_view();
    let floor = v.hwm * (wad(1) - cap()) / wad(1);
    Row {
        minute: print.minute,
        feed: print.cents as f64 / 100.0,
        oracle: f(data.price),
        valid: data.isValid,
        vol: f(vol),
        maintenance: f(maintenance),
        nav_per_share: v.nav_per_share,
        hwm: v.hwm,
        floor,
        drawdown: f(v.drawdown),
        exposure: fi(v.exposure),
        rebalances: counts.rebalances - before.0,
        liquidations: counts.liquidations - before.1,
        takes: counts.takes - before.2,
        insurance: f(s.insurance_fund()) * 1e12,
        bad_debt: f(s.bad_debt()),
        note,
    }
}
