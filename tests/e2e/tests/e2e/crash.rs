//! The crash scenario of `scripts/demo` (`keel_e2e::crash`) as a test: through a −45 % crash with
//! gaps, a bad print and a sequencer outage, the DrawdownVault under its drawdown control loses
//! at most its hard cap (plus one percentage point for discrete rebalancing and trading costs)
//! with no bad debt anywhere in the system, while the same vault without drawdown control (the
//! strategist's 3× target held statically) loses more than the cap.

use alloy_primitives::U256;
use keel_e2e::{
    crash::{cap, run, Control},
    risk_oracle::f,
    system::pct,
};

#[test]
fn crash_keeps_the_controlled_vault_within_its_cap_and_the_static_one_breaks_it() {
    let controlled = run(Control::Drawdown);
    let baseline = run(Control::Static);
    for o in [&controlled, &baseline] {
        println!(
            "crash: {:<8} max drawdown {:>6.2} % final NAV/share {:.4} bad debt {:.2} \
             rebalances {} liquidations {} takes {}",
            o.control.label(),
            100.0 * f(o.max_drawdown),
            f(o.final_nav_per_share),
            f(o.bad_debt),
            o.rebalances,
            o.liquidations,
            o.takes
        );
    }
    assert!(
        controlled.max_drawdown <= cap() + pct(1),
        "controlled max drawdown {} above the cap + 1 pp",
        f(controlled.max_drawdown)
    );
    assert_eq!(controlled.bad_debt, U256::ZERO, "no bad debt under control");
    assert!(
        baseline.max_drawdown > cap(),
        "the static baseline's drawdown {} should exceed the cap",
        f(baseline.max_drawdown)
    );
    // The control did its work: the keepers rebalanced during the crash, the traders' longs
    // were liquidated, and both runs saw the same market.
    assert!(controlled.rebalances > baseline.rebalances);
    assert!(controlled.liquidations > 0);
    let prices = |o: &keel_e2e::crash::Outcome| o.rows.iter().map(|r| r.oracle).collect::<Vec<_>>();
    assert_eq!(prices(&controlled), prices(&baseline));
}
