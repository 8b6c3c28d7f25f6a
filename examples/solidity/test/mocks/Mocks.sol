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

/// @notice A DEX that sells from its own reserves at a fixed rate: `rate` units of `tokenOut`
/// per 1e18 units of `tokenIn` (e.g. 2,600e6 for WETH to a 6-decimal USD at $2,600). Works
/// with any ERC-20, since it pays from its balance instead of minting.
contract MockDex is ISwapper {
    uint256 public immutable rate;

    /// The sale would pay `out`, less than the seller's `minOut`.
    error InsufficientOutput(uint256 out, uint256 minOut);

    event Swap(address indexed tokenIn, address indexed tokenOut, uint256 amountIn, uint256 amountOut, address to);

    constructor(uint256 rate_) {
        rate = rate_;
    }

    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minOut, address to)
        external
        returns (uint256 out)
    {
        out = amountIn * rate / 1e18;
        if (out < minOut) revert InsufficientOutput(out, minOut);
        require(IERC20(tokenOut).transfer(to, out), "transfer");
        emit Swap(tokenIn, tokenOut, amountIn, out, to);
    }
}

/// @notice The DrawdownVault views and ERC-4626 entry points the note uses, over an 18-decimal
/// quote token, with a settable NAV per share (WAD), mark, drawdown, cap and halt. Deposits
/// mint `assets / nav` shares; redemptions pay `shares * nav` from the vault's balance.
contract MockDrawdownVault {
    MockERC20 public immutable quote;
    address public immutable oracle;
    address public immutable marketAsset;
    mapping(address => uint256) public balanceOf;
    uint256 public navPerShare = 1e18;
    uint256 public highWaterMark = 1e18;
    uint256 public drawdown;
    uint256 public maxDrawdown = 0.2e18;
    bool public halted;

    constructor(MockERC20 quote_, address oracle_, address marketAsset_) {
        (quote, oracle, marketAsset) = (quote_, oracle_, marketAsset_);
    }

    function setMarks(uint256 nav, uint256 hwm, uint256 drawdown_, bool halted_) external {
        (navPerShare, highWaterMark, drawdown, halted) = (nav, hwm, drawdown_, halted_);
    }

    function asset() external view returns (address) {
        return address(quote);
    }

    function deposit(uint256 assets, address receiver) external returns (uint256 shares) {
        require(quote.transferFrom(msg.sender, address(this), assets), "transferFrom");
        shares = assets * 1e18 / navPerShare;
        balanceOf[receiver] += shares;
    }

    function previewRedeem(uint256 shares) public view returns (uint256) {
        return shares * navPerShare / 1e18;
    }

    function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets) {
        require(msg.sender == owner, "owner only");
        balanceOf[owner] -= shares;
        assets = previewRedeem(shares);
        require(quote.transfer(receiver, assets), "transfer");
    }

    function params()
        external
        view
        returns (uint256, uint256, uint256, uint256, uint256, uint256, uint256, uint256, uint256, uint256)
    {
        return (maxDrawdown, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /// `IDrawdownVault.state()`'s fourteen words (the same encoding: every field is static;
    /// named fields would not fit on the stack): only `oracle`, `marketAsset` and `halted` set.
    function state() external view returns (uint256[14] memory words) {
        words[1] = uint160(oracle);
        words[3] = uint160(marketAsset);
        words[9] = halted ? 1 : 0;
    }
}
