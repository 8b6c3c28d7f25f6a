//! Storage records, packed by hand into 256-bit words.
//!
//! A [`Field`] ([`keel_common::packed`]) is one or more whole 64-bit limbs of a word: WAD
//! fractions and timestamps take one limb, amounts two (128 bits). Packing by whole limbs
//! keeps the hot paths small (a tranche reads the parameters in two words and a market in
//! three). The layout of each word is documented with its constants below.

use alloc::{vec, vec::Vec};

use alloy_primitives::U256;
pub(crate) use keel_common::packed::Field;
use keel_math::{div_down, div_up, mul_div_down, MathError};
use stylus_sdk::{prelude::*, storage::StorageU256};

/// `Backstop.risk`: the WAD parameters of a tranche.
pub(crate) mod risk {
    use super::Field;
    /// Target health factor.
    pub(crate) const TARGET_HEALTH: Field = Field::new(0, 64);
    /// Penalty fraction.
    pub(crate) const PENALTY: Field = Field::new(64, 64);
    /// Keeper's share of the penalty.
    pub(crate) const KEEPER_SHARE: Field = Field::new(128, 64);
    /// ADL threshold: traders' profit over pool assets.
    pub(crate) const ADL_RATIO: Field = Field::new(192, 64);
}

/// `Backstop.caps`: amount bounds.
pub(crate) mod caps {
    use super::Field;
    /// Keeper reward cap, quote units.
    pub(crate) const KEEPER_CAP: Field = Field::new(0, 128);
    /// Most notional per ADL call, WAD (0: none).
    pub(crate) const ADL_MAX: Field = Field::new(128, 128);
}

/// `Backstop.misc`.
pub(crate) mod misc {
    use super::Field;
    /// Seconds a bad debt waits for ADL.
    pub(crate) const ADL_GRACE: Field = Field::new(0, 64);
    /// WAD per quote unit, `10^(18 − decimals)`.
    pub(crate) const UNIT: Field = Field::new(64, 64);
    /// Proceeds held for accounts, quote units.
    pub(crate) const HELD: Field = Field::new(128, 128);
}

/// `Backstop.ledger`: bad debt, WAD.
pub(crate) mod ledger {
    use super::Field;
    /// Recorded and not yet covered or socialised.
    pub(crate) const OUTSTANDING: Field = Field::new(0, 128);
    /// Socialised ever.
    pub(crate) const SOCIALISED: Field = Field::new(128, 128);
}

/// The words of a [`MarketBook`].
pub(crate) mod market {
    use super::Field;
    /// `bounds`: most notional one call closes, WAD (0: no bound).
    pub(crate) const MAX_LOT: Field = Field::new(0, 128);
    /// `bounds`: most notional per window, WAD (0: no limit).
    pub(crate) const LIMIT: Field = Field::new(128, 128);
    /// `counter`: notional in the current bucket, WAD.
    pub(crate) const CURRENT: Field = Field::new(0, 128);
    /// `counter`: notional in the previous bucket, WAD.
    pub(crate) const PREVIOUS: Field = Field::new(128, 128);
    /// `clock`: the window, seconds (0: no limit).
    pub(crate) const WINDOW: Field = Field::new(0, 64);
    /// `clock`: when the current bucket started.
    pub(crate) const START: Field = Field::new(64, 64);
}

/// The words of an [`AccountBook`].
pub(crate) mod account {
    use super::Field;
    /// `book`: quote still to raise by running auctions, quote units.
    pub(crate) const TAB: Field = Field::new(0, 128);
    /// `book`: proceeds the engine refused, held for the account, quote units.
    pub(crate) const HELD: Field = Field::new(128, 128);
    /// `debt`: bad debt recorded and not yet covered or socialised, WAD.
    pub(crate) const DEBT: Field = Field::new(0, 128);
    /// `debt`: when it was first recorded.
    pub(crate) const SINCE: Field = Field::new(128, 64);
    /// `debt`: running auctions.
    pub(crate) const AUCTIONS: Field = Field::new(192, 64);
}

