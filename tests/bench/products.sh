#!/usr/bin/env bash
# Issue 3: GET /api/products?q=... with 100,000 products loaded (made with
# kc-import if fewer are there), beside nginx serving a static file of the
# same size in the same run: requests/s, p99 and the ratio, uncached (a
# Cookie header: nginx bypasses its micro-cache, so kc-products answers
# every request) and micro-cached, each reported apart, and the issue's
# yardstick (a bare program answering a 50-row query), and the same bare
# program doing only the word search of the query. Needs a running
# stack (KC_URL, KC_VAR, KC_BIN). Targets (issue 3): uncached ratio >=
# 0.12, p99 < 10 ms at 32 connections.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
echo "== products"
have=$("$top/sql/instance.sh" client kc -N -B -e "SELECT COUNT(*) FROM product")
if [ "$have" -lt 100000 ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	# A catalogue like a real one: a product type (one of 28 real words,
	# so "kẹo" names about 1 product in 28), two words from a long tail
	# of about 800 made-up syllables, and the marker "thử tải"; 50 products
	# are "Kẹo cu đơ ...", the query's answer — a 50-row query, as the
	# issue's target assumes. BENCH_PRODUCTS_WORST=1 draws all three words
	# from the 28 instead (each then in ~10 % of names: FULLTEXT's worst
	# case here).
	python3 - "$work/products.csv" "$((100000 - have))" "${BENCH_PRODUCTS_WORST:-0}" <<'PY'
import sys, random
path, n, worst = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1'
random.seed(3)
words = ['Kẹo', 'cu', 'đơ', 'Mắm', 'ruốc', 'Chè', 'xanh', 'Bưởi', 'sấy', 'Mật', 'ong', 'Nón', 'lá', 'Rượu',
         'Nghèn', 'Gốm', 'Mộc', 'Tinh', 'dầu', 'Bánh', 'đa', 'vừng', 'Dầu', 'lạc', 'Nước', 'mắm', 'Cam', 'khô']
onset = ['b', 'ch', 'gh', 'h', 'kh', 'l', 'm', 'ng', 'nh', 'ph', 'qu', 's', 't', 'th', 'tr', 'v', 'x']
rime = ['ai', 'am', 'an', 'ang', 'anh', 'ao', 'at', 'ay', 'em', 'en', 'eo', 'ich', 'im', 'in', 'inh', 'it',
        'oa', 'oan', 'oc', 'oi', 'om', 'on', 'ong', 'ot', 'ua', 'uan', 'uc', 'ui', 'um', 'un', 'ung', 'ut',
        'ưa', 'ưng', 'ươc', 'ương', 'ươi', 'ên', 'êm', 'ôi', 'ông', 'ơi', 'ơn', 'ân', 'âm', 'ăn', 'ăng']
tail = sorted({o + r for o in onset for r in rime})[:3000]
d = ['Huyện Can Lộc', 'TX Hồng Lĩnh', 'Huyện Hương Sơn', 'Huyện Đức Thọ', 'TP Hà Tĩnh', 'Huyện Cẩm Xuyên',
     'Huyện Thạch Hà', 'Huyện Nghi Xuân', 'Huyện Hương Khê', 'Huyện Vũ Quang', 'TX Kỳ Anh', 'Huyện Kỳ Anh']
with open(path, 'w') as f:
    f.write('Dữ liệu thử tải (benchmark data)\nTên sản phẩm,Tên cơ sở,Huyện,Năm,Cấp,Nhóm sản phẩm\n')
    for i in range(n):
        if worst:
            name = ' '.join(random.choice(words) for _ in range(3))
        elif i % 2000 == 7:
            name = 'Kẹo cu đơ ' + random.choice(tail)
        else:
            first = random.choice(words)
            while first == 'Kẹo':
                first = random.choice(words)
            name = ' '.join([first, random.choice(tail), random.choice(tail)])
        f.write(f'{name} thử tải {i},Cơ sở thử tải {i % 40000},{d[i % len(d)]},{2018 + i % 7},'
                f'{"Cấp tỉnh" if i % 3 else "Cấp huyện"},Nhóm {i % 6}\n')
PY
	"$KC_BIN/kc-import" "$work/products.csv" >/dev/null
fi
echo "  products in the database: $("$top/sql/instance.sh" client kc -N -B -e "SELECT COUNT(*) FROM product")"
url="$KC_URL/api/products?q=keo%20cu%20do&per_page=20"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
[ "$code" = 200 ] || { echo "  $url answered $code"; exit 1; }
static=$(static_like products.json "$url")
size=$(wc -c <"$KC_VAR/bench/products.json")
echo "  body: $size bytes, total $(curl -s "$url" | sed -E 's/.*"total":([0-9]+).*/\1/')"
# A Cookie header makes nginx bypass its micro-cache (nginx/fastcgi.conf):
# the uncached rows measure kc-products and MariaDB, not the cache.
bench "static file ($size bytes)" "$static"; s_rps=$RPS; s_p99=$P99
bench "products q=keo cu do, uncached (Cookie)" "$url" -H "Cookie: kc_bench=1"; u_rps=$RPS; u_p99=$P99
# The yardstick the issue names: a bare libfcgi + Connector/C + json-c
# program answering a 50-row query (run.sh starts it; tests/bench/bare.c).
bare="$KC_URL/_bench/bare?rows=50"
if [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Cookie: kc_bench=1' "$bare")" = 200 ]; then
	bench "bare libfcgi program, a 50-row query ($(curl -s "$bare" | wc -c) bytes)" "$bare" -H "Cookie: kc_bench=1"
	b_rps=$RPS; b_p99=$P99
	# The same bare program doing the least a word search does (the two
	# whole words and the prefix of q=keo cu do, 20 ids and names in the
	# listing's order; no total, details or awards): what such a search
	# leaves of the yardstick.
	bs="$KC_URL/_bench/bare?search=keo.cu.do"
	bench "bare libfcgi program, the bare word search" "$bs" -H "Cookie: kc_bench=1"
	bs_rps=$RPS; bs_p99=$P99
fi
bench "static file ($size bytes), again" "$static"; s2_rps=$RPS
bench "products q=keo cu do, micro-cached" "$url"; c_rps=$RPS; c_p99=$P99
yurl="$KC_URL/api/products?year=2020&per_page=20"
bench "products year=2020 (no q), uncached" "$yurl" -H "Cookie: kc_bench=1"; y_rps=$RPS; y_p99=$P99
base=$(awk -v a="$s_rps" -v b="$s2_rps" 'BEGIN { print (a + b) / 2 }')
echo "  static baseline (mean of two runs): $base req/s, p99 $s_p99 ms"
echo "  ratio uncached/static: $(ratio "$u_rps" "$base")   (target >= 0.12; p99 $u_p99 ms, target < 10 ms)"
echo "  ratio cached/static:   $(ratio "$c_rps" "$base")   (p99 $c_p99 ms)"
[ -n "${b_rps:-}" ] && echo "  ratio bare 50-row program/static: $(ratio "$b_rps" "$base")   (the yardstick; p99 $b_p99 ms)"
[ -n "${bs_rps:-}" ] && echo "  ratio bare word search/static:   $(ratio "$bs_rps" "$base")   (p99 $bs_p99 ms)"
echo "  year filter, uncached: $y_rps req/s, p99 $y_p99 ms (static of a different size: no ratio)"
