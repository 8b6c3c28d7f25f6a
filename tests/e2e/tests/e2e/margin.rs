//! MarginEngine and Backstop end to end: the real `.wasm` of the engine, the Backstop, the
//! Liquidator, the RiskOracle and RiskModel with mock tokens and feeds, deployed and wired by
//! `keel_e2e::system::System`, driven through the generated `abi/IMarginEngine.sol` and
//! `abi/IBackstop.sol`.
//!
//! Covered: opening and closing longs and shorts (fills, fees, realised PnL, token balances),
//! `quoteTrade` against the trade it quotes, slippage, deadline, size, margin and
//! open-interest reverts, a stale oracle, a sequencer
//! outage and a pause (no new risk, reductions allowed), a volatility spike raising the margin
//! requirement, a crash liquidated in several tranches, collateral seized and auctioned by the
//! Liquidator, the bad-debt waterfall (the insurance fund, recorded debt, ADL refilling the
//! fund, socialisation to the pool after the grace), ADL above the profit ratio, the pool's
//! withdrawal limit, wrong callers of every ward-only function and of the account functions, a
//! failed liquidation rolled back across contracts, and fixed-seed random sequences of user
//! actions that never create quote out of nothing.
// Prices are written dollars_cents: `3_000_00` is $3,000.00.
#![allow(clippy::inconsistent_digit_grouping)]

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::{SolCall, SolError};
use keel_e2e::{
    risk_oracle::{name, wad, Model, KEEPER},
    system::*,
};
use keel_host::prelude::*;

use IBackstop as B;
use IMarginEngine as E;

/// WAD per USDC unit (USDC has 6 decimals).
const SCALE: u64 = 1_000_000_000_000;

/// `x` USDC as a WAD value.
fn usdc_wad(x: U256) -> U256 {
    x * U256::from(SCALE)
}

/// A signed WAD value from an unsigned one.
fn signed(x: U256) -> I256 {
    I256::from_raw(x)
}

/// `account`'s quote balance, WAD.
fn quote(s: &mut System, account: U256) -> I256 {
    let engine = s.engine;
    s.view(engine, &E::quoteBalanceCall { account })
}

/// `account`'s WETH collateral, WAD.
fn collateral(s: &mut System, account: U256) -> U256 {
    let (engine, weth) = (s.engine, s.weth);
    s.view(
        engine,
        &E::collateralOfCall {
            account,
            token: weth,
        },
    )
}

/// A trade on the ETH market with an explicit limit and deadline, whatever the outcome.
fn trade_with(
    s: &mut System,
    from: Address,
    account: U256,
    delta: I256,
    limit: U256,
    deadline: u64,
) -> Receipt<E::tradeCall> {
    let call = E::tradeCall {
        account,
        market: s.market,
        sizeDelta: delta,
        priceLimit: limit,
        deadline: U256::from(deadline),
    };
    let engine = s.engine;
    s.call(from, engine, &call)
}

/// `who` withdraws `amount` USDC units from `account` to itself, whatever the outcome.
fn withdraw(s: &mut System, who: Address, account: U256, amount: U256) -> Receipt<E::withdrawCall> {
    let (engine, token) = (s.engine, s.usdc);
    let call = E::withdrawCall {
        account,
        token,
        amount,
        to: who,
    };
    s.call(who, engine, &call)
}

/// The engine's quote ledger matches its tokens: `Σ quote balances + pool ledger` (WAD) is
/// exactly the engine's USDC in WAD (the crate's rounding keeps every dust in the pool), and
/// `Σ WETH collateral` is the engine's WETH.
/// With `vault`, the vault's account is counted too.
fn assert_ledger(s: &mut System, accounts: &[U256], vault: bool) {
    let mut claims = I256::ZERO;
    let vault_account = s.vault_account;
    let accounts: Vec<U256> = accounts
        .iter()
        .copied()
        .chain(vault.then_some(vault_account))
        .collect();
    let mut weth = U256::ZERO;
    for &a in &accounts {
        claims += quote(s, a);
        weth += collateral(s, a);
    }
    claims += signed(s.pool().balance);
    let engine = s.engine;
    let held = usdc_wad(s.usdc_of(engine));
    assert_eq!(claims, signed(held), "quote ledger vs engine's USDC");
    assert_eq!(weth, s.weth_of(engine), "WETH ledger vs engine's WETH");
}

/// Everything a liquidation may change, for a before/after comparison.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    position: (I256, U256),
    quote: I256,
    collateral: U256,
    pool: (U256, U256, I256, U256),
    usdc: [U256; 4],
    weth: [U256; 2],
    fund: U256,
    backstop_market: (U256, U256, U256),
    auctions: usize,
}

/// The state [`Snapshot`] names, read through the contracts' views and the tokens.
fn snapshot(s: &mut System, account: U256) -> Snapshot {
    let pool = s.pool();
    let (engine, backstop, liq, market) = (s.engine, s.backstop, s.liquidator, s.market);
    let m = s.view(backstop, &B::marketCall { market });
    Snapshot {
        position: s.position(account),
        quote: quote(s, account),
        collateral: collateral(s, account),
        pool: (
            pool.totalAssets,
            pool.totalShares,
            pool.traderPnl,
            pool.balance,
        ),
        usdc: [
            s.usdc_of(engine),
            s.usdc_of(backstop),
            s.usdc_of(liq),
            s.usdc_of(KEEPER),
        ],
        weth: [s.weth_of(engine), s.weth_of(liq)],
        fund: s.insurance_fund(),
        backstop_market: (m.current, m.previous, m.start),
        auctions: s.auctions().len(),
    }
}

/// Moves the price to `c` cents in steps the oracle's 20 % band accepts, one minute apart.
fn move_price(s: &mut System, c: i64) {
    while s.price != c {
        let step = (s.price / 6).max(1);
        let next = if c < s.price {
            (s.price - step).max(c)
        } else {
            (s.price + step).min(c)
        };
        let t = s.now() + 60;
        s.warp(t);
        s.set_price(next).success().expect("poke");
    }
}

/// An account of `owner` with `q` USDC and no collateral.
fn account(s: &mut System, owner: Address, q: u64) -> U256 {
    s.open_account(owner, usdc(q), U256::ZERO)
}

