//! Keel RiskOracle: the guarded price and volatility store.
//!
//! * **Guarded prices.** Each asset reads a Chainlink-style feed. A round is
//!   accepted only if it is complete, positive, not from the future, within
//!   the asset's heartbeat, not older than the last accepted round and within
//!   `maxJump` of the last accepted price ([`feed::check`]). A rejected round
//!   never replaces the last accepted price: [`RiskOracle::price`] reverts
//!   with the reason, [`RiskOracle::price_data`] returns the last accepted
//!   price with `isValid = false`, its age and a status code.
//! * **Sequencer.** An L2 sequencer-uptime feed with a grace period decides
//!   whether it is safe to *add* risk ([`RiskOracle::sequencer_status`]);
//!   prices stay readable so that liquidations never stop.
//! * **Volatility index.** The permissionless [`RiskOracle::poke`] accepts
//!   the feed's latest price when valid and new, and moves a time-aware EWMA
//!   of squared log returns with a fast and a slow decay ([`ewma`]); the
//!   index is the larger component, and it moves at most `maxVolRate` per
//!   second.
//! * **Administration.** `file(what, data)` / `fileAsset(asset, what, data)`
//!   for numbers (Maker style, bounded), `setFeed` and `setSequencerFeed` for
//!   addresses, every change one [`events::File`] event; the guardian may
//!   only pause `poke`; both roles move in two steps (`proposeRole`,
//!   `acceptRole`).
//!
//! The margin and probability maths live in the stateless companion
//! contract `RiskModel` (crate `keel-risk-model`), which reads the index and
//! the margin parameters from here through [`RiskOracle::margin_inputs`]:
//! together the two would not fit one contract's code-size limit.
//!
//! All values are WAD (`1e18` = 1); times are seconds; volatilities are
//! annualised over 365 days.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
// With `export-abi`, the SDK adds an undocumented `print_from_args` (native builds only).
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
// Solidity errors are returned by value, as the SDK's router expects them.
#![allow(clippy::result_large_err)]

extern crate alloc;
extern crate keel_common;

pub mod errors;
pub mod events;
pub mod ewma;
pub mod feed;
pub mod layout;
pub mod params;
pub mod sequencer;

use alloc::{vec, vec::Vec};

use alloy_primitives::{aliases::U80, Address, B256, U256};
use stylus_sdk::{
    call::static_call,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap},
};

use crate::{
    errors::{
        OracleError, OracleFeedCallFailed, OracleNotPaused, OraclePaused, OracleUnknownParameter,
        OracleZeroAddress,
    },
    events::{file_address, File, PriceAccepted},
    ewma::VolParams,
    feed::{Rejection, Round, STATUS_UNKNOWN_ASSET, STATUS_VALID},
    layout::{AssetConfig, PriceState, VolState},
    params::{
        setting, within, AssetParam, Global, MAX_FEED_DECIMALS, PAUSED_BYTE, SEQUENCER_FEED_WORD,
    },
};

/// The three packed words of one asset (see [`layout`]).
#[storage]
pub struct AssetSlots {
    config: StorageB256,
    price: StorageB256,
    vol: StorageB256,
}

/// Storage of the RiskOracle. The global parameters live in three packed
/// words grouped by reader ([`Global::place`]) so that each operation loads
/// one: `poke` word 0 (with the pause flag), the margin views word 1, the
/// sequencer check word 2 (with the uptime feed).
#[storage]
#[entrypoint]
pub struct RiskOracle {
    poke_word: StorageB256,
    margin_word: StorageB256,
    sequencer_word: StorageB256,
    admin: StorageAddress,
    pending_admin: StorageAddress,
    guardian: StorageAddress,
    pending_guardian: StorageAddress,
    assets: StorageMap<Address, AssetSlots>,
}

