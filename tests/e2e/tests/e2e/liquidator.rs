//! Liquidator end to end: the real `.wasm` of the Liquidator with mock ERC-20s, a mock price
//! source, a mock margin engine and a mock flash taker, on the local host, through the ABI.
//!
//! The standard setting (as in the crate's native tests): WETH (18 decimals) sold for a
//! USDC-like quote (6 decimals), oracle price 3,000, `buf` 1.25 (top 3,750), a linear curve to
//! zero over `tau` = 1 h, `tail` = 2 h, `cusp` = 0.5, `chost` = 100 USDC, caps of 1,000,000 USDC.
//! Gas figures (the host's estimate, "net" gas) are printed with `--nocapture`.
// `sol!` generates event constructors with one argument per field.
#![allow(clippy::too_many_arguments)]

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolValue};
use keel_host::prelude::*;

sol! {
    /// The Liquidator's ABI, as `keel_liquidator::router::ILiquidator` declares it.
    contract Liquidator {
        constructor(address quote, address admin);
        function rely(address usr) external;
        function deny(address usr) external;
        function file(bytes32 what, uint256 data) external;
        function fileAddress(bytes32 what, address data) external;
        function fileAsset(address asset, bytes32 what, uint256 data) external;
        function init(address asset) external;
        function stop(uint256 level) external;
        function kick(uint256 tab, uint256 lot, address asset, uint256 account, address owner, address keeper)
            external returns (uint256 id);
        function take(uint256 id, uint256 maxCollateral, uint256 maxPrice, address receiver, bytes data)
            external returns (uint256 slice, uint256 owe);
        function redo(uint256 id, address keeper) external;
        function wards(address usr) external view returns (bool);
        function state() external view returns (
            address quote, address oracle, address guardian, uint256 stopped, uint256 kicks,
            uint256 count, uint256 Hole, uint256 Dirt
        );
        function room(address asset) external view returns (uint256);
        function assets(address asset) external view returns (
            bool listed, uint8 scale, uint8 kind, uint256 buf, uint256 tail, uint256 cusp,
            uint256 chip, uint256 tip, uint256 chost, uint256 hole, uint256 dirt, uint256 held,
            uint256 tol, uint256 last, uint256 tau, uint256 step, uint256 cut
        );
        function sales(uint256 id) external view returns (
            address engine, address asset, uint256 account, address owner, uint256 tab,
            uint256 lot, uint256 top, uint256 tic
        );
        function list() external view returns (uint256[] ids);
        function getStatus(uint256 id) external view returns (bool needsRedo, uint256 price, uint256 lot, uint256 tab);

        event Kick(uint256 indexed id, address indexed asset, address indexed engine, uint256 account,
            address owner, address keeper, uint256 top, uint256 tab, uint256 lot, uint256 coin);
        event Take(uint256 indexed id, address indexed taker, address indexed receiver, uint256 price,
            uint256 slice, uint256 owe, uint256 tab, uint256 lot);
        event Redo(uint256 indexed id, address indexed keeper, uint256 top, uint256 tab, uint256 lot, uint256 coin);
        event Close(uint256 indexed id, uint256 returned, uint256 shortfall);
        event File(bytes32 indexed what, uint256 data);
        event Stop(address indexed guardian, uint256 level);

        error LiquidatorUnauthorized(address caller);
        error LiquidatorStopped(uint256 level);
        error LiquidatorParameterOutOfBounds(bytes32 what, uint256 data, uint256 min, uint256 max);
        error LiquidatorHoleExceeded(address asset, uint256 tab, uint256 room);
        error LiquidatorLotNotFunded(address asset, uint256 balance, uint256 needed);
        error LiquidatorNeedsRedo(uint256 id);
        error LiquidatorRedoNotNeeded(uint256 id);
        error LiquidatorPriceAboveMax(uint256 price, uint256 maxPrice);
        error LiquidatorDustRemnant(uint256 tab, uint256 chost);
        error LiquidatorExternalCallFailed(address target, bytes reason);
    }

    contract Token {
        constructor(string name, string symbol, uint8 decimals, address owner);
        function mint(address to, uint256 value) external;
        function approve(address spender, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
    }

    contract PriceSource {
        constructor(address owner);
        function setPrice(address asset, uint256 price) external;
        error MockNoPrice(address asset);
    }

    contract Engine {
        constructor(address liquidator, address quote);
        function kick(address asset, uint256 tab, uint256 lot, uint256 fund, uint256 account, address owner, address keeper)
            external returns (uint256);
        function approveRewards(uint256 amount) external;
        function setRefusing(bool refusing) external;
        event Proceeds(uint256 indexed id, uint256 indexed account, uint256 raised, uint256 remainingTab, bool closed);
        error MockEngineRefused();
    }

    contract FlashTaker {
        constructor(address liquidator, address quote);
        function setMode(uint8 mode) external;
        function setReentry(bytes data) external;
        event Called(address indexed sender, uint256 owe, uint256 slice, bytes data);
        event Reentered(bool ok, bytes result);
        error MockTakerRefused();
    }
}

const ADMIN: Address = Address::repeat_byte(0xa1);
const KEEPER: Address = Address::repeat_byte(0xa3);
const TAKER: Address = Address::repeat_byte(0xa4);
const OWNER: Address = Address::repeat_byte(0xa5);
const GUARDIAN: Address = Address::repeat_byte(0xa6);
const STRANGER: Address = Address::repeat_byte(0xa7);
const RECEIVER: Address = Address::repeat_byte(0xa8);
/// The engine's id of the liquidated margin account.
const ACCOUNT: U256 = U256::from_limbs([42, 0, 0, 0]);

/// The flash taker's mode that reverts in `onTake` (see `keel-mock-flash-taker`).
const REFUSE: u8 = 1;

type Test = Result<(), HostError>;

fn usdc(x: u64) -> U256 {
    U256::from(x) * U256::from(1_000_000u64)
}

fn eth(x: u64) -> U256 {
    U256::from(x) * U256::from(10u64).pow(U256::from(18))
}

fn wad(x: u64) -> U256 {
    eth(x)
}

fn pct(x: u64) -> U256 {
    wad(x) / U256::from(100)
}

/// `bytes32("text")`.
fn name(text: &str) -> B256 {
    let mut word = [0u8; 32];
    word[..text.len()].copy_from_slice(text.as_bytes());
    B256::new(word)
}

/// Every contract of the standard setting, deployed and configured.
struct World {
    host: Host,
    t0: u64,
    liq: Address,
    quote: Address,
    weth: Address,
    source: Address,
    engine: Address,
    flash: Address,
}

impl World {
    fn new() -> Result<Self, HostError> {
        let mut host = Host::new();
        let token = |name: &str, symbol: &str, decimals: u8| Token::constructorCall {
            name: name.into(),
            symbol: symbol.into(),
            decimals,
            owner: ADMIN,
        };
        let quote = host.deploy_contract(ADMIN, "keel_mock_erc20", token("USD Coin", "USDC", 6))?;
        let weth =
            host.deploy_contract(ADMIN, "keel_mock_erc20", token("Wrapped Ether", "WETH", 18))?;
        let source = host.deploy_contract(
            ADMIN,
            "keel_mock_price_source",
            PriceSource::constructorCall { owner: ADMIN },
        )?;
        let liq = host.deploy_contract(
            ADMIN,
            "keel_liquidator",
            Liquidator::constructorCall {
                quote,
                admin: ADMIN,
            },
        )?;
        let engine = host.deploy_contract(
            ADMIN,
            "keel_mock_auction_engine",
            Engine::constructorCall {
                liquidator: liq,
                quote,
            },
        )?;
        let flash = host.deploy_contract(
            ADMIN,
            "keel_mock_flash_taker",
            FlashTaker::constructorCall {
                liquidator: liq,
                quote,
            },
        )?;
        let t0 = host.timestamp();
        let mut w = Self {
            host,
            t0,
            liq,
            quote,
            weth,
            source,
            engine,
            flash,
        };

        w.ok(
            ADMIN,
            source,
            &PriceSource::setPriceCall {
                asset: weth,
                price: wad(3_000),
            },
        )?;
        w.ok(ADMIN, liq, &Liquidator::relyCall { usr: engine })?;
        w.ok(
            ADMIN,
            liq,
            &Liquidator::fileAddressCall {
                what: name("oracle"),
                data: source,
            },
        )?;
        w.ok(
            ADMIN,
            liq,
            &Liquidator::fileAddressCall {
                what: name("guardian"),
                data: GUARDIAN,
            },
        )?;
        w.ok(
            ADMIN,
            liq,
            &Liquidator::fileCall {
                what: name("Hole"),
                data: usdc(1_000_000),
            },
        )?;
        w.ok(ADMIN, liq, &Liquidator::initCall { asset: weth })?;
        for (what, data) in [
            ("hole", usdc(1_000_000)),
            ("buf", pct(125)),
            ("kind", U256::ZERO),
            ("tau", U256::from(3_600)),
            ("tail", U256::from(7_200)),
            ("cusp", pct(50)),
            ("chost", usdc(100)),
        ] {
            w.set(what, data)?;
        }
        w.ok(
            ADMIN,
            weth,
            &Token::mintCall {
                to: engine,
                value: eth(1_000),
            },
        )?;
        w.ok(
            ADMIN,
            quote,
            &Token::mintCall {
                to: engine,
                value: usdc(1_000),
            },
        )?;
        w.ok(
            ADMIN,
            engine,
            &Engine::approveRewardsCall { amount: U256::MAX },
        )?;
        w.ok(
            ADMIN,
            quote,
            &Token::mintCall {
                to: TAKER,
                value: usdc(10_000_000),
            },
        )?;
        w.ok(
            TAKER,
            quote,
            &Token::approveCall {
                spender: liq,
                value: U256::MAX,
            },
        )?;
        w.ok(
            ADMIN,
            quote,
            &Token::mintCall {
                to: flash,
                value: usdc(10_000_000),
            },
        )?;
        w.ok(
            KEEPER,
            quote,
            &Token::approveCall {
                spender: liq,
                value: U256::MAX,
            },
        )?;
        Ok(w)
    }

    /// A call that must succeed.
    fn ok<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        call: &C,
    ) -> Result<Receipt<C>, HostError> {
        self.host.call(from, to, call)?.success()
    }

    /// `fileAsset(weth, what, data)` as the admin.
    fn set(&mut self, what: &str, data: U256) -> Test {
        let (liq, weth) = (self.liq, self.weth);
        self.ok(
            ADMIN,
            liq,
            &Liquidator::fileAssetCall {
                asset: weth,
                what: name(what),
                data,
            },
        )?;
        Ok(())
    }

    /// The clock at `seconds` after setup.
    fn at(&mut self, seconds: u64) -> Test {
        let t = self.t0 + seconds;
        self.host.warp(t)
    }

    fn balance(&mut self, token: Address, who: Address) -> Result<U256, HostError> {
        self.host
            .view(token, &Token::balanceOfCall { account: who })
    }

    /// The engine hands over `lot` WETH and kicks an auction for `tab`, triggered by `KEEPER`.
    fn try_kick(&mut self, tab: U256, lot: U256) -> Result<Receipt<Engine::kickCall>, HostError> {
        let call = Engine::kickCall {
            asset: self.weth,
            tab,
            lot,
            fund: lot,
            account: ACCOUNT,
            owner: OWNER,
            keeper: KEEPER,
        };
        let engine = self.engine;
        self.host.call(KEEPER, engine, &call)
    }

    fn kick(&mut self, tab: U256, lot: U256) -> Result<U256, HostError> {
        self.try_kick(tab, lot)?.success()?.returns()
    }

    /// `TAKER` buys up to `amount` at up to `max_price`, for `RECEIVER`, without a callback.
    fn take(
        &mut self,
        id: U256,
        amount: U256,
        max_price: U256,
    ) -> Result<Receipt<Liquidator::takeCall>, HostError> {
        let call = Liquidator::takeCall {
            id,
            maxCollateral: amount,
            maxPrice: max_price,
            receiver: RECEIVER,
            data: Bytes::new(),
        };
        let liq = self.liq;
        self.host.call(TAKER, liq, &call)
    }

    fn status(&mut self, id: U256) -> Result<Liquidator::getStatusReturn, HostError> {
        let liq = self.liq;
        self.host.view(liq, &Liquidator::getStatusCall { id })
    }

    fn sale(&mut self, id: U256) -> Result<Liquidator::salesReturn, HostError> {
        let liq = self.liq;
        self.host.view(liq, &Liquidator::salesCall { id })
    }

    fn state(&mut self) -> Result<Liquidator::stateReturn, HostError> {
        let liq = self.liq;
        self.host.view(liq, &Liquidator::stateCall {})
    }

    fn room(&mut self) -> Result<U256, HostError> {
        let (liq, weth) = (self.liq, self.weth);
        self.host.view(liq, &Liquidator::roomCall { asset: weth })
    }
}