#[test]
fn long_and_short_open_and_close_settle_against_the_pool() {
    let mut s = System::new();
    let alice = account(&mut s, ALICE, 10_000);
    let bob = account(&mut s, BOB, 10_000);
    assert_eq!(s.usdc_of(ALICE), U256::ZERO);
    let pool_before = s.pool();

    // Alice buys 1 ETH: the fill is above the oracle price (spread), the fee is charged.
    let receipt = s.try_trade(ALICE, alice, size(1.0)).success().expect("buy");
    let fill = receipt.returns().expect("fill");
    let price = s.oracle_price();
    assert!(fill > price, "a buy fills above the mark");
    let traded = &receipt.events::<E::Traded>().expect("Traded")[0];
    assert_eq!(traded.address, s.engine);
    assert_eq!((traded.account, traded.market), (alice, s.market));
    assert_eq!(traded.sizeDelta, size(1.0));
    assert_eq!(traded.fillPrice, fill);
    assert_eq!(traded.realisedPnl, I256::ZERO);
    // 5 bp of the notional at the fill, rounded up.
    let fee = traded.fee;
    assert!(fee >= fill / U256::from(2_000) && fee <= fill / U256::from(2_000) + U256::from(1));
    assert_eq!(quote(&mut s, alice), signed(wad(10_000)) - signed(fee));
    assert_eq!(s.position(alice), (size(1.0), fill));
    let markets = s.view(s.engine, &E::accountMarketsCall { account: alice });
    assert_eq!(markets, vec![s.market]);

    // Bob sells 2 ETH: below the mark.
    let short_fill = s.trade(BOB, bob, size(-2.0));
    assert!(short_fill < price);
    assert_eq!(s.position(bob).0, size(-2.0));
    let oi = s.view(s.engine, &E::openInterestCall { market: s.market });
    assert_eq!((oi.long, oi.short), (eth(1), eth(2)));
    // The fees went to the pool's ledger.
    assert!(s.pool().balance > pool_before.balance);

    // ETH rises 10 %: Alice gains, Bob loses, the pool carries the net.
    move_price(&mut s, 3_300_00);
    let pnl = s.pool().traderPnl;
    assert!(
        pnl < I256::ZERO,
        "net short: traders lose on a rise ({pnl})"
    );
    let h_alice = s.health(alice);
    assert!(h_alice.equity > signed(wad(10_000)));

    // Both close.
    let close = s
        .try_trade(ALICE, alice, size(-1.0))
        .success()
        .expect("close long");
    let closed = &close.events::<E::Traded>().expect("Traded")[0];
    assert!(
        closed.realisedPnl > signed(wad(200)),
        "about +300 less spread"
    );
    assert_eq!(s.position(alice), (I256::ZERO, U256::ZERO));
    let close = s
        .try_trade(BOB, bob, size(2.0))
        .success()
        .expect("close short");
    assert!(close.events::<E::Traded>().expect("Traded")[0].realisedPnl < I256::ZERO);
    assert!(s
        .view(s.engine, &E::accountMarketsCall { account: alice })
        .is_empty());
    assert_eq!(s.health_factor(alice), U256::MAX, "no positions");

    // Everyone withdraws everything: Alice ends with more USDC than she put in, Bob with less.
    for (who, account) in [(ALICE, alice), (BOB, bob)] {
        let q = quote(&mut s, account);
        assert!(q > I256::ZERO);
        let units = q.into_raw() / U256::from(SCALE);
        let w = withdraw(&mut s, who, account, units)
            .success()
            .expect("withdraw");
        let ev = &w.events::<E::Withdrawn>().expect("Withdrawn")[0];
        assert_eq!(
            (ev.account, ev.token, ev.to, ev.amount),
            (account, s.usdc, who, units)
        );
        assert_eq!(s.usdc_of(who), units);
    }
    assert!(s.usdc_of(ALICE) > usdc(10_000));
    assert!(s.usdc_of(BOB) < usdc(10_000));
    assert_ledger(&mut s, &[alice, bob], true);
}

#[test]
fn slippage_deadline_and_limits_revert_typed_without_effect() {
    let mut s = System::new();
    let alice = account(&mut s, ALICE, 10_000);
    let price = s.oracle_price();
    let now = s.now();

    // A buy limited at the mark cannot fill (the spread lifts the fill above it).
    let r = trade_with(&mut s, ALICE, alice, size(1.0), price, now);
    let e = r.revert_as::<E::EngineSlippage>().expect("slippage");
    assert_eq!(e.priceLimit, price);
    assert!(e.fillPrice > price);
    // A sell limited at the mark, likewise.
    let r = trade_with(&mut s, ALICE, alice, size(-1.0), price, now);
    assert!(
        r.revert_as::<E::EngineSlippage>()
            .expect("slippage")
            .fillPrice
            < price
    );
    // A deadline one second ago.
    let r = trade_with(&mut s, ALICE, alice, size(1.0), U256::MAX, now - 1);
    let e = r.revert_as::<E::EngineDeadlinePassed>().expect("deadline");
    assert_eq!((e.deadline, e.now), (U256::from(now - 1), U256::from(now)));
    // Below the minimum size.
    let r = s.try_trade(ALICE, alice, size(0.001));
    r.revert_as::<E::EngineBelowMinSize>().expect("min size");
    // Beyond initial margin: 100 ETH on 10,000 USDC.
    let r = s.try_trade(ALICE, alice, size(100.0));
    let e = r.revert_as::<E::EngineBelowInitialMargin>().expect("IM");
    assert_eq!(e.account, alice);
    // Nothing changed.
    assert_eq!(s.position(alice), (I256::ZERO, U256::ZERO));
    assert_eq!(quote(&mut s, alice), signed(wad(10_000)));

    // Withdrawals beyond the balance, and below IM with a position.
    let r = withdraw(&mut s, ALICE, alice, usdc(10_001));
    r.revert_as::<E::EngineInsufficientQuote>()
        .expect("insufficient");
    s.trade(ALICE, alice, size(20.0));
    let r = withdraw(&mut s, ALICE, alice, usdc(9_000));
    r.revert_as::<E::EngineBelowInitialMargin>()
        .expect("IM after withdraw");
    // Open-interest cap.
    let market = s.market;
    s.ok(
        ADMIN,
        s.engine,
        &E::fileMarketCall {
            market,
            what: name("oiCapLong"),
            data: eth(21),
        },
    );
    let r = s.try_trade(ALICE, alice, size(2.0));
    let e = r.revert_as::<E::EngineOpenInterestCap>().expect("OI cap");
    assert_eq!(e.cap, eth(21));
    assert_eq!(s.position(alice).0, size(20.0));
}

