//! The lead's mock contracts (ERC-20, price feed) running on the host through their ABI.

use alloy_primitives::aliases::U80;
use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::sol;
use keel_host::prelude::*;

use super::support::{ALICE, BOB, DEPLOYER};

sol! {
    /// Constructor of `contracts/mocks/erc20`.
    contract MockErc20 {
        constructor(string name, string symbol, uint8 decimals, address owner);
    }

    /// Constructor of `contracts/mocks/price-feed`.
    contract MockPriceFeed {
        constructor(uint8 decimals, string description, address owner);
    }

    /// ABI of `contracts/mocks/erc20`.
    #[derive(Debug, PartialEq)]
    interface IMockErc20 {
        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
        error MockUnauthorized(address caller);

        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function mint(address to, uint256 value) external;
    }

    /// ABI of `contracts/mocks/price-feed`.
    #[derive(Debug, PartialEq)]
    interface IMockPriceFeed {
        event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
        error MockUnauthorized(address caller);
        error MockNoDataPresent(uint80 roundId);

        function decimals() external view returns (uint8);
        function description() external view returns (string);
        function latestRoundData() external view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
        function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80);
        function setAnswer(int256 answer) external;
    }
}

const OWNER: Address = DEPLOYER;

/// A 6-decimal token with 1,000 units minted to ALICE.
pub(crate) fn token(host: &mut Host) -> Address {
    let ctor = MockErc20::constructorCall {
        name: "Mock USD".into(),
        symbol: "mUSD".into(),
        decimals: 6,
        owner: OWNER,
    };
    let token = host
        .deploy_contract(DEPLOYER, "keel_mock_erc20", ctor)
        .unwrap();
    host.call(
        OWNER,
        token,
        &IMockErc20::mintCall {
            to: ALICE,
            value: U256::from(1_000),
        },
    )
    .unwrap()
    .success()
    .unwrap();
    token
}

#[test]
fn erc20_metadata_comes_from_the_constructor() {
    let mut host = Host::new();
    let token = token(&mut host);
    assert_eq!(
        host.view(token, &IMockErc20::nameCall {}).unwrap(),
        "Mock USD"
    );
    assert_eq!(
        host.view(token, &IMockErc20::symbolCall {}).unwrap(),
        "mUSD"
    );
    assert_eq!(host.view(token, &IMockErc20::decimalsCall {}).unwrap(), 6);
}

#[test]
fn erc20_transfer_moves_balances_and_emits_transfer() {
    let mut host = Host::new();
    let token = token(&mut host);
    let receipt = host
        .call(
            ALICE,
            token,
            &IMockErc20::transferCall {
                to: BOB,
                value: U256::from(300),
            },
        )
        .unwrap();
    assert!(receipt.returns().unwrap());
    let events = receipt.events::<IMockErc20::Transfer>().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (
            events[0].address,
            events[0].from,
            events[0].to,
            events[0].value
        ),
        (token, ALICE, BOB, U256::from(300))
    );
    assert_eq!(
        host.view(token, &IMockErc20::balanceOfCall { account: BOB })
            .unwrap(),
        U256::from(300)
    );
    assert_eq!(
        host.view(token, &IMockErc20::balanceOfCall { account: ALICE })
            .unwrap(),
        U256::from(700)
    );
}

#[test]
fn erc20_transfer_beyond_the_balance_reverts_with_the_amounts() {
    let mut host = Host::new();
    let token = token(&mut host);
    let receipt = host
        .call(
            ALICE,
            token,
            &IMockErc20::transferCall {
                to: BOB,
                value: U256::from(1_001),
            },
        )
        .unwrap();
    let error = receipt
        .revert_as::<IMockErc20::ERC20InsufficientBalance>()
        .unwrap();
    assert_eq!(
        (error.sender, error.balance, error.needed),
        (ALICE, U256::from(1_000), U256::from(1_001))
    );
    assert!(receipt.logs.is_empty());
}

