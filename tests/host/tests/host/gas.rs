//! The ink/gas estimate: what it includes and how it orders operations. Not timing.

use alloy_primitives::{Address, B256, U256};
use keel_host::activation::strip_custom_sections;
use keel_host::gas::{GasSchedule, INK_PER_GAS};
use keel_host::prelude::*;

use super::support::{probes, IProbe, ALICE, DEPLOYER};

/// Data bytes in [`known_module`]'s one data segment.
const DATA_BYTES: u64 = 100;

/// A program whose activation counts are known: 3 defined functions of types (i32) -> i32,
/// (i64, i64) -> i64 and () -> (), 2 globals, 2 pages, and one active data segment of
/// [`DATA_BYTES`] bytes at offset 0. No identifiers, so no `name` section.
fn known_module() -> Vec<u8> {
    let data = "k".repeat(DATA_BYTES as usize);
    wat::parse_str(format!(
        r#"(module
            (memory (export "memory") 2)
            (global (mut i32) (i32.const 0))
            (global i64 (i64.const 7))
            (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0))
            (func (param i64 i64) (result i64) (local.get 0))
            (func)
            (data (i32.const 0) "{data}"))"#
    ))
    .expect("valid WAT")
}

/// `(init_cost, cached_init_cost)` of [`known_module`], worked out from its counts with the
/// formula of Nitro's `arbitrator/prover/src/binary.rs`.
fn known_costs(wasm_len: u64) -> (u64, u64) {
    let funcs = 3;
    let type_len = 2 + 3; // (i32) -> i32, (i64, i64) -> i64, () -> ()
    let globals = 2 + 4; // the module's, plus Nitro's ink, status, scratch and stack globals
                         // flags 0x00, `i32.const 0; end` (3 bytes), length 100 (1 byte), the data.
    let segment = 1 + 3 + 1 + DATA_BYTES;
    let footprint = 2;
    let cached = funcs * 13_420 / 100_000
        + type_len * 89 / 100_000
        + wasm_len * 122 / 100_000
        + globals * 1_628 / 1_000
        + segment * 75_244 / 100_000
        + footprint * 5;
    let init =
        cached + funcs * 8_252 / 1_000 + type_len * 1_059 / 1_000 + wasm_len * 1_286 / 10_000;
    (init, cached)
}

/// A program that does nothing: it succeeds when called without calldata and reverts
/// otherwise. `pages` makes programs with different code.
fn idle_module(pages: u32) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
            (memory (export "memory") {pages})
            (func (export "user_entrypoint") (param i32) (result i32) (local.get 0)))"#
    ))
    .expect("valid WAT")
}

/// A program whose calldata is a list of 21-byte records, `target ++ flag`: it calls each
/// target in turn, with the flag byte as calldata when it is non-zero and no calldata
/// otherwise, and ignores the outcomes.
const SEQUENCER: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $at i32)
    (call $read_args (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $len)))
        (drop (call $call
          (local.get $at)
          (i32.add (local.get $at) (i32.const 20))
          (i32.load8_u (i32.add (local.get $at) (i32.const 20)))
          (i32.const 8192) (i64.const -1) (i32.const 8256)))
        (local.set $at (i32.add (local.get $at) (i32.const 21)))
        (br $next)))
    (i32.const 0)))
"#;

/// Deploys `wasm` without a constructor.
fn deploy(host: &mut Host, name: &str, wasm: &[u8]) -> Address {
    host.deploy_wasm(DEPLOYER, name, wasm, NoConstructor)
        .expect("activates")
}

/// Calldata for [`SEQUENCER`]: call each target, reverting it (calldata `01`) if flagged.
fn sequence(calls: &[(Address, bool)]) -> Vec<u8> {
    calls
        .iter()
        .flat_map(|(target, revert)| [target.as_slice(), &[u8::from(*revert)]].concat())
        .collect()
}

/// The accounts of [`start_payments`]' scenarios.
struct Accounts {
    sequencer: Address,
    idle: Address,
    /// Another account holding the same code as `idle`.
    idle_twin: Address,
    /// An account holding different code.
    other: Address,
    /// EVM code that stops at once.
    evm: Address,
}

