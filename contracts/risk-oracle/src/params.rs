//! Parameter names, bounds and defaults.
//!
//! Parameters are set Maker-style through `file(what, data)` (globals) and
//! `fileAsset(asset, what, data)` (per asset), with `what` the parameter's
//! name as a left-aligned ASCII `bytes32` (Solidity: `bytes32("maxJump")`).
//! Every parameter has inclusive bounds; a value outside them reverts with
//! `OracleParameterOutOfBounds(what, data, min, max)`.
//!
//! Units: WAD fractions and rates (`1e18` = 1), seconds for durations,
//! volatilities annualised over [`YEAR`].

use alloy_primitives::{B256, U256};
use keel_math::WAD;

/// Seconds in the year used to annualise volatilities (365 days).
pub const YEAR: u64 = 365 * DAY;
/// Seconds in a day.
pub const DAY: u64 = 86_400;
/// Ceiling of every volatility the oracle stores: 100 (10,000 % a year).
/// Far above any real market; it only keeps the packed state in range.
pub const MAX_VOLATILITY: U256 = wad(100);

pub use keel_common::abi::name;

/// `n` whole units in WAD.
const fn wad(n: u64) -> U256 {
    let x = n as u128 * 1_000_000_000_000_000_000;
    U256::from_limbs([x as u64, (x >> 64) as u64, 0, 0])
}

/// A value given in units of `1e-18`, as `U256`.
const fn raw(n: u64) -> U256 {
    U256::from_limbs([n, 0, 0, 0])
}

/// A global parameter, set with `file(what, data)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Global {
    /// `fastDecay`: decay rate per second (WAD) of the fast variance EWMA;
    /// a sample `dt` seconds long gets weight `1 - exp(-fastDecay * dt)`.
    FastDecay,
    /// `slowDecay`: decay rate per second (WAD) of the slow variance EWMA.
    SlowDecay,
    /// `maxVolRate`: the most each volatility component may move, in
    /// annualised volatility (WAD) per second between accepted prices.
    MaxVolRate,
    /// `coldStartVol`: annualised volatility (WAD) a newly listed asset starts
    /// from, at most 10 (1,000 %).
    ColdStartVol,
    /// `gracePeriod`: seconds after the sequencer comes back during which
    /// adding risk stays unsafe.
    GracePeriod,
    /// `liqHorizon`: liquidation horizon `T_liq` in seconds (oracle latency
    /// plus auction time), the horizon of the maintenance margin.
    LiqHorizon,
    /// `k`: maintenance-margin multiplier of `sigma * sqrt(T_liq)` (WAD).
    K,
    /// `mmFloor`: smallest maintenance margin, a fraction of notional (WAD).
    MmFloor,
    /// `imMultiplier`: initial margin = maintenance margin times this (WAD).
    ImMultiplier,
}

/// Everything about one global parameter, in one row of [`GLOBALS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    /// The `bytes32` name `file` and `parameter` take.
    pub name: B256,
    /// Smallest accepted value.
    pub min: U256,
    /// Largest accepted value.
    pub max: U256,
    /// Value at deployment.
    pub default: U256,
    /// Storage: parameter word, first byte, length in bytes (big-endian).
    pub place: (usize, usize, usize),
}

const fn spec(
    name_: &str,
    min: U256,
    max: U256,
    default: U256,
    place: (usize, usize, usize),
) -> Spec {
    Spec {
        name: name(name_),
        min,
        max,
        default,
        place,
    }
}