#[test]
fn erc20_transfer_from_spends_the_allowance() {
    let mut host = Host::new();
    let token = token(&mut host);
    let approval = host
        .call(
            ALICE,
            token,
            &IMockErc20::approveCall {
                spender: BOB,
                value: U256::from(500),
            },
        )
        .unwrap();
    assert_eq!(
        approval.events::<IMockErc20::Approval>().unwrap()[0].value,
        U256::from(500)
    );
    let pull = IMockErc20::transferFromCall {
        from: ALICE,
        to: BOB,
        value: U256::from(200),
    };
    assert!(host.call(BOB, token, &pull).unwrap().returns().unwrap());
    let left = host
        .view(
            token,
            &IMockErc20::allowanceCall {
                owner: ALICE,
                spender: BOB,
            },
        )
        .unwrap();
    assert_eq!(left, U256::from(300));
}

#[test]
fn erc20_transfer_from_beyond_the_allowance_reverts() {
    let mut host = Host::new();
    let token = token(&mut host);
    let pull = IMockErc20::transferFromCall {
        from: ALICE,
        to: BOB,
        value: U256::from(1),
    };
    let error = host
        .call(BOB, token, &pull)
        .unwrap()
        .revert_as::<IMockErc20::ERC20InsufficientAllowance>()
        .unwrap();
    assert_eq!(
        (error.spender, error.allowance, error.needed),
        (BOB, U256::ZERO, U256::from(1))
    );
}

#[test]
fn erc20_mint_is_owner_only() {
    let mut host = Host::new();
    let token = token(&mut host);
    let receipt = host
        .call(
            ALICE,
            token,
            &IMockErc20::mintCall {
                to: ALICE,
                value: U256::from(1),
            },
        )
        .unwrap();
    assert_eq!(
        receipt
            .revert_as::<IMockErc20::MockUnauthorized>()
            .unwrap()
            .caller,
        ALICE
    );
    assert_eq!(
        host.view(token, &IMockErc20::totalSupplyCall {}).unwrap(),
        U256::from(1_000)
    );
}

fn feed(host: &mut Host) -> Address {
    let ctor = MockPriceFeed::constructorCall {
        decimals: 8,
        description: "ETH / USD".into(),
        owner: OWNER,
    };
    host.deploy_contract(DEPLOYER, "keel_mock_price_feed", ctor)
        .unwrap()
}

#[test]
fn price_feed_reports_the_answer_set_at_the_current_block_time() {
    let mut host = Host::new();
    let feed = feed(&mut host);
    host.warp(1_800_000_000).unwrap();
    let answer = I256::try_from(250_000_000_000_i64).unwrap(); // 2,500 with 8 decimals
    let receipt = host
        .call(OWNER, feed, &IMockPriceFeed::setAnswerCall { answer })
        .unwrap();
    assert_eq!(
        receipt.events::<IMockPriceFeed::AnswerUpdated>().unwrap()[0].current,
        answer
    );
    let round = host
        .view(feed, &IMockPriceFeed::latestRoundDataCall {})
        .unwrap();
    assert_eq!(
        (round.roundId, round.answer, round.updatedAt),
        (U80::from(1), answer, U256::from(1_800_000_000u64))
    );
    assert_eq!(
        host.view(feed, &IMockPriceFeed::decimalsCall {}).unwrap(),
        8
    );
}

#[test]
fn price_feed_rejects_an_unwritten_round() {
    let mut host = Host::new();
    let feed = feed(&mut host);
    let receipt = host
        .call(
            ALICE,
            feed,
            &IMockPriceFeed::getRoundDataCall {
                roundId: U80::from(9),
            },
        )
        .unwrap();
    assert_eq!(
        receipt
            .revert_as::<IMockPriceFeed::MockNoDataPresent>()
            .unwrap()
            .roundId,
        U80::from(9)
    );
}
