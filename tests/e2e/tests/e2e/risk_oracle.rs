//! RiskOracle and RiskModel end to end: the real `.wasm` files on the local
//! Stylus host, with the mock Chainlink aggregator as price feed and as
//! sequencer-uptime feed. Build first: `scripts/build-wasm keel-mock-price-feed
//! keel-risk-oracle keel-risk-model`.
// Prices are written dollars_cents: `3_000_00` is $3,000.00.
#![allow(clippy::inconsistent_digit_grouping)]

use alloy_primitives::{aliases::U80, Address, I256, U256};
use alloy_sol_types::SolCall;
use keel_e2e::risk_oracle::*;
use keel_host::prelude::*;

/// The `OraclePriceRejected` reason of a failed `price` read.
fn price_rejection(world: &mut World) -> Oracle::OraclePriceRejected {
    world.view_error::<Oracle::OraclePriceRejected>(&Oracle::priceCall { asset: WETH })
}

// ----------------------------------------------------------------------
// Listing and prices
// ----------------------------------------------------------------------

#[test]
fn listing_emits_the_settings_and_the_anchor() {
    let mut host = Host::new();
    host.warp(T0).expect("warp");
    let feed = host
        .deploy_contract(
            FEED_OWNER,
            "keel_mock_price_feed",
            Feed::constructorCall {
                decimals: 8,
                description: "ETH / USD".into(),
                owner: FEED_OWNER,
            },
        )
        .expect("feed");
    let oracle = host
        .deploy_contract(
            ADMIN,
            "keel_risk_oracle",
            Oracle::constructorCall {
                admin: ADMIN,
                guardian: GUARDIAN,
            },
        )
        .expect("oracle");
    host.call(
        FEED_OWNER,
        feed,
        &Feed::setAnswerCall {
            answer: cents(3_000_00),
        },
    )
    .expect("run")
    .success()
    .expect("answer");
    let call = Oracle::setFeedCall {
        asset: WETH,
        feed,
        heartbeat: U256::from(HEARTBEAT),
        maxJump: U256::from(MAX_JUMP),
    };
    let receipt = host
        .call(ADMIN, oracle, &call)
        .expect("run")
        .success()
        .expect("setFeed");
    let files: Vec<_> = receipt
        .events::<Oracle::File>()
        .expect("files")
        .into_iter()
        .map(|l| (l.data.what, l.data.data))
        .collect();
    assert_eq!(
        files,
        vec![
            (name("feed"), U256::from_be_slice(feed.as_slice())),
            (name("decimals"), U256::from(8)),
            (name("heartbeat"), U256::from(HEARTBEAT)),
            (name("maxJump"), U256::from(MAX_JUMP)),
        ]
    );
    let accepted = receipt.events::<Oracle::PriceAccepted>().expect("accepted");
    assert_eq!(accepted.len(), 1);
    assert_eq!(
        (
            accepted[0].data.price,
            accepted[0].data.roundId,
            accepted[0].data.updatedAt
        ),
        (wad(3_000), U80::from(1), U256::from(T0))
    );
    assert_eq!(accepted[0].data.fastVolatility, wad_f(0.8));
    assert_eq!(accepted[0].address, oracle);
}

#[test]
fn a_fresh_valid_round_is_the_price() {
    let mut w = World::new();
    w.warp(T0 + 30);
    w.answer(3_010_00);
    assert_eq!(w.view(&Oracle::priceCall { asset: WETH }), wad(3_010));
    let data = w.price_data();
    assert_eq!(
        (data.price, data.isValid, data.age, data.status),
        (wad(3_010), true, U256::ZERO, 0)
    );
}

#[test]
fn an_unknown_asset_reverts_typed_and_reads_status_one() {
    let mut w = World::new();
    let e = w.view_error::<Oracle::OracleUnknownAsset>(&Oracle::priceCall { asset: ADMIN });
    assert_eq!(e.asset, ADMIN);
    let data = w.view(&Oracle::priceDataCall { asset: ADMIN });
    assert_eq!(
        (data.price, data.isValid, data.status),
        (U256::ZERO, false, 1)
    );
}

#[test]
fn a_stale_round_is_rejected_and_the_last_price_is_flagged_with_its_age() {
    let mut w = World::new();
    w.warp(T0 + HEARTBEAT + 1);
    let e = price_rejection(&mut w);
    assert_eq!((e.reason, e.updatedAt), (6, U256::from(T0)));
    let data = w.price_data();
    assert_eq!(
        (data.price, data.isValid, data.age, data.status),
        (wad(3_000), false, U256::from(HEARTBEAT + 1), 6)
    );
}

