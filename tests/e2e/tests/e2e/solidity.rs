//! Solidity integrators on the real Keel `.wasm`: the forge-compiled examples of
//! `examples/solidity` (`FlashLiquidator`, `ProtectedNote`, `RiskAwareLender`, and the `MockDex`
//! of their tests) deployed on the local host next to the Stylus contracts, calling them and
//! called back by them over one state.
//!
//! - A flash take on the real Liquidator whose `onTake` callback is the Solidity
//!   `FlashLiquidator`: it receives the WETH, sells it on the Solidity `MockDex` and approves the
//!   quote the Liquidator then pulls; a callback that reverts undoes the take in both VMs. First
//!   with a mock engine kicking the auction, then in the whole system, where the Backstop kicks
//!   it after liquidating a margin account and receives the proceeds.
//! - Deposits and redemptions through `ProtectedNote` into the real DrawdownVault on the real
//!   MarginEngine (the whole system of `keel_e2e::system`), the note refusing new money while the
//!   sequencer is unsafe and reporting the vault's own drawdown views.
//! - `RiskAwareLender` reading the real RiskOracle and RiskModel.
//!
//! The EVM bytecode comes from Foundry's artifacts in `target/forge/out`, built by
//! `scripts/forge-test` (which `scripts/test` runs before the cargo tests).
// Prices are written dollars_cents: `3_000_00` is $3,000.00.
#![allow(clippy::inconsistent_digit_grouping)]

use alloy_primitives::{Address, Bytes, I256, U256};
use alloy_sol_types::{sol, SolCall, SolConstructor, SolError, SolEvent, SolValue};
use keel_e2e::risk_oracle::{
    name, wad, wad_f, Oracle, World, ADMIN, HEARTBEAT, KEEPER, MALLORY, T0, WETH,
};
use keel_e2e::system::{
    eth, size, usdc, IBackstop, IDrawdownVault, ILiquidator, IMarginEngine, IMockToken, System,
    ALICE, BOB,
};
use keel_host::prelude::*;

sol! {
    /// `examples/solidity/src/FlashLiquidator.sol`.
    contract FlashLiquidator {
        constructor(address liquidator, address swapper);
        function liquidate(uint256 id, uint256 maxCollateral, uint256 maxPrice) external returns (uint256 slice, uint256 owe);
        function onTake(address sender, uint256 owe, uint256 slice, bytes data) external;
        function sweep(address token, uint256 amount) external;
        error NotLiquidator(address caller);
    }

    /// `examples/solidity/test/mocks/Mocks.sol`'s `MockDex`.
    contract MockDex {
        constructor(uint256 rate);
        event Swap(address indexed tokenIn, address indexed tokenOut, uint256 amountIn, uint256 amountOut, address to);
        error InsufficientOutput(uint256 out, uint256 minOut);
    }

    /// `examples/solidity/src/ProtectedNote.sol`.
    contract ProtectedNote {
        constructor(address vault);
        function oracle() external view returns (address);
        function asset() external view returns (address);
        function quote() external view returns (address);
        function notesOf(address holder) external view returns (uint256);
        function totalNotes() external view returns (uint256);
        function deposit(uint256 assets, uint256 minNotes) external returns (uint256 notes);
        function redeem(uint256 notes, uint256 minAssets, address receiver) external returns (uint256 assets);
        function report(address holder) external view returns (
            uint256 notes, uint256 value, uint256 navPerShare, uint256 highWaterMark,
            uint256 drawdown, uint256 maxDrawdown, bool halted
        );
        error SequencerUnsafe(bool isUp, uint256 since);
        error PriceInvalid(uint8 status);
        error InsufficientNotes(address holder, uint256 notes, uint256 needed);
        event Deposited(address indexed holder, uint256 assets, uint256 notes);
        event Redeemed(address indexed holder, address indexed receiver, uint256 notes, uint256 assets);
    }

    /// `examples/solidity/src/RiskAwareLender.sol`.
    contract RiskAwareLender {
        constructor(address oracle, address model, address asset);
        function deposit(uint256 amount) external;
        function maxDebt(uint256 collateral) external view returns (uint256);
        function borrow(uint256 amount) external;
        function debtOf(address borrower) external view returns (uint256);
        error SequencerUnsafe(bool isUp, uint256 since);
        error PriceInvalid(uint8 status);
        error LoanTooLarge(uint256 debt, uint256 maxDebt);
        event Borrowed(address indexed borrower, uint256 amount, uint256 debt, uint256 maxDebt);
    }

    /// The mock margin engine of the Liquidator's tests (`keel-mock-auction-engine`): it holds
    /// the seized collateral and kicks auctions.
    contract MockAuctionEngine {
        constructor(address liquidator, address quote);
        function kick(address asset, uint256 tab, uint256 lot, uint256 fund, uint256 account, address owner, address keeper)
            external returns (uint256);
        event Proceeds(uint256 indexed id, uint256 indexed account, uint256 raised, uint256 remainingTab, bool closed);
    }
}