#[public]
impl RiskOracle {
    /// Sets the roles and every global parameter to its default
    /// ([`Global::default_value`]). `guardian` may be zero (no guardian: only
    /// the admin can pause).
    ///
    /// # Errors
    /// `OracleZeroAddress` if `admin` is zero.
    ///
    /// # Events
    /// [`File`] `admin` and, if set, `guardian`.
    #[constructor]
    pub fn constructor(&mut self, admin: Address, guardian: Address) -> Result<(), OracleError> {
        if admin.is_zero() {
            return Err(OracleError::ZeroAddress(OracleZeroAddress {}));
        }
        for p in Global::ALL {
            self.set_global(p, p.default_value());
        }
        self.admin.set(admin);
        self.vm()
            .log(file_address(Address::ZERO, setting::ADMIN, admin));
        if !guardian.is_zero() {
            self.guardian.set(guardian);
            self.vm()
                .log(file_address(Address::ZERO, setting::GUARDIAN, guardian));
        }
        Ok(())
    }

    // ------------------------------------------------------------------
    // Prices
    // ------------------------------------------------------------------

    /// The asset's live price (WAD) if the feed's latest round passes the
    /// guard; reverts with the reason otherwise. Works while the sequencer is
    /// down: liquidations need it.
    ///
    /// # Errors
    /// `OracleUnknownAsset`; `OracleFeedCallFailed`; `OraclePriceRejected`
    /// with the reason (the status codes of [`Self::price_data`]).
    pub fn price(&self, asset: Address) -> Result<U256, OracleError> {
        let (cfg, last) = self.listed(asset)?;
        let now = self.vm().block_timestamp();
        let round = self.read_round(cfg.feed);
        self.guard(asset, &cfg, &last, round.as_ref(), now)
    }

    /// Never reverts. `(price, isValid, age, status)`: the live price, `true`,
    /// its age in seconds and status 0 when the feed's latest round passes the
    /// guard; otherwise the **last accepted** price, `false`, that price's age
    /// and why the live round was rejected (2 feed call failed, 3 incomplete
    /// round, 4 invalid answer, 5 future timestamp, 6 stale, 7 out of order,
    /// 8 price jump). An unknown asset gives `(0, false, 0, 1)`.
    #[selector(name = "priceData")]
    pub fn price_data(&self, asset: Address) -> (U256, bool, U256, u8) {
        let Ok((cfg, last)) = self.listed(asset) else {
            return (U256::ZERO, false, U256::ZERO, STATUS_UNKNOWN_ASSET);
        };
        let now = self.vm().block_timestamp();
        let round = self.read_round(cfg.feed);
        let checked = match &round {
            Some(r) => feed::check(r, &cfg, Some(&last), now).map(|p| (p, r.updated_at)),
            None => Err(Rejection::FeedCallFailed),
        };
        match checked {
            Ok((price, updated_at)) => (price, true, U256::from(now) - updated_at, STATUS_VALID),
            Err(why) => (
                last.price,
                false,
                U256::from(now.saturating_sub(last.updated_at)),
                why.status(),
            ),
        }
    }

    /// `(isUp, safeToAddRisk, since)` from the L2 sequencer-uptime feed:
    /// adding risk (opening positions, raising leverage) is safe only when the
    /// sequencer is up and `gracePeriod` seconds have passed since it came
    /// back (`since`, the feed's `startedAt`). A failed or malformed feed
    /// call reads as down. With no feed set: `(true, true, 0)`.
    #[selector(name = "sequencerStatus")]
    pub fn sequencer_status(&self) -> (bool, bool, U256) {
        let word = self.word(SEQUENCER_FEED_WORD);
        let feed = Address::from_slice(&word[..20]);
        let status = if feed.is_zero() {
            sequencer::NO_FEED
        } else {
            let grace = param(&word, Global::GracePeriod).to::<u64>();
            sequencer::evaluate(
                self.read_round(feed).as_ref(),
                self.vm().block_timestamp(),
                grace,
            )
        };
        (status.is_up, status.safe_to_add_risk, status.since)
    }

    // ------------------------------------------------------------------
    // Volatility index
    // ------------------------------------------------------------------

