//! The hand-written router against the `sol!` declaration of `IBackstop`: every function is
//! reached by its selector and its return data decodes as declared.

use alloy_primitives::{Address, I256, U256};
use alloy_sol_types::{SolCall, SolError};
use stylus_sdk::{abi::Router, ArbResult};

use super::*;
use crate::{errors::BackstopUnauthorized, router::IBackstop as I};

/// Routes the ABI-encoded call `data` as the SDK's entrypoint would.
fn call(t: &mut Fixture, data: &[u8]) -> ArbResult {
    let selector = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
    <Backstop as Router<Backstop>>::route(&mut t.bs, selector, &data[4..])
        .unwrap_or(Err(Vec::new()))
}

fn returns<C: SolCall>(t: &mut Fixture, c: C) -> C::Return {
    let out = call(t, &c.abi_encode()).unwrap_or_else(|e| panic!("{}", super::decode(&e)));
    C::abi_decode_returns(&out).unwrap_or_else(|e| panic!("{}: {e}", C::SIGNATURE))
}

#[test]
fn views_decode_as_declared() {
    let mut t = Fixture::new();
    t.set_market(ETH, "maxLot", wad(7));
    let c = returns(&mut t, I::configCall {});
    assert_eq!(
        (c.engine, c.liquidator, c.quote, c.oracle, c.model),
        (ENGINE, LIQUIDATOR, QUOTE, ORACLE, MODEL)
    );
    assert_eq!(
        (c.targetHealth, c.quoteUnit),
        (pct(125), U256::from(1_000_000_000_000u64))
    );
    assert_eq!(
        returns(&mut t, I::marketCall { market: ETH }).maxLot,
        wad(7)
    );
    assert_eq!(returns(&mut t, I::tokensCall {}), vec![WETH, WBTC]);
    assert!(returns(&mut t, I::wardsCall { usr: ADMIN }));
    assert_eq!(returns(&mut t, I::badDebtCall {}), U256::ZERO);
    assert_eq!(returns(&mut t, I::insuranceFundCall {}), U256::ZERO);
    assert_eq!(
        returns(&mut t, I::auctionsCall { id: U256::from(1) }),
        U256::ZERO
    );
    assert_eq!(returns(&mut t, I::debtsCall {}).held, U256::ZERO);
    assert_eq!(
        returns(&mut t, I::accountCall { account: ACCOUNT }).debt,
        U256::ZERO
    );
}

#[test]
fn liquidate_preview_and_settle_round_trip_through_the_router() {
    let mut t = Fixture::new();
    t.long(ACCOUNT, 0, 10, 3_000);
    t.collateral(ACCOUNT, WETH, wad(1));
    t.price(WETH, wad(2_700));
    let p = returns(&mut t, I::liquidationPreviewCall { account: ACCOUNT });
    assert_eq!(
        (p.market, p.closeSize, p.penalty),
        (ETH, swad(-10), U256::ZERO)
    );
    let l = returns(
        &mut t,
        I::liquidateCall {
            account: ACCOUNT,
            keeper: KEEPER,
        },
    );
    assert_eq!(
        (l.market, l.closed, l.penalty),
        (ETH, swad(-10), U256::ZERO)
    );
    let this = t.this();
    t.mint(QUOTE, this, usdc(3_000));
    t.as_(LIQUIDATOR);
    let report = I::onAuctionProceedsCall {
        id: U256::from(1),
        account: ACCOUNT,
        raised: U256::ZERO,
        remainingTab: usdc(3_000),
        closed: true,
    };
    assert_eq!(call(&mut t, &report.abi_encode()), Ok(Vec::new()));
    let s = returns(&mut t, I::settleBadDebtCall { account: ACCOUNT });
    assert_eq!(
        (s.covered, s.socialised, s.debt),
        (usdc(3_000), U256::ZERO, U256::ZERO)
    );
    assert_eq!(t.account(ACCOUNT).quote, I256::ZERO);
}

#[test]
fn setters_route_and_errors_come_back_as_revert_data() {
    let mut t = Fixture::new();
    let file = I::fileCall {
        what: name("penalty"),
        data: pct(2),
    };
    assert_eq!(call(&mut t, &file.abi_encode()), Ok(Vec::new()));
    assert_eq!(t.bs.config()[6], pct(2));
    t.as_(STRANGER);
    assert_eq!(
        call(&mut t, &file.abi_encode()),
        Err(BackstopUnauthorized { caller: STRANGER }.abi_encode())
    );
    t.as_(ADMIN);
    let token = I::fileTokenCall {
        token: WETH,
        auctionable: false,
    };
    assert_eq!(call(&mut t, &token.abi_encode()), Ok(Vec::new()));
    let mut bad_bool = token.abi_encode();
    bad_bool[4 + 63] = 2;
    assert_eq!(
        call(&mut t, &bad_bool),
        Err(Vec::new()),
        "a bool other than 0 or 1 is malformed"
    );
    let dirty = I::relyCall { usr: Address::ZERO }.abi_encode();
    let mut dirty = dirty;
    dirty[4] = 1;
    assert_eq!(
        call(&mut t, &dirty),
        Err(Vec::new()),
        "an address with high bits is malformed"
    );
    assert_eq!(call(&mut t, &[0xde, 0xad, 0xbe, 0xef]), Err(Vec::new()));
}
