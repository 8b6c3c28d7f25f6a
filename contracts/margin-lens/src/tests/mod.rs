//! Native unit tests of the lens on a fake chain ([`world`]).
//!
//! The standard setting: market 1 is ETH (WETH at 3,000, maintenance 5 %), market 2 is BTC
//! (WBTC at 60,000, maintenance 4 %); initial margin is twice maintenance.

mod views;
mod world;

use alloy_primitives::{address, Address, I256, U256};
use keel_math::WAD;

use self::world::{Position, World};
use crate::{Error, MarginLens};

pub(crate) const ENGINE: Address = address!("00000000000000000000000000000000000000e1");
pub(crate) const ORACLE: Address = address!("00000000000000000000000000000000000000c1");
pub(crate) const MODEL: Address = address!("00000000000000000000000000000000000000c2");
pub(crate) const WETH: Address = address!("00000000000000000000000000000000000000b2");
pub(crate) const WBTC: Address = address!("00000000000000000000000000000000000000b3");

/// Market ids.
pub(crate) const ETH: U256 = U256::from_limbs([1, 0, 0, 0]);
pub(crate) const BTC: U256 = U256::from_limbs([2, 0, 0, 0]);
/// The account the tests read.
pub(crate) const ACCOUNT: U256 = U256::from_limbs([7, 0, 0, 0]);

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
    I256::try_from(x).unwrap() * I256::from_raw(WAD)
}

/// The ABI encoding of a call's error; empty if it succeeded.
pub(crate) fn err<T>(result: Result<T, Error>) -> Vec<u8> {
    result.err().map(Vec::from).unwrap_or_default()
}

/// A lens on a fake chain in the standard setting.
pub(crate) struct Fixture {
    pub(crate) world: World,
    pub(crate) lens: MarginLens,
}

impl Fixture {
    /// The standard setting, the lens constructed.
    pub(crate) fn new() -> Self {
        let mut t = Self::bare();
        t.lens
            .constructor(ENGINE, MODEL)
            .map_err(Vec::from)
            .unwrap();
        t
    }

    /// The standard setting, the lens not yet constructed.
    pub(crate) fn bare() -> Self {
        let world = World::default();
        {
            let mut c = world.chain.borrow_mut();
            c.model_oracle = ORACLE;
            c.markets.insert(ETH, WETH);
            c.markets.insert(BTC, WBTC);
            c.prices.insert(WETH, wad(3_000));
            c.prices.insert(WBTC, wad(60_000));
            c.mm.insert(WETH, pct(5));
            c.mm.insert(WBTC, pct(4));
        }
        let lens = MarginLens::from(&world);
        Self { world, lens }
    }

    /// Gives `ACCOUNT` a quote balance of `quote` WAD.
    pub(crate) fn quote(&self, quote: I256) {
        self.world
            .chain
            .borrow_mut()
            .accounts
            .entry(ACCOUNT)
            .or_default()
            .0 = quote;
    }

    /// Gives `ACCOUNT` a position in `market`.
    pub(crate) fn open(&self, market: U256, size: I256, entry: U256) {
        let mut c = self.world.chain.borrow_mut();
        let positions = &mut c.accounts.entry(ACCOUNT).or_default().1;
        positions.insert(market, Position { size, entry });
    }

    /// Sets the oracle's price of `asset`.
    pub(crate) fn price(&self, asset: Address, price: U256) {
        self.world.chain.borrow_mut().prices.insert(asset, price);
    }

    /// Sets the maintenance fraction of `asset`.
    pub(crate) fn maintenance(&self, asset: Address, m: U256) {
        self.world.chain.borrow_mut().mm.insert(asset, m);
    }

    /// The engine's verdict (its formulas) on `ACCOUNT` with `asset` priced at `price`:
    /// `equity − maintenance`.
    pub(crate) fn gap_at(&self, asset: Address, price: U256) -> I256 {
        let (equity, _, mm) = self
            .world
            .chain
            .borrow()
            .health_at(ACCOUNT, Some((asset, price)));
        equity - I256::from_raw(mm)
    }

    /// `liquidationPrice(ACCOUNT, market)`, which must succeed.
    pub(crate) fn liq(&self, market: U256) -> U256 {
        self.lens
            .liquidation_price(ACCOUNT, market)
            .map_err(Vec::from)
            .unwrap()
    }
}