    /// Permissionless. Accepts the feed's latest round if it passes the guard
    /// and is newer than the last accepted one, and moves the volatility index
    /// with the sample it gives (see [`ewma`]). Returns the new index.
    ///
    /// # Errors
    /// `OraclePaused`; `OracleUnknownAsset`; any rejection of [`Self::price`];
    /// `OracleNoNewPrice` if the latest round is the last accepted one or
    /// carries the same timestamp (no time passed, no sample).
    ///
    /// # Events
    /// [`PriceAccepted`].
    pub fn poke(&mut self, asset: Address) -> Result<U256, OracleError> {
        let globals = self.word(0);
        if globals[PAUSED_BYTE] != 0 {
            return Err(OracleError::Paused(OraclePaused {}));
        }
        let (cfg, last) = self.listed(asset)?;
        let now = self.vm().block_timestamp();
        let round = self.read_round(cfg.feed);
        let price = self.guard(asset, &cfg, &last, round.as_ref(), now)?;
        // SAFETY: `guard` succeeded, so the round was read.
        let round = round.unwrap_or_else(|| unreachable!());
        let updated_at = round.updated_at.to::<u64>(); // <= now: fits
        if round.round_id == last.round_id || updated_at == last.updated_at {
            return Err(OracleError::no_new_price(asset, round.round_id));
        }
        let params = VolParams {
            fast_decay: param(&globals, Global::FastDecay),
            slow_decay: param(&globals, Global::SlowDecay),
            max_rate: param(&globals, Global::MaxVolRate),
        };
        let mut slots = self.assets.setter(asset);
        let vol = VolState::unpack(slots.vol.get());
        // Strictly positive: the guard rejects rounds older than `last`.
        let dt = updated_at - last.updated_at;
        let (fast, slow) = ewma::update(vol.fast, vol.slow, last.price, price, dt, &params)?;
        let accepted = PriceState {
            price,
            updated_at,
            round_id: round.round_id,
        };
        let vol = VolState {
            fast,
            slow,
            updated_at,
        };
        slots.price.set(accepted.pack());
        slots.vol.set(vol.pack());
        self.vm().log(accepted_event(asset, &accepted, &vol));
        Ok(vol.index())
    }

    /// `(index, fast, slow, updatedAt)`: the volatility index of `asset`
    /// (annualised, WAD), its two components and the feed time of the price
    /// that last moved them (or of the listing). One storage read.
    ///
    /// # Errors
    /// `OracleUnknownAsset`.
    #[selector(name = "volatilityState")]
    pub fn volatility_state(
        &self,
        asset: Address,
    ) -> Result<(U256, U256, U256, U256), OracleError> {
        let v = self.vol_state(asset)?;
        Ok((v.index(), v.fast, v.slow, U256::from(v.updated_at)))
    }

    /// `(volatility, k, mmFloor, imMultiplier, liqHorizon)`: what the
    /// margin maths of `RiskModel` needs, in one call and two storage reads.
    ///
    /// # Errors
    /// `OracleUnknownAsset`.
    #[selector(name = "marginInputs")]
    pub fn margin_inputs(
        &self,
        asset: Address,
    ) -> Result<(U256, U256, U256, U256, U256), OracleError> {
        let vol = self.vol_state(asset)?.index();
        let word = self.word(1);
        Ok((
            vol,
            param(&word, Global::K),
            param(&word, Global::MmFloor),
            param(&word, Global::ImMultiplier),
            param(&word, Global::LiqHorizon),
        ))
    }

    // ------------------------------------------------------------------
    // Administration
    // ------------------------------------------------------------------

    /// Sets the global parameter `what` (see [`Global`]) to `data`.
    ///
    /// # Errors
    /// `OracleUnauthorized` unless the caller is the admin;
    /// `OracleUnknownParameter`; `OracleParameterOutOfBounds`.
    ///
    /// # Events
    /// [`File`] `(0, what, data)`.
    pub fn file(&mut self, what: B256, data: U256) -> Result<(), OracleError> {
        self.only_admin()?;
        let p = Global::from_name(what).ok_or(OracleError::UnknownParameter(
            OracleUnknownParameter { what },
        ))?;
        if !within(p.bounds(), data) {
            return Err(OracleError::out_of_bounds(what, data, p.bounds()));
        }
        self.set_global(p, data);
        self.vm().log(File {
            asset: Address::ZERO,
            what,
            data,
        });
        Ok(())
    }

