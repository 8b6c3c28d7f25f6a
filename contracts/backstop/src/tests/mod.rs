//! Native unit tests of the contract: one behaviour per test, on a fake chain ([`world`]).
//!
//! The standard setting: a USDC-like quote (6 decimals); market 1 is ETH (WETH priced 3,000,
//! maintenance 5 %), market 2 is BTC (WBTC, 8 decimals, priced 60,000, maintenance 4 %); WETH
//! and WBTC are collateral (WETH with a 10 % haircut), listed on the Liquidator with ample room
//! and auctionable by the Backstop; the pool holds 10,000,000; the Backstop's defaults apply
//! (target health 1.25, penalty 1 %, keeper share 50 %, ADL ratio 1, grace 1 h).

mod adl;
mod governance;
mod liquidate;
mod properties;
mod router;
mod settle;
mod world;

use alloy_primitives::{address, Address, I256, U256};
use alloy_sol_types::SolEvent;
use keel_math::WAD;
use stylus_sdk::stylus_core::host::{AccountAccess, MessageAccess};

use self::world::{Account, Position, Token, World};
use crate::{params::name, Backstop, Error};

pub(crate) const ADMIN: Address = address!("00000000000000000000000000000000000000a1");
pub(crate) const KEEPER: Address = address!("00000000000000000000000000000000000000a3");
pub(crate) const STRANGER: Address = address!("00000000000000000000000000000000000000a7");
pub(crate) const OWNER: Address = address!("00000000000000000000000000000000000000a5");
pub(crate) const ENGINE: Address = address!("00000000000000000000000000000000000000e1");
pub(crate) const LIQUIDATOR: Address = address!("00000000000000000000000000000000000000e2");
pub(crate) const ORACLE: Address = address!("00000000000000000000000000000000000000c1");
pub(crate) const MODEL: Address = address!("00000000000000000000000000000000000000c2");
pub(crate) const QUOTE: Address = address!("00000000000000000000000000000000000000b1");
pub(crate) const WETH: Address = address!("00000000000000000000000000000000000000b2");
pub(crate) const WBTC: Address = address!("00000000000000000000000000000000000000b3");

/// Market ids.
pub(crate) const ETH: U256 = U256::from_limbs([1, 0, 0, 0]);
pub(crate) const BTC: U256 = U256::from_limbs([2, 0, 0, 0]);
/// The account most tests liquidate.
pub(crate) const ACCOUNT: U256 = U256::from_limbs([7, 0, 0, 0]);
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

/// A signed WAD number of `x` whole units.
pub(crate) fn swad(x: i64) -> I256 {
    I256::try_from(x).unwrap_or_default() * I256::from_raw(WAD)
}

/// The ABI encoding of a call's error, for exact comparisons; empty if it succeeded.
pub(crate) fn err<T>(result: Result<T, Error>) -> Vec<u8> {
    result.err().map(Vec::from).unwrap_or_default()
}

/// A Backstop on a fake chain, set up in the standard setting.
pub(crate) struct Fixture {
    pub(crate) world: World,
    pub(crate) bs: Backstop,
}

impl Fixture {
    /// The standard setting, with an empty log.
    pub(crate) fn new() -> Self {
        let world = World::default();
        {
            let mut c = world.chain.borrow_mut();
            c.quote = QUOTE;
            for (token, decimals) in [(QUOTE, 6), (WETH, 18), (WBTC, 8)] {
                c.tokens.insert(
                    token,
                    Token {
                        decimals,
                        ..Token::default()
                    },
                );
            }
            c.prices.insert(WETH, wad(3_000));
            c.prices.insert(WBTC, wad(60_000));
            c.mm.insert(WETH, pct(5));
            c.mm.insert(WBTC, pct(4));
            c.engine.markets.insert(ETH, WETH);
            c.engine.markets.insert(BTC, WBTC);
            c.engine.haircuts.insert(WETH, pct(10));
            c.engine.pool = I256::from_raw(wad(10_000_000));
            c.engine.wards.push(world.vm.contract_address());
            for token in [WETH, WBTC] {
                c.liq.listed.insert(token, true);
                c.liq.room.insert(token, usdc(100_000_000));
            }
            // The engine holds the pool's quote.
            c.tokens
                .get_mut(&QUOTE)
                .map(|t| t.balances.insert(ENGINE, usdc(10_000_000)));
        }
        world.vm.set_block_timestamp(T0);
        world.vm.set_sender(ADMIN);
        let bs = Backstop::from(&world);
        let mut t = Self { world, bs };
        t.ok(|b| b.constructor(ENGINE, LIQUIDATOR, QUOTE, ORACLE, MODEL, ADMIN));
        t.ok(|b| b.file_token(WETH, true));
        t.ok(|b| b.file_token(WBTC, true));
        t.world.vm.clear_mocks();
        t
    }

