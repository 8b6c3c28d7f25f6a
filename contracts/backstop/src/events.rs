//! Events: one for every change of state.
//!
//! Declared here with `sol!` (names, signature hashes, and the tests' decoders); logged through
//! `Backstop::emit`, one word-based encoder for all of them (see [`keel_common::abi`]).

use alloc::vec::Vec;

use alloy_primitives::B256;
use alloy_sol_types::sol;
use stylus_sdk::prelude::*;

use crate::Backstop;

sol! {
    /// `usr` became a ward (may call every setter).
    event Rely(address indexed usr);
    /// `usr` is no longer a ward.
    event Deny(address indexed usr);
    /// A global numeric parameter changed.
    event File(bytes32 indexed what, uint256 data);
    /// A global address changed (`oracle`, `model`).
    event FileAddress(bytes32 indexed what, address data);
    /// A numeric parameter of `market` changed (`maxLot`, `limit`, `window`).
    event FileMarket(uint256 indexed market, bytes32 indexed what, uint256 data);
    /// `token` may (or may no longer) be seized and auctioned.
    event FileToken(address indexed token, bool auctionable);
    /// A tranche of `account`'s position in `market` was closed at `price`: `closed` is the
    /// size delta applied (opposite in sign to the position), `notional` its value (WAD, added
    /// to the market's rate-limit counter), `penalty` the WAD charged, of which `reward`
    /// (quote units) went to `keeper` and the rest to the insurance fund.
    event Liquidate(
        uint256 indexed account,
        uint256 indexed market,
        address indexed keeper,
        int256 closed,
        uint256 price,
        uint256 notional,
        uint256 penalty,
        uint256 reward
    );
    /// `lot` of `token` was seized from `account` and auction `id` kicked to raise `tab`
    /// (quote units); `keeper` (zero: none) earns the Liquidator's kick reward, paid from the
    /// fund.
    event Kick(
        uint256 indexed id,
        uint256 indexed account,
        address indexed token,
        uint256 lot,
        uint256 tab,
        address keeper
    );
    /// Auction `id` of `account` raised `raised` (quote units), `remainingTab` is still to
    /// raise, `closed` when it ended; `deposited` is false when the engine refused the deposit
    /// and the proceeds are held for the account (paid in at its next `settleBadDebt`).
    event Proceeds(
        uint256 indexed id,
        uint256 indexed account,
        uint256 raised,
        uint256 remainingTab,
        bool closed,
        bool deposited
    );
    /// The Liquidator reported proceeds of an auction the Backstop did not kick (or for
    /// another account); nothing was done with them.
    event UnknownAuction(uint256 indexed id, uint256 indexed account, uint256 raised);
    /// Held proceeds of `account` (quote units) were paid into it.
    event Released(uint256 indexed account, uint256 amount);
    /// The insurance fund paid `amount` quote units into `account` against its deficit.
    event Cover(uint256 indexed account, uint256 amount);
    /// `account`'s uncovered bad debt is now `debt` (WAD), recorded since `since`.
    event BadDebt(uint256 indexed account, uint256 debt, uint256 since);
    /// The pool absorbed `amount` WAD of `account`'s bad debt.
    event Socialise(uint256 indexed account, uint256 amount);
    /// `account`'s profitable position in `market` was auto-deleveraged by `closed` at
    /// `price`, realising `realised`; `haircut` WAD of it went to the insurance fund.
    event Adl(
        uint256 indexed account,
        uint256 indexed market,
        address indexed keeper,
        int256 closed,
        uint256 price,
        int256 realised,
        uint256 haircut
    );
}

impl Backstop {
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
