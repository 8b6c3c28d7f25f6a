//! The ink/gas estimate: what it includes and how it orders operations. Not timing.

use alloy_primitives::U256;
use keel_host::gas::{GasSchedule, INK_PER_GAS};
use keel_host::prelude::*;

use super::support::{probes, IProbe, ALICE};

#[test]
fn every_call_pays_the_entry_cost() {
    let (mut host, [probe]) = probes();
    let receipt = host.call(ALICE, probe, &IProbe::counterCall {}).unwrap();
    let entry = GasSchedule::default().entry;
    assert!(
        receipt.gas_used > entry && receipt.gas_used < entry + 5_000,
        "{}",
        receipt.gas_used
    );
}

#[test]
fn gas_is_ink_divided_by_ten_thousand_rounded_up() {
    let (mut host, [probe]) = probes();
    let receipt = host.call(ALICE, probe, &IProbe::incrementCall {}).unwrap();
    assert_eq!(receipt.gas_used, receipt.ink_used.div_ceil(INK_PER_GAS));
}

#[test]
fn a_first_write_to_an_empty_slot_costs_an_sstore_set_more_than_a_rewrite() {
    let (mut host, [probe]) = probes();
    let first = host
        .call(ALICE, probe, &IProbe::incrementCall {})
        .unwrap()
        .gas_used;
    let second = host
        .call(ALICE, probe, &IProbe::incrementCall {})
        .unwrap()
        .gas_used;
    let schedule = GasSchedule::default();
    let difference = first - second;
    let expected = schedule.sstore_set - schedule.sstore_reset;
    assert!(
        difference.abs_diff(expected) < 200,
        "difference {difference}, expected about {expected}"
    );
}

#[test]
fn growing_memory_pays_per_page_beyond_the_free_pages() {
    let (mut host, [probe]) = probes();
    let small = host
        .call(ALICE, probe, &IProbe::growCall { kib: U256::ZERO })
        .unwrap()
        .gas_used;
    let large = host
        .call(
            ALICE,
            probe,
            &IProbe::growCall {
                kib: U256::from(1024),
            },
        )
        .unwrap()
        .gas_used;
    // 1 MiB is 16 pages; touching it also costs interpretation, hence "at least".
    assert!(
        large - small >= 15 * GasSchedule::default().page,
        "{small} -> {large}"
    );
}

#[test]
fn the_estimate_is_deterministic() {
    let gas = || {
        let (mut host, [probe]) = probes();
        host.call(ALICE, probe, &IProbe::incrementCall {})
            .unwrap()
            .ink_used
    };
    assert_eq!(gas(), gas());
}
