//! Conservation of quote: no sequence of user actions creates quote out of nothing.
//!
//! Random sequences of deposits, withdrawals, trades, price moves, pool deposits and
//! redemptions and the Backstop's hooks, on two accounts and two markets; a refused call is
//! rolled back as on chain ([`Fixture::atomic`]). After every step the engine's quote tokens
//! (in WAD) equal `Σ quote balances + pool ledger` exactly: fees, PnL, socialised debt and
//! redemption dust only move quote between ledgers, and every rounding keeps the dust inside.
//! Collateral tokens held equal the collateral booked to accounts.

use proptest::{prelude::*, test_runner::RngSeed};

use super::*;

/// One step of a random sequence.
#[derive(Clone, Debug)]
enum Step {
    Deposit {
        bob: bool,
        usdc: u64,
    },
    Withdraw {
        bob: bool,
        usdc: u64,
    },
    DepositWeth {
        bob: bool,
        tenths: u64,
    },
    WithdrawWeth {
        bob: bool,
        tenths: u64,
    },
    Trade {
        bob: bool,
        btc: bool,
        hundredths: i64,
    },
    Move {
        btc: bool,
        permille: i64,
    },
    PoolDeposit {
        usdc: u64,
    },
    PoolRedeem {
        share: u8,
    },
    Confiscate {
        bob: bool,
        btc: bool,
        share: u8,
    },
    Charge {
        bob: bool,
        wei: u64,
    },
    Socialise {
        bob: bool,
        wei: u64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (any::<bool>(), 1u64..50_000).prop_map(|(bob, usdc)| Step::Deposit { bob, usdc }),
        (any::<bool>(), 1u64..50_000).prop_map(|(bob, usdc)| Step::Withdraw { bob, usdc }),
        (any::<bool>(), 1u64..50).prop_map(|(bob, tenths)| Step::DepositWeth { bob, tenths }),
        (any::<bool>(), 1u64..50).prop_map(|(bob, tenths)| Step::WithdrawWeth { bob, tenths }),
        (any::<bool>(), any::<bool>(), -2_000i64..2_000).prop_map(|(bob, btc, hundredths)| {
            Step::Trade {
                bob,
                btc,
                hundredths,
            }
        }),
        (any::<bool>(), -150i64..150).prop_map(|(btc, permille)| Step::Move { btc, permille }),
        (1u64..100_000).prop_map(|usdc| Step::PoolDeposit { usdc }),
        any::<u8>().prop_map(|share| Step::PoolRedeem { share }),
        (any::<bool>(), any::<bool>(), any::<u8>())
            .prop_map(|(bob, btc, share)| Step::Confiscate { bob, btc, share }),
        (any::<bool>(), 1u64..u64::MAX).prop_map(|(bob, wei)| Step::Charge { bob, wei }),
        (any::<bool>(), 1u64..u64::MAX).prop_map(|(bob, wei)| Step::Socialise { bob, wei }),
    ]
}

/// ALICE's account 1 or BOB's account 2, and its owner.
fn who(bob: bool) -> (U256, Address) {
    if bob {
        (U256::from(2), BOB)
    } else {
        (ACC, ALICE)
    }
}