/// The global parameters, in the order of [`Global`].
///
/// Bounds: a decay rate above 1/s would forget faster than one block; below
/// 1e-18/s it would never learn. `k` in `[0.1, 10]` spans a tenth of a
/// standard deviation to ten; `mmFloor >= 0.1 %` caps leverage at 1,000x;
/// `imMultiplier` in `[1, 10]` keeps initial above maintenance margin; a
/// grace period beyond a day or a liquidation horizon beyond a week would be
/// configuration mistakes.
///
/// Defaults: fast EWMA time constant one hour, slow one day; the index moves
/// at most 0.001 volatility per second (0.1 percentage point: 50 % to 250 %
/// takes at least 2,000 s); new assets start at 80 %; Chainlink's recommended
/// one-hour grace period; one-hour liquidation horizon; three standard
/// deviations; 2 % floor; initial margin 1.5x maintenance.
///
/// Places: grouped by reader so that each operation loads one word: word 0
/// is read by `poke` (with the pause flag in its last byte), word 1 by the
/// margin inputs, word 2 by the sequencer check and by listing (with the
/// uptime feed in bytes `0..20`).
pub const GLOBALS: [Spec; 9] = [
    spec(
        "fastDecay",
        raw(1),
        WAD,
        raw(1_000_000_000_000_000_000 / 3_600),
        (0, 0, 8),
    ),
    spec(
        "slowDecay",
        raw(1),
        WAD,
        raw(1_000_000_000_000_000_000 / DAY),
        (0, 8, 8),
    ),
    spec(
        "maxVolRate",
        raw(1),
        WAD,
        raw(1_000_000_000_000_000),
        (0, 16, 8),
    ),
    spec(
        "coldStartVol",
        raw(1_000_000_000_000_000),
        wad(10),
        raw(800_000_000_000_000_000),
        (2, 24, 8),
    ),
    spec("gracePeriod", U256::ZERO, raw(DAY), raw(3_600), (2, 20, 4)),
    spec("liqHorizon", raw(1), raw(7 * DAY), raw(3_600), (1, 24, 4)),
    spec(
        "k",
        raw(100_000_000_000_000_000),
        wad(10),
        wad(3),
        (1, 0, 8),
    ),
    spec(
        "mmFloor",
        raw(1_000_000_000_000_000),
        WAD,
        raw(20_000_000_000_000_000),
        (1, 8, 8),
    ),
    spec(
        "imMultiplier",
        WAD,
        wad(10),
        raw(1_500_000_000_000_000_000),
        (1, 16, 8),
    ),
];

impl Global {
    /// Every global parameter.
    pub const ALL: [Self; 9] = [
        Self::FastDecay,
        Self::SlowDecay,
        Self::MaxVolRate,
        Self::ColdStartVol,
        Self::GracePeriod,
        Self::LiqHorizon,
        Self::K,
        Self::MmFloor,
        Self::ImMultiplier,
    ];

    /// The parameter named `what`, if any.
    pub fn from_name(what: B256) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == what)
    }

    /// The parameter's row in [`GLOBALS`].
    pub const fn spec(self) -> &'static Spec {
        &GLOBALS[self as usize]
    }

    /// The parameter's `bytes32` name.
    pub const fn name(self) -> B256 {
        self.spec().name
    }

    /// Inclusive bounds `(min, max)`.
    pub const fn bounds(self) -> (U256, U256) {
        (self.spec().min, self.spec().max)
    }

    /// Where the parameter is stored: `(word, first byte, length)`.
    pub const fn place(self) -> (usize, usize, usize) {
        self.spec().place
    }

    /// The value set at deployment.
    pub const fn default_value(self) -> U256 {
        self.spec().default
    }
}

/// A per-asset parameter, set with `fileAsset(asset, what, data)` or all at
/// once with `setFeed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssetParam {
    /// `heartbeat`: the oldest answer (seconds) still accepted.
    Heartbeat,
    /// `maxJump`: the largest relative move `|p / p_last - 1|` (WAD) between
    /// two accepted prices.
    MaxJump,
}

impl AssetParam {
    /// The parameter named `what`, if any.
    pub fn from_name(what: B256) -> Option<Self> {
        [Self::Heartbeat, Self::MaxJump]
            .into_iter()
            .find(|p| p.name() == what)
    }

    /// The parameter's `bytes32` name.
    pub const fn name(self) -> B256 {
        match self {
            Self::Heartbeat => name("heartbeat"),
            Self::MaxJump => name("maxJump"),
        }
    }

    /// Inclusive bounds `(min, max)`: a heartbeat of at most a week (the
    /// longest any Chainlink feed uses is a day); a band of 0.1 % to 1,000 %
    /// (a tighter band would reject ordinary ticks, a wider one guards
    /// nothing).
    pub const fn bounds(self) -> (U256, U256) {
        match self {
            Self::Heartbeat => (raw(1), raw(7 * DAY)),
            Self::MaxJump => (raw(1_000_000_000_000_000), wad(10)),
        }
    }
}

