// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ILiquidator} from "keel/abi/ILiquidator.sol";
import {IFlashTaker} from "keel/abi/IFlashTaker.sol";
import {IERC20} from "./IERC20.sol";

/// @notice Where the flash liquidator sells collateral (a DEX router, an aggregator...).
interface ISwapper {
    /// @notice Sells `amountIn` of `tokenIn`, already sent to the swapper, for at least
    /// `minOut` of `tokenOut`, sent to `to`; returns the amount out.
    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minOut, address to)
        external
        returns (uint256);
}

/// @title FlashLiquidator
/// @notice A keeper's flash-take receiver for Keel's Liquidator: it buys collateral from a
/// Dutch auction without holding the quote beforehand. The Liquidator sends the collateral
/// first and calls `onTake`; the receiver sells it through `swapper` and approves the quote
/// owed, which the Liquidator then pulls from this contract (the caller of `take`). The profit
/// (sale proceeds minus the quote owed) stays here for the owner.
contract FlashLiquidator is IFlashTaker {
    ILiquidator public immutable liquidator;
    ISwapper public immutable swapper;
    address public immutable owner;

    /// `onTake` from an address other than the Liquidator, or for a take this contract did not
    /// start.
    error NotLiquidator(address caller);
    error NotOwner(address caller);
    /// The sale raised `proceeds`, less than the `owe` to repay.
    error Unprofitable(uint256 proceeds, uint256 owe);
    /// A token call returned `false`.
    error TokenCallFailed(address token);

    constructor(ILiquidator liquidator_, ISwapper swapper_) {
        liquidator = liquidator_;
        swapper = swapper_;
        owner = msg.sender;
    }

    /// @notice Buys up to `maxCollateral` of auction `id` at a price of at most `maxPrice`
    /// (WAD quote per whole collateral unit), paying from the sale of the collateral itself.
    function liquidate(uint256 id, uint256 maxCollateral, uint256 maxPrice)
        external
        returns (uint256 slice, uint256 owe)
    {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        (, address asset,,,,,,) = liquidator.sales(id);
        (address quote,,,,,,,) = liquidator.state();
        // Non-empty data makes the take a flash take; it carries what the callback needs.
        return liquidator.take(id, maxCollateral, maxPrice, address(this), abi.encode(asset, quote));
    }

    /// @inheritdoc IFlashTaker
    function onTake(address sender, uint256 owe, uint256 slice, bytes calldata data) external {
        if (msg.sender != address(liquidator) || sender != address(this)) revert NotLiquidator(msg.sender);
        (address asset, address quote) = abi.decode(data, (address, address));
        _check(asset, IERC20(asset).transfer(address(swapper), slice));
        uint256 proceeds = swapper.swap(asset, quote, slice, owe, address(this));
        if (proceeds < owe) revert Unprofitable(proceeds, owe);
        _check(quote, IERC20(quote).approve(address(liquidator), owe));
    }

    /// @notice Sends `amount` of `token` (the profits) to the owner.
    function sweep(IERC20 token, uint256 amount) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _check(address(token), token.transfer(owner, amount));
    }

    function _check(address token, bool ok) private pure {
        if (!ok) revert TokenCallFailed(token);
    }
}
