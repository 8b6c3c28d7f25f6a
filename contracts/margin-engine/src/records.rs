//! Storage records, packed by hand into 256-bit words.
//!
//! A [`Field`] names a byte-aligned bit range of one word ([`keel_common::packed`], shared with
//! the Liquidator): one pair of helpers serves every record, and the hot paths touch few slots.
//! A trade reads the account's owner, `book` (a bitmask of its markets) and quote balance, one
//! position word, and the market's `spec`, `fees`, `caps`, `oi` and `cost` words. The layout of
//! each word is documented with its constants below.

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, I256, U256};
pub(crate) use keel_common::packed::{word, Field};
use keel_math::MathResult;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageI256, StorageMap, StorageU256},
};

/// `MarginEngine.head`: set at construction, and the counters of listings and accounts.
pub(crate) mod head {
    use super::Field;
    /// The quote (settlement) token.
    pub(crate) const QUOTE: Field = Field::new(0, 160);
    /// The quote token's decimals, read once at construction.
    pub(crate) const DECIMALS: Field = Field::new(160, 8);
    /// Listed collateral tokens (the last index).
    pub(crate) const COLLATERALS: Field = Field::new(168, 8);
    /// Listed markets (the last id).
    pub(crate) const MARKETS: Field = Field::new(176, 16);
    /// Accounts ever opened (the last id).
    pub(crate) const ACCOUNTS: Field = Field::new(192, 64);
}

/// `MarginEngine.globals`: the numeric global parameters.
pub(crate) mod globals {
    use super::Field;
    /// Traders' unrealised profit may reach at most this fraction of the pool, WAD.
    pub(crate) const MAX_PROFIT_RATIO: Field = Field::new(0, 64);
    /// Most markets one account may hold positions in.
    pub(crate) const MAX_POSITIONS: Field = Field::new(64, 8);
    /// 1 while new risk is paused (by a ward).
    pub(crate) const STOPPED: Field = Field::new(72, 8);
    /// The RiskOracle, fixed at construction.
    pub(crate) const ORACLE: Field = Field::new(80, 160);
}

/// `MarginEngine.links`: the other fixed address.
pub(crate) mod links {
    use super::Field;
    /// The RiskModel, fixed at construction.
    pub(crate) const MODEL: Field = Field::new(0, 160);
}

/// A position word: `|size|`, its sign, and the average entry price.
pub(crate) mod position {
    use super::Field;
    /// `|size|`, WAD base units.
    pub(crate) const SIZE: Field = Field::new(0, 120);
    /// 1 for a short.
    pub(crate) const SHORT: Field = Field::new(120, 8);
    /// Average entry price, WAD quote per whole base unit.
    pub(crate) const ENTRY: Field = Field::new(128, 128);
}

/// The words of a [`Market`].
pub(crate) mod market {
    use super::Field;
    /// `spec`: the RiskOracle asset; zero for a market never listed.
    pub(crate) const ASSET: Field = Field::new(0, 160);
    /// `spec`: smallest non-zero position a trade that adds risk may leave, WAD base units.
    pub(crate) const MIN_SIZE: Field = Field::new(160, 96);
    /// `fees`: fee per unit of notional, WAD.
    pub(crate) const FEE: Field = Field::new(0, 64);
    /// `fees`: fixed part of the spread, WAD.
    pub(crate) const BASE_SPREAD: Field = Field::new(64, 64);
    /// `fees`: spread per unit of `σ · √age`, WAD.
    pub(crate) const VOL_SPREAD: Field = Field::new(128, 64);
    /// `caps`/`oi`: long side, WAD base units.
    pub(crate) const LONG: Field = Field::new(0, 128);
    /// `caps`/`oi`: short side, WAD base units.
    pub(crate) const SHORT: Field = Field::new(128, 128);
}

/// The words of a [`Collateral`].
pub(crate) mod collateral {
    use super::Field;
    /// `spec`: index in `MarginEngine.collateral_list` (1-based); zero for a token never listed.
    pub(crate) const INDEX: Field = Field::new(0, 8);
    /// `spec`: the token's decimals, read once at listing.
    pub(crate) const DECIMALS: Field = Field::new(8, 8);
    /// `spec`: haircut on the price, WAD.
    pub(crate) const HAIRCUT: Field = Field::new(16, 64);
    /// `spec`: further haircut while the account is long `CORRELATED`, WAD.
    pub(crate) const CORRELATION_HAIRCUT: Field = Field::new(80, 64);
    /// `corr`: the RiskOracle asset the token moves with (zero: none).
    pub(crate) const CORRELATED: Field = Field::new(0, 160);
    /// `caps`: cap on all accounts' deposits, token units.
    pub(crate) const CAP: Field = Field::new(0, 128);
    /// `caps`: all accounts' deposits, token units.
    pub(crate) const TOTAL: Field = Field::new(128, 128);
}