/// Deploys the forge artifact `File.sol:Contract` from `deployer` with constructor `ctor`.
///
/// # Panics
/// If the artifact is missing (it comes from `scripts/forge-test`) or the constructor fails.
fn forge(host: &mut Host, deployer: Address, artifact: &str, ctor: impl SolConstructor) -> Address {
    host.deploy_forge(deployer, artifact, &ctor.abi_encode())
        .unwrap_or_else(|e| match e {
            HostError::MissingArtifact { path } => panic!(
                "{} is missing: run scripts/forge-test (it builds target/forge/out)",
                path.display()
            ),
            e => panic!("deploy {artifact}: {e}"),
        })
}

/// A call that must succeed, reporting its revert data otherwise.
fn ok<C: SolCall>(host: &mut Host, from: Address, to: Address, call: &C) -> Receipt<C> {
    let receipt = host.call(from, to, call).expect("run");
    assert!(
        receipt.is_success(),
        "{} reverted: 0x{}",
        C::SIGNATURE,
        alloy_primitives::hex::encode(&receipt.output)
    );
    receipt
}

/// The position of the first log of event `E` emitted by `emitter`.
fn log_index<E: SolEvent>(receipt: &Receipt<impl Sized>, emitter: Address) -> usize {
    receipt
        .logs
        .iter()
        .position(|log| log.address == emitter && log.topics().first() == Some(&E::SIGNATURE_HASH))
        .unwrap_or_else(|| panic!("no {} from {emitter}", E::SIGNATURE))
}

// ------------------------------------------------------------------ flash liquidation

/// The owner of the seized collateral (gets what an auction does not sell).
const OWNER: Address = Address::repeat_byte(0xa5);
/// The liquidated account's id at the engine.
const ACCOUNT: U256 = U256::from_limbs([7, 0, 0, 0]);
/// The DEX's USDC reserve.
const DEX_RESERVE: u64 = 1_000_000;

/// The real RiskOracle (WETH at $3,000) and Liquidator (auctions starting at 1.25 × the oracle
/// price, linear to zero over an hour) with a mock engine holding 10 WETH, the Solidity
/// `MockDex` paying `dex_price` dollars per WETH from its USDC reserve, and the Solidity
/// `FlashLiquidator` owned by [`KEEPER`].
struct Auction {
    world: World,
    usdc: Address,
    weth: Address,
    liquidator: Address,
    engine: Address,
    dex: Address,
    flash: Address,
}

