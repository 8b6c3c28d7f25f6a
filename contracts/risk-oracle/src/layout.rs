//! Packed per-asset storage: three words per asset.
//!
//! `poke` reads all three and writes the last two, so packing each group into
//! one word keeps it at three cold loads and two stores. Bit layouts of the
//! word read as a `uint256`, least significant first (packing works on the
//! big-endian bytes, which is smaller code than 256-bit shifts):
//!
//! | word | fields |
//! |---|---|
//! | config | `maxJump` u64 · `heartbeat` u24 · `decimals` u8 · `feed` u160 |
//! | price  | `price` u128 · `updatedAt` u48 · `roundId` u80 |
//! | vol    | `fast` u104 · `slow` u104 · `updatedAt` u48 |
//!
//! Widths versus ranges: `maxJump <= 10e18 < 2^64`, `heartbeat <= 7 days <
//! 2^24`, feed decimals `<= 36`; prices are rejected at or above `2^128`
//! WAD; timestamps are validated against the block time (`2^48` s is nine
//! million years); round ids are `uint80` by the feed interface; volatilities
//! are capped at `MAX_VOLATILITY = 1e20 < 2^104`. Packing never truncates:
//! every writer checks the range first.

use alloy_primitives::{aliases::U80, Address, B256, U256};

/// The low 128 bits of `x` (callers guarantee `x < 2^128`).
fn low_u128(x: U256) -> u128 {
    let limbs = x.as_limbs();
    u128::from(limbs[0]) | u128::from(limbs[1]) << 64
}

/// Writes the low `len` bytes of `value`, big-endian, to `word[at..at + len]`.
pub fn write(word: &mut [u8; 32], at: usize, len: usize, value: u128) {
    word[at..at + len].copy_from_slice(&value.to_be_bytes()[16 - len..]);
}

/// Reads `word[at..at + len]` (`len <= 16`) as a big-endian integer.
pub fn read(word: &[u8; 32], at: usize, len: usize) -> u128 {
    let mut out = [0u8; 16];
    out[16 - len..].copy_from_slice(&word[at..at + len]);
    u128::from_be_bytes(out)
}

/// How an asset is read. `feed == 0` means the asset is not listed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AssetConfig {
    /// Chainlink-style aggregator for the asset's price.
    pub feed: Address,
    /// Decimals of the feed's answers.
    pub decimals: u8,
    /// Oldest accepted answer, seconds (`< 2^24`).
    pub heartbeat: u32,
    /// Largest relative move between accepted prices (WAD).
    pub max_jump: u64,
}

impl AssetConfig {
    /// Packs into one word (big-endian: feed, decimals, heartbeat, maxJump).
    pub fn pack(&self) -> B256 {
        let mut w = [0u8; 32];
        w[..20].copy_from_slice(self.feed.as_slice());
        w[20] = self.decimals;
        write(&mut w, 21, 3, u128::from(self.heartbeat));
        write(&mut w, 24, 8, u128::from(self.max_jump));
        B256::new(w)
    }

    /// Unpacks a word written by [`Self::pack`].
    pub fn unpack(w: B256) -> Self {
        Self {
            feed: Address::from_slice(&w[..20]),
            decimals: w[20],
            heartbeat: read(&w.0, 21, 3) as u32,
            max_jump: read(&w.0, 24, 8) as u64,
        }
    }
}

/// The last accepted price. `updated_at == 0` means none yet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PriceState {
    /// Price in WAD, `< 2^128`.
    pub price: U256,
    /// The feed's `updatedAt` of that price, seconds (`< 2^48`).
    pub updated_at: u64,
    /// The feed's round id of that price.
    pub round_id: U80,
}

impl PriceState {
    /// Packs into one word (big-endian: roundId, updatedAt, price).
    pub fn pack(&self) -> B256 {
        let mut w = [0u8; 32];
        write(&mut w, 0, 10, self.round_id.to::<u128>());
        write(&mut w, 10, 6, u128::from(self.updated_at));
        write(&mut w, 16, 16, low_u128(self.price));
        B256::new(w)
    }

    /// Unpacks a word written by [`Self::pack`].
    pub fn unpack(w: B256) -> Self {
        Self {
            round_id: U80::from(read(&w.0, 0, 10)),
            updated_at: read(&w.0, 10, 6) as u64,
            price: U256::from(read(&w.0, 16, 16)),
        }
    }
}

/// The volatility index's state. `updated_at == 0` means the asset is not
/// listed (a listed asset's state always carries the anchor's time).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VolState {
    /// Fast component, annualised volatility (WAD, `< 2^104`).
    pub fast: U256,
    /// Slow component, annualised volatility (WAD, `< 2^104`).
    pub slow: U256,
    /// `updatedAt` of the price that last moved the index (or of the
    /// listing anchor), seconds.
    pub updated_at: u64,
}

