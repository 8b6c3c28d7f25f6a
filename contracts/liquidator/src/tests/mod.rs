//! Native unit tests of the contract: one behaviour per test, on a fake chain ([`world`]).
//!
//! The standard setting: WETH (18 decimals) sold for a USDC-like quote (6 decimals) at an
//! oracle price of 3,000, `buf` 1.25 (top 3,750), a linear curve to zero over `tau` = 1 h,
//! `tail` = 2 h, `cusp` = 0.5, `chost` = 100 USDC, caps of 1,000,000 USDC.

mod governance;
mod kick;
mod redo;
mod take;
mod views;
mod world;

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::SolEvent;
use keel_math::WAD;
use stylus_sdk::stylus_core::host::MessageAccess;

use self::world::{Engine, Taker, Token, World, WorldExt};
use crate::{params::name, Error, Liquidator};

pub(crate) const ADMIN: Address = address!("00000000000000000000000000000000000000a1");
pub(crate) const ENGINE: Address = address!("00000000000000000000000000000000000000a2");
pub(crate) const KEEPER: Address = address!("00000000000000000000000000000000000000a3");
pub(crate) const TAKER: Address = address!("00000000000000000000000000000000000000a4");
pub(crate) const OWNER: Address = address!("00000000000000000000000000000000000000a5");
pub(crate) const GUARDIAN: Address = address!("00000000000000000000000000000000000000a6");
pub(crate) const STRANGER: Address = address!("00000000000000000000000000000000000000a7");
pub(crate) const RECEIVER: Address = address!("00000000000000000000000000000000000000a8");
pub(crate) const FLASH: Address = address!("00000000000000000000000000000000000000a9");
pub(crate) const QUOTE: Address = address!("00000000000000000000000000000000000000b1");
pub(crate) const WETH: Address = address!("00000000000000000000000000000000000000b2");
pub(crate) const WBTC: Address = address!("00000000000000000000000000000000000000b3");
pub(crate) const ORACLE: Address = address!("00000000000000000000000000000000000000c1");
pub(crate) const ORACLE2: Address = address!("00000000000000000000000000000000000000c2");

/// The engine's id of the liquidated margin account.
pub(crate) const ACCOUNT: U256 = U256::from_limbs([42, 0, 0, 0]);
/// When the tests start.
pub(crate) const T0: u64 = 1_700_000_000;

/// `x` whole quote tokens (6 decimals).
pub(crate) fn usdc(x: u64) -> U256 {
    U256::from(x) * U256::from(1_000_000u64)
}

/// `x` whole WETH (18 decimals).
pub(crate) fn eth(x: u64) -> U256 {
    U256::from(x) * WAD
}

/// `x` as a WAD number.
pub(crate) fn wad(x: u64) -> U256 {
    U256::from(x) * WAD
}

/// `x / 100` as a WAD number.
pub(crate) fn pct(x: u64) -> U256 {
    U256::from(x) * WAD / U256::from(100)
}

/// The ABI encoding of a call's error, for exact comparisons; empty if it succeeded.
pub(crate) fn err<T>(result: Result<T, Error>) -> Vec<u8> {
    result.err().map(Vec::from).unwrap_or_default()
}

/// The `assets` view, by name.
#[derive(Debug)]
pub(crate) struct AssetView {
    pub(crate) listed: bool,
    pub(crate) scale: u8,
    pub(crate) kind: u8,
    pub(crate) buf: U256,
    pub(crate) tail: U256,
    pub(crate) cusp: U256,
    pub(crate) chip: U256,
    pub(crate) tip: U256,
    pub(crate) chost: U256,
    pub(crate) hole: U256,
    pub(crate) dirt: U256,
    pub(crate) held: U256,
    pub(crate) tol: U256,
    pub(crate) last: U256,
    pub(crate) tau: U256,
    pub(crate) step: U256,
    pub(crate) cut: U256,
}

/// The `sales` view, by name.
#[derive(Debug)]
pub(crate) struct SaleView {
    pub(crate) engine: Address,
    pub(crate) asset: Address,
    pub(crate) account: U256,
    pub(crate) owner: Address,
    pub(crate) tab: U256,
    pub(crate) lot: U256,
    pub(crate) top: U256,
    pub(crate) tic: U256,
}

/// An address held in a word.
pub(crate) fn address(word: U256) -> Address {
    Address::from_word(B256::from(word))
}