// ------------------------------------------------------------------ setup and access

#[test]
fn deploys_with_the_quote_and_the_admin_as_ward() -> Test {
    let mut w = World::new()?;
    let state = w.state()?;
    assert_eq!(
        (state.quote, state.oracle, state.guardian),
        (w.quote, w.source, GUARDIAN)
    );
    let liq = w.liq;
    assert!(w.host.view(liq, &Liquidator::wardsCall { usr: ADMIN })?);
    assert!(!w.host.view(liq, &Liquidator::wardsCall { usr: STRANGER })?);
    let asset = w
        .host
        .view(liq, &Liquidator::assetsCall { asset: w.weth })?;
    assert!(asset.listed);
    assert_eq!(
        (asset.scale, asset.kind, asset.buf, asset.chost),
        (30, 0, pct(125), usdc(100))
    );
    Ok(())
}

#[test]
fn strangers_cannot_govern_or_kick() -> Test {
    let mut w = World::new()?;
    let (liq, weth) = (w.liq, w.weth);
    let unauthorized = Liquidator::LiquidatorUnauthorized { caller: STRANGER };
    let receipts = [
        w.host
            .call(STRANGER, liq, &Liquidator::relyCall { usr: STRANGER })?
            .typed::<()>(),
        w.host
            .call(
                STRANGER,
                liq,
                &Liquidator::fileCall {
                    what: name("Hole"),
                    data: U256::ZERO,
                },
            )?
            .typed(),
        w.host
            .call(
                STRANGER,
                liq,
                &Liquidator::fileAssetCall {
                    asset: weth,
                    what: name("buf"),
                    data: wad(1),
                },
            )?
            .typed(),
        w.host
            .call(STRANGER, liq, &Liquidator::initCall { asset: STRANGER })?
            .typed(),
        w.host
            .call(
                STRANGER,
                liq,
                &Liquidator::stopCall {
                    level: U256::from(3),
                },
            )?
            .typed(),
        w.host
            .call(
                STRANGER,
                liq,
                &Liquidator::kickCall {
                    tab: usdc(1),
                    lot: eth(1),
                    asset: weth,
                    account: ACCOUNT,
                    owner: OWNER,
                    keeper: STRANGER,
                },
            )?
            .typed(),
    ];
    for receipt in receipts {
        assert_eq!(
            receipt
                .revert_as::<Liquidator::LiquidatorUnauthorized>()?
                .caller,
            unauthorized.caller
        );
    }
    assert_eq!(w.state()?.Hole, usdc(1_000_000));
    Ok(())
}