impl Auction {
    fn new(dex_price: u64) -> Self {
        let mut host = Host::new();
        host.warp(T0).expect("warp");
        let token = |name: &str, symbol: &str, decimals: u8| IMockToken::constructorCall {
            name: name.into(),
            symbol: symbol.into(),
            decimals,
            owner: ADMIN,
        };
        let quote = host
            .deploy_contract(ADMIN, "keel_mock_erc20", token("USD Coin", "USDC", 6))
            .expect("USDC");
        let weth = host
            .deploy_contract(ADMIN, "keel_mock_erc20", token("Wrapped Ether", "WETH", 18))
            .expect("WETH");
        let mut world = World::on(host, weth, wad_f(0.8));
        let oracle = world.oracle;
        let host = &mut world.host;
        let liquidator = host
            .deploy_contract(ADMIN, "keel_liquidator", Args((quote, ADMIN)))
            .expect("Liquidator");
        let engine = host
            .deploy_contract(
                ADMIN,
                "keel_mock_auction_engine",
                MockAuctionEngine::constructorCall { liquidator, quote },
            )
            .expect("engine");
        let wire = [
            ILiquidator::fileAddressCall {
                what: name("oracle"),
                data: oracle,
            }
            .abi_encode(),
            ILiquidator::fileCall {
                what: name("Hole"),
                data: usdc(1_000_000),
            }
            .abi_encode(),
            ILiquidator::initCall { asset: weth }.abi_encode(),
            ILiquidator::relyCall { usr: engine }.abi_encode(),
        ];
        for data in wire {
            let receipt = host
                .send(ADMIN, liquidator, U256::ZERO, &data)
                .expect("run");
            assert!(receipt.is_success(), "wiring the Liquidator");
        }
        for (what, data) in [
            ("hole", usdc(1_000_000)),
            ("buf", wad(125) / U256::from(100)),
            ("kind", U256::ZERO),
            ("tau", U256::from(3_600)),
            ("tail", U256::from(7_200)),
            ("cusp", wad(1) / U256::from(2)),
            ("chost", usdc(100)),
        ] {
            let call = ILiquidator::fileAssetCall {
                asset: weth,
                what: name(what),
                data,
            };
            ok(host, ADMIN, liquidator, &call);
        }
        let mint = |to, value| IMockToken::mintCall { to, value };
        ok(host, ADMIN, weth, &mint(engine, eth(10)));
        let rate = usdc(dex_price); // USDC units per whole WETH
        let dex = forge(
            host,
            ADMIN,
            "Mocks.sol:MockDex",
            MockDex::constructorCall { rate },
        );
        ok(host, ADMIN, quote, &mint(dex, usdc(DEX_RESERVE)));
        let flash = forge(
            host,
            KEEPER,
            "FlashLiquidator.sol:FlashLiquidator",
            FlashLiquidator::constructorCall {
                liquidator,
                swapper: dex,
            },
        );
        Self {
            world,
            usdc: quote,
            weth,
            liquidator,
            engine,
            dex,
            flash,
        }
    }

    fn host(&mut self) -> &mut Host {
        &mut self.world.host
    }

    /// The engine hands `lot` WETH to the Liquidator and kicks an auction for `tab` USDC
    /// (no keeper reward); returns its id.
    fn kick(&mut self, tab: U256, lot: U256) -> U256 {
        let call = MockAuctionEngine::kickCall {
            asset: self.weth,
            tab,
            lot,
            fund: lot,
            account: ACCOUNT,
            owner: OWNER,
            keeper: Address::ZERO,
        };
        let engine = self.engine;
        ok(self.host(), KEEPER, engine, &call)
            .returns()
            .expect("id")
    }

    fn balance(&mut self, token: Address, who: Address) -> U256 {
        self.host()
            .view(token, &IMockToken::balanceOfCall { account: who })
            .expect("balanceOf")
    }

    fn sale(&mut self, id: U256) -> ILiquidator::salesReturn {
        let liquidator = self.liquidator;
        self.host()
            .view(liquidator, &ILiquidator::salesCall { id })
            .expect("sales")
    }
}

