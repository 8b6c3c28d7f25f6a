//! Events: one for every change of state.
//!
//! Declared here with `sol!` (names, signature hashes, and the tests' decoders); logged through
//! [`Liquidator::emit`], one word-based encoder for all of them (see [`keel_common::abi`]).

use alloc::vec::Vec;

use alloy_primitives::B256;
use alloy_sol_types::sol;
use stylus_sdk::prelude::*;

use crate::Liquidator;

sol! {
    /// `usr` became a ward (may call every admin function and `kick`).
    event Rely(address indexed usr);
    /// `usr` is no longer a ward.
    event Deny(address indexed usr);
    /// A global numeric parameter changed (`Hole`, `stopped`).
    event File(bytes32 indexed what, uint256 data);
    /// A global address parameter changed (`oracle`, `guardian`).
    event FileAddress(bytes32 indexed what, address data);
    /// A numeric parameter of `asset` changed.
    event FileAsset(address indexed asset, bytes32 indexed what, uint256 data);
    /// `asset` was listed; `scale` is `18 + its decimals − the quote's decimals`.
    event Init(address indexed asset, uint8 scale);
    /// The guardian raised the stop level to `level`.
    event Stop(address indexed guardian, uint256 level);
    /// Auction `id` started: `engine` handed over `lot` of `asset` from margin account
    /// `account` to raise `tab`, starting at `top`; `keeper` was paid `coin` by the engine.
    event Kick(
        uint256 indexed id,
        address indexed asset,
        address indexed engine,
        uint256 account,
        address owner,
        address keeper,
        uint256 top,
        uint256 tab,
        uint256 lot,
        uint256 coin
    );
    /// `taker` bought `slice` of auction `id` at `price` for `owe`, sent to `receiver`;
    /// `tab` and `lot` are what is left.
    event Take(
        uint256 indexed id,
        address indexed taker,
        address indexed receiver,
        uint256 price,
        uint256 slice,
        uint256 owe,
        uint256 tab,
        uint256 lot
    );
    /// Auction `id` restarted at `top`; `keeper` was paid `coin` by the engine.
    event Redo(uint256 indexed id, address indexed keeper, uint256 top, uint256 tab, uint256 lot, uint256 coin);
    /// Auction `id` ended: `returned` collateral went back to the owner and `shortfall` of
    /// the tab was never raised (the engine books it as bad debt).
    event Close(uint256 indexed id, uint256 returned, uint256 shortfall);
}

impl Liquidator {
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
