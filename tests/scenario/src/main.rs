//! Keel's main job (`scripts/demo`): a market crash played on the whole of Keel on the local
//! Stylus host, with the DrawdownVault's drawdown control on and then off.
//!
//! The scenario itself is `keel_e2e::crash` (the same code the end-to-end test `crash` asserts
//! on): the LP's pool, two depositors in the vault, the strategist's 3× long target built by
//! keepers, three leveraged traders, then a calm day, a −45 % crash over six hours (relief
//! bounces, a bad print beyond the oracle's jump band, a sequencer outage) and a partial
//! recovery, keepers poking, rebalancing, liquidating and taking auctions at every print.
//!
//! Prints the controlled run's timeline, the baseline's key columns and both outcomes side by
//! side; writes `target/demo/timeline.csv` (both runs, a `mode` column) and
//! `target/demo/chart.svg` (price, NAV per share, mark and floor of the controlled run, the
//! baseline's NAV dashed, all normalised to 100 at the start).

mod chart;

use std::{fmt::Write as _, fs, path::PathBuf};

use keel_e2e::{
    crash::{cap, run, Control, Outcome, Row},
    risk_oracle::f,
};
use plotters::style::RGBColor;

fn main() {
    let controlled = run(Control::Drawdown);
    let baseline = run(Control::Static);
    print!("{}", timeline(&controlled));
    print!("{}", baseline_columns(&baseline));
    print!("{}", side_by_side(&[&controlled, &baseline]));

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/demo");
    if let Err(err) = fs::create_dir_all(&dir) {
        eprintln!("could not create {}: {err}", dir.display());
        return;
    }
    let dir = dir.canonicalize().unwrap_or(dir);
    let mut csv = format!("{}\n", Row::CSV_HEADER);
    for o in [&controlled, &baseline] {
        for r in &o.rows {
            let _ = writeln!(csv, "{}", r.csv(o.control));
        }
    }
    let path = dir.join("timeline.csv");
    match fs::write(&path, csv) {
        Ok(()) => println!("timeline written to {}", path.display()),
        Err(err) => eprintln!("could not write {}: {err}", path.display()),
    }
    let path = dir.join("chart.svg");
    match chart::write_svg(
        &path,
        "Keel: ETH −45 % crash",
        "index (start = 100)",
        &lines(&controlled, &baseline),
    ) {
        Ok(()) => println!("chart written to {}", path.display()),
        Err(err) => eprintln!("could not write {}: {err}", path.display()),
    }
}

/// The controlled run, one line per print.
fn timeline(o: &Outcome) -> String {
    let mut t = format!(
        "crash with drawdown control (cap {:.0} %)\n",
        100.0 * f(cap())
    );
    let _ = writeln!(
        t,
        "{:>5} {:>8} {:>8} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7} {:>6} {:>9} {:>3} {:>3} {:>3} {:>9} {:>6}  note",
        "min", "feed $", "oracle$", "valid", "vol", "MM", "NAV/sh", "HWM", "floor", "dd", "exposure",
        "reb", "liq", "tk", "insur $", "bad $"
    );
    for r in &o.rows {
        let _ = writeln!(
            t,
            "{:>5} {:>8.2} {:>8.2} {:>5} {:>4.0}% {:>4.1}% {:>7.4} {:>7.4} {:>7.4} {:>5.2}% {:>9.0} {:>3} {:>3} {:>3} {:>9.0} {:>6.0}  {}",
            r.minute,
            r.feed,
            r.oracle,
            if r.valid { "yes" } else { "NO" },
            100.0 * r.vol,
            100.0 * r.maintenance,
            f(r.nav_per_share),
            f(r.hwm),
            f(r.floor),
            100.0 * r.drawdown,
            r.exposure,
            r.rebalances,
            r.liquidations,
            r.takes,
            r.insurance,
            r.bad_debt,
            r.note
        );
    }
    t
}

