//! Native unit tests of the engine: one behaviour per test, on a fake chain ([`world`]).
//!
//! The standard setting ([`Fixture::new`]): a USDC-like quote (6 decimals); market 1 on WETH
//! (price 3,000) and market 2 on WBTC (60,000), each with open-interest caps of 1,000 units, a
//! 0.1 % fee and no spread; initial margin 10 %, maintenance 5 %; WETH listed as collateral with
//! a 10 % haircut, a 20 % correlation haircut on WETH longs and a 1,000 WETH cap; account 1
//! owned by `ALICE`, who holds 1,000,000 USDC and 100 WETH; `LP` has put 1,000,000 USDC in the
//! pool.

mod accounts;
mod governance;
mod health;
mod pool;
mod property;
mod router;
mod trading;
mod world;

use alloy_primitives::{address, Address, I256, U256};
use alloy_sol_types::SolEvent;
use keel_math::WAD;
use stylus_sdk::stylus_core::host::*;

use self::world::{Feed, Token, World};
use crate::{params::name, Error, MarginEngine};

pub(crate) const ADMIN: Address = address!("00000000000000000000000000000000000000a1");
pub(crate) const ALICE: Address = address!("00000000000000000000000000000000000000a2");
pub(crate) const BOB: Address = address!("00000000000000000000000000000000000000a3");
pub(crate) const LP: Address = address!("00000000000000000000000000000000000000a4");
pub(crate) const BACKSTOP: Address = address!("00000000000000000000000000000000000000a5");
pub(crate) const STRANGER: Address = address!("00000000000000000000000000000000000000a6");
pub(crate) const QUOTE: Address = address!("00000000000000000000000000000000000000b1");
pub(crate) const WETH: Address = address!("00000000000000000000000000000000000000b2");
pub(crate) const WBTC: Address = address!("00000000000000000000000000000000000000b3");
pub(crate) const FOT: Address = address!("00000000000000000000000000000000000000b4");
pub(crate) const ORACLE: Address = address!("00000000000000000000000000000000000000c1");
pub(crate) const MODEL: Address = address!("00000000000000000000000000000000000000c2");

/// Market ids of the standard setting.
pub(crate) const ETH: U256 = U256::from_limbs([1, 0, 0, 0]);
pub(crate) const BTC: U256 = U256::from_limbs([2, 0, 0, 0]);
/// ALICE's account.
pub(crate) const ACC: U256 = U256::from_limbs([1, 0, 0, 0]);
/// When the tests start.
pub(crate) const T0: u64 = 1_700_000_000;

/// `x` whole quote tokens (6 decimals).
pub(crate) fn usdc(x: u64) -> U256 {
    U256::from(x) * U256::from(1_000_000u64)
}

/// `x` as a WAD number (also `x` whole 18-decimal tokens).
pub(crate) fn wad(x: u64) -> U256 {
    U256::from(x) * WAD
}

/// `x / 1000` as a WAD number.
pub(crate) fn milli(x: u64) -> U256 {
    U256::from(x) * U256::from(1_000_000_000_000_000u64)
}

/// `x` as a signed WAD number.
pub(crate) fn swad(x: i64) -> I256 {
    I256::try_from(x).unwrap_or_default() * I256::from_raw(WAD)
}

/// A signed value of a WAD number.
pub(crate) fn signed(x: U256) -> I256 {
    I256::from_raw(x)
}

/// The ABI encoding of a call's error; empty if it succeeded.
pub(crate) fn err<T>(result: Result<T, Error>) -> Vec<u8> {
    result.err().map(Vec::from).unwrap_or_default()
}

/// The error a call failed with, decoded as `E`.
pub(crate) fn fails<T, E: alloy_sol_types::SolError>(result: Result<T, Error>) -> E {
    let data = err(result);
    match E::abi_decode(&data) {
        Ok(e) => e,
        Err(_) => panic!(
            "expected {}, got {}",
            E::SIGNATURE,
            alloy_primitives::hex::encode(data)
        ),
    }
}

/// An engine on a fake chain.
pub(crate) struct Fixture {
    pub(crate) world: World,
    pub(crate) engine: MarginEngine,
}

