#!/usr/bin/env bash
# Install the front-end libraries from npm (versions pinned in
# package-lock.json) and copy what the pages load into public/vendor/.
# Nothing is loaded from a CDN at run time.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/chart.js ] || npm ci --no-audit --no-fund --loglevel=error
mkdir -p vendor
# Replaced in one step, and only when it changed: a suite running beside
# this one may be serving the file at this moment.
src=node_modules/chart.js/dist/chart.umd.min.js dst=vendor/chart.umd.min.js
cmp -s "$src" "$dst" || { cp "$src" "$dst.$$" && mv -f "$dst.$$" "$dst"; }