#[test]
fn a_solidity_flash_liquidator_takes_from_the_real_liquidator_without_capital() {
    let mut a = Auction::new(2_600);
    let id = a.kick(usdc(15_000), eth(10));
    a.world.warp(T0 + 1_200); // 3,750 · 2,400 / 3,600 = 2,500
    let (flash, liquidator, usdc_token, weth, dex, engine) =
        (a.flash, a.liquidator, a.usdc, a.weth, a.dex, a.engine);
    assert_eq!(a.balance(usdc_token, flash), U256::ZERO, "no capital");

    let call = FlashLiquidator::liquidateCall {
        id,
        maxCollateral: eth(4),
        maxPrice: wad(2_500),
    };
    let receipt = ok(a.host(), KEEPER, flash, &call);
    let taken = receipt.returns().expect("returns");
    assert_eq!((taken.slice, taken.owe), (eth(4), usdc(10_000)));

    // Balances: the engine got the quote, the DEX the WETH, the keeper's contract the spread.
    assert_eq!(a.balance(usdc_token, engine), usdc(10_000), "proceeds");
    assert_eq!(
        a.balance(usdc_token, flash),
        usdc(400),
        "4 × (2,600 − 2,500)"
    );
    assert_eq!(a.balance(weth, flash), U256::ZERO, "collateral sold");
    assert_eq!(a.balance(weth, dex), eth(4));
    assert_eq!(a.balance(usdc_token, dex), usdc(DEX_RESERVE) - usdc(10_400));
    assert_eq!(a.balance(weth, liquidator), eth(6), "the rest of the lot");

    // Events of both VMs, in emission order: the Solidity sale inside the callback before the
    // Liquidator's Take and the engine's proceeds (which it reports first).
    let take = &receipt.events::<ILiquidator::Take>().expect("Take")[0];
    assert_eq!(take.address, liquidator);
    assert_eq!(
        (
            take.id,
            take.taker,
            take.receiver,
            take.price,
            take.slice,
            take.owe
        ),
        (id, flash, flash, wad(2_500), eth(4), usdc(10_000))
    );
    assert_eq!((take.tab, take.lot), (usdc(5_000), eth(6)));
    let swap = &receipt.events::<MockDex::Swap>().expect("Swap")[0];
    assert_eq!(swap.address, dex);
    assert_eq!(
        (
            swap.tokenIn,
            swap.tokenOut,
            swap.amountIn,
            swap.amountOut,
            swap.to
        ),
        (weth, usdc_token, eth(4), usdc(10_400), flash)
    );
    let proceeds = &receipt
        .events::<MockAuctionEngine::Proceeds>()
        .expect("Proceeds")[0];
    assert_eq!(proceeds.address, engine);
    assert_eq!(
        (proceeds.raised, proceeds.remainingTab, proceeds.closed),
        (usdc(10_000), usdc(5_000), false)
    );
    let (swapped, took, told) = (
        log_index::<MockDex::Swap>(&receipt, dex),
        log_index::<ILiquidator::Take>(&receipt, liquidator),
        log_index::<MockAuctionEngine::Proceeds>(&receipt, engine),
    );
    assert!(swapped < told && told < took, "{swapped} < {told} < {took}");

    // The auction goes on with the rest.
    let sale = a.sale(id);
    assert_eq!((sale.tab, sale.lot), (usdc(5_000), eth(6)));
    let status = a
        .host()
        .view(liquidator, &ILiquidator::getStatusCall { id })
        .expect("getStatus");
    assert_eq!((status.needsRedo, status.price), (false, wad(2_500)));

    // The owner collects the spread.
    let sweep = FlashLiquidator::sweepCall {
        token: usdc_token,
        amount: usdc(400),
    };
    ok(a.host(), KEEPER, flash, &sweep);
    assert_eq!(a.balance(usdc_token, KEEPER), usdc(400));
    println!(
        "gas: Solidity flash take on the Liquidator .wasm {}",
        receipt.gas_used
    );
}

#[test]
fn an_unprofitable_solidity_callback_undoes_the_take_in_both_vms() {
    // The DEX pays 2,400 for WETH auctioned at 2,500: the sale inside the callback reverts.
    let mut a = Auction::new(2_400);
    let id = a.kick(usdc(15_000), eth(10));
    a.world.warp(T0 + 1_200);
    let (flash, liquidator, usdc_token, weth, dex) = (a.flash, a.liquidator, a.usdc, a.weth, a.dex);
    let call = FlashLiquidator::liquidateCall {
        id,
        maxCollateral: eth(4),
        maxPrice: wad(2_500),
    };
    let receipt = a.host().call(KEEPER, flash, &call).expect("run");
    // The Liquidator wraps the callback's revert (the DEX's, which FlashLiquidator passed on,
    // as it passes on the Liquidator's).
    let err = receipt
        .revert_as::<ILiquidator::LiquidatorExternalCallFailed>()
        .expect("the Liquidator's error");
    assert_eq!(err.target, flash);
    let inner = MockDex::InsufficientOutput::abi_decode(&err.reason).expect("InsufficientOutput");
    assert_eq!((inner.out, inner.minOut), (usdc(9_600), usdc(10_000)));
    assert!(receipt.logs.is_empty());

    // Nothing moved, on either side.
    assert_eq!(a.balance(weth, liquidator), eth(10));
    assert_eq!(a.balance(weth, flash), U256::ZERO);
    assert_eq!(a.balance(weth, dex), U256::ZERO);
    assert_eq!(a.balance(usdc_token, dex), usdc(DEX_RESERVE));
    assert_eq!(a.sale(id).lot, eth(10));

    // Only the Liquidator may call the callback.
    let call = FlashLiquidator::onTakeCall {
        sender: flash,
        owe: U256::from(1),
        slice: U256::from(1),
        data: Bytes::from((weth, usdc_token).abi_encode_params()),
    };
    let receipt = a.host().call(MALLORY, flash, &call).expect("run");
    let err = receipt
        .revert_as::<FlashLiquidator::NotLiquidator>()
        .expect("NotLiquidator");
    assert_eq!(err.caller, MALLORY);
}

