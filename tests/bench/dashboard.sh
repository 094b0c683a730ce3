#!/usr/bin/env bash
# Issue 6: GET /api/dashboard?year=2020 straight to kc-dashboard (a Cookie
# header makes nginx bypass its micro-cache) and through the micro-cache,
# each beside nginx serving a static file of the same size, in the same
# run. Prints requests/s, p99 and the ratios. Needs a running stack
# (KC_URL, KC_VAR); loads the sample plan lines (idempotent) so that the
# query sums real rows.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
echo "== dashboard"
n=$("$top/sql/instance.sh" client kc -N -B -e "SELECT COUNT(*) FROM activity WHERE year = 2020")
[ "$n" -gt 0 ] || bash "$top/nginx/stack.sh" demo >/dev/null
url="$KC_URL/api/dashboard?year=2020"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
[ "$code" = 200 ] || { echo "  $url answered $code"; exit 1; }
static=$(static_like dashboard-2020.json "$url")
size=$(wc -c <"$KC_VAR/bench/dashboard-2020.json")
bench "static file ($size bytes)" "$static"; s_rps=$RPS; s_p99=$P99
bench "dashboard 2020, uncached (Cookie: bypass)" "$url" -H "Cookie: kc_bench=1"; u_rps=$RPS; u_p99=$P99
bench "static file ($size bytes), again" "$static"; s2_rps=$RPS
bench "dashboard 2020, micro-cached" "$url"; c_rps=$RPS; c_p99=$P99
base=$(awk -v a="$s_rps" -v b="$s2_rps" 'BEGIN { print (a + b) / 2 }')
echo "  static baseline (mean of two runs): $base req/s, p99 $s_p99 ms"
echo "  ratio uncached/static: $(ratio "$u_rps" "$base")   (target >= 0.12; p99 $u_p99 ms, target < 10)"
echo "  ratio cached/static:   $(ratio "$c_rps" "$base")   (target >= 0.80; p99 $c_p99 ms, target < 10)"