#[test]
fn a_zero_answer_is_rejected() {
    let mut w = World::new();
    w.warp(T0 + 10);
    w.answer(0);
    let e = price_rejection(&mut w);
    assert_eq!((e.reason, e.answer), (4, I256::ZERO));
    assert_eq!(w.price_data().price, wad(3_000));
}

#[test]
fn a_negative_answer_is_rejected() {
    let mut w = World::new();
    w.warp(T0 + 10);
    w.answer(-1);
    assert_eq!(price_rejection(&mut w).reason, 4);
    let receipt = w.poke();
    assert_eq!(
        receipt
            .revert_as::<Oracle::OraclePriceRejected>()
            .expect("typed")
            .reason,
        4
    );
}

#[test]
fn a_jump_beyond_the_band_is_rejected_and_never_replaces_the_last_price() {
    let mut w = World::new();
    w.warp(T0 + 60);
    w.answer(2_000_00); // -33 %
    assert_eq!(price_rejection(&mut w).reason, 8);
    let receipt = w.poke();
    assert!(receipt.is_revert());
    assert_eq!(
        receipt
            .revert_as::<Oracle::OraclePriceRejected>()
            .expect("typed")
            .reason,
        8
    );
    assert_eq!(w.last_price(), wad(3_000));
    let data = w.price_data();
    assert_eq!(
        (data.price, data.isValid, data.status),
        (wad(3_000), false, 8)
    );
    // A move inside the band is accepted against the same anchor.
    w.warp(T0 + 120);
    w.answer(2_500_00);
    assert!(w.poke().is_success());
    assert_eq!(w.last_price(), wad(2_500));
}

#[test]
fn an_out_of_order_round_is_rejected() {
    let mut w = World::new();
    w.warp(T0 + 60);
    w.answer(3_010_00); // round 2
    assert!(w.poke().is_success());
    // The feed now reports an older round (id 1, earlier time).
    w.round(1, 2_990_00, T0 - 30, T0 - 30, 1);
    let e = price_rejection(&mut w);
    assert_eq!((e.reason, e.roundId), (7, U80::from(1)));
    assert_eq!(
        w.poke()
            .revert_as::<Oracle::OraclePriceRejected>()
            .expect("typed")
            .reason,
        7
    );
}

#[test]
fn an_incomplete_round_is_rejected() {
    let mut w = World::new();
    w.warp(T0 + 60);
    w.round(5, 3_010_00, T0 + 60, T0 + 60, 4);
    assert_eq!(price_rejection(&mut w).reason, 3);
}

#[test]
fn a_future_timestamp_is_rejected() {
    let mut w = World::new();
    w.warp(T0 + 60);
    w.round(2, 3_010_00, T0 + 61, T0 + 61, 2);
    assert_eq!(price_rejection(&mut w).reason, 5);
}

// ----------------------------------------------------------------------
// Sequencer
// ----------------------------------------------------------------------

#[test]
fn sequencer_down_then_up_is_unsafe_until_the_grace_period_has_passed() {
    let mut w = World::new();
    w.uptime_status(0); // up since T0
    let uptime = w.uptime;
    w.admin(&Oracle::setSequencerFeedCall { feed: uptime });
    w.warp(T0 + 7_200);
    let s = w.view(&Oracle::sequencerStatusCall {});
    assert!(s.isUp && s.safeToAddRisk);
    // Down: not safe, but prices (and pokes) go on for liquidations.
    w.uptime_status(1);
    let s = w.view(&Oracle::sequencerStatusCall {});
    assert!(!s.isUp && !s.safeToAddRisk);
    w.answer(3_010_00);
    assert_eq!(w.view(&Oracle::priceCall { asset: WETH }), wad(3_010));
    assert!(w.poke().is_success());
    // Back up at T0 + 9,000: inside the one-hour grace period, still unsafe.
    w.warp(T0 + 9_000);
    w.uptime_status(0);
    w.warp(T0 + 9_000 + 3_600);
    let s = w.view(&Oracle::sequencerStatusCall {});
    assert!(s.isUp && !s.safeToAddRisk);
    assert_eq!(s.since, U256::from(T0 + 9_000));
    // One second after the grace period: safe again.
    w.warp(T0 + 9_000 + 3_601);
    assert!(w.view(&Oracle::sequencerStatusCall {}).safeToAddRisk);
}

