//! Storage records packed by hand into 256-bit words.
//!
//! A contract keeps a record as a few `uint256` slots and names each value by the bit range of
//! its word, a [`Field`]. Packing by hand (rather than one SDK storage field per value) keeps
//! the hot paths to few slots and keeps the code small: one storage type and one pair of
//! helpers, [`Field::of`] and [`Field::with`], serve every record. Each contract declares its
//! own layouts as `Field` constants next to its storage types.
//!
//! Every field is byte-aligned, so reading and writing one is a copy of whole bytes of the
//! big-endian word: no shifts or masks across limbs are linked.
//!
//! Every function is `#[inline]`: without it the contracts' LTO build keeps them as calls
//! across the crate boundary (see [`crate::abi`]).

use alloy_primitives::{Address, B256, U256};
use keel_math::{MathError, MathResult};

/// A bit range of a storage word: `bits` wide, `shift` bits above the least significant bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    shift: usize,
    bits: usize,
}

impl Field {
    /// The field `bits` wide, `shift` bits above the least significant bit.
    ///
    /// # Panics
    /// At compile time, for the constants that declare layouts, if the field is not
    /// byte-aligned or does not fit 256 bits.
    #[inline]
    #[must_use]
    pub const fn new(shift: usize, bits: usize) -> Self {
        assert!((shift | bits).is_multiple_of(8) && bits > 0 && shift + bits <= 256);
        Self { shift, bits }
    }

    /// Bits below the field.
    #[inline]
    #[must_use]
    pub const fn shift(self) -> usize {
        self.shift
    }

    /// The field's width in bits.
    #[inline]
    #[must_use]
    pub const fn bits(self) -> usize {
        self.bits
    }

    /// The field's bytes in a big-endian word: `[start, end)`.
    #[inline]
    #[must_use]
    pub const fn range(self) -> (usize, usize) {
        (32 - (self.shift + self.bits) / 8, 32 - self.shift / 8)
    }

    /// The field's value in `word`.
    #[inline]
    #[must_use]
    pub fn of(self, word: U256) -> U256 {
        let (start, end) = self.range();
        // `get` rather than indexing: the range is always inside the word, and no panic path
        // (with its location strings) is linked.
        word.to_be_bytes::<32>()
            .get(start..end)
            .and_then(U256::try_from_be_slice)
            .unwrap_or_default()
    }

    /// The field's value in `word`, for fields of at most 64 bits.
    #[inline]
    #[must_use]
    pub fn small(self, word: U256) -> u64 {
        self.of(word).as_limbs()[0]
    }

    /// The address in `word` (a 160-bit field).
    #[inline]
    #[must_use]
    pub fn address(self, word: U256) -> Address {
        Address::from_word(B256::from(self.of(word)))
    }

    /// `word` with the field set to `value`.
    ///
    /// # Errors
    /// [`MathError::Overflow`] if `value` does not fit the field (never silently truncated).
    #[inline]
    pub fn with(self, word: U256, value: U256) -> MathResult<U256> {
        let (start, end) = self.range();
        let value = value.to_be_bytes::<32>();
        let mut bytes = word.to_be_bytes::<32>();
        // The value's bytes above the field's width must be zero; the rest replace the field.
        let (high, low) = value
            .split_at_checked(32 - (end - start))
            .ok_or(MathError::Overflow)?;
        let field = bytes.get_mut(start..end).ok_or(MathError::Overflow)?;
        if high.iter().any(|b| *b != 0) {
            return Err(MathError::Overflow);
        }
        field.copy_from_slice(low);
        Ok(U256::from_be_bytes(bytes))
    }
}

/// An address as a storage value (the low 160 bits of the word).
#[inline]
#[must_use]
pub fn word(address: Address) -> U256 {
    U256::from_be_bytes(address.into_word().0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOW: Field = Field::new(0, 160);
    const MID: Field = Field::new(160, 64);
    const TOP: Field = Field::new(224, 32);
    const LIMB: Field = Field::new(64, 64);
    const PAIR: Field = Field::new(128, 128);

    #[test]
    fn a_field_reads_back_what_was_written_and_leaves_its_neighbours() {
        let word = MID.with(U256::MAX, U256::from(12_345)).unwrap_or_default();
        assert_eq!(MID.of(word), U256::from(12_345));
        assert_eq!(MID.small(word), 12_345);
        assert_eq!(LOW.of(word), U256::MAX >> 96);
        assert_eq!(TOP.of(word), U256::from(u32::MAX));

        let word = PAIR
            .with(U256::MAX, U256::from(u128::MAX - 7))
            .unwrap_or_default();
        assert_eq!(PAIR.of(word), U256::from(u128::MAX - 7));
        assert_eq!(word & (U256::MAX >> 128), U256::MAX >> 128);
    }

    #[test]
    fn a_value_too_wide_for_its_field_is_an_error_not_a_truncation() {
        assert_eq!(
            TOP.with(U256::ZERO, U256::from(u64::from(u32::MAX) + 1)),
            Err(MathError::Overflow)
        );
        assert_eq!(
            TOP.with(U256::ZERO, U256::from(u32::MAX)),
            Ok(U256::from(u32::MAX) << 224)
        );
        assert_eq!(
            LIMB.with(U256::ZERO, U256::from(u64::MAX) + U256::from(1)),
            Err(MathError::Overflow)
        );
        assert_eq!(
            PAIR.with(U256::ZERO, U256::from(u128::MAX) + U256::from(1)),
            Err(MathError::Overflow)
        );
        assert!(PAIR.with(U256::ZERO, U256::from(u128::MAX)).is_ok());
        assert_eq!(PAIR.with(U256::ZERO, U256::MAX), Err(MathError::Overflow));
        assert_eq!(
            Field::new(0, 256).with(U256::ZERO, U256::MAX),
            Ok(U256::MAX)
        );
    }

    #[test]
    fn addresses_round_trip_through_a_word() {
        let a = Address::repeat_byte(0xab);
        let packed = LOW.with(U256::MAX, word(a)).unwrap_or_default();
        assert_eq!(LOW.address(packed), a);
        assert_eq!(MID.of(packed), U256::from(u64::MAX));
        assert_eq!(word(a) >> 160, U256::ZERO);
    }

    #[test]
    fn the_byte_range_matches_shift_and_width() {
        assert_eq!(LOW.range(), (12, 32));
        assert_eq!(MID.range(), (4, 12));
        assert_eq!(TOP.range(), (0, 4));
        assert_eq!((LIMB.shift(), LIMB.bits()), (64, 64));
    }

    /// Every field of every byte-aligned width and place, against shift-and-mask arithmetic.
    #[test]
    fn of_and_with_agree_with_shift_and_mask() {
        let mut bytes = [0u8; 32];
        for (byte, i) in bytes.iter_mut().zip(1u8..) {
            *byte = i.wrapping_mul(37);
        }
        let word = U256::from_be_bytes(bytes);
        let value = U256::from_be_bytes([0x5a; 32]);
        for bytes in 1..=32 {
            for at in 0..=(32 - bytes) {
                let f = Field::new(8 * at, 8 * bytes);
                let mask = (U256::MAX >> (256 - f.bits())) << f.shift();
                assert_eq!(f.of(word), (word & mask) >> f.shift());
                let fits = value >> (256 - f.bits());
                let expected = (word & !mask) | (fits << f.shift());
                assert_eq!(f.with(word, fits), Ok(expected));
                if bytes < 32 {
                    let wide = fits | (U256::from(1) << f.bits());
                    assert_eq!(f.with(word, wide), Err(MathError::Overflow));
                }
            }
        }
    }
}