#[test]
fn the_guardian_can_only_stop() -> Test {
    let mut w = World::new()?;
    let liq = w.liq;
    let filed = w.host.call(
        GUARDIAN,
        liq,
        &Liquidator::fileCall {
            what: name("stopped"),
            data: U256::ZERO,
        },
    )?;
    assert_eq!(
        filed
            .revert_as::<Liquidator::LiquidatorUnauthorized>()?
            .caller,
        GUARDIAN
    );
    let stopped = w.ok(
        GUARDIAN,
        liq,
        &Liquidator::stopCall {
            level: U256::from(2),
        },
    )?;
    assert_eq!(
        stopped.events::<Liquidator::Stop>()?[0].level,
        U256::from(2)
    );
    let lower = w.host.call(
        GUARDIAN,
        liq,
        &Liquidator::stopCall {
            level: U256::from(1),
        },
    )?;
    let err = lower.revert_as::<Liquidator::LiquidatorParameterOutOfBounds>()?;
    assert_eq!((err.data, err.min), (U256::from(1), U256::from(2)));
    w.ok(
        ADMIN,
        liq,
        &Liquidator::fileCall {
            what: name("stopped"),
            data: U256::ZERO,
        },
    )?;
    assert_eq!(w.state()?.stopped, U256::ZERO);
    Ok(())
}

