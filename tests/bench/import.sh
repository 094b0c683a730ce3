#!/usr/bin/env bash
# Issue 3 (make bench-import): a generated 200,000-row award list imported
# with kc-import and, in the same run, the same rows loaded with MariaDB's
# LOAD DATA LOCAL INFILE into a plain table (bench_award_load), as the
# instance's admin. Prints rows/s of each and the ratio (target >= 0.8),
# then the peak memory of kc-import on a 1,000,000-row file from
# /usr/bin/time -v (target < 64 MB). Uses its own instance under
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
gen() {	# gen FILE N TAG: an award list as the office writes it
	python3 - "$1" "$2" "$3" <<'PY'
import sys
path, n, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
d = ['Huyện Can Lộc', 'TX Hồng Lĩnh', 'Huyện Hương Sơn', 'Huyện Đức Thọ', 'TP Hà Tĩnh', 'Huyện Cẩm Xuyên',
     'Huyện Thạch Hà', 'Huyện Nghi Xuân', 'Huyện Hương Khê', 'Huyện Vũ Quang', 'TX Kỳ Anh', 'Huyện Kỳ Anh']
lv = ['Cấp tỉnh', 'Cấp huyện', 'Khu vực', 'quốc gia']
with open(path, 'w') as f:
    f.write('Tên sản phẩm,Tên cơ sở,Huyện,Năm,Cấp,Số quyết định,Ngày quyết định,Nhóm sản phẩm\n')
    for i in range(n):
        f.write(f'Sản phẩm {tag} số {i},Cơ sở {tag} {i // 3},{d[i % len(d)]},{2018 + i % 7},{lv[i % 4]},'
                f'{i % 900}/QĐ-UBND,{1 + i % 28}/{1 + i % 12}/{2018 + i % 7},Nhóm {i % 8}\n')
PY
}
tag=b$(date +%s)
gen "$work/list.csv" "$ROWS" "$tag"
echo "== import: $ROWS rows ($(du -h "$work/list.csv" | cut -f1))"
t0=$(date +%s.%N)
"$BIN/kc-import" "$work/list.csv" >/dev/null
t1=$(date +%s.%N)
bash sql/instance.sh client kc -e "TRUNCATE bench_award_load"
t2=$(date +%s.%N)
bash sql/instance.sh client --local-infile=1 kc -e "LOAD DATA LOCAL INFILE '$work/list.csv'
	INTO TABLE bench_award_load CHARACTER SET utf8mb4 FIELDS TERMINATED BY ','
	LINES TERMINATED BY '\n' IGNORE 1 LINES
	(product, facility, district, year, level, decision_no, decision_date, grp)"
t3=$(date +%s.%N)
imp=$(awk -v n="$ROWS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
load=$(awk -v n="$ROWS" -v a="$t2" -v b="$t3" 'BEGIN { printf "%.0f", n / (b - a) }')
printf '  kc-import          %10s rows/s  (%.2f s)\n' "$imp" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
printf '  LOAD DATA INFILE   %10s rows/s  (%.2f s)\n' "$load" "$(awk -v a="$t2" -v b="$t3" 'BEGIN { print b - a }')"
echo "  ratio kc-import / LOAD DATA: $(awk -v a="$imp" -v b="$load" 'BEGIN { printf "%.2f", a / b }')   (target >= 0.8)"
gen "$work/big.csv" "$BIG" "m$tag"
echo "== memory: $BIG rows ($(du -h "$work/big.csv" | cut -f1)), --dry-run"
/usr/bin/time -v "$BIN/kc-import" --dry-run "$work/big.csv" >/dev/null 2>"$work/time.txt" || true
kb=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+).*/\1/p' "$work/time.txt")
echo "  kc-import peak memory: $((kb / 1024)) MB   (target < 64 MB)"
