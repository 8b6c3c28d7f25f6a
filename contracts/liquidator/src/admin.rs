//! Governance: roles, the `file` setters with their bounds, asset listing and the guardian's
//! stop.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use keel_common::abi::Word;
use stylus_sdk::prelude::*;

use crate::{
    errors::{self, Result},
    events,
    params::{
        find, Defaults, GlobalAddress, Home, Param, ASSET_PARAMS, GLOBAL_PARAMS, MAX_STOPPED,
        STOPPED,
    },
    records::{asset, head, Field, DEFAULT_RULES},
    sale::Scale,
    Liquidator,
};

/// `data` if it lies in `[min, max]`.
fn bounded(what: B256, data: U256, (min, max): (U256, U256)) -> Result<U256> {
    if data < min || data > max {
        return Err(errors::out_of_bounds(what, data, min, max));
    }
    Ok(data)
}

impl Liquidator {
    /// A field of the head word.
    pub(crate) fn head(&self, field: Field) -> U256 {
        field.of(self.head.get())
    }

    /// Sets a field of the head word.
    pub(crate) fn set_head(&mut self, field: Field, value: U256) -> Result<()> {
        let word = field.with(self.head.get(), value)?;
        self.head.set(word);
        Ok(())
    }

    /// The quote token.
    pub(crate) fn quote_token(&self) -> Address {
        head::QUOTE.address(self.head.get())
    }

    /// Holds (`true`) or releases the take lock.
    pub(crate) fn set_lock(&mut self, held: bool) -> Result<()> {
        self.set_head(head::LOCKED, U256::from(u8::from(held)))
    }

    /// The caller must be a ward.
    pub(crate) fn auth(&self) -> Result<()> {
        let caller = self.vm().msg_sender();
        if !self.wards.get(caller) {
            return Err(errors::unauthorized(caller));
        }
        Ok(())
    }

    /// No take may be running its callbacks.
    pub(crate) fn unlocked(&self) -> Result<()> {
        if !self.head(head::LOCKED).is_zero() {
            return Err(errors::locked());
        }
        Ok(())
    }

    /// The stop level must be below `level` (1 for kicks, 2 for redos, 3 for takes), and no
    /// take may be running its callbacks.
    pub(crate) fn live(&self, level: u8) -> Result<()> {
        let stopped = self.head(head::STOPPED);
        if stopped >= U256::from(level) {
            return Err(errors::stopped(stopped));
        }
        self.unlocked()
    }

    /// A ward outside a take, for every setter.
    fn governs(&self) -> Result<()> {
        self.auth()?;
        self.unlocked()
    }

    /// The parameter of `table` named `what`, and `data` if it lies within its bounds.
    fn param(table: &'static [Param], what: B256, data: U256) -> Result<&'static Param> {
        let param = find(table, what).ok_or_else(|| errors::unknown_parameter(what))?;
        bounded(what, data, (param.min, param.max))?;
        Ok(param)
    }

    pub(crate) fn file_global(&mut self, what: B256, data: U256) -> Result<()> {
        self.governs()?;
        let param = Self::param(&GLOBAL_PARAMS, what, data)?;
        let word = if param.home == Home::Head {
            &mut self.head
        } else {
            &mut self.caps
        };
        let value = param.field.with(word.get(), data)?;
        word.set(value);
        self.emit(&[events::File::SIGNATURE_HASH, what], &[data.word()]);
        Ok(())
    }

    pub(crate) fn file_global_address(&mut self, what: B256, data: Address) -> Result<()> {
        self.governs()?;
        match GlobalAddress::parse(what).ok_or_else(|| errors::unknown_parameter(what))? {
            GlobalAddress::Oracle => self.oracle.set(data),
            GlobalAddress::Guardian => self.guardian.set(data),
        }
        self.emit(&[events::FileAddress::SIGNATURE_HASH, what], &[data.word()]);
        Ok(())
    }

    pub(crate) fn file_asset_value(
        &mut self,
        token: Address,
        what: B256,
        data: U256,
    ) -> Result<()> {
        self.governs()?;
        let mut a = self.assets.setter(token);
        if asset::LISTED.of(a.rules.get()).is_zero() {
            return Err(errors::asset_not_listed(token));
        }
        let param = Self::param(&ASSET_PARAMS, what, data)?;
        let word = match param.home {
            Home::Rules => &mut a.rules,
            Home::Book => &mut a.book,
            Home::AssetCaps => &mut a.caps,
            Home::Start => &mut a.start,
            _ => &mut a.reward,
        };
        let value = param.field.with(word.get(), data)?;
        word.set(value);
        self.emit(
            &[events::FileAsset::SIGNATURE_HASH, token.word(), what],
            &[data.word()],
        );
        Ok(())
    }

    pub(crate) fn list_asset(&mut self, token: Address) -> Result<()> {
        self.governs()?;
        if !asset::LISTED
            .of(self.assets.getter(token).rules.get())
            .is_zero()
        {
            return Err(errors::asset_already_listed(token));
        }
        let asset_decimals = self.decimals_of(token)?;
        let quote_decimals = self.decimals_of(self.quote_token())?;
        let scale = Scale::from_decimals(asset_decimals, quote_decimals)
            .ok_or_else(|| errors::unsupported_decimals(token, asset_decimals, quote_decimals))?;
        let rules = asset::SCALE.with(DEFAULT_RULES, U256::from(scale.exponent()))?;
        let mut a = self.assets.setter(token);
        a.rules.set(rules);
        a.start
            .set(asset::BUF.with(U256::ZERO, U256::from(Defaults::BUF))?);
        self.emit(
            &[events::Init::SIGNATURE_HASH, token.word()],
            &[scale.exponent().word()],
        );
        Ok(())
    }

    pub(crate) fn raise_stop(&mut self, level: U256) -> Result<()> {
        let caller = self.vm().msg_sender();
        let guardian = self.guardian.get();
        if (guardian.is_zero() || caller != guardian) && !self.wards.get(caller) {
            return Err(errors::unauthorized(caller));
        }
        let current = self.head(head::STOPPED);
        let level = bounded(STOPPED, level, (current, U256::from(MAX_STOPPED)))?;
        self.set_head(head::STOPPED, level)?;
        self.emit(
            &[events::Stop::SIGNATURE_HASH, caller.word()],
            &[level.word()],
        );
        Ok(())
    }
}
