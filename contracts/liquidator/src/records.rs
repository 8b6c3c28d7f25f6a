//! Storage records, packed by hand into 256-bit words.
//!
//! Every record is a few `uint256` words; a [`Field`] names a bit range of one word. Packing by
//! hand (rather than one SDK storage field per value) keeps the hot paths to few slots — a take
//! reads four words of its [`Sale`] and three of its [`AssetConfig`] — and keeps the contract
//! small: one storage type, one pair of shift-and-mask helpers. The layout of each word is
//! documented with its constants below.

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use keel_math::MathError;
use stylus_sdk::{prelude::*, storage::StorageU256};

use crate::errors;

/// A bit range of a storage word: `bits` wide, `shift` bits above the least significant bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Field {
    shift: usize,
    bits: usize,
}

impl Field {
    const fn new(shift: usize, bits: usize) -> Self {
        Self { shift, bits }
    }

    /// The field's bytes in a big-endian word: `[start, end)`. Every field is byte-aligned.
    const fn range(self) -> (usize, usize) {
        (32 - (self.shift + self.bits) / 8, 32 - self.shift / 8)
    }

    /// The field's value in `word`.
    pub(crate) fn of(self, word: U256) -> U256 {
        let (start, end) = self.range();
        // `get` rather than indexing: the range is always inside the word, and no panic path
        // (with its location strings) is linked.
        let bytes = word.to_be_bytes::<32>();
        bytes
            .get(start..end)
            .and_then(U256::try_from_be_slice)
            .unwrap_or_default()
    }

    /// The field's value in `word`, for fields of at most 64 bits.
    pub(crate) fn small(self, word: U256) -> u64 {
        self.of(word).as_limbs()[0]
    }

    /// The address in `word` (a 160-bit field).
    pub(crate) fn address(self, word: U256) -> Address {
        Address::from_word(B256::from(self.of(word)))
    }

    /// `word` with the field set to `value`.
    ///
    /// # Errors
    /// [`MathError::Overflow`] if `value` does not fit the field (never silently truncated).
    pub(crate) fn with(self, word: U256, value: U256) -> errors::Result<U256> {
        let (start, end) = self.range();
        let value = value.to_be_bytes::<32>();
        let mut bytes = word.to_be_bytes::<32>();
        // The value's bytes above the field's width must be zero; the rest replace the field.
        let (high, low) = value
            .split_at_checked(32 - (end - start))
            .ok_or(MathError::Overflow)?;
        let field = bytes.get_mut(start..end).ok_or(MathError::Overflow)?;
        if high.iter().any(|b| *b != 0) {
            return Err(MathError::Overflow.into());
        }
        for (byte, new) in field.iter_mut().zip(low) {
            *byte = *new;
        }
        Ok(U256::from_be_bytes(bytes))
    }
}

/// `limbs` with the low `bits` of `value` placed `shift` bits up (for constants).
const fn place(mut limbs: [u64; 4], field: Field, value: u64) -> [u64; 4] {
    let (limb, offset) = (field.shift / 64, field.shift % 64);
    limbs[limb] |= value << offset;
    if offset > 0 && offset + field.bits > 64 {
        limbs[limb + 1] |= value >> (64 - offset);
    }
    limbs
}

/// The `rules` word of a newly listed asset: listed, with the defaults of
/// [`crate::params::Defaults`] and a zero scale (set by `init`).
pub(crate) const DEFAULT_RULES: U256 = {
    use crate::params::Defaults as D;
    let mut limbs = place([0; 4], asset::LISTED, 1);
    limbs = place(limbs, asset::KIND, D::KIND as u64);
    limbs = place(limbs, asset::TAIL, D::TAIL);
    limbs = place(limbs, asset::TAU, D::TAU);
    limbs = place(limbs, asset::STEP, D::STEP);
    limbs = place(limbs, asset::CUSP, D::CUSP);
    limbs = place(limbs, asset::CUT, D::CUT);
    U256::from_limbs(limbs)
};

/// An address as a storage value.
pub(crate) fn word(address: Address) -> U256 {
    U256::from_be_bytes(address.into_word().0)
}