/// `Backstop.token_info` words.
pub(crate) mod token {
    use super::Field;
    /// 1 while on the auctionable list.
    pub(crate) const LISTED: Field = Field::new(0, 64);
    /// WAD per token unit, `10^(18 − decimals)`, read when listed.
    pub(crate) const UNIT: Field = Field::new(64, 64);
}

/// A market's liquidation bounds and its rate-limit counter. See [`market`].
#[storage]
pub struct MarketBook {
    /// `maxLot`, `limit`.
    pub(crate) bounds: StorageU256,
    /// `current`, `previous`: written by every rate-limited liquidation.
    pub(crate) counter: StorageU256,
    /// `window`, `start`.
    pub(crate) clock: StorageU256,
}

/// What the Backstop knows of a margin account. See [`account`].
#[storage]
pub struct AccountBook {
    /// `tab`, `held`.
    pub(crate) book: StorageU256,
    /// `debt`, `since`, `auctions`.
    pub(crate) debt: StorageU256,
}

/// `10^(18 − decimals)`: WAD per unit of a token with `decimals`; `None` above 18 (Keel's
/// tokens have at most 18 decimals, so every conversion is a product or a quotient by this).
pub(crate) fn unit_of(decimals: u8) -> Option<U256> {
    let mut unit = 1u64;
    for _ in decimals..18 {
        unit *= 10;
    }
    (decimals <= 18).then(|| U256::from(unit))
}

/// `amount` token units as WAD.
pub(crate) fn to_wad(amount: U256, unit: U256) -> Result<U256, MathError> {
    // Through `mul_div` (dividing by one takes its word-sized fast path) rather than a
    // checked product: that code is linked already, a 256-bit multiplier would not be.
    mul_div_down(amount, unit, U256::from(1))
}

/// `wad` in token units, rounded down.
pub(crate) fn units_down(wad: U256, unit: U256) -> Result<U256, MathError> {
    div_down(wad, unit)
}

/// `wad` in token units, rounded up.
pub(crate) fn units_up(wad: U256, unit: U256) -> Result<U256, MathError> {
    div_up(wad, unit)
}

/// Sets `field` of the word in `slot`.
pub(crate) fn update(slot: &mut StorageU256, field: Field, value: U256) -> Result<(), MathError> {
    let word = field.with(slot.get(), value)?;
    slot.set(word);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_like_keel_math_decimals() {
        for decimals in [0u8, 6, 8, 18] {
            let unit = unit_of(decimals).unwrap_or_default();
            let x = U256::from(123_456_789_123u64);
            assert_eq!(to_wad(x, unit), keel_math::to_wad(x, decimals));
            assert_eq!(units_down(x, unit), keel_math::from_wad_down(x, decimals));
            assert_eq!(units_up(x, unit), keel_math::from_wad_up(x, decimals));
        }
        assert_eq!(unit_of(19), None);
    }

    #[test]
    fn the_fields_of_each_word_do_not_overlap() {
        let words: [&[Field]; 10] = [
            &[
                risk::TARGET_HEALTH,
                risk::PENALTY,
                risk::KEEPER_SHARE,
                risk::ADL_RATIO,
            ],
            &[caps::KEEPER_CAP, caps::ADL_MAX],
            &[misc::ADL_GRACE, misc::UNIT, misc::HELD],
            &[ledger::OUTSTANDING, ledger::SOCIALISED],
            &[market::MAX_LOT, market::LIMIT],
            &[market::CURRENT, market::PREVIOUS],
            &[market::WINDOW, market::START],
            &[account::TAB, account::HELD],
            &[account::DEBT, account::SINCE, account::AUCTIONS],
            &[token::LISTED, token::UNIT],
        ];
        for fields in words {
            let mut used = U256::ZERO;
            for f in fields {
                assert!(
                    f.shift().is_multiple_of(64) && f.bits().is_multiple_of(64),
                    "{f:?} is whole limbs"
                );
                let mask = (U256::MAX >> (256 - f.bits())) << f.shift();
                assert_eq!(used & mask, U256::ZERO, "{f:?} overlaps");
                used |= mask;
            }
        }
    }
}