/// `quoteTrade` prices exactly what `trade` then does: a trade limited at the quoted fill
/// fills there and pays the quoted fee, with the age-scaled spread in play (a price 20 minutes
/// old); a stale price gets no quote.
#[test]
fn quote_trade_is_exactly_what_trade_does() {
    let mut s = System::new();
    let alice = account(&mut s, ALICE, 10_000);
    let (engine, market) = (s.engine, s.market);
    let t = s.now() + 1_200;
    s.warp(t);
    let price = s.oracle_price();
    for delta in [size(2.0), size(-0.5), size(-1.5)] {
        let quote = s.view(
            engine,
            &E::quoteTradeCall {
                market,
                sizeDelta: delta,
            },
        );
        // Buys above the price, sells below, by more than the base spread (0.05 %).
        let gap = if delta.is_positive() {
            quote.fillPrice - price
        } else {
            price - quote.fillPrice
        };
        assert!(
            gap * U256::from(10_000) > price * U256::from(5),
            "gap {gap}"
        );
        let now = s.now();
        let r = trade_with(&mut s, ALICE, alice, delta, quote.fillPrice, now);
        assert_eq!(r.returns().expect("fills at the quote"), quote.fillPrice);
        let traded = r.events::<E::Traded>().expect("decodes");
        assert_eq!(traded.len(), 1);
        assert_eq!(traded[0].data.fee, quote.fee);
    }
    assert_eq!(s.position(alice).0, I256::ZERO);
    // No quote without a trustworthy price, as no trade.
    let t = s.now() + 3_601;
    s.warp(t);
    let quote = s.call(
        BOB,
        engine,
        &E::quoteTradeCall {
            market,
            sizeDelta: size(1.0),
        },
    );
    let e = quote.revert_as::<E::EngineInvalidPrice>().expect("stale");
    assert_eq!(e.asset, s.weth);
}

#[test]
fn stale_oracle_refuses_trades_but_views_still_value() {
    let mut s = System::new();
    let alice = account(&mut s, ALICE, 10_000);
    s.trade(ALICE, alice, size(2.0));
    // No round for longer than the heartbeat: the price is invalid.
    let t = s.now() + 3_601;
    s.warp(t);
    let r = s.try_trade(ALICE, alice, size(1.0));
    let e = r
        .revert_as::<E::EngineInvalidPrice>()
        .expect("stale: no new risk");
    assert_eq!(e.asset, s.weth);
    let r = s.try_trade(ALICE, alice, size(-1.0));
    r.revert_as::<E::EngineInvalidPrice>()
        .expect("stale: no reduction either");
    let r = withdraw(&mut s, ALICE, alice, usdc(1));
    r.revert_as::<E::EngineInvalidPrice>()
        .expect("stale: no withdrawal with a position");
    s.fund(CAROL, usdc(100));
    let r = s.call(
        CAROL,
        s.engine,
        &E::poolDepositCall {
            assets: usdc(100),
            receiver: CAROL,
        },
    );
    r.revert_as::<E::EngineInvalidPrice>()
        .expect("stale: no pool deposit");
    // Views value at the last accepted price.
    let h = s.health(alice);
    assert!(h.equity > I256::ZERO && h.maintenanceMargin > U256::ZERO);
    assert_eq!(s.position(alice).0, size(2.0));
    // A fresh round: trading resumes.
    s.tick(0);
    s.trade(ALICE, alice, size(-2.0));
}

#[test]
fn sequencer_down_or_paused_refuses_new_risk_but_not_reductions() {
    let mut s = System::new();
    let alice = account(&mut s, ALICE, 10_000);
    s.trade(ALICE, alice, size(2.0));
    // The sequencer goes down: adding risk is unsafe, reducing is not.
    s.world.uptime_status(1);
    let r = s.try_trade(ALICE, alice, size(1.0));
    let e = r
        .revert_as::<E::EngineNewRiskRefused>()
        .expect("sequencer down");
    assert_eq!(e.reason, U256::from(2));
    s.trade(ALICE, alice, size(-1.0));
    assert_eq!(s.position(alice).0, size(1.0));
    // A ward pauses new risk: the same, with reason 1.
    s.world.uptime_status(0);
    let t = s.now() + 3_601;
    s.warp(t);
    s.tick(0);
    let engine = s.engine;
    let r = s.ok(
        ADMIN,
        engine,
        &E::fileCall {
            what: name("stopped"),
            data: U256::from(1),
        },
    );
    let ev = &r.events::<E::File>().expect("File")[0];
    assert_eq!((ev.what, ev.data.data), (name("stopped"), U256::from(1)));
    let r = s.try_trade(ALICE, alice, size(1.0));
    assert_eq!(
        r.revert_as::<E::EngineNewRiskRefused>()
            .expect("paused")
            .reason,
        U256::from(1)
    );
    s.trade(ALICE, alice, size(-1.0));
    assert_eq!(s.position(alice).0, I256::ZERO);
}

