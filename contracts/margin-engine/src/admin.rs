//! Governance: the `file` setters with their bounds (pausing new risk among them), and the
//! listings of collateral tokens and markets.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use keel_common::abi::Word;

use crate::{
    errors::{self, Result},
    events,
    params::{
        find, Home, Param, COLLATERAL_PARAMS, GLOBAL_PARAMS, MARKET_PARAMS, MAX_COLLATERALS,
        MAX_MARKETS,
    },
    records::{collateral as c, head, market as m, word, Field},
    MarginEngine,
};

/// The parameter of `table` named `what`, if `data` lies within its bounds.
fn param(table: &'static [Param], what: B256, data: U256) -> Result<&'static Param> {
    let p = find(table, what).ok_or_else(|| errors::unknown_parameter(what))?;
    bounded(p, data)
}

/// `p` if `data` lies within its bounds.
fn bounded(p: &'static Param, data: U256) -> Result<&'static Param> {
    if data < p.min || data > p.max {
        return Err(errors::out_of_bounds(p.name, data, p.min, p.max));
    }
    Ok(p)
}

impl MarginEngine {
    /// A field of the head word.
    pub(crate) fn head(&self, field: Field) -> U256 {
        field.of(self.head.get())
    }

    /// A field of the globals word.
    pub(crate) fn global(&self, field: Field) -> u64 {
        field.small(self.globals.get())
    }

    /// The quote token and its decimals.
    pub(crate) fn quote(&self) -> (Address, u8) {
        let h = self.head.get();
        (head::QUOTE.address(h), head::DECIMALS.small(h) as u8)
    }

    /// Sets a global parameter: `maxProfitRatio`, `maxPositions` or `stopped` (1 pauses new
    /// risk, 0 resumes), bounds in [`GLOBAL_PARAMS`]. The oracle and the model are fixed at
    /// construction. Ward only.
    ///
    /// # Errors
    /// `EngineUnauthorized`, `EngineUnknownParameter`, `EngineParameterOutOfBounds`.
    ///
    /// # Events
    /// [`events::File`].
    pub fn file(&mut self, what: B256, data: U256) -> Result<()> {
        self.auth()?;
        let p = param(&GLOBAL_PARAMS, what, data)?;
        let value = p.field.with(self.globals.get(), data)?;
        self.globals.set(value);
        self.emit(&[events::File::SIGNATURE_HASH, what], &[data.word()]);
        Ok(())
    }

    /// Lists collateral `token` (not the quote) with its `haircut` and `correlationHaircut`
    /// (WAD, at most 1), deposit `cap` (token units) and `correlatedAsset` (zero: none),
    /// reading its decimals once. At most 16 tokens. Ward only.
    ///
    /// # Errors
    /// `EngineUnauthorized`, `EngineZeroArgument`, `EngineAlreadyListed`, `EngineListingFull`,
    /// `EngineParameterOutOfBounds`, `EngineUnsupportedDecimals`, `EngineExternalCallFailed`.
    ///
    /// # Events
    /// [`events::CollateralListed`], then a [`events::FileCollateral`] for each parameter.
    pub fn list_collateral(
        &mut self,
        token: Address,
        haircut: U256,
        cap: U256,
        correlated: Address,
        correlation_haircut: U256,
    ) -> Result<()> {
        self.auth()?;
        if token.is_zero() {
            return Err(errors::zero_argument());
        }
        if token == self.quote().0 || self.collateral_index(token) != 0 {
            return Err(errors::already_listed(token));
        }
        let index = self.head(head::COLLATERALS) + U256::from(1);
        if index > U256::from(MAX_COLLATERALS) {
            return Err(errors::listing_full());
        }
        let decimals = U256::from(self.decimals_of(token)?);
        let spec = c::DECIMALS.with(c::INDEX.with(U256::ZERO, index)?, decimals)?;
        self.collaterals.setter(token).spec.set(spec);
        self.collateral_list.setter(index).set(token);
        let value = head::COLLATERALS.with(self.head.get(), index)?;
        self.head.set(value);
        self.emit(
            &[events::CollateralListed::SIGNATURE_HASH, token.word()],
            &[index.word(), decimals.word()],
        );
        let [h, c, a, ch] = &COLLATERAL_PARAMS;
        self.set_collateral(token, h, haircut)?;
        self.set_collateral(token, c, cap)?;
        self.set_collateral(token, a, word(correlated))?;
        self.set_collateral(token, ch, correlation_haircut)
    }

    /// Sets a parameter of listed collateral `token` ([`COLLATERAL_PARAMS`]). Ward only.
    ///
    /// # Errors
    /// `EngineUnauthorized`, `EngineUnknownToken`, `EngineUnknownParameter`,
    /// `EngineParameterOutOfBounds`.
    ///
    /// # Events
    /// [`events::FileCollateral`].
    pub fn file_collateral(&mut self, token: Address, what: B256, data: U256) -> Result<()> {
        self.auth()?;
        if self.collateral_index(token) == 0 {
            return Err(errors::unknown_token(token));
        }
        let p = find(&COLLATERAL_PARAMS, what).ok_or_else(|| errors::unknown_parameter(what))?;
        self.set_collateral(token, p, data)
    }

    /// Sets parameter `p` of collateral `token` within its bounds, with its event.
    fn set_collateral(&mut self, token: Address, p: &'static Param, data: U256) -> Result<()> {
        let (p, what) = (bounded(p, data)?, p.name);
        let mut entry = self.collaterals.setter(token);
        let slot = match p.home {
            Home::CollateralSpec => &mut entry.spec,
            Home::CollateralCorr => &mut entry.corr,
            _ => &mut entry.caps,
        };
        let value = p.field.with(slot.get(), data)?;
        slot.set(value);
        self.emit(
            &[events::FileCollateral::SIGNATURE_HASH, token.word(), what],
            &[data.word()],
        );
        Ok(())
    }

    /// Lists a market on RiskOracle `asset`, with zero fees, spreads, open-interest caps (so
    /// nothing trades until governance sets caps) and minimum size. Returns its id (from 1).
    /// At most 32 markets. Ward only.
    ///
    /// # Errors
    /// `EngineUnauthorized`, `EngineZeroArgument`, `EngineListingFull`.
    ///
    /// # Events
    /// [`events::MarketListed`].
    pub fn list_market(&mut self, asset: Address) -> Result<U256> {
        self.auth()?;
        if asset.is_zero() {
            return Err(errors::zero_argument());
        }
        let id = self.head(head::MARKETS) + U256::from(1);
        if id > U256::from(MAX_MARKETS) {
            return Err(errors::listing_full());
        }
        self.markets.setter(id).spec.set(word(asset));
        let value = head::MARKETS.with(self.head.get(), id)?;
        self.head.set(value);
        self.emit(
            &[
                events::MarketListed::SIGNATURE_HASH,
                id.word(),
                asset.word(),
            ],
            &[],
        );
        Ok(id)
    }

    /// Sets a parameter of `market` ([`MARKET_PARAMS`]). Ward only.
    ///
    /// # Errors
    /// `EngineUnauthorized`, `EngineUnknownMarket`, `EngineUnknownParameter`,
    /// `EngineParameterOutOfBounds`.
    ///
    /// # Events
    /// [`events::FileMarket`].
    pub fn file_market(&mut self, market: U256, what: B256, data: U256) -> Result<()> {
        self.auth()?;
        self.market_asset(market)?;
        let p = param(&MARKET_PARAMS, what, data)?;
        let mut entry = self.markets.setter(market);
        let slot = match p.home {
            Home::MarketSpec => &mut entry.spec,
            Home::MarketFees => &mut entry.fees,
            _ => &mut entry.caps,
        };
        let value = p.field.with(slot.get(), data)?;
        slot.set(value);
        self.emit(
            &[events::FileMarket::SIGNATURE_HASH, market.word(), what],
            &[data.word()],
        );
        Ok(())
    }

    /// The index of collateral `token` (1-based), 0 if not listed.
    pub(crate) fn collateral_index(&self, token: Address) -> u64 {
        c::INDEX.small(self.collaterals.getter(token).spec.get())
    }

    /// The RiskOracle asset of `market`.
    ///
    /// # Errors
    /// `EngineUnknownMarket`.
    pub fn market_asset(&self, market: U256) -> Result<Address> {
        let asset = m::ASSET.address(self.markets.getter(market).spec.get());
        if asset.is_zero() {
            return Err(errors::unknown_market(market));
        }
        Ok(asset)
    }

    /// `(long, short)` open interest of `market`, WAD base units.
    pub fn open_interest(&self, market: U256) -> (U256, U256) {
        let oi = self.markets.getter(market).oi.get();
        (m::LONG.of(oi), m::SHORT.of(oi))
    }
}
