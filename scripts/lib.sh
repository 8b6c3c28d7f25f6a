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

# Path of forge, anvil or cast: the platform binary of the npm package scripts/setup
# installs (the packages' own launchers in node_modules/.bin lose the tool's exit status).
foundry_tool() {
  local platform
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) platform=linux-amd64 ;;
    Linux-aarch64) platform=linux-arm64 ;;
    Darwin-x86_64) platform=darwin-amd64 ;;
    Darwin-arm64) platform=darwin-arm64 ;;
    *) echo "no $1 binary for $(uname -s) $(uname -m)" >&2; return 1 ;;
  esac
  echo "$KEEL_ROOT/node_modules/@foundry-rs/$1-$platform/bin/$1"
}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
