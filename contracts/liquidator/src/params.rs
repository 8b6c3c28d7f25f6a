//! The parameters that `file` sets: their names, bounds, and the defaults of a newly listed
//! asset.
//!
//! Names are `bytes32` holding the ASCII name left-aligned and zero-padded, as Solidity's
//! `bytes32("buf")`; every name fits in eight bytes, so parsing compares one `u64`.

use alloy_primitives::B256;
use keel_math::{U256, WAD};

use crate::{
    curve,
    records::{asset, caps, head, Field},
};

/// Longest duration any parameter may take: 30 days, in seconds.
pub const MAX_DURATION: u64 = 30 * 86_400;
/// Highest stop level: 1 stops kicks, 2 also redos, 3 also takes.
pub const MAX_STOPPED: u8 = 3;

/// A global address parameter, set by `fileAddress(what, data)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalAddress {
    /// `oracle`: the price source of every asset.
    Oracle,
    /// `guardian`: may raise the stop level, nothing else.
    Guardian,
}

/// The defaults of a newly listed asset: inside every bound, and `hole = 0` so that no auction
/// starts until governance sets a cap on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Defaults;

impl Defaults {
    /// 1.2: start 20 % above the oracle price.
    pub const BUF: u64 = 1_200_000_000_000_000_000;
    /// One hour.
    pub const TAIL: u64 = 3_600;
    /// 0.4: restart once the price has fallen 60 % from `top`.
    pub const CUSP: u64 = 400_000_000_000_000_000;
    /// Maker's stairstep: 1 % every 90 seconds.
    pub const KIND: u8 = curve::STAIRSTEP;
    /// See [`Defaults::KIND`].
    pub const STEP: u64 = 90;
    /// See [`Defaults::KIND`].
    pub const CUT: u64 = 990_000_000_000_000_000;
    /// One hour (used only if `kind` becomes linear).
    pub const TAU: u64 = 3_600;
}

const fn tag(name: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    let mut i = 0;
    while i < name.len() {
        bytes[i] = name[i];
        i += 1;
    }
    u64::from_be_bytes(bytes)
}

pub use keel_common::abi::name;

/// `bytes32("stopped")`, the name `stop` reports in its errors.
pub const STOPPED: B256 = name("stopped");

/// The first eight bytes of a name whose other 24 bytes are zero.
fn short(what: B256) -> Option<u64> {
    let (head, rest) = what.0.split_first_chunk::<8>()?;
    if rest.iter().any(|b| *b != 0) {
        return None;
    }
    Some(u64::from_be_bytes(*head))
}

/// The storage word a numeric parameter lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Home {
    /// `Liquidator.head`.
    Head,
    /// `Liquidator.caps`.
    Caps,
    /// `AssetConfig.rules`.
    Rules,
    /// `AssetConfig.book`.
    Book,
    /// `AssetConfig.caps`.
    AssetCaps,
    /// `AssetConfig.start`.
    Start,
    /// `AssetConfig.reward`.
    Reward,
}

/// A numeric parameter `file` sets: its name, where it is stored, and its inclusive bounds.
/// Every maximum fits the field, so a stored value is never truncated.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// The name, as passed in `bytes32`.
    pub name: &'static str,
    tag: u64,
    pub(crate) home: Home,
    pub(crate) field: Field,
    /// The smallest accepted value.
    pub min: U256,
    /// The largest accepted value.
    pub max: U256,
}

const fn param(name: &'static str, home: Home, field: Field, min: U256, max: U256) -> Param {
    Param {
        name,
        tag: tag(name.as_bytes()),
        home,
        field,
        min,
        max,
    }
}

const fn n(x: u64) -> U256 {
    U256::from_limbs([x, 0, 0, 0])
}

/// `2^128 − 1`: the largest value of a 128-bit field.
const U128_MAX: U256 = U256::from_limbs([u64::MAX, u64::MAX, 0, 0]);

/// The global parameters of `file(what, data)`.
pub const GLOBAL_PARAMS: [Param; 2] = [
    // Cap on the quote under auction across all assets, quote units.
    param("Hole", Home::Caps, caps::HOLE, U256::ZERO, U128_MAX),
    // The stop level: 1 stops kicks, 2 also redos, 3 also takes.
    param(
        "stopped",
        Home::Head,
        head::STOPPED,
        U256::ZERO,
        n(MAX_STOPPED as u64),
    ),
];

/// The per-asset parameters of `fileAsset(asset, what, data)`.
pub const ASSET_PARAMS: [Param; 13] = [
    // Start price over oracle price, WAD: never below the oracle price, at most ten times it.
    param("buf", Home::Start, asset::BUF, WAD, n(10 * WAD_U64)),
    // Seconds before an auction needs a restart.
    param("tail", Home::Rules, asset::TAIL, n(1), n(MAX_DURATION)),
    // `price / top` below which an auction needs a restart, WAD: strictly between 0 and 1 (0
    // would let the price fall to nothing first, 1 would restart at the first move).
    param("cusp", Home::Rules, asset::CUSP, n(1), n(WAD_U64 - 1)),
    // Keeper reward per unit of tab, WAD, at most 10 %.
    param(
        "chip",
        Home::Start,
        asset::CHIP,
        U256::ZERO,
        n(WAD_U64 / 10),
    ),
    // Flat keeper reward, quote units.
    param("tip", Home::Reward, asset::TIP, U256::ZERO, U128_MAX),
    // Smallest tab a partial take may leave, quote units.
    param("chost", Home::Book, asset::CHOST, U256::ZERO, U128_MAX),
    // Cap on this asset's quote under auction, quote units.
    param("hole", Home::AssetCaps, caps::HOLE, U256::ZERO, U128_MAX),
    // The price curve, see `crate::curve`.
    param(
        "kind",
        Home::Rules,
        asset::KIND,
        U256::ZERO,
        n(curve::EXPONENTIAL as u64),
    ),
    // Seconds to zero of the linear curve.
    param("tau", Home::Rules, asset::TAU, n(1), n(MAX_DURATION)),
    // Seconds per step of the stairstep curve.
    param("step", Home::Rules, asset::STEP, n(1), n(MAX_DURATION)),
    // Factor per step or per second of the exponential curves, WAD: 0 would drop the price to
    // zero at once.
    param("cut", Home::Rules, asset::CUT, n(1), WAD),
    // Price-drop breaker: kicks stop below `last · tol` (WAD; 0 = off).
    param("tol", Home::Start, asset::TOL, U256::ZERO, WAD),
    // Oracle price at the previous kick or redo, WAD; governance may overwrite it to clear a
    // tripped breaker.
    param("last", Home::Reward, asset::LAST, U256::ZERO, U128_MAX),
];

