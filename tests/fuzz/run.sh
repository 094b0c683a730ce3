#!/usr/bin/env bash
# make fuzz: build each libFuzzer target (clang, fuzzer + ASan + UBSan;
# the Makefile's build-fuzz/ rules, with its one list of library sources)
# and run it for FUZZ_SECONDS (default 60) from a seed corpus made of the
# test fixtures; print executions and crashes per target. A crash input is
# kept in tests/out/fuzz/<target>/ to become a regression test.
# FUZZ_OUT and FUZZ_BUILD move the output and the binaries elsewhere
# (tests/run.sh: per state folder, so that suites side by side do not
# overwrite each other's binaries while they run).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
SECS=${FUZZ_SECONDS:-60}
OUT=${FUZZ_OUT:-$top/tests/out/fuzz}
B=${FUZZ_BUILD:-$top/build-fuzz}
mkdir -p "$B" "$OUT"
seed() {	# seed TARGET DIR: the corpus to start from
	local t=$1 d=$2
	mkdir -p "$d"
	case $t in
	fuzz_import) cp tests/fixtures/import/*.csv "$d/" 2>/dev/null ;;
	fuzz_form) printf 'year=2020&q=k%%E1%%BA%%B9o&facility%%5Bname%%5D=C%%C6%%A1&products=a&products=b&date=2020-02-29&on=1' >"$d/1"; printf 'page=2&per_page=500&note=a%%0Ab' >"$d/2" ;;
	fuzz_json) printf '{"call_id":1,"facility":{"name":"Cơ sở","unit_code":"436"},"products":["Kẹo"],"requested_vnd":5000000,"note":"x","date":"2020-01-01"}' >"$d/1" ;;
	fuzz_text) printf 'Kẹo cu đơ' >"$d/1"; printf 'Ke\xcc\xa3o cu \xc4\x91o\xcc\x9b' >"$d/2"; printf 'M\xe1\xba\xaeM  \xc2\xa0 m\xc3\xa2m' >"$d/3" ;;
	esac
}
total_crash=0
printf '%-14s %12s %8s %s\n' target executions crashes note
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	make -s --no-print-directory "build-fuzz/$t" >"$OUT/$t.build.log" 2>&1 ||
		{ echo "$t: build failed"; cat "$OUT/$t.build.log"; total_crash=$((total_crash + 1)); continue; }
	# A copy of its own in FUZZ_BUILD, put in place in one step.
	if [ "$B" != "$top/build-fuzz" ]; then
		cp "build-fuzz/$t" "$B/$t.new" && mv -f "$B/$t.new" "$B/$t"
	fi
	corpus=$B/corpus-$t
	seed "$t" "$corpus"
	mkdir -p "$OUT/$t"
	"$B/$t" -max_total_time="$SECS" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$OUT/$t/" "$corpus" >"$OUT/$t.log" 2>&1
	rc=$?
	execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$OUT/$t.log" | grep -oE '[0-9]+$' | tail -1)
	[ -n "$execs" ] || execs=$(grep -oE '#[0-9]+' "$OUT/$t.log" | tail -1 | tr -d '#')
	crashes=$(ls "$OUT/$t" | wc -l)
	note=""
	[ $rc -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1 && note="exit $rc, see $OUT/$t.log"
	[ "$crashes" -gt 0 ] && [ -z "$note" ] && note="inputs in $OUT/$t/"
	printf '%-14s %12s %8s %s\n' "$t" "${execs:-0}" "$crashes" "$note"
	total_crash=$((total_crash + crashes))
done
[ "$total_crash" -eq 0 ]
