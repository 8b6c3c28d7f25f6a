//! `stylus-check FILE.wasm...`: validates Stylus programs as Nitro's activation would and
//! prints one row per contract with its raw and deployed sizes, the init and cached init
//! costs activation predicts, and the gas a first and a repeated call in one transaction
//! pay to start the program under the default [`GasSchedule`].
//!
//! Exits with status 1 if any contract breaks a rule (the rule is printed), 2 on bad usage.

use std::path::Path;
use std::process::ExitCode;

use keel_host::activation::{
    activate, CodeSizes, InitCosts, DEPLOYED_CODE_LIMIT, DEPLOYED_CODE_TARGET,
};
use keel_host::gas::GasSchedule;

/// The outcome for one file.
struct Row {
    name: String,
    sizes: Option<CodeSizes>,
    costs: Option<InitCosts>,
    failure: Option<String>,
}

fn check(path: &Path) -> Row {
    let name = path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let wasm = match std::fs::read(path) {
        Ok(wasm) => wasm,
        Err(e) => {
            return Row {
                name,
                sizes: None,
                costs: None,
                failure: Some(format!("cannot read {}: {e}", path.display())),
            }
        }
    };
    match activate(&name, &wasm) {
        Ok(program) => Row {
            name,
            sizes: Some(program.sizes()),
            costs: Some(program.init_costs()),
            failure: None,
        },
        Err(error) => {
            let sizes = CodeSizes::measure(&name, &wasm).ok();
            Row {
                name,
                sizes,
                costs: None,
                failure: Some(error.to_string()),
            }
        }
    }
}

/// The `init/cached` and `gas 1st/repeat` cells: the predicted costs, and the gas a first
/// and a later call in one transaction pay to start the program.
fn start_costs(schedule: &GasSchedule, costs: InitCosts) -> (String, String) {
    let first = schedule.program_start_gas(costs, false);
    let repeat = schedule.program_start_gas(costs, true);
    (
        format!("{}/{}", costs.init, costs.cached),
        format!("{first}/{repeat}"),
    )
}

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: stylus-check FILE.wasm...");
        return ExitCode::from(2);
    }
    let rows: Vec<Row> = paths.iter().map(|p| check(Path::new(p))).collect();
    let width = rows
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(0)
        .max("contract".len());
    println!(
        "{:<width$}  {:>10}  {:>13}  {:>9}  {:>10}  {:>11}  {:>14}  status",
        "contract",
        "wasm B",
        "deployed B",
        format!("% {DEPLOYED_CODE_LIMIT}"),
        format!("% {DEPLOYED_CODE_TARGET}"),
        "init/cached",
        "gas 1st/repeat",
    );
    let schedule = GasSchedule::default();
    for row in &rows {
        let (wasm, deployed, limit, target) = row.sizes.map_or_else(
            || {
                (
                    "-".to_owned(),
                    "-".to_owned(),
                    "-".to_owned(),
                    "-".to_owned(),
                )
            },
            |s| {
                (
                    s.wasm.to_string(),
                    s.deployed.to_string(),
                    format!("{:.1}%", s.percent_of_limit()),
                    format!("{:.1}%", s.percent_of_target()),
                )
            },
        );
        let (costs, gas) = row.costs.map_or_else(
            || ("-".to_owned(), "-".to_owned()),
            |c| start_costs(&schedule, c),
        );
        let status = match (&row.failure, row.sizes) {
            (Some(_), _) => "FAIL",
            (None, Some(s)) if s.deployed > DEPLOYED_CODE_TARGET => "ok (over target)",
            (None, _) => "ok",
        };
        println!(
            "{:<width$}  {wasm:>10}  {deployed:>13}  {limit:>9}  {target:>10}  {costs:>11}  {gas:>14}  {status}",
            row.name
        );
    }
    let failures: Vec<&String> = rows.iter().filter_map(|r| r.failure.as_ref()).collect();
    for failure in &failures {
        println!("error: {failure}");
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
