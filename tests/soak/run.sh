#!/usr/bin/env bash
# make soak: memory, two ways.
# 1. valgrind memcheck over one worker of each program while the HTTP test
#    suite runs against them: errors and definite leaks per program.
# 2. A mixed load for SOAK_SECONDS (default 600) sampling every worker's
#    RSS every 10 s: growth after warm-up (the first sixth) per program.
# A program without a valgrind log or without RSS samples is a failure:
# it was not checked.
set -uo pipefail
source "$(dirname "$0")/../stack-env.sh"
stack_env soak 18094
SOAK=${SOAK_SECONDS:-600}
OUT=$top/tests/out/soak
export KC_TEST_OUT=$OUT
rm -rf "$OUT"; mkdir -p "$OUT"
PROGRAMS="kc-dashboard kc-products kc-register kc-staff kc-imports"
status=0
[ -x /usr/bin/valgrind ] ||
	{ echo "soak: valgrind is not installed (make soak installs it: bash cgi/deps.sh soak)" >&2; exit 1; }
trap 'bash nginx/stack.sh stop >/dev/null 2>&1' EXIT

echo "== valgrind memcheck: one worker per program under the HTTP tests"
bash nginx/stack.sh stop >/dev/null 2>&1
rm -rf "$KC_VAR"
mkdir -p "$KC_VAR/log"
KC_WORKERS=1 KC_DB_READ_TIMEOUT=30 \
KC_WRAP="/usr/bin/valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --track-origins=no --log-file=$KC_VAR/log/valgrind-%p.log" \
	bash nginx/stack.sh start >"$OUT/stack-valgrind.log" 2>&1 || { cat "$OUT/stack-valgrind.log"; exit 1; }
for f in tests/http/*.test.mjs; do
	node --test --test-reporter=tap "$f" >"$OUT/valgrind-$(basename "$f" .test.mjs).tap" 2>&1
	printf '   %-36s %s\n' "$(basename "$f")" "$(grep -E '^# (pass|fail) ' "$OUT/valgrind-$(basename "$f" .test.mjs).tap" | tr '\n' ' ')"
done
bash nginx/stack.sh stop >/dev/null 2>&1
sleep 1
printf '   %-14s %8s %8s %14s\n' program workers errors "definitely lost"
for p in $PROGRAMS; do
	logs=$(grep -l "$top/build/$p" "$KC_VAR"/log/valgrind-*.log 2>/dev/null)
	[ -n "$logs" ] || { printf '   %-14s %8s  FAILED: no valgrind log\n' "$p" 0; status=1; continue; }
	n=0 errs=0 lost=0 incomplete=0
	for l in $logs; do
		n=$((n + 1))
		e=$(grep -oE 'ERROR SUMMARY: [0-9,]+' "$l" | grep -oE '[0-9,]+$' | tr -d ,)
		d=$(grep -oE 'definitely lost: [0-9,]+ bytes' "$l" | grep -oE '[0-9,]+' | head -1 | tr -d ,)
		[ -n "$e" ] || incomplete=$((incomplete + 1))
		errs=$((errs + ${e:-0})); lost=$((lost + ${d:-0}))
	done
	printf '   %-14s %8s %8s %12s B%s\n' "$p" "$n" "$errs" "$lost" "$([ $incomplete -gt 0 ] && echo "  ($incomplete without a summary: killed)")"
	[ "$errs" -eq 0 ] && [ "$lost" -eq 0 ] || status=1
done

echo "== RSS under a ${SOAK}s mixed load (4 workers per program)"
rm -rf "$KC_VAR"
KC_WORKERS=4 bash nginx/stack.sh start >"$OUT/stack-soak.log" 2>&1 || { cat "$OUT/stack-soak.log"; exit 1; }
# A call of our own, open and without a capacity: every application is
# accepted (a full sample call would answer 409 to most of them).
export CALL_ID=$(sql/instance.sh client kc -N -B -e "INSERT INTO support_call
	(year, kind, title, opens_at, closes_at, max_support_vnd) VALUES
	(YEAR(UTC_TIMESTAMP()), 'trade_fair', 'Đợt thử tải (soak)', UTC_TIMESTAMP() - INTERVAL 1 DAY,
	UTC_TIMESTAMP() + INTERVAL 30 DAY, 100000000); SELECT LAST_INSERT_ID()" | tail -1)
wrk -t2 -c16 -d"${SOAK}s" -s tests/soak/mixed.lua "$KC_URL" >"$OUT/wrk.txt" 2>&1 &
wrkpid=$!
samples=$OUT/rss.tsv
: >"$samples"
start=$(date +%s)
while kill -0 "$wrkpid" 2>/dev/null; do
	t=$(( $(date +%s) - start ))
	for p in $PROGRAMS; do
		sup=$(cat "$KC_VAR/run/$p.pid" 2>/dev/null) || continue
		for w in $(pgrep -P "$sup"); do
			printf '%s\t%s\t%s\t%s\n' "$t" "$p" "$w" "$(awk '/^VmRSS/{print $2}' /proc/$w/status 2>/dev/null)" >>"$samples"
		done
	done
	sleep 10
done
wait "$wrkpid"
grep -E 'Requests/sec|requests in|Non-2xx|Socket errors' "$OUT/wrk.txt" | sed 's/^/   /'
warm=$((SOAK / 6))
printf '   %-14s %10s %10s %8s\n' program "RSS@warm" "RSS@end" growth
for p in $PROGRAMS; do
	awk -F'\t' -v p="$p" -v warm="$warm" '
		$2 == p && $4 != "" {
			if (!($3 in first) && $1 >= warm) first[$3] = $4
			last[$3] = $4
		}
		END {
			for (w in first) { a += first[w]; b += last[w]; n++ }
			if (n == 0) { printf "   %-14s %10s  FAILED\n", p, "no samples"; exit 1 }
			g = (b - a) * 100 / a
			printf "   %-14s %8d kB %8d kB %7.1f%%\n", p, a / n, b / n, g
			if (g >= 10) exit 1
		}' "$samples" || status=1
done
exit $status
