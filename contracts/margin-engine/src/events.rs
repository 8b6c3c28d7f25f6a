//! Events: one for every change of state.
//!
//! Declared with `sol!` (names, signature hashes, and the tests' decoders); logged through
//! [`MarginEngine::emit`], one word-based encoder for all of them (see [`keel_common::abi`]).

use alloc::vec::Vec;

use alloy_primitives::B256;
use alloy_sol_types::sol;
use stylus_sdk::prelude::*;

use crate::MarginEngine;

sol! {
    /// `usr` became a ward.
    event Rely(address indexed usr);
    /// `usr` is no longer a ward.
    event Deny(address indexed usr);
    /// A global parameter changed (addresses are given as numbers).
    event File(bytes32 indexed what, uint256 data);
    /// `token` was listed as collateral with index `index` and its `decimals`; a
    /// `FileCollateral` for each of its parameters follows.
    event CollateralListed(address indexed token, uint256 index, uint256 decimals);
    /// A parameter of collateral `token` changed.
    event FileCollateral(address indexed token, bytes32 indexed what, uint256 data);
    /// Market `market` was listed on RiskOracle asset `asset`.
    event MarketListed(uint256 indexed market, address indexed asset);
    /// A parameter of `market` changed.
    event FileMarket(uint256 indexed market, bytes32 indexed what, uint256 data);
    /// Account `account` was opened for `owner`.
    event AccountOpened(uint256 indexed account, address indexed owner);
    /// The owner of `account` approved (or revoked) `operator`.
    event OperatorSet(uint256 indexed account, address indexed operator, bool approved);
    /// `from` deposited `amount` token units of `token` into `account`.
    event Deposited(uint256 indexed account, address indexed token, address from, uint256 amount);
    /// `amount` token units of `token` left `account` for `to`.
    event Withdrawn(uint256 indexed account, address indexed token, address to, uint256 amount);
    /// `account` traded `sizeDelta` in `market` at `fillPrice`, paid `fee` (WAD) and realised
    /// `realisedPnl` (WAD) against the pool.
    event Traded(
        uint256 indexed account,
        uint256 indexed market,
        int256 sizeDelta,
        uint256 fillPrice,
        uint256 fee,
        int256 realisedPnl
    );
    /// `sender` deposited `assets` quote token units into the pool for `shares` of `receiver`.
    event PoolDeposited(address indexed sender, address indexed receiver, uint256 assets, uint256 shares);
    /// `owner` redeemed `shares` for `assets` quote token units sent to `receiver`.
    event PoolRedeemed(address indexed owner, address indexed receiver, uint256 shares, uint256 assets);
    /// A ward closed `sizeDelta` of `account`'s position in `market` at `price`.
    event Confiscated(
        uint256 indexed account,
        uint256 indexed market,
        int256 sizeDelta,
        uint256 price,
        int256 realisedPnl
    );
    /// A ward debited `amount` (WAD) from `account`'s quote balance and sent `paid` quote
    /// token units to `to` (the dust went to the pool).
    event Charged(uint256 indexed account, address indexed to, uint256 amount, uint256 paid);
    /// A ward moved `amount` token units of `token` from `account` to `to`.
    event Seized(uint256 indexed account, address indexed token, address to, uint256 amount);
    /// The pool's ledger paid `amount` (WAD) into `account` (bad debt).
    event Socialised(uint256 indexed account, uint256 amount);
}

impl MarginEngine {
    /// Logs an event of only static fields: `topics` are its signature hash and indexed
    /// fields, `data` its other fields, each in declaration order.
    pub(crate) fn emit(&self, topics: &[B256], data: &[B256]) {
        let mut bytes = Vec::with_capacity(32 * data.len());
        for word in data {
            bytes.extend_from_slice(word.as_slice());
        }
        // Cannot fail: every event has at most four topics.
        let _ = self.vm().raw_log(topics, &bytes);
    }
}