/// The baseline's key columns, for prints from the start of the crash.
fn baseline_columns(o: &Outcome) -> String {
    let mut t = String::from(
        "\nstatic baseline (3× held, no rebalancing, cap out of reach), from the crash on\n",
    );
    let _ = writeln!(
        t,
        "{:>5} {:>8} {:>7} {:>7} {:>6} {:>9}",
        "min", "oracle$", "NAV/sh", "HWM", "dd", "exposure"
    );
    for r in o.rows.iter().filter(|r| r.minute >= 1_440) {
        let _ = writeln!(
            t,
            "{:>5} {:>8.2} {:>7.4} {:>7.4} {:>5.2}% {:>9.0}",
            r.minute,
            r.oracle,
            f(r.nav_per_share),
            f(r.hwm),
            100.0 * r.drawdown,
            r.exposure
        );
    }
    t
}

/// One line of the side-by-side table: how to show a measure of an outcome.
type Measure = fn(&Outcome) -> String;

/// The outcomes side by side.
fn side_by_side(outcomes: &[&Outcome]) -> String {
    let mut t = String::from("\noutcome                      ");
    for o in outcomes {
        let _ = write!(t, "{:>14}", o.control.label());
    }
    let rows: [(&str, Measure); 6] = [
        ("max drawdown from HWM", |o| {
            format!("{:.2} %", 100.0 * f(o.max_drawdown))
        }),
        ("final NAV per share", |o| {
            format!("{:.4}", f(o.final_nav_per_share))
        }),
        ("bad debt (USDC)", |o| format!("{:.2}", f(o.bad_debt))),
        ("liquidation tranches", |o| o.liquidations.to_string()),
        ("auction takes", |o| o.takes.to_string()),
        ("vault rebalances", |o| o.rebalances.to_string()),
    ];
    for (label, value) in rows {
        let _ = write!(t, "\n{label:<29}");
        for o in outcomes {
            let _ = write!(t, "{:>14}", value(o));
        }
    }
    let _ = writeln!(t, "\n(the vault's hard cap: {:.0} %)\n", 100.0 * f(cap()));
    t
}

/// The chart's lines: the oracle price and the controlled vault's NAV per share, mark and floor
/// solid, the baseline's NAV per share dashed, each as 100 × value / first value.
fn lines<'a>(controlled: &Outcome, baseline: &Outcome) -> Vec<chart::Line<'a>> {
    let series = |o: &Outcome, value: fn(&Row) -> f64| {
        let first = o.rows.first().map_or(1.0, value);
        o.rows
            .iter()
            .map(|r| (r.minute as f64 / 60.0, 100.0 * value(r) / first))
            .collect::<Vec<_>>()
    };
    let navs = |r: &Row| f(r.nav_per_share);
    // Normalised by the first NAV per share, so that the floor sits at 80 % of the mark.
    let first_nav = controlled.rows.first().map_or(1.0, navs);
    let relative = |value: fn(&Row) -> f64| {
        controlled
            .rows
            .iter()
            .map(|r| (r.minute as f64 / 60.0, 100.0 * value(r) / first_nav))
            .collect::<Vec<_>>()
    };
    let line = |name, points, color, dashed| chart::Line {
        name,
        points,
        color,
        dashed,
    };
    vec![
        line(
            "ETH price",
            series(controlled, |r| r.oracle),
            RGBColor(120, 120, 120),
            false,
        ),
        line(
            "vault NAV/share (drawdown control)",
            relative(navs),
            RGBColor(31, 119, 180),
            false,
        ),
        line(
            "high-water mark",
            relative(|r| f(r.hwm)),
            RGBColor(44, 160, 44),
            false,
        ),
        line(
            "floor (HWM × 80 %)",
            relative(|r| f(r.floor)),
            RGBColor(214, 39, 40),
            false,
        ),
        line(
            "vault NAV/share (static baseline)",
            series(baseline, navs),
            RGBColor(255, 127, 14),
            true,
        ),
    ]
}
