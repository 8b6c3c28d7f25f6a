//! The L2 sequencer-uptime rule.
//!
//! Chainlink's uptime feed answers `0` while the sequencer is up and `1`
//! while it is down; `startedAt` is when the status last changed. While the
//! sequencer is down, and for a grace period after it comes back, users who
//! could not reach the chain had no chance to top up their margin, so it is
//! **not safe to add risk** (open positions, raise leverage). Prices stay
//! readable all the time: liquidations and de-risking must go on (Aave v3.7
//! removed its sentinel's block on liquidations because blocking them did
//! harm).

use alloy_primitives::{I256, U256};

use crate::feed::Round;

/// What the uptime feed says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SequencerStatus {
    /// The feed answers "up" (`0`).
    pub is_up: bool,
    /// Up, and the grace period since coming up has passed.
    pub safe_to_add_risk: bool,
    /// When the status last changed (`startedAt`), seconds; 0 if unknown.
    pub since: U256,
}

/// With no uptime feed configured (an L1, a local chain) the sequencer is
/// taken as always up.
pub const NO_FEED: SequencerStatus = SequencerStatus {
    is_up: true,
    safe_to_add_risk: true,
    since: U256::ZERO,
};

/// Evaluates an uptime-feed answer at block time `now` with `grace` seconds
/// of grace. Fails closed for adding risk: a failed call (`round == None`),
/// an answer other than 0/1, a zero `startedAt` (uninitialised round) or a
/// `startedAt` in the future all read as not safe. Safe needs strictly more
/// than `grace` seconds since the sequencer came up, as in Chainlink's
/// reference consumer.
pub fn evaluate(round: Option<&Round>, now: u64, grace: u64) -> SequencerStatus {
    let Some(round) = round else {
        return SequencerStatus {
            is_up: false,
            safe_to_add_risk: false,
            since: U256::ZERO,
        };
    };
    let is_up = round.answer == I256::ZERO;
    let since = round.started_at;
    let now = U256::from(now);
    let safe_to_add_risk =
        is_up && !since.is_zero() && since <= now && now - since > U256::from(grace);
    SequencerStatus {
        is_up,
        safe_to_add_risk,
        since,
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::aliases::U80;

    use super::*;

    fn status(answer: i64, started_at: u64) -> Round {
        Round {
            round_id: U80::from(1),
            answer: I256::try_from(answer).unwrap_or_else(|_| unreachable!("i64 fits")),
            started_at: U256::from(started_at),
            updated_at: U256::from(started_at),
            answered_in_round: U80::from(1),
        }
    }

    #[test]
    fn down_is_never_safe() {
        let s = evaluate(Some(&status(1, 1_000)), 1_000_000, 3_600);
        assert!(!s.is_up);
        assert!(!s.safe_to_add_risk);
        assert_eq!(s.since, U256::from(1_000));
    }

    #[test]
    fn up_inside_grace_is_not_safe() {
        let s = evaluate(Some(&status(0, 1_000)), 4_600, 3_600);
        assert!(s.is_up);
        assert!(!s.safe_to_add_risk);
    }

    #[test]
    fn up_after_grace_is_safe() {
        let s = evaluate(Some(&status(0, 1_000)), 4_601, 3_600);
        assert!(s.is_up && s.safe_to_add_risk);
    }

    #[test]
    fn zero_grace_is_safe_one_second_after_coming_up() {
        assert!(!evaluate(Some(&status(0, 1_000)), 1_000, 0).safe_to_add_risk);
        assert!(evaluate(Some(&status(0, 1_000)), 1_001, 0).safe_to_add_risk);
    }

    #[test]
    fn failed_call_reads_as_down() {
        let s = evaluate(None, 1_000, 0);
        assert!(!s.is_up && !s.safe_to_add_risk);
    }

    #[test]
    fn unknown_answer_reads_as_down() {
        assert!(!evaluate(Some(&status(2, 1)), 1_000_000, 0).is_up);
        assert!(!evaluate(Some(&status(-1, 1)), 1_000_000, 0).safe_to_add_risk);
    }

    #[test]
    fn uninitialised_or_future_started_at_is_not_safe() {
        assert!(!evaluate(Some(&status(0, 0)), 1_000_000, 0).safe_to_add_risk);
        assert!(!evaluate(Some(&status(0, 2_000)), 1_000, 0).safe_to_add_risk);
    }
}
