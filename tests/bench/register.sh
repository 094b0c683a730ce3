#!/usr/bin/env bash
# Issue 4: POST /api/applications with a distinct facility per request at
# BENCH_CONNS (32) connections, beside GET /api/health and nginx serving a
# static file as large as the POST's 201 answer, in the same run. Prints
# requests/s, p99 and the ratios; checks that every 201 was stored.
# Needs a running stack (KC_URL, KC_VAR) with high application rate limits
# (tests/bench/run.sh sets KC_APPLY_RATE/KC_APPLY_BURST), else the limiter
# is what gets measured. Target (issue 4): p99 < 50 ms on 2 cores.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
echo "== register"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tag=$(date +%s)-$$
call=$("$top/sql/instance.sh" client kc -N -B -e "
	INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
	VALUES (YEAR(UTC_TIMESTAMP()), 'trade_fair', 'Bench $tag',
	    UTC_TIMESTAMP() - INTERVAL 1 DAY, UTC_TIMESTAMP() + INTERVAL 1 DAY, 100000000);
	SELECT LAST_INSERT_ID();" | tail -1)
unit=$(bench_unit "$KC_URL") || exit 1
register_lua "$call" "$unit" "$tag" >"$work/post.lua"

# The static baseline: as large as a 201 answer.
sample=$(curl -s -H 'Content-Type: application/json' "$KC_URL/api/applications" -d "{\"call_id\":$call,\"facility\":{\"name\":\"Cơ sở đo mẫu $tag\",\"owner_name\":\"Nguyễn Văn Đo\",\"phone\":\"0912345678\",\"address\":\"Thôn 1, xã Đo\",\"unit_code\":\"$unit\",\"kind\":\"household\"},\"requested_vnd\":1000000}")
mkdir -p "$KC_VAR/bench"
printf '%s' "$sample" >"$KC_VAR/bench/register-201.json"
size=$(wc -c <"$KC_VAR/bench/register-201.json")
static=$KC_URL/_bench/register-201.json

count() { "$top/sql/instance.sh" client kc -N -B -e "SELECT COUNT(*) FROM application WHERE call_id = $call"; }
bench "static file ($size bytes)" "$static"; s_rps=$RPS
bench "GET /api/health" "$KC_URL/api/health"; h_rps=$RPS
before=$(count)
out=$(wrk -t2 -c"$BENCH_CONNS" -d"${BENCH_SECONDS}s" --latency -s "$work/post.lua" "$KC_URL/api/applications" 2>&1)
read -r _ RPS P99 P50 ERR REQS <<<"$(grep '^RESULT' <<<"$out")"
printf '  %-44s %10s req/s   p50 %7s ms   p99 %7s ms   errors %s\n' "POST /api/applications (distinct facilities)" "$RPS" "$P50" "$P99" "$ERR"
stored=$(( $(count) - before ))
echo "  applications stored: $stored (wrk counted $REQS answered requests, $ERR not 2xx/3xx)"
echo "  ratio POST/health: $(ratio "$RPS" "$h_rps")   ratio POST/static: $(ratio "$RPS" "$s_rps")"
echo "  p99 $P99 ms (target < 50 ms): $(awk -v p="$P99" 'BEGIN { print (p < 50 ? "met" : "NOT met") }')"
