#!/usr/bin/env bash
# Installs everything grader needs on a fresh Debian machine (as root) and starts its services.
# Idempotent: safe to run again. Used by `make examples`, `make test` and CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1

# --- system packages -------------------------------------------------------------------------
apt_packages=()
command -v bwrap >/dev/null || apt_packages+=(bubblewrap)
command -v chromium >/dev/null || apt_packages+=(chromium)  # the report tests drive it (Playwright)
if [ ${#apt_packages[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

# --- python packages -------------------------------------------------------------------------
python3 -m pip install -q -e ".[dev]"

# --- services --------------------------------------------------------------------------------
