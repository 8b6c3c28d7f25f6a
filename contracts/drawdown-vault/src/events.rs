//! Events: one for every change of state.
//!
//! Declared here with `sol!` (names, signature hashes, and the tests' decoders); logged through
//! `DrawdownVault::emit`, one word-based encoder for all of them (see [`keel_common::abi`]).

use alloc::vec::Vec;

use alloy_primitives::B256;
use alloy_sol_types::sol;
use stylus_sdk::prelude::*;

use crate::DrawdownVault;

sol! {
    /// ERC-20: `value` shares moved from `from` to `to` (zero address: mint or burn).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// ERC-20: `spender` may move `value` of `owner`'s shares.
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// ERC-4626: `sender` paid `assets` quote for `shares` minted to `owner`.
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    /// ERC-4626: `sender` burnt `shares` of `owner` for `assets` quote sent to `receiver`.
    event Withdraw(
        address indexed sender,
        address indexed receiver,
        address indexed owner,
        uint256 assets,
        uint256 shares
    );
    /// The high-water mark or the drawdown band moved: NAV per share and the mark (WAD quote
    /// per share), the drawdown from the mark (WAD fraction) and the band (0 normal, 1 soft
    /// band, 2 halted).
    event Drawdown(uint256 navPerShare, uint256 highWaterMark, uint256 drawdown, uint8 band);
    /// A withdrawal shrank the position by `sizeDelta` (WAD base) at `fillPrice` so that the
    /// remaining holders' leverage does not rise.
    event Shrink(int256 sizeDelta, uint256 fillPrice);
    /// `keeper` moved the position by `sizeDelta` at `fillPrice` toward `target` (signed WAD
    /// notional) and was paid `tip` quote units.
    event Rebalance(address indexed keeper, int256 sizeDelta, uint256 fillPrice, int256 target, uint256 tip);
    /// An admin cleared the halt; the high-water mark restarts at `highWaterMark`.
    event Reset(uint256 highWaterMark);
    /// The strategist chose the direction and leverage (WAD) of the exposure.
    event Target(bool isLong, uint256 leverage);
    /// The pause bits are now `flags` (1: deposits, 2: risk-taking), set by `by`.
    event Pause(address indexed by, uint256 flags);
    /// `usr` became a ward (may call every admin function).
    event Rely(address indexed usr);
    /// `usr` is no longer a ward.
    event Deny(address indexed usr);
    /// A numeric parameter changed.
    event File(bytes32 indexed what, uint256 data);
    /// An address parameter changed (`strategist`, `guardian`).
    event FileAddress(bytes32 indexed what, address data);
}

impl DrawdownVault {
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
