# Shared definitions for Keel's scripts; sourced, not run.
# shellcheck shell=bash

set -euo pipefail

KEEL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export KEEL_ROOT

# Stable toolchain for native code (tests, local host); pinned in rust-toolchain.toml.
KEEL_STABLE_TOOLCHAIN="1.95.0"
# Dated nightly used only to build contract .wasm with `-Zbuild-std` and
# immediate-abort panics (see README, "Why a nightly for the wasm build").
KEEL_WASM_TOOLCHAIN="nightly-2026-05-20"
export KEEL_STABLE_TOOLCHAIN KEEL_WASM_TOOLCHAIN

# Where optimised contract binaries land; the local host reads them from here.
KEEL_WASM_DIR="${KEEL_WASM_DIR:-$KEEL_ROOT/target/wasm}"
export KEEL_WASM_DIR

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
