//! MarginLens end to end: the real `.wasm` of the lens over the full system
//! (`keel_e2e::system::System`), driven through the generated `abi/IMarginLens.sol`.
//!
//! Covered: a leveraged long's liquidation price is where the engine's `isLiquidatable` flips
//! (to the feed's resolution, one step either side), the insolvency probability rises as the
//! price falls, `accountSummary` equals the engine's own views, and typed errors.

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::{sol, SolError};
use keel_e2e::{
    risk_oracle::{wad, Feed, FEED_OWNER},
    system::*,
};
use keel_host::prelude::*;

sol!(
    #[sol(all_derives)]
    "../../abi/IMarginLens.sol"
);

use IMarginLens as L;

/// One step of WETH's 8-decimal feed, in WAD price.
const STEP: u64 = 10_000_000_000;

/// The system, a lens deployed over it, and ALICE's account (5,000 USDC, no WETH: collateral
/// priced under the market's own asset would move with the mark) long 10 ETH (6x).
fn long_account() -> (System, Address, U256) {
    let mut s = System::new();
    let (engine, model) = (s.engine, s.world.model);
    let lens = s
        .host()
        .deploy_contract(ADMIN, "keel_margin_lens", Args((engine, model)))
        .expect("deploy the lens");
    let account = s.open_account(ALICE, usdc(5_000), U256::ZERO);
    s.trade(ALICE, account, size(10.0));
    (s, lens, account)
}

/// WETH's feed answers `price` (WAD, a multiple of [`STEP`]) now. The oracle's views read the
/// feed itself, so the engine and the lens see it at once; there is no poke, so the volatility
/// index (and with it the maintenance fraction) stays where it was.
fn set_price(s: &mut System, price: U256) {
    let answer = I256::from_raw(price / U256::from(STEP));
    let feed = s.world.feed;
    s.ok(FEED_OWNER, feed, &Feed::setAnswerCall { answer });
    assert_eq!(s.world.price_data().price, price);
}

/// The lens's liquidation price of `account`'s ETH position.
fn liquidation_price(s: &mut System, lens: Address, account: U256) -> U256 {
    let market = s.market;
    s.view(lens, &L::liquidationPriceCall { account, market })
}

/// The lens's one-day insolvency probability of `account`'s ETH position.
fn probability(s: &mut System, lens: Address, account: U256) -> U256 {
    let market = s.market;
    let horizon = U256::from(86_400);
    s.view(
        lens,
        &L::insolvencyProbabilityCall {
            account,
            market,
            horizon,
        },
    )
}

/// `x` rounded up to a whole feed step.
fn step_up(x: U256) -> U256 {
    let step = U256::from(STEP);
    (x + step - U256::from(1)) / step * step
}

#[test]
fn is_liquidatable_flips_at_the_liquidation_price() {
    let (mut s, lens, account) = long_account();
    let first = liquidation_price(&mut s, lens, account);
    assert!(first > wad(2_500) && first < wad(3_000), "{first}");
    let step = U256::from(STEP);
    // The first feed step at or above the liquidation price: not liquidatable.
    let price = step_up(first);
    set_price(&mut s, price);
    let liq = liquidation_price(&mut s, lens, account);
    // The formula does not depend on where the mark is (but for the engine's rounding).
    assert!(liq.abs_diff(first) <= U256::from(2), "{liq} vs {first}");
    assert!(liq <= price && price - liq < step, "{liq} vs {price}");
    assert!(
        !s.is_liquidatable(account),
        "safe at {price} (liquidation price {liq})"
    );
    // One step lower, below the liquidation price: liquidatable.
    let below = price - step;
    set_price(&mut s, below);
    let liq = liquidation_price(&mut s, lens, account);
    assert!(below < liq, "{below} vs {liq}");
    assert!(
        s.is_liquidatable(account),
        "liquidatable at {below} (liquidation price {liq})"
    );
    let summary = s.view(lens, &L::accountSummaryCall { account });
    assert!(summary.liquidatable);
    let backstop = s.backstop;
    let preview = s.view(backstop, &IBackstop::liquidationPreviewCall { account });
    assert!(
        preview.closeSize.is_negative(),
        "the Backstop would close part of the long"
    );
}

#[test]
fn insolvency_probability_rises_as_the_price_falls() {
    let (mut s, lens, account) = long_account();
    let mut last = probability(&mut s, lens, account);
    for c in [2_900u64, 2_800, 2_700, 2_600] {
        set_price(&mut s, wad(c));
        let p = probability(&mut s, lens, account);
        assert!(p > last, "{p} after {last} at {c}");
        last = p;
    }
    assert!(last < wad(1));
}

#[test]
fn summary_equals_the_engine_views() {
    let (mut s, lens, account) = long_account();
    for c in [3_000u64, 2_700] {
        if c != 3_000 {
            set_price(&mut s, wad(c));
        }
        let summary = s.view(lens, &L::accountSummaryCall { account });
        let health = s.health(account);
        assert_eq!(
            (
                summary.equity,
                summary.initialMargin,
                summary.maintenanceMargin
            ),
            (
                health.equity,
                health.initialMargin,
                health.maintenanceMargin
            )
        );
        assert_eq!(summary.healthFactor, s.health_factor(account));
        assert_eq!(summary.liquidatable, s.is_liquidatable(account));
    }
    let (engine, oracle, model) = (s.engine, s.world.oracle, s.world.model);
    let config = s.view(lens, &L::configCall {});
    assert_eq!(
        (config.engine, config.oracle, config.model),
        (engine, oracle, model)
    );
}

#[test]
fn no_position_and_unknown_markets() {
    let (mut s, lens, _) = long_account();
    let empty = s.open_account(BOB, usdc(1_000), U256::ZERO);
    assert_eq!(liquidation_price(&mut s, lens, empty), U256::ZERO);
    assert_eq!(probability(&mut s, lens, empty), U256::ZERO);
    let call = L::liquidationPriceCall {
        account: empty,
        market: U256::from(99),
    };
    let receipt = s.call(ALICE, lens, &call);
    let error = receipt
        .revert_as::<L::LensExternalCallFailed>()
        .expect("typed revert");
    assert_eq!(error.target, s.engine);
    let inner =
        IMarginEngine::EngineUnknownMarket::abi_decode(&error.reason).expect("engine error");
    assert_eq!(inner.market, U256::from(99));
    // An unknown selector reverts.
    assert!(!s
        .host()
        .simulate(ALICE, lens, &[0xde, 0xad, 0xbe, 0xef])
        .expect("run")
        .is_success());
}

/// Prints what each view costs when called in a transaction (`--nocapture`).
#[test]
fn gas_of_the_views() {
    let (mut s, lens, account) = long_account();
    let market = s.market;
    let horizon = U256::from(86_400);
    let price = s.call(ALICE, lens, &L::liquidationPriceCall { account, market });
    let probability = s.call(
        ALICE,
        lens,
        &L::insolvencyProbabilityCall {
            account,
            market,
            horizon,
        },
    );
    let summary = s.call(ALICE, lens, &L::accountSummaryCall { account });
    for (label, ok, gas, ink) in [
        (
            "liquidationPrice",
            price.is_success(),
            price.gas_used,
            price.ink_used,
        ),
        (
            "insolvencyProbability",
            probability.is_success(),
            probability.gas_used,
            probability.ink_used,
        ),
        (
            "accountSummary",
            summary.is_success(),
            summary.gas_used,
            summary.ink_used,
        ),
    ] {
        assert!(ok, "{label}");
        println!("gas: lens {label:<24} {gas:>9} gas {ink:>14} ink");
    }
}