#[test]
fn the_backstops_auction_of_seized_collateral_is_flash_taken_by_solidity() {
    let mut s = System::new();
    // BOB: 2 WETH of collateral, long 12 ETH; ETH falls under his maintenance margin.
    let bob = s.open_account(BOB, U256::ZERO, eth(2));
    s.trade(BOB, bob, size(12.0));
    for c in [2_800_00, 2_650_00] {
        let t = s.now() + 60;
        s.warp(t);
        s.set_price(c).success().expect("poke");
    }
    assert!(s.is_liquidatable(bob));
    let mut tranches = 0;
    while s.position(bob).0 != I256::ZERO {
        s.liquidate(bob).success().expect("liquidate");
        tranches += 1;
        assert!(tranches <= 10, "the position is closed in a few tranches");
    }
    let ids = s.auctions();
    assert_eq!(ids.len(), 1, "BOB's WETH is under auction");
    let (id, status) = (ids[0], s.auction(ids[0]));

    // A keeper's Solidity FlashLiquidator, selling on a Solidity DEX paying 3,400 per WETH
    // (above the auction's top, 1.25 × 2,650), buys the whole lot without capital.
    let (liquidator, backstop, engine) = (s.liquidator, s.backstop, s.engine);
    let rate = usdc(3_400);
    let dex = forge(
        s.host(),
        ADMIN,
        "Mocks.sol:MockDex",
        MockDex::constructorCall { rate },
    );
    s.mint_usdc(dex, usdc(DEX_RESERVE));
    let flash = forge(
        s.host(),
        KEEPER,
        "FlashLiquidator.sol:FlashLiquidator",
        FlashLiquidator::constructorCall {
            liquidator,
            swapper: dex,
        },
    );
    let call = FlashLiquidator::liquidateCall {
        id,
        maxCollateral: status.lot,
        maxPrice: status.price,
    };
    let receipt = s.ok(KEEPER, flash, &call);
    let taken = receipt.returns().expect("returns");
    assert!(!taken.slice.is_zero() && !taken.owe.is_zero());

    let swap = &receipt.events::<MockDex::Swap>().expect("Swap")[0];
    assert_eq!(swap.amountIn, taken.slice);
    assert_eq!(swap.amountOut, taken.slice * rate / wad(1));
    assert_eq!(s.usdc_of(flash), swap.amountOut - taken.owe, "the spread");
    assert_eq!(s.weth_of(flash), U256::ZERO);
    assert_eq!(s.weth_of(dex), taken.slice);
    let take = &receipt.events::<ILiquidator::Take>().expect("Take")[0];
    assert_eq!(
        (take.address, take.id, take.taker, take.owe),
        (liquidator, id, flash, taken.owe)
    );
    // The Liquidator paid the Backstop, which was told and paid the engine account.
    let told = &receipt.events::<IBackstop::Proceeds>().expect("Proceeds")[0];
    assert_eq!(
        (told.address, told.id, told.account, told.raised),
        (backstop, id, bob, taken.owe)
    );
    assert!(told.closed && told.deposited && told.remainingTab.is_zero());
    assert!(s.auctions().is_empty(), "the tab was raised in one take");
    let quote = s.view(engine, &IMarginEngine::quoteBalanceCall { account: bob });
    assert!(!quote.is_negative(), "the proceeds repaid BOB's deficit");
    assert_eq!(s.bad_debt(), U256::ZERO);
    println!(
        "gas: Solidity flash take of a Backstop auction {}",
        receipt.gas_used
    );
}

// ------------------------------------------------------------------ the note and the vault

/// The whole system and a `ProtectedNote` on its DrawdownVault; [`ALICE`] holds `assets` USDC
/// units approved to the note.
fn note_system(assets: U256) -> (System, Address) {
    let mut s = System::new();
    let vault = s.vault;
    let note = forge(
        s.host(),
        ADMIN,
        "ProtectedNote.sol:ProtectedNote",
        ProtectedNote::constructorCall { vault },
    );
    s.mint_usdc(ALICE, assets);
    let usdc_token = s.usdc;
    let approve = IMockToken::approveCall {
        spender: note,
        value: U256::MAX,
    };
    s.ok(ALICE, usdc_token, &approve);
    (s, note)
}