// ----------------------------------------------------------------------
// Volatility index
// ----------------------------------------------------------------------

#[test]
fn poke_accepts_new_rounds_only_once() {
    let mut w = World::new();
    w.warp(T0 + 60);
    w.answer(3_030_00);
    let receipt = w.poke().success().expect("poke");
    let event = &receipt.events::<Oracle::PriceAccepted>().expect("event")[0].data;
    assert_eq!(
        (event.price, event.roundId, event.updatedAt),
        (wad(3_030), U80::from(2), U256::from(T0 + 60))
    );
    assert_eq!(
        receipt.returns().expect("index"),
        event.fastVolatility.max(event.slowVolatility)
    );
    let again = w.poke();
    let e = again
        .revert_as::<Oracle::OracleNoNewPrice>()
        .expect("typed");
    assert_eq!(e.roundId, U80::from(2));
}

#[test]
fn a_very_long_gap_is_one_sample_over_the_whole_gap() {
    let mut w = World::new();
    let rate = name("maxVolRate");
    w.admin(&Oracle::fileCall {
        what: rate,
        data: wad(1),
    });
    let gap = 30 * 86_400;
    w.warp(T0 + gap);
    w.answer(3_300_00);
    assert!(w.poke().is_success());
    let state = w.view(&Oracle::volatilityStateCall { asset: WETH });
    let expected = (1.1f64.ln().powi(2) * 31_536_000.0 / gap as f64).sqrt();
    assert!(
        (f(state.fast) - expected).abs() < 1e-12,
        "{} vs {expected}",
        f(state.fast)
    );
    assert_eq!(state.updatedAt, U256::from(T0 + gap));
}

/// SplitMix64 + Box-Muller: a seeded path for the shock scenario.
struct Path(u64);

