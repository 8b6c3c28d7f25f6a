// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice The parts of ERC-20 the examples use.
interface IERC20 {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function approve(address spender, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}