    /// Sets the parameter `what` (`heartbeat` or `maxJump`) of a listed
    /// `asset` to `data`.
    ///
    /// # Errors
    /// `OracleUnauthorized` unless the caller is the admin;
    /// `OracleUnknownAsset`; `OracleUnknownParameter`;
    /// `OracleParameterOutOfBounds`.
    ///
    /// # Events
    /// [`File`] `(asset, what, data)`.
    #[selector(name = "fileAsset")]
    pub fn file_asset(
        &mut self,
        asset: Address,
        what: B256,
        data: U256,
    ) -> Result<(), OracleError> {
        self.only_admin()?;
        let (mut cfg, _) = self.listed(asset)?;
        let p = AssetParam::from_name(what).ok_or(OracleError::UnknownParameter(
            OracleUnknownParameter { what },
        ))?;
        check_asset_param(p, data)?;
        // The bounds checked above fit 24 and 64 bits.
        match p {
            AssetParam::Heartbeat => cfg.heartbeat = data.to::<u32>(),
            AssetParam::MaxJump => cfg.max_jump = data.to::<u64>(),
        }
        self.assets.setter(asset).config.set(cfg.pack());
        self.vm().log(File { asset, what, data });
        Ok(())
    }

    /// Lists `asset` with `feed` (or re-points a listed asset to a new
    /// feed), with its `heartbeat` (seconds) and `maxJump` (WAD). Reads the
    /// feed's `decimals` and its latest round, which must pass the guard
    /// except for ordering and the jump band: that round becomes the anchor,
    /// the last accepted price. A new asset's volatility components start at
    /// `coldStartVol`; a re-pointed asset keeps its index (a change of source
    /// is not a market move, so it gives no sample).
    ///
    /// # Errors
    /// `OracleUnauthorized` unless the caller is the admin;
    /// `OracleZeroAddress` for a zero asset or feed;
    /// `OracleParameterOutOfBounds` for `heartbeat`, `maxJump` or the feed's
    /// `decimals` (at most 18); `OracleFeedCallFailed`; any rejection of the
    /// feed's latest round.
    ///
    /// # Events
    /// [`File`] `feed`, `decimals`, `heartbeat`, `maxJump`; [`PriceAccepted`]
    /// for the anchor.
    #[selector(name = "setFeed")]
    pub fn set_feed(
        &mut self,
        asset: Address,
        feed: Address,
        heartbeat: U256,
        max_jump: U256,
    ) -> Result<(), OracleError> {
        self.only_admin()?;
        if asset.is_zero() || feed.is_zero() {
            return Err(OracleError::ZeroAddress(OracleZeroAddress {}));
        }
        check_asset_param(AssetParam::Heartbeat, heartbeat)?;
        check_asset_param(AssetParam::MaxJump, max_jump)?;
        let decimals = static_call(self.vm(), Call::new(), feed, &feed::DECIMALS)
            .ok()
            .and_then(|data| feed::decode_decimals(&data))
            .ok_or(OracleError::FeedCallFailed(OracleFeedCallFailed { feed }))?;
        if decimals > MAX_FEED_DECIMALS {
            return Err(OracleError::out_of_bounds(
                setting::DECIMALS,
                U256::from(decimals),
                (U256::ZERO, U256::from(MAX_FEED_DECIMALS)),
            ));
        }
        let cfg = AssetConfig {
            feed,
            decimals,
            heartbeat: heartbeat.to::<u32>(),
            max_jump: max_jump.to::<u64>(),
        };
        let now = self.vm().block_timestamp();
        let round = self.read_round(feed);
        let price = match &round {
            Some(r) => feed::check(r, &cfg, None, now),
            None => Err(Rejection::FeedCallFailed),
        }
        .map_err(|why| feed::error(why, asset, feed, round.as_ref()))?;
        // SAFETY: the guard passed, so the round was read.
        let round = round.unwrap_or_else(|| unreachable!());
        let anchor = PriceState {
            price,
            updated_at: round.updated_at.to::<u64>(),
            round_id: round.round_id,
        };
        let cold = self.global(Global::ColdStartVol);
        let mut slots = self.assets.setter(asset);
        let mut vol = VolState::unpack(slots.vol.get());
        if vol.updated_at == 0 {
            vol = VolState {
                fast: cold,
                slow: cold,
                updated_at: anchor.updated_at,
            };
            slots.vol.set(vol.pack());
        }
        slots.config.set(cfg.pack());
        slots.price.set(anchor.pack());
        let vm = self.vm();
        vm.log(file_address(asset, setting::FEED, feed));
        vm.log(File {
            asset,
            what: setting::DECIMALS,
            data: U256::from(decimals),
        });
        vm.log(File {
            asset,
            what: AssetParam::Heartbeat.name(),
            data: heartbeat,
        });
        vm.log(File {
            asset,
            what: AssetParam::MaxJump.name(),
            data: max_jump,
        });
        vm.log(accepted_event(asset, &anchor, &vol));
        Ok(())
    }

