#!/usr/bin/env bash
# make bench: a private stack of its own (var/bench, port 18090, the
# optimised build), then every tests/bench/<area>.sh against it. Figures
# are printed with ratios to a baseline measured in the same run; nothing
# here asserts a time.
set -uo pipefail
source "$(dirname "$0")/../stack-env.sh"
stack_env bench 18090
export KC_WORKERS=${KC_WORKERS:-4}
# Info lines logged: the catalogue's build times, warm_workers (lib.sh).
export KC_LOG_QUIET=0
# A fresh instance each run, so that every run measures the same data.
stack_fresh bench
# The yardstick (tests/bench/bare.c): as many workers as the programs, on
# the socket nginx's #dev location /_bench/bare passes to.
rm -f "$KC_VAR/run/kc-bare.sock"
spawn-fcgi -s "$KC_VAR/run/kc-bare.sock" -n -- /usr/bin/multiwatch -f "$KC_WORKERS" -- \
	"$top/build/bench-bare" </dev/null >>"$KC_VAR/log/kc-bare.log" 2>&1 &
bare_pid=$!
trap 'kill "$bare_pid" 2>/dev/null; bash nginx/stack.sh stop >/dev/null 2>&1' EXIT
echo "khuyencong benchmarks — $(nproc) cores, wrk ${BENCH_SECONDS:-10}s x ${BENCH_CONNS:-32} connections, $(date -u +%FT%TZ)"
for b in tests/bench/health.sh tests/bench/*.sh; do
	case $b in */run.sh | */lib.sh | */import.sh) continue ;; esac
	[ "$b" = tests/bench/health.sh ] && [ -n "${done_health:-}" ] && continue
	bash "$b" || echo "bench: $b failed"
	[ "$b" = tests/bench/health.sh ] && done_health=1
done
