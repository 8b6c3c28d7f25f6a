//! The parameters that `file` sets: names, where each is packed, bounds and defaults.
//!
//! Names are `bytes32` holding the ASCII name left-aligned and zero-padded, as Solidity's
//! `bytes32("maxDrawdown")`. Numeric parameters live in four storage words, each a `u64` limb
//! (WAD fractions and multiples up to 18.4, seconds) or a pair of limbs (`u128` amounts):
//!
//! | word | limbs 0, 1, 2, 3 |
//! |---|---|
//! | `rules` | `maxDrawdown`, `softDrawdown`, `multiplier`, `slippage` |
//! | `strategy` | `maxLeverage` (the strategist's bound), leverage (set by `setTarget`), `coolDown`, the halt's timestamp |
//! | `moves` | `maxStep` (0–1), `minMove` (2–3) |
//! | `money` | `tipCap` (0–1), `depositCap` (2–3) |

use alloy_primitives::{B256, U256};

pub use keel_common::abi::name;

/// A storage word holding parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    /// `rules`.
    Rules,
    /// `strategy`.
    Strategy,
    /// `moves`.
    Moves,
    /// `money`.
    Money,
}

/// Where a value sits in its word: the first limb and how many (1 or 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// The word.
    pub word: Word,
    /// The first `u64` limb.
    pub limb: usize,
    /// `u64` limbs used: 1 or 2.
    pub width: usize,
}

impl Slot {
    const fn new(word: Word, limb: usize, width: usize) -> Self {
        Self { word, limb, width }
    }

    /// The value in `word`.
    #[must_use]
    pub fn of(self, word: U256) -> U256 {
        let limbs = word.as_limbs();
        let mut out = [0u64; 4];
        for i in 0..self.width {
            out[i] = limbs[self.limb + i];
        }
        U256::from_limbs(out)
    }

    /// `word` with the value replaced by `value`, which must fit (the bounds guarantee it).
    #[must_use]
    pub fn with(self, word: U256, value: U256) -> U256 {
        let mut limbs = word.into_limbs();
        let new = value.as_limbs();
        for i in 0..self.width {
            limbs[self.limb + i] = new[i];
        }
        U256::from_limbs(limbs)
    }
}

/// `maxDrawdown`: the hard cap, WAD fraction.
pub const MAX_DRAWDOWN: Slot = Slot::new(Word::Rules, 0, 1);
/// `softDrawdown`: start of the soft band, WAD fraction.
pub const SOFT_DRAWDOWN: Slot = Slot::new(Word::Rules, 1, 1);
/// `multiplier`: the CPPI multiplier, WAD.
pub const MULTIPLIER: Slot = Slot::new(Word::Rules, 2, 1);
/// `slippage`: bound on a rebalance's fill away from the oracle price plus its fee, WAD fraction
/// (withdrawals pay the engine's quote instead).
pub const SLIPPAGE: Slot = Slot::new(Word::Rules, 3, 1);
/// `maxLeverage`: the most the strategist may choose, WAD multiple of NAV.
pub const MAX_LEVERAGE: Slot = Slot::new(Word::Strategy, 0, 1);
/// The strategist's leverage, WAD (set by `setTarget`, not `file`).
pub const LEVERAGE: Slot = Slot::new(Word::Strategy, 1, 1);
/// `coolDown`: seconds after a halt before `reset`.
pub const COOL_DOWN: Slot = Slot::new(Word::Strategy, 2, 1);
/// When the vault halted (not a parameter).
pub const HALTED_AT: Slot = Slot::new(Word::Strategy, 3, 1);
/// `maxStep`: most notional one rebalance moves, WAD quote.
pub const MAX_STEP: Slot = Slot::new(Word::Moves, 0, 2);
/// `minMove`: least notional a rebalance must move to earn the tip, WAD quote.
pub const MIN_MOVE: Slot = Slot::new(Word::Moves, 2, 2);
/// `tipCap`: a rebalance's tip, quote units.
pub const TIP_CAP: Slot = Slot::new(Word::Money, 0, 2);
/// `depositCap`: most total assets deposits may bring the vault to, quote units.
pub const DEPOSIT_CAP: Slot = Slot::new(Word::Money, 2, 2);

/// A numeric parameter `file` sets: its name, slot, and inclusive bounds.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// The name, as passed in `bytes32`.
    pub name: B256,
    /// Where it is stored.
    pub slot: Slot,
    /// The smallest accepted value.
    pub min: U256,
    /// The largest accepted value.
    pub max: U256,
}

