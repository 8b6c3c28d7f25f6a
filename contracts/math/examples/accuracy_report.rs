//! Accuracy and native cost of every keel-math function.
//!
//! ```text
//! cargo run --release -p keel-math --example accuracy_report
//! ```
//!
//! For each function: the largest error measured against a 57-digit reference over at least
//! 100,000 seeded inputs (units of 1e-18; relative to `max(exact, 1.0)` or absolute, as named),
//! the specification's target and the bound the crate documents, PASS/FAIL, and the native cost
//! per call. Native nanoseconds only rank the functions against each other; the on-chain cost
//! (ink/gas in the Stylus WebAssembly runtime) is measured separately, on the wasm build.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Instant;

use keel_math::*;
use support::*;

const SAMPLES: usize = 100_000;
const TIMED_CALLS: usize = 1_000_000;

/// Mean native nanoseconds per call of `f` over `TIMED_CALLS` calls cycling through `inputs`.
fn nanos_per_call<T: Copy, R>(inputs: &[T], f: impl Fn(T) -> R) -> f64 {
    let start = Instant::now();
    for i in 0..TIMED_CALLS {
        black_box(f(black_box(inputs[i % inputs.len()])));
    }
    start.elapsed().as_nanos() as f64 / TIMED_CALLS as f64
}

/// An exact function's check: the number of results that differ from the big-integer answer.
struct Exactness {
    name: &'static str,
    domain: &'static str,
    samples: usize,
    mismatches: usize,
    nanos: f64,
}

fn exact_mul_div(inputs: &mut Inputs) -> [Exactness; 2] {
    let triples: Vec<(U256, U256, U256)> = (0..SAMPLES)
        .map(|i| match i % 2 {
            0 => (
                inputs.u256_log(256),
                inputs.u256_log(256),
                inputs.u256_log(256),
            ),
            _ => (inputs.u256(), inputs.u256(), inputs.u256_log(128)),
        })
        .collect();
    let max = ubig(U256::MAX);
    let mut mismatches = [0usize; 2];
    for &(x, y, d) in &triples {
        let product = ubig(x) * ubig(y);
        let d_big = ubig(d);
        let floor = &product / &d_big;
        let ceil = if &floor * &d_big == product {
            floor.clone()
        } else {
            &floor + 1u8
        };
        for (k, (got, exact)) in [(mul_div_down(x, y, d), floor), (mul_div_up(x, y, d), ceil)]
            .into_iter()
            .enumerate()
        {
            let ok = if exact > max {
                got == Err(MathError::Overflow)
            } else {
                got.map(ubig) == Ok(exact)
            };
            mismatches[k] += usize::from(!ok);
        }
    }
    let domain = "x, y, d: 1/2 log-uniform [1, 2^256), 1/2 uniform x, y with log-uniform d < 2^128";
    [
        Exactness {
            name: "mul_div_down",
            domain,
            samples: SAMPLES,
            mismatches: mismatches[0],
            nanos: nanos_per_call(&triples, |(x, y, d)| mul_div_down(x, y, d)),
        },
        Exactness {
            name: "mul_div_up",
            domain,
            samples: SAMPLES,
            mismatches: mismatches[1],
            nanos: nanos_per_call(&triples, |(x, y, d)| mul_div_up(x, y, d)),
        },
    ]
}

fn exact_roots(inputs: &mut Inputs) -> [Exactness; 3] {
    let xs: Vec<U256> = (0..SAMPLES)
        .map(|i| {
            if i % 2 == 0 {
                inputs.u256_log(256)
            } else {
                inputs.u256()
            }
        })
        .collect();
    let mut mismatches = [0usize; 3];
    for &x in &xs {
        let big = ubig(x);
        let (floor, ceil) = (ubig(sqrt(x)), ubig(sqrt_up(x)));
        mismatches[0] +=
            usize::from(!(&floor * &floor <= big && (&floor + 1u8) * (&floor + 1u8) > big));
        mismatches[1] += usize::from(
            !(&ceil * &ceil >= big
                && (ceil == dashu_int::UBig::ZERO || (&ceil - 1u8) * (&ceil - 1u8) < big)),
        );
        let target = &big * ubig(WAD);
        let root = ubig(sqrt_wad(x).expect("total"));
        mismatches[2] +=
            usize::from(!(&root * &root <= target && (&root + 1u8) * (&root + 1u8) > target));
    }
    let domain = "x: 1/2 log-uniform [1, 2^256), 1/2 uniform over U256";
    [
        Exactness {
            name: "sqrt",
            domain,
            samples: SAMPLES,
            mismatches: mismatches[0],
            nanos: nanos_per_call(&xs, sqrt),
        },
        Exactness {
            name: "sqrt_up",
            domain,
            samples: SAMPLES,
            mismatches: mismatches[1],
            nanos: nanos_per_call(&xs, sqrt_up),
        },
        Exactness {
            name: "sqrt_wad",
            domain,
            samples: SAMPLES,
            mismatches: mismatches[2],
            nanos: nanos_per_call(&xs, sqrt_wad),
        },
    ]
}

