// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ILiquidator} from "keel/abi/ILiquidator.sol";
import {FlashLiquidator} from "../src/FlashLiquidator.sol";
import {MockERC20, MockLiquidator, MockSwapper} from "./mocks/Mocks.sol";
import {TestBase} from "./Vm.sol";

contract FlashLiquidatorTest is TestBase {
    MockERC20 quote;
    MockERC20 weth;
    MockLiquidator liquidator;
    FlashLiquidator keeper;

    function setUp() public {
        quote = new MockERC20();
        weth = new MockERC20();
        // Auction price $2,500; the market buys at $2,600.
        liquidator = new MockLiquidator(quote, weth, 2_500e18, 10e18);
        keeper = new FlashLiquidator(ILiquidator(address(liquidator)), new MockSwapper(2_600e18));
    }

    function testTakesWithoutCapitalAndKeepsTheSpread() public {
        (uint256 slice, uint256 owe) = keeper.liquidate(1, 4e18, 2_500e18);
        assertEq(slice, 4e18, "slice");
        assertEq(owe, 10_000e18, "owe");
        assertEq(quote.balanceOf(liquidator.ENGINE()), 10_000e18, "engine paid");
        assertEq(quote.balanceOf(address(keeper)), 400e18, "profit");
        assertEq(weth.balanceOf(address(keeper)), 0, "collateral sold");
    }

    function testOnlyTheLiquidatorCallsBack() public {
        vm.expectRevert(abi.encodeWithSelector(FlashLiquidator.NotLiquidator.selector, address(this)));
        keeper.onTake(address(keeper), 1, 1, abi.encode(address(weth), address(quote)));
    }

    function testOnlyTheOwnerLiquidates() public {
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSelector(FlashLiquidator.NotOwner.selector, address(0xBAD)));
        keeper.liquidate(1, 1e18, 2_500e18);
    }
}
