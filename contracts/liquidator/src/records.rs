//! Storage records, packed by hand into 256-bit words.
//!
//! Every record is a few `uint256` words; a [`Field`] names a bit range of one word. Packing by
//! hand (rather than one SDK storage field per value) keeps the hot paths to few slots — a take
//! reads four words of its [`Sale`] and three of its [`AssetConfig`] — and keeps the contract
//! small: one storage type, and the shared helpers of [`keel_common::packed`]. The layout of
//! each word is documented with its constants below.

use alloc::{vec, vec::Vec};

use alloy_primitives::U256;
pub(crate) use keel_common::packed::{word, Field};
use stylus_sdk::{prelude::*, storage::StorageU256};

/// `limbs` with the low `bits` of `value` placed `shift` bits up (for constants).
const fn place(mut limbs: [u64; 4], field: Field, value: u64) -> [u64; 4] {
    let (limb, offset) = (field.shift() / 64, field.shift() % 64);
    limbs[limb] |= value << offset;
    if offset > 0 && offset + field.bits() > 64 {
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
    fn the_fields_of_each_word_do_not_overlap() {
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
                let mask = (U256::MAX >> (256 - f.bits())) << f.shift();
                assert_eq!(used & mask, U256::ZERO, "{f:?} overlaps");
                used |= mask;
            }
        }
    }
}