#[test]
fn calls_with_value_revert() -> Test {
    let mut w = World::new()?;
    w.host.fund(ADMIN, U256::from(10));
    let liq = w.liq;
    let receipt = w.host.call_with_value(
        ADMIN,
        liq,
        U256::from(1),
        &Liquidator::relyCall { usr: STRANGER },
    )?;
    assert!(receipt.is_revert());
    assert!(!w.host.view(liq, &Liquidator::wardsCall { usr: STRANGER })?);
    Ok(())
}

#[test]
fn malformed_calldata_reverts_with_empty_data() -> Test {
    let mut w = World::new()?;
    let liq = w.liq;
    let mut dirty = Liquidator::relyCall { usr: STRANGER }.abi_encode();
    dirty[4] = 1; // an upper byte of the address word
    let short = Liquidator::fileCall {
        what: name("Hole"),
        data: U256::ZERO,
    }
    .abi_encode()[..40]
        .to_vec();
    let mut bad_bytes = Liquidator::takeCall {
        id: U256::from(1),
        maxCollateral: eth(1),
        maxPrice: U256::MAX,
        receiver: RECEIVER,
        data: Bytes::new(),
    }
    .abi_encode();
    bad_bytes[4 + 4 * 32 + 31] = 0xff; // the offset of `data` points past the calldata
    for data in [
        dirty,
        short,
        bad_bytes,
        vec![0xde, 0xad, 0xbe, 0xef],
        vec![1, 2],
    ] {
        let receipt = w.host.send(ADMIN, liq, U256::ZERO, &data)?;
        assert!(receipt.is_revert(), "{data:?}");
        assert!(receipt.output.is_empty());
    }
    assert!(!w.host.view(liq, &Liquidator::wardsCall { usr: STRANGER })?);
    Ok(())
}

#[test]
fn the_constructor_runs_once() -> Test {
    let mut w = World::new()?;
    let liq = w.liq;
    let again = [
        keel_host::CONSTRUCTOR_SELECTOR.as_slice(),
        &(STRANGER, STRANGER).abi_encode_params(),
    ]
    .concat();
    assert!(w.host.send(STRANGER, liq, U256::ZERO, &again)?.is_revert());
    assert!(!w.host.view(liq, &Liquidator::wardsCall { usr: STRANGER })?);
    Ok(())
}

// ------------------------------------------------------------------ kick

