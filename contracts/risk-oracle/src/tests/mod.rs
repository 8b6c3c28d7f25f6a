//! Contract-level specification tests on stylus-test's VM, one file per
//! concern. Feeds are mocked per call ([`vm::FeedVm`]).
// Prices are written dollars_cents: `3_000_00` is $3,000.00.
#![allow(clippy::inconsistent_digit_grouping)]

mod admin;
mod listing;
mod poke;
mod prices;
mod sequencer_feed;
mod views;
mod vm;

use alloy_primitives::{address, aliases::U80, Address, B256, I256, U256};
use alloy_sol_types::SolEvent;

use self::vm::FeedVm;
use crate::{feed, params::name, RiskOracle};

pub(crate) const ADMIN: Address = address!("00000000000000000000000000000000000000a1");
pub(crate) const GUARDIAN: Address = address!("00000000000000000000000000000000000000a2");
pub(crate) const KEEPER: Address = address!("00000000000000000000000000000000000000a3");
pub(crate) const MALLORY: Address = address!("00000000000000000000000000000000000000e5");
/// The asset key (e.g. the WETH token address).
pub(crate) const WETH: Address = address!("0000000000000000000000000000000000000e7f");
/// WETH's Chainlink-style feed, 8 decimals.
pub(crate) const FEED: Address = address!("00000000000000000000000000000000000000fe");
/// The L2 sequencer-uptime feed.
pub(crate) const UPTIME: Address = address!("00000000000000000000000000000000000000f5");
/// Block time at deployment.
pub(crate) const T0: u64 = 1_700_000_000;
/// One WAD.
pub(crate) const WAD: U256 = keel_math::WAD;
/// Heartbeat used when listing: one hour.
pub(crate) const HEARTBEAT: u64 = 3_600;
/// Jump band used when listing: 20 %.
pub(crate) const MAX_JUMP: u64 = 200_000_000_000_000_000;

/// An 8-decimal feed answer for `dollars` (hundredths allowed via cents).
pub(crate) fn answer_cents(cents: i64) -> I256 {
    I256::try_from(cents).unwrap_or_else(|_| unreachable!("i64 fits"))
        * I256::try_from(1_000_000).unwrap_or_default()
}

/// ABI return of `latestRoundData()`.
pub(crate) fn round_data(
    round_id: u64,
    answer: I256,
    started_at: u64,
    updated_at: u64,
    answered_in_round: u64,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(160);
    out.extend_from_slice(&U256::from(round_id).to_be_bytes::<32>());
    out.extend_from_slice(&answer.to_be_bytes::<32>());
    out.extend_from_slice(&U256::from(started_at).to_be_bytes::<32>());
    out.extend_from_slice(&U256::from(updated_at).to_be_bytes::<32>());
    out.extend_from_slice(&U256::from(answered_in_round).to_be_bytes::<32>());
    out
}

/// A deployed oracle on a [`FeedVm`].
pub(crate) struct Env {
    pub(crate) vm: FeedVm,
    pub(crate) oracle: RiskOracle,
}

impl Env {
    /// Deployed by `ADMIN` with `GUARDIAN`, at `T0`, caller `ADMIN`; `FEED`
    /// has 8 decimals and no round yet.
    pub(crate) fn new() -> Self {
        let vm = FeedVm::default();
        vm.vm.set_block_timestamp(T0);
        vm.vm.set_sender(ADMIN);
        let mut oracle = RiskOracle::from(&vm);
        oracle
            .constructor(ADMIN, GUARDIAN)
            .unwrap_or_else(|e| panic!("constructor: {e:?}"));
        let env = Self { vm, oracle };
        env.decimals(FEED, 8);
        env
    }

    /// `new()` plus WETH listed at $3,000 (round 1 at `T0`), heartbeat one
    /// hour, band 20 %.
    pub(crate) fn listed() -> Self {
        let mut env = Self::new();
        env.set_price(FEED, 1, 3_000_00, T0);
        env.oracle
            .set_feed(WETH, FEED, U256::from(HEARTBEAT), U256::from(MAX_JUMP))
            .unwrap_or_else(|e| panic!("setFeed: {e:?}"));
        env.clear_logs();
        env
    }

