//! Price curves: how an auction's price falls from `top` as time passes since its (re)start.
//!
//! Maker keeps each curve in its own small contract behind `price(top, dur)`; Keel keeps them
//! here as one pure function over a [`Curve`] chosen per asset (the `kind` parameter), which the
//! admin can swap with `fileAsset(asset, "kind", k)` without touching the auctions' code.
//!
//! Every curve
//! - is `top` at `dur = 0`,
//! - is monotone non-increasing in `dur` (property-tested),
//! - rounds down (the final multiplication by `top` is `mul_wad_down` / `mul_div_down`),
//! - never reverts for parameters inside the bounds `file` enforces (`tau`, `step` ≥ 1,
//!   `0 < cut ≤ WAD`, `top < 2^96`).
//!
//! Rounding the price down favours the buyer by at most one unit of a WAD price; the protocol's
//! side is kept where money changes hands: a take rounds what the buyer pays up and what it
//! receives down (see [`crate::sale`]).

use keel_math::{mul_div_down, mul_wad_down, rpow_down, MathError, MathResult, U256, WAD};

/// `kind` of [`Curve::Linear`].
pub const LINEAR: u8 = 0;
/// `kind` of [`Curve::Stairstep`].
pub const STAIRSTEP: u8 = 1;
/// `kind` of [`Curve::Exponential`].
pub const EXPONENTIAL: u8 = 2;

/// A price curve with its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// Falls in a straight line from `top` to zero over `tau` seconds, then stays at zero
    /// (Maker's `LinearDecrease`). An auction on this curve must be restarted (`cusp`) before
    /// its price reaches zero.
    Linear {
        /// Seconds from `top` to zero.
        tau: u64,
    },
    /// Multiplied by `cut` (WAD) at the end of every full `step` seconds
    /// (Maker's `StairstepExponentialDecrease`).
    Stairstep {
        /// Factor applied per step, WAD, `0 < cut ≤ WAD`.
        cut: U256,
        /// Seconds per step.
        step: u64,
    },
    /// Multiplied by `cut` (WAD) every second (Maker's `ExponentialDecrease`).
    Exponential {
        /// Factor applied per second, WAD, `0 < cut ≤ WAD`.
        cut: U256,
    },
}

impl Curve {
    /// Builds the curve of `kind` from an asset's stored parameters; `None` for an unknown
    /// `kind` (which `file` never stores).
    #[must_use]
    pub fn new(kind: u8, tau: u64, cut: U256, step: u64) -> Option<Self> {
        match kind {
            LINEAR => Some(Self::Linear { tau }),
            STAIRSTEP => Some(Self::Stairstep { cut, step }),
            EXPONENTIAL => Some(Self::Exponential { cut }),
            _ => None,
        }
    }

    /// The price `dur` seconds after an auction (re)started at `top`, rounded down.
    ///
    /// # Errors
    /// [`MathError::DivisionByZero`] for `tau = 0` or `step = 0`, [`MathError::OutOfDomain`]
    /// for `tau ≥ 2^32`, and whatever
    /// [`keel_math::rpow_down`] reports for `cut > WAD`; neither is reachable with parameters that
    /// `file` accepted.
    pub fn price(&self, top: U256, dur: u64) -> MathResult<U256> {
        match *self {
            Self::Linear { tau } => {
                if tau == 0 {
                    return Err(MathError::DivisionByZero);
                }
                if dur >= tau {
                    return Ok(U256::ZERO);
                }
                mul_div_down(top, U256::from(tau - dur), U256::from(tau))
            }
            Self::Stairstep { cut, step } => {
                let steps = dur.checked_div(step).ok_or(MathError::DivisionByZero)?;
                decay(top, cut, steps)
            }
            Self::Exponential { cut } => decay(top, cut, dur),
        }
    }
}

/// `top · cut^n`, rounded down (keel-math's `rpow_down` rounds every step down).
fn decay(top: U256, cut: U256, n: u64) -> MathResult<U256> {
    mul_wad_down(top, rpow_down(cut, U256::from(n), WAD)?)
}

#[cfg(test)]
mod tests {
    use keel_math::WAD;
    use proptest::{prelude::*, test_runner::RngSeed};

    use super::*;

    fn wad(x: u64) -> U256 {
        U256::from(x) * WAD
    }

    /// 0.99 in WAD.
    fn ninety_nine_percent() -> U256 {
        WAD / U256::from(100) * U256::from(99)
    }

    #[test]
    fn unknown_kind_is_no_curve() {
        assert_eq!(Curve::new(3, 1, WAD, 1), None);
        assert_eq!(
            Curve::new(LINEAR, 10, WAD, 1),
            Some(Curve::Linear { tau: 10 })
        );
    }

    #[test]
    fn linear_starts_at_top() {
        let curve = Curve::Linear { tau: 3_600 };
        assert_eq!(curve.price(wad(1_000), 0), Ok(wad(1_000)));
    }

    #[test]
    fn linear_is_halfway_at_half_tau() {
        let curve = Curve::Linear { tau: 3_600 };
        assert_eq!(curve.price(wad(1_000), 1_800), Ok(wad(500)));
    }

    #[test]
    fn linear_reaches_zero_at_tau_and_stays_there() {
        let curve = Curve::Linear { tau: 3_600 };
        assert_eq!(curve.price(wad(1_000), 3_600), Ok(U256::ZERO));
        assert_eq!(curve.price(wad(1_000), 3_601), Ok(U256::ZERO));
        assert_eq!(curve.price(wad(1_000), u64::MAX), Ok(U256::ZERO));
    }

