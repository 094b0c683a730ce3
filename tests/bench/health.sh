#!/usr/bin/env bash
# Foundation: nginx serving a static file vs GET /api/health (one program,
# one database round trip), in the same run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
echo "== health"
static=$(static_like health.json "$KC_URL/api/health")
bench "static file ($(wc -c <"$KC_VAR/bench/health.json") bytes)" "$static"; s_rps=$RPS
bench "GET /api/health" "$KC_URL/api/health"; h_rps=$RPS
echo "  ratio health/static: $(ratio "$h_rps" "$s_rps")"
