//! The parameters the setters change: their names, bounds and defaults.
//!
//! Names are `bytes32` holding the ASCII name left-aligned and zero-padded, as Solidity's
//! `bytes32("penalty")`.

use alloy_primitives::B256;
use keel_math::{U256, WAD};

use crate::records::{caps, market, misc, risk, Field};

/// Longest duration any parameter may take: 30 days, in seconds.
pub const MAX_DURATION: u64 = 30 * 86_400;
/// Most collateral tokens the Backstop seizes (each liquidation may read them all).
pub const MAX_TOKENS: u8 = 8;

pub use keel_common::abi::name;

/// The storage word a numeric parameter lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Home {
    /// `Backstop.risk`.
    Risk,
    /// `Backstop.caps`.
    Caps,
    /// `Backstop.misc`.
    Misc,
    /// `MarketBook.bounds`.
    Bounds,
    /// `MarketBook.clock`.
    Clock,
}

/// A numeric parameter: its name, where it is stored, and its inclusive bounds. Every maximum
/// fits its field, so a stored value is never truncated.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// The name, as passed in `bytes32`.
    pub name: B256,
    pub(crate) home: Home,
    pub(crate) field: Field,
    /// The smallest accepted value.
    pub min: U256,
    /// The largest accepted value.
    pub max: U256,
}

const fn param(text: &str, home: Home, field: Field, min: U256, max: U256) -> Param {
    Param {
        name: name(text),
        home,
        field,
        min,
        max,
    }
}

const fn n(x: u64) -> U256 {
    U256::from_limbs([x, 0, 0, 0])
}

/// `2^96 − 1`: the largest amount a parameter takes (WAD amounts up to 7.9e10 quote, quote
/// units far beyond any supply).
pub const U96_MAX: U256 = U256::from_limbs([u64::MAX, u32::MAX as u64, 0, 0]);

/// One WAD as a `u64`.
const WAD_U64: u64 = 1_000_000_000_000_000_000;

/// The global parameters of `file(what, data)`.
pub const GLOBAL_PARAMS: [Param; 7] = [
    // Health factor a liquidation restores (Aave v4's target health), WAD: above 1 (1 would
    // leave the account on the edge), at most 3.
    param(
        "targetHealth",
        Home::Risk,
        risk::TARGET_HEALTH,
        n(WAD_U64 + 1),
        n(3 * WAD_U64),
    ),
    // Liquidation penalty per unit of notional closed or deficit auctioned, WAD, ≤ 20 %.
    param(
        "penalty",
        Home::Risk,
        risk::PENALTY,
        U256::ZERO,
        n(WAD_U64 / 5),
    ),
    // Keeper's share of a tranche's penalty, WAD.
    param(
        "keeperShare",
        Home::Risk,
        risk::KEEPER_SHARE,
        U256::ZERO,
        WAD,
    ),
    // ADL opens above traders' profit / pool assets of this much, WAD, 1 %–1000 %.
    param(
        "adlRatio",
        Home::Risk,
        risk::ADL_RATIO,
        n(WAD_U64 / 100),
        n(10 * WAD_U64),
    ),
    // Cap on a keeper's reward per tranche, quote units.
    param(
        "keeperCap",
        Home::Caps,
        caps::KEEPER_CAP,
        U256::ZERO,
        U96_MAX,
    ),
    // Most notional one ADL call closes, WAD; 0 = no bound.
    param("adlMax", Home::Caps, caps::ADL_MAX, U256::ZERO, U96_MAX),
    // Seconds a recorded bad debt waits for ADL before it is socialised.
    param(
        "adlGrace",
        Home::Misc,
        misc::ADL_GRACE,
        U256::ZERO,
        n(MAX_DURATION),
    ),
];

/// The per-market parameters of `fileMarket(market, what, data)`.
pub const MARKET_PARAMS: [Param; 3] = [
    // Most notional one liquidation call closes, WAD; 0 = no bound.
    param("maxLot", Home::Bounds, market::MAX_LOT, U256::ZERO, U96_MAX),
    // Most notional liquidated per window, WAD; 0 = no rate limit.
    param("limit", Home::Bounds, market::LIMIT, U256::ZERO, U96_MAX),
    // The rate limit's window, seconds; 0 = no rate limit.
    param(
        "window",
        Home::Clock,
        market::WINDOW,
        U256::ZERO,
        n(MAX_DURATION),
    ),
];

