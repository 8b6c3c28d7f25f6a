//! Health: an account's equity and margin requirements, and the views built on them.

use alloy_primitives::{Address, I256, U256};
use keel_math::{mul_div_down, mul_wad_down, mul_wad_up, to_wad_down, MathError, WAD};

use crate::{
    accounts::book_ids,
    errors::{self, Result},
    records::{collateral as c, market as m, Position},
    signed::{self, add, int, lt, mag},
    MarginEngine,
};

/// An account's equity and requirements, WAD quote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Health {
    /// Collateral value + quote balance + unrealised PnL.
    pub(crate) equity: I256,
    /// Initial margin.
    pub(crate) im: U256,
    /// Maintenance margin.
    pub(crate) mm: U256,
}

/// What a health computation reads: trustworthy prices only (`strict`), and a price already
/// read by the caller (`known`, so that no price is read twice).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Needs {
    pub(crate) strict: bool,
    pub(crate) known: Option<(Address, U256)>,
}

/// Unrealised PnL of `pos` at `price`: `size · (price − entry)`, rounded down.
pub(crate) fn unrealised(pos: Position, price: U256) -> Result<I256> {
    signed::mul_wad_down(pos.size, signed::diff(price, pos.entry)?)
}

impl MarginEngine {
    /// The price of `asset` for a health computation.
    fn mark(&self, asset: Address, needs: Needs) -> Result<U256> {
        match needs.known {
            Some((known, price)) if known == asset => Ok(price),
            _ => Ok(self.price_of(asset, needs.strict)?.price),
        }
    }

    /// `account`'s equity and margins: one price per market and per collateral token held,
    /// one model call per market.
    pub(crate) fn health(&self, account: U256, needs: Needs) -> Result<Health> {
        let acc = self.accounts.getter(account);
        let mut h = Health {
            equity: acc.quote.get(),
            ..Health::default()
        };
        // Assets the account is long: collateral moving with them takes its correlation haircut.
        let mut longs = [Address::ZERO; crate::params::MAX_POSITIONS as usize];
        for (slot, id) in book_ids(acc.book.get()).enumerate() {
            let pos = Position::unpack(acc.positions.get(U256::from(id)));
            let asset = m::ASSET.address(self.markets.getter(U256::from(id)).spec.get());
            let price = self.mark(asset, needs)?;
            h.equity = add(h.equity, unrealised(pos, price)?)?;
            let notional = mul_wad_up(mag(pos.size), price)?;
            // Both fractions come from one model call, so both are always summed.
            let (mm, im) = self.margins_of(asset)?;
            let im = mul_wad_up(notional, im)?;
            h.im = h.im.checked_add(im).ok_or(MathError::Overflow)?;
            let mm = mul_wad_up(notional, mm)?;
            h.mm = h.mm.checked_add(mm).ok_or(MathError::Overflow)?;
            if let (true, Some(long)) = (pos.size.is_positive(), longs.get_mut(slot)) {
                *long = asset;
            }
        }
        // Every listed token (at most 16; one storage read each), valued where held.
        for index in 1..=self.head(crate::records::head::COLLATERALS).as_limbs()[0] {
            let token = self.collateral_list.get(U256::from(index));
            let amount = acc.collateral.get(token);
            if amount.is_zero() {
                continue;
            }
            let entry = self.collaterals.getter(token);
            let spec = entry.spec.get();
            let price = self.mark(token, needs)?;
            let units = to_wad_down(amount, c::DECIMALS.small(spec) as u8)?;
            let mut value = mul_wad_down(units, price)?;
            value = mul_wad_down(value, WAD.saturating_sub(c::HAIRCUT.of(spec)))?;
            let correlated = c::CORRELATED.address(entry.corr.get());
            if !correlated.is_zero() && longs.contains(&correlated) {
                let cut = WAD.saturating_sub(c::CORRELATION_HAIRCUT.of(spec));
                value = mul_wad_down(value, cut)?;
            }
            h.equity = add(h.equity, int(value)?)?;
        }
        Ok(h)
    }

    /// Refuses unless `account`'s equity covers its initial margin at trustworthy prices.
    ///
    /// # Errors
    /// `EngineBelowInitialMargin`, `EngineInvalidPrice`, `EngineExternalCallFailed`.
    pub(crate) fn require_initial_margin(
        &self,
        account: U256,
        known: Option<(Address, U256)>,
    ) -> Result<()> {
        let needs = Needs {
            strict: true,
            known,
        };
        let h = self.health(account, needs)?;
        if lt(h.equity, int(h.im)?) {
            return Err(errors::below_initial_margin(account, h.equity, h.im));
        }
        Ok(())
    }

    /// `(equity, initialMargin, maintenanceMargin)` of `account`, WAD, at the oracle's last
    /// accepted prices.
    ///
    /// # Errors
    /// `EngineInvalidPrice` (no price at all), `EngineExternalCallFailed`, `EngineMathError`.
    pub fn account_health(&self, account: U256) -> Result<(I256, U256, U256)> {
        let h = self.health_at_last_prices(account)?;
        Ok((h.equity, h.im, h.mm))
    }

    /// Health at the oracle's last accepted prices (the views').
    fn health_at_last_prices(&self, account: U256) -> Result<Health> {
        self.health(account, Needs::default())
    }

    /// `equity / maintenanceMargin` (WAD): `2^256 − 1` without positions (no requirement),
    /// 0 when equity ≤ 0.
    ///
    /// # Errors
    /// As [`Self::account_health`].
    pub fn health_factor(&self, account: U256) -> Result<U256> {
        let h = self.health_at_last_prices(account)?;
        if h.mm.is_zero() {
            return Ok(U256::MAX);
        }
        if !h.equity.is_positive() {
            return Ok(U256::ZERO);
        }
        Ok(mul_div_down(h.equity.into_raw(), WAD, h.mm)?)
    }

    /// Whether `account`'s equity is below its maintenance margin (an account without
    /// positions but with negative equity is liquidatable: its collateral covers its debt).
    ///
    /// # Errors
    /// As [`Self::account_health`].
    pub fn is_liquidatable(&self, account: U256) -> Result<bool> {
        let h = self.health_at_last_prices(account)?;
        Ok(lt(h.equity, int(h.mm)?))
    }
}
