#!/usr/bin/env bash
# make cluster-bench (issue 22): throughput of the cluster with nginx
# balancing over both application nodes against the same nginx sending
# everything to application node 1 alone (a second server on PORT+15,
# KC_ONE_NODE_PORT: nginx/stack.sh), the same loads in interleaved rounds:
# reads (GET /api/dashboard, uncached: a cookie bypasses the micro-cache)
# and writes (POST /api/applications, a new facility each). For
# information only: on 2 shared cores a second application node has no
# cores of its own, so nothing can scale here and nothing is asserted.
# A cluster of its own in var/cluster-bench on CLUSTER_PORT (stopped at the
# end); CLUSTER_BENCH_ROUNDS (3) rounds of BENCH_SECONDS (5) each.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
export KC_CLUSTER_VAR=${KC_CLUSTER_BENCH_VAR:-$top/var/cluster-bench}
export PORT=${CLUSTER_PORT:-18070}
export KC_ONE_NODE_PORT=$((PORT + 15))
export KC_URL=http://127.0.0.1:$PORT
export KC_BIN=$top/build KC_DEMO=1 KC_LOG_QUIET=1
export KC_APPLY_RATE=1000000r/m KC_APPLY_BURST=100000
export KC_LOGIN_RATE=1000000r/m KC_LOGIN_BURST=100000
export KC_VAR=$KC_CLUSTER_VAR
export BENCH_SECONDS=${BENCH_SECONDS:-5} BENCH_WARMUP=${BENCH_WARMUP:-1}
ROUNDS=${CLUSTER_BENCH_ROUNDS:-3}
. tests/bench/lib.sh
both=http://127.0.0.1:$PORT
one=http://127.0.0.1:$KC_ONE_NODE_PORT

bash nginx/cluster.sh stop >/dev/null 2>&1
rm -rf "$KC_CLUSTER_VAR"
work=$(mktemp -d)
trap 'bash nginx/cluster.sh stop >/dev/null 2>&1; rm -rf "$work"; [ "${CLUSTER_TEST_KEEP:-0}" = 1 ] || rm -rf "$KC_CLUSTER_VAR"' EXIT
bash nginx/cluster.sh start >"$top/var/cluster-bench.start.log" 2>&1 ||
	{ echo "cluster-bench: the cluster did not start, see var/cluster-bench.start.log"; exit 1; }

sql() { bash nginx/cluster.sh db 1 client kc -N -B -e "$1"; }
call=$(sql "INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
	VALUES (YEAR(UTC_TIMESTAMP()), 'trade_fair', 'Đo tải cụm (cluster-bench)',
	    UTC_TIMESTAMP() - INTERVAL 1 DAY, UTC_TIMESTAMP() + INTERVAL 1 DAY, 100000000);
	SELECT LAST_INSERT_ID();" | tail -1)
unit=$(bench_unit "$both") || exit 1
post_lua() { register_lua "$call" "$unit" "cụm-$1"; }	# post_lua TAG
post() {	# post NAME URL TAG: a row; sets RPS P99 P50 ERR
	post_lua "$3-w" >"$work/w.lua"
	post_lua "$3" >"$work/p.lua"
	wrk -t2 -c"$BENCH_CONNS" -d"${BENCH_WARMUP}s" -s "$work/w.lua" "$2/api/applications" >/dev/null 2>&1
	read -r _ RPS P99 P50 ERR _ <<<"$(wrk -t2 -c"$BENCH_CONNS" -d"${BENCH_SECONDS}s" --latency \
		-s "$work/p.lua" "$2/api/applications" 2>&1 | grep '^RESULT')"
	printf '  %-44s %10s req/s   p50 %7s ms   p99 %7s ms   errors %s\n' "$1" "$RPS" "$P50" "$P99" "$ERR"
}

echo "cluster-bench: for information: 2 cores, cannot scale here — two application nodes"
echo "  share the same 2 cores (and the three database nodes); nothing is asserted."
echo "  wrk ${BENCH_SECONDS}s x $BENCH_CONNS connections, $ROUNDS interleaved rounds, $(date -u +%FT%TZ)"
r2=() r1=() w2=() w1=()
for r in $(seq 1 "$ROUNDS"); do
	echo "  round $r of $ROUNDS"
	bench "GET /api/dashboard, uncached, 2 app nodes" "$both/api/dashboard?year=2020" -H 'Cookie: b=1'; r2+=("$RPS")
	bench "GET /api/dashboard, uncached, 1 app node" "$one/api/dashboard?year=2020" -H 'Cookie: b=1'; r1+=("$RPS")
	post "POST /api/applications, 2 app nodes" "$both" "r$r-2"; w2+=("$RPS")
	post "POST /api/applications, 1 app node" "$one" "r$r-1"; w1+=("$RPS")
done
m2=$(median "${r2[@]}") m1=$(median "${r1[@]}") n2=$(median "${w2[@]}") n1=$(median "${w1[@]}")
echo "  medians (for information: 2 cores, cannot scale here):"
echo "  reads  2 app nodes $m2 req/s, 1 app node $m1 req/s: ratio 2/1 $(ratio "$m2" "$m1")"
echo "  writes 2 app nodes $n2 req/s, 1 app node $n1 req/s: ratio 2/1 $(ratio "$n2" "$n1")"
echo "  applications stored: $(sql "SELECT COUNT(*) FROM application WHERE call_id = $call")"