/// The values a new Backstop starts with; every one inside its bounds.
pub struct Defaults;

impl Defaults {
    /// 1.25.
    pub const TARGET_HEALTH: u64 = 1_250_000_000_000_000_000;
    /// 1 %.
    pub const PENALTY: u64 = WAD_U64 / 100;
    /// Half the penalty to the keeper.
    pub const KEEPER_SHARE: u64 = WAD_U64 / 2;
    /// Trader profit as large as the pool's assets.
    pub const ADL_RATIO: u64 = WAD_U64;
    /// One hour for keepers to ADL before a bad debt is socialised.
    pub const ADL_GRACE: u64 = 3_600;
    /// The `risk` word of a new Backstop.
    pub(crate) const RISK: U256 = U256::from_limbs([
        Self::TARGET_HEALTH,
        Self::PENALTY,
        Self::KEEPER_SHARE,
        Self::ADL_RATIO,
    ]);
    /// The `caps` word of a new Backstop: keeper rewards uncapped (up to `U96_MAX`), no ADL
    /// bound per call.
    pub(crate) const CAPS: U256 = U96_MAX;
}

/// The parameter of `table` named `what`.
pub(crate) fn find(table: &'static [Param], what: B256) -> Option<&'static Param> {
    table.iter().find(|p| p.name == what)
}

const ORACLE: B256 = name("oracle");
const MODEL: B256 = name("model");

/// A global address parameter, set by `fileAddress(what, data)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalAddress {
    /// `oracle`: the price source of every market and collateral.
    Oracle,
    /// `model`: the source of maintenance margin fractions.
    Model,
}

impl GlobalAddress {
    /// Parses `oracle` or `model`.
    #[must_use]
    pub fn parse(what: B256) -> Option<Self> {
        match what {
            ORACLE => Some(Self::Oracle),
            MODEL => Some(Self::Model),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(text: &str) -> Option<(U256, U256)> {
        find(&GLOBAL_PARAMS, name(text)).map(|p| (p.min, p.max))
    }

    #[test]
    fn every_parameter_is_found_by_its_name_in_its_own_table_only() {
        for p in &GLOBAL_PARAMS {
            assert_eq!(find(&GLOBAL_PARAMS, p.name).map(|f| f.name), Some(p.name));
            assert!(find(&MARKET_PARAMS, p.name).is_none());
        }
        for p in &MARKET_PARAMS {
            assert_eq!(find(&MARKET_PARAMS, p.name).map(|f| f.name), Some(p.name));
            assert!(find(&GLOBAL_PARAMS, p.name).is_none());
        }
        assert!(find(&GLOBAL_PARAMS, name("targethealth")).is_none());
    }

    #[test]
    fn defaults_lie_within_bounds() {
        let inside = |text: &str, v: u64| {
            bounds(text).is_some_and(|(min, max)| min <= U256::from(v) && U256::from(v) <= max)
        };
        assert!(inside("targetHealth", Defaults::TARGET_HEALTH));
        assert!(inside("penalty", Defaults::PENALTY));
        assert!(inside("keeperShare", Defaults::KEEPER_SHARE));
        assert!(inside("adlRatio", Defaults::ADL_RATIO));
        assert!(inside("adlGrace", Defaults::ADL_GRACE));
    }

    #[test]
    fn every_maximum_fits_its_field_and_every_minimum_is_below_it() {
        for p in GLOBAL_PARAMS.iter().chain(&MARKET_PARAMS) {
            assert!(p.min <= p.max);
            assert!(p.field.with(U256::ZERO, p.max).is_ok());
        }
        assert_eq!(U96_MAX, (U256::from(1) << 96) - U256::from(1));
    }

    #[test]
    fn target_health_must_exceed_one() {
        assert_eq!(
            bounds("targetHealth").map(|b| b.0),
            Some(WAD + U256::from(1))
        );
    }

    #[test]
    fn address_names_parse() {
        assert_eq!(
            GlobalAddress::parse(name("oracle")),
            Some(GlobalAddress::Oracle)
        );
        assert_eq!(
            GlobalAddress::parse(name("model")),
            Some(GlobalAddress::Model)
        );
        assert_eq!(GlobalAddress::parse(name("engine")), None);
    }
}
