//! Governance: construction, roles and the setters with their bounds.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use keel_common::abi::Word;
use stylus_sdk::prelude::*;

use crate::{
    calls::IERC20,
    errors::{self, Result},
    events,
    params::{
        find, Defaults, GlobalAddress, Home, Param, GLOBAL_PARAMS, MARKET_PARAMS, MAX_TOKENS,
    },
    records::{misc, token, update},
    Backstop,
};

/// `data` if it lies within `param`'s bounds.
fn bounded(param: &Param, data: U256) -> Result<U256> {
    if data < param.min || data > param.max {
        return Err(errors::out_of_bounds(
            param.name, data, param.min, param.max,
        ));
    }
    Ok(data)
}

impl Backstop {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn setup(
        &mut self,
        engine: Address,
        liquidator: Address,
        quote: Address,
        oracle: Address,
        model: Address,
        admin: Address,
    ) -> Result<()> {
        self.engine.set(engine);
        self.liquidator.set(liquidator);
        self.quote.set(quote);
        self.oracle.set(oracle);
        self.model.set(model);
        self.risk.set(Defaults::RISK);
        self.caps.set(Defaults::CAPS);
        let unit = self.unit_of_token(quote)?;
        let word = misc::ADL_GRACE.with(U256::ZERO, U256::from(Defaults::ADL_GRACE))?;
        self.misc.set(misc::UNIT.with(word, unit)?);
        self.wards.setter(admin).set(true);
        for spender in [engine, liquidator] {
            let words = [spender.word(), U256::MAX.word()];
            self.token_call(quote, IERC20::approveCall::SELECTOR, &words)?;
        }
        self.emit(&[events::Rely::SIGNATURE_HASH, admin.word()], &[]);
        Ok(())
    }

    /// The caller must be a ward.
    pub(crate) fn auth(&self) -> Result<()> {
        let caller = self.vm().msg_sender();
        if !self.wards.get(caller) {
            return Err(errors::unauthorized(caller));
        }
        Ok(())
    }

    pub(crate) fn set_ward(&mut self, usr: Address, on: bool) -> Result<()> {
        self.auth()?;
        self.wards.setter(usr).set(on);
        let topic = if on {
            events::Rely::SIGNATURE_HASH
        } else {
            events::Deny::SIGNATURE_HASH
        };
        self.emit(&[topic, usr.word()], &[]);
        Ok(())
    }

    /// The parameter of `table` named `what`, if `data` lies within its bounds.
    fn param(table: &'static [Param], what: B256, data: U256) -> Result<&'static Param> {
        let param = find(table, what).ok_or_else(|| errors::unknown_parameter(what))?;
        bounded(param, data)?;
        Ok(param)
    }

    pub(crate) fn file_global(&mut self, what: B256, data: U256) -> Result<()> {
        self.auth()?;
        let param = Self::param(&GLOBAL_PARAMS, what, data)?;
        let slot = match param.home {
            Home::Risk => &mut self.risk,
            Home::Caps => &mut self.caps,
            _ => &mut self.misc,
        };
        update(slot, param.field, data)?;
        self.emit(&[events::File::SIGNATURE_HASH, what], &[data.word()]);
        Ok(())
    }

    pub(crate) fn file_global_address(&mut self, what: B256, data: Address) -> Result<()> {
        self.auth()?;
        match GlobalAddress::parse(what).ok_or_else(|| errors::unknown_parameter(what))? {
            GlobalAddress::Oracle => self.oracle.set(data),
            GlobalAddress::Model => self.model.set(data),
        }
        self.emit(&[events::FileAddress::SIGNATURE_HASH, what], &[data.word()]);
        Ok(())
    }

    pub(crate) fn file_market_value(&mut self, id: U256, what: B256, data: U256) -> Result<()> {
        self.auth()?;
        let param = Self::param(&MARKET_PARAMS, what, data)?;
        let mut m = self.markets.setter(id);
        let slot = if param.home == Home::Bounds {
            &mut m.bounds
        } else {
            &mut m.clock
        };
        update(slot, param.field, data)?;
        self.emit(
            &[events::FileMarket::SIGNATURE_HASH, id.word(), what],
            &[data.word()],
        );
        Ok(())
    }

    pub(crate) fn file_token_value(&mut self, token: Address, auctionable: bool) -> Result<()> {
        self.auth()?;
        let listed = !token::LISTED.of(self.token_info.get(token)).is_zero();
        if auctionable && !listed {
            let [on_liquidator, ..] = self.auction_rules(token)?;
            if token == self.quote.get() || on_liquidator.is_zero() {
                return Err(errors::token_not_auctionable(token));
            }
            if self.tokens.len() >= usize::from(MAX_TOKENS) {
                return Err(errors::too_many_tokens(U256::from(MAX_TOKENS)));
            }
            let unit = self.unit_of_token(token)?;
            self.tokens.push(token);
            let info = token::LISTED.with(U256::ZERO, U256::from(1))?;
            let info = token::UNIT.with(info, unit)?;
            self.token_info.setter(token).set(info);
        } else if !auctionable && listed {
            // Swap with the last and pop; the list is short and unordered.
            let last = self.tokens.len() - 1;
            let moved = self.tokens.get(last).unwrap_or_default();
            if let Some(pos) = (0..last).find(|i| self.tokens.get(*i) == Some(token)) {
                if let Some(mut slot) = self.tokens.setter(pos) {
                    slot.set(moved);
                }
            }
            self.tokens.erase_last();
            self.token_info.delete(token);
        }
        self.emit(
            &[events::FileToken::SIGNATURE_HASH, token.word()],
            &[auctionable.word()],
        );
        Ok(())
    }

    /// The insurance fund: the quote balance less held proceeds (quote units).
    pub(crate) fn fund(&self) -> Result<U256> {
        let balance = self.balance_of(self.quote.get(), self.vm().contract_address())?;
        Ok(balance.saturating_sub(misc::HELD.of(self.misc.get())))
    }
}
