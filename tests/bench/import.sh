#!/usr/bin/env bash
# Issue 3 (make bench-import): a generated 200,000-row award list imported
# with kc-import and, in the same run, the same rows loaded with MariaDB's
# LOAD DATA LOCAL INFILE into a plain table (bench_award_load), as the
# instance's admin. Prints rows/s of each and the ratio (target >= 0.25),
# and what the target stands on: the same rows as plain batched INSERTs
# into that plain table (award_list.py);
# then the peak memory of a real kc-import (not a dry run) of a
# 1,000,000-row file from /usr/bin/time -v (target < 64 MB;
# BENCH_IMPORT_BIG=0 skips it); and, in the same run, the minimal program
# of kc-import's way (staging + INSERT ... SELECT, award_list.py stage)
# and the floor of the schema (LOAD DATA straight into its three tables,
# award_list.py direct), then into bare copies of them (their primary and
# unique keys only). Uses its own instance under
# var/bench-import unless KC_VAR says otherwise.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export KC_VAR=${KC_VAR:-$top/var/bench-import}
export KC_LOG_QUIET=1
BIN=${KC_BIN:-$top/build}
ROWS=${BENCH_IMPORT_ROWS:-200000}
BIG=${BENCH_IMPORT_BIG:-1000000}
# Stop the instance afterwards only if this run started it.
started=0
bash sql/instance.sh status >/dev/null 2>&1 || started=1
bash sql/instance.sh start >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"; [ $started = 1 ] && bash sql/instance.sh stop >/dev/null' EXIT
gen() {	# gen MODE FILE N TAG [...]: tests/bench/award_list.py
	python3 "$top/tests/bench/award_list.py" "$@"
}
# The next ids of facility, product and award, the districts and groups:
# what award_list.py's stage and direct modes give their rows.
next_ids() {
	bash sql/instance.sh client kc -N -B -e "
	SELECT (SELECT MAX(id) FROM facility) + 1, (SELECT MAX(id) FROM product) + 1,
	    (SELECT MAX(id) FROM award) + 1,
	    (SELECT GROUP_CONCAT(id ORDER BY id) FROM admin_unit WHERE level = 'district'),
	    (SELECT GROUP_CONCAT(id ORDER BY id) FROM product_group)"
}
tag=b$(date +%s)
gen csv "$work/list.csv" "$ROWS" "$tag"
echo "== import: $ROWS rows ($(du -h "$work/list.csv" | cut -f1))"
t0=$(date +%s.%N)
"$BIN/kc-import" "$work/list.csv" >/dev/null
t1=$(date +%s.%N)
bash sql/instance.sh client kc -e "TRUNCATE bench_award_load"
t2=$(date +%s.%N)
bash sql/instance.sh client --local-infile=1 kc -e "LOAD DATA LOCAL INFILE '$work/list.csv'
	INTO TABLE bench_award_load CHARACTER SET utf8mb4 FIELDS TERMINATED BY ';'
	LINES TERMINATED BY '\n' IGNORE 1 LINES
	(product, facility, district, year, level, decision_no, decision_date, grp)"