#[test]
fn an_engine_kick_records_the_sale_and_pays_the_keeper_from_the_engine() -> Test {
    let mut w = World::new()?;
    w.set("tip", usdc(20))?;
    w.set("chip", pct(1) / U256::from(10))?;
    let receipt = w.try_kick(usdc(10_000), eth(5))?.success()?;
    let id = receipt.returns()?;
    let kick = &receipt.events::<Liquidator::Kick>()?[0];
    assert_eq!(
        (kick.id, kick.engine, kick.owner, kick.keeper),
        (id, w.engine, OWNER, KEEPER)
    );
    assert_eq!(
        (kick.top, kick.tab, kick.lot, kick.coin),
        (wad(3_750), usdc(10_000), eth(5), usdc(30))
    );
    assert_eq!(w.balance(w.quote, KEEPER)?, usdc(30));
    assert_eq!(w.balance(w.quote, w.engine)?, usdc(970));
    assert_eq!(w.balance(w.weth, w.liq)?, eth(5));
    let sale = w.sale(id)?;
    assert_eq!(
        (sale.engine, sale.asset, sale.account, sale.tab, sale.lot),
        (w.engine, w.weth, ACCOUNT, usdc(10_000), eth(5))
    );
    assert_eq!(w.room()?, usdc(990_000));
    println!("gas: kick (with keeper reward) {}", receipt.gas_used);
    Ok(())
}

#[test]
fn a_kick_of_a_lot_the_engine_did_not_hand_over_is_refused() -> Test {
    let mut w = World::new()?;
    let call = Engine::kickCall {
        asset: w.weth,
        tab: usdc(1_000),
        lot: eth(5),
        fund: eth(4),
        account: ACCOUNT,
        owner: OWNER,
        keeper: KEEPER,
    };
    let engine = w.engine;
    let receipt = w.host.call(KEEPER, engine, &call)?;
    let err = receipt.revert_as::<Liquidator::LiquidatorLotNotFunded>()?;
    assert_eq!((err.balance, err.needed), (eth(4), eth(5)));
    Ok(())
}

#[test]
fn a_kick_waits_for_a_trustworthy_price() -> Test {
    let mut w = World::new()?;
    let (source, weth) = (w.source, w.weth);
    w.ok(
        ADMIN,
        source,
        &PriceSource::setPriceCall {
            asset: weth,
            price: U256::ZERO,
        },
    )?;
    let err = w
        .try_kick(usdc(1_000), eth(1))?
        .revert_as::<Liquidator::LiquidatorExternalCallFailed>()?;
    assert_eq!(err.target, source);
    assert_eq!(
        PriceSource::MockNoPrice::abi_decode(&err.reason)
            .map(|e| e.asset)
            .ok(),
        Some(weth)
    );
    Ok(())
}

// ------------------------------------------------------------------ take

#[test]
fn a_partial_take_pays_the_engine_which_is_told() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(10_000), eth(5))?;
    w.at(1_200)?; // 3,750 · 2,400 / 3,600 = 2,500
    let receipt = w.take(id, eth(1), wad(2_500))?.success()?;
    let taken = receipt.returns()?;
    assert_eq!((taken.slice, taken.owe), (eth(1), usdc(2_500)));
    let take = &receipt.events::<Liquidator::Take>()?[0];
    assert_eq!(
        (take.price, take.tab, take.lot),
        (wad(2_500), usdc(7_500), eth(4))
    );
    assert_eq!(w.balance(w.weth, RECEIVER)?, eth(1));
    assert_eq!(w.balance(w.quote, w.engine)?, usdc(3_500));
    let told = &receipt.events::<Engine::Proceeds>()?[0];
    assert_eq!(told.address, w.engine);
    assert_eq!(
        (
            told.id,
            told.account,
            told.raised,
            told.remainingTab,
            told.closed
        ),
        (id, ACCOUNT, usdc(2_500), usdc(7_500), false)
    );
    assert_eq!(w.room()?, usdc(992_500));
    println!(
        "gas: partial take, fresh receiver, no callback {}",
        receipt.gas_used
    );
    Ok(())
}

#[test]
fn a_take_worth_the_whole_tab_closes_and_returns_the_rest_to_the_owner() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(10_000), eth(5))?;
    let receipt = w.take(id, eth(5), wad(3_750))?.success()?;
    let (slice, owe) = (receipt.returns()?.slice, receipt.returns()?.owe);
    assert_eq!(owe, usdc(10_000));
    assert_eq!(w.balance(w.weth, OWNER)?, eth(5) - slice);
    assert_eq!(w.balance(w.weth, w.liq)?, U256::ZERO);
    let close = &receipt.events::<Liquidator::Close>()?[0];
    assert_eq!(
        (close.returned, close.shortfall),
        (eth(5) - slice, U256::ZERO)
    );
    assert!(w.host.view(w.liq, &Liquidator::listCall {})?.is_empty());
    assert_eq!((w.state()?.Dirt, w.room()?), (U256::ZERO, usdc(1_000_000)));
    println!("gas: full take, no callback {}", receipt.gas_used);
    Ok(())
}

