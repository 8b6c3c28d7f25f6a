//! Message, transaction, block, account, hashing and math hooks against the host's state.

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use keel_host::prelude::*;

use super::support::{ask, probes, IProbe, ALICE, BOB};

#[test]
fn message_reports_sender_value_and_origin_and_moves_the_value() {
    let (mut host, [probe]) = probes();
    let receipt = host
        .call_with_value(ALICE, probe, U256::from(7), &IProbe::messageInfoCall {})
        .unwrap();
    let info = receipt.returns().unwrap();
    assert_eq!(
        (info.sender, info.value, info.origin, info.reentrant),
        (ALICE, U256::from(7), ALICE, false)
    );
    assert_eq!(host.balance(probe), U256::from(7));
    assert_eq!(host.balance(ALICE), U256::from(1_000_000 - 7));
}

#[test]
fn a_method_that_is_not_payable_refuses_value() {
    let (mut host, [probe]) = probes();
    let receipt = host
        .call_with_value(ALICE, probe, U256::from(3), &IProbe::incrementCall {})
        .unwrap();
    assert!(receipt.is_revert());
    assert_eq!(host.balance(probe), U256::ZERO);
}

#[test]
fn sending_more_than_the_balance_is_rejected_without_running() {
    let (mut host, [probe]) = probes();
    let receipt = host
        .call_with_value(BOB, probe, U256::from(1), &IProbe::incrementCall {})
        .unwrap();
    assert!(matches!(receipt.status, Status::Rejected(_)));
    assert_eq!(
        host.view(probe, &IProbe::counterCall {}).unwrap(),
        U256::ZERO
    );
}

#[test]
fn block_fields_follow_warp_roll_and_the_block_environment() {
    let (mut host, [probe]) = probes();
    host.warp(2_000_000_000).unwrap();
    host.roll(1234).unwrap();
    host.block_mut().coinbase = BOB;
    let block = ask(&mut host, probe, &IProbe::blockInfoCall {});
    let env = host.block().clone();
    assert_eq!((block.number, block.timestamp), (1234, 2_000_000_000));
    assert_eq!((block.basefee, block.coinbase), (env.basefee, BOB));
    assert_eq!(
        (block.gasLimit, block.chainId),
        (env.gas_limit, env.chain_id)
    );
}

#[test]
fn advance_moves_the_timestamp_forward() {
    let (mut host, [probe]) = probes();
    let before = host.timestamp();
    host.advance(3_600).unwrap();
    assert_eq!(
        ask(&mut host, probe, &IProbe::blockInfoCall {}).timestamp,
        before + 3_600
    );
}

#[test]
fn transaction_fields_report_basefee_ink_price_and_own_address() {
    let (mut host, [probe]) = probes();
    let tx = ask(&mut host, probe, &IProbe::txInfoCall {});
    assert_eq!(
        (tx.gasPrice, tx.inkPrice, tx.this_),
        (host.block().basefee, 10_000, probe)
    );
}

#[test]
fn gas_and_ink_left_agree_and_stay_below_the_transaction_limit() {
    let (mut host, [probe]) = probes();
    let left = ask(&mut host, probe, &IProbe::gasLeftCall {});
    assert!(left.gas > 0 && left.gas < 32_000_000);
    // The ink reading comes one hook later, so it is slightly lower than gas × 10,000.
    assert!(left.ink <= left.gas * 10_000 && left.ink > (left.gas - 10) * 10_000);
}

#[test]
fn account_info_reports_balance_code_size_and_codehash_of_a_program() {
    let (mut host, [probe, other]) = probes();
    host.fund(other, U256::from(55));
    let info = ask(&mut host, probe, &IProbe::accountInfoCall { who: other });
    let program = host.program(other).unwrap().clone();
    assert_eq!(info.balance, U256::from(55));
    assert_eq!(info.codeSize, U256::from(program.code().len()));
    assert_eq!(info.codehash, keccak256(program.code()));
}

#[test]
fn codehash_is_the_empty_hash_for_an_account_without_code_and_zero_for_none() {
    let (mut host, [probe]) = probes();
    let funded = ask(&mut host, probe, &IProbe::accountInfoCall { who: ALICE });
    let absent = ask(
        &mut host,
        probe,
        &IProbe::accountInfoCall {
            who: Address::repeat_byte(0x77),
        },
    );
    assert_eq!(
        (funded.codeSize, funded.codehash),
        (U256::ZERO, keccak256([]))
    );
    assert_eq!(absent.codehash, B256::ZERO);
}

#[test]
fn code_window_copies_the_overlap_of_the_requested_range() {
    let (mut host, [probe]) = probes();
    let code = host.program(probe).unwrap().code().to_vec();
    let window = |host: &mut Host, offset: usize, size: usize| {
        let call = IProbe::codeWindowCall {
            who: probe,
            offset: U256::from(offset),
            size: U256::from(size),
        };
        ask(host, probe, &call)
    };
    assert_eq!(
        window(&mut host, 0, 4),
        Bytes::from_static(&[0xEF, 0xF0, 0x00, 0x00])
    );
    assert_eq!(
        window(&mut host, code.len() - 3, 10),
        Bytes::from(code[code.len() - 3..].to_vec())
    );
    assert!(window(&mut host, code.len() + 5, 10).is_empty());
}

#[test]
fn native_keccak_matches_keccak256() {
    let (mut host, [probe]) = probes();
    let data = Bytes::from_static(b"The quick brown fox");
    assert_eq!(
        ask(&mut host, probe, &IProbe::hashCall { data: data.clone() }),
        keccak256(&data)
    );
}

fn math(host: &mut Host, probe: Address, op: u8, a: U256, b: U256, m: U256) -> U256 {
    ask(host, probe, &IProbe::mathCall { op, a, b, m })
}

#[test]
fn math_hooks_compute_evm_div_mod_and_exp() {
    let (mut host, [probe]) = probes();
    let (a, b) = (U256::from(1_000_003u64), U256::from(17));
    assert_eq!(math(&mut host, probe, 0, a, b, U256::ZERO), a / b);
    assert_eq!(math(&mut host, probe, 1, a, b, U256::ZERO), a % b);
    assert_eq!(
        math(
            &mut host,
            probe,
            2,
            U256::from(3),
            U256::from(200),
            U256::ZERO
        ),
        U256::from(3).wrapping_pow(U256::from(200))
    );
}

#[test]
fn math_hooks_give_zero_for_a_zero_divisor_or_modulus() {
    let (mut host, [probe]) = probes();
    let a = U256::from(5);
    for op in 0..=1 {
        assert_eq!(
            math(&mut host, probe, op, a, U256::ZERO, U256::ZERO),
            U256::ZERO
        );
    }
    for op in 3..=4 {
        assert_eq!(math(&mut host, probe, op, a, a, U256::ZERO), U256::ZERO);
    }
}

#[test]
fn modular_math_hooks_do_not_overflow_in_between() {
    let (mut host, [probe]) = probes();
    let m = U256::from(1_000_000_007u64);
    assert_eq!(
        math(&mut host, probe, 3, U256::MAX, U256::MAX, m),
        U256::MAX.add_mod(U256::MAX, m)
    );
    assert_eq!(
        math(&mut host, probe, 4, U256::MAX, U256::MAX, m),
        U256::MAX.mul_mod(U256::MAX, m)
    );
}
