// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice The few Foundry cheatcodes the examples' tests use (forge-std is not a dependency).
interface Vm {
    function prank(address sender) external;
    function expectRevert(bytes calldata revertData) external;
}

/// @notice Base of the tests: the cheatcode contract and equality checks.
abstract contract TestBase {
    /// The cheatcode address, 0x7109709ECfa91a80626fF3989D68f67F5b1DD12D.
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    error NotEqual(string what, uint256 left, uint256 right);

    function assertEq(uint256 left, uint256 right, string memory what) internal pure {
        if (left != right) revert NotEqual(what, left, right);
    }

    function assertEq(bool left, bool right, string memory what) internal pure {
        assertEq(left ? 1 : 0, right ? 1 : 0, what);
    }
}