    /// Sets the L2 sequencer-uptime feed; zero disables the check (L1 or a
    /// local chain). A non-zero feed must answer `latestRoundData`.
    ///
    /// # Errors
    /// `OracleUnauthorized` unless the caller is the admin;
    /// `OracleFeedCallFailed` if the feed does not answer.
    ///
    /// # Events
    /// [`File`] `sequencerFeed`.
    #[selector(name = "setSequencerFeed")]
    pub fn set_sequencer_feed(&mut self, feed: Address) -> Result<(), OracleError> {
        self.only_admin()?;
        if !feed.is_zero() && self.read_round(feed).is_none() {
            return Err(OracleError::FeedCallFailed(OracleFeedCallFailed { feed }));
        }
        let mut word = self.word(SEQUENCER_FEED_WORD);
        word[..20].copy_from_slice(feed.as_slice());
        self.set_word(SEQUENCER_FEED_WORD, word);
        self.vm()
            .log(file_address(Address::ZERO, setting::SEQUENCER_FEED, feed));
        Ok(())
    }

    /// Pauses `poke` (views keep working, on the last index). The guardian's
    /// only power; the admin may pause too.
    ///
    /// # Errors
    /// `OracleUnauthorized` unless the caller is the guardian or the admin;
    /// `OraclePaused` if already paused.
    ///
    /// # Events
    /// [`File`] `(0, "paused", 1)`.
    pub fn pause(&mut self) -> Result<(), OracleError> {
        let caller = self.vm().msg_sender();
        if caller != self.guardian.get() && caller != self.admin.get() {
            return Err(OracleError::unauthorized(caller));
        }
        if self.paused() {
            return Err(OracleError::Paused(OraclePaused {}));
        }
        self.set_paused(true);
        Ok(())
    }

    /// Resumes `poke`. Admin only: the guardian can stop, not restart.
    ///
    /// # Errors
    /// `OracleUnauthorized` unless the caller is the admin; `OracleNotPaused`.
    ///
    /// # Events
    /// [`File`] `(0, "paused", 0)`.
    pub fn unpause(&mut self) -> Result<(), OracleError> {
        self.only_admin()?;
        if !self.paused() {
            return Err(OracleError::NotPaused(OracleNotPaused {}));
        }
        self.set_paused(false);
        Ok(())
    }

    /// Proposes `account` for `role` (`"admin"` or `"guardian"`); it takes
    /// the role when it calls [`Self::accept_role`]. The admin appoints both
    /// roles (a guardian cannot name its successor). Proposing zero cancels a
    /// proposal.
    ///
    /// # Errors
    /// `OracleUnauthorized` unless the caller is the admin;
    /// `OracleUnknownParameter` for another role name.
    ///
    /// # Events
    /// [`File`] `pendingAdmin` or `pendingGuardian`.
    #[selector(name = "proposeRole")]
    pub fn propose_role(&mut self, role: B256, account: Address) -> Result<(), OracleError> {
        self.only_admin()?;
        let is_admin = role_is_admin(role)?;
        let (pending, what) = if is_admin {
            (&mut self.pending_admin, setting::PENDING_ADMIN)
        } else {
            (&mut self.pending_guardian, setting::PENDING_GUARDIAN)
        };
        pending.set(account);
        self.vm().log(file_address(Address::ZERO, what, account));
        Ok(())
    }