/// The pause flag: word 0, last byte (non-zero: `poke` is paused).
pub const PAUSED_BYTE: usize = 31;
/// The sequencer-uptime feed: word 2, bytes `0..20`.
pub const SEQUENCER_FEED_WORD: usize = 2;

/// Checks `data` against `bounds`.
pub fn within((min, max): (U256, U256), data: U256) -> bool {
    min <= data && data <= max
}

/// Names of the settings that are not numeric parameters, as they appear in
/// `File` events and `parameter`.
pub mod setting {
    use super::{name, B256};

    /// A listed asset's feed.
    pub const FEED: B256 = name("feed");
    /// A listed asset's feed decimals.
    pub const DECIMALS: B256 = name("decimals");
    /// The L2 sequencer-uptime feed.
    pub const SEQUENCER_FEED: B256 = name("sequencerFeed");
    /// The pause flag of `poke`.
    pub const PAUSED: B256 = name("paused");
    /// The admin role.
    pub const ADMIN: B256 = name("admin");
    /// The proposed next admin.
    pub const PENDING_ADMIN: B256 = name("pendingAdmin");
    /// The guardian role.
    pub const GUARDIAN: B256 = name("guardian");
    /// The proposed next guardian.
    pub const PENDING_GUARDIAN: B256 = name("pendingGuardian");
}

/// Largest accepted feed `decimals`: every Chainlink feed uses 8 or 18, and
/// at most 18 makes the conversion to WAD exact (no rounding).
pub const MAX_FEED_DECIMALS: u8 = 18;

#[cfg(test)]
mod tests {
    use super::*;

    const GLOBALS: [Global; 9] = Global::ALL;

    #[test]
    fn names_are_left_aligned_ascii_like_solidity_bytes32() {
        let k = name("k");
        assert_eq!(k[0], b'k');
        assert!(k[1..].iter().all(|b| *b == 0));
        assert_eq!(&name("maxJump")[..7], b"maxJump");
    }

    #[test]
    fn table_rows_follow_the_enum_order() {
        let names = [
            "fastDecay",
            "slowDecay",
            "maxVolRate",
            "coldStartVol",
            "gracePeriod",
            "liqHorizon",
            "k",
            "mmFloor",
            "imMultiplier",
        ];
        for (p, n) in Global::ALL.into_iter().zip(names) {
            assert_eq!(p.name(), name(n), "{p:?}");
        }
    }

    #[test]
    fn every_global_is_found_by_its_name() {
        for p in GLOBALS {
            assert_eq!(Global::from_name(p.name()), Some(p));
        }
        assert_eq!(Global::from_name(name("heartbeat")), None);
    }

    #[test]
    fn every_asset_parameter_is_found_by_its_name() {
        for p in [AssetParam::Heartbeat, AssetParam::MaxJump] {
            assert_eq!(AssetParam::from_name(p.name()), Some(p));
        }
        assert_eq!(AssetParam::from_name(name("k")), None);
    }

    #[test]
    fn every_default_lies_within_its_bounds() {
        for p in GLOBALS {
            assert!(within(p.bounds(), p.default_value()), "{p:?}");
        }
    }

    #[test]
    fn bounds_fit_the_storage_widths() {
        for p in GLOBALS {
            let (_, _, len) = p.place();
            assert!(p.bounds().1 < U256::from(1) << (8 * len), "{p:?}");
        }
        // heartbeat: 3 bytes, maxJump: 8 bytes of the asset's config word.
        assert!(AssetParam::Heartbeat.bounds().1 < U256::from(1u64 << 24));
        assert!(AssetParam::MaxJump.bounds().1 <= U256::from(u64::MAX));
    }

    #[test]
    fn parameter_places_do_not_overlap_each_other_or_the_flags() {
        let mut used = [[false; 32]; 3];
        used[0][PAUSED_BYTE] = true;
        for b in &mut used[SEQUENCER_FEED_WORD][..20] {
            *b = true;
        }
        for p in GLOBALS {
            let (word, at, len) = p.place();
            for b in &mut used[word][at..at + len] {
                assert!(!*b, "{p:?} overlaps");
                *b = true;
            }
        }
    }

    #[test]
    fn year_is_365_days() {
        assert_eq!(YEAR, 31_536_000);
    }
}
