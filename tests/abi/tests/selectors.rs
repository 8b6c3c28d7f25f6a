//! The selectors in `abi/json/` against the contracts' own Rust declarations: the errors and
//! events the JSON ABI lists are exactly the `sol!` types each contract reverts or emits with
//! (same signature, same selector or topic), and the Liquidator's functions are exactly those
//! its router dispatches. The functions of
//! the `#[public]` contracts (RiskOracle, RiskModel) have no Rust-side selector constants:
//! `tests/e2e` (module `abi`) calls each of them on the real `.wasm`.

use std::{collections::BTreeMap, path::Path};

use alloy_json_abi::JsonAbi;
use alloy_primitives::Selector;
use alloy_sol_types::{SolError, SolEvent};

/// Name → selector or topic (hex), as a table to compare.
type Table = BTreeMap<String, String>;

/// `abi/json/<name>.json`, split into its functions, errors and events.
fn from_json(name: &str) -> [Table; 3] {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../abi/json/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let abi: JsonAbi = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    [
        abi.functions()
            .map(|f| (f.signature(), f.selector().to_string()))
            .collect(),
        abi.errors()
            .map(|e| (e.signature(), e.selector().to_string()))
            .collect(),
        abi.events()
            .map(|e| (e.signature(), e.selector().to_string()))
            .collect(),
    ]
}

/// The signature and selector of each `sol!` error type.
macro_rules! errors {
    ($($t:ty),* $(,)?) => {
        Table::from([$((<$t as SolError>::SIGNATURE.to_owned(), Selector::from(<$t as SolError>::SELECTOR).to_string())),*])
    };
}

/// The signature and topic of each `sol!` event type.
macro_rules! events {
    ($($t:ty),* $(,)?) => {
        Table::from([$((<$t as SolEvent>::SIGNATURE.to_owned(), <$t as SolEvent>::SIGNATURE_HASH.to_string())),*])
    };
}

/// Compares one interface's errors and events in the JSON with the Rust types.
fn check(name: &str, errors: Table, events: Table) {
    let [_, json_errors, json_events] = from_json(name);
    assert_eq!(json_errors, errors, "{name}: errors");
    assert_eq!(json_events, events, "{name}: events");
}

#[test]
fn risk_oracle_errors_and_events() {
    use keel_risk_oracle::{errors::*, events::*};
    check(
        "IRiskOracle",
        errors!(
            OracleUnauthorized,
            OracleZeroAddress,
            OracleUnknownParameter,
            OracleParameterOutOfBounds,
            OracleUnknownAsset,
            OraclePaused,
            OracleNotPaused,
            OracleFeedCallFailed,
            OraclePriceRejected,
            OracleNoNewPrice,
            OracleMathError,
        ),
        events!(PriceAccepted, File),
    );
}

#[test]
fn risk_model_errors() {
    use keel_risk_model::*;
    check(
        "IRiskModel",
        errors!(
            ModelZeroAddress,
            ModelOracleCallFailed,
            ModelArgumentOutOfBounds,
            ModelMathError,
            keel_risk_oracle::errors::OracleUnknownAsset,
        ),
        Table::new(),
    );
}

#[test]
fn liquidator_errors_and_events() {
    use keel_liquidator::{errors::*, events::*};
    check(
        "ILiquidator",
        errors!(
            LiquidatorUnauthorized,
            LiquidatorStopped,
            LiquidatorLocked,
            LiquidatorUnknownParameter,
            LiquidatorParameterOutOfBounds,
            LiquidatorAssetNotListed,
            LiquidatorAssetAlreadyListed,
            LiquidatorUnsupportedDecimals,
            LiquidatorInvalidKick,
            LiquidatorHoleExceeded,
            LiquidatorInvalidPrice,
            LiquidatorPriceDropBreaker,
            LiquidatorLotNotFunded,
            LiquidatorAuctionNotRunning,
            LiquidatorNeedsRedo,
            LiquidatorRedoNotNeeded,
            LiquidatorPriceAboveMax,
            LiquidatorDustRemnant,
            LiquidatorZeroTake,
            LiquidatorExternalCallFailed,
            LiquidatorMathError,
        ),
        events!(
            Rely,
            Deny,
            File,
            FileAddress,
            FileAsset,
            Init,
            Stop,
            Kick,
            Take,
            Redo,
            Close
        ),
    );
}

/// The JSON's functions are exactly `ILiquidator`'s, whose selectors the router matches on.
#[test]
fn liquidator_functions() {
    use alloy_sol_types::SolInterface;
    use keel_liquidator::router::ILiquidator::ILiquidatorCalls;
    let [functions, _, _] = from_json("ILiquidator");
    let mut json: Vec<String> = functions.into_values().collect();
    json.sort();
    let mut rust: Vec<String> = ILiquidatorCalls::SELECTORS
        .iter()
        .map(|s| Selector::from(*s).to_string())
        .collect();
    rust.sort();
    assert_eq!(json, rust);
    assert_eq!(ILiquidatorCalls::COUNT, rust.len());
}