    /// The proposed account takes `role` (`"admin"` or `"guardian"`).
    ///
    /// # Errors
    /// `OracleUnauthorized` unless the caller is the proposed account;
    /// `OracleUnknownParameter` for another role name.
    ///
    /// # Events
    /// [`File`] `admin` or `guardian`.
    #[selector(name = "acceptRole")]
    pub fn accept_role(&mut self, role: B256) -> Result<(), OracleError> {
        let is_admin = role_is_admin(role)?;
        let caller = self.vm().msg_sender();
        let (holder, pending) = if is_admin {
            (&mut self.admin, &mut self.pending_admin)
        } else {
            (&mut self.guardian, &mut self.pending_guardian)
        };
        if caller.is_zero() || caller != pending.get() {
            return Err(OracleError::unauthorized(caller));
        }
        holder.set(caller);
        pending.set(Address::ZERO);
        self.vm().log(file_address(Address::ZERO, role, caller));
        Ok(())
    }

    // ------------------------------------------------------------------
    // Getters
    // ------------------------------------------------------------------

    /// The global parameter `what`, as `file` takes it, or the uptime feed
    /// for `"sequencerFeed"` (as `uint160`).
    ///
    /// # Errors
    /// `OracleUnknownParameter`.
    pub fn parameter(&self, what: B256) -> Result<U256, OracleError> {
        if what == setting::SEQUENCER_FEED {
            return Ok(U256::from_be_slice(&self.word(SEQUENCER_FEED_WORD)[..20]));
        }
        let p = Global::from_name(what).ok_or(OracleError::UnknownParameter(
            OracleUnknownParameter { what },
        ))?;
        Ok(self.global(p))
    }

    /// `(feed, decimals, heartbeat, maxJump, lastPrice, lastRoundId,
    /// lastUpdatedAt)`: an asset's configuration and its last accepted price.
    /// All zero for an unknown asset.
    #[selector(name = "assetInfo")]
    pub fn asset_info(&self, asset: Address) -> (Address, u8, U256, U256, U256, U80, U256) {
        let slots = self.assets.getter(asset);
        let cfg = AssetConfig::unpack(slots.config.get());
        let last = PriceState::unpack(slots.price.get());
        (
            cfg.feed,
            cfg.decimals,
            U256::from(cfg.heartbeat),
            U256::from(cfg.max_jump),
            last.price,
            last.round_id,
            U256::from(last.updated_at),
        )
    }

    /// Whether `poke` is paused.
    pub fn paused(&self) -> bool {
        self.word(0)[PAUSED_BYTE] != 0
    }

    /// `(admin, pendingAdmin, guardian, pendingGuardian)`; zero for a role
    /// nobody holds or no pending proposal.
    pub fn roles(&self) -> (Address, Address, Address, Address) {
        (
            self.admin.get(),
            self.pending_admin.get(),
            self.guardian.get(),
            self.pending_guardian.get(),
        )
    }
}

impl RiskOracle {
    /// The caller, if it is the admin.
    fn only_admin(&self) -> Result<Address, OracleError> {
        let caller = self.vm().msg_sender();
        if caller != self.admin.get() {
            return Err(OracleError::unauthorized(caller));
        }
        Ok(caller)
    }

    /// Configuration and last accepted price of a listed asset.
    fn listed(&self, asset: Address) -> Result<(AssetConfig, PriceState), OracleError> {
        let slots = self.assets.getter(asset);
        let cfg = AssetConfig::unpack(slots.config.get());
        if cfg.feed.is_zero() {
            return Err(OracleError::unknown_asset(asset));
        }
        Ok((cfg, PriceState::unpack(slots.price.get())))
    }

