//! The parameters the `file` setters take: their names, where they live, and their bounds.
//!
//! Names are `bytes32` holding the ASCII name left-aligned and zero-padded, as Solidity's
//! `bytes32("fee")`. Every maximum fits its field, so a stored value is never truncated.

use alloy_primitives::{B256, U256};
use keel_math::WAD;

use crate::records::{collateral as c, globals as g, market as m, Field};

pub use keel_common::abi::name;

/// The storage word a numeric parameter lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Home {
    /// `MarginEngine.globals`.
    Globals,
    /// `Market.spec`.
    MarketSpec,
    /// `Market.fees`.
    MarketFees,
    /// `Market.caps`.
    MarketCaps,
    /// `Collateral.spec`.
    CollateralSpec,
    /// `Collateral.corr`.
    CollateralCorr,
    /// `Collateral.caps`.
    CollateralCaps,
}

/// A numeric parameter: its name, where it is stored, and its inclusive bounds.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// The name, as passed in `bytes32`.
    pub name: B256,
    pub(crate) home: Home,
    pub(crate) field: Field,
    /// The smallest accepted value.
    pub min: U256,
    /// The largest accepted value.
    pub max: U256,
}

const fn p(text: &str, home: Home, field: Field, min: U256, max: U256) -> Param {
    Param {
        name: name(text),
        home,
        field,
        min,
        max,
    }
}

const fn n(x: u64) -> U256 {
    U256::from_limbs([x, 0, 0, 0])
}

/// `2^bits − 1` for `64 < bits ≤ 192`.
const fn ones(bits: usize) -> U256 {
    let mut limbs = [u64::MAX, 0, 0, 0];
    let mut rest = bits - 64;
    let mut i = 1;
    while rest >= 64 {
        limbs[i] = u64::MAX;
        rest -= 64;
        i += 1;
    }
    if rest > 0 {
        limbs[i] = (1u64 << rest) - 1;
    }
    U256::from_limbs(limbs)
}

/// The largest address as a number.
pub const ADDRESS_MAX: U256 = ones(160);

/// One WAD as a `u64`.
const WAD_U64: u64 = 1_000_000_000_000_000_000;

/// Most markets an account may ever hold: bounds the gas of a health check.
pub const MAX_POSITIONS: u64 = 8;
/// Most collateral tokens that may be listed: a health check reads each one's balance.
pub const MAX_COLLATERALS: u64 = 16;
/// Most markets that may be listed: the pool's valuation reads each one's price.
pub const MAX_MARKETS: u64 = 32;
/// Largest total spread (base plus volatility part), WAD: a sell never fills at zero.
pub const MAX_SPREAD: U256 = n(WAD_U64 / 2);
/// `log10` of the pool's virtual shares (keel_math::SharePool's inflation defence).
pub const POOL_OFFSET: u8 = 6;

/// The numeric global parameters of `file(what, data)`.
pub const GLOBAL_PARAMS: [Param; 3] = [
    // Traders' unrealised profit may reach at most this multiple of the pool's assets
    // before LP redemptions that raise the ratio are refused, WAD (at most 10).
    p(
        "maxProfitRatio",
        Home::Globals,
        g::MAX_PROFIT_RATIO,
        U256::ZERO,
        n(10 * WAD_U64),
    ),
    // Markets one account may hold positions in: bounds the gas of every health check.
    p(
        "maxPositions",
        Home::Globals,
        g::MAX_POSITIONS,
        n(1),
        n(MAX_POSITIONS),
    ),
    // 1 pauses new risk (opening or increasing positions); 0 resumes.
    p("stopped", Home::Globals, g::STOPPED, U256::ZERO, n(1)),
];

/// The per-market parameters of `fileMarket(market, what, data)`.
pub const MARKET_PARAMS: [Param; 6] = [
    // Fee per unit of notional, WAD, at most 5 %.
    p("fee", Home::MarketFees, m::FEE, U256::ZERO, n(WAD_U64 / 20)),
    // Fixed part of the spread, WAD, at most 5 %.
    p(
        "baseSpread",
        Home::MarketFees,
        m::BASE_SPREAD,
        U256::ZERO,
        n(WAD_U64 / 20),
    ),
    // Spread per unit of `σ · √age` (σ annualised WAD, age in seconds), WAD, at most 1.
    // `1 / √(seconds per year)` ≈ 1.78e14 charges one standard deviation of the move the
    // price may have made since its round.
    p(
        "volSpread",
        Home::MarketFees,
        m::VOL_SPREAD,
        U256::ZERO,
        WAD,
    ),
    // Cap on the long open interest, WAD base units.
    p(
        "oiCapLong",
        Home::MarketCaps,
        m::LONG,
        U256::ZERO,
        ones(120),
    ),
    // Cap on the short open interest, WAD base units.
    p(
        "oiCapShort",
        Home::MarketCaps,
        m::SHORT,
        U256::ZERO,
        ones(120),
    ),
    // Smallest non-zero position a trade adding risk may leave, WAD base units.
    p(
        "minSize",
        Home::MarketSpec,
        m::MIN_SIZE,
        U256::ZERO,
        ones(96),
    ),
];

/// The per-token parameters of `fileCollateral(token, what, data)`.
pub const COLLATERAL_PARAMS: [Param; 4] = [
    // Haircut on the price, WAD: 0 counts the token in full, 1 not at all.
    p("haircut", Home::CollateralSpec, c::HAIRCUT, U256::ZERO, WAD),
    // Cap on all accounts' deposits, token units.
    p("cap", Home::CollateralCaps, c::CAP, U256::ZERO, ones(128)),
    // The RiskOracle asset the token moves with (an address as a number; 0: none).
    p(
        "correlatedAsset",
        Home::CollateralCorr,
        c::CORRELATED,
        U256::ZERO,
        ADDRESS_MAX,
    ),
    // Further haircut while the account is long the correlated asset, WAD.
    p(
        "correlationHaircut",
        Home::CollateralSpec,
        c::CORRELATION_HAIRCUT,
        U256::ZERO,
        WAD,
    ),
];

/// The parameter of `table` named `what`.
#[must_use]
pub fn find(table: &'static [Param], what: B256) -> Option<&'static Param> {
    table.iter().find(|p| p.name == what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_maximum_fits_its_field_and_every_minimum_is_below_it() {
        for p in GLOBAL_PARAMS
            .iter()
            .chain(&MARKET_PARAMS)
            .chain(&COLLATERAL_PARAMS)
        {
            assert!(p.min <= p.max, "{:?}", p.name);
            assert!(p.field.with(U256::ZERO, p.max).is_ok(), "{:?}", p.name);
        }
    }

    #[test]
    fn names_are_found_in_their_own_table_only() {
        assert!(find(&MARKET_PARAMS, name("baseSpread")).is_some());
        assert!(find(&GLOBAL_PARAMS, name("baseSpread")).is_none());
        assert!(find(&COLLATERAL_PARAMS, name("correlationHaircut")).is_some());
        assert!(find(&MARKET_PARAMS, name("Fee")).is_none());
    }

    #[test]
    fn ones_is_a_run_of_low_bits() {
        assert_eq!(ones(120), (U256::from(1) << 120) - U256::from(1));
        assert_eq!(ones(128), U256::from(u128::MAX));
        assert_eq!(ones(160), (U256::from(1) << 160) - U256::from(1));
    }
}
