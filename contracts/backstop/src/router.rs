//! The Backstop's ABI and its hand-written router (as the Liquidator's: the SDK's `#[public]`
//! router costs several KB of compressed code).

use alloc::{vec, vec::Vec};

use alloy_primitives::U256;
use alloy_sol_types::{sol, SolCall};
use keel_common::abi::{uints, words, Args, Word};
use stylus_sdk::{
    abi::Router,
    prelude::*,
    stylus_core::{host::MessageAccess, ConstructorGuard},
    ArbResult,
};

use crate::{calls::iword, Backstop, Error};

sol! {
    /// The Backstop's external interface (see the crate docs for each function). The first
    /// six functions are SPEC.md's `IBackstop`.
    interface IBackstop {
        /// Liquidates one tranche of a liquidatable `account`: closes part of its riskiest
        /// position at the oracle price, charges the penalty (paying `keeper` its share; zero
        /// address: none) and, if that leaves no positions and a negative quote balance, seizes
        /// collateral and kicks an auction. Anyone; returns the market closed in (0: none), the
        /// size delta applied (signed WAD base) and the penalty charged (WAD quote).
        function liquidate(uint256 account, address keeper) external returns (uint256 market, int256 closed, uint256 penalty);
        /// What `liquidate` would close now (the tranche only, not a seizure): the market, the
        /// size delta (signed WAD base) and the penalty (WAD quote); zeros when the account is
        /// not liquidatable or has no position, a zero size when `maxLot` or the rate limit
        /// leaves nothing to close in the market it names.
        function liquidationPreview(uint256 account) external view returns (uint256 market, int256 closeSize, uint256 penalty);
        /// The Liquidator's report on auction `id`: deposits `raised` quote units, already sent
        /// to the Backstop, into `account` and books the auction's end. Liquidator only; never
        /// reverts for it (an unknown auction is ignored with `UnknownAuction`, and proceeds the
        /// engine refuses are held for the account).
        function onAuctionProceeds(uint256 id, uint256 account, uint256 raised, uint256 remainingTab, bool closed) external;
        /// Auto-deleverages `account`'s profitable position in `market` at the oracle price, by
        /// just enough to bring traders' profit back to `adlRatio` of the pool's assets or to
        /// realise the uncovered bad debt (rounded down, at most `adlMax` notional, no flip).
        /// Anyone, while ADL is open; returns the size delta applied (signed WAD base).
        function adl(uint256 account, uint256 market) external returns (int256 closed);
        /// The insurance fund: the Backstop's quote token balance less the proceeds it holds
        /// for accounts, quote units.
        function insuranceFund() external view returns (uint256);
        /// Bad debt socialised (cumulative) plus bad debt recorded and not yet covered, WAD
        /// quote.
        function badDebt() external view returns (uint256);
        /// Runs the bad-debt waterfall for `account` (no positions, no running auction, no
        /// auctionable collateral left): the fund pays first; the rest is recorded as debt,
        /// which a settle socialises to the pool once it is `adlGrace` seconds old. Anyone;
        /// returns the quote units paid from the fund, WAD socialised and WAD still recorded.
        function settleBadDebt(uint256 account) external returns (uint256 covered, uint256 socialised, uint256 debt);
        /// Makes `usr` a ward. Wards only.
        function rely(address usr) external;
        /// Removes `usr` from the wards. Wards only.
        function deny(address usr) external;
        /// Whether `usr` is a ward.
        function wards(address usr) external view returns (bool);
        /// Sets the global parameter `what` to `data` within its bounds: `targetHealth`,
        /// `penalty`, `keeperShare`, `adlRatio`, `adlMax` (WAD), `keeperCap` (quote units) or
        /// `adlGrace` (seconds). Wards only.
        function file(bytes32 what, uint256 data) external;
        /// Sets the `oracle` or the `model` address. Wards only.
        function fileAddress(bytes32 what, address data) external;
        /// Sets the parameter `what` of `market` to `data`: `maxLot` or `limit` (WAD notional)
        /// or `window` (seconds); 0 turns that bound (`limit`, `window`: the rate limit) off.
        /// Wards only.
        function fileMarket(uint256 market, bytes32 what, uint256 data) external;
        /// Adds `token` to (or removes it from) the collateral the Backstop seizes and
        /// auctions; adding needs a non-quote token the Liquidator has listed, with at most 18
        /// decimals, and at most 8 tokens. Idempotent; wards only.
        function fileToken(address token, bool auctionable) external;
        /// The account of auction `id` if the Backstop kicked it and it is running, else 0.
        function auctions(uint256 id) external view returns (uint256 account);
        /// The configuration: the contracts it calls; `targetHealth`, `penalty`, `keeperShare`,
        /// `adlRatio`, `adlMax` (WAD); `keeperCap` (quote units); `adlGrace` (seconds); and
        /// `quoteUnit`, WAD per quote token unit (`10^(18 - decimals)`).
        function config() external view returns (
            address engine,
            address liquidator,
            address quote,
            address oracle,
            address model,
            uint256 targetHealth,
            uint256 penalty,
            uint256 keeperShare,
            uint256 keeperCap,
            uint256 adlRatio,
            uint256 adlMax,
            uint256 adlGrace,
            uint256 quoteUnit
        );
        /// The debt ledger: bad debt recorded and not yet covered (WAD), bad debt socialised
        /// ever (WAD), and auction proceeds held for accounts (quote units).
        function debts() external view returns (uint256 outstanding, uint256 socialised, uint256 held);
        /// `market`'s bounds and rate-limit counter: `maxLot`, `limit` (WAD notional),
        /// `window` (seconds), the current and previous buckets (WAD notional) and the time
        /// the current bucket started.
        function market(uint256 market) external view returns (
            uint256 maxLot,
            uint256 limit,
            uint256 window,
            uint256 current,
            uint256 previous,
            uint256 start
        );
        /// What the Backstop holds for `account`: the tab under auction (quote units), running
        /// auctions, held proceeds (quote units), recorded bad debt (WAD) and since when.
        function account(uint256 account) external view returns (
            uint256 tab,
            uint256 auctions,
            uint256 held,
            uint256 debt,
            uint256 since
        );
        /// The auctionable collateral tokens, in no particular order.
        function tokens() external view returns (address[] tokens);
    }
}

