#!/usr/bin/env bash
# Install the front-end libraries from npm (versions pinned in
# package-lock.json) and copy what the pages load into public/vendor/.
# Nothing is loaded from a CDN at run time.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/chart.js ] || npm ci --no-audit --no-fund --loglevel=error
mkdir -p vendor
cp node_modules/chart.js/dist/chart.umd.min.js vendor/chart.umd.min.js