#[test]
fn buying_out_a_lot_worth_less_than_the_tab_books_bad_debt() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(15_000), eth(5))?;
    w.at(1_200)?;
    let receipt = w.take(id, eth(5), wad(2_500))?.success()?;
    assert_eq!(
        receipt.events::<Liquidator::Close>()?[0].shortfall,
        usdc(2_500)
    );
    // The engine learns the auction is over with 2,500 unraised: its bad debt to book.
    let told = &receipt.events::<Engine::Proceeds>()?[0];
    assert_eq!(
        (told.raised, told.remainingTab, told.closed),
        (usdc(12_500), usdc(2_500), true)
    );
    assert_eq!(w.state()?.Dirt, U256::ZERO);
    Ok(())
}

#[test]
fn a_take_above_the_takers_max_price_is_refused() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(10_000), eth(5))?;
    w.at(1_200)?;
    let receipt = w.take(id, eth(1), wad(2_499))?;
    let err = receipt.revert_as::<Liquidator::LiquidatorPriceAboveMax>()?;
    assert_eq!((err.price, err.maxPrice), (wad(2_500), wad(2_499)));
    assert_eq!(w.sale(id)?.lot, eth(5));
    Ok(())
}

#[test]
fn a_partial_take_never_leaves_less_than_chost() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(10_000), eth(5))?;
    // 2.65 ETH at 3,750 = 9,937.5 would leave 62.5: cut to pay 9,900 for 2.64 ETH.
    let receipt = w
        .take(id, eth(265) / U256::from(100), wad(3_750))?
        .success()?;
    assert_eq!(receipt.returns()?.owe, usdc(9_900));
    assert_eq!(w.sale(id)?.tab, usdc(100));
    let refused = w.take(id, eth(1) / U256::from(1_000), wad(3_750))?;
    let err = refused.revert_as::<Liquidator::LiquidatorDustRemnant>()?;
    assert_eq!((err.tab, err.chost), (usdc(100), usdc(100)));
    let bought = w.take(id, eth(1), wad(3_750))?.success()?;
    assert_eq!(bought.returns()?.owe, usdc(100));
    assert_eq!(w.sale(id)?.engine, Address::ZERO);
    Ok(())
}

#[test]
fn every_curve_prices_its_boundaries() -> Test {
    let mut w = World::new()?;
    // Linear: top at 0, half at tau / 2, the cusp boundary at 1,800, a redo just after.
    let id = w.kick(usdc(10_000), eth(5))?;
    assert_eq!(w.status(id)?.price, wad(3_750));
    w.at(1_800)?;
    let at_cusp = w.status(id)?;
    assert_eq!((at_cusp.needsRedo, at_cusp.price), (false, wad(1_875)));
    w.at(1_801)?;
    assert!(w.status(id)?.needsRedo);
    // Stairstep: flat within a step, cut at its end (applies to running auctions at once).
    w.set("kind", U256::from(1))?;
    w.set("cut", pct(99))?;
    w.set("step", U256::from(90))?;
    let id = w.kick(usdc(10_000), eth(5))?;
    let start = w.host.timestamp() - w.t0;
    w.at(start + 89)?;
    assert_eq!(w.status(id)?.price, wad(3_750));
    w.at(start + 90)?;
    assert_eq!(w.status(id)?.price, wad(37_125) / U256::from(10));
    // Exponential: cut every second.
    w.set("kind", U256::from(2))?;
    let id = w.kick(usdc(10_000), eth(5))?;
    let start = w.host.timestamp() - w.t0;
    w.at(start + 1)?;
    assert_eq!(w.status(id)?.price, wad(37_125) / U256::from(10));
    Ok(())
}

// ------------------------------------------------------------------ flash takes

#[test]
fn a_flash_take_is_paid_from_the_callback_in_the_same_transaction() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(10_000), eth(5))?;
    w.at(1_200)?;
    let (liq, flash) = (w.liq, w.flash);
    // KEEPER holds no quote: the flash taker's "swap" pays it during the callback.
    let call = Liquidator::takeCall {
        id,
        maxCollateral: eth(2),
        maxPrice: wad(2_500),
        receiver: flash,
        data: Bytes::from(vec![7u8]),
    };
    let receipt = w.ok(KEEPER, liq, &call)?;
    assert_eq!(receipt.returns()?.owe, usdc(5_000));
    let called = &receipt.events::<FlashTaker::Called>()?[0];
    assert_eq!(
        (called.address, called.sender, called.owe, called.slice),
        (flash, KEEPER, usdc(5_000), eth(2))
    );
    assert_eq!(called.data.data.to_vec(), vec![7u8]);
    assert_eq!(w.balance(w.weth, flash)?, eth(2));
    assert_eq!(w.balance(w.quote, KEEPER)?, U256::ZERO);
    assert_eq!(w.balance(w.quote, w.engine)?, usdc(6_000));
    println!("gas: partial flash take with callback {}", receipt.gas_used);
    let call = Liquidator::takeCall {
        id,
        maxCollateral: eth(3),
        maxPrice: wad(2_500),
        receiver: flash,
        data: Bytes::from(vec![7u8]),
    };
    let receipt = w.ok(KEEPER, liq, &call)?;
    assert_eq!(receipt.events::<Liquidator::Close>()?.len(), 1);
    println!("gas: full flash take with callback {}", receipt.gas_used);
    Ok(())
}

