//! Native unit tests of the vault: one behaviour per test, on a fake chain ([`world`]).
//!
//! The standard setting: a USDC-like quote (6 decimals), a WETH market at an oracle price of
//! 3,000, the RiskModel's max leverage 5×, the engine's initial margin 10 % of notional with
//! no spread or fee unless a test sets them, the defaults of `params::DEFAULTS` (hard cap
//! 20 %, soft band from 10 %, multiplier 4, slippage 1 %), and the strategist long at 2×.

mod cppi_flows;
mod erc20;
mod erc4626;
mod properties;
mod roles;
mod world;

use alloy_primitives::{address, Address, I256, U256};
use alloy_sol_types::SolEvent;
use keel_math::WAD;
use stylus_sdk::stylus_core::host::*;

use self::world::{Account, Token, World};
use crate::{params::name, DrawdownVault, Error};

pub(crate) const ADMIN: Address = address!("00000000000000000000000000000000000000a1");
pub(crate) const STRATEGIST: Address = address!("00000000000000000000000000000000000000a2");
pub(crate) const GUARDIAN: Address = address!("00000000000000000000000000000000000000a3");
pub(crate) const ALICE: Address = address!("00000000000000000000000000000000000000a4");
pub(crate) const BOB: Address = address!("00000000000000000000000000000000000000a5");
pub(crate) const KEEPER: Address = address!("00000000000000000000000000000000000000a6");
pub(crate) const STRANGER: Address = address!("00000000000000000000000000000000000000a7");
pub(crate) const QUOTE: Address = address!("00000000000000000000000000000000000000b1");
pub(crate) const WETH: Address = address!("00000000000000000000000000000000000000b2");
pub(crate) const ENGINE: Address = address!("00000000000000000000000000000000000000c1");
pub(crate) const ORACLE: Address = address!("00000000000000000000000000000000000000c2");
pub(crate) const MODEL: Address = address!("00000000000000000000000000000000000000c3");

/// The engine market the vault trades.
pub(crate) const MARKET: U256 = U256::from_limbs([7, 0, 0, 0]);
/// The vault's engine account (the fake engine's first).
pub(crate) const ACCOUNT: U256 = U256::from_limbs([1, 0, 0, 0]);
/// When the tests start.
pub(crate) const T0: u64 = 1_700_000_000;

/// `x` whole quote tokens (6 decimals).
pub(crate) fn usdc(x: u64) -> U256 {
    U256::from(x) * U256::from(1_000_000u64)
}

/// `x` as a WAD number.
pub(crate) fn wad(x: u64) -> U256 {
    U256::from(x) * WAD
}

/// `x / 100` as a WAD number.
pub(crate) fn pct(x: u64) -> U256 {
    U256::from(x) * WAD / U256::from(100)
}

/// A signed WAD number of `x`.
pub(crate) fn swad(x: i64) -> I256 {
    let m = I256::from_raw(wad(x.unsigned_abs()));
    if x < 0 {
        -m
    } else {
        m
    }
}

/// The ABI encoding of a call's error, for exact comparisons; empty if it succeeded.
pub(crate) fn err<T>(result: Result<T, Error>) -> Vec<u8> {
    result.err().map(Vec::from).unwrap_or_default()
}

/// A vault on a fake chain, set up in the standard setting.
pub(crate) struct Fixture {
    pub(crate) world: World,
    pub(crate) vault: DrawdownVault,
}

impl Fixture {
    /// Deployed with `ADMIN` as ward, nothing else set.
    pub(crate) fn deployed() -> Self {
        Self::deployed_with(6)
    }

    /// Deployed over a quote of `decimals`, with `ADMIN` as ward, nothing else set.
    pub(crate) fn deployed_with(decimals: u8) -> Self {
        let world = World::default();
        {
            let mut chain = world.chain.borrow_mut();
            chain.quote = QUOTE;
            chain.engine_address = ENGINE;
            chain.oracle = ORACLE;
            chain.model = MODEL;
            chain.tokens.insert(
                QUOTE,
                Token {
                    decimals,
                    ..Token::default()
                },
            );
            chain.engine.asset = WETH;
            chain.engine.market = MARKET;
            chain.price = wad(3_000);
            chain.valid = true;
            chain.max_leverage = wad(5);
        }
        world.vm.set_block_timestamp(T0);
        let mut vault = DrawdownVault::from(&world);
        if let Err(e) = vault.constructor(QUOTE, ENGINE, ORACLE, MODEL, MARKET, ADMIN) {
            panic!(
                "constructor failed: {}",
                alloy_primitives::hex::encode(Vec::from(e))
            );
        }
        Self { world, vault }
    }

    /// The standard setting: strategist and guardian set, the strategist long at 2×.
    pub(crate) fn new() -> Self {
        let mut t = Self::deployed();
        t.as_(ADMIN);
        t.ok(|v| v.file_address(name("strategist"), STRATEGIST));
        t.ok(|v| v.file_address(name("guardian"), GUARDIAN));
        t.as_(STRATEGIST);
        t.ok(|v| v.set_target(true, wad(2)));
        t.world.vm.clear_mocks();
        t
    }