fn main() {
    println!("keel-math accuracy report");
    println!("errors in units of 1e-18; {SAMPLES} seeded samples per function (plus edge cases);");
    println!("cost = native ns per call (mean of {TIMED_CALLS} calls, this machine) — on-chain cost is measured separately in wasm\n");

    let mut inputs = Inputs::new(0x5EED);
    let exact: Vec<Exactness> = exact_mul_div(&mut inputs)
        .into_iter()
        .chain(exact_roots(&mut inputs))
        .collect();
    println!(
        "{:<18} {:>9} {:>11} {:>7} {:>9}  domain",
        "exact function", "samples", "mismatches", "result", "ns/call"
    );
    for e in &exact {
        let verdict = if e.mismatches == 0 { "PASS" } else { "FAIL" };
        println!(
            "{:<18} {:>9} {:>11} {:>7} {:>9.1}  {}",
            e.name, e.samples, e.mismatches, verdict, e.nanos, e.domain
        );
    }

    let measurements = [
        measure_exp(SAMPLES, 0xE4D),
        measure_ln(SAMPLES, 0x1A),
        measure_pow(SAMPLES, 0x90E),
        measure_norm_cdf(SAMPLES, 0xCDF),
        measure_inv_norm_cdf(SAMPLES, 0x1CDF),
    ];
    let timing_inputs = Inputs::new(0x71);
    let costs = timings(timing_inputs);
    println!();
    println!(
        "{:<18} {:>9} {:>9} {:>12} {:>9} {:>11} {:>7} {:>9}",
        "function", "samples", "metric", "max error", "target", "documented", "result", "ns/call"
    );
    let mut all_pass = exact.iter().all(|e| e.mismatches == 0);
    for (m, nanos) in measurements.iter().zip(costs) {
        let verdict = if m.passes() { "PASS" } else { "FAIL" };
        all_pass &= m.passes();
        println!(
            "{:<18} {:>9} {:>9} {:>12.4} {:>9} {:>11.4} {:>7} {:>9.1}",
            m.name,
            m.worst.samples,
            m.metric,
            m.worst.error,
            m.target,
            m.documented,
            verdict,
            nanos
        );
        println!("{:<18} domain: {}", "", m.domain);
        println!("{:<18} worst at {}", "", m.worst.input);
    }
    println!("\noverall: {}", if all_pass { "PASS" } else { "FAIL" });
}

/// Native cost of the approximated functions, on inputs spread over each domain.
fn timings(mut inputs: Inputs) -> [f64; 5] {
    let n = 4096;
    let exp_in: Vec<I256> = (0..n)
        .map(|_| inputs.i256_in(wad_i(-41), wad_i(135)))
        .collect();
    let ln_in: Vec<U256> = (0..n).map(|_| inputs.u256_log(256)).collect();
    let pow_in: Vec<(U256, I256)> = (0..n)
        .map(|_| {
            (
                inputs.u256_in(WAD / U256::from(2u8), WAD * U256::from(4u8)),
                inputs.i256_in(wad_i(-30), wad_i(30)),
            )
        })
        .collect();
    let cdf_in: Vec<I256> = (0..n)
        .map(|_| inputs.i256_in(wad_i(-9), wad_i(9)))
        .collect();
    let inv_in: Vec<U256> = (0..n)
        .map(|_| inputs.u256_in(U256::from(1u8), WAD - U256::from(1u8)))
        .collect();
    [
        nanos_per_call(&exp_in, exp_wad),
        nanos_per_call(&ln_in, ln_wad),
        nanos_per_call(&pow_in, |(x, y)| pow_wad(x, y)),
        nanos_per_call(&cdf_in, norm_cdf_wad),
        nanos_per_call(&inv_in, inv_norm_cdf_wad),
    ]
}