#[test]
fn volatility_spike_raises_the_requirement_and_lowers_leverage() {
    let mut s = System::new();
    let alice = account(&mut s, ALICE, 10_000);
    s.trade(ALICE, alice, size(40.0));
    // Bob near his maximum leverage: a margin call once the requirement rises.
    let bob = account(&mut s, BOB, 2_000);
    s.trade(BOB, bob, size(16.0));
    assert!(!s.is_liquidatable(bob));
    let before = s.health(alice);
    let model = s.world.model;
    let weth = s.weth;
    let lev_before: U256 = s.view(model, &Model::maxLeverageCall { asset: weth });
    // Thirty 6 % swings a minute apart.
    for i in 0..30 {
        let c = if i % 2 == 0 { 3_180_00 } else { 3_000_00 };
        let t = s.now() + 60;
        s.warp(t);
        s.set_price(c).success().expect("poke");
    }
    let after = s.health(alice);
    let lev_after: U256 = s.view(model, &Model::maxLeverageCall { asset: weth });
    assert!(
        after.maintenanceMargin > before.maintenanceMargin * U256::from(3) / U256::from(2),
        "MM {} -> {}",
        before.maintenanceMargin,
        after.maintenanceMargin
    );
    assert!(after.initialMargin > before.initialMargin);
    assert!(
        lev_after < lev_before,
        "leverage {lev_before} -> {lev_after}"
    );
    // Back at the price he bought at, Bob is liquidatable on volatility alone.
    assert_eq!(s.price, 3_000_00);
    assert!(s.is_liquidatable(bob), "{:?}", s.health(bob));
    let preview = s.view(s.backstop, &B::liquidationPreviewCall { account: bob });
    assert!(preview.closeSize < I256::ZERO && preview.closeSize > size(-16.0));
    // The same position now breaks initial margin: increasing is refused, withdrawing too.
    let r = s.try_trade(ALICE, alice, size(5.0));
    r.revert_as::<E::EngineBelowInitialMargin>()
        .expect("no increase");
    let headroom = (after.equity.into_raw() - after.initialMargin.min(after.equity.into_raw()))
        / U256::from(SCALE);
    let r = withdraw(&mut s, ALICE, alice, headroom + usdc(1));
    r.revert_as::<E::EngineBelowInitialMargin>()
        .expect("no withdrawal");
    // Reducing is always allowed.
    s.trade(ALICE, alice, size(-10.0));
    assert_eq!(s.position(alice).0, size(30.0));
}

#[test]
fn crash_is_liquidated_in_tranches() {
    let mut s = System::new();
    let alice = account(&mut s, ALICE, 1_000);
    s.trade(ALICE, alice, size(7.0));
    // A small maxLot: each call closes at most $4,000 of notional.
    let (backstop, market) = (s.backstop, s.market);
    s.ok(
        ADMIN,
        backstop,
        &B::fileMarketCall {
            market,
            what: name("maxLot"),
            data: wad(4_000),
        },
    );
    assert!(!s.is_liquidatable(alice));
    let r = s.liquidate(alice);
    assert_eq!(
        r.revert_as::<B::BackstopNotLiquidatable>()
            .expect("healthy")
            .account,
        alice
    );

    move_price(&mut s, 2_910_00);
    assert!(s.is_liquidatable(alice));
    let preview = s.view(backstop, &B::liquidationPreviewCall { account: alice });
    assert_eq!(preview.market, market);
    assert!(preview.closeSize < I256::ZERO, "closing a long sells");

    let mut tranches = 0;
    let mut last_size = s.position(alice).0;
    while s.is_liquidatable(alice) {
        let fund = s.insurance_fund();
        let keeper = s.usdc_of(KEEPER);
        let r = s.liquidate(alice).success().expect("tranche");
        let out = r.returns().expect("returns");
        let ev = &r.events::<B::Liquidate>().expect("Liquidate")[0];
        assert_eq!(ev.address, backstop);
        assert_eq!((ev.account, ev.market, ev.keeper), (alice, market, KEEPER));
        assert_eq!((ev.closed, ev.penalty), (out.closed, out.penalty));
        assert!(ev.notional <= wad(4_000), "maxLot bounds a tranche");
        let size_now = s.position(alice).0;
        assert_eq!(size_now, last_size + out.closed);
        assert!(size_now >= I256::ZERO);
        // The penalty's keeper share is paid; the rest stays in the fund.
        assert_eq!(s.usdc_of(KEEPER) - keeper, ev.reward);
        // The penalty is charged to the account and paid to the Backstop in whole USDC
        // (rounded down); half of it (`keeperShare`) goes on to the keeper.
        let charged = &r.events::<E::Charged>().expect("Charged")[0];
        assert_eq!((charged.account, charged.to), (alice, backstop));
        assert_eq!(charged.amount, out.penalty);
        assert_eq!(charged.paid, out.penalty / U256::from(SCALE));
        assert_eq!(ev.reward, charged.paid / U256::from(2));
        assert_eq!(s.insurance_fund() + ev.reward, fund + charged.paid);
        let conf = r.events::<E::Confiscated>().expect("Confiscated");
        assert_eq!(conf.len(), 1);
        assert_eq!(conf[0].sizeDelta, out.closed);
        last_size = size_now;
        tranches += 1;
        assert!(tranches < 10);
    }
    assert!(tranches >= 3, "sold down in {tranches} tranches");
    assert!(
        last_size > I256::ZERO,
        "stops at the target health, not at zero"
    );
    assert!(s.health_factor(alice) >= wad(1));
    let r = s.liquidate(alice);
    r.revert_as::<B::BackstopNotLiquidatable>()
        .expect("healthy again");
    assert_ledger(&mut s, &[alice], true);
}

/// Bob: 1 WETH of collateral and no quote, long 12 ETH; then a 10 % drop makes him insolvent.
fn insolvent_bob(s: &mut System) -> U256 {
    let bob = s.open_account(BOB, U256::ZERO, eth(1));
    s.trade(BOB, bob, size(12.0));
    move_price(s, 2_700_00);
    assert!(s.health(bob).equity < I256::ZERO);
    bob
}

