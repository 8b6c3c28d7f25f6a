//! Chainlink-style feed answers: decoding and the price guard.
//!
//! The guard is pure: given a round, the asset's configuration, the last
//! accepted price and the block time, it either returns the price in WAD or
//! says why the round is rejected ([`Rejection`]). The contract turns a
//! rejection into a typed revert (`price`, `poke`) or a status code
//! (`priceData`), and never stores a rejected price.

use alloy_primitives::{aliases::U80, Address, I256, U256};
use keel_math::to_wad;

use crate::{
    errors::{OracleError, OracleFeedCallFailed, OraclePriceRejected},
    layout::{AssetConfig, PriceState},
};

/// Selector of `latestRoundData()`.
pub const LATEST_ROUND_DATA: [u8; 4] = [0xfe, 0xaf, 0x96, 0x8c];
/// Selector of `decimals()`.
pub const DECIMALS: [u8; 4] = [0x31, 0x3c, 0xe5, 0x67];

/// One answer of `latestRoundData()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Round {
    /// `roundId`.
    pub round_id: U80,
    /// `answer`, in the feed's decimals.
    pub answer: I256,
    /// `startedAt`: for the sequencer-uptime feed, when the status changed.
    pub started_at: U256,
    /// `updatedAt`: when the answer was written.
    pub updated_at: U256,
    /// `answeredInRound`.
    pub answered_in_round: U80,
}

/// The `i`-th 32-byte word of `data`.
fn word(data: &[u8], i: usize) -> Option<U256> {
    data.get(i * 32..(i + 1) * 32).map(U256::from_be_slice)
}

/// A `uint80` word: `None` if the upper bits are not zero, as strict ABI
/// decoding requires.
fn uint80(data: &[u8], i: usize) -> Option<U80> {
    let w = word(data, i)?;
    (w.bit_len() <= 80).then(|| w.to::<U80>())
}

impl Round {
    /// Decodes the ABI return of `latestRoundData()`: five words
    /// `(uint80, int256, uint256, uint256, uint80)`. `None` for anything
    /// shorter or with a round id that does not fit `uint80`.
    pub fn decode(data: &[u8]) -> Option<Self> {
        Some(Self {
            round_id: uint80(data, 0)?,
            answer: I256::from_raw(word(data, 1)?),
            started_at: word(data, 2)?,
            updated_at: word(data, 3)?,
            answered_in_round: uint80(data, 4)?,
        })
    }
}

/// Decodes the ABI return of `decimals()`: one `uint8` word.
pub fn decode_decimals(data: &[u8]) -> Option<u8> {
    let w = word(data, 0)?;
    (w.bit_len() <= 8).then(|| w.to::<u8>())
}

/// Why a round was not accepted. The status code ([`Rejection::status`]) is
/// what `priceData` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The feed call reverted or returned malformed data.
    FeedCallFailed,
    /// `updatedAt == 0` or `answeredInRound < roundId`.
    IncompleteRound,
    /// The answer is not positive, or its WAD value is zero or `>= 2^128`.
    InvalidAnswer,
    /// `updatedAt` is after the block time.
    FutureTimestamp,
    /// Older than the heartbeat.
    StalePrice,
    /// Round id or `updatedAt` before the last accepted ones.
    OutOfOrderRound,
    /// Moved more than `maxJump` from the last accepted price.
    PriceJump,
}

/// `priceData` status: the live price is valid.
pub const STATUS_VALID: u8 = 0;
/// `priceData` status: the asset has no feed.
pub const STATUS_UNKNOWN_ASSET: u8 = 1;

impl Rejection {
    /// Status code reported by `priceData`: 2 feed call failed, 3 incomplete
    /// round, 4 invalid answer, 5 future timestamp, 6 stale, 7 out of order,
    /// 8 price jump (0 is valid, 1 unknown asset).
    pub fn status(self) -> u8 {
        match self {
            Self::FeedCallFailed => 2,
            Self::IncompleteRound => 3,
            Self::InvalidAnswer => 4,
            Self::FutureTimestamp => 5,
            Self::StalePrice => 6,
            Self::OutOfOrderRound => 7,
            Self::PriceJump => 8,
        }
    }
}