#[test]
fn a_callback_that_reverts_reverts_the_whole_take() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(10_000), eth(5))?;
    let (liq, flash) = (w.liq, w.flash);
    w.ok(ADMIN, flash, &FlashTaker::setModeCall { mode: REFUSE })?;
    let call = Liquidator::takeCall {
        id,
        maxCollateral: eth(1),
        maxPrice: U256::MAX,
        receiver: flash,
        data: Bytes::from(vec![1u8]),
    };
    let receipt = w.host.call(KEEPER, liq, &call)?;
    let err = receipt.revert_as::<Liquidator::LiquidatorExternalCallFailed>()?;
    assert_eq!(err.target, flash);
    assert!(FlashTaker::MockTakerRefused::abi_decode(&err.reason).is_ok());
    assert_eq!(
        w.balance(w.weth, flash)?,
        U256::ZERO,
        "the collateral sent first came back"
    );
    assert_eq!(w.sale(id)?.lot, eth(5));
    assert_eq!(w.state()?.Dirt, usdc(10_000));
    Ok(())
}

#[test]
fn a_callback_cannot_take_the_same_auction_again_or_change_parameters() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(100_000), eth(5))?;
    let (liq, flash) = (w.liq, w.flash);
    w.ok(ADMIN, liq, &Liquidator::relyCall { usr: flash })?; // even a ward cannot reenter
    for reentry in [
        Liquidator::takeCall {
            id,
            maxCollateral: eth(1),
            maxPrice: U256::MAX,
            receiver: flash,
            data: Bytes::new(),
        }
        .abi_encode(),
        Liquidator::fileAssetCall {
            asset: w.weth,
            what: name("buf"),
            data: wad(10),
        }
        .abi_encode(),
        Liquidator::redoCall { id, keeper: flash }.abi_encode(),
    ] {
        w.ok(
            ADMIN,
            flash,
            &FlashTaker::setReentryCall {
                data: reentry.into(),
            },
        )?;
        let call = Liquidator::takeCall {
            id,
            maxCollateral: eth(1),
            maxPrice: U256::MAX,
            receiver: flash,
            data: Bytes::from(vec![1u8]),
        };
        let receipt = w.ok(KEEPER, liq, &call)?;
        assert_eq!(receipt.events::<Liquidator::Take>()?.len(), 1, "taken once");
        let reentered = receipt.events::<FlashTaker::Reentered>()?;
        assert_eq!(reentered.len(), 1, "the callback tried");
        assert!(!reentered[0].ok, "the reentrant call failed");
    }
    assert_eq!(
        w.sale(id)?.lot,
        eth(2),
        "three takes of one ETH, none twice"
    );
    let asset = w
        .host
        .view(liq, &Liquidator::assetsCall { asset: w.weth })?;
    assert_eq!(asset.buf, pct(125));
    Ok(())
}

#[test]
fn a_take_fails_if_the_engine_refuses_the_proceeds() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(10_000), eth(5))?;
    let engine = w.engine;
    w.ok(ADMIN, engine, &Engine::setRefusingCall { refusing: true })?;
    let err = w
        .take(id, eth(1), U256::MAX)?
        .revert_as::<Liquidator::LiquidatorExternalCallFailed>()?;
    assert_eq!(err.target, engine);
    assert_eq!(w.balance(w.weth, RECEIVER)?, U256::ZERO);
    Ok(())
}

// ------------------------------------------------------------------ redo, stop, caps