#[test]
fn deposits_and_redemptions_through_the_note_reach_the_real_vault() {
    let (mut s, note) = note_system(usdc(10_000));
    let (vault, usdc_token, oracle, weth) = (s.vault, s.usdc, s.world.oracle, s.weth);
    assert_eq!(s.view(note, &ProtectedNote::oracleCall {}), oracle);
    assert_eq!(s.view(note, &ProtectedNote::assetCall {}), weth);
    assert_eq!(s.view(note, &ProtectedNote::quoteCall {}), usdc_token);

    let expected = s.view(
        vault,
        &IDrawdownVault::previewDepositCall {
            assets: usdc(10_000),
        },
    );
    let deposit = ProtectedNote::depositCall {
        assets: usdc(10_000),
        minNotes: expected,
    };
    let receipt = s.ok(ALICE, note, &deposit);
    let notes = receipt.returns().expect("notes");
    assert_eq!(notes, expected, "the vault's preview");
    assert!(!notes.is_zero());
    assert_eq!(s.shares_of(note), notes, "the note holds the shares");
    assert_eq!(
        s.view(note, &ProtectedNote::notesOfCall { holder: ALICE }),
        notes
    );
    assert_eq!(s.shares_of(ALICE), U256::ZERO);
    assert_eq!(s.usdc_of(ALICE), U256::ZERO);
    assert_eq!(
        s.usdc_of(note),
        U256::ZERO,
        "everything went on to the vault"
    );
    let view = s.vault_view();
    assert_eq!((view.total_assets, view.supply), (usdc(10_000), notes));
    let account = s.vault_account;
    assert_eq!(
        s.health(account).equity,
        I256::from_raw(wad(10_000)),
        "in the engine"
    );

    // The vault's ERC-4626 event (Stylus) names the note; the note's own (EVM) names Alice.
    let d = &receipt
        .events::<IDrawdownVault::Deposit>()
        .expect("Deposit")[0];
    assert_eq!(
        (d.address, d.sender, d.owner, d.assets, d.shares),
        (vault, note, note, usdc(10_000), notes)
    );
    let booked = &receipt
        .events::<ProtectedNote::Deposited>()
        .expect("Deposited")[0];
    assert_eq!(
        (booked.address, booked.holder, booked.assets, booked.notes),
        (note, ALICE, usdc(10_000), notes)
    );
    assert!(
        log_index::<IDrawdownVault::Deposit>(&receipt, vault)
            < log_index::<ProtectedNote::Deposited>(&receipt, note)
    );

    // Alice redeems 40 % to Bob through the vault's redeem.
    let part = notes * U256::from(2) / U256::from(5);
    let expected = s.view(vault, &IDrawdownVault::previewRedeemCall { shares: part });
    let redeem = ProtectedNote::redeemCall {
        notes: part,
        minAssets: expected,
        receiver: BOB,
    };
    let receipt = s.ok(ALICE, note, &redeem);
    let assets = receipt.returns().expect("assets");
    assert_eq!(assets, expected, "the vault's preview");
    assert!(
        assets <= usdc(4_000) && assets + U256::from(1) >= usdc(4_000),
        "{assets}"
    );
    assert_eq!(s.usdc_of(BOB), assets);
    assert_eq!(s.shares_of(note), notes - part);
    assert_eq!(
        s.view(note, &ProtectedNote::notesOfCall { holder: ALICE }),
        notes - part
    );
    assert_eq!(s.vault_view().supply, notes - part, "shares burnt");
    let w = &receipt
        .events::<IDrawdownVault::Withdraw>()
        .expect("Withdraw")[0];
    assert_eq!(
        (w.address, w.sender, w.receiver, w.owner, w.assets, w.shares),
        (vault, note, BOB, note, assets, part)
    );
    let r = &receipt
        .events::<ProtectedNote::Redeemed>()
        .expect("Redeemed")[0];
    assert_eq!(
        (r.holder, r.receiver, r.notes, r.assets),
        (ALICE, BOB, part, assets)
    );

    // Bob holds no notes of his own.
    let steal = ProtectedNote::redeemCall {
        notes: U256::from(1),
        minAssets: U256::ZERO,
        receiver: BOB,
    };
    let err = s
        .call(BOB, note, &steal)
        .revert_as::<ProtectedNote::InsufficientNotes>()
        .expect("InsufficientNotes");
    assert_eq!(
        (err.holder, err.notes, err.needed),
        (BOB, U256::ZERO, U256::from(1))
    );
}

