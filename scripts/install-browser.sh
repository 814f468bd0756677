#!/usr/bin/env bash
# Install Debian's headless-capable chromium for the browser tests (tests/test_browser.py).
# Playwright drives it through executable_path=/usr/bin/chromium; `playwright install` is never used.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    echo "chromium already installed: $(command -v chromium)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO dpkg --configure -a  # finish an install an earlier run left half done (harmless otherwise)
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-noto-core
command -v chromium