impl Fixture {
    /// Deployed with `ADMIN` as ward; the fakes know every token, price and margin of the
    /// standard setting, but nothing is listed.
    pub(crate) fn deployed() -> Self {
        let world = World::default();
        {
            let mut chain = world.chain.borrow_mut();
            chain.oracle = ORACLE;
            chain.model = MODEL;
            for (token, decimals) in [(QUOTE, 6), (WETH, 18), (WBTC, 8), (FOT, 18)] {
                chain.tokens.insert(
                    token,
                    Token {
                        decimals,
                        ..Token::default()
                    },
                );
            }
            chain.tokens.entry(FOT).or_default().fee = U256::from(1);
            for (asset, price) in [(WETH, 3_000), (WBTC, 60_000), (FOT, 1)] {
                let feed = Feed {
                    price: wad(price),
                    valid: true,
                    age: 0,
                    status: 0,
                    vol: milli(500),
                };
                chain.feeds.insert(asset, feed);
                chain.margins.insert(asset, (milli(100), milli(50)));
            }
        }
        world.vm.set_block_timestamp(T0);
        world.vm.set_sender(ADMIN);
        let mut engine = MarginEngine::from(&world);
        if engine.constructor(QUOTE, ORACLE, MODEL, ADMIN).is_err() {
            panic!("constructor failed");
        }
        Self { world, engine }
    }