    #[test]
    fn linear_rounds_down() {
        // 10 · (3 - 1) / 3 = 6.67 → 6.
        let curve = Curve::Linear { tau: 3 };
        assert_eq!(curve.price(U256::from(10), 1), Ok(U256::from(6)));
    }

    #[test]
    fn linear_with_zero_tau_is_a_typed_error() {
        let curve = Curve::Linear { tau: 0 };
        assert_eq!(curve.price(wad(1), 0), Err(MathError::DivisionByZero));
    }

    #[test]
    fn stairstep_starts_at_top() {
        let curve = Curve::Stairstep {
            cut: ninety_nine_percent(),
            step: 90,
        };
        assert_eq!(curve.price(wad(1_000), 0), Ok(wad(1_000)));
    }

    #[test]
    fn stairstep_holds_within_a_step() {
        let curve = Curve::Stairstep {
            cut: ninety_nine_percent(),
            step: 90,
        };
        assert_eq!(curve.price(wad(1_000), 89), Ok(wad(1_000)));
    }

    #[test]
    fn stairstep_cuts_once_per_full_step() {
        let curve = Curve::Stairstep {
            cut: ninety_nine_percent(),
            step: 90,
        };
        assert_eq!(curve.price(wad(1_000), 90), Ok(wad(990)));
        assert_eq!(curve.price(wad(1_000), 179), Ok(wad(990)));
        assert_eq!(
            curve.price(wad(1_000), 180),
            Ok(U256::from(980_100) * WAD / U256::from(1_000))
        );
    }

    #[test]
    fn stairstep_with_zero_step_is_a_typed_error() {
        let curve = Curve::Stairstep { cut: WAD, step: 0 };
        assert_eq!(curve.price(wad(1), 5), Err(MathError::DivisionByZero));
    }

    #[test]
    fn exponential_starts_at_top() {
        let curve = Curve::Exponential {
            cut: ninety_nine_percent(),
        };
        assert_eq!(curve.price(wad(1_000), 0), Ok(wad(1_000)));
    }

    #[test]
    fn exponential_cuts_every_second() {
        let curve = Curve::Exponential {
            cut: ninety_nine_percent(),
        };
        assert_eq!(curve.price(wad(1_000), 1), Ok(wad(990)));
        assert_eq!(
            curve.price(wad(1_000), 2),
            Ok(U256::from(980_100) * WAD / U256::from(1_000))
        );
    }

    #[test]
    fn exponential_with_cut_of_one_is_flat() {
        let curve = Curve::Exponential { cut: WAD };
        assert_eq!(curve.price(wad(7), 1_000_000), Ok(wad(7)));
    }

    #[test]
    fn exponential_long_past_tail_decays_to_nothing_without_reverting() {
        // 0.5^(30 days) underflows to zero: the price is zero, not an error.
        let curve = Curve::Exponential {
            cut: WAD / U256::from(2),
        };
        assert_eq!(curve.price(wad(1_000), 30 * 86_400), Ok(U256::ZERO));
    }

    /// Any curve within `file`'s bounds, as (kind, tau, cut, step).
    fn any_curve() -> impl Strategy<Value = Curve> {
        let tau = 1u64..=30 * 86_400;
        let cut = 1u64..=1_000_000_000_000_000_000;
        let step = 1u64..=30 * 86_400;
        (0u8..=2, tau, cut, step).prop_map(|(kind, tau, cut, step)| {
            Curve::new(kind, tau, U256::from(cut), step).unwrap_or(Curve::Linear { tau })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 20_000,
            rng_seed: RngSeed::Fixed(0x6b65_656c_6375_7276),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// A later time never shows a higher price, and no price exceeds `top`.
        #[test]
        fn every_curve_is_monotone_non_increasing(
            curve in any_curve(),
            top in 1u128..(1u128 << 96),
            dur in 0u64..=40 * 86_400,
            later in 0u64..=40 * 86_400,
        ) {
            let top = U256::from(top);
            let now = curve.price(top, dur);
            let next = curve.price(top, dur + later);
            prop_assert!(now.is_ok() && next.is_ok());
            let (now, next) = (now.unwrap_or_default(), next.unwrap_or_default());
            prop_assert!(now <= top);
            prop_assert!(next <= now, "{curve:?}: price({}) = {now} < price({}) = {next}", dur, dur + later);
        }

        /// Around the end of the linear curve (and of any curve's first steps) the price still
        /// never rises, and reaches zero exactly at `tau`.
        #[test]
        fn linear_is_monotone_through_tau(
            tau in 1u64..=30 * 86_400,
            top in 1u128..(1u128 << 96),
            offset in 0u64..=6,
        ) {
            let curve = Curve::Linear { tau };
            let top = U256::from(top);
            let dur = (tau + offset).saturating_sub(3);
            let now = curve.price(top, dur);
            let next = curve.price(top, dur + 1);
            prop_assert!(now.is_ok() && next.is_ok());
            prop_assert!(next.unwrap_or_default() <= now.unwrap_or_default());
            prop_assert_eq!(curve.price(top, tau), Ok(U256::ZERO));
            prop_assert!(curve.price(top, tau - 1).unwrap_or_default() <= top);
        }

        /// One second later is never more expensive: the adjacent-step case of monotonicity,
        /// where rounding differences between neighbouring exponents would show.
        #[test]
        fn every_curve_is_monotone_second_by_second(
            curve in any_curve(),
            top in 1u128..(1u128 << 96),
            dur in 0u64..=40 * 86_400,
        ) {
            let top = U256::from(top);
            let now = curve.price(top, dur).unwrap_or_default();
            let next = curve.price(top, dur + 1).unwrap_or(U256::MAX);
            prop_assert!(next <= now, "{curve:?}: price({dur}) = {now} < price({}) = {next}", dur + 1);
        }
    }
}