#[test]
fn seizure_goes_to_the_liquidator_and_the_fund_covers_the_rest() {
    let mut s = System::new();
    let bob = insolvent_bob(&mut s);
    let (engine, backstop, liq, weth) = (s.engine, s.backstop, s.liquidator, s.weth);

    // One call closes the position (a bankrupt account pays no penalty) and seizes the WETH.
    let r = s.liquidate(bob).success().expect("liquidate");
    let out = r.returns().expect("returns");
    assert_eq!(out.closed, size(-12.0));
    assert_eq!(out.penalty, U256::ZERO);
    assert_eq!(s.position(bob).0, I256::ZERO);
    let deficit = quote(&mut s, bob);
    assert!(deficit < I256::ZERO);
    let kick = &r.events::<B::Kick>().expect("Kick")[0];
    assert_eq!((kick.account, kick.token), (bob, weth));
    assert_eq!(
        kick.lot,
        eth(1),
        "the deficit exceeds the collateral: all of it"
    );
    let seized = &r.events::<E::Seized>().expect("Seized")[0];
    assert_eq!(
        (seized.account, seized.token, seized.to, seized.amount),
        (bob, weth, liq, eth(1))
    );
    assert_eq!(
        r.events::<ILiquidator::Kick>()
            .expect("Liquidator Kick")
            .len(),
        1
    );
    assert_eq!(collateral(&mut s, bob), U256::ZERO);
    assert_eq!(s.weth_of(liq), eth(1));
    assert_eq!(s.weth_of(engine), U256::ZERO);
    let id = kick.id;
    assert_eq!(s.auctions(), vec![id]);
    assert_eq!(s.view(backstop, &B::auctionsCall { id }), bob);

    // Settling waits for the auction.
    let r = s.settle_bad_debt(bob);
    r.revert_as::<B::BackstopAuctionsRunning>()
        .expect("auction running");

    // Half an hour on, a taker buys the whole lot; the proceeds repay part of the deficit.
    s.tick(1_800);
    let r = s.take(id, eth(1), U256::MAX).success().expect("take");
    let proceeds = &r.events::<B::Proceeds>().expect("Proceeds")[0];
    assert_eq!(proceeds.account, bob);
    let after_take = quote(&mut s, bob);
    assert!(after_take > deficit && after_take < I256::ZERO);
    assert!(s.auctions().is_empty());
    assert_eq!(s.weth_of(TAKER), eth(1));

    // The insurance fund covers what is left, in whole USDC rounded up.
    let fund = s.insurance_fund();
    let r = s.settle_bad_debt(bob).success().expect("settle");
    let out = r.returns().expect("returns");
    let cover = &r.events::<B::Cover>().expect("Cover")[0];
    assert_eq!(cover.account, bob);
    assert_eq!(out.socialised, U256::ZERO);
    assert_eq!(out.debt, U256::ZERO);
    // `covered` is in USDC units: the deficit rounded up, so the account ends at or above zero.
    assert_eq!(
        out.covered,
        after_take.unsigned_abs().div_ceil(U256::from(SCALE))
    );
    assert_eq!(cover.amount, out.covered);
    assert_eq!(fund - s.insurance_fund(), out.covered);
    let q = quote(&mut s, bob);
    assert!(
        q >= I256::ZERO && q < signed(U256::from(SCALE)),
        "dust only: {q}"
    );
    assert_eq!(s.bad_debt(), U256::ZERO);
    assert_ledger(&mut s, &[bob], true);
}

#[test]
fn adl_closes_profitable_positions_above_the_ratio() {
    let mut s = System::new();
    let backstop = s.backstop;
    // Carol's short profits from the crash.
    let carol = account(&mut s, CAROL, 50_000);
    s.trade(CAROL, carol, size(-100.0));
    // Alice's long loses in the crash.
    let loser = account(&mut s, ALICE, 10_000);
    s.trade(ALICE, loser, size(1.0));
    move_price(&mut s, 2_700_00);
    let fund = s.insurance_fund();
    // ADL is closed while traders' profit is below `adlRatio` (100 %) of the pool's assets and
    // no bad debt is recorded.
    let r = s.adl(carol);
    r.revert_as::<B::BackstopAdlNotAllowed>().expect("not yet");
    // Lower the bar: adlRatio 1 % opens ADL on traders' profit alone.
    s.ok(
        ADMIN,
        backstop,
        &B::fileCall {
            what: name("adlRatio"),
            data: wad(1) / U256::from(100),
        },
    );
    let pool = s.pool();
    assert!(pool.traderPnl > I256::ZERO, "Carol is in profit");
    // A loser cannot be ADL'ed.
    let r = s.adl(loser);
    let e = r
        .revert_as::<B::BackstopNotProfitable>()
        .expect("not profitable");
    assert_eq!(e.account, loser);
    let before = s.position(carol).0;
    let r = s.adl(carol).success().expect("adl");
    let closed = r.returns().expect("closed");
    let ev = &r.events::<B::Adl>().expect("Adl")[0];
    assert_eq!((ev.account, ev.keeper, ev.closed), (carol, KEEPER, closed));
    assert!(closed > I256::ZERO, "a short is bought back");
    let after = s.position(carol).0;
    assert_eq!(after, before + closed);
    assert!(after < I256::ZERO, "never flips");
    let after_pool = s.pool();
    assert!(after_pool.traderPnl < pool.traderPnl);
    // Without bad debt there is no haircut: the realised profit stays Carol's.
    assert_eq!(ev.haircut, U256::ZERO);
    assert_eq!(s.insurance_fund(), fund);
    // Closed only down to the ratio, never below it (rounded down: no overshoot).
    assert!(
        after_pool.traderPnl.into_raw() * U256::from(100)
            >= after_pool.totalAssets - U256::from(100)
    );
    // Rounding leaves at most dust above the ratio: a second ADL finds nothing to close.
    let r = s.adl(carol);
    assert!(
        r.revert_as::<B::BackstopAdlNotAllowed>().is_ok()
            || r.revert_as::<B::BackstopNothingToClose>().is_ok(),
        "ratio restored"
    );
    assert_eq!(s.position(carol).0, after);
    assert_ledger(&mut s, &[carol, loser], true);
}

