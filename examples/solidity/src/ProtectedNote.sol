// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IDrawdownVault} from "keel/abi/IDrawdownVault.sol";
import {IRiskOracle} from "keel/abi/IRiskOracle.sol";
import {IERC20} from "./IERC20.sol";

/// @title ProtectedNote
/// @notice A structured product over Keel's DrawdownVault: holders buy notes with the vault's
/// quote token, the note deposits the quote into the vault and books one note per vault share
/// it received, and holders exit through the vault's `redeem`. The vault caps its drawdown
/// from the high-water mark in code, so a note's worst case is known in advance: `report`
/// gives holders the mark, the live drawdown and the cap.
///
/// The note adds risk only when Keel's RiskOracle says it is safe to: it refuses new money
/// while the sequencer is down or inside its grace period, or while the price of the vault's
/// market is invalid (the vault would then value deposits at a stale mark). Exits are never
/// refused by the note; only the vault's own limits apply to them.
///
/// Notes are not transferable: the note contract holds every vault share, and `notesOf` is
/// each holder's claim on them.
contract ProtectedNote {
    IDrawdownVault public immutable vault;
    IERC20 public immutable quote;
    /// The vault's RiskOracle and its market's asset there, read from the vault once.
    IRiskOracle public immutable oracle;
    address public immutable asset;

    /// Notes per holder, each one vault share held by this contract.
    mapping(address => uint256) public notesOf;
    uint256 public totalNotes;

    /// The sequencer is down or was restarted less than the grace period ago.
    error SequencerUnsafe(bool isUp, uint256 since);
    /// The price of the vault's market failed the oracle's guard (`status` as in `priceData`).
    error PriceInvalid(uint8 status);
    /// A deposit or redemption of zero.
    error ZeroAmount();
    /// `holder` has `notes` notes and tried to redeem `needed`.
    error InsufficientNotes(address holder, uint256 notes, uint256 needed);
    /// The vault gave `got`, less than the `min` the caller accepted.
    error Slippage(uint256 got, uint256 min);
    /// A token call returned `false`.
    error TokenCallFailed(address token);

    /// `holder` paid `assets` quote for `notes` new notes.
    event Deposited(address indexed holder, uint256 assets, uint256 notes);
    /// `holder` redeemed `notes` notes for `assets` quote sent to `receiver`.
    event Redeemed(address indexed holder, address indexed receiver, uint256 notes, uint256 assets);

    constructor(IDrawdownVault vault_) {
        vault = vault_;
        quote = IERC20(vault_.asset());
        uint256[14] memory state = _state(vault_);
        oracle = IRiskOracle(address(uint160(state[1])));
        asset = address(uint160(state[3]));
    }

    /// @notice Pays `assets` quote (approved to this contract) into the vault and books the
    /// shares it mints as the caller's notes; reverts if fewer than `minNotes`, or while adding
    /// risk is unsafe (sequencer) or the market's price is invalid.
    function deposit(uint256 assets, uint256 minNotes) external returns (uint256 notes) {
        if (assets == 0) revert ZeroAmount();
        (bool isUp, bool safeToAddRisk, uint256 since) = oracle.sequencerStatus();
        if (!safeToAddRisk) revert SequencerUnsafe(isUp, since);
        (, bool isValid,, uint8 status) = oracle.priceData(asset);
        if (!isValid) revert PriceInvalid(status);

        _check(address(quote), quote.transferFrom(msg.sender, address(this), assets));
        _check(address(quote), quote.approve(address(vault), assets));
        notes = vault.deposit(assets, address(this));
        if (notes < minNotes) revert Slippage(notes, minNotes);
        notesOf[msg.sender] += notes;
        totalNotes += notes;
        emit Deposited(msg.sender, assets, notes);
    }

    /// @notice Redeems `notes` of the caller's notes through the vault's `redeem`, the quote
    /// going straight to `receiver`; reverts if it pays less than `minAssets`.
    function redeem(uint256 notes, uint256 minAssets, address receiver) external returns (uint256 assets) {
        if (notes == 0) revert ZeroAmount();
        uint256 held = notesOf[msg.sender];
        if (notes > held) revert InsufficientNotes(msg.sender, held, notes);
        notesOf[msg.sender] = held - notes;
        totalNotes -= notes;
        assets = vault.redeem(notes, receiver, address(this));
        if (assets < minAssets) revert Slippage(assets, minAssets);
        emit Redeemed(msg.sender, receiver, notes, assets);
    }

    /// @notice What a holder's notes are worth and how far they can fall: `value` is what
    /// redeeming them all would pay now (the vault's `previewRedeem`, quote units);
    /// `navPerShare` and `highWaterMark` are WAD quote per share, `drawdown` the live fall from
    /// the mark and `maxDrawdown` the vault's hard cap (WAD fractions); `halted` is true once
    /// the cap was hit and the vault went to cash.
    function report(address holder)
        external
        view
        returns (
            uint256 notes,
            uint256 value,
            uint256 navPerShare,
            uint256 highWaterMark,
            uint256 drawdown,
            uint256 maxDrawdown,
            bool halted
        )
    {
        notes = notesOf[holder];
        value = notes == 0 ? 0 : vault.previewRedeem(notes);
        navPerShare = vault.navPerShare();
        highWaterMark = vault.highWaterMark();
        drawdown = vault.drawdown();
        (maxDrawdown,,,,,,,,,) = vault.params();
        halted = _state(vault)[9] != 0;
    }

    /// `vault.state()`, its fourteen static words as they come (oracle at 1, market asset at 3,
    /// halted at 9): decoded into named values they would not fit on the EVM stack.
    function _state(IDrawdownVault vault_) private view returns (uint256[14] memory) {
        (bool ok, bytes memory data) = address(vault_).staticcall(abi.encodeCall(IDrawdownVault.state, ()));
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(data, 32), mload(data))
            }
        }
        return abi.decode(data, (uint256[14]));
    }

    function _check(address token, bool ok) private pure {
        if (!ok) revert TokenCallFailed(token);
    }
}