impl VolState {
    /// The index: the larger component (reacts up with the fast one, comes
    /// down with the slow one).
    pub fn index(&self) -> U256 {
        self.fast.max(self.slow)
    }

    /// Packs into one word (big-endian: updatedAt, slow, fast).
    pub fn pack(&self) -> B256 {
        let mut w = [0u8; 32];
        write(&mut w, 0, 6, u128::from(self.updated_at));
        write(&mut w, 6, 13, low_u128(self.slow));
        write(&mut w, 19, 13, low_u128(self.fast));
        B256::new(w)
    }

    /// Unpacks a word written by [`Self::pack`].
    pub fn unpack(w: B256) -> Self {
        Self {
            updated_at: read(&w.0, 0, 6) as u64,
            slow: U256::from(read(&w.0, 6, 13)),
            fast: U256::from(read(&w.0, 19, 13)),
        }
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::address;

    use super::*;
    use crate::params::MAX_VOLATILITY;

    #[test]
    fn config_round_trips_at_extreme_values() {
        let cfg = AssetConfig {
            feed: address!("ffffffffffffffffffffffffffffffffffffffff"),
            decimals: u8::MAX,
            heartbeat: (1 << 24) - 1,
            max_jump: u64::MAX,
        };
        assert_eq!(AssetConfig::unpack(cfg.pack()), cfg);
        let small = AssetConfig {
            feed: address!("0000000000000000000000000000000000000001"),
            decimals: 8,
            heartbeat: 3_600,
            max_jump: 1,
        };
        assert_eq!(AssetConfig::unpack(small.pack()), small);
    }

    #[test]
    fn price_round_trips_at_extreme_values() {
        let state = PriceState {
            price: U256::from(u128::MAX),
            updated_at: (1 << 48) - 1,
            round_id: U80::MAX,
        };
        assert_eq!(PriceState::unpack(state.pack()), state);
        let small = PriceState {
            price: U256::from(1),
            updated_at: 1,
            round_id: U80::from(1),
        };
        assert_eq!(PriceState::unpack(small.pack()), small);
    }

    #[test]
    fn vol_round_trips_at_the_volatility_ceiling() {
        let state = VolState {
            fast: MAX_VOLATILITY,
            slow: U256::from(1),
            updated_at: (1 << 48) - 1,
        };
        assert_eq!(VolState::unpack(state.pack()), state);
        let swapped = VolState {
            fast: U256::from(1),
            slow: MAX_VOLATILITY,
            updated_at: 7,
        };
        assert_eq!(VolState::unpack(swapped.pack()), swapped);
    }

    #[test]
    fn words_match_the_documented_bit_layout() {
        let word = |w: B256| U256::from_be_bytes(w.0);
        let bits =
            |x: U256, at: usize, n: usize| (x >> at) & ((U256::from(1) << n) - U256::from(1));
        let cfg = AssetConfig {
            feed: address!("00000000000000000000000000000000000000fe"),
            decimals: 8,
            heartbeat: 3_600,
            max_jump: 7,
        };
        let c = word(cfg.pack());
        assert_eq!(bits(c, 0, 64), U256::from(7));
        assert_eq!(bits(c, 64, 24), U256::from(3_600));
        assert_eq!(bits(c, 88, 8), U256::from(8));
        assert_eq!(c >> 96, U256::from(0xfe));
        let p = word(
            PriceState {
                price: U256::from(5),
                updated_at: 6,
                round_id: U80::from(9),
            }
            .pack(),
        );
        assert_eq!(
            (bits(p, 0, 128), bits(p, 128, 48), p >> 176),
            (U256::from(5), U256::from(6), U256::from(9))
        );
        let v = word(
            VolState {
                fast: U256::from(1),
                slow: U256::from(2),
                updated_at: 3,
            }
            .pack(),
        );
        assert_eq!(
            (bits(v, 0, 104), bits(v, 104, 104), v >> 208),
            (U256::from(1), U256::from(2), U256::from(3))
        );
    }

    #[test]
    fn volatility_ceiling_fits_104_bits() {
        assert!(MAX_VOLATILITY < U256::from(1) << 104);
    }

    #[test]
    fn index_is_the_larger_component() {
        let s = VolState {
            fast: U256::from(5),
            slow: U256::from(3),
            updated_at: 1,
        };
        assert_eq!(s.index(), U256::from(5));
        let s = VolState {
            fast: U256::from(2),
            slow: U256::from(3),
            updated_at: 1,
        };
        assert_eq!(s.index(), U256::from(3));
    }

    #[test]
    fn an_empty_word_is_an_unlisted_asset() {
        assert_eq!(AssetConfig::unpack(B256::ZERO).feed, Address::ZERO);
        assert_eq!(VolState::unpack(B256::ZERO).updated_at, 0);
    }
}