#[test]
fn pool_redemptions_stop_at_the_profit_cap() {
    let mut s = System::new();
    let engine = s.engine;
    let carol = account(&mut s, CAROL, 100_000);
    s.trade(CAROL, carol, size(-200.0));
    move_price(&mut s, 2_500_00);
    let pool = s.pool();
    assert!(pool.traderPnl > signed(wad(90_000)));
    // Traders may be owed 2 % more than they are now, relative to the pool's assets: a small
    // redemption fits, half the pool does not.
    let ratio =
        pool.traderPnl.into_raw() * U256::from(102) * wad(1) / U256::from(100) / pool.totalAssets;
    s.ok(
        ADMIN,
        engine,
        &E::fileCall {
            what: name("maxProfitRatio"),
            data: ratio,
        },
    );
    let shares = s.view(engine, &E::poolSharesOfCall { lp: LP });
    let r = s.call(
        LP,
        engine,
        &E::poolRedeemCall {
            shares: shares / U256::from(2),
            receiver: LP,
        },
    );
    let e = r.revert_as::<E::EnginePoolProfitCap>().expect("profit cap");
    assert_eq!(e.traderPnl, pool.traderPnl);
    assert_eq!(s.view(engine, &E::poolSharesOfCall { lp: LP }), shares);
    // A small redemption that keeps the ratio goes through.
    let r = s.call(
        LP,
        engine,
        &E::poolRedeemCall {
            shares: shares / U256::from(100),
            receiver: LP,
        },
    );
    let r = r.success().expect("small redeem");
    let ev = &r.events::<E::PoolRedeemed>().expect("PoolRedeemed")[0];
    assert_eq!(
        (ev.owner, ev.receiver, ev.shares),
        (LP, LP, shares / U256::from(100))
    );
    assert_eq!(s.usdc_of(LP), ev.assets);
    // Redeeming more than one holds.
    let r = s.call(
        ALICE,
        engine,
        &E::poolRedeemCall {
            shares: U256::from(1),
            receiver: ALICE,
        },
    );
    r.revert_as::<E::EngineInsufficientShares>()
        .expect("no shares");
}

#[test]
fn wrong_callers_are_refused_with_typed_errors() {
    let mut s = System::new();
    let (engine, backstop, usdc_token, weth, market) =
        (s.engine, s.backstop, s.usdc, s.weth, s.market);
    let alice = account(&mut s, ALICE, 10_000);
    s.trade(ALICE, alice, size(1.0));
    let m = MALLORY;

    fn refused<C: SolCall>(s: &mut System, to: Address, call: &C, engine: bool) {
        let r = s.call(MALLORY, to, call);
        if engine {
            let e = r
                .revert_as::<E::EngineUnauthorized>()
                .unwrap_or_else(|_| panic!("{}", C::SIGNATURE));
            assert_eq!(e.caller, MALLORY, "{}", C::SIGNATURE);
        } else {
            let e = r
                .revert_as::<B::BackstopUnauthorized>()
                .unwrap_or_else(|_| panic!("{}", C::SIGNATURE));
            assert_eq!(e.caller, MALLORY, "{}", C::SIGNATURE);
        }
    }
    let one = U256::from(1);
    refused(
        &mut s,
        engine,
        &E::confiscateCall {
            account: alice,
            market,
            sizeDelta: size(-1.0),
            price: one,
        },
        true,
    );
    refused(
        &mut s,
        engine,
        &E::chargeCall {
            account: alice,
            amount: one,
            to: m,
        },
        true,
    );
    refused(
        &mut s,
        engine,
        &E::seizeCall {
            account: alice,
            token: usdc_token,
            amount: one,
            to: m,
        },
        true,
    );
    refused(
        &mut s,
        engine,
        &E::socialiseCall {
            account: alice,
            amount: one,
        },
        true,
    );
    refused(&mut s, engine, &E::relyCall { usr: m }, true);
    refused(&mut s, engine, &E::denyCall { usr: ADMIN }, true);
    refused(
        &mut s,
        engine,
        &E::fileCall {
            what: name("stopped"),
            data: one,
        },
        true,
    );
    refused(
        &mut s,
        engine,
        &E::listCollateralCall {
            token: m,
            haircut: one,
            cap: one,
            correlatedAsset: Address::ZERO,
            correlationHaircut: U256::ZERO,
        },
        true,
    );
    refused(
        &mut s,
        engine,
        &E::fileCollateralCall {
            token: weth,
            what: name("haircut"),
            data: one,
        },
        true,
    );
    refused(&mut s, engine, &E::listMarketCall { asset: weth }, true);
    refused(
        &mut s,
        engine,
        &E::fileMarketCall {
            market,
            what: name("fee"),
            data: one,
        },
        true,
    );
    // Account functions from someone neither owner nor operator.
    refused(
        &mut s,
        engine,
        &E::setOperatorCall {
            account: alice,
            operator: m,
            approved: true,
        },
        true,
    );
    refused(
        &mut s,
        engine,
        &E::withdrawCall {
            account: alice,
            token: usdc_token,
            amount: one,
            to: m,
        },
        true,
    );
    refused(
        &mut s,
        engine,
        &E::tradeCall {
            account: alice,
            market,
            sizeDelta: size(-1.0),
            priceLimit: U256::ZERO,
            deadline: U256::MAX,
        },
        true,
    );
    // The Backstop's ward-only functions.
    refused(&mut s, backstop, &B::relyCall { usr: m }, false);
    refused(&mut s, backstop, &B::denyCall { usr: ADMIN }, false);
    refused(
        &mut s,
        backstop,
        &B::fileCall {
            what: name("penalty"),
            data: one,
        },
        false,
    );
    refused(
        &mut s,
        backstop,
        &B::fileAddressCall {
            what: name("oracle"),
            data: m,
        },
        false,
    );
    refused(
        &mut s,
        backstop,
        &B::fileMarketCall {
            market,
            what: name("maxLot"),
            data: one,
        },
        false,
    );
    refused(
        &mut s,
        backstop,
        &B::fileTokenCall {
            token: weth,
            auctionable: false,
        },
        false,
    );
    refused(
        &mut s,
        backstop,
        &B::onAuctionProceedsCall {
            id: one,
            account: alice,
            raised: one,
            remainingTab: U256::ZERO,
            closed: true,
        },
        false,
    );
    // Nothing moved; an approved operator may trade and withdraw, then loses the right.
    assert_eq!(s.position(alice).0, size(1.0));
    assert!(!s.view(engine, &E::wardsCall { usr: m }));
    let r = s.ok(
        ALICE,
        engine,
        &E::setOperatorCall {
            account: alice,
            operator: BOB,
            approved: true,
        },
    );
    let ev = &r.events::<E::OperatorSet>().expect("OperatorSet")[0];
    assert_eq!((ev.account, ev.operator, ev.approved), (alice, BOB, true));
    s.trade(BOB, alice, size(-1.0));
    withdraw(&mut s, BOB, alice, usdc(1))
        .success()
        .expect("operator withdraws");
    s.ok(
        ALICE,
        engine,
        &E::setOperatorCall {
            account: alice,
            operator: BOB,
            approved: false,
        },
    );
    let r = withdraw(&mut s, BOB, alice, usdc(1));
    assert_eq!(
        r.revert_as::<E::EngineUnauthorized>()
            .expect("revoked")
            .caller,
        BOB
    );
}

