//! The arithmetic of one auction, free of storage: what a take buys and pays, when an auction
//! needs a restart, and what a keeper earns.
//!
//! # Units
//! - `lot`, `slice`: collateral token units (the token's own decimals).
//! - `tab`, `owe`, `chost`, `tip`, `coin`: quote token units (the quote token's decimals).
//! - prices (`top`, `price`): WAD quote per one whole collateral token, as the oracle reports.
//!
//! [`Scale`] converts between the three: `value = amount · price / 10^(18 + dc − dq)` where
//! `dc`, `dq` are the collateral's and the quote's decimals.
//!
//! # Rounding
//! Always against the buyer: what a take pays ([`Scale::value_up`]) rounds up, what it
//! receives ([`Scale::amount_down`]) rounds down. A keeper's reward and the value of a lot
//! tested against the dust limit round down.

use keel_math::{mul_div_down, mul_div_up, mul_wad_down, MathError, MathResult, U256, WAD};

/// Largest scale exponent: `10^38 < 2^128`, so the factor is a native `u128` power, and a
/// collateral may have up to 20 decimals more than the quote (WETH for a 6-decimal stablecoin:
/// 30).
pub const MAX_SCALE: u8 = 38;

/// The power of ten between `amount · price` and a quote value: `10^(18 + dc − dq)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale(u8);

impl Scale {
    /// The scale of a collateral with `collateral` decimals sold for a quote token with `quote`
    /// decimals; `None` when the exponent would be negative or above [`MAX_SCALE`].
    #[must_use]
    pub fn from_decimals(collateral: u8, quote: u8) -> Option<Self> {
        let exp = (18 + u16::from(collateral)).checked_sub(u16::from(quote))?;
        u8::try_from(exp).ok().filter(|e| *e <= MAX_SCALE).map(Self)
    }

    /// Wraps a stored exponent (already checked when the asset was listed).
    #[must_use]
    pub const fn from_exponent(exp: u8) -> Self {
        Self(exp)
    }

    /// The exponent, as stored.
    #[must_use]
    pub const fn exponent(self) -> u8 {
        self.0
    }

    fn factor(self) -> U256 {
        // Cannot overflow: the exponent is at most MAX_SCALE, and 10^38 < 2^128.
        U256::from(10u128.pow(u32::from(self.0)))
    }

    /// Quote value of `amount` collateral at `price`, rounded up (what a buyer pays).
    ///
    /// # Errors
    /// [`MathError::Overflow`] if the value does not fit 256 bits.
    pub fn value_up(self, amount: U256, price: U256) -> MathResult<U256> {
        mul_div_up(amount, price, self.factor())
    }

    /// Quote value of `amount` collateral at `price`, rounded down (what a lot is worth when
    /// the protocol pays for it, e.g. a keeper reward test).
    ///
    /// # Errors
    /// [`MathError::Overflow`] if the value does not fit 256 bits.
    pub fn value_down(self, amount: U256, price: U256) -> MathResult<U256> {
        mul_div_down(amount, price, self.factor())
    }

    /// Collateral that `value` quote buys at `price`, rounded down (what a buyer receives).
    ///
    /// # Errors
    /// [`MathError::DivisionByZero`] for a zero price, [`MathError::Overflow`].
    pub fn amount_down(self, value: U256, price: U256) -> MathResult<U256> {
        mul_div_down(value, self.factor(), price)
    }
}

/// The outcome of sizing one take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
    /// Collateral the buyer receives.
    pub slice: U256,
    /// Quote the buyer pays.
    pub owe: U256,
}

/// Why a take cannot be sized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FillError {
    /// A partial take would leave less than `chost` of `tab`, and `tab` itself is at most
    /// `chost`, so only a take of the whole lot can proceed.
    DustRemnant {
        /// Quote still to raise.
        tab: U256,
        /// The smallest remnant the auction may keep.
        chost: U256,
    },
    /// Arithmetic failure (not reachable within `file`'s bounds).
    Math(MathError),
}

impl From<MathError> for FillError {
    fn from(err: MathError) -> Self {
        Self::Math(err)
    }
}

/// Sizes a take of up to `max_collateral` at `price` from an auction with `tab` and `lot` left,
/// following Maker's Clipper:
///
/// 1. Buy `slice = min(lot, max_collateral)` for `owe = value_up(slice)`.
/// 2. If that is more than `tab`, buy only what `tab` pays for: `owe = tab`,
///    `slice = amount_down(tab)` (a take larger than what is left is cut, not reverted).
/// 3. Otherwise, if the take is partial and would leave `0 < tab − owe < chost`, it is cut so
///    that exactly `chost` remains (`owe = tab − chost`), or refused with
///    [`FillError::DustRemnant`] when `tab ≤ chost` (then only a take of the whole lot may
///    proceed).
///
/// Guarantees (property-tested): `owe ≤ tab`, `slice ≤ lot`, the buyer never pays less than the
/// exact value of `slice`, and an auction that stays open keeps `tab − owe ≥ chost`.
///
/// # Errors
/// [`FillError::DustRemnant`] as above; [`FillError::Math`] with
/// [`MathError::DivisionByZero`] for a zero price, which would give collateral away (the
/// contract never gets here: [`needs_redo`] holds at a zero price).
pub fn fill(
    tab: U256,
    lot: U256,
    price: U256,
    max_collateral: U256,
    chost: U256,
    scale: Scale,
) -> Result<Fill, FillError> {
    if price.is_zero() {
        return Err(FillError::Math(MathError::DivisionByZero));
    }
    let mut slice = lot.min(max_collateral);
    let mut owe = scale.value_up(slice, price)?;
    if owe > tab {
        owe = tab;
        slice = scale.amount_down(owe, price)?;
    } else if owe < tab && slice < lot {
        // Cannot underflow: owe < tab in this branch.
        if tab - owe < chost {
            if tab <= chost {
                return Err(FillError::DustRemnant { tab, chost });
            }
            owe = tab - chost;
            slice = scale.amount_down(owe, price)?;
        }
    }
    Ok(Fill { slice, owe })
}

/// Whether an auction that (re)started at `tic` with `top` and now shows `price` must be
/// restarted before anyone may take: older than `tail` seconds, or `price / top` below `cusp`
/// (both WAD; the ratio rounds down, so the boundary itself is still takeable), or a price of
/// zero, which is never takeable whatever `cusp` is.
///
/// # Errors
/// [`MathError::Overflow`] if `price · WAD` or `cusp · top` exceeds 256 bits (not reachable:
/// stored tops are below 2^96 and `cusp` below WAD).
pub fn needs_redo(
    now: u64,
    tic: u64,
    tail: u64,
    top: U256,
    price: U256,
    cusp: U256,
) -> MathResult<bool> {
    // `floor(price · WAD / top) < cusp` ⟺ `price · WAD < cusp · top` (cusp is an integer),
    // compared without a division.
    let too_cheap = || -> MathResult<bool> {
        let scaled = price.checked_mul(WAD).ok_or(MathError::Overflow)?;
        Ok(scaled < cusp.checked_mul(top).ok_or(MathError::Overflow)?)
    };
    Ok(now.saturating_sub(tic) > tail || price.is_zero() || too_cheap()?)
}

/// A keeper's reward for a kick or a redo of an auction with `tab` left:
/// `tip + chip · tab`, the product rounded down.
///
/// # Errors
/// [`MathError::Overflow`].
pub fn coin(tip: U256, chip: U256, tab: U256) -> MathResult<U256> {
    tip.checked_add(mul_wad_down(tab, chip)?)
        .ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests;