/// Runs one step; refusals are rolled back and ignored.
fn run(t: &mut Fixture, s: &Step) {
    let far = U256::MAX;
    let _ = match *s {
        Step::Deposit { bob, usdc: x } => {
            let (acc, owner) = who(bob);
            t.as_(owner);
            t.atomic(|e| e.deposit(acc, QUOTE, usdc(x))).map(drop)
        }
        Step::Withdraw { bob, usdc: x } => {
            let (acc, owner) = who(bob);
            t.as_(owner);
            t.atomic(|e| e.withdraw(acc, QUOTE, usdc(x), owner))
                .map(drop)
        }
        Step::DepositWeth { bob, tenths } => {
            let (acc, owner) = who(bob);
            t.as_(owner);
            t.atomic(|e| e.deposit(acc, WETH, milli(100 * tenths)))
                .map(drop)
        }
        Step::WithdrawWeth { bob, tenths } => {
            let (acc, owner) = who(bob);
            t.as_(owner);
            t.atomic(|e| e.withdraw(acc, WETH, milli(100 * tenths), owner))
                .map(drop)
        }
        Step::Trade {
            bob,
            btc,
            hundredths,
        } => {
            let (acc, owner) = who(bob);
            t.as_(owner);
            let size = I256::try_from(hundredths).unwrap_or_default() * I256::from_raw(milli(10));
            let market = if btc { BTC } else { ETH };
            let limit = if size.is_negative() {
                U256::ZERO
            } else {
                U256::MAX
            };
            t.atomic(|e| e.trade(acc, market, size, limit, far))
                .map(drop)
        }
        Step::Move { btc, permille } => {
            let asset = if btc { WBTC } else { WETH };
            t.feed(asset, |f| {
                let factor = U256::from((1_000 + permille) as u64);
                f.price = (f.price * factor / U256::from(1_000)).max(wad(1));
            });
            Ok(())
        }
        Step::PoolDeposit { usdc: x } => {
            t.as_(LP);
            t.atomic(|e| e.pool_deposit(usdc(x), LP)).map(drop)
        }
        Step::PoolRedeem { share } => {
            t.as_(LP);
            let shares = t.engine.pool_shares_of(LP) * U256::from(share) / U256::from(255);
            t.atomic(|e| e.pool_redeem(shares, LP)).map(drop)
        }
        Step::Confiscate { bob, btc, share } => {
            let (acc, _) = who(bob);
            let market = if btc { BTC } else { ETH };
            let (size, _) = t.engine.position(acc, market);
            let delta = -(size * I256::try_from(share).unwrap_or_default()
                / I256::try_from(255).unwrap_or_default());
            let price = t.world.chain.borrow().feeds[if btc { &WBTC } else { &WETH }].price;
            t.as_(BACKSTOP);
            t.atomic(|e| e.confiscate(acc, market, delta, price))
                .map(drop)
        }
        Step::Charge { bob, wei } => {
            let (acc, _) = who(bob);
            t.as_(BACKSTOP);
            t.atomic(|e| e.charge(acc, U256::from(wei), BACKSTOP))
                .map(drop)
        }
        Step::Socialise { bob, wei } => {
            let (acc, _) = who(bob);
            t.as_(BACKSTOP);
            t.atomic(|e| e.socialise(acc, U256::from(wei))).map(drop)
        }
    };
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x6b65_656c_6d61_7267),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Engine quote tokens (WAD) == Σ quote balances + pool ledger, after every step; the
    /// engine's WETH == the WETH booked to accounts.
    #[test]
    fn quote_is_conserved_by_every_sequence(steps in proptest::collection::vec(step(), 1..40)) {
        let mut t = Fixture::new();
        t.as_(BOB);
        t.ok(|e| e.open_account(BOB));
        t.fund(BOB, QUOTE, usdc(1_000_000));
        t.fund(BOB, WETH, wad(100));
        t.fund(LP, QUOTE, usdc(1_000_000));
        t.as_(ADMIN);
        t.ok(|e| e.rely(BACKSTOP));
        t.file_market(ETH, "baseSpread", milli(2));
        t.file_market(ETH, "volSpread", milli(1));
        t.feed(WETH, |f| f.age = 37);
        let scale = U256::from(1_000_000_000_000u64);
        for s in &steps {
            run(&mut t, s);
            let booked = [ACC, U256::from(2)]
                .iter()
                .map(|a| t.engine.quote_balance(*a))
                .fold(t.engine.pool_balance.get(), |sum, q| sum + q);
            prop_assert_eq!(signed(t.held(QUOTE) * scale), booked, "after {:?}", s);
            let weth = t.engine.collateral_of(ACC, WETH) + t.engine.collateral_of(U256::from(2), WETH);
            prop_assert_eq!(t.held(WETH), weth);
        }
    }
}