fn accounts(host: &mut Host) -> Accounts {
    let sequencer = wat::parse_str(SEQUENCER).expect("valid WAT");
    // Init code returning the one-byte runtime code `STOP`.
    let stop = [0x60, 0x00, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xF3];
    Accounts {
        sequencer: deploy(host, "sequencer", &sequencer),
        idle: deploy(host, "idle", &idle_module(1)),
        idle_twin: deploy(host, "idle", &idle_module(1)),
        other: deploy(host, "idle_2", &idle_module(2)),
        evm: host.deploy_evm(DEPLOYER, &stop).expect("deploys"),
    }
}

/// Extra gas added to one minimum to count the starts that pay it.
const MARKER: u64 = 1_000_000;

/// For each transaction `scenario` sends, how many program starts paid the init gas and how
/// many paid the cached gas. Found by running the scenario again with each minimum raised
/// by [`MARKER`] and dividing the extra gas, so the count does not depend on any other cost.
/// The four runs must agree on everything else: a figure that depended on what ran before in
/// the process (e.g. on compiling a function at its first call) fails the division.
fn start_payments(
    schedule: &GasSchedule,
    scenario: impl Fn(&mut Host, &Accounts) -> Vec<Receipt>,
) -> Vec<(u64, u64)> {
    let run = |schedule: GasSchedule| {
        let mut host = Host::new();
        *host.schedule_mut() = schedule;
        let accounts = accounts(&mut host);
        scenario(&mut host, &accounts)
            .iter()
            .map(|receipt| receipt.gas_used)
            .collect::<Vec<_>>()
    };
    let base = run(schedule.clone());
    let init = run(GasSchedule {
        min_init_gas: schedule.min_init_gas + MARKER,
        ..schedule.clone()
    });
    let cached = run(GasSchedule {
        min_cached_gas: schedule.min_cached_gas + MARKER,
        ..schedule.clone()
    });
    let count = |raised: u64, base: u64| {
        let extra = raised - base;
        assert_eq!(
            extra % MARKER,
            0,
            "extra gas {extra} is not a count of starts"
        );
        extra / MARKER
    };
    base.iter()
        .zip(init.iter().zip(&cached))
        .map(|(&base, (&init, &cached))| (count(init, base), count(cached, base)))
        .collect()
}

/// One transaction from ALICE to the sequencer, calling `calls`.
fn send_sequence(host: &mut Host, accounts: &Accounts, calls: &[(Address, bool)]) -> Receipt {
    host.send(ALICE, accounts.sequencer, U256::ZERO, &sequence(calls))
        .expect("host runs the call")
}

#[test]
fn a_first_call_pays_the_cached_and_the_init_gas_of_the_program() {
    let wasm = known_module();
    assert_eq!(strip_custom_sections(&wasm).as_deref(), Ok(&wasm[..]));
    let (init_cost, cached_init_cost) = known_costs(wasm.len() as u64);
    let mut host = Host::new();
    let program = deploy(&mut host, "known", &wasm);
    let activated = host.program(program).expect("a program").activated();
    assert_eq!(
        (
            u64::from(activated.init_cost),
            u64::from(activated.cached_init_cost)
        ),
        (init_cost, cached_init_cost)
    );
    // The first transaction also pays for wasmi's translation of the function, if no other
    // test has called it yet; the second is a first call in its transaction all the same.
    let _ = host.send(ALICE, program, U256::ZERO, &[]).unwrap();
    let receipt = host.send(ALICE, program, U256::ZERO, &[]).unwrap();
    assert!(receipt.is_success());
    // Two pages are free, and returning a constant costs less than one gas.
    let start = (352 + cached_init_cost) + (8_832 + init_cost);
    assert_eq!(receipt.ink_used / INK_PER_GAS, start, "{receipt:?}");
}

#[test]
fn a_second_call_of_a_program_in_the_transaction_pays_only_the_cached_gas() {
    let payments = start_payments(&GasSchedule::default(), |host, a| {
        vec![send_sequence(host, a, &[(a.idle, false), (a.idle, false)])]
    });
    // The sequencer and the first idle call pay both; the second idle call the cached gas.
    assert_eq!(payments, [(2, 3)]);
}

