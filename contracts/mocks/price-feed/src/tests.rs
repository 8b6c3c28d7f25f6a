use alloy_primitives::{address, aliases::U80, Address, I256, U256};
use stylus_sdk::testing::TestVM;

use super::*;

const OWNER: Address = address!("00000000000000000000000000000000000000a1");
const MALLORY: Address = address!("00000000000000000000000000000000000000e5");

fn deployed(vm: &TestVM, decimals: u8) -> MockPriceFeed {
    let mut feed = MockPriceFeed::from(vm);
    feed.constructor(decimals, "ETH / USD".into(), OWNER);
    vm.set_sender(OWNER);
    feed
}

fn answer(x: i64) -> I256 {
    I256::try_from(x).unwrap_or_else(|_| unreachable!("i64 fits in I256"))
}

#[test]
fn constructor_sets_decimals_description_owner() {
    let vm = TestVM::default();
    let feed = deployed(&vm, 8);
    assert_eq!(feed.decimals(), 8);
    assert_eq!(feed.description(), "ETH / USD");
    assert_eq!(feed.owner(), OWNER);
    assert_eq!(feed.version(), U256::from(4));
}

#[test]
fn latest_round_is_all_zero_before_any_answer() {
    let vm = TestVM::default();
    let feed = deployed(&vm, 8);
    let (round, value, started, updated, answered) = feed.latest_round_data();
    assert_eq!(round, U80::ZERO);
    assert_eq!(value, I256::ZERO);
    assert!(started.is_zero() && updated.is_zero());
    assert_eq!(answered, U80::ZERO);
}

#[test]
fn set_answer_opens_a_new_round_at_block_time() {
    let vm = TestVM::default();
    let mut feed = deployed(&vm, 8);
    vm.set_block_timestamp(1_000);
    assert!(feed.set_answer(answer(3_000_00000000)).is_ok());
    vm.set_block_timestamp(1_060);
    assert!(feed.set_answer(answer(2_950_00000000)).is_ok());
    let (round, value, started, updated, answered) = feed.latest_round_data();
    assert_eq!(round, U80::from(2));
    assert_eq!(value, answer(2_950_00000000));
    assert_eq!(started, U256::from(1_060));
    assert_eq!(updated, U256::from(1_060));
    assert_eq!(answered, U80::from(2));
    assert_eq!(vm.get_emitted_logs().len(), 2);
}

#[test]
fn past_rounds_stay_readable() {
    let vm = TestVM::default();
    let mut feed = deployed(&vm, 8);
    vm.set_block_timestamp(1_000);
    assert!(feed.set_answer(answer(100)).is_ok());
    assert!(feed.set_answer(answer(200)).is_ok());
    let first = feed
        .get_round_data(U80::from(1))
        .unwrap_or_else(|_| panic!("round 1 exists"));
    assert_eq!(first.1, answer(100));
}

#[test]
fn unknown_round_is_a_typed_error() {
    let vm = TestVM::default();
    let feed = deployed(&vm, 8);
    assert!(matches!(
        feed.get_round_data(U80::from(7)).err(),
        Some(FeedError::NoDataPresent(MockNoDataPresent { roundId })) if roundId == U80::from(7)
    ));
}

#[test]
fn set_round_data_writes_crafted_rounds_verbatim() {
    let vm = TestVM::default();
    let mut feed = deployed(&vm, 8);
    let crafted = (
        U80::from(10),
        answer(-5),
        U256::from(50),
        U256::from(40),
        U80::from(9),
    );
    assert!(feed
        .set_round_data(crafted.0, crafted.1, crafted.2, crafted.3, crafted.4)
        .is_ok());
    assert_eq!(feed.latest_round_data(), crafted);
}

#[test]
fn setters_reject_non_owner() {
    let vm = TestVM::default();
    let mut feed = deployed(&vm, 8);
    vm.set_sender(MALLORY);
    assert!(matches!(
        feed.set_answer(answer(1)).err(),
        Some(FeedError::Unauthorized(_))
    ));
    assert!(matches!(
        feed.set_round_data(
            U80::from(1),
            answer(1),
            U256::ZERO,
            U256::ZERO,
            U80::from(1)
        )
        .err(),
        Some(FeedError::Unauthorized(_))
    ));
    assert_eq!(feed.latest_round_data().0, U80::ZERO);
}

#[test]
fn serves_as_sequencer_uptime_feed() {
    // Chainlink's uptime feed: answer 1 = down, 0 = up; startedAt = last status change.
    let vm = TestVM::default();
    let mut feed = deployed(&vm, 0);
    vm.set_block_timestamp(5_000);
    assert!(feed.set_answer(answer(1)).is_ok());
    vm.set_block_timestamp(5_600);
    assert!(feed.set_answer(I256::ZERO).is_ok());
    let (_, status, started, _, _) = feed.latest_round_data();
    assert_eq!(status, I256::ZERO);
    assert_eq!(started, U256::from(5_600));
}