const fn n(x: u64) -> U256 {
    U256::from_limbs([x, 0, 0, 0])
}

/// `2^128 − 1`: the largest value of a two-limb slot.
pub const U128_MAX: U256 = U256::from_limbs([u64::MAX, u64::MAX, 0, 0]);
/// One WAD as a `u64`.
const W: u64 = 1_000_000_000_000_000_000;
/// Thirty days, the longest cool-down.
pub const MAX_COOL_DOWN: u64 = 30 * 86_400;

/// Every numeric parameter of `file(what, data)` kept in the four words. `maxDrawdown` must
/// also stay above `softDrawdown` (checked by `file`); `file` sets [`PAUSED`] too.
pub const PARAMS: [Param; 10] = [
    Param {
        name: name("maxDrawdown"),
        slot: MAX_DRAWDOWN,
        min: n(W / 100),
        max: n(W / 100 * 99),
    },
    Param {
        name: name("softDrawdown"),
        slot: SOFT_DRAWDOWN,
        min: n(0),
        max: n(W / 100 * 99),
    },
    Param {
        name: name("multiplier"),
        slot: MULTIPLIER,
        min: n(0),
        max: n(10 * W),
    },
    Param {
        name: name("slippage"),
        slot: SLIPPAGE,
        min: n(0),
        max: n(W / 10),
    },
    Param {
        name: name("maxLeverage"),
        slot: MAX_LEVERAGE,
        min: n(0),
        max: n(10 * W),
    },
    Param {
        name: name("coolDown"),
        slot: COOL_DOWN,
        min: n(0),
        max: n(MAX_COOL_DOWN),
    },
    Param {
        name: name("maxStep"),
        slot: MAX_STEP,
        min: n(0),
        max: U128_MAX,
    },
    Param {
        name: name("minMove"),
        slot: MIN_MOVE,
        min: n(0),
        max: U128_MAX,
    },
    Param {
        name: name("tipCap"),
        slot: TIP_CAP,
        min: n(0),
        max: U128_MAX,
    },
    Param {
        name: name("depositCap"),
        slot: DEPOSIT_CAP,
        min: n(0),
        max: U128_MAX,
    },
];

/// `bytes32("paused")`: the pause bits (1 deposits, 2 risk-taking), which wards may set to
/// any value and the guardian may only add to.
pub const PAUSED: B256 = name("paused");
/// `bytes32("strategist")`.
pub const STRATEGIST: B256 = name("strategist");
/// `bytes32("guardian")`.
pub const GUARDIAN: B256 = name("guardian");
/// `bytes32("leverage")`, the name `setTarget` reports in its bound error.
pub const LEVERAGE_NAME: B256 = name("leverage");

/// Pause bit: no deposits or mints.
pub const PAUSE_DEPOSITS: u8 = 1;
/// Pause bit: no new risk (rebalances may only reduce).
pub const PAUSE_RISK: u8 = 2;

/// The defaults set by the constructor, word by word (see the table above): 20 % hard cap,
/// soft band from 10 %, multiplier 4, 1 % slippage, strategist bound 3×, leverage 0 (no
/// exposure until the strategist chooses), one-day cool-down, no step bound, no tip, no
/// deposit cap.
pub const DEFAULTS: [U256; 4] = [
    U256::from_limbs([W / 5, W / 10, 4 * W, W / 100]),
    U256::from_limbs([3 * W, 0, 86_400, 0]),
    U256::from_limbs([u64::MAX, u64::MAX, 0, 0]),
    U256::from_limbs([0, 0, u64::MAX, u64::MAX]),
];

/// The `status` word, one `u64` limb each: flags (bits 0–1 the pause bits, bit 2 halted,
/// bit 3 long), the band, the shares' virtual offset `18 − quote decimals`, and `10^offset`
/// (one quote unit in WAD).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Status(pub [u64; 4]);

/// Status flag: halted at the hard cap.
const HALTED: u64 = 4;
/// Status flag: the strategist's direction is long.
const LONG: u64 = 8;

impl Status {
    /// The pause bits.
    #[must_use]
    pub fn paused(self) -> u8 {
        (self.0[0] & 3) as u8
    }

    /// Whether the vault is halted.
    #[must_use]
    pub fn halted(self) -> bool {
        self.0[0] & HALTED != 0
    }

    /// Whether the strategist is long.
    #[must_use]
    pub fn long(self) -> bool {
        self.0[0] & LONG != 0
    }