#[test]
fn a_repeated_call_costs_the_cached_gas_and_the_call_itself() {
    let mut host = Host::new();
    let accounts = accounts(&mut host);
    let known = deploy(&mut host, "known", &known_module());
    // Warms up wasmi's lazy translation (see `start_payments`).
    send_sequence(&mut host, &accounts, &[(known, false)]);
    let once = send_sequence(&mut host, &accounts, &[(known, false)]).gas_used;
    let twice = send_sequence(&mut host, &accounts, &[(known, false), (known, false)]).gas_used;
    let (_, cached_init_cost) = known_costs(known_module().len() as u64);
    // Beyond the cached gas: a warm account access (100), a host I/O call and the loop.
    let extra = twice - once;
    let cached_gas = 352 + cached_init_cost;
    assert!(
        (cached_gas..cached_gas + 300).contains(&extra),
        "second call cost {extra}, cached gas {cached_gas}"
    );
}

#[test]
fn programs_are_recognised_by_their_code_not_their_address() {
    let payments = start_payments(&GasSchedule::default(), |host, a| {
        vec![
            send_sequence(host, a, &[(a.idle, false), (a.idle_twin, false)]),
            send_sequence(host, a, &[(a.idle, false), (a.other, false)]),
        ]
    });
    // The twin holds the same code, so it is recent; other code pays in full.
    assert_eq!(payments, [(2, 3), (3, 3)]);
}

#[test]
fn each_transaction_starts_with_no_recent_programs() {
    let payments = start_payments(&GasSchedule::default(), |host, a| {
        (0..2)
            .map(|_| send_sequence(host, a, &[(a.idle, false)]))
            .collect()
    });
    assert_eq!(payments, [(2, 2), (2, 2)]);
}

#[test]
fn a_reverted_frame_leaves_its_program_recent() {
    let payments = start_payments(&GasSchedule::default(), |host, a| {
        vec![send_sequence(host, a, &[(a.idle, true), (a.idle, false)])]
    });
    assert_eq!(payments, [(2, 3)]);
}

#[test]
fn without_the_recent_programs_cache_every_call_pays_the_init_gas() {
    let schedule = GasSchedule {
        recent_programs: false,
        ..GasSchedule::default()
    };
    let payments = start_payments(&schedule, |host, a| {
        vec![send_sequence(host, a, &[(a.idle, false), (a.idle, false)])]
    });
    assert_eq!(payments, [(3, 3)]);
}

#[test]
fn when_every_program_is_cached_no_call_pays_the_init_gas() {
    let schedule = GasSchedule {
        all_programs_cached: true,
        ..GasSchedule::default()
    };
    let payments = start_payments(&schedule, |host, a| {
        vec![send_sequence(host, a, &[(a.idle, false), (a.other, false)])]
    });
    assert_eq!(payments, [(0, 3)]);
}

#[test]
fn evm_frames_pay_no_program_start() {
    let payments = start_payments(&GasSchedule::default(), |host, a| {
        vec![
            host.send(ALICE, a.evm, U256::ZERO, &[]).unwrap(),
            send_sequence(host, a, &[(a.evm, false)]),
        ]
    });
    assert_eq!(payments, [(0, 0), (1, 1)]);
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

/// A program met for the first time in the process costs what it costs ever after: the host
/// compiles every function when the module is loaded, so no call pays for compiling one.
#[test]
fn a_programs_first_call_in_the_process_costs_the_same_as_any_later_one() {
    // A module no other test loads (its constants are unique), with a few kilobytes of code
    // in a second function: compiling that at its first call would be charged.
    let body: String = (0..400)
        .map(|n| {
            format!(
                "(local.set 0 (i32.add (local.get 0) (i32.const {})))",
                48_611 + n
            )
        })
        .collect();
    let wasm = wat::parse_str(format!(
        r#"(module
            (memory (export "memory") 1)
            (func $work (param i32) (result i32) {body} (local.get 0))
            (func (export "user_entrypoint") (param i32) (result i32)
                (drop (call $work (local.get 0)))
                (i32.const 0)))"#
    ))
    .expect("valid WAT");
    let gas = || {
        let mut host = Host::new();
        let program = deploy(&mut host, "first_in_process", &wasm);
        host.send(ALICE, program, U256::ZERO, &[])
            .expect("host runs the call")
            .gas_used
    };
    assert_eq!(gas(), gas());
}

// Storage refunds (EIP-2200 rules, EIP-3529 amounts and cap).