    /// The Backstop's own address.
    pub(crate) fn this(&self) -> Address {
        self.world.vm.contract_address()
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
    pub(crate) fn ok<T>(&mut self, f: impl FnOnce(&mut Backstop) -> Result<T, Error>) -> T {
        match f(&mut self.bs) {
            Ok(value) => value,
            Err(e) => panic!("call failed with {:?}", decode(&Vec::from(e))),
        }
    }

    /// `file(what, data)` as `ADMIN`.
    pub(crate) fn set(&mut self, what: &str, data: U256) {
        let sender = self.world.vm.msg_sender();
        self.as_(ADMIN);
        self.ok(|b| b.file(name(what), data));
        self.as_(sender);
    }

    /// `fileMarket(market, what, data)` as `ADMIN`.
    pub(crate) fn set_market(&mut self, market: U256, what: &str, data: U256) {
        let sender = self.world.vm.msg_sender();
        self.as_(ADMIN);
        self.ok(|b| b.file_market(market, name(what), data));
        self.as_(sender);
    }

    /// Opens (or replaces) margin account `id` of `OWNER` with `quote` WAD.
    pub(crate) fn open(&mut self, id: U256, quote: I256) {
        let account = Account {
            owner: OWNER,
            quote,
            ..Account::default()
        };
        self.world
            .chain
            .borrow_mut()
            .engine
            .accounts
            .insert(id, account);
    }

    /// Sets the quote balance of account `id`.
    pub(crate) fn set_quote(&mut self, id: U256, quote: I256) {
        let mut c = self.world.chain.borrow_mut();
        c.engine.accounts.entry(id).or_default().quote = quote;
    }

    /// Gives account `id` a position.
    pub(crate) fn position(&mut self, id: U256, market: U256, size: I256, entry: U256) {
        let mut c = self.world.chain.borrow_mut();
        let a = c.engine.accounts.entry(id).or_default();
        a.positions.insert(market, Position { size, entry });
    }

    /// Gives account `id` collateral, held by the engine.
    pub(crate) fn collateral(&mut self, id: U256, token: Address, amount: U256) {
        let mut c = self.world.chain.borrow_mut();
        *c.engine
            .accounts
            .entry(id)
            .or_default()
            .collateral
            .entry(token)
            .or_default() += amount;
        *c.tokens
            .entry(token)
            .or_default()
            .balances
            .entry(ENGINE)
            .or_default() += amount;
    }

    /// Sets the oracle price of `asset`.
    pub(crate) fn price(&mut self, asset: Address, price: U256) {
        self.world.chain.borrow_mut().prices.insert(asset, price);
    }

    /// Mints `value` of `token` to `to`.
    pub(crate) fn mint(&mut self, token: Address, to: Address, value: U256) {
        let mut c = self.world.chain.borrow_mut();
        *c.tokens
            .entry(token)
            .or_default()
            .balances
            .entry(to)
            .or_default() += value;
    }

    pub(crate) fn balance(&self, token: Address, who: Address) -> U256 {
        let c = self.world.chain.borrow();
        c.tokens
            .get(&token)
            .and_then(|t| t.balances.get(&who).copied())
            .unwrap_or_default()
    }

    /// `(equity, maintenance)` of account `id` as the engine computes them.
    pub(crate) fn health(&self, id: U256) -> (I256, U256) {
        self.world.chain.borrow().health(id)
    }

    /// A copy of account `id` in the engine.
    pub(crate) fn account(&self, id: U256) -> Account {
        self.world
            .chain
            .borrow()
            .engine
            .accounts
            .get(&id)
            .cloned()
            .unwrap_or_default()
    }

    /// The signed size of account `id` in `market`.
    pub(crate) fn size(&self, id: U256, market: U256) -> I256 {
        self.account(id)
            .positions
            .get(&market)
            .map(|p| p.size)
            .unwrap_or_default()
    }

    /// The insurance fund.
    pub(crate) fn fund(&self) -> U256 {
        self.bs.insurance_fund().unwrap_or_default()
    }

    /// Every logged event of type `T`, decoded.
    pub(crate) fn events<T: SolEvent>(&self) -> Vec<T> {
        self.world
            .vm
            .get_emitted_logs()
            .into_iter()
            .filter(|(topics, _)| topics.first() == Some(&T::SIGNATURE_HASH))
            .filter_map(|(topics, data)| T::decode_raw_log(topics.iter().copied(), &data).ok())
            .collect()
    }

    /// The last logged event of type `T`.
    pub(crate) fn last<T: SolEvent>(&self) -> T {
        match self.events::<T>().pop() {
            Some(event) => event,
            None => panic!("no {} event", T::SIGNATURE),
        }
    }

    /// Opens account `id` with `quote` whole quote (WAD) and a long of `size` ETH from `entry`.
    pub(crate) fn long(&mut self, id: U256, quote: i64, size: i64, entry: u64) {
        self.open(id, swad(quote));
        self.position(id, ETH, swad(size), wad(entry));
    }
}

/// A readable form of revert data: the error's name when it is one of the Backstop's.
pub(crate) fn decode(data: &[u8]) -> String {
    use alloy_sol_types::SolError;
    match crate::errors::BackstopExternalCallFailed::abi_decode(data) {
        Ok(e) => match world::FakeRevert::abi_decode(&e.reason) {
            Ok(why) => format!("call to {} failed: {}", e.target, why.why),
            Err(_) => format!("call to {} failed: {}", e.target, e.reason),
        },
        Err(_) => alloy_primitives::hex::encode(data),
    }
}