    /// The band last reported.
    #[must_use]
    pub fn band(self) -> u8 {
        self.0[1] as u8
    }

    /// The shares' virtual offset.
    #[must_use]
    pub fn offset(self) -> u8 {
        self.0[2] as u8
    }

    /// One quote unit in WAD, `10^offset`.
    #[must_use]
    pub fn unit(self) -> U256 {
        U256::from(self.0[3])
    }

    /// With the pause bits `bits` (0–3).
    #[must_use]
    pub fn with_paused(mut self, bits: u8) -> Self {
        self.0[0] = (self.0[0] & !3) | u64::from(bits & 3);
        self
    }

    /// With the halted flag set or cleared.
    #[must_use]
    pub fn with_halted(mut self, halted: bool) -> Self {
        self.0[0] = if halted {
            self.0[0] | HALTED
        } else {
            self.0[0] & !HALTED
        };
        self
    }

    /// With the direction.
    #[must_use]
    pub fn with_long(mut self, long: bool) -> Self {
        self.0[0] = if long {
            self.0[0] | LONG
        } else {
            self.0[0] & !LONG
        };
        self
    }

    /// With the band.
    #[must_use]
    pub fn with_band(mut self, band: u8) -> Self {
        self.0[1] = u64::from(band);
        self
    }

    /// A fresh status for a quote of `decimals` (≤ 18).
    #[must_use]
    pub fn new(decimals: u8) -> Self {
        let offset = 18 - decimals;
        Self([0, 0, u64::from(offset), 10u64.pow(u32::from(offset))])
    }
}

/// The parameter named `what`.
#[must_use]
pub fn find(what: B256) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.name == what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use keel_math::WAD;

    #[test]
    fn names_are_left_aligned_zero_padded_ascii() {
        let word = name("maxStep");
        assert_eq!(&word.0[..7], b"maxStep");
        assert!(word.0[7..].iter().all(|b| *b == 0));
    }

    #[test]
    fn every_parameter_is_found_by_its_name_and_names_are_case_sensitive() {
        for p in &PARAMS {
            assert_eq!(find(p.name).map(|f| f.name), Some(p.name));
        }
        assert!(find(name("maxdrawdown")).is_none());
        assert!(find(B256::ZERO).is_none());
    }

    #[test]
    fn every_maximum_fits_its_slot_and_every_minimum_is_below_it() {
        for p in &PARAMS {
            assert!(p.min <= p.max);
            assert_eq!(p.slot.of(p.slot.with(U256::MAX, p.max)), p.max);
            let bits = 64 * p.slot.width;
            assert!(p.max.bit_len() <= bits, "{:?}", p.name);
        }
    }

    #[test]
    fn a_slot_reads_back_what_was_written_and_leaves_its_neighbours() {
        let word = MIN_MOVE.with(U256::MAX, U256::from(7));
        assert_eq!(MIN_MOVE.of(word), U256::from(7));
        assert_eq!(MAX_STEP.of(word), U128_MAX);
        let word = SOFT_DRAWDOWN.with(U256::ZERO, U256::from(9));
        assert_eq!(word, U256::from(9) << 64);
    }

    #[test]
    fn status_fields_are_independent() {
        let s = Status::new(6)
            .with_paused(3)
            .with_halted(true)
            .with_long(true)
            .with_band(2);
        assert_eq!(
            (s.paused(), s.halted(), s.long(), s.band()),
            (3, true, true, 2)
        );
        assert_eq!(
            (s.offset(), s.unit()),
            (12, U256::from(1_000_000_000_000u64))
        );
        let s = s.with_paused(1).with_halted(false);
        assert_eq!(
            (s.paused(), s.halted(), s.long(), s.band()),
            (1, false, true, 2)
        );
        let s = s.with_long(false).with_paused(0);
        assert_eq!(s.0[0], 0);
        assert_eq!(Status::new(18).unit(), U256::from(1));
    }

    #[test]
    fn defaults_lie_within_bounds_and_the_soft_band_below_the_cap() {
        let words = |w: Word| DEFAULTS[w as usize];
        for p in &PARAMS {
            let value = p.slot.of(words(p.slot.word));
            assert!(p.min <= value && value <= p.max, "{:?}", p.name);
        }
        let rules = words(Word::Rules);
        assert!(SOFT_DRAWDOWN.of(rules) < MAX_DRAWDOWN.of(rules));
        assert_eq!(MULTIPLIER.of(rules), U256::from(4) * WAD);
    }
}
