// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "../../src/IERC20.sol";
import {ISwapper} from "../../src/FlashLiquidator.sol";
import {IFlashTaker} from "keel/abi/IFlashTaker.sol";

/// @notice The RiskOracle views the lender reads, with settable answers.
contract MockRiskOracle {
    uint256 public livePrice;
    bool public valid = true;
    uint8 public status;
    bool public up = true;
    bool public safe = true;

    function setPrice(uint256 price_, bool valid_, uint8 status_) external {
        (livePrice, valid, status) = (price_, valid_, status_);
    }

    function setSequencer(bool up_, bool safe_) external {
        (up, safe) = (up_, safe_);
    }

    function priceData(address) external view returns (uint256, bool, uint256, uint8) {
        return (livePrice, valid, 0, status);
    }

    function sequencerStatus() external view returns (bool, bool, uint256) {
        return (up, safe, 0);
    }
}

/// @notice The RiskModel's `maxLeverage`, settable.
contract MockRiskModel {
    uint256 public leverage;

    function setMaxLeverage(uint256 leverage_) external {
        leverage = leverage_;
    }

    function maxLeverage(address) external view returns (uint256) {
        return leverage;
    }
}

/// @notice A minimal ERC-20 with free minting.
contract MockERC20 is IERC20 {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    function mint(address to, uint256 value) external {
        balanceOf[to] += value;
    }

    function transfer(address to, uint256 value) external returns (bool) {
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        allowance[from][msg.sender] -= value;
        balanceOf[from] -= value;
        balanceOf[to] += value;
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        return true;
    }
}

/// @notice Sells any token for `tokenOut` at a fixed WAD price (minted, not from reserves).
contract MockSwapper is ISwapper {
    uint256 public immutable price;

    constructor(uint256 price_) {
        price = price_;
    }

    function swap(address, address tokenOut, uint256 amountIn, uint256, address to) external returns (uint256 out) {
        out = amountIn * price / 1e18;
        MockERC20(tokenOut).mint(to, out);
    }
}

/// @notice The Liquidator's flash take as its docs describe it: one auction of `lot` collateral
/// at a fixed `price`; the collateral goes to the receiver, then `onTake`, then the quote is
/// pulled from the caller.
contract MockLiquidator {
    MockERC20 public immutable quote;
    MockERC20 public immutable collateral;
    uint256 public immutable price;
    uint256 public lot;
    address public constant ENGINE = address(0xE);

    constructor(MockERC20 quote_, MockERC20 collateral_, uint256 price_, uint256 lot_) {
        (quote, collateral, price, lot) = (quote_, collateral_, price_, lot_);
        collateral_.mint(address(this), lot_);
    }

    function state()
        external
        view
        returns (address, address, address, uint256, uint256, uint256, uint256, uint256)
    {
        return (address(quote), address(0), address(0), 0, 1, 1, 0, 0);
    }

    function sales(uint256)
        external
        view
        returns (address, address, uint256, address, uint256, uint256, uint256, uint256)
    {
        return (ENGINE, address(collateral), 0, address(0), 0, lot, price, 0);
    }

    function take(uint256, uint256 maxCollateral, uint256 maxPrice, address receiver, bytes calldata data)
        external
        returns (uint256 slice, uint256 owe)
    {
        require(price <= maxPrice, "price above max");
        slice = maxCollateral < lot ? maxCollateral : lot;
        owe = (slice * price + 1e18 - 1) / 1e18;
        lot -= slice;
        require(collateral.transfer(receiver, slice), "transfer");
        if (data.length > 0) IFlashTaker(receiver).onTake(msg.sender, owe, slice, data);
        require(quote.transferFrom(msg.sender, ENGINE, owe), "transferFrom");
    }
}