/// One WAD as a `u64`.
const WAD_U64: u64 = 1_000_000_000_000_000_000;

/// The parameter of `table` named `what`.
#[must_use]
pub fn find(table: &'static [Param], what: B256) -> Option<&'static Param> {
    let tag = short(what)?;
    table.iter().find(|p| p.tag == tag)
}

const ORACLE: u64 = tag(b"oracle");
const GUARDIAN: u64 = tag(b"guardian");

impl GlobalAddress {
    /// Parses `oracle` or `guardian`.
    #[must_use]
    pub fn parse(what: B256) -> Option<Self> {
        match short(what)? {
            ORACLE => Some(Self::Oracle),
            GUARDIAN => Some(Self::Guardian),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_left_aligned_zero_padded_ascii() {
        let word = name("buf");
        assert_eq!(&word.0[..3], b"buf");
        assert!(word.0[3..].iter().all(|b| *b == 0));
    }

    #[test]
    fn every_parameter_is_found_by_its_name_in_its_own_table() {
        for p in &ASSET_PARAMS {
            assert_eq!(
                find(&ASSET_PARAMS, name(p.name)).map(|f| f.name),
                Some(p.name)
            );
            assert!(find(&GLOBAL_PARAMS, name(p.name)).is_none(), "{}", p.name);
        }
        for p in &GLOBAL_PARAMS {
            assert_eq!(
                find(&GLOBAL_PARAMS, name(p.name)).map(|f| f.name),
                Some(p.name)
            );
        }
    }

    #[test]
    fn names_are_case_sensitive() {
        assert!(find(&GLOBAL_PARAMS, name("Hole")).is_some());
        assert!(find(&GLOBAL_PARAMS, name("hole")).is_none());
        assert!(find(&ASSET_PARAMS, name("Hole")).is_none());
    }

    #[test]
    fn address_names_parse() {
        assert_eq!(
            GlobalAddress::parse(name("oracle")),
            Some(GlobalAddress::Oracle)
        );
        assert_eq!(
            GlobalAddress::parse(name("guardian")),
            Some(GlobalAddress::Guardian)
        );
        assert_eq!(GlobalAddress::parse(name("tail")), None);
    }

    #[test]
    fn unknown_or_longer_names_are_not_found() {
        assert!(find(&ASSET_PARAMS, name("bufx")).is_none());
        assert!(find(&ASSET_PARAMS, name("buf\0\0\0\0\0x")).is_none());
        assert!(find(&ASSET_PARAMS, B256::ZERO).is_none());
        assert!(find(&GLOBAL_PARAMS, name("stoppedX")).is_none());
    }

    #[test]
    fn every_maximum_fits_its_field_and_every_minimum_is_below_it() {
        for p in GLOBAL_PARAMS.iter().chain(&ASSET_PARAMS) {
            assert!(p.min <= p.max, "{}", p.name);
            assert!(p.field.with(U256::ZERO, p.max).is_ok(), "{}", p.name);
        }
    }

    #[test]
    fn defaults_lie_within_bounds() {
        let inside = |text: &str, value: u64| {
            let p = find(&ASSET_PARAMS, name(text)).copied();
            p.is_some_and(|p| p.min <= U256::from(value) && U256::from(value) <= p.max)
        };
        assert!(inside("buf", Defaults::BUF));
        assert!(inside("tail", Defaults::TAIL));
        assert!(inside("cusp", Defaults::CUSP));
        assert!(inside("kind", u64::from(Defaults::KIND)));
        assert!(inside("step", Defaults::STEP));
        assert!(inside("cut", Defaults::CUT));
        assert!(inside("tau", Defaults::TAU));
    }

    #[test]
    fn bounds_are_the_documented_ones() {
        let bounds = |text: &str| find(&ASSET_PARAMS, name(text)).map(|p| (p.min, p.max));
        assert_eq!(bounds("buf"), Some((WAD, WAD * U256::from(10))));
        assert_eq!(bounds("cusp"), Some((U256::from(1), WAD - U256::from(1))));
        assert_eq!(bounds("chip"), Some((U256::ZERO, WAD / U256::from(10))));
        assert_eq!(bounds("tail"), Some((U256::from(1), U256::from(2_592_000))));
        assert_eq!(bounds("kind"), Some((U256::ZERO, U256::from(2))));
        assert_eq!(bounds("tip"), Some((U256::ZERO, U256::from(u128::MAX))));
    }
}
