//! Mock Chainlink-style aggregator for Keel's tests and local scenarios.
//!
//! Implements the read side of `AggregatorV3Interface` (`decimals`,
//! `description`, `version`, `latestRoundData`, `getRoundData`) with owner
//! setters that let a scenario drive prices and craft bad rounds (stale,
//! zero, negative, out of order, `answeredInRound` behind the round).
//!
//! The same contract is the **L2 sequencer-uptime feed**: Chainlink's uptime
//! feed has this interface with `answer = 0` (up) or `1` (down) and
//! `startedAt` = the time the status last changed. Deploy it with
//! `decimals = 0` and drive it with [`MockPriceFeed::set_answer`]
//! (`0`/`1`); `startedAt` then records the status change.
//! Never deployed to production.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `no_std` only in the contract's wasm: a workspace build that generates abi/ turns on
// stylus-sdk's `export-abi`, whose `#[public]` output needs std in native builds.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "export-abi")), no_std)]

extern crate alloc;
extern crate keel_common;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{aliases::U80, Address, I256, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageI256, StorageMap, StorageString, StorageU256, StorageU8, StorageUint,
    },
};

sol! {
    /// Emitted for every new round (Chainlink's `AnswerUpdated`).
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
    /// Only the owner may set answers.
    error MockUnauthorized(address caller);
    /// `getRoundData` for a round that was never written.
    error MockNoDataPresent(uint80 roundId);
}

/// Every way a call to the mock feed can fail.
#[derive(SolidityError)]
pub enum FeedError {
    /// See [`MockUnauthorized`].
    Unauthorized(MockUnauthorized),
    /// See [`MockNoDataPresent`].
    NoDataPresent(MockNoDataPresent),
}

/// One round as `latestRoundData` reports it.
#[storage]
pub struct Round {
    answer: StorageI256,
    started_at: StorageU256,
    updated_at: StorageU256,
    answered_in_round: StorageUint<80, 2>,
}

/// `(roundId, answer, startedAt, updatedAt, answeredInRound)`, as Chainlink returns it.
pub type RoundData = (U80, I256, U256, U256, U80);

/// Storage of the mock feed.
#[storage]
#[entrypoint]
pub struct MockPriceFeed {
    decimals: StorageU8,
    description: StorageString,
    owner: StorageAddress,
    latest_round: StorageUint<80, 2>,
    rounds: StorageMap<U80, Round>,
}

#[public]
impl MockPriceFeed {
    /// Sets the answer's `decimals`, a `description` and the `owner` who may set answers.
    #[constructor]
    pub fn constructor(&mut self, decimals: u8, description: String, owner: Address) {
        self.decimals
            .set(alloy_primitives::Uint::<8, 1>::from(decimals));
        self.description.set_str(description);
        self.owner.set(owner);
    }

    /// Decimals of `answer`.
    pub fn decimals(&self) -> u8 {
        self.decimals.get().to::<u8>()
    }

    /// Human-readable name of the feed.
    pub fn description(&self) -> String {
        self.description.get_string()
    }

    /// Aggregator interface version.
    pub fn version(&self) -> U256 {
        U256::from(4)
    }

    /// The address allowed to set answers.
    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    /// The latest round. Before any answer it returns all zeros, as an
    /// uninitialised Chainlink proxy would: consumers must reject it.
    #[selector(name = "latestRoundData")]
    pub fn latest_round_data(&self) -> RoundData {
        self.round_data(self.latest_round.get())
    }

    /// A past round by id.
    ///
    /// # Errors
    /// `MockNoDataPresent` for a round that was never written.
    #[selector(name = "getRoundData")]
    pub fn get_round_data(&self, round_id: U80) -> Result<RoundData, FeedError> {
        let data = self.round_data(round_id);
        if data.3.is_zero() {
            return Err(FeedError::NoDataPresent(MockNoDataPresent {
                roundId: round_id,
            }));
        }
        Ok(data)
    }

    /// Publishes `answer` as a new round at the current block time
    /// (`startedAt = updatedAt = block.timestamp`, `answeredInRound = roundId`).
    ///
    /// # Errors
    /// `MockUnauthorized` for any caller but the owner.
    ///
    /// # Events
    /// [`AnswerUpdated`].
    #[selector(name = "setAnswer")]
    pub fn set_answer(&mut self, answer: I256) -> Result<(), FeedError> {
        self.only_owner()?;
        let round_id = self.latest_round.get() + U80::from(1);
        let now = U256::from(self.vm().block_timestamp());
        self.write_round(round_id, answer, now, now, round_id);
        Ok(())
    }

    /// Writes a round verbatim and makes it the latest, so tests can craft
    /// stale, future-dated, out-of-order or incomplete rounds.
    ///
    /// # Errors
    /// `MockUnauthorized` for any caller but the owner.
    ///
    /// # Events
    /// [`AnswerUpdated`].
    #[selector(name = "setRoundData")]
    pub fn set_round_data(
        &mut self,
        round_id: U80,
        answer: I256,
        started_at: U256,
        updated_at: U256,
        answered_in_round: U80,
    ) -> Result<(), FeedError> {
        self.only_owner()?;
        self.write_round(round_id, answer, started_at, updated_at, answered_in_round);
        Ok(())
    }
}

impl MockPriceFeed {
    fn only_owner(&self) -> Result<(), FeedError> {
        let caller = self.vm().msg_sender();
        if caller != self.owner.get() {
            return Err(FeedError::Unauthorized(MockUnauthorized { caller }));
        }
        Ok(())
    }

    fn round_data(&self, round_id: U80) -> RoundData {
        let round = self.rounds.getter(round_id);
        (
            round_id,
            round.answer.get(),
            round.started_at.get(),
            round.updated_at.get(),
            round.answered_in_round.get(),
        )
    }

    fn write_round(
        &mut self,
        round_id: U80,
        answer: I256,
        started_at: U256,
        updated_at: U256,
        answered_in_round: U80,
    ) {
        let mut round = self.rounds.setter(round_id);
        round.answer.set(answer);
        round.started_at.set(started_at);
        round.updated_at.set(updated_at);
        round.answered_in_round.set(answered_in_round);
        self.latest_round.set(round_id);
        self.vm().log(AnswerUpdated {
            current: answer,
            roundId: U256::from(round_id),
            updatedAt: updated_at,
        });
    }
}

#[cfg(test)]
mod tests;