#[test]
fn failed_liquidation_rolls_back_every_contract() {
    let mut s = System::new();
    let bob = insolvent_bob(&mut s);
    let (backstop, liq) = (s.backstop, s.liquidator);
    // The Liquidator no longer accepts the Backstop's kicks: the liquidation closes the
    // position, seizes the WETH, then fails at the kick.
    s.ok(ADMIN, liq, &ILiquidator::denyCall { usr: backstop });
    let before = snapshot(&mut s, bob);
    let r = s.liquidate(bob);
    let e = r
        .revert_as::<B::BackstopExternalCallFailed>()
        .expect("the kick fails the call");
    assert_eq!(e.target, liq);
    let inner = ILiquidator::LiquidatorUnauthorized::abi_decode(&e.reason).expect("inner error");
    assert_eq!(inner.caller, backstop);
    assert!(r.logs.is_empty(), "no events survive");
    assert_eq!(
        snapshot(&mut s, bob),
        before,
        "engine, Backstop, Liquidator untouched"
    );
    s.ok(ADMIN, liq, &ILiquidator::relyCall { usr: backstop });
    // Restored, the same call closes, seizes and kicks: the changes the failed call undid.
    let r = s.liquidate(bob).success().expect("liquidate");
    assert_eq!(r.events::<E::Confiscated>().expect("Confiscated").len(), 1);
    assert_eq!(r.events::<E::Seized>().expect("Seized").len(), 1);
    assert_eq!(r.events::<B::Kick>().expect("Kick").len(), 1);
    assert_ne!(snapshot(&mut s, bob), before);
}

/// A small deterministic generator (xorshift64*), so the property test has a fixed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// How many actions of each kind succeeded in one random run.
#[derive(Debug, Default)]
struct Counts {
    trades: u32,
    withdrawals: u32,
    deposits: u32,
    pool: u32,
    liquidations: u32,
}

/// One random run of `steps` actions from `seed`: three traders (2,000 USDC in the engine and
/// 10,000 in the wallet each) trade up to ±12 ETH, deposit, withdraw, get liquidated; the LP
/// deposits and redeems; the price moves up to ±$120 every 30 s. After every action, the engine's
/// ledger matches its tokens and `Σ quote balances + pool ledger + insurance fund + USDC outside`
/// is what it was at the start (the mock token mints nothing after the start).
fn random_run(seed: u64, steps: u32) -> Counts {
    let mut s = System::new();
    let mut rng = Rng(seed);
    let users = [ALICE, BOB, CAROL];
    let accounts: Vec<U256> = users.iter().map(|&u| account(&mut s, u, 2_000)).collect();
    for &u in &users {
        s.fund(u, usdc(10_000));
    }
    s.fund(LP, usdc(100_000));
    let (engine, liq, usdc_token) = (s.engine, s.liquidator, s.usdc);
    let mut all = accounts.clone();
    all.push(s.vault_account);
    // Σ quote balances + pool ledger + insurance fund + USDC outside the engine, WAD.
    let wealth = |s: &mut System| {
        let mut w = I256::ZERO;
        for &a in &all {
            w += quote(s, a);
        }
        w += signed(s.pool().balance) + signed(usdc_wad(s.insurance_fund()));
        for who in [ALICE, BOB, CAROL, LP, KEEPER, TAKER, liq] {
            w += signed(usdc_wad(s.usdc_of(who)));
        }
        w
    };
    let supply: U256 = s.view(usdc_token, &IMockToken::totalSupplyCall {});
    let before = wealth(&mut s);
    let mut counts = Counts::default();
    for step in 0..steps {
        let i = rng.below(3) as usize;
        let (who, account) = (users[i], accounts[i]);
        match rng.below(8) {
            0..=2 => {
                let delta = size((rng.below(2_401) as f64 - 1_200.0) / 100.0);
                counts.trades += u32::from(s.try_trade(who, account, delta).is_success());
            }
            3 => {
                let r = withdraw(&mut s, who, account, usdc(rng.below(3_000)));
                counts.withdrawals += u32::from(r.is_success());
            }
            4 => {
                let c = s.price + (rng.below(241) as i64 - 120) * 1_00;
                let t = s.now() + 30;
                s.warp(t);
                s.set_price(c.max(1_000_00)).success().expect("poke");
            }
            5 => {
                // A keeper liquidates every account it can.
                for &a in &accounts {
                    if s.is_liquidatable(a) {
                        counts.liquidations += u32::from(s.liquidate(a).is_success());
                    }
                }
            }
            6 => {
                let amount = usdc(1 + rng.below(2_000));
                let call = E::depositCall {
                    account,
                    token: usdc_token,
                    amount,
                };
                counts.deposits += u32::from(s.call(who, engine, &call).is_success());
            }
            _ => {
                let r = if rng.below(2) == 0 {
                    let assets = usdc(1 + rng.below(20_000));
                    let call = E::poolDepositCall {
                        assets,
                        receiver: LP,
                    };
                    s.call(LP, engine, &call).is_success()
                } else {
                    let held = s.view(engine, &E::poolSharesOfCall { lp: LP });
                    let shares = held / U256::from(2 + rng.below(200));
                    let call = E::poolRedeemCall {
                        shares,
                        receiver: LP,
                    };
                    s.call(LP, engine, &call).is_success()
                };
                counts.pool += u32::from(r);
            }
        }
        assert_ledger(&mut s, &all, false);
        assert_eq!(
            wealth(&mut s),
            before,
            "seed {seed:#x} step {step}: quote out of nothing"
        );
    }
    // Everyone closes and takes all quote out.
    s.tick(0);
    for (&who, &a) in users.iter().zip(&accounts) {
        let (size_now, _) = s.position(a);
        if size_now != I256::ZERO && !s.is_liquidatable(a) {
            s.try_trade(who, a, -size_now).success().expect("close");
        }
        let q = quote(&mut s, a);
        if q > I256::ZERO && s.position(a).0 == I256::ZERO {
            let units = q.into_raw() / U256::from(SCALE);
            withdraw(&mut s, who, a, units)
                .success()
                .expect("withdraw all");
        }
    }
    assert_ledger(&mut s, &all, false);
    assert_eq!(
        wealth(&mut s),
        before,
        "seed {seed:#x}: after everyone left"
    );
    let after: U256 = s.view(usdc_token, &IMockToken::totalSupplyCall {});
    assert_eq!(after, supply);
    counts
}