    /// Volatility state of a listed asset (one storage read).
    fn vol_state(&self, asset: Address) -> Result<VolState, OracleError> {
        let vol = VolState::unpack(self.assets.getter(asset).vol.get());
        if vol.updated_at == 0 {
            return Err(OracleError::unknown_asset(asset));
        }
        Ok(vol)
    }

    /// `latestRoundData()` of `feed`; `None` if the call reverts or returns
    /// malformed data (an account without code returns nothing).
    fn read_round(&self, feed: Address) -> Option<Round> {
        let data = static_call(self.vm(), Call::new(), feed, &feed::LATEST_ROUND_DATA).ok()?;
        Round::decode(&data)
    }

    /// The guard against the last accepted price, as a typed error.
    fn guard(
        &self,
        asset: Address,
        cfg: &AssetConfig,
        last: &PriceState,
        round: Option<&Round>,
        now: u64,
    ) -> Result<U256, OracleError> {
        let checked = match round {
            Some(r) => feed::check(r, cfg, Some(last), now),
            None => Err(Rejection::FeedCallFailed),
        };
        checked.map_err(|why| feed::error(why, asset, cfg.feed, round))
    }

    /// Parameter word `i` (see [`Global::place`]).
    fn word(&self, i: usize) -> [u8; 32] {
        match i {
            0 => self.poke_word.get(),
            1 => self.margin_word.get(),
            _ => self.sequencer_word.get(),
        }
        .0
    }

    /// Writes parameter word `i`.
    fn set_word(&mut self, i: usize, word: [u8; 32]) {
        let word = B256::new(word);
        match i {
            0 => self.poke_word.set(word),
            1 => self.margin_word.set(word),
            _ => self.sequencer_word.set(word),
        }
    }

    /// Reads a global parameter.
    fn global(&self, p: Global) -> U256 {
        param(&self.word(p.place().0), p)
    }

    /// Writes a global parameter already checked against its bounds, which
    /// fit its width (tested in [`params`]).
    fn set_global(&mut self, p: Global, data: U256) {
        let (i, at, len) = p.place();
        let mut word = self.word(i);
        layout::write(&mut word, at, len, data.to::<u128>());
        self.set_word(i, word);
    }

    /// Sets or clears the pause flag.
    fn set_paused(&mut self, paused: bool) {
        let mut word = self.word(0);
        word[PAUSED_BYTE] = u8::from(paused);
        self.set_word(0, word);
        self.vm().log(File {
            asset: Address::ZERO,
            what: setting::PAUSED,
            data: U256::from(u8::from(paused)),
        });
    }
}

/// Global parameter `p` from its already loaded word.
fn param(word: &[u8; 32], p: Global) -> U256 {
    let (_, at, len) = p.place();
    U256::from(layout::read(word, at, len))
}

/// `true` for `"admin"`, `false` for `"guardian"`.
fn role_is_admin(role: B256) -> Result<bool, OracleError> {
    if role == setting::ADMIN {
        Ok(true)
    } else if role == setting::GUARDIAN {
        Ok(false)
    } else {
        Err(OracleError::UnknownParameter(OracleUnknownParameter {
            what: role,
        }))
    }
}

/// Bounds of a per-asset parameter.
fn check_asset_param(p: AssetParam, data: U256) -> Result<(), OracleError> {
    if within(p.bounds(), data) {
        Ok(())
    } else {
        Err(OracleError::out_of_bounds(p.name(), data, p.bounds()))
    }
}

/// The [`PriceAccepted`] event for an accepted price and the index after it.
fn accepted_event(asset: Address, price: &PriceState, vol: &VolState) -> PriceAccepted {
    PriceAccepted {
        asset,
        roundId: price.round_id,
        price: price.price,
        updatedAt: U256::from(price.updated_at),
        fastVolatility: vol.fast,
        slowVolatility: vol.slow,
    }
}

#[cfg(test)]
mod testutil;

#[cfg(test)]
mod tests;