/// One margin account.
#[storage]
pub struct Account {
    /// The owner; zero for an account never opened.
    pub(crate) owner: StorageAddress,
    /// Bit `id − 1` set while the account holds a position in market `id` (ids ≤ 32).
    pub(crate) book: StorageU256,
    /// Quote balance, WAD (negative: owed).
    pub(crate) quote: StorageI256,
    /// Position words by market id, see [`position`].
    pub(crate) positions: StorageMap<U256, StorageU256>,
    /// Collateral held, token units.
    pub(crate) collateral: StorageMap<Address, StorageU256>,
    /// Operators approved by the owner.
    pub(crate) operators: StorageMap<Address, StorageBool>,
}

/// One market. See [`market`].
#[storage]
pub struct Market {
    /// `asset`, `minSize`.
    pub(crate) spec: StorageU256,
    /// `fee`, `baseSpread`, `volSpread`.
    pub(crate) fees: StorageU256,
    /// Open-interest caps, long and short.
    pub(crate) caps: StorageU256,
    /// Open interest, long and short.
    pub(crate) oi: StorageU256,
    /// `Σ size · entry` over all positions, WAD² (unscaled product; signed, shorts negative).
    pub(crate) cost: StorageI256,
}

/// One listed collateral token. See [`collateral`].
#[storage]
pub struct Collateral {
    /// `index`, `decimals`, `haircut`, `correlationHaircut`.
    pub(crate) spec: StorageU256,
    /// `correlatedAsset`.
    pub(crate) corr: StorageU256,
    /// `cap`, `total`.
    pub(crate) caps: StorageU256,
}

/// A position: signed size (WAD base, + long) and average entry price (WAD).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Position {
    /// Signed size.
    pub(crate) size: I256,
    /// Average entry price; zero when flat.
    pub(crate) entry: U256,
}

impl Position {
    /// Reads a position word.
    pub(crate) fn unpack(w: U256) -> Self {
        let magnitude = I256::from_raw(position::SIZE.of(w));
        let size = if position::SHORT.of(w).is_zero() {
            magnitude
        } else {
            crate::signed::neg(magnitude)
        };
        Self {
            size,
            entry: position::ENTRY.of(w),
        }
    }

    /// The position word.
    ///
    /// # Errors
    /// [`keel_math::MathError::Overflow`] for `|size| ≥ 2^120` or `entry ≥ 2^128`.
    pub(crate) fn pack(self) -> MathResult<U256> {
        let w = position::SIZE.with(U256::ZERO, crate::signed::mag(self.size))?;
        let w = position::SHORT.with(w, U256::from(u8::from(self.size.is_negative())))?;
        position::ENTRY.with(w, self.entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_with_their_sign() {
        for size in [0i64, 5, -5, i64::MAX, -i64::MAX] {
            let p = Position {
                size: I256::try_from(size).unwrap_or_default(),
                entry: U256::from(3_000u64),
            };
            assert_eq!(Position::unpack(p.pack().unwrap_or_default()), p);
        }
        let huge = Position {
            size: I256::from_raw(U256::from(1) << 120),
            entry: U256::ZERO,
        };
        assert!(huge.pack().is_err());
    }

    #[test]
    fn the_fields_of_each_word_do_not_overlap() {
        use collateral as c;
        let words: [&[Field]; 7] = [
            &[
                head::QUOTE,
                head::DECIMALS,
                head::COLLATERALS,
                head::MARKETS,
                head::ACCOUNTS,
            ],
            &[
                globals::MAX_PROFIT_RATIO,
                globals::MAX_POSITIONS,
                globals::STOPPED,
                globals::ORACLE,
            ],
            &[position::SIZE, position::SHORT, position::ENTRY],
            &[market::ASSET, market::MIN_SIZE],
            &[market::FEE, market::BASE_SPREAD, market::VOL_SPREAD],
            &[c::INDEX, c::DECIMALS, c::HAIRCUT, c::CORRELATION_HAIRCUT],
            &[c::CAP, c::TOTAL],
        ];
        for fields in words {
            let mut used = U256::ZERO;
            for f in fields {
                let mask = (U256::MAX >> (256 - f.bits())) << f.shift();
                assert_eq!(used & mask, U256::ZERO, "{f:?} overlaps");
                used |= mask;
            }
        }
    }
}
