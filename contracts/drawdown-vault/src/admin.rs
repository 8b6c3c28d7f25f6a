//! Roles and governance: wards, the `file` setters with their bounds, the strategist's target,
//! the guardian's pause and the reset after a halt.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolError, SolEvent};
use keel_common::abi::Word;
use stylus_sdk::prelude::*;

use crate::{
    cppi,
    errors::{self, of_uint, out_of_bounds, plain, unauthorized, unknown_parameter, Result},
    events,
    params::{self, Word as Home, GUARDIAN, LEVERAGE_NAME, PAUSED, STRATEGIST},
    DrawdownVault,
};

/// Highest pause bits: deposits and risk-taking.
const ALL_PAUSED: u64 = 3;

impl DrawdownVault {
    /// The caller must be a ward.
    fn auth(&self) -> Result<Address> {
        let caller = self.vm().msg_sender();
        if !self.wards.get(caller) {
            return Err(unauthorized(caller));
        }
        Ok(caller)
    }

    pub(crate) fn set_ward(&mut self, usr: Address, ward: bool) -> Result<()> {
        self.auth()?;
        self.wards.setter(usr).set(ward);
        let topic = if ward {
            events::Rely::SIGNATURE_HASH
        } else {
            events::Deny::SIGNATURE_HASH
        };
        self.emit(&[topic, usr.word()], &[]);
        Ok(())
    }

    fn word_mut(&mut self, home: Home) -> &mut stylus_sdk::storage::StorageU256 {
        match home {
            Home::Rules => &mut self.rules,
            Home::Strategy => &mut self.strategy,
            Home::Moves => &mut self.moves,
            Home::Money => &mut self.money,
        }
    }

    pub(crate) fn file_value(&mut self, what: B256, data: U256) -> Result<()> {
        self.auth()?;
        if what == PAUSED {
            if data > U256::from(ALL_PAUSED) {
                return Err(out_of_bounds(
                    what,
                    data,
                    U256::ZERO,
                    U256::from(ALL_PAUSED),
                ));
            }
            self.set_paused(data);
        } else {
            let param = params::find(what).ok_or_else(|| unknown_parameter(what))?;
            let rules = self.rules.get();
            // The soft band must start below the hard cap.
            let (min, max) = match param.slot {
                params::MAX_DRAWDOWN => (
                    param
                        .min
                        .max(params::SOFT_DRAWDOWN.of(rules) + U256::from(1)),
                    param.max,
                ),
                params::SOFT_DRAWDOWN => (
                    param.min,
                    param
                        .max
                        .min(params::MAX_DRAWDOWN.of(rules) - U256::from(1)),
                ),
                _ => (param.min, param.max),
            };
            if data < min || data > max {
                return Err(out_of_bounds(what, data, min, max));
            }
            let word = self.word_mut(param.slot.word);
            let value = param.slot.with(word.get(), data);
            word.set(value);
        }
        self.emit(&[events::File::SIGNATURE_HASH, what], &[data.word()]);
        Ok(())
    }

    fn set_paused(&mut self, flags: U256) {
        let status = self.status_now().with_paused(flags.to::<u8>());
        self.set_status(status);
    }

    pub(crate) fn file_role(&mut self, what: B256, data: Address) -> Result<()> {
        self.auth()?;
        if what == STRATEGIST {
            self.strategist.set(data);
        } else if what == GUARDIAN {
            self.guardian.set(data);
        } else {
            return Err(unknown_parameter(what));
        }
        self.emit(&[events::FileAddress::SIGNATURE_HASH, what], &[data.word()]);
        Ok(())
    }

    pub(crate) fn choose(&mut self, is_long: bool, leverage: U256) -> Result<()> {
        let caller = self.vm().msg_sender();
        let strategist = self.strategist.get();
        if strategist.is_zero() || caller != strategist {
            return Err(unauthorized(caller));
        }
        let strategy = self.strategy.get();
        let max = params::MAX_LEVERAGE.of(strategy);
        if leverage > max {
            return Err(out_of_bounds(LEVERAGE_NAME, leverage, U256::ZERO, max));
        }
        self.strategy.set(params::LEVERAGE.with(strategy, leverage));
        let status = self.status_now().with_long(is_long);
        self.set_status(status);
        self.emit(
            &[events::Target::SIGNATURE_HASH],
            &[is_long.word(), leverage.word()],
        );
        Ok(())
    }

    pub(crate) fn add_pause(&mut self, flags: U256) -> Result<()> {
        let caller = self.vm().msg_sender();
        let guardian = self.guardian.get();
        if (guardian.is_zero() || caller != guardian) && !self.wards.get(caller) {
            return Err(unauthorized(caller));
        }
        if flags > U256::from(ALL_PAUSED) {
            return Err(out_of_bounds(
                PAUSED,
                flags,
                U256::ZERO,
                U256::from(ALL_PAUSED),
            ));
        }
        let now = flags | U256::from(self.status_now().paused());
        self.set_paused(now);
        self.emit(
            &[events::Pause::SIGNATURE_HASH, caller.word()],
            &[now.word()],
        );
        Ok(())
    }

    pub(crate) fn unhalt(&mut self) -> Result<()> {
        self.auth()?;
        if !self.status_now().halted() {
            return Err(plain(errors::VaultNotHalted::SELECTOR));
        }
        let strategy = self.strategy.get();
        let until = params::HALTED_AT.of(strategy) + params::COOL_DOWN.of(strategy);
        if U256::from(self.vm().block_timestamp()) < until {
            return Err(of_uint(errors::VaultCoolingDown::SELECTOR, until));
        }
        let s = self.snapshot()?;
        self.set_status(s.status.with_halted(false).with_band(cppi::NORMAL));
        self.hwm.set(s.nav_per_share);
        self.emit(&[events::Reset::SIGNATURE_HASH], &[s.nav_per_share.word()]);
        self.emit_drawdown(s.nav_per_share, s.nav_per_share, U256::ZERO, cppi::NORMAL);
        Ok(())
    }

    pub(crate) fn state_words(&self) -> [U256; 14] {
        let word = |a: Address| U256::from_be_bytes(a.into_word().0);
        let (strategy, status) = (self.strategy.get(), self.status_now());
        [
            word(self.engine.get()),
            word(self.oracle.get()),
            word(self.model.get()),
            word(self.asset.get()),
            word(self.strategist.get()),
            word(self.guardian.get()),
            self.market.get(),
            self.account.get(),
            U256::from(status.paused()),
            U256::from(u8::from(status.halted())),
            params::HALTED_AT.of(strategy),
            U256::from(status.band()),
            U256::from(u8::from(status.long())),
            params::LEVERAGE.of(strategy),
        ]
    }

    pub(crate) fn param_words(&self) -> [U256; 10] {
        let words = [
            self.rules.get(),
            self.strategy.get(),
            self.moves.get(),
            self.money.get(),
        ];
        params::PARAMS.map(|p| p.slot.of(words[p.slot.word as usize]))
    }
}
