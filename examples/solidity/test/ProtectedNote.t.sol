// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IDrawdownVault} from "keel/abi/IDrawdownVault.sol";
import {ProtectedNote} from "../src/ProtectedNote.sol";
import {MockDrawdownVault, MockERC20, MockRiskOracle} from "./mocks/Mocks.sol";
import {TestBase} from "./Vm.sol";

contract ProtectedNoteTest is TestBase {
    address constant WETH = address(0xE7F);
    address constant ALICE = address(0xA11CE);
    address constant BOB = address(0xB0B);

    MockERC20 quote;
    MockRiskOracle oracle;
    MockDrawdownVault vault;
    ProtectedNote note;

    function setUp() public {
        quote = new MockERC20();
        oracle = new MockRiskOracle();
        oracle.setPrice(3_000e18, true, 0);
        vault = new MockDrawdownVault(quote, address(oracle), WETH);
        note = new ProtectedNote(IDrawdownVault(address(vault)));
        quote.mint(ALICE, 10_000e18);
        vm.prank(ALICE);
        quote.approve(address(note), type(uint256).max);
    }

    function deposit(uint256 assets) internal returns (uint256) {
        vm.prank(ALICE);
        return note.deposit(assets, 0);
    }

    function testReadsTheOracleAndAssetFromTheVault() public view {
        assertEq(uint160(address(note.oracle())), uint160(address(oracle)), "oracle");
        assertEq(uint160(note.asset()), uint160(WETH), "asset");
        assertEq(uint160(address(note.quote())), uint160(address(quote)), "quote");
    }

    function testDepositBooksTheVaultSharesAsNotes() public {
        vault.setMarks(1.25e18, 1.25e18, 0, false);
        uint256 notes = deposit(1_000e18);
        assertEq(notes, 800e18, "notes at NAV 1.25");
        assertEq(note.notesOf(ALICE), 800e18, "holder's notes");
        assertEq(note.totalNotes(), 800e18, "total notes");
        assertEq(vault.balanceOf(address(note)), 800e18, "shares held by the note");
        assertEq(quote.balanceOf(address(vault)), 1_000e18, "quote in the vault");
        assertEq(quote.balanceOf(ALICE), 9_000e18, "quote paid");
        assertEq(quote.balanceOf(address(note)), 0, "nothing left in the note");
    }

    function testRefusesDepositsWhileTheSequencerIsUnsafe() public {
        oracle.setSequencer(true, false);
        vm.expectRevert(abi.encodeWithSelector(ProtectedNote.SequencerUnsafe.selector, true, 0));
        deposit(1e18);
    }

    function testRefusesDepositsOnAnInvalidPrice() public {
        oracle.setPrice(3_000e18, false, 6);
        vm.expectRevert(abi.encodeWithSelector(ProtectedNote.PriceInvalid.selector, uint8(6)));
        deposit(1e18);
    }

    function testRefusesZeroAndEnforcesMinimums() public {
        vm.expectRevert(abi.encodeWithSelector(ProtectedNote.ZeroAmount.selector));
        deposit(0);
        vault.setMarks(2e18, 2e18, 0, false);
        vm.expectRevert(abi.encodeWithSelector(ProtectedNote.Slippage.selector, 50e18, 100e18));
        vm.prank(ALICE);
        note.deposit(100e18, 100e18);
        deposit(100e18);
        vm.expectRevert(abi.encodeWithSelector(ProtectedNote.Slippage.selector, 100e18, 101e18));
        vm.prank(ALICE);
        note.redeem(50e18, 101e18, ALICE);
    }

    function testRedeemsThroughTheVaultToTheReceiver() public {
        deposit(1_000e18);
        vault.setMarks(1.1e18, 1.1e18, 0, false);
        quote.mint(address(vault), 100e18); // the vault's gain
        vm.prank(ALICE);
        uint256 assets = note.redeem(400e18, 440e18, BOB);
        assertEq(assets, 440e18, "assets at NAV 1.1");
        assertEq(quote.balanceOf(BOB), 440e18, "paid to the receiver");
        assertEq(note.notesOf(ALICE), 600e18, "notes left");
        assertEq(note.totalNotes(), 600e18, "total notes");
        assertEq(vault.balanceOf(address(note)), 600e18, "shares burnt");
    }

    function testExitsStayOpenWhileDepositsAreRefused() public {
        deposit(1_000e18);
        oracle.setSequencer(false, false);
        oracle.setPrice(3_000e18, false, 6);
        vm.prank(ALICE);
        assertEq(note.redeem(1_000e18, 0, ALICE), 1_000e18, "full exit");
        assertEq(quote.balanceOf(ALICE), 10_000e18, "all quote back");
    }

    function testCannotRedeemAnotherHoldersNotes() public {
        deposit(1_000e18);
        vm.expectRevert(abi.encodeWithSelector(ProtectedNote.InsufficientNotes.selector, BOB, 0, 1e18));
        vm.prank(BOB);
        note.redeem(1e18, 0, BOB);
        vm.expectRevert(abi.encodeWithSelector(ProtectedNote.InsufficientNotes.selector, ALICE, 1_000e18, 1_000e18 + 1));
        vm.prank(ALICE);
        note.redeem(1_000e18 + 1, 0, ALICE);
    }

    function testReportsTheVaultsMarkDrawdownAndCap() public {
        deposit(1_000e18);
        vault.setMarks(0.9e18, 1e18, 0.1e18, false);
        (uint256 notes, uint256 value, uint256 nav, uint256 hwm, uint256 dd, uint256 maxDd, bool halted) =
            note.report(ALICE);
        assertEq(notes, 1_000e18, "notes");
        assertEq(value, 900e18, "value at NAV 0.9");
        assertEq(nav, 0.9e18, "nav per share");
        assertEq(hwm, 1e18, "high-water mark");
        assertEq(dd, 0.1e18, "drawdown");
        assertEq(maxDd, 0.2e18, "cap");
        assertEq(halted, false, "not halted");
        vault.setMarks(0.8e18, 1e18, 0.2e18, true);
        (,,,,,, halted) = note.report(ALICE);
        assertEq(halted, true, "halted at the cap");
        (notes, value,,,,,) = note.report(BOB);
        assertEq(notes + value, 0, "no notes, no value");
    }
}