    /// Calls as `who` from now on.
    pub(crate) fn as_(&mut self, who: Address) -> &mut Self {
        self.world.vm.set_sender(who);
        self
    }

    /// Moves the clock to `T0 + seconds`.
    pub(crate) fn at(&mut self, seconds: u64) {
        self.world.vm.set_block_timestamp(T0 + seconds);
    }

    /// Runs `f`, which must succeed.
    pub(crate) fn ok<T>(&mut self, f: impl FnOnce(&mut DrawdownVault) -> Result<T, Error>) -> T {
        match f(&mut self.vault) {
            Ok(value) => value,
            Err(e) => panic!(
                "call failed with {:?}",
                alloy_primitives::hex::encode(Vec::from(e))
            ),
        }
    }

    /// `file(what, data)` as `ADMIN`, which must succeed.
    pub(crate) fn set(&mut self, what: &str, data: U256) {
        let sender = self.world.vm.msg_sender();
        self.as_(ADMIN);
        self.ok(|v| v.file(name(what), data));
        self.as_(sender);
    }

    /// The vault's own address.
    pub(crate) fn this(&self) -> Address {
        self.world.vm.contract_address()
    }

    /// Gives `who` quote and approves the vault for all of it.
    pub(crate) fn fund(&mut self, who: Address, value: U256) {
        let vault = self.this();
        let mut chain = self.world.chain.borrow_mut();
        let token = chain.tokens.entry(QUOTE).or_default();
        *token.balances.entry(who).or_default() += value;
        token.allowances.insert((who, vault), U256::MAX);
    }

    /// Funds `who` and deposits `assets` for it; returns the shares.
    pub(crate) fn deposit(&mut self, who: Address, assets: U256) -> U256 {
        self.fund(who, assets);
        self.as_(who);
        self.ok(|v| v.deposit(assets, who))
    }

    /// Redeems `shares` of `who` to `who`; returns the assets.
    pub(crate) fn redeem(&mut self, who: Address, shares: U256) -> U256 {
        self.as_(who);
        self.ok(|v| v.redeem(shares, who, who))
    }

    /// A rebalance by `KEEPER` with no own price limit, which must succeed.
    pub(crate) fn rebalance(&mut self) -> (I256, U256) {
        self.as_(KEEPER);
        let deadline = U256::from(self.world.vm.block_timestamp() + 60);
        self.ok(|v| v.rebalance(U256::ZERO, deadline))
    }

    /// Quote units held by `who`.
    pub(crate) fn balance(&self, who: Address) -> U256 {
        let chain = self.world.chain.borrow();
        chain
            .tokens
            .get(&QUOTE)
            .and_then(|t| t.balances.get(&who).copied())
            .unwrap_or_default()
    }

    /// Sets the oracle's price (WAD) of the market asset.
    pub(crate) fn price(&mut self, price: U256) {
        self.world.chain.borrow_mut().price = price;
    }

    /// Sets the oracle's `isValid`.
    pub(crate) fn valid(&mut self, valid: bool) {
        self.world.chain.borrow_mut().valid = valid;
    }

    /// The vault's engine account.
    pub(crate) fn account(&self) -> Account {
        self.world
            .chain
            .borrow()
            .engine
            .accounts
            .get(&ACCOUNT)
            .cloned()
            .unwrap_or_default()
    }

    /// Adds `amount` WAD to the vault's engine quote balance (and backs it with tokens), as a
    /// donation or realised profit would.
    pub(crate) fn donate(&mut self, amount: U256) {
        let mut chain = self.world.chain.borrow_mut();
        if let Some(a) = chain.engine.accounts.get_mut(&ACCOUNT) {
            a.quote += I256::from_raw(amount);
        }
        let token = chain.tokens.entry(QUOTE).or_default();
        let units = keel_math::from_wad_down(amount, token.decimals).unwrap_or_default();
        token.credit(ENGINE, units);
    }

    /// Sets the engine's spread and fee (WAD fractions of notional).
    pub(crate) fn costs(&mut self, spread: U256, fee: U256) {
        let mut chain = self.world.chain.borrow_mut();
        chain.engine.spread = spread;
        chain.engine.fee = fee;
    }

    /// Every logged event of type `E`, decoded.
    pub(crate) fn events<E: SolEvent>(&self) -> Vec<E> {
        self.world
            .vm
            .get_emitted_logs()
            .into_iter()
            .filter(|(topics, _)| topics.first() == Some(&E::SIGNATURE_HASH))
            .filter_map(|(topics, data)| E::decode_raw_log(topics.iter().copied(), &data).ok())
            .collect()
    }

    /// The last logged event of type `E`.
    pub(crate) fn last<E: SolEvent>(&self) -> E {
        match self.events::<E>().pop() {
            Some(event) => event,
            None => panic!("no {} event", E::SIGNATURE),
        }
    }

    /// The `state()` view's pause bits, halted flag and band.
    pub(crate) fn status(&self) -> (U256, bool, U256) {
        let s = self.vault.state();
        (s[8], s[9] == U256::from(1), s[11])
    }
}