    /// The standard setting (see the module docs).
    pub(crate) fn new() -> Self {
        let mut t = Self::deployed();
        t.as_(ADMIN);
        for asset in [WETH, WBTC] {
            let market = t.ok(|e| e.list_market(asset));
            t.file_market(market, "oiCapLong", wad(1_000));
            t.file_market(market, "oiCapShort", wad(1_000));
            t.file_market(market, "fee", milli(1));
        }
        t.ok(|e| e.list_collateral(WETH, milli(100), wad(1_000), WETH, milli(200)));
        t.as_(ALICE);
        t.ok(|e| e.open_account(ALICE));
        t.fund(ALICE, QUOTE, usdc(1_000_000));
        t.fund(ALICE, WETH, wad(100));
        t.fund(LP, QUOTE, usdc(1_000_000));
        t.as_(LP);
        t.ok(|e| e.pool_deposit(usdc(1_000_000), LP));
        t.as_(ALICE);
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
    pub(crate) fn ok<T>(&mut self, f: impl FnOnce(&mut MarginEngine) -> Result<T, Error>) -> T {
        match f(&mut self.engine) {
            Ok(value) => value,
            Err(e) => panic!(
                "call failed with {}",
                alloy_primitives::hex::encode(Vec::from(e))
            ),
        }
    }

    /// `fileMarket` as `ADMIN`, which must succeed; the sender is kept.
    pub(crate) fn file_market(&mut self, market: U256, what: &str, data: U256) {
        let sender = self.world.vm.msg_sender();
        self.as_(ADMIN);
        self.ok(|e| e.file_market(market, name(what), data));
        self.as_(sender);
    }

    /// Mints `value` of `token` to `who` and approves the engine for all of it.
    pub(crate) fn fund(&mut self, who: Address, token: Address, value: U256) {
        let this = self.world.vm.contract_address();
        let mut chain = self.world.chain.borrow_mut();
        let t = chain.tokens.entry(token).or_default();
        *t.balances.entry(who).or_default() += value;
        t.allowances.insert((who, this), U256::MAX);
    }

    /// `who`'s balance of `token`.
    pub(crate) fn balance(&self, token: Address, who: Address) -> U256 {
        let chain = self.world.chain.borrow();
        chain
            .tokens
            .get(&token)
            .and_then(|t| t.balances.get(&who).copied())
            .unwrap_or_default()
    }

    /// The engine's own balance of `token`.
    pub(crate) fn held(&self, token: Address) -> U256 {
        self.balance(token, self.world.vm.contract_address())
    }

    /// Runs `f` as a transaction: if it fails, the engine's storage and every token ledger are
    /// put back as they were (a chain reverts the whole call; `TestVM` does not).
    pub(crate) fn atomic<T>(
        &mut self,
        f: impl FnOnce(&mut MarginEngine) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let storage = self.world.vm.snapshot().storage;
        let ledgers: Vec<_> = {
            let chain = self.world.chain.borrow();
            chain
                .tokens
                .iter()
                .map(|(a, t)| (*a, t.balances.clone(), t.allowances.clone()))
                .collect()
        };
        let result = f(&mut self.engine);
        if result.is_err() {
            self.world.vm.clear_storage();
            for (key, value) in storage {
                self.world.vm.set_storage(key, value);
            }
            let mut chain = self.world.chain.borrow_mut();
            for (a, balances, allowances) in ledgers {
                let t = chain.tokens.entry(a).or_default();
                t.balances = balances;
                t.allowances = allowances;
            }
        }
        result
    }

    /// Changes what the oracle says about `asset`.
    pub(crate) fn feed(&mut self, asset: Address, f: impl FnOnce(&mut Feed)) {
        if let Some(feed) = self.world.chain.borrow_mut().feeds.get_mut(&asset) {
            f(feed);
        }
    }

    /// Sets the oracle price of `asset` (whole units).
    pub(crate) fn price(&mut self, asset: Address, price: u64) {
        self.feed(asset, |f| f.price = wad(price));
    }

    /// Deposits `amount` of `token` into account `ACC` as ALICE.
    pub(crate) fn deposit(&mut self, token: Address, amount: U256) {
        self.as_(ALICE);
        self.ok(|e| e.deposit(ACC, token, amount));
    }

    /// ALICE trades `size` in `market` with no price limit.
    pub(crate) fn try_trade(&mut self, market: U256, size: I256) -> Result<U256, Error> {
        self.as_(ALICE);
        let limit = if size.is_negative() {
            U256::ZERO
        } else {
            U256::MAX
        };
        self.engine
            .trade(ACC, market, size, limit, U256::from(T0 + 1_000_000))
    }

    /// [`Fixture::try_trade`], which must succeed; returns the fill.
    pub(crate) fn trade(&mut self, market: U256, size: I256) -> U256 {
        match self.try_trade(market, size) {
            Ok(fill) => fill,
            Err(e) => panic!(
                "trade failed with {}",
                alloy_primitives::hex::encode(Vec::from(e))
            ),
        }
    }

    /// `(equity, im, mm)` of `ACC`.
    pub(crate) fn health(&self) -> (I256, U256, U256) {
        match self.engine.account_health(ACC) {
            Ok(h) => h,
            Err(e) => panic!(
                "health failed with {}",
                alloy_primitives::hex::encode(Vec::from(e))
            ),
        }
    }

    /// The markets `ACC` holds positions in, decoded from `accountMarkets`' return data.
    pub(crate) fn markets(&self) -> Vec<U256> {
        use alloy_sol_types::SolValue;
        match Vec::<U256>::abi_decode(&self.engine.account_markets(ACC)) {
            Ok(ids) => ids,
            Err(e) => panic!("accountMarkets is not a uint256[]: {e}"),
        }
    }

    /// `(totalAssets, totalShares, traderPnl, balance)`.
    pub(crate) fn pool(&self) -> (U256, U256, I256, U256) {
        match self.engine.pool_state() {
            Ok(p) => p,
            Err(e) => panic!(
                "poolState failed with {}",
                alloy_primitives::hex::encode(Vec::from(e))
            ),
        }
    }

    /// The global words: quote, its decimals,
    /// oracle, model, accounts, markets, collaterals, maxProfitRatio, maxPositions, stopped.
    pub(crate) fn globals(&self) -> [U256; 10] {
        use crate::records::{globals as g, head, links};
        let (h, gl) = (self.engine.head.get(), self.engine.globals.get());
        [
            head::QUOTE.of(h),
            head::DECIMALS.of(h),
            g::ORACLE.of(gl),
            links::MODEL.of(self.engine.links.get()),
            head::ACCOUNTS.of(h),
            head::MARKETS.of(h),
            head::COLLATERALS.of(h),
            g::MAX_PROFIT_RATIO.of(gl),
            g::MAX_POSITIONS.of(gl),
            g::STOPPED.of(gl),
        ]
    }

    /// Market words: asset, fee, baseSpread, volSpread, oiCapLong, oiCapShort, minSize,
    /// long and short open interest.
    pub(crate) fn market_params(&self, market: U256) -> [U256; 9] {
        use crate::records::market as m;
        let e = self.engine.markets.getter(market);
        let (spec, fees, caps, oi) = (e.spec.get(), e.fees.get(), e.caps.get(), e.oi.get());
        [
            m::ASSET.of(spec),
            m::FEE.of(fees),
            m::BASE_SPREAD.of(fees),
            m::VOL_SPREAD.of(fees),
            m::LONG.of(caps),
            m::SHORT.of(caps),
            m::MIN_SIZE.of(spec),
            m::LONG.of(oi),
            m::SHORT.of(oi),
        ]
    }

    /// Collateral words: index, decimals, haircut, cap, correlatedAsset, correlationHaircut,
    /// total deposited.
    pub(crate) fn collateral_params(&self, token: Address) -> [U256; 7] {
        use crate::records::collateral as c;
        let e = self.engine.collaterals.getter(token);
        let (spec, caps) = (e.spec.get(), e.caps.get());
        [
            c::INDEX.of(spec),
            c::DECIMALS.of(spec),
            c::HAIRCUT.of(spec),
            c::CAP.of(caps),
            c::CORRELATED.of(e.corr.get()),
            c::CORRELATION_HAIRCUT.of(spec),
            c::TOTAL.of(caps),
        ]
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
}
