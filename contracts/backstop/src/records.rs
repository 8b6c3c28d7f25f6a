//! Storage records, packed by hand into 256-bit words.
//!
//! A [`Field`] is one or more whole 64-bit limbs of a word: WAD fractions and timestamps take
//! one limb, amounts two (128 bits). Packing by whole limbs needs no shifts or masks, only
//! limb copies, which keeps both the code and the hot paths small (a tranche reads the
//! parameters in two words and a market in three). The layout of each word is documented with
//! its constants below.

use alloc::{vec, vec::Vec};

use alloy_primitives::U256;
use keel_math::{div_down, div_up, mul_div_down, MathError};
use stylus_sdk::{prelude::*, storage::StorageU256};

/// Limbs `[first, first + len)` of a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Field {
    first: usize,
    len: usize,
}

impl Field {
    const fn new(first: usize, len: usize) -> Self {
        Self { first, len }
    }

    /// The field's value in `word`.
    pub(crate) fn of(self, word: U256) -> U256 {
        let mut limbs = [0u64; 4];
        limbs[..self.len].copy_from_slice(&word.as_limbs()[self.first..self.first + self.len]);
        U256::from_limbs(limbs)
    }

    /// `word` with the field set to `value`.
    ///
    /// # Errors
    /// [`MathError::Overflow`] if `value` does not fit the field (never silently truncated).
    pub(crate) fn with(self, word: U256, value: U256) -> Result<U256, MathError> {
        let value = value.as_limbs();
        if value[self.len..].iter().any(|l| *l != 0) {
            return Err(MathError::Overflow);
        }
        let mut limbs = *word.as_limbs();
        limbs[self.first..self.first + self.len].copy_from_slice(&value[..self.len]);
        Ok(U256::from_limbs(limbs))
    }
}

/// `Backstop.risk`: the WAD parameters of a tranche.
pub(crate) mod risk {
    use super::Field;
    /// Target health factor.
    pub(crate) const TARGET_HEALTH: Field = Field::new(0, 1);
    /// Penalty fraction.
    pub(crate) const PENALTY: Field = Field::new(1, 1);
    /// Keeper's share of the penalty.
    pub(crate) const KEEPER_SHARE: Field = Field::new(2, 1);
    /// ADL threshold: traders' profit over pool assets.
    pub(crate) const ADL_RATIO: Field = Field::new(3, 1);
}

/// `Backstop.caps`: amount bounds.
pub(crate) mod caps {
    use super::Field;
    /// Keeper reward cap, quote units.
    pub(crate) const KEEPER_CAP: Field = Field::new(0, 2);
    /// Most notional per ADL call, WAD (0: none).
    pub(crate) const ADL_MAX: Field = Field::new(2, 2);
}

/// `Backstop.misc`.
pub(crate) mod misc {
    use super::Field;
    /// Seconds a bad debt waits for ADL.
    pub(crate) const ADL_GRACE: Field = Field::new(0, 1);
    /// WAD per quote unit, `10^(18 − decimals)`.
    pub(crate) const UNIT: Field = Field::new(1, 1);
    /// Proceeds held for accounts, quote units.
    pub(crate) const HELD: Field = Field::new(2, 2);
}

/// `Backstop.ledger`: bad debt, WAD.
pub(crate) mod ledger {
    use super::Field;
    /// Recorded and not yet covered or socialised.
    pub(crate) const OUTSTANDING: Field = Field::new(0, 2);
    /// Socialised ever.
    pub(crate) const SOCIALISED: Field = Field::new(2, 2);
}

/// The words of a [`MarketBook`].
pub(crate) mod market {
    use super::Field;
    /// `bounds`: most notional one call closes, WAD (0: no bound).
    pub(crate) const MAX_LOT: Field = Field::new(0, 2);
    /// `bounds`: most notional per window, WAD (0: no limit).
    pub(crate) const LIMIT: Field = Field::new(2, 2);
    /// `counter`: notional in the current bucket, WAD.
    pub(crate) const CURRENT: Field = Field::new(0, 2);
    /// `counter`: notional in the previous bucket, WAD.
    pub(crate) const PREVIOUS: Field = Field::new(2, 2);
    /// `clock`: the window, seconds (0: no limit).
    pub(crate) const WINDOW: Field = Field::new(0, 1);
    /// `clock`: when the current bucket started.
    pub(crate) const START: Field = Field::new(1, 1);
}

/// The words of an [`AccountBook`].
pub(crate) mod account {
    use super::Field;
    /// `book`: quote still to raise by running auctions, quote units.
    pub(crate) const TAB: Field = Field::new(0, 2);
    /// `book`: proceeds the engine refused, held for the account, quote units.
    pub(crate) const HELD: Field = Field::new(2, 2);
    /// `debt`: bad debt recorded and not yet covered or socialised, WAD.
    pub(crate) const DEBT: Field = Field::new(0, 2);
    /// `debt`: when it was first recorded.
    pub(crate) const SINCE: Field = Field::new(2, 1);
    /// `debt`: running auctions.
    pub(crate) const AUCTIONS: Field = Field::new(3, 1);
}

/// `Backstop.token_info` words.
pub(crate) mod token {
    use super::Field;
    /// 1 while on the auctionable list.
    pub(crate) const LISTED: Field = Field::new(0, 1);
    /// WAD per token unit, `10^(18 − decimals)`, read when listed.
    pub(crate) const UNIT: Field = Field::new(1, 1);
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
    fn a_field_reads_back_what_was_written_and_leaves_its_neighbours() {
        let word = U256::MAX;
        let word = market::START
            .with(word, U256::from(12_345))
            .unwrap_or_default();
        assert_eq!(market::START.of(word), U256::from(12_345));
        assert_eq!(market::WINDOW.of(word), U256::from(u64::MAX));
        let word = account::DEBT
            .with(word, U256::from(u128::MAX))
            .unwrap_or_default();
        assert_eq!(account::DEBT.of(word), U256::from(u128::MAX));
        assert_eq!(account::AUCTIONS.of(word), U256::from(u64::MAX));
    }

    #[test]
    fn a_value_too_wide_for_its_field_is_an_error_not_a_truncation() {
        assert!(risk::PENALTY
            .with(U256::ZERO, U256::from(u64::MAX) + U256::from(1))
            .is_err());
        assert!(ledger::OUTSTANDING
            .with(U256::ZERO, U256::from(u128::MAX) + U256::from(1))
            .is_err());
        assert!(ledger::OUTSTANDING
            .with(U256::ZERO, U256::from(u128::MAX))
            .is_ok());
    }

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
            let mut used = [false; 4];
            for f in fields {
                assert!(f.first + f.len <= 4, "{f:?}");
                for limb in &mut used[f.first..f.first + f.len] {
                    assert!(!*limb, "{f:?} overlaps");
                    *limb = true;
                }
            }
        }
    }
}
