#!/usr/bin/env bash
# Issues 3 and 20: GET /api/products answered from the catalogue each
# kc-products worker keeps in memory, over a catalogue of BENCH_PRODUCTS
# products (default 200,000; BENCH_PRODUCTS_BIG=1: 1,000,000), made with
# kc-import if fewer are there, with realistic word frequencies: as in the
# office's lists, many products share a few common names («Kẹo cu đơ …»,
# «Nước mắm …», «Mật ong …»), a long tail is rare. Each query is measured
# uncached (a Cookie: nginx bypasses its micro-cache) in BENCH_ROUNDS
# interleaved rounds (default 3) with nginx serving a static file of the
# same bytes; the median ratio is reported beside the bare yardstick (a
# bare libfcgi program answering a 50-row query). Then the peak RSS of
# each worker and the catalogue's build time (after the version moved).
# Targets (issue 20): ratio >= 0.10 of static (or >= 0.8 of the bare
# yardstick), < 64 MB per worker at 200,000 products, rebuild < 2 s.
# Needs a running stack (KC_URL, KC_VAR, KC_BIN).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
want=${BENCH_PRODUCTS:-200000}
[ "${BENCH_PRODUCTS_BIG:-0}" = 1 ] && want=1000000
rounds=${BENCH_ROUNDS:-3}
dbq() { "$top/sql/instance.sh" client kc -N -B -e "$1"; }
echo "== products (catalogue from memory, $want products)"
have=$(dbq "SELECT COUNT(*) FROM product")
if [ "$have" -lt "$want" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	python3 "$top/tests/bench/award_list.py" catalogue "$work/products.csv" "$((want - have))" "$have"
	t0=$(date +%s.%N)
	"$KC_BIN/kc-import" "$work/products.csv" >/dev/null
	echo "  kc-import of $((want - have)) rows: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
fi
echo "  products in the database: $(dbq "SELECT COUNT(*) FROM product"); load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
dist=$(dbq "SELECT u.code FROM admin_unit u WHERE u.name = 'Huyện Can Lộc' LIMIT 1")
queries=(
	"common word|q=keo%20cu%20do"
	"rare word|q=sam%20ngoc%20linh"
	"one-letter prefix|q=k"
	"three-letter prefix|q=nuo"
	"year|year=2020"
	"district|district=$dist"
	"level|level=national"
	"page 100 of a common search|q=keo%20cu%20do&page=100"
)
bare="$KC_URL/_bench/bare?rows=50"
have_bare=$([ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Cookie: kc_bench=1' "$bare")" = 200 ] && echo 1 || echo 0)
# The first request of each worker after the version moved builds its
# catalogue: every worker builds now, none in a measured round.
echo "  warm-up: $(warm_workers kc-products 'catalogue of' "$KC_URL/api/products?q=keo")"
for qd in "${queries[@]}"; do
	name=${qd%%|*} q=${qd#*|}
	url="$KC_URL/api/products?$q"
	total=$(curl -s -H 'Cookie: kc_bench=1' "$url" | sed -E 's/.*"total":([0-9]+).*/\1/')
	static=$(static_like "products-$(echo "$q" | md5sum | cut -c1-8).json" "$url")
	ratios=() rps=() bratios=()
	for r in $(seq 1 "$rounds"); do
		bench "static" "$static" >/dev/null; s=$RPS
		bench "" "$url" -H "Cookie: kc_bench=1" >/dev/null; u=$RPS; p99=$P99
		rps+=("$u") ratios+=("$(ratio "$u" "$s")")
		if [ "$have_bare" = 1 ]; then
			bench "" "$bare" -H "Cookie: kc_bench=1" >/dev/null; bratios+=("$(ratio "$u" "$RPS")")
		fi
	done
	printf '  %-30s total %7s  %8s req/s  p99 %6s ms  /static %s  /bare %s\n' "$name" "$total" \
		"$(median "${rps[@]}")" "$p99" "$(median "${ratios[@]}")" "$( [ "$have_bare" = 1 ] && median "${bratios[@]}" || echo n/a)"
done
# Peak RSS of each kc-products worker (VmHWM), and a rebuild: the version
# moved by hand, the next request builds (the time is logged by the worker).
pids=$(pgrep -P "$(cat "$KC_VAR/run/kc-products.pid")" || true)
for p in $pids; do
	echo "  worker $p: peak RSS $(awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$p/status"), now $(awk '/VmRSS/ { printf "%.1f MB", $2 / 1024 }' "/proc/$p/status")"
done
for i in 1 2 3; do
	dbq "UPDATE catalogue_version SET version = UUID_SHORT() WHERE id = 1"
	echo "  rebuild $i: first request after the version moved $(curl -s -o /dev/null -w '%{time_total}' -H 'Cookie: kc_bench=1' "$KC_URL/api/products?q=keo%20cu%20do") s"
done
grep 'catalogue of' "$KC_VAR/log/kc-products.log" | tail -3 | sed 's/^/  log: /'
# What a minimal program reaches here: the rows the build reads (the same
# statements as cgi/products/catalogue.c), through the mysql client into
# /dev/null, nothing indexed.
t0=$(date +%s.%N)
dbq "SELECT id FROM product ORDER BY last_year DESC, name, id;
	SELECT id, name, group_id, facility_id, unit_id, sample, search_fold, merged_into IS NOT NULL FROM product ORDER BY id;
	SELECT id, name, address FROM facility ORDER BY id;
	SELECT product_id, year, level, decision_no, decision_date, unit_id FROM award" >/dev/null
echo "  the build's rows read by the mysql client alone: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s (load: $(cut -d' ' -f1-3 /proc/loadavg))"
