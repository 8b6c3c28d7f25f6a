//! Events of the RiskOracle: one for every state change, of two kinds.
//!
//! * [`PriceAccepted`]: the oracle's market state moved (a price was
//!   accepted and the volatility index updated).
//! * [`File`]: a setting changed. Maker's one-setter-one-event style,
//!   extended to every administrative change so that an indexer follows a
//!   single event: `asset` is the asset for per-asset settings and zero for
//!   global ones, `what` names the setting, `data` is its new value
//!   (addresses as `uint256(uint160(account))`, flags as 0/1).
//!
//! | `what` | asset | data |
//! |---|---|---|
//! | any [`Global`](crate::params::Global) name | zero | the value |
//! | `heartbeat`, `maxJump` | the asset | the value |
//! | `feed`, `decimals` | the asset | the feed, its decimals |
//! | `sequencerFeed` | zero | the uptime feed |
//! | `paused` | zero | 1 paused, 0 resumed |
//! | `pendingAdmin`, `admin`, `pendingGuardian`, `guardian` | zero | the account |

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::sol;

sol! {
    #![sol(all_derives)]

    /// A price was accepted for `asset` (by `poke`, or as the anchor of
    /// `setFeed`), and the volatility components now stand at `fastVolatility`
    /// and `slowVolatility` (annualised, WAD).
    event PriceAccepted(
        address indexed asset,
        uint80 roundId,
        uint256 price,
        uint256 updatedAt,
        uint256 fastVolatility,
        uint256 slowVolatility
    );
    /// Setting `what` (of `asset`, or global if zero) is now `data`.
    event File(address indexed asset, bytes32 indexed what, uint256 data);
}

/// A [`File`] event for an address-valued setting.
pub fn file_address(asset: Address, what: B256, account: Address) -> File {
    File {
        asset,
        what,
        data: U256::from_be_slice(account.as_slice()),
    }
}
