//! Share accounting for pooled deposits (the DrawdownVault's ERC-4626 shares, the counterparty
//! pool's LP shares), safe against the first-depositor inflation attack.
//!
//! Follows OpenZeppelin's ERC-4626 (v5): conversions use a *virtual* supply of
//! `10^offset` shares and a virtual single unit of assets,
//!
//! ```text
//! shares = assets · (supply + 10^offset) / (totalAssets + 1)
//! assets = shares · (totalAssets + 1) / (supply + 10^offset)
//! ```
//!
//! so an empty pool prices a share at `10^-offset` assets, and an attacker who donates to an
//! empty pool to round a victim's shares down loses to the virtual shares far more than the
//! victim loses. The pool never needs seeding.
//!
//! Rounding is named: the caller picks the direction that favours the pool (deposit and redeem
//! round down, mint and withdraw round up).

use alloy_primitives::U256;

use crate::{mul_div_down, mul_div_up, pow10, MathError, MathResult};

/// A pool's share supply and assets, with its virtual-share offset (decimals).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SharePool {
    /// Shares in existence.
    pub supply: U256,
    /// Assets the shares claim.
    pub assets: U256,
    /// `log10` of the virtual shares.
    pub offset: u8,
}

impl SharePool {
    /// `(supply + 10^offset, assets + 1)`: the pool with its virtual shares and asset.
    fn virtual_totals(self) -> MathResult<(U256, U256)> {
        let supply = self.supply.checked_add(pow10(self.offset)?);
        let assets = self.assets.checked_add(U256::from(1));
        supply.zip(assets).ok_or(MathError::Overflow)
    }

    /// Shares worth `assets`, rounded down (deposit and its preview).
    pub fn to_shares_down(self, assets: U256) -> MathResult<U256> {
        let (supply, total) = self.virtual_totals()?;
        mul_div_down(assets, supply, total)
    }

    /// Shares worth `assets`, rounded up (shares burnt by a withdraw).
    pub fn to_shares_up(self, assets: U256) -> MathResult<U256> {
        let (supply, total) = self.virtual_totals()?;
        mul_div_up(assets, supply, total)
    }

    /// Assets `shares` are worth, rounded down (redeem, share price views).
    pub fn to_assets_down(self, shares: U256) -> MathResult<U256> {
        let (supply, total) = self.virtual_totals()?;
        mul_div_down(shares, total, supply)
    }

    /// Assets `shares` are worth, rounded up (assets paid in by a mint).
    pub fn to_assets_up(self, shares: U256) -> MathResult<U256> {
        let (supply, total) = self.virtual_totals()?;
        mul_div_up(shares, total, supply)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(supply: u64, assets: u64, offset: u8) -> SharePool {
        SharePool {
            supply: U256::from(supply),
            assets: U256::from(assets),
            offset,
        }
    }

    #[test]
    fn an_empty_pool_prices_a_share_at_ten_to_minus_offset() {
        let p = pool(0, 0, 6);
        assert_eq!(
            p.to_shares_down(U256::from(5)).unwrap(),
            U256::from(5_000_000)
        );
        assert_eq!(
            p.to_assets_down(U256::from(5_000_000)).unwrap(),
            U256::from(5)
        );
    }

    #[test]
    fn rounding_directions_differ_by_at_most_one() {
        let p = pool(1_000_003, 777, 3);
        for x in [1u64, 2, 3, 999, 12_345, 1_000_000] {
            let x = U256::from(x);
            let (down, up) = (p.to_shares_down(x).unwrap(), p.to_shares_up(x).unwrap());
            assert!(up >= down && up - down <= U256::from(1));
            let (down, up) = (p.to_assets_down(x).unwrap(), p.to_assets_up(x).unwrap());
            assert!(up >= down && up - down <= U256::from(1));
        }
    }

    #[test]
    fn a_round_trip_never_creates_assets() {
        // Deposit then redeem must not return more than was paid in; minting costs at least
        // what redeeming the same shares returns.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let p = pool(
                seed % 1_000_000_007,
                (seed >> 20) % 1_000_000_009,
                (seed % 7) as u8,
            );
            let assets = U256::from(seed % 1_000_003);
            let shares = p.to_shares_down(assets).unwrap();
            let after = SharePool {
                supply: p.supply + shares,
                assets: p.assets + assets,
                offset: p.offset,
            };
            assert!(
                after.to_assets_down(shares).unwrap() <= assets,
                "{p:?} {assets}"
            );
            assert!(p.to_assets_up(shares).unwrap() >= p.to_assets_down(shares).unwrap());
        }
    }

    #[test]
    fn a_donation_to_an_empty_pool_costs_the_attacker_more_than_the_victim() {
        // The attacker deposits 1 unit, donates 1e6, then the victim deposits 1e6.
        let offset = 6;
        let attacker_shares = pool(0, 0, offset).to_shares_down(U256::from(1)).unwrap();
        let donated = pool(attacker_shares.to(), 1 + 1_000_000, offset);
        let victim_shares = donated.to_shares_down(U256::from(1_000_000)).unwrap();
        let end = SharePool {
            supply: donated.supply + victim_shares,
            assets: donated.assets + U256::from(1_000_000),
            offset,
        };
        let attacker_loss =
            U256::from(1 + 1_000_000) - end.to_assets_down(attacker_shares).unwrap();
        let victim_loss = U256::from(1_000_000) - end.to_assets_down(victim_shares).unwrap();
        assert!(
            attacker_loss > victim_loss * U256::from(10_000),
            "attacker loses {attacker_loss}, victim {victim_loss}"
        );
    }
}