/// The `state` view, by name.
#[derive(Debug)]
pub(crate) struct GlobalView {
    pub(crate) quote: Address,
    pub(crate) oracle: Address,
    pub(crate) guardian: Address,
    pub(crate) stopped: U256,
    pub(crate) kicks: U256,
    pub(crate) count: U256,
    pub(crate) hole: U256,
    pub(crate) dirt: U256,
}

/// The callee of a call that failed with `LiquidatorExternalCallFailed`.
pub(crate) fn failed_target<T>(result: Result<T, Error>) -> Option<Address> {
    use alloy_sol_types::SolError;
    crate::errors::LiquidatorExternalCallFailed::abi_decode(&err(result))
        .ok()
        .map(|e| e.target)
}

/// A Liquidator on a fake chain, set up in the standard setting.
pub(crate) struct Fixture {
    pub(crate) world: World,
    pub(crate) liq: Liquidator,
}

impl Fixture {
    /// Deployed with `ADMIN` as ward and `QUOTE` as quote; nothing listed.
    pub(crate) fn deployed() -> Self {
        let world = World::default();
        {
            let mut chain = world.chain.borrow_mut();
            chain.quote = QUOTE;
            chain.tokens.insert(
                QUOTE,
                Token {
                    decimals: 6,
                    ..Token::default()
                },
            );
            chain.tokens.insert(
                WETH,
                Token {
                    decimals: 18,
                    ..Token::default()
                },
            );
            chain.tokens.insert(
                WBTC,
                Token {
                    decimals: 8,
                    ..Token::default()
                },
            );
            chain.engines.insert(ENGINE, Engine::default());
            chain.takers.insert(
                FLASH,
                Taker {
                    collateral: WETH,
                    ..Taker::default()
                },
            );
            chain.prices.insert((ORACLE, WETH), Ok(wad(3_000)));
            chain.prices.insert((ORACLE, WBTC), Ok(wad(60_000)));
        }
        world.vm.set_block_timestamp(T0);
        let mut liq = Liquidator::from(&world);
        liq.constructor(QUOTE, ADMIN);
        Self { world, liq }
    }

    /// The standard setting, with `ENGINE` relied and funded for keeper rewards, and `TAKER`
    /// funded and approved for takes.
    pub(crate) fn new() -> Self {
        let mut t = Self::deployed();
        t.as_(ADMIN);
        t.ok(|l| l.init(WETH));
        t.ok(|l| l.rely(ENGINE));
        t.ok(|l| l.file_address(name("oracle"), ORACLE));
        t.ok(|l| l.file(name("Hole"), usdc(1_000_000)));
        t.set(WETH, "hole", usdc(1_000_000));
        t.set(WETH, "buf", pct(125));
        t.set(WETH, "kind", U256::from(crate::curve::LINEAR));
        t.set(WETH, "tau", U256::from(3_600));
        t.set(WETH, "tail", U256::from(7_200));
        t.set(WETH, "cusp", pct(50));
        t.set(WETH, "chost", usdc(100));
        t.mint(QUOTE, TAKER, usdc(10_000_000));
        t.approve(QUOTE, TAKER, U256::MAX);
        t.mint(QUOTE, ENGINE, usdc(1_000));
        t.approve(QUOTE, ENGINE, U256::MAX);
        t.mint(QUOTE, FLASH, usdc(10_000_000));
        // Start every test with an empty log.
        t.world.vm.clear_mocks();
        t
    }

    /// The `assets(asset)` view.
    pub(crate) fn asset(&self, asset: Address) -> AssetView {
        let [listed, scale, kind, buf, tail, cusp, chip, tip, chost, hole, dirt, held, tol, last, tau, step, cut] =
            self.liq.assets(asset);
        AssetView {
            listed: listed == U256::from(1),
            scale: scale.to(),
            kind: kind.to(),
            buf,
            tail,
            cusp,
            chip,
            tip,
            chost,
            hole,
            dirt,
            held,
            tol,
            last,
            tau,
            step,
            cut,
        }
    }

    /// The `state()` view.
    pub(crate) fn global(&self) -> GlobalView {
        let [quote, oracle, guardian, stopped, kicks, count, hole, dirt] = self.liq.state();
        GlobalView {
            quote: address(quote),
            oracle: address(oracle),
            guardian: address(guardian),
            stopped,
            kicks,
            count,
            hole,
            dirt,
        }
    }

