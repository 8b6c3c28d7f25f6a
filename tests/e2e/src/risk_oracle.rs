//! Shared by the RiskOracle end-to-end tests and the gas report
//! (`examples/risk_oracle_gas.rs`): the Solidity ABI of the RiskOracle, the
//! RiskModel and the mock feed, and a deployed [`World`].
// Prices are written dollars_cents: `3_000_00` is $3,000.00.
#![allow(clippy::inconsistent_digit_grouping)]

use alloy_primitives::{address, aliases::U80, Address, FixedBytes, I256, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use keel_host::prelude::*;

sol! {
    #[sol(all_derives)]
    contract Feed {
        constructor(uint8 decimals, string description, address owner);
        function setAnswer(int256 answer) external;
        function setRoundData(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) external;
    }

    #[sol(all_derives)]
    contract Oracle {
        constructor(address admin, address guardian);
        event PriceAccepted(address indexed asset, uint80 roundId, uint256 price, uint256 updatedAt, uint256 fastVolatility, uint256 slowVolatility);
        event File(address indexed asset, bytes32 indexed what, uint256 data);
        error OracleUnauthorized(address caller);
        error OracleUnknownAsset(address asset);
        error OraclePaused();
        error OracleNotPaused();
        error OracleParameterOutOfBounds(bytes32 what, uint256 data, uint256 min, uint256 max);
        error OraclePriceRejected(address asset, uint8 reason, uint80 roundId, int256 answer, uint256 updatedAt);
        error OracleNoNewPrice(address asset, uint80 roundId);
        function price(address asset) external view returns (uint256);
        function priceData(address asset) external view returns (uint256 price, bool isValid, uint256 age, uint8 status);
        function sequencerStatus() external view returns (bool isUp, bool safeToAddRisk, uint256 since);
        function poke(address asset) external returns (uint256);
        function volatilityState(address asset) external view returns (uint256 index, uint256 fast, uint256 slow, uint256 updatedAt);
        function marginInputs(address asset) external view returns (uint256 volatility, uint256 k, uint256 mmFloor, uint256 imMultiplier, uint256 liqHorizon);
        function file(bytes32 what, uint256 data) external;
        function fileAsset(address asset, bytes32 what, uint256 data) external;
        function setFeed(address asset, address feed, uint256 heartbeat, uint256 maxJump) external;
        function setSequencerFeed(address feed) external;
        function pause() external;
        function unpause() external;
        function proposeRole(bytes32 role, address account) external;
        function acceptRole(bytes32 role) external;
        function parameter(bytes32 what) external view returns (uint256);
        function assetInfo(address asset) external view returns (address feed, uint8 decimals, uint256 heartbeat, uint256 maxJump, uint256 lastPrice, uint80 lastRoundId, uint256 lastUpdatedAt);
        function paused() external view returns (bool);
        function roles() external view returns (address admin, address pendingAdmin, address guardian, address pendingGuardian);
    }

    #[sol(all_derives)]
    contract Model {
        constructor(address oracle);
        error ModelArgumentOutOfBounds(bytes32 name, uint256 value, uint256 min, uint256 max);
        function oracle() external view returns (address);
        function maintenanceMargin(address asset) external view returns (uint256);
        function initialMargin(address asset) external view returns (uint256);
        function maxLeverage(address asset) external view returns (uint256);
        function insolvencyProbability(address asset, bool isLong, uint256 entryOrMark, uint256 equity, uint256 size, uint256 horizon) external view returns (uint256);
        function requiredMarginForProbability(address asset, uint256 p, uint256 horizon) external view returns (uint256);
    }
}

/// The oracle's admin.
pub const ADMIN: Address = address!("00000000000000000000000000000000000a0001");
/// The oracle's guardian.
pub const GUARDIAN: Address = address!("00000000000000000000000000000000000a0002");
/// A keeper (anyone).
pub const KEEPER: Address = address!("00000000000000000000000000000000000a0003");
/// An attacker.
pub const MALLORY: Address = address!("00000000000000000000000000000000000a00e5");
/// Owner of the mock feeds.
pub const FEED_OWNER: Address = address!("00000000000000000000000000000000000a00f0");
/// The asset key (e.g. the WETH token address).
pub const WETH: Address = address!("0000000000000000000000000000000000000e7f");
/// Block time at listing.
pub const T0: u64 = 1_750_000_000;
/// One, in WAD.
pub const WAD: u64 = 1_000_000_000_000_000_000;
/// WETH's heartbeat: one hour.
pub const HEARTBEAT: u64 = 3_600;
/// 20 % band.
pub const MAX_JUMP: u64 = 200_000_000_000_000_000;

/// `bytes32("text")`.
pub fn name(text: &str) -> FixedBytes<32> {
    let mut out = [0u8; 32];
    out[..text.len()].copy_from_slice(text.as_bytes());
    FixedBytes(out)
}

/// `units` whole units in WAD.
pub fn wad(units: u64) -> U256 {
    U256::from(units) * U256::from(WAD)
}

/// An 8-decimal answer in cents.
pub fn cents(c: i64) -> I256 {
    I256::try_from(c).unwrap_or_default() * I256::try_from(1_000_000).unwrap_or_default()
}

/// `1e18 * x` for `x` as a float (test inputs only).
pub fn wad_f(x: f64) -> U256 {
    U256::from((x * 1e18) as u128)
}

/// `x` (WAD) as a float.
pub fn f(x: U256) -> f64 {
    let v: f64 = x.into();
    v / 1e18
}

/// The deployed system: WETH's feed, the uptime feed, the oracle (WETH listed
/// at $3,000 at `T0`) and the model.
pub struct World {
    /// The local chain.
    pub host: Host,
    /// The listed asset: [`WETH`], or a token deployed before the oracle
    /// ([`World::on`]).
    pub asset: Address,
    /// WETH's feed (8 decimals).
    pub feed: Address,
    /// The sequencer-uptime feed.
    pub uptime: Address,
    /// The RiskOracle.
    pub oracle: Address,
    /// The RiskModel.
    pub model: Address,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// The world with WETH starting from 80 % volatility.
    pub fn new() -> Self {
        Self::with_cold_start(wad_f(0.8))
    }

    /// As [`World::new`], WETH starting from volatility `cold_start`.
    pub fn with_cold_start(cold_start: U256) -> Self {
        let mut host = Host::new();
        host.warp(T0).expect("warp");
        Self::on(host, WETH, cold_start)
    }

    /// Deploys the feeds, the oracle and the model on `host` (already at its
    /// start time) and lists `asset` at $3,000 with volatility `cold_start`:
    /// for a system whose asset is a token deployed first.
    pub fn on(mut host: Host, asset: Address, cold_start: U256) -> Self {
        let ctor = |decimals, text: &str| Feed::constructorCall {
            decimals,
            description: text.into(),
            owner: FEED_OWNER,
        };
        let feed = host
            .deploy_contract(FEED_OWNER, "keel_mock_price_feed", ctor(8, "ETH / USD"))
            .expect("feed");
        let uptime = host
            .deploy_contract(
                FEED_OWNER,
                "keel_mock_price_feed",
                ctor(0, "L2 Sequencer Uptime"),
            )
            .expect("uptime");
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
        let model = host
            .deploy_contract(ADMIN, "keel_risk_model", Model::constructorCall { oracle })
            .expect("model");
        let mut world = Self {
            host,
            asset,
            feed,
            uptime,
            oracle,
            model,
        };
        world.admin(&Oracle::fileCall {
            what: name("coldStartVol"),
            data: cold_start,
        });
        world.answer(3_000_00);
        world.admin(&Oracle::setFeedCall {
            asset,
            feed,
            heartbeat: U256::from(HEARTBEAT),
            maxJump: U256::from(MAX_JUMP),
        });
        world
    }

    /// The feed publishes `c` cents as a new round at the current time.
    pub fn answer(&mut self, c: i64) {
        let call = Feed::setAnswerCall { answer: cents(c) };
        self.host
            .call(FEED_OWNER, self.feed, &call)
            .expect("run")
            .success()
            .expect("setAnswer");
    }

    /// The feed's latest round becomes the crafted one.
    pub fn round(
        &mut self,
        id: u64,
        c: i64,
        started_at: u64,
        updated_at: u64,
        answered_in_round: u64,
    ) {
        let call = Feed::setRoundDataCall {
            roundId: U80::from(id),
            answer: cents(c),
            startedAt: U256::from(started_at),
            updatedAt: U256::from(updated_at),
            answeredInRound: U80::from(answered_in_round),
        };
        self.host
            .call(FEED_OWNER, self.feed, &call)
            .expect("run")
            .success()
            .expect("setRoundData");
    }

    /// The uptime feed reports `status` (0 up, 1 down) from now on.
    pub fn uptime_status(&mut self, status: i64) {
        let call = Feed::setAnswerCall {
            answer: I256::try_from(status).unwrap_or_default(),
        };
        self.host
            .call(FEED_OWNER, self.uptime, &call)
            .expect("run")
            .success()
            .expect("uptime");
    }

    /// A successful admin call.
    pub fn admin<C: SolCall>(&mut self, call: &C) -> Receipt<C> {
        self.host
            .call(ADMIN, self.oracle, call)
            .expect("run")
            .success()
            .expect("admin call")
    }

    /// A keeper pokes the asset.
    pub fn poke(&mut self) -> Receipt<Oracle::pokeCall> {
        let asset = self.asset;
        self.host
            .call(KEEPER, self.oracle, &Oracle::pokeCall { asset })
            .expect("run")
    }

    /// A view on the oracle.
    pub fn view<C: SolCall>(&mut self, call: &C) -> C::Return {
        self.host.view(self.oracle, call).expect("view")
    }

    /// A view on the model.
    pub fn model<C: SolCall>(&mut self, call: &C) -> C::Return {
        self.host.view(self.model, call).expect("model view")
    }

    /// The revert of a view on the oracle, decoded as `E`.
    pub fn view_error<E: SolError>(&mut self, call: &impl SolCall) -> E {
        let receipt = self
            .host
            .simulate(KEEPER, self.oracle, &call.abi_encode())
            .expect("run");
        receipt.revert_as::<E>().expect("typed revert")
    }

    /// Sets the block time.
    pub fn warp(&mut self, t: u64) {
        self.host.warp(t).expect("warp");
    }

    /// `priceData` of the asset.
    pub fn price_data(&mut self) -> Oracle::priceDataReturn {
        let asset = self.asset;
        self.view(&Oracle::priceDataCall { asset })
    }

    /// The asset's last accepted price.
    pub fn last_price(&mut self) -> U256 {
        let asset = self.asset;
        self.view(&Oracle::assetInfoCall { asset }).lastPrice
    }
}