/// `Liquidator.head`: what every auction call reads.
pub(crate) mod head {
    use super::Field;
    /// The quote token.
    pub(crate) const QUOTE: Field = Field::new(0, 160);
    /// The stop level.
    pub(crate) const STOPPED: Field = Field::new(160, 8);
    /// 1 while a take runs its external calls.
    pub(crate) const LOCKED: Field = Field::new(168, 8);
    /// Auctions ever kicked (the last id).
    pub(crate) const KICKS: Field = Field::new(176, 48);
    /// Running auctions (the length of `Liquidator.active`).
    pub(crate) const COUNT: Field = Field::new(224, 32);
}

/// `Liquidator.caps` and [`AssetConfig::caps`]: a cap and what is under it, quote units.
pub(crate) mod caps {
    use super::Field;
    /// `Hole` / `hole`.
    pub(crate) const HOLE: Field = Field::new(0, 128);
    /// `Dirt` / `dirt`.
    pub(crate) const DIRT: Field = Field::new(128, 128);
}

/// The words of a [`Sale`].
pub(crate) mod sale {
    use super::Field;
    /// `amounts`: quote still to raise, quote units.
    pub(crate) const TAB: Field = Field::new(0, 128);
    /// `amounts`: collateral left to sell, collateral units.
    pub(crate) const LOT: Field = Field::new(128, 128);
    /// `clock`: the engine that kicked (receives proceeds, funds rewards).
    pub(crate) const ENGINE: Field = Field::new(0, 160);
    /// `clock`: time of the kick or last redo.
    pub(crate) const TIC: Field = Field::new(160, 64);
    /// `clock`: index in the list of running auctions.
    pub(crate) const POS: Field = Field::new(224, 32);
    /// `start`: the collateral token.
    pub(crate) const ASSET: Field = Field::new(0, 160);
    /// `start`: start price, WAD quote per whole collateral token.
    pub(crate) const TOP: Field = Field::new(160, 96);
    /// `owner`: receives the collateral left once `tab` is raised.
    pub(crate) const OWNER: Field = Field::new(0, 160);
}

/// The words of an [`AssetConfig`].
pub(crate) mod asset {
    use super::Field;
    /// `rules`: set by `init`.
    pub(crate) const LISTED: Field = Field::new(0, 8);
    /// `rules`: `18 + asset decimals − quote decimals`.
    pub(crate) const SCALE: Field = Field::new(8, 8);
    /// `rules`: the price curve.
    pub(crate) const KIND: Field = Field::new(16, 8);
    /// `rules`: seconds before an auction needs a restart.
    pub(crate) const TAIL: Field = Field::new(24, 32);
    /// `rules`: seconds to zero of the linear curve.
    pub(crate) const TAU: Field = Field::new(56, 32);
    /// `rules`: seconds per step of the stairstep curve.
    pub(crate) const STEP: Field = Field::new(88, 32);
    /// `rules`: restart below this `price / top`, WAD.
    pub(crate) const CUSP: Field = Field::new(120, 64);
    /// `rules`: factor per step or per second of the exponential curves, WAD.
    pub(crate) const CUT: Field = Field::new(184, 64);
    /// `book`: smallest tab a partial take may leave, quote units.
    pub(crate) const CHOST: Field = Field::new(0, 128);
    /// `book`: collateral held for this asset's running auctions.
    pub(crate) const HELD: Field = Field::new(128, 128);
    /// `start`: start price over oracle price, WAD.
    pub(crate) const BUF: Field = Field::new(0, 64);
    /// `start`: keeper reward per unit of tab, WAD.
    pub(crate) const CHIP: Field = Field::new(64, 64);
    /// `start`: kicks stop below `last · tol` (WAD; 0 = off).
    pub(crate) const TOL: Field = Field::new(128, 64);
    /// `reward`: flat keeper reward, quote units.
    pub(crate) const TIP: Field = Field::new(0, 128);
    /// `reward`: oracle price at the previous kick or redo, WAD.
    pub(crate) const LAST: Field = Field::new(128, 128);
}