    /// The `sales(id)` view.
    pub(crate) fn sale(&self, id: U256) -> SaleView {
        let [engine, asset, account, owner, tab, lot, top, tic] = self.liq.sales(id);
        SaleView {
            engine: address(engine),
            asset: address(asset),
            account,
            owner: address(owner),
            tab,
            lot,
            top,
            tic,
        }
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
    pub(crate) fn ok<T>(&mut self, f: impl FnOnce(&mut Liquidator) -> Result<T, Error>) -> T {
        match f(&mut self.liq) {
            Ok(value) => value,
            Err(e) => panic!(
                "call failed with {:?}",
                alloy_primitives::hex::encode(Vec::from(e))
            ),
        }
    }

    /// `fileAsset(asset, what, data)` as `ADMIN`, which must succeed.
    pub(crate) fn set(&mut self, asset: Address, what: &str, data: U256) {
        let sender = self.world.vm.msg_sender();
        self.as_(ADMIN);
        self.ok(|l| l.file_asset(asset, name(what), data));
        self.as_(sender);
    }

    pub(crate) fn mint(&mut self, token: Address, to: Address, value: U256) {
        let mut chain = self.world.chain.borrow_mut();
        *chain
            .tokens
            .entry(token)
            .or_default()
            .balances
            .entry(to)
            .or_default() += value;
    }

    pub(crate) fn approve(&mut self, token: Address, owner: Address, value: U256) {
        let spender = self.world.this();
        let mut chain = self.world.chain.borrow_mut();
        chain
            .tokens
            .entry(token)
            .or_default()
            .allowances
            .insert((owner, spender), value);
    }

    pub(crate) fn balance(&self, token: Address, who: Address) -> U256 {
        let chain = self.world.chain.borrow();
        chain
            .tokens
            .get(&token)
            .and_then(|t| t.balances.get(&who).copied())
            .unwrap_or_default()
    }

    /// Sets what `ORACLE` says for `asset` (`Err`: it reverts with that data).
    pub(crate) fn price(&mut self, asset: Address, price: Result<U256, Vec<u8>>) {
        self.world
            .chain
            .borrow_mut()
            .prices
            .insert((ORACLE, asset), price);
    }

    /// As `ENGINE`: hands over `lot` WETH and kicks an auction for `tab` with `KEEPER`.
    pub(crate) fn try_kick(&mut self, tab: U256, lot: U256) -> Result<U256, Error> {
        let this = self.world.this();
        self.mint(WETH, this, lot);
        self.as_(ENGINE);
        self.liq.kick(tab, lot, WETH, ACCOUNT, OWNER, KEEPER)
    }

    /// [`Fixture::try_kick`], which must succeed.
    pub(crate) fn kick(&mut self, tab: U256, lot: U256) -> U256 {
        match self.try_kick(tab, lot) {
            Ok(id) => id,
            Err(e) => panic!(
                "kick failed with {:?}",
                alloy_primitives::hex::encode(Vec::from(e))
            ),
        }
    }

    /// As `TAKER`, buys up to `amount` at up to `max_price`, sent to `RECEIVER`, no callback.
    pub(crate) fn take(
        &mut self,
        id: U256,
        amount: U256,
        max_price: U256,
    ) -> Result<(U256, U256), Error> {
        self.as_(TAKER);
        self.liq.take(id, amount, max_price, RECEIVER, &[])
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

    /// Number of events logged so far.
    pub(crate) fn log_count(&self) -> usize {
        self.world.vm.get_emitted_logs().len()
    }

    /// Makes the flash taker behave as `mode`.
    pub(crate) fn set_taker_mode(&mut self, mode: world::TakerMode) {
        if let Some(taker) = self.world.chain.borrow_mut().takers.get_mut(&FLASH) {
            taker.mode = mode;
        }
    }

    /// Makes the engine revert `onAuctionProceeds`.
    pub(crate) fn set_engine_refusing(&mut self) {
        if let Some(engine) = self.world.chain.borrow_mut().engines.get_mut(&ENGINE) {
            engine.refusing = true;
        }
    }

    /// `onAuctionProceeds` calls the engine received.
    pub(crate) fn proceeds(&self) -> Vec<world::Proceeds> {
        self.world
            .chain
            .borrow()
            .engines
            .get(&ENGINE)
            .map(|e| e.proceeds.clone())
            .unwrap_or_default()
    }
}

/// The `bytes32` of a parameter name.
pub(crate) fn what(text: &str) -> B256 {
    name(text)
}
