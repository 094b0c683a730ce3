#!/usr/bin/env bash
# The whole suite N times in a row (default 5), to show that it gives the
# same answer every time. Each run is tests/run.sh as `make test` runs it
# (same TEST_PORT, KC_TEST_VAR...), with its logs and TAP files kept in
# tests/out/repeat-<state folder>/<run>/. Prints each run's result line,
# then which tests failed in how many runs; exits non-zero if any run
# failed. `make test-repeat N=5` builds first, then runs this.
#
#   bash tests/repeat.sh [N]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
n=${1:-5}
case $n in '' | *[!0-9]* | 0) echo "usage: $0 [N>0]" >&2; exit 2 ;; esac
var=${KC_TEST_VAR:-$top/var/test}
base=$top/tests/out/repeat-$(basename "$var")
rm -rf "$base"; mkdir -p "$base"
bad=0
declare -A times=()
for i in $(seq 1 "$n"); do
	out=$base/$i
	t0=$(date +%s)
	KC_TEST_OUT=$out bash tests/run.sh >"$base/$i.log" 2>&1
	rc=$?
	last=$(tail -1 "$base/$i.log")
	echo "run $i/$n ($(( $(date +%s) - t0 )) s): $last"
	if [ $rc -ne 0 ]; then
		bad=$((bad + 1))
		# The names tests/run.sh lists on its "failed:" line.
		for t in $(sed -n 's/^failed: //p' "$base/$i.log"); do
			times[$t]=$(( ${times[$t]:-0} + 1 ))
		done
		grep -E '^not ok|^   [a-z/_-]+: [0-9]+ passed, [1-9]' "$base/$i.log" | sed 's/^/      /'
	fi
done
echo "== $((n - bad)) of $n runs passed (logs in $base)"
for t in "${!times[@]}"; do echo "   $t failed in ${times[$t]} of $n runs"; done
[ "$bad" -eq 0 ]