#[test]
fn random_actions_never_create_quote() {
    let mut total = Counts::default();
    for seed in [
        0x6b65_656c_5f6d_6172,
        0x5eed_0000_0000_0001,
        0x0dd5_eed5_0000_0002,
    ] {
        let c = random_run(seed, 90);
        total.trades += c.trades;
        total.withdrawals += c.withdrawals;
        total.deposits += c.deposits;
        total.pool += c.pool;
        total.liquidations += c.liquidations;
    }
    // The runs exercise every kind of action, so the invariant is not checked on idle state.
    assert!(total.trades >= 30, "{total:?}");
    assert!(
        total.withdrawals >= 5 && total.deposits >= 5 && total.pool >= 5,
        "{total:?}"
    );
    assert!(total.liquidations >= 3, "{total:?}");
}

/// Carol short 100 ETH (in profit after the crash); Bob with 10 WETH and no quote long 120 ETH,
/// liquidated after a 10 % drop and his WETH auctioned for far less than his deficit. Returns
/// (bob, carol) with Bob's remaining deficit above the insurance fund.
fn deficit_beyond_the_fund(s: &mut System) -> (U256, U256) {
    let carol = account(s, CAROL, 50_000);
    s.trade(CAROL, carol, size(-100.0));
    let bob = s.open_account(BOB, U256::ZERO, eth(10));
    s.trade(BOB, bob, size(120.0));
    move_price(s, 2_700_00);
    s.liquidate(bob).success().expect("liquidate");
    let id = s.auctions()[0];
    s.tick(1_800);
    s.take(id, eth(10), U256::MAX).success().expect("take");
    assert!(s.auctions().is_empty(), "the lot is sold out");
    let fund = s.insurance_fund();
    assert!(
        quote(s, bob) < -signed(usdc_wad(fund)),
        "deficit beyond the fund"
    );
    (bob, carol)
}

#[test]
fn bad_debt_beyond_the_fund_opens_adl_which_refills_the_fund() {
    let mut s = System::new();
    let (bob, carol) = deficit_beyond_the_fund(&mut s);
    let fund = s.insurance_fund();
    let deficit = quote(&mut s, bob).unsigned_abs();
    // ADL on profit alone is closed (traders' profit is far below the pool's assets).
    let r = s.adl(carol);
    r.revert_as::<B::BackstopAdlNotAllowed>()
        .expect("no debt yet");

    // The fund pays all it has; the rest is recorded, not written off.
    let r = s.settle_bad_debt(bob).success().expect("settle");
    let out = r.returns().expect("returns");
    assert_eq!(out.covered, fund);
    assert_eq!(out.socialised, U256::ZERO);
    assert_eq!(out.debt, deficit - usdc_wad(fund));
    let ev = &r.events::<B::BadDebt>().expect("BadDebt")[0];
    assert_eq!(
        (ev.account, ev.debt, ev.since),
        (bob, out.debt, U256::from(s.now()))
    );
    assert_eq!(s.insurance_fund(), U256::ZERO);
    assert_eq!(s.bad_debt(), out.debt);

    // ADL is open while the debt exceeds the fund: Carol's profit is partly realised and
    // charged to the fund, never more than the uncovered debt.
    let before = s.position(carol).0;
    let r = s.adl(carol).success().expect("adl");
    let ev = &r.events::<B::Adl>().expect("Adl")[0];
    assert!(ev.closed > I256::ZERO && before + ev.closed < I256::ZERO);
    assert!(ev.haircut > U256::ZERO && ev.haircut <= out.debt);
    assert!(signed(ev.haircut) <= ev.realised);
    let charged = &r.events::<E::Charged>().expect("Charged")[0];
    assert_eq!((charged.account, charged.to), (carol, s.backstop));
    assert_eq!(s.insurance_fund(), charged.paid);
    assert!(
        !s.is_liquidatable(carol),
        "the haircut stays within Carol's headroom"
    );

    // The next settle pays the recorded debt from the refilled fund.
    let r = s.settle_bad_debt(bob).success().expect("settle again");
    let again = r.returns().expect("returns");
    assert_eq!(again.covered, charged.paid);
    assert!(again.debt < out.debt);
    assert_ledger(&mut s, &[bob, carol], true);
}

#[test]
fn bad_debt_left_after_the_grace_is_socialised_to_the_pool() {
    let mut s = System::new();
    let (bob, carol) = deficit_beyond_the_fund(&mut s);
    let out = s.settle_bad_debt(bob).success().expect("settle");
    let debt = out.returns().expect("returns").debt;
    assert!(debt > U256::ZERO);
    // Within the grace nothing is socialised.
    s.tick(60);
    let r = s.settle_bad_debt(bob).success().expect("within grace");
    assert_eq!(r.returns().expect("returns").socialised, U256::ZERO);
    assert!(r.events::<B::Socialise>().expect("events").is_empty());

    // After `adlGrace` (1 h) the pool takes the loss, with an event in both contracts.
    s.tick(3_600);
    let pool = s.pool().balance;
    let r = s.settle_bad_debt(bob).success().expect("socialise");
    let out = r.returns().expect("returns");
    assert_eq!(
        (out.covered, out.socialised, out.debt),
        (U256::ZERO, debt, U256::ZERO)
    );
    let ev = &r.events::<B::Socialise>().expect("Socialise")[0];
    assert_eq!((ev.account, ev.amount), (bob, debt));
    let ev = &r.events::<E::Socialised>().expect("Socialised")[0];
    assert_eq!((ev.account, ev.amount), (bob, debt));
    assert_eq!(s.pool().balance, pool - debt);
    assert_eq!(quote(&mut s, bob), I256::ZERO);
    assert_eq!(s.bad_debt(), debt, "socialised debt stays counted");
    let r = s.settle_bad_debt(bob);
    r.revert_as::<B::BackstopNoDeficit>().expect("nothing left");
    assert_ledger(&mut s, &[bob, carol], true);
}