/// The price guard. Returns the round's price in WAD if the round is
/// complete, positive, not from the future, within the heartbeat, not older
/// than the last accepted price and within `maxJump` of it.
///
/// `last` is `None` when there is no accepted price to compare with (listing
/// or re-pointing a feed): ordering and the jump band are then not checked.
///
/// Rounding: none. Answers are scaled up to WAD exactly (listing accepts at
/// most 18 decimals) and the jump test is exact
/// (`|p - last| * 1e18 <= maxJump * last`, no division).
///
/// # Errors
/// The first failed check, in the order of [`Rejection`]'s variants.
pub fn check(
    round: &Round,
    cfg: &AssetConfig,
    last: Option<&PriceState>,
    now: u64,
) -> Result<U256, Rejection> {
    if round.updated_at.is_zero() || round.answered_in_round < round.round_id {
        return Err(Rejection::IncompleteRound);
    }
    let price = wad_price(round.answer, cfg.decimals).ok_or(Rejection::InvalidAnswer)?;
    let now = U256::from(now);
    if round.updated_at > now {
        return Err(Rejection::FutureTimestamp);
    }
    if now - round.updated_at > U256::from(cfg.heartbeat) {
        return Err(Rejection::StalePrice);
    }
    if let Some(last) = last {
        if round.round_id < last.round_id || round.updated_at < U256::from(last.updated_at) {
            return Err(Rejection::OutOfOrderRound);
        }
        let moved = if price > last.price {
            price - last.price
        } else {
            last.price - price
        };
        // Both sides < 2^192: price, last < 2^128 and maxJump < 2^64.
        if moved * keel_math::WAD > U256::from(cfg.max_jump) * last.price {
            return Err(Rejection::PriceJump);
        }
    }
    Ok(price)
}

/// `answer` in WAD: `None` unless `0 < wad < 2^128`.
fn wad_price(answer: I256, decimals: u8) -> Option<U256> {
    if !answer.is_positive() {
        return None;
    }
    let raw = answer.into_raw();
    // Exact: listing accepts feeds of at most 18 decimals.
    let price = to_wad(raw, decimals).ok()?;
    (!price.is_zero() && price.bit_len() <= 128).then_some(price)
}

/// The typed revert for a rejected round of `asset` read from `feed`:
/// `OracleFeedCallFailed(feed)` when there is no round, else
/// `OraclePriceRejected` with the reason and the round.
pub fn error(
    rejection: Rejection,
    asset: Address,
    feed: Address,
    round: Option<&Round>,
) -> OracleError {
    match round {
        Some(r) if rejection != Rejection::FeedCallFailed => {
            OracleError::PriceRejected(OraclePriceRejected {
                asset,
                reason: rejection.status(),
                roundId: r.round_id,
                answer: r.answer,
                updatedAt: r.updated_at,
            })
        }
        _ => OracleError::FeedCallFailed(OracleFeedCallFailed { feed }),
    }
}