t3=$(date +%s.%N)
imp=$(awk -v n="$ROWS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
load=$(awk -v n="$ROWS" -v a="$t2" -v b="$t3" 'BEGIN { printf "%.0f", n / (b - a) }')
printf '  kc-import          %10s rows/s  (%.2f s)\n' "$imp" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
printf '  LOAD DATA INFILE   %10s rows/s  (%.2f s)\n' "$load" "$(awk -v a="$t2" -v b="$t3" 'BEGIN { print b - a }')"
echo "  ratio kc-import / LOAD DATA: $(awk -v a="$imp" -v b="$load" 'BEGIN { printf "%.3f", a / b }')   (target >= 0.25)"
# What the target stands on, in the same run: a plain batched loader (500
# rows per statement, 5 000 per transaction, through the mariadb client)
# into the same plain table.
rate() { awk -v n="$ROWS" -v a="$1" -v b="$2" -v l="$load" 'BEGIN { printf "%10.0f rows/s  (%.2f s)  %.2f of LOAD DATA", n / (b - a), b - a, n / (b - a) / l }'; }
bash sql/instance.sh client kc -e "TRUNCATE bench_award_load"
gen plain "$work/plain.sql" "$ROWS" "$tag"
t4=$(date +%s.%N)
bash sql/instance.sh client kc <"$work/plain.sql"
t5=$(date +%s.%N)
echo "  plain batched INSERT into the plain table    $(rate "$t4" "$t5")"
# The minimal program of kc-import's own way (award_list.py stage): per
# batch, the rows loaded into MEMORY staging with LOAD DATA LOCAL, one
# INSERT ... SELECT into each table with its keys and the codes given, the
# import_change rows, one transaction, as kc-import's session. What
# kc-import adds to it is its lookups, checks, upserts and C side.
set -- $(next_ids)
gen stage "$work/stage.sql" "$ROWS" "s$tag" "$@"
t10=$(date +%s.%N)
bash sql/instance.sh client --local-infile=1 kc <"$work/stage.sql"
t11=$(date +%s.%N)
echo "  minimal program: LOAD DATA into staging + INSERT ... SELECT $(rate "$t10" "$t11")"
# The floor of the schema (award_list.py direct): the same rows loaded
# with LOAD DATA straight into facility, product and award, ids and codes
# given, no staging, no import_change, no lookup. No importer of these
# tables (their keys, indexes and insert triggers) writes faster.
set -- $(next_ids)
gen direct "$work/direct.sql" "$ROWS" "d$tag" "$@"
t12=$(date +%s.%N)
bash sql/instance.sh client --local-infile=1 kc <"$work/direct.sql"
t13=$(date +%s.%N)
echo "  floor: LOAD DATA straight into facility, product, award $(rate "$t12" "$t13")"
# The floor of any three tables holding these rows by their identities
# alone: the same, into copies of facility, product and award with their
# rows and only their primary and unique keys (no other index, no
# foreign key, no trigger).
copies="bench_facility, bench_product, bench_award"
bash sql/instance.sh client kc -e "DROP TABLE IF EXISTS $copies;
	CREATE TABLE bench_facility LIKE facility; CREATE TABLE bench_product LIKE product;
	CREATE TABLE bench_award LIKE award;
	$(bash sql/instance.sh client kc -N -B -e "
	SELECT CONCAT('ALTER TABLE bench_', TABLE_NAME, ' ', GROUP_CONCAT(DISTINCT
	    CONCAT('DROP INDEX ', INDEX_NAME)), ';') FROM information_schema.STATISTICS
	WHERE TABLE_SCHEMA = 'kc' AND TABLE_NAME IN ('facility', 'product', 'award')
	    AND NON_UNIQUE = 1 GROUP BY TABLE_NAME")
	INSERT INTO bench_facility SELECT * FROM facility;
	INSERT INTO bench_product SELECT * FROM product; INSERT INTO bench_award SELECT * FROM award"
set -- $(next_ids)
gen direct "$work/bare.sql" "$ROWS" "e$tag" "$@"
sed -i -E 's/INTO TABLE (facility|product|award) /INTO TABLE bench_\1 /' "$work/bare.sql"
t14=$(date +%s.%N)
bash sql/instance.sh client --local-infile=1 kc <"$work/bare.sql"
t15=$(date +%s.%N)
bash sql/instance.sh client kc -e "DROP TABLE $copies"
echo "  floor of the bare tables (primary and unique keys only) $(rate "$t14" "$t15")"
[ "$BIG" -gt 0 ] || exit 0
gen csv "$work/big.csv" "$BIG" "m$tag"
echo "== memory: $BIG rows ($(du -h "$work/big.csv" | cut -f1)), a real import"
t8=$(date +%s.%N)
/usr/bin/time -v "$BIN/kc-import" "$work/big.csv" >/dev/null 2>"$work/time.txt" || true
t9=$(date +%s.%N)
kb=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+).*/\1/p' "$work/time.txt")
echo "  kc-import peak memory: $((kb / 1024)) MB   (target < 64 MB), $(awk -v n="$BIG" -v a="$t8" -v b="$t9" 'BEGIN { printf "%.0f rows/s (%.1f s)", n / (b - a), b - a }')"
