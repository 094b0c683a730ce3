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
# unique keys only; BENCH_IMPORT_PARTS=1: also without each index in
# turn). Uses its own instance under
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
# new ids for the undo (import_new), one transaction, as kc-import's session. What
# kc-import adds to it is its lookups, checks, upserts and C side.
set -- $(next_ids)
gen stage "$work/stage.sql" "$ROWS" "s$tag" "$@"
t10=$(date +%s.%N)
bash sql/instance.sh client --local-infile=1 kc <"$work/stage.sql"
t11=$(date +%s.%N)
echo "  minimal program: LOAD DATA into staging + INSERT ... SELECT $(rate "$t10" "$t11")"
# floor NAME PREFIX: the same rows (award_list.py direct) loaded with LOAD
# DATA straight into PREFIXfacility, PREFIXproduct and PREFIXaward, ids
# and codes given, no staging, no import_change, no lookup.
floor() {
	local name=$1 pfx=$2 a b
	set -- $(next_ids)
	gen direct "$work/direct.sql" "$ROWS" "d$RANDOM$tag" "$@"
	sed -i -E "s/INTO TABLE (facility|product|award) /INTO TABLE $pfx\\1 /" "$work/direct.sql"
	a=$(date +%s.%N)
	bash sql/instance.sh client --local-infile=1 kc <"$work/direct.sql"
	b=$(date +%s.%N)
	echo "  $name $(rate "$a" "$b")"
}
# copies SQL: bench_facility, bench_product and bench_award made copies of
# the three tables with their rows (no foreign key, no trigger), then SQL.
copies="bench_facility, bench_product, bench_award"
copies() {
	bash sql/instance.sh client kc -e "DROP TABLE IF EXISTS $copies;
	CREATE TABLE bench_facility LIKE facility; CREATE TABLE bench_product LIKE product;
	CREATE TABLE bench_award LIKE award; $1;
	INSERT INTO bench_facility SELECT * FROM facility;
	INSERT INTO bench_product SELECT * FROM product; INSERT INTO bench_award SELECT * FROM award"
}
# The three tables' non-unique indexes: "table index" lines.
nonunique() {
	bash sql/instance.sh client kc -N -B -e "SELECT DISTINCT TABLE_NAME, INDEX_NAME
	FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'kc'
	    AND TABLE_NAME IN ('facility', 'product', 'award') AND NON_UNIQUE = 1"
}
# The floor of the schema: no importer of these tables (their keys,
# indexes and insert triggers) writes faster.
floor "floor: LOAD DATA straight into facility, product, award" ""
# The floor of any three tables holding these rows by their identities
# alone: copies with only their primary and unique keys.
copies "$(nonunique | while read -r t i; do echo "ALTER TABLE bench_$t DROP INDEX $i;"; done)"
floor "floor of the bare tables (primary and unique keys only)" bench_
# BENCH_IMPORT_PARTS=1: what each part costs, copies with every index but
# no foreign key or trigger, then without each index in turn.
if [ "${BENCH_IMPORT_PARTS:-0}" = 1 ]; then
	copies ""
	floor "copies with every index (no foreign key, no trigger)" bench_
	mapfile -t parts < <(nonunique)
	for ti in "${parts[@]}"; do
		read -r t i <<<"$ti"
		copies "ALTER TABLE bench_$t DROP INDEX $i"
		floor "copies without $t.$i" bench_
	done
fi
bash sql/instance.sh client kc -e "DROP TABLE IF EXISTS $copies"
[ "$BIG" -gt 0 ] || exit 0
gen csv "$work/big.csv" "$BIG" "m$tag"
echo "== memory: $BIG rows ($(du -h "$work/big.csv" | cut -f1)), a real import"
t8=$(date +%s.%N)
/usr/bin/time -v "$BIN/kc-import" "$work/big.csv" >/dev/null 2>"$work/time.txt" || true
t9=$(date +%s.%N)
kb=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+).*/\1/p' "$work/time.txt")
echo "  kc-import peak memory: $((kb / 1024)) MB   (target < 64 MB), $(awk -v n="$BIG" -v a="$t8" -v b="$t9" 'BEGIN { printf "%.0f rows/s (%.1f s)", n / (b - a), b - a }')"