/// A program whose calldata is a list of 64-byte records, `key ++ value`: it writes each
/// value to its slot and flushes the cache after each, so every record is one `SSTORE`. With
/// a byte left over after the last record it reverts, after the writes.
const WRITER: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $at i32)
    (call $read_args (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $at) (i32.const 64)) (local.get $len)))
        (call $cache (local.get $at) (i32.add (local.get $at) (i32.const 32)))
        (call $flush (i32.const 0))
        (local.set $at (i32.add (local.get $at) (i32.const 64)))
        (br $next)))
    (i32.ne (local.get $at) (local.get $len))))
"#;

/// EIP-3529's refund for setting a zero slot and clearing it again.
const SET_REFUND: u64 = 19_900;
/// EIP-3529's refund for clearing a non-zero slot.
const CLEAR_REFUND: u64 = 4_800;

/// Slot `n` (and value `n`) as a word.
fn word(n: u8) -> B256 {
    B256::with_last_byte(n)
}

/// Calldata for [`WRITER`]: the writes in order, then a trailing byte if it is to revert.
fn writes(records: &[(u8, u8)], revert: bool) -> Vec<u8> {
    let mut data: Vec<u8> = records
        .iter()
        .flat_map(|&(key, value)| [word(key).0, word(value).0].concat())
        .collect();
    if revert {
        data.push(1);
    }
    data
}

/// Writes enough fresh slots (101..=105, 22,100 gas each) that a 19,900 refund is under the
/// cap of one fifth of the gas used.
const FILLER: [(u8, u8); 5] = [(101, 1), (102, 1), (103, 1), (104, 1), (105, 1)];

/// `records` followed by [`FILLER`].
fn with_filler(records: &[(u8, u8)]) -> Vec<(u8, u8)> {
    [records, &FILLER[..]].concat()
}

/// A host with `schedule` and a [`WRITER`] deployed.
fn writer_host(schedule: GasSchedule) -> (Host, Address) {
    let mut host = Host::new();
    *host.schedule_mut() = schedule;
    let writer = deploy(
        &mut host,
        "writer",
        &wat::parse_str(WRITER).expect("valid WAT"),
    );
    (host, writer)
}

/// Sends `data` from ALICE to `to`.
fn send_data(host: &mut Host, to: Address, data: &[u8]) -> Receipt {
    host.send(ALICE, to, U256::ZERO, data)
        .expect("host runs the call")
}

/// EVM runtime code that writes 1 then 0 to slot 0, then 1 to slots 1 to 4 (about 110,000
/// gas, so the 19,900 refund is under the cap), then stops or, if `revert`, reverts.
fn evm_writer(revert: bool) -> Vec<u8> {
    let mut code = vec![0x60, 0x01, 0x60, 0x00, 0x55, 0x60, 0x00, 0x60, 0x00, 0x55];
    for slot in 1..=4 {
        code.extend([0x60, 0x01, 0x60, slot, 0x55]);
    }
    code.extend(if revert {
        &[0x60, 0x00, 0x60, 0x00, 0xFD][..]
    } else {
        &[0x00][..]
    });
    code
}

/// EVM runtime code that calls `target` with its own calldata and all its gas, ignores the
/// outcome and stops: a frame that succeeds whatever its callee does.
fn evm_relay(target: Address) -> Vec<u8> {
    // CALLDATACOPY(0, 0, CALLDATASIZE)
    let mut code = vec![0x36, 0x60, 0x00, 0x60, 0x00, 0x37];
    // CALL(GAS, target, 0, 0, CALLDATASIZE, 0, 0), POP, STOP
    code.extend([0x60, 0x00, 0x60, 0x00, 0x36, 0x60, 0x00, 0x60, 0x00, 0x73]);
    code.extend(target.as_slice());
    code.extend([0x5A, 0xF1, 0x50, 0x00]);
    code
}

/// Installs EVM runtime `code` at a fresh address made of `tag`.
fn install_evm(host: &mut Host, tag: u8, code: &[u8]) -> Address {
    let address = Address::repeat_byte(tag);
    host.install_evm(address, code);
    address
}

#[test]
fn a_slot_set_and_cleared_in_one_transaction_earns_the_set_refund() {
    let (mut host, writer) = writer_host(GasSchedule::default());
    let receipt = send_data(
        &mut host,
        writer,
        &writes(&with_filler(&[(0, 1), (0, 0)]), false),
    );
    assert!(receipt.is_success(), "{receipt:?}");
    assert_eq!(receipt.gas_refunded, SET_REFUND);
    assert_eq!(host.storage(writer, word(0)), B256::ZERO);
}

