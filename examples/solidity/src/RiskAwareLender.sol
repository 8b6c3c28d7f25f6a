// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IRiskOracle} from "keel/abi/IRiskOracle.sol";
import {IRiskModel} from "keel/abi/IRiskModel.sol";

/// @title RiskAwareLender
/// @notice An integrator of Keel's risk views: a lender of a quote currency against one
/// collateral asset that
///  - refuses new loans while the RiskOracle says adding risk is unsafe (L2 sequencer down or
///    inside its grace period after a restart) or while the collateral's price is not valid;
///  - caps the loan by the RiskModel's adaptive max leverage `L`: a loan against collateral
///    worth `V` may be at most `V * (1 - 1/L)`, so the borrower's equity is at least the
///    initial margin `V / L` and the cap tightens as volatility rises.
/// Token transfers are left out: the example keeps only the risk decisions (amounts are WAD).
contract RiskAwareLender {
    uint256 private constant WAD = 1e18;

    IRiskOracle public immutable oracle;
    IRiskModel public immutable model;
    /// The collateral's asset key in the oracle.
    address public immutable asset;

    /// Collateral (asset units) and debt (quote) per borrower.
    mapping(address => uint256) public collateralOf;
    mapping(address => uint256) public debtOf;

    /// The sequencer is down or was restarted less than the grace period ago.
    error SequencerUnsafe(bool isUp, uint256 since);
    /// The collateral's live price failed the oracle's guard (`status` as in `priceData`).
    error PriceInvalid(uint8 status);
    /// The debt after the loan would be `debt`, above `maxDebt`.
    error LoanTooLarge(uint256 debt, uint256 maxDebt);

    event Deposited(address indexed borrower, uint256 collateral);
    event Borrowed(address indexed borrower, uint256 amount, uint256 debt, uint256 maxDebt);

    constructor(IRiskOracle oracle_, IRiskModel model_, address asset_) {
        oracle = oracle_;
        model = model_;
        asset = asset_;
    }

    /// @notice Books `amount` of collateral for the caller.
    function deposit(uint256 amount) external {
        collateralOf[msg.sender] += amount;
        emit Deposited(msg.sender, amount);
    }

    /// @notice The most a borrower with `collateral` units may owe: its value at the guarded
    /// price times `1 - 1/maxLeverage`, rounded down. Reverts while the price is invalid.
    function maxDebt(uint256 collateral) public view returns (uint256) {
        (uint256 price, bool isValid,, uint8 status) = oracle.priceData(asset);
        if (!isValid) revert PriceInvalid(status);
        uint256 value = collateral * price / WAD;
        uint256 leverage = model.maxLeverage(asset);
        // The equity kept, value / L, rounds up: the loan rounds down.
        uint256 margin = (value * WAD + leverage - 1) / leverage;
        return value > margin ? value - margin : 0;
    }

    /// @notice Lends `amount` to the caller if adding risk is safe and the debt stays within
    /// `maxDebt` of its collateral.
    function borrow(uint256 amount) external {
        (bool isUp, bool safeToAddRisk, uint256 since) = oracle.sequencerStatus();
        if (!safeToAddRisk) revert SequencerUnsafe(isUp, since);
        uint256 cap = maxDebt(collateralOf[msg.sender]);
        uint256 debt = debtOf[msg.sender] + amount;
        if (debt > cap) revert LoanTooLarge(debt, cap);
        debtOf[msg.sender] = debt;
        emit Borrowed(msg.sender, amount, debt, cap);
    }
}