impl Path {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64 + 1e-18
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// Publishes and pokes `steps` prices `tick` seconds apart at volatility
/// `sigma`; returns the price (cents) and the highest index seen.
fn drive(
    w: &mut World,
    path: &mut Path,
    cents_now: &mut f64,
    sigma: f64,
    steps: u32,
    tick: u64,
) -> U256 {
    let mut peak = U256::ZERO;
    let dt = tick as f64 / 31_536_000.0;
    for _ in 0..steps {
        *cents_now *= (sigma * dt.sqrt() * path.normal() - 0.5 * sigma * sigma * dt).exp();
        let now = w.host.timestamp() + tick;
        w.warp(now);
        w.answer(cents_now.round() as i64);
        let index = w.poke().success().expect("poke").returns().expect("index");
        peak = peak.max(index);
    }
    peak
}

#[test]
fn a_five_fold_volatility_shock_is_followed_within_the_rate_bound_and_decays_slowly() {
    // Listed in the 50 % regime.
    let mut w = World::with_cold_start(wad_f(0.5));
    let mut path = Path(2_024);
    let mut cents_now = 3_000_00.0;
    // Six calm hours at 50 %, five-minute ticks.
    drive(&mut w, &mut path, &mut cents_now, 0.5, 72, 300);
    let calm = w.view(&Oracle::volatilityStateCall { asset: WETH }).index;
    // Three hours at 250 %, one-minute ticks: the index rises, by at most
    // maxVolRate (0.001/s) per second.
    let before = w.host.timestamp();
    let peak = drive(&mut w, &mut path, &mut cents_now, 2.5, 180, 60);
    let elapsed = w.host.timestamp() - before;
    assert!(
        peak > calm * U256::from(3),
        "peak {} calm {}",
        f(peak),
        f(calm)
    );
    assert!(peak <= calm + U256::from(elapsed) * wad_f(0.001));
    // Six calm hours after: the slow component keeps the index up.
    drive(&mut w, &mut path, &mut cents_now, 0.5, 72, 300);
    let after6 = w.view(&Oracle::volatilityStateCall { asset: WETH });
    assert!(after6.slow > after6.fast && after6.index > calm * U256::from(3) / U256::from(2));
    drive(&mut w, &mut path, &mut cents_now, 0.5, 72, 300);
    let after12 = w.view(&Oracle::volatilityStateCall { asset: WETH }).index;
    assert!(after12 < after6.index && after12 > calm);
    println!(
        "5x shock on the host: calm {:.3}, peak {:.3}, 6 h after {:.3}, 12 h after {:.3}",
        f(calm),
        f(peak),
        f(after6.index),
        f(after12)
    );
}

// ----------------------------------------------------------------------
// Administration
// ----------------------------------------------------------------------

#[test]
fn every_admin_function_rejects_a_wrong_caller() {
    let mut w = World::new();
    let feed = w.feed;
    let calls: Vec<Vec<u8>> = vec![
        Oracle::fileCall {
            what: name("k"),
            data: wad(1),
        }
        .abi_encode(),
        Oracle::fileAssetCall {
            asset: WETH,
            what: name("maxJump"),
            data: wad(1),
        }
        .abi_encode(),
        Oracle::setFeedCall {
            asset: WETH,
            feed,
            heartbeat: U256::from(60),
            maxJump: U256::from(MAX_JUMP),
        }
        .abi_encode(),
        Oracle::setSequencerFeedCall {
            feed: Address::ZERO,
        }
        .abi_encode(),
        Oracle::unpauseCall {}.abi_encode(),
        Oracle::proposeRoleCall {
            role: name("admin"),
            account: MALLORY,
        }
        .abi_encode(),
        Oracle::proposeRoleCall {
            role: name("guardian"),
            account: MALLORY,
        }
        .abi_encode(),
    ];
    for caller in [MALLORY, GUARDIAN, KEEPER] {
        for data in &calls {
            let receipt = w
                .host
                .send(caller, w.oracle, U256::ZERO, data)
                .expect("run");
            let e = receipt
                .revert_as::<Oracle::OracleUnauthorized>()
                .expect("typed revert");
            assert_eq!(e.caller, caller);
        }
    }
    for caller in [MALLORY, KEEPER] {
        let receipt = w
            .host
            .call(caller, w.oracle, &Oracle::pauseCall {})
            .expect("run");
        assert_eq!(
            receipt
                .revert_as::<Oracle::OracleUnauthorized>()
                .expect("typed")
                .caller,
            caller
        );
    }
    let receipt = w
        .host
        .call(
            MALLORY,
            w.oracle,
            &Oracle::acceptRoleCall {
                role: name("admin"),
            },
        )
        .expect("run");
    assert_eq!(
        receipt
            .revert_as::<Oracle::OracleUnauthorized>()
            .expect("typed")
            .caller,
        MALLORY
    );
    assert_eq!(w.view(&Oracle::parameterCall { what: name("k") }), wad(3));
}

#[test]
fn file_emits_and_bounds_are_typed() {
    let mut w = World::new();
    let receipt = w.admin(&Oracle::fileCall {
        what: name("k"),
        data: wad(4),
    });
    let files = receipt.events::<Oracle::File>().expect("files");
    assert_eq!(
        (files[0].data.asset, files[0].data.what, files[0].data.data),
        (Address::ZERO, name("k"), wad(4))
    );
    assert_eq!(w.view(&Oracle::parameterCall { what: name("k") }), wad(4));
    let receipt = w
        .host
        .call(
            ADMIN,
            w.oracle,
            &Oracle::fileCall {
                what: name("k"),
                data: wad(11),
            },
        )
        .expect("run");
    let e = receipt
        .revert_as::<Oracle::OracleParameterOutOfBounds>()
        .expect("typed");
    assert_eq!((e.what, e.data, e.max), (name("k"), wad(11), wad(10)));
}

#[test]
fn the_guardian_pauses_poke_and_only_the_admin_resumes_it() {
    let mut w = World::new();
    let receipt = w
        .host
        .call(GUARDIAN, w.oracle, &Oracle::pauseCall {})
        .expect("run")
        .success()
        .expect("pause");
    assert_eq!(
        receipt.events::<Oracle::File>().expect("file")[0].data.what,
        name("paused")
    );
    assert!(w.view(&Oracle::pausedCall {}));
    w.warp(T0 + 60);
    w.answer(3_010_00);
    assert!(w.poke().revert_as::<Oracle::OraclePaused>().is_ok());
    assert_eq!(
        w.view(&Oracle::priceCall { asset: WETH }),
        wad(3_010),
        "views keep working"
    );
    let receipt = w
        .host
        .call(GUARDIAN, w.oracle, &Oracle::unpauseCall {})
        .expect("run");
    assert!(receipt.revert_as::<Oracle::OracleUnauthorized>().is_ok());
    w.admin(&Oracle::unpauseCall {});
    assert!(w.poke().is_success());
}

#[test]
fn the_admin_role_moves_in_two_steps() {
    let mut w = World::new();
    w.admin(&Oracle::proposeRoleCall {
        role: name("admin"),
        account: KEEPER,
    });
    assert_eq!(w.view(&Oracle::rolesCall {}).admin, ADMIN);
    let receipt = w
        .host
        .call(
            KEEPER,
            w.oracle,
            &Oracle::acceptRoleCall {
                role: name("admin"),
            },
        )
        .expect("run")
        .success()
        .expect("accept");
    let file = &receipt.events::<Oracle::File>().expect("file")[0].data;
    assert_eq!(
        (file.what, file.data),
        (name("admin"), U256::from_be_slice(KEEPER.as_slice()))
    );
    let roles = w.view(&Oracle::rolesCall {});
    assert_eq!((roles.admin, roles.pendingAdmin), (KEEPER, Address::ZERO));
    let receipt = w
        .host
        .call(
            ADMIN,
            w.oracle,
            &Oracle::fileCall {
                what: name("k"),
                data: wad(4),
            },
        )
        .expect("run");
    assert!(receipt.revert_as::<Oracle::OracleUnauthorized>().is_ok());
}

// ----------------------------------------------------------------------
// RiskModel
// ----------------------------------------------------------------------

#[test]
fn the_model_reads_the_index_and_parameters_from_the_oracle() {
    let mut w = World::new();
    let asset = WETH;
    assert_eq!(w.model(&Model::oracleCall {}), w.oracle);
    let mm = f(w.model(&Model::maintenanceMarginCall { asset }));
    let expected = 3.0 * 0.8 * (3_600.0f64 / 31_536_000.0).sqrt();
    assert!((mm - expected).abs() < 1e-15, "{mm} vs {expected}");
    let im = f(w.model(&Model::initialMarginCall { asset }));
    assert!((im - 1.5 * mm).abs() < 1e-15);
    let lev = f(w.model(&Model::maxLeverageCall { asset }));
    assert!((lev - 1.0 / im).abs() < 1e-12);
    // Doubling k doubles the margin read through the model.
    w.admin(&Oracle::fileCall {
        what: name("k"),
        data: wad(6),
    });
    assert!((f(w.model(&Model::maintenanceMarginCall { asset })) - 2.0 * expected).abs() < 1e-15);
}

#[test]
fn the_model_prices_insolvency_and_the_margin_for_a_target() {
    let mut w = World::new();
    let call = Model::insolvencyProbabilityCall {
        asset: WETH,
        isLong: true,
        entryOrMark: wad(3_000),
        equity: wad(300),
        size: wad(1),
        horizon: U256::from(86_400),
    };
    let p = f(w.model(&call));
    assert!(p > 0.005 && p < 0.05, "10x long, one day at 80 %: {p}");
    let m = w.model(&Model::requiredMarginForProbabilityCall {
        asset: WETH,
        p: wad_f(0.01),
        horizon: U256::from(86_400),
    });
    // At that margin neither side exceeds 1 %.
    for is_long in [true, false] {
        let at = Model::insolvencyProbabilityCall {
            asset: WETH,
            isLong: is_long,
            entryOrMark: wad(1),
            equity: m,
            size: wad(1),
            horizon: U256::from(86_400),
        };
        assert!(w.model(&at) <= wad_f(0.01));
    }
}

#[test]
fn the_model_passes_the_oracle_error_through() {
    let mut w = World::new();
    let receipt = w
        .host
        .simulate(
            KEEPER,
            w.model,
            &Model::maintenanceMarginCall { asset: ADMIN }.abi_encode(),
        )
        .expect("run");
    assert_eq!(
        receipt
            .revert_as::<Oracle::OracleUnknownAsset>()
            .expect("typed")
            .asset,
        ADMIN
    );
    let bad = Model::insolvencyProbabilityCall {
        asset: WETH,
        isLong: true,
        entryOrMark: U256::ZERO,
        equity: wad(1),
        size: wad(1),
        horizon: U256::ZERO,
    };
    let receipt = w
        .host
        .simulate(KEEPER, w.model, &bad.abi_encode())
        .expect("run");
    assert_eq!(
        receipt
            .revert_as::<Model::ModelArgumentOutOfBounds>()
            .expect("typed")
            .name,
        name("entryOrMark")
    );
}