/// A call's return data or its revert data.
fn ret(result: Result<Vec<u8>, Error>) -> ArbResult {
    result.map_err(Vec::from)
}

impl Backstop {
    /// Runs the function `selector` names; `None` for an unknown selector or malformed
    /// arguments (the SDK then reverts with empty data).
    fn dispatch(&mut self, selector: [u8; 4], a: Args<'_>) -> Option<ArbResult> {
        use IBackstop as I;
        let none = |()| Vec::new();
        let out = match selector {
            I::liquidateCall::SELECTOR => ret(self
                .liquidate(a.uint(0)?, a.address(1)?)
                .map(|(m, c, p)| words(&[m.word(), iword(c), p.word()]))),
            I::liquidationPreviewCall::SELECTOR => ret(self
                .liquidation_preview(a.uint(0)?)
                .map(|(m, c, p)| words(&[m.word(), iword(c), p.word()]))),
            I::onAuctionProceedsCall::SELECTOR => {
                let (id, account, raised, tab) = (a.uint(0)?, a.uint(1)?, a.uint(2)?, a.uint(3)?);
                let closed = a.uint(4)?;
                if closed > U256::from(1) {
                    return None;
                }
                ret(self
                    .on_auction_proceeds(id, account, raised, tab, !closed.is_zero())
                    .map(none))
            }
            I::adlCall::SELECTOR => {
                ret(self.adl(a.uint(0)?, a.uint(1)?).map(|c| words(&[iword(c)])))
            }
            I::insuranceFundCall::SELECTOR => ret(self.insurance_fund().map(|f| uints(&[f]))),
            I::badDebtCall::SELECTOR => Ok(uints(&[self.bad_debt()])),
            I::settleBadDebtCall::SELECTOR => ret(self
                .settle_bad_debt(a.uint(0)?)
                .map(|(c, s, d)| uints(&[c, s, d]))),
            I::relyCall::SELECTOR => ret(self.rely(a.address(0)?).map(none)),
            I::denyCall::SELECTOR => ret(self.deny(a.address(0)?).map(none)),
            I::wardsCall::SELECTOR => Ok(words(&[self.wards(a.address(0)?).word()])),
            I::fileCall::SELECTOR => ret(self.file(a.word(0)?, a.uint(1)?).map(none)),
            I::fileAddressCall::SELECTOR => {
                ret(self.file_address(a.word(0)?, a.address(1)?).map(none))
            }
            I::fileMarketCall::SELECTOR => ret(self
                .file_market(a.uint(0)?, a.word(1)?, a.uint(2)?)
                .map(none)),
            I::fileTokenCall::SELECTOR => {
                let flag = a.uint(1)?;
                if flag > U256::from(1) {
                    return None;
                }
                ret(self.file_token(a.address(0)?, !flag.is_zero()).map(none))
            }
            I::auctionsCall::SELECTOR => Ok(uints(&[self.auctions(a.uint(0)?)])),
            I::configCall::SELECTOR => Ok(uints(&self.config())),
            I::debtsCall::SELECTOR => Ok(uints(&self.debts())),
            I::marketCall::SELECTOR => Ok(uints(&self.market(a.uint(0)?))),
            I::accountCall::SELECTOR => Ok(uints(&self.account(a.uint(0)?))),
            I::tokensCall::SELECTOR => {
                let tokens = self.tokens();
                let mut out = uints(&[U256::from(32), U256::from(tokens.len())]);
                for token in tokens {
                    out.extend_from_slice(token.word().as_slice());
                }
                Ok(out)
            }
            _ => return None,
        };
        Some(out)
    }
}

impl Router<Backstop> for Backstop {
    type Storage = Backstop;

    fn route(storage: &mut Backstop, selector: u32, input: &[u8]) -> Option<ArbResult> {
        // Nothing is payable.
        if !storage.vm().msg_value().is_zero() {
            return Some(Err(vec![]));
        }
        storage.dispatch(selector.to_be_bytes(), Args(input))
    }

    fn receive(_storage: &mut Backstop) -> Option<Result<(), Vec<u8>>> {
        None
    }

    fn fallback(_storage: &mut Backstop, _calldata: &[u8]) -> Option<ArbResult> {
        None
    }

    fn constructor(storage: &mut Backstop, input: &[u8]) -> Option<ArbResult> {
        if !storage.vm().msg_value().is_zero() {
            return Some(Err(vec![]));
        }
        if let Err(e) = storage.check_constructor_slot() {
            return Some(Err(e));
        }
        let a = Args(input);
        let (engine, liquidator, quote) = (a.address(0)?, a.address(1)?, a.address(2)?);
        let (oracle, model, admin) = (a.address(3)?, a.address(4)?, a.address(5)?);
        Some(ret(storage
            .constructor(engine, liquidator, quote, oracle, model, admin)
            .map(|()| Vec::new())))
    }
}