#[test]
fn the_note_refuses_new_money_while_the_sequencer_is_down_but_lets_holders_out() {
    let (mut s, note) = note_system(usdc(10_000));
    let deposit = |assets| ProtectedNote::depositCall {
        assets,
        minNotes: U256::ZERO,
    };
    let notes = s
        .ok(ALICE, note, &deposit(usdc(6_000)))
        .returns()
        .expect("notes");

    s.world.uptime_status(1);
    let oracle = s.world.oracle;
    let status = s.view(oracle, &Oracle::sequencerStatusCall {});
    assert!(!status.isUp && !status.safeToAddRisk);
    let err = s
        .call(ALICE, note, &deposit(usdc(1_000)))
        .revert_as::<ProtectedNote::SequencerUnsafe>()
        .expect("SequencerUnsafe");
    assert_eq!((err.isUp, err.since), (false, status.since));
    assert_eq!(s.usdc_of(ALICE), usdc(4_000), "nothing taken");

    let redeem = ProtectedNote::redeemCall {
        notes,
        minAssets: U256::ZERO,
        receiver: ALICE,
    };
    let assets = s.ok(ALICE, note, &redeem).returns().expect("assets");
    assert!(assets + U256::from(1) >= usdc(6_000), "{assets}");
    assert_eq!(s.shares_of(note), U256::ZERO);

    // An invalid price (older than the heartbeat) also stops deposits.
    s.world.uptime_status(0);
    let t = s.now() + 86_400;
    s.warp(t);
    let err = s
        .call(ALICE, note, &deposit(usdc(1_000)))
        .revert_as::<ProtectedNote::PriceInvalid>()
        .expect("PriceInvalid");
    assert_eq!(err.status, 6, "stale");
}

#[test]
fn the_note_reports_the_real_vaults_drawdown_and_mark() {
    let (mut s, note) = note_system(usdc(100_000));
    let deposit = ProtectedNote::depositCall {
        assets: usdc(100_000),
        minNotes: U256::ZERO,
    };
    let notes = s.ok(ALICE, note, &deposit).returns().expect("notes");
    s.set_target(true, wad(3));
    s.rebalance().success().expect("rebalance");
    let t = s.now() + 60;
    s.warp(t);
    s.set_price(2_850_00).success().expect("poke");

    let vault = s.vault;
    let report = s.view(note, &ProtectedNote::reportCall { holder: ALICE });
    let view = s.vault_view();
    assert!(view.drawdown > U256::ZERO, "long ETH as it fell 5 %");
    assert_eq!(report.notes, notes);
    assert_eq!(
        (
            report.navPerShare,
            report.highWaterMark,
            report.drawdown,
            report.halted
        ),
        (view.nav_per_share, view.hwm, view.drawdown, view.halted)
    );
    let params = s.view(vault, &IDrawdownVault::paramsCall {});
    assert_eq!(report.maxDrawdown, params.maxDrawdown);
    assert!(report.drawdown < report.maxDrawdown);
    let value = s.view(vault, &IDrawdownVault::previewRedeemCall { shares: notes });
    assert_eq!(report.value, value);
    assert!(value < usdc(100_000), "worth less after the fall: {value}");
}

// ------------------------------------------------------------------ the lender

/// The real RiskOracle and RiskModel (WETH at $3,000, the uptime feed wired) and a
/// `RiskAwareLender` on WETH holding one ETH of [`ALICE`]'s collateral.
fn lender_world() -> (World, Address) {
    let mut w = World::new();
    let (oracle, model, uptime) = (w.oracle, w.model, w.uptime);
    w.admin(&Oracle::setSequencerFeedCall { feed: uptime });
    // Up since long before: adding risk is safe.
    w.uptime_status(0);
    w.warp(T0 + 3_601);
    w.answer(3_000_00);
    let lender = forge(
        &mut w.host,
        ADMIN,
        "RiskAwareLender.sol:RiskAwareLender",
        RiskAwareLender::constructorCall {
            oracle,
            model,
            asset: WETH,
        },
    );
    ok(
        &mut w.host,
        ALICE,
        lender,
        &RiskAwareLender::depositCall { amount: eth(1) },
    );
    (w, lender)
}