#[cfg(test)]
// 8-decimal answers are written dollars_decimals: `3_000_00000000` is $3,000.
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use alloy_primitives::{address, keccak256};

    use super::*;

    const WAD: U256 = keel_math::WAD;

    fn cfg() -> AssetConfig {
        AssetConfig {
            feed: address!("00000000000000000000000000000000000000fe"),
            decimals: 8,
            heartbeat: 3_600,
            max_jump: 200_000_000_000_000_000, // 20 %
        }
    }

    fn round(id: u64, answer: i64, updated_at: u64) -> Round {
        Round {
            round_id: U80::from(id),
            answer: I256::try_from(answer).unwrap_or_else(|_| unreachable!("i64 fits")),
            started_at: U256::from(updated_at),
            updated_at: U256::from(updated_at),
            answered_in_round: U80::from(id),
        }
    }

    fn last(price_units: u64, updated_at: u64, id: u64) -> PriceState {
        PriceState {
            price: U256::from(price_units) * WAD,
            updated_at,
            round_id: U80::from(id),
        }
    }

    #[test]
    fn selectors_match_the_aggregator_interface() {
        assert_eq!(keccak256("latestRoundData()")[..4], LATEST_ROUND_DATA);
        assert_eq!(keccak256("decimals()")[..4], DECIMALS);
    }

    #[test]
    fn decode_reads_five_words() {
        let mut data = [0u8; 160];
        data[31] = 7; // roundId
        data[32..64].copy_from_slice(&I256::try_from(-5).unwrap_or_default().to_be_bytes::<32>());
        data[95] = 1; // startedAt
        data[127] = 2; // updatedAt
        data[159] = 7; // answeredInRound
        let r = Round::decode(&data).unwrap_or_else(|| panic!("well-formed"));
        assert_eq!(r.round_id, U80::from(7));
        assert_eq!(r.answer, I256::try_from(-5).unwrap_or_default());
        assert_eq!((r.started_at, r.updated_at), (U256::from(1), U256::from(2)));
        assert_eq!(r.answered_in_round, U80::from(7));
    }

    #[test]
    fn decode_rejects_short_data_and_oversized_round_ids() {
        assert_eq!(Round::decode(&[0u8; 159]), None);
        let mut data = [0u8; 160];
        data[21] = 1; // bit 80 of roundId
        assert_eq!(Round::decode(&data), None);
    }

    #[test]
    fn decode_decimals_rejects_values_above_uint8() {
        let mut data = [0u8; 32];
        data[31] = 8;
        assert_eq!(decode_decimals(&data), Some(8));
        data[30] = 1;
        assert_eq!(decode_decimals(&data), None);
        assert_eq!(decode_decimals(&[]), None);
    }

    #[test]
    fn valid_round_is_normalised_to_wad() {
        let r = round(2, 3_000_00000000, 1_000);
        assert_eq!(
            check(&r, &cfg(), Some(&last(2_900, 900, 1)), 1_000),
            Ok(U256::from(3_000) * WAD)
        );
    }

    #[test]
    fn eighteen_decimals_are_taken_as_they_are() {
        let mut c = cfg();
        c.decimals = 18;
        let r = round(1, 12_345, 1_000);
        assert_eq!(check(&r, &c, None, 1_000), Ok(U256::from(12_345)));
    }

    #[test]
    fn zero_and_negative_answers_are_invalid() {
        for answer in [0, -1, -3_000_00000000] {
            assert_eq!(
                check(&round(1, answer, 1_000), &cfg(), None, 1_000),
                Err(Rejection::InvalidAnswer)
            );
        }
    }

    #[test]
    fn answer_beyond_128_bits_of_wad_is_invalid() {
        let mut r = round(1, 1, 1_000);
        r.answer = I256::from_raw(U256::from(1) << 120); // * 1e10 > 2^128
        assert_eq!(
            check(&r, &cfg(), None, 1_000),
            Err(Rejection::InvalidAnswer)
        );
    }

    #[test]
    fn zero_updated_at_is_an_incomplete_round() {
        assert_eq!(
            check(&round(1, 100, 0), &cfg(), None, 10),
            Err(Rejection::IncompleteRound)
        );
    }

    #[test]
    fn answered_in_round_behind_the_round_is_incomplete() {
        let mut r = round(5, 100, 1_000);
        r.answered_in_round = U80::from(4);
        assert_eq!(
            check(&r, &cfg(), None, 1_000),
            Err(Rejection::IncompleteRound)
        );
    }

    #[test]
    fn future_timestamp_is_rejected() {
        assert_eq!(
            check(&round(1, 100, 1_001), &cfg(), None, 1_000),
            Err(Rejection::FutureTimestamp)
        );
    }

    #[test]
    fn age_equal_to_heartbeat_is_accepted_one_more_second_is_stale() {
        let r = round(1, 100, 1_000);
        assert!(check(&r, &cfg(), None, 4_600).is_ok());
        assert_eq!(check(&r, &cfg(), None, 4_601), Err(Rejection::StalePrice));
    }

    #[test]
    fn earlier_round_id_is_out_of_order() {
        let r = round(4, 3_000_00000000, 1_000);
        assert_eq!(
            check(&r, &cfg(), Some(&last(3_000, 900, 5)), 1_000),
            Err(Rejection::OutOfOrderRound)
        );
    }

    #[test]
    fn earlier_timestamp_is_out_of_order() {
        let r = round(6, 3_000_00000000, 800);
        assert_eq!(
            check(&r, &cfg(), Some(&last(3_000, 900, 5)), 1_000),
            Err(Rejection::OutOfOrderRound)
        );
    }

    #[test]
    fn the_last_accepted_round_itself_passes_the_guard() {
        let r = round(5, 3_000_00000000, 900);
        assert!(check(&r, &cfg(), Some(&last(3_000, 900, 5)), 1_000).is_ok());
    }

    #[test]
    fn jump_band_is_inclusive_in_both_directions() {
        let l = last(1_000, 900, 1);
        assert!(check(&round(2, 1_200_00000000, 1_000), &cfg(), Some(&l), 1_000).is_ok());
        assert!(check(&round(2, 800_00000000, 1_000), &cfg(), Some(&l), 1_000).is_ok());
        assert_eq!(
            check(&round(2, 1_200_00000001, 1_000), &cfg(), Some(&l), 1_000),
            Err(Rejection::PriceJump)
        );
        assert_eq!(
            check(&round(2, 799_99999999, 1_000), &cfg(), Some(&l), 1_000),
            Err(Rejection::PriceJump)
        );
    }

    #[test]
    fn without_a_last_price_neither_order_nor_band_is_checked() {
        assert!(check(&round(1, 1_000_000_00000000, 1_000), &cfg(), None, 1_000).is_ok());
    }

    #[test]
    fn status_codes_are_distinct_and_nonzero() {
        let all = [
            Rejection::FeedCallFailed,
            Rejection::IncompleteRound,
            Rejection::InvalidAnswer,
            Rejection::FutureTimestamp,
            Rejection::StalePrice,
            Rejection::OutOfOrderRound,
            Rejection::PriceJump,
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(a.status() > STATUS_UNKNOWN_ASSET);
            for b in &all[i + 1..] {
                assert_ne!(a.status(), b.status());
            }
        }
    }
}