/// One running auction (Maker's `Sale`); a zero `engine` means none. See [`sale`].
#[storage]
#[derive(Erase)]
pub struct Sale {
    /// `tab`, `lot`: written by every take.
    pub(crate) amounts: StorageU256,
    /// `engine`, `tic`, `pos`.
    pub(crate) clock: StorageU256,
    /// `asset`, `top`.
    pub(crate) start: StorageU256,
    /// `owner`.
    pub(crate) owner: StorageU256,
    /// The engine's opaque margin-account id.
    pub(crate) account: StorageU256,
}

/// Everything the Liquidator keeps per collateral asset. See [`asset`].
#[storage]
pub struct AssetConfig {
    /// `listed`, `scale`, `kind`, `tail`, `tau`, `step`, `cusp`, `cut`: read by every take.
    pub(crate) rules: StorageU256,
    /// `chost`, `held`: read and written by every take.
    pub(crate) book: StorageU256,
    /// `hole`, `dirt`: the per-asset circuit breaker.
    pub(crate) caps: StorageU256,
    /// `buf`, `chip`, `tol`.
    pub(crate) start: StorageU256,
    /// `tip`, `last`.
    pub(crate) reward: StorageU256,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_reads_back_what_was_written_and_leaves_its_neighbours() {
        let word = U256::MAX;
        let word = sale::TIC.with(word, U256::from(12_345)).unwrap_or_default();
        assert_eq!(sale::TIC.of(word), U256::from(12_345));
        assert_eq!(sale::ENGINE.of(word), U256::MAX >> 96);
        assert_eq!(sale::POS.of(word), U256::from(u32::MAX));
    }

    #[test]
    fn a_value_too_wide_for_its_field_is_an_error_not_a_truncation() {
        assert!(asset::TAIL
            .with(U256::ZERO, U256::from(u64::from(u32::MAX) + 1))
            .is_err());
        assert!(asset::TAIL.with(U256::ZERO, U256::from(u32::MAX)).is_ok());
        assert!(caps::DIRT.with(U256::ZERO, U256::MAX).is_err());
    }

    #[test]
    fn default_rules_hold_each_default_in_its_field() {
        use crate::params::Defaults as D;
        let r = DEFAULT_RULES;
        assert_eq!(asset::LISTED.small(r), 1);
        assert_eq!(asset::SCALE.small(r), 0);
        assert_eq!(asset::KIND.small(r), u64::from(D::KIND));
        assert_eq!(asset::TAIL.small(r), D::TAIL);
        assert_eq!(asset::TAU.small(r), D::TAU);
        assert_eq!(asset::STEP.small(r), D::STEP);
        assert_eq!(asset::CUSP.small(r), D::CUSP);
        assert_eq!(asset::CUT.small(r), D::CUT);
    }

    #[test]
    fn addresses_round_trip_through_a_word() {
        let a = Address::repeat_byte(0xab);
        let packed = sale::ENGINE.with(U256::MAX, word(a)).unwrap_or_default();
        assert_eq!(sale::ENGINE.address(packed), a);
        assert_eq!(sale::TIC.of(packed), U256::from(u64::MAX));
    }

    #[test]
    fn the_fields_of_each_word_do_not_overlap_and_fit_256_bits() {
        let words: [&[Field]; 7] = [
            &[
                head::QUOTE,
                head::STOPPED,
                head::LOCKED,
                head::KICKS,
                head::COUNT,
            ],
            &[sale::TAB, sale::LOT],
            &[sale::ENGINE, sale::TIC, sale::POS],
            &[sale::ASSET, sale::TOP],
            &[
                asset::LISTED,
                asset::SCALE,
                asset::KIND,
                asset::TAIL,
                asset::TAU,
                asset::STEP,
                asset::CUSP,
                asset::CUT,
            ],
            &[asset::BUF, asset::CHIP, asset::TOL],
            &[asset::TIP, asset::LAST],
        ];
        for fields in words {
            let mut used = U256::ZERO;
            for f in fields {
                assert!(f.shift + f.bits <= 256, "{f:?}");
                assert!(f.shift % 8 == 0 && f.bits % 8 == 0, "{f:?} is byte-aligned");
                let mask = (U256::MAX >> (256 - f.bits)) << f.shift;
                assert_eq!(used & mask, U256::ZERO, "{f:?} overlaps");
                used |= mask;
            }
        }
    }
}