/// What the lender should allow against one ETH, from the oracle's and the model's views:
/// `value − ⌈value / L⌉`.
fn expected_max_debt(w: &mut World) -> U256 {
    let price = w.price_data().price;
    let leverage = w.model(&keel_e2e::risk_oracle::Model::maxLeverageCall { asset: WETH });
    let margin = (price * wad(1)).div_ceil(leverage);
    price - margin
}

#[test]
fn the_lender_caps_loans_by_the_real_models_leverage() {
    let (mut w, lender) = lender_world();
    let cap = w
        .host
        .view(lender, &RiskAwareLender::maxDebtCall { collateral: eth(1) })
        .expect("maxDebt");
    assert_eq!(cap, expected_max_debt(&mut w));
    assert!(cap > U256::ZERO && cap < wad(3_000), "{cap}");

    let receipt = ok(
        &mut w.host,
        ALICE,
        lender,
        &RiskAwareLender::borrowCall { amount: cap },
    );
    let borrowed = &receipt
        .events::<RiskAwareLender::Borrowed>()
        .expect("Borrowed")[0];
    assert_eq!((borrowed.debt, borrowed.maxDebt), (cap, cap));
    let err = w
        .host
        .call(
            ALICE,
            lender,
            &RiskAwareLender::borrowCall {
                amount: U256::from(1),
            },
        )
        .expect("run")
        .revert_as::<RiskAwareLender::LoanTooLarge>()
        .expect("LoanTooLarge");
    assert_eq!((err.debt, err.maxDebt), (cap + U256::from(1), cap));

    // Volatility rises with every swing the keepers poke: the model's leverage falls, and the
    // lender's cap with it.
    let mut t = T0 + 3_601;
    for c in [3_300_00, 3_000_00, 3_300_00, 3_000_00, 3_300_00, 3_000_00] {
        t += 600;
        w.warp(t);
        w.answer(c);
        w.poke().success().expect("poke");
    }
    let tighter = w
        .host
        .view(lender, &RiskAwareLender::maxDebtCall { collateral: eth(1) })
        .expect("maxDebt");
    assert_eq!(tighter, expected_max_debt(&mut w));
    assert!(tighter < cap, "{tighter} < {cap}");
}

#[test]
fn the_lender_follows_the_real_sequencer_and_price_guard() {
    let (mut w, lender) = lender_world();
    let borrow = RiskAwareLender::borrowCall { amount: wad(100) };

    w.uptime_status(1);
    let since = w.view(&Oracle::sequencerStatusCall {}).since;
    let err = w
        .host
        .call(ALICE, lender, &borrow)
        .expect("run")
        .revert_as::<RiskAwareLender::SequencerUnsafe>()
        .expect("SequencerUnsafe");
    assert_eq!((err.isUp, err.since), (false, since));

    // Back up, but inside the grace period: still no new risk.
    w.uptime_status(0);
    let since = w.view(&Oracle::sequencerStatusCall {}).since;
    let err = w
        .host
        .call(ALICE, lender, &borrow)
        .expect("run")
        .revert_as::<RiskAwareLender::SequencerUnsafe>()
        .expect("SequencerUnsafe");
    assert_eq!((err.isUp, err.since), (true, since));
    let t = w.host.timestamp() + 3_601;
    w.warp(t);
    w.answer(3_000_00);
    ok(&mut w.host, ALICE, lender, &borrow);
    assert_eq!(
        w.host
            .view(lender, &RiskAwareLender::debtOfCall { borrower: ALICE })
            .expect("debtOf"),
        wad(100)
    );

    // A price older than the heartbeat is invalid: the lender's views revert with its status.
    w.warp(t + HEARTBEAT + 1);
    let receipt = w
        .host
        .simulate(
            ALICE,
            lender,
            &RiskAwareLender::maxDebtCall { collateral: eth(1) }.abi_encode(),
        )
        .expect("run");
    let err = receipt
        .revert_as::<RiskAwareLender::PriceInvalid>()
        .expect("PriceInvalid");
    assert_eq!(err.status, 6, "stale");
}