#[test]
fn redo_by_tail_restarts_at_the_fresh_price_and_pays_the_keeper() -> Test {
    let mut w = World::new()?;
    w.set("tau", U256::from(30 * 86_400))?;
    w.set("tip", usdc(20))?;
    let id = w.kick(usdc(10_000), eth(5))?;
    let liq = w.liq;
    w.at(7_200)?;
    let early = w.host.call(
        STRANGER,
        liq,
        &Liquidator::redoCall {
            id,
            keeper: STRANGER,
        },
    )?;
    assert_eq!(
        early.revert_as::<Liquidator::LiquidatorRedoNotNeeded>()?.id,
        id
    );
    w.at(7_201)?;
    assert_eq!(
        w.take(id, eth(1), U256::MAX)?
            .revert_as::<Liquidator::LiquidatorNeedsRedo>()?
            .id,
        id
    );
    let (source, weth) = (w.source, w.weth);
    w.ok(
        ADMIN,
        source,
        &PriceSource::setPriceCall {
            asset: weth,
            price: wad(2_000),
        },
    )?;
    let receipt = w.ok(
        STRANGER,
        liq,
        &Liquidator::redoCall {
            id,
            keeper: STRANGER,
        },
    )?;
    let redo = &receipt.events::<Liquidator::Redo>()?[0];
    assert_eq!((redo.top, redo.coin), (wad(2_500), usdc(20)));
    assert_eq!(w.balance(w.quote, STRANGER)?, usdc(20));
    assert_eq!(w.sale(id)?.tic, U256::from(w.t0 + 7_201));
    assert!(w.take(id, eth(1), wad(2_500))?.is_success());
    println!("gas: redo (with keeper reward) {}", receipt.gas_used);
    Ok(())
}

#[test]
fn redo_by_cusp_restarts_an_auction_that_became_too_cheap() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(10_000), eth(5))?;
    w.at(1_801)?;
    let liq = w.liq;
    w.ok(
        KEEPER,
        liq,
        &Liquidator::redoCall {
            id,
            keeper: Address::ZERO,
        },
    )?;
    assert_eq!(w.status(id)?.price, wad(3_750));
    Ok(())
}

#[test]
fn an_auction_nobody_bids_on_for_an_hour_never_sells_for_nothing() -> Test {
    let mut w = World::new()?;
    w.set("tau", U256::from(1_800))?;
    w.set("cusp", U256::from(1))?; // the lowest cusp: only the zero-price rule is left
    let id = w.kick(usdc(10_000), eth(5))?;
    w.at(3_600)?;
    let status = w.status(id)?;
    assert_eq!((status.needsRedo, status.price), (true, U256::ZERO));
    assert_eq!(
        w.take(id, eth(5), U256::MAX)?
            .revert_as::<Liquidator::LiquidatorNeedsRedo>()?
            .id,
        id
    );
    let liq = w.liq;
    w.ok(KEEPER, liq, &Liquidator::redoCall { id, keeper: KEEPER })?;
    let receipt = w.take(id, eth(5), wad(3_750))?.success()?;
    assert_eq!(receipt.returns()?.owe, usdc(10_000));
    Ok(())
}

#[test]
fn stop_levels_halt_kicks_then_redos_then_takes() -> Test {
    let mut w = World::new()?;
    let id = w.kick(usdc(10_000), eth(5))?;
    w.at(1_801)?;
    let liq = w.liq;
    w.ok(
        GUARDIAN,
        liq,
        &Liquidator::stopCall {
            level: U256::from(1),
        },
    )?;
    assert_eq!(
        w.try_kick(usdc(1_000), eth(1))?
            .revert_as::<Liquidator::LiquidatorStopped>()?
            .level,
        U256::from(1)
    );
    w.ok(
        GUARDIAN,
        liq,
        &Liquidator::stopCall {
            level: U256::from(2),
        },
    )?;
    let redo = w
        .host
        .call(KEEPER, liq, &Liquidator::redoCall { id, keeper: KEEPER })?;
    assert_eq!(
        redo.revert_as::<Liquidator::LiquidatorStopped>()?.level,
        U256::from(2)
    );
    w.ok(
        ADMIN,
        liq,
        &Liquidator::fileCall {
            what: name("stopped"),
            data: U256::ZERO,
        },
    )?;
    w.ok(KEEPER, liq, &Liquidator::redoCall { id, keeper: KEEPER })?;
    w.ok(
        GUARDIAN,
        liq,
        &Liquidator::stopCall {
            level: U256::from(3),
        },
    )?;
    assert_eq!(
        w.take(id, eth(1), U256::MAX)?
            .revert_as::<Liquidator::LiquidatorStopped>()?
            .level,
        U256::from(3)
    );
    Ok(())
}

#[test]
fn caps_are_reached_and_released_as_auctions_clear() -> Test {
    let mut w = World::new()?;
    w.set("hole", usdc(20_000))?;
    let first = w.kick(usdc(10_000), eth(5))?;
    w.kick(usdc(10_000), eth(5))?;
    assert_eq!(w.room()?, U256::ZERO);
    let err = w
        .try_kick(usdc(1), eth(1))?
        .revert_as::<Liquidator::LiquidatorHoleExceeded>()?;
    assert_eq!((err.tab, err.room), (usdc(1), U256::ZERO));
    w.take(first, eth(5), U256::MAX)?.success()?;
    assert_eq!(w.room()?, usdc(10_000));
    w.kick(usdc(10_000), eth(5))?;
    let liq = w.liq;
    assert_eq!(w.host.view(liq, &Liquidator::listCall {})?.len(), 2);
    Ok(())
}
