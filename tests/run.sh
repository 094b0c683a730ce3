#!/usr/bin/env bash
# The whole test suite: C unit tests (cmocka, sanitizer build), then a
# private stack of its own (MariaDB, the sanitizer-built programs, nginx on
# TEST_PORT) for the HTTP and browser tests, then a check that the
# sanitizers reported nothing. Stops what it started, whatever happens.
# Ends with one line "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export KC_VAR=${KC_TEST_VAR:-$top/var/test}
export PORT=${TEST_PORT:-18080}
export KC_URL=http://127.0.0.1:$PORT
export KC_BIN=$top/build-san
export KC_WORKERS=${KC_TEST_WORKERS:-2}
export KC_LOG_QUIET=1
# The test hook of cgi/lib/clock.c: the workers (and kc-import) read the
# time from this file while it exists (tests/http/clock.test.mjs writes and
# removes it); absent, the real time. Never set in production.
export KC_CLOCK_FILE=$KC_VAR/clock
# Rate limits high enough for the suite; the rate-limit tests lower their own.
export KC_APPLY_RATE=${KC_APPLY_RATE:-6000r/m} KC_APPLY_BURST=${KC_APPLY_BURST:-400}
export KC_LOGIN_RATE=${KC_LOGIN_RATE:-6000r/m} KC_LOGIN_BURST=${KC_LOGIN_BURST:-400}
# Notifications (issue 19): the sender (kc-notify) delivers to the SMTP
# server and the SMS sink that tests/http/notify.test.mjs starts on the two
# ports after PORT, with delays short enough for a test; the messages'
# links point at this stack.
export KC_PUBLIC_URL=$KC_URL KC_MAIL_FROM=khuyencong@test.invalid
export KC_SMTP_URL=smtp://127.0.0.1:$((PORT + 1))
export KC_SMS_URL=http://127.0.0.1:$((PORT + 2))/sms
export KC_SMS_TOKEN_FILE=$top/tests/fixtures/sms-token.txt
export KC_NOTIFY_RETRY_MS=200 KC_NOTIFY_RETRY_MAX_MS=800 KC_NOTIFY_GIVEUP=10
export KC_NOTIFY_CLAIM=3 KC_NOTIFY_POLL_MS=100 KC_NOTIFY_TIMEOUT=2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Output of this run (logs, TAP, screenshots): one folder per state folder,
# so that suites run side by side do not clear each other's.
export KC_TEST_OUT=${KC_TEST_OUT:-$top/tests/out/$(basename "$KC_VAR")}
OUT=$KC_TEST_OUT
pass=0 fail=0
failed=()

count() {	# count NAME PASSED FAILED
	pass=$((pass + $2)); fail=$((fail + $3))
	[ "$3" -gt 0 ] && failed+=("$1")
	return 0
}

rm -rf "$OUT"; mkdir -p "$OUT"

echo "== unit tests (C, sanitizers)"
for t in build-san/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" >"$OUT/$name.log" 2>&1
	rc=$?
	p=$(grep -oE '\[  PASSED  \] [0-9]+' "$OUT/$name.log" | grep -oE '[0-9]+$' | head -1)
	f=$(grep -oE '\[  FAILED  \] [0-9]+' "$OUT/$name.log" | grep -oE '[0-9]+$' | head -1)
	p=${p:-0}; f=${f:-0}
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
	echo "   $name: $p passed, $f failed"
	[ "$f" -gt 0 ] && sed -n '1,40p' "$OUT/$name.log"
	count "$name" "$p" "$f"
done

echo "== sizes (make lint: files 800 lines, functions 80)"
if bash tests/lint/sizes.sh >"$OUT/lint.txt" 2>&1; then
	echo "   $(tail -1 "$OUT/lint.txt")"
	count lint 1 0
else
	sed 's/^/   /' "$OUT/lint.txt"
	count lint 0 1
fi

echo "== fuzzing, briefly (make fuzz runs longer)"
FUZZ_SECONDS=${KC_TEST_FUZZ_SECONDS:-8} FUZZ_OUT=$OUT/fuzz \
	FUZZ_BUILD=$top/build-fuzz/$(basename "$KC_VAR") bash tests/fuzz/run.sh >"$OUT/fuzz.txt" 2>&1
sed 's/^/   /' "$OUT/fuzz.txt"
while read -r t _ c _; do
	case $t in fuzz_*) if [ "$c" = 0 ]; then count "$t" 1 0; else count "$t" 0 1; fi ;; esac
done <"$OUT/fuzz.txt"

echo "== starting the test stack on $KC_URL (state in $KC_VAR)"
bash nginx/stack.sh stop >/dev/null 2>&1
rm -rf "$KC_VAR"
trap 'bash nginx/stack.sh stop >/dev/null 2>&1' EXIT
if ! bash nginx/stack.sh start >"$OUT/stack.log" 2>&1; then
	cat "$OUT/stack.log"
	count stack 0 1
else
	run_node() {	# run_node FILE: one test file, its TAP counts
		local f=$1 name log
		name=$(basename "$f" .test.mjs)
		log=$OUT/$(basename "$(dirname "$f")")-$name.tap
		node --test --test-reporter=tap --test-concurrency=1 "$f" >"$log" 2>&1
		local p f2
		p=$(grep -E '^# pass ' "$log" | awk '{print $3}' | tail -1)
		f2=$(grep -E '^# fail ' "$log" | awk '{print $3}' | tail -1)
		p=${p:-0}; f2=${f2:-1}
		echo "   $(basename "$(dirname "$f")")/$name: $p passed, $f2 failed"
		if [ "$f2" -gt 0 ]; then
			grep -E '^not ok|error:|expected|actual|message' "$log" | head -30
		fi
		count "$name" "$p" "$f2"
	}
	echo "== HTTP tests"
	for f in tests/http/*.test.mjs; do [ -e "$f" ] && run_node "$f"; done
	echo "== browser tests"
	for f in tests/browser/*.test.mjs; do [ -e "$f" ] && run_node "$f"; done
	echo "== fault tests"
	for f in tests/faults/*.test.mjs; do [ -e "$f" ] && run_node "$f"; done
fi

bash nginx/stack.sh stop >/dev/null 2>&1
trap - EXIT
echo "== sanitizer reports in the programs' logs"
if grep -lE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$KC_VAR"/log/*.log 2>/dev/null; then
	grep -hE -A12 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$KC_VAR"/log/*.log | head -60
	count sanitizers 0 1
else
	echo "   none"
	count sanitizers 1 0
fi

[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