    /// Makes `who` the caller of the next calls.
    pub(crate) fn caller(&self, who: Address) {
        self.vm.vm.set_sender(who);
    }

    /// Sets the block time.
    pub(crate) fn at(&self, t: u64) {
        self.vm.vm.set_block_timestamp(t);
    }

    /// `feed.decimals()` answers `d`.
    pub(crate) fn decimals(&self, feed: Address, d: u8) {
        self.vm.answer(
            feed,
            &feed::DECIMALS,
            Ok(U256::from(d).to_be_bytes::<32>().to_vec()),
        );
    }

    /// `feed.latestRoundData()` answers a complete round `id` with `cents`
    /// (8 decimals) written at `updated_at`.
    pub(crate) fn set_price(&self, feed: Address, id: u64, cents: i64, updated_at: u64) {
        self.set_round(
            feed,
            round_data(id, answer_cents(cents), updated_at, updated_at, id),
        );
    }

    /// `feed.latestRoundData()` answers the raw `data`.
    pub(crate) fn set_round(&self, feed: Address, data: Vec<u8>) {
        self.vm.answer(feed, &feed::LATEST_ROUND_DATA, Ok(data));
    }

    /// `feed.latestRoundData()` reverts.
    pub(crate) fn revert_round(&self, feed: Address) {
        self.vm
            .answer(feed, &feed::LATEST_ROUND_DATA, Err(Vec::new()));
    }

    /// Forgets the logs emitted so far.
    pub(crate) fn clear_logs(&self) {
        // `clear_mocks` also clears logs; our feed answers live in FeedVm.
        self.vm.vm.clear_mocks();
    }

    /// Every log emitted since the last clear, decoded as `E` where the
    /// signature matches.
    pub(crate) fn events<E: SolEvent>(&self) -> Vec<E> {
        self.vm
            .vm
            .get_emitted_logs()
            .into_iter()
            .filter(|(topics, _)| topics.first() == Some(&E::SIGNATURE_HASH))
            .map(|(topics, data)| {
                E::decode_raw_log(topics.iter().copied(), &data)
                    .unwrap_or_else(|e| panic!("decode: {e:?}"))
            })
            .collect()
    }

    /// Number of logs emitted since the last clear.
    pub(crate) fn log_count(&self) -> usize {
        self.vm.vm.get_emitted_logs().len()
    }

    /// The account holding the role `what` (`admin`, `pendingAdmin`,
    /// `guardian`, `pendingGuardian`).
    pub(crate) fn account(&self, what: &str) -> Address {
        let (admin, pending_admin, guardian, pending_guardian) = self.oracle.roles();
        match what {
            "admin" => admin,
            "pendingAdmin" => pending_admin,
            "guardian" => guardian,
            _ => pending_guardian,
        }
    }

    /// `paused()`.
    pub(crate) fn is_paused(&self) -> bool {
        self.oracle.paused()
    }

    /// `parameter(what)` by name.
    pub(crate) fn param(&self, what: &str) -> U256 {
        self.oracle
            .parameter(name(what))
            .unwrap_or_else(|e| panic!("parameter {what}: {e:?}"))
    }
}

/// `OraclePriceRejected` for WETH with `reason` and the round's data.
pub(crate) fn rejected(
    reason: u8,
    id: u64,
    answer: I256,
    updated_at: u64,
) -> crate::errors::OracleError {
    crate::errors::OracleError::PriceRejected(crate::errors::OraclePriceRejected {
        asset: WETH,
        reason,
        roundId: U80::from(id),
        answer,
        updatedAt: U256::from(updated_at),
    })
}

/// Whether `result` is an `OraclePriceRejected` with `reason`.
pub(crate) fn is_rejected<T>(result: &Result<T, crate::errors::OracleError>, reason: u8) -> bool {
    matches!(result, Err(crate::errors::OracleError::PriceRejected(e)) if e.reason == reason)
}

/// Round id as `uint80`.
pub(crate) fn rid(id: u64) -> U80 {
    U80::from(id)
}

/// A `bytes32` parameter name.
pub(crate) fn what(text: &str) -> B256 {
    name(text)
}
