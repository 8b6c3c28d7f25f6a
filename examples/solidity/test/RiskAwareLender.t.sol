// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IRiskOracle} from "keel/abi/IRiskOracle.sol";
import {IRiskModel} from "keel/abi/IRiskModel.sol";
import {RiskAwareLender} from "../src/RiskAwareLender.sol";
import {MockRiskModel, MockRiskOracle} from "./mocks/Mocks.sol";
import {TestBase} from "./Vm.sol";

contract RiskAwareLenderTest is TestBase {
    address constant WETH = address(0xE7F);
    address constant ALICE = address(0xA11CE);

    MockRiskOracle oracle;
    MockRiskModel model;
    RiskAwareLender lender;

    function setUp() public {
        oracle = new MockRiskOracle();
        model = new MockRiskModel();
        oracle.setPrice(3_000e18, true, 0);
        model.setMaxLeverage(5e18);
        lender = new RiskAwareLender(IRiskOracle(address(oracle)), IRiskModel(address(model)), WETH);
        vm.prank(ALICE);
        lender.deposit(1e18);
    }

    function testMaxDebtIsValueTimesOneMinusOneOverLeverage() public view {
        // 1 ETH at $3,000 with 5x: equity at least $600, debt at most $2,400.
        assertEq(lender.maxDebt(1e18), 2_400e18, "maxDebt at 5x");
    }

    function testBorrowsUpToTheCap() public {
        vm.prank(ALICE);
        lender.borrow(2_400e18);
        assertEq(lender.debtOf(ALICE), 2_400e18, "debt");
    }

    function testRefusesALoanAboveTheCap() public {
        vm.expectRevert(abi.encodeWithSelector(RiskAwareLender.LoanTooLarge.selector, 2_400e18 + 1, 2_400e18));
        vm.prank(ALICE);
        lender.borrow(2_400e18 + 1);
    }

    function testCapTightensWhenLeverageFalls() public {
        model.setMaxLeverage(2e18);
        assertEq(lender.maxDebt(1e18), 1_500e18, "maxDebt at 2x");
    }

    function testRefusesWhileTheSequencerIsUnsafe() public {
        oracle.setSequencer(true, false);
        vm.expectRevert(abi.encodeWithSelector(RiskAwareLender.SequencerUnsafe.selector, true, 0));
        vm.prank(ALICE);
        lender.borrow(1e18);
    }

    function testRefusesOnAnInvalidPrice() public {
        oracle.setPrice(3_000e18, false, 6);
        vm.expectRevert(abi.encodeWithSelector(RiskAwareLender.PriceInvalid.selector, uint8(6)));
        vm.prank(ALICE);
        lender.borrow(1e18);
    }
}