#[test]
fn clearing_a_non_zero_slot_earns_the_clear_refund() {
    let (mut host, writer) = writer_host(GasSchedule::default());
    let set = send_data(&mut host, writer, &writes(&[(0, 7)], false));
    assert_eq!(set.gas_refunded, 0);
    let receipt = send_data(&mut host, writer, &writes(&with_filler(&[(0, 0)]), false));
    assert!(receipt.is_success(), "{receipt:?}");
    assert_eq!(receipt.gas_refunded, CLEAR_REFUND);
}

#[test]
fn a_reverted_frame_earns_no_refund() {
    let (mut host, writer) = writer_host(GasSchedule::default());
    let relay = install_evm(&mut host, 0x5E, &evm_relay(writer));
    let records = with_filler(&[(0, 1), (0, 0)]);
    // The relay succeeds either way; only the writer's own outcome differs.
    let kept = send_data(&mut host, relay, &writes(&records, false));
    assert_eq!(kept.gas_refunded, SET_REFUND, "{kept:?}");
    let (mut host, writer) = writer_host(GasSchedule::default());
    let relay = install_evm(&mut host, 0x5E, &evm_relay(writer));
    let reverted = send_data(&mut host, relay, &writes(&records, true));
    assert!(reverted.is_success(), "{reverted:?}");
    assert_eq!(host.storage(writer, word(101)), B256::ZERO);
    assert_eq!(reverted.gas_refunded, 0);
    let top_level = send_data(&mut host, writer, &writes(&records, true));
    assert!(top_level.is_revert());
    assert_eq!(top_level.gas_refunded, 0);
}

#[test]
fn the_refund_is_capped_at_a_fifth_of_the_gas_used() {
    let (mut host, writer) = writer_host(GasSchedule::default());
    // One slot set and cleared: about 35,000 gas before the refund, so the cap binds.
    let receipt = send_data(&mut host, writer, &writes(&[(0, 1), (0, 0)], false));
    let before = receipt.gas_used + receipt.gas_refunded;
    assert!(receipt.gas_refunded < SET_REFUND, "{receipt:?}");
    assert_eq!(receipt.gas_refunded, before / 5, "{receipt:?}");
    assert_eq!(receipt.ink_used.div_ceil(INK_PER_GAS), receipt.gas_used);
}

#[test]
fn with_refunds_off_no_call_earns_one() {
    let data = writes(&with_filler(&[(0, 1), (0, 0)]), false);
    let (mut on, writer) = writer_host(GasSchedule::default());
    let with = send_data(&mut on, writer, &data);
    let (mut off, writer) = writer_host(GasSchedule {
        sstore_refunds: false,
        ..GasSchedule::default()
    });
    let without = send_data(&mut off, writer, &data);
    assert_eq!(without.gas_refunded, 0);
    assert_eq!(without.gas_used, with.gas_used + SET_REFUND);
    let evm = install_evm(&mut off, 0xE0, &evm_writer(false));
    assert_eq!(send_data(&mut off, evm, &[]).gas_refunded, 0);
}

#[test]
fn an_evm_frames_refund_counts_once() {
    let mut host = Host::new();
    let evm = install_evm(&mut host, 0xE0, &evm_writer(false));
    let direct = send_data(&mut host, evm, &[]);
    assert!(direct.is_success(), "{direct:?}");
    assert_eq!(direct.gas_refunded, SET_REFUND);
    // Called from another EVM frame, the refund is the callee's, counted once.
    let mut host = Host::new();
    let evm = install_evm(&mut host, 0xE0, &evm_writer(false));
    let relay = install_evm(&mut host, 0x5E, &evm_relay(evm));
    let relayed = send_data(&mut host, relay, &[]);
    assert_eq!(host.storage(evm, word(4)), word(1));
    assert_eq!(relayed.gas_refunded, SET_REFUND);
}

#[test]
fn a_reverted_evm_frame_earns_no_refund() {
    let mut host = Host::new();
    let evm = install_evm(&mut host, 0xE0, &evm_writer(true));
    let relay = install_evm(&mut host, 0x5E, &evm_relay(evm));
    let receipt = send_data(&mut host, relay, &[]);
    assert!(receipt.is_success(), "{receipt:?}");
    assert_eq!(host.storage(evm, word(4)), B256::ZERO);
    assert_eq!(receipt.gas_refunded, 0);
}
