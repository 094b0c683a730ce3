#!/usr/bin/env bash
# Issue 6: GET /api/dashboard?year=2020 straight to kc-dashboard (a Cookie
# header makes nginx bypass its micro-cache) and through the micro-cache,
# each beside nginx serving a static file of the same size, in the same
# run, in interleaved rounds. Prints requests/s, p99 and the ratios, the
# targets read on each row's median over the rounds. Needs a running stack
# (KC_URL, KC_VAR); loads the sample plan lines (idempotent) so that the
# query sums real rows. Each worker keeps the dashboard it built for a
# year while the year's version stays the same (migration 012), so the
# uncached run measures what a reader meets between two changes; a third
# run asks for twelve years in turn, more than a worker keeps, so that
# every request builds its dashboard from the summary tables again.
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
# The yardstick the issue names: a bare libfcgi + Connector/C + json-c
# program, one primary-key lookup, a small body (run.sh starts it).
bare="$KC_URL/_bench/bare?year=2020"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Cookie: kc_bench=1' "$bare")" = 200 ] || bare=
# BENCH_ROUNDS rounds (default 3), each row in turn within a round, so
# that a slow spell of the machine falls on every row alike; the figures
# compared with the targets are each row's median over the rounds.
rounds=${BENCH_ROUNDS:-3}
s_r=() u_r=() u_p=() b0_r=() b0_p=() c_r=() c_p=()
for r in $(seq 1 "$rounds"); do
	echo "  round $r of $rounds"
	bench "static file ($size bytes)" "$static"; s_r+=("$RPS")
	bench "dashboard 2020, uncached (Cookie: bypass)" "$url" -H "Cookie: kc_bench=1"; u_r+=("$RPS"); u_p+=("$P99")
	if [ -n "$bare" ]; then
		bench "bare libfcgi program, one indexed query" "$bare" -H "Cookie: kc_bench=1"; b0_r+=("$RPS"); b0_p+=("$P99")
	fi
	bench "dashboard 2020, micro-cached" "$url"; c_r+=("$RPS"); c_p+=("$P99")
done
# Twelve more plan years with 2020's content areas and activities.
"$top/sql/instance.sh" client kc -e "
	INSERT IGNORE INTO plan (year, title, total_vnd, status)
	    SELECT 2900 + n, CONCAT('Bench ', 2900 + n), total_vnd, 'published' FROM plan,
	    (SELECT 1 n UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6
	     UNION SELECT 7 UNION SELECT 8 UNION SELECT 9 UNION SELECT 10 UNION SELECT 11 UNION SELECT 12) y
	    WHERE year = 2020;
	INSERT IGNORE INTO plan_content (year, code, title)
	    SELECT p.year, c.code, c.title FROM plan_content c JOIN plan p ON p.year > 2900 WHERE c.year = 2020;
	INSERT INTO activity (year, content_code, title, unit_name, planned_vnd, target, status, progress)
	    SELECT p.year, a.content_code, a.title, a.unit_name, a.planned_vnd, a.target, a.status, a.progress
	    FROM activity a JOIN plan p ON p.year > 2900
	    WHERE a.year = 2020 AND NOT EXISTS (SELECT 1 FROM activity b WHERE b.year = p.year);"
cat >"$KC_VAR/bench/years.lua" <<'LUA'
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/dashboard?year=" .. (2901 + i % 12), { Cookie = "kc_bench=1" })
end
LUA
cat "$(dirname "$0")/report.lua" >>"$KC_VAR/bench/years.lua"
bench "dashboard, 12 years in turn (builds each)" "$url" -s "$KC_VAR/bench/years.lua"; b_rps=$RPS; b_p99=$P99
base=$(median "${s_r[@]}")
u_rps=$(median "${u_r[@]}") u_p99=$(median "${u_p[@]}")
c_rps=$(median "${c_r[@]}") c_p99=$(median "${c_p[@]}")
echo "  medians of $rounds rounds (every round above):"
echo "  static baseline: $base req/s"
echo "  ratio uncached/static: $(ratio "$u_rps" "$base")   (target >= 0.12; p99 $u_p99 ms, target < 10; rounds: ${u_p[*]})"
echo "  ratio cached/static:   $(ratio "$c_rps" "$base")   (target >= 0.80; p99 $c_p99 ms, target < 10; rounds: ${c_p[*]})"
echo "  ratio building every request/static: $(ratio "$b_rps" "$base")   (no target; one run; p99 $b_p99 ms)"
[ -n "$bare" ] && echo "  ratio bare program/static:  $(ratio "$(median "${b0_r[@]}")" "$base")   (the yardstick; p99 $(median "${b0_p[@]}") ms; rounds: ${b0_p[*]})"
true
