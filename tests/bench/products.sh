#!/usr/bin/env bash
# Issue 3: GET /api/products?q=... with 100,000 products loaded (made with
# kc-import if fewer are there), beside nginx serving a static file of the
# same size in the same run: requests/s, p99 and the ratio. Needs a running
# stack (KC_URL, KC_VAR, KC_BIN). Targets (issue 3): ratio >= 0.12, p99 <
# 10 ms at 32 connections.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
echo "== products"
have=$("$top/sql/instance.sh" client kc -N -B -e "SELECT COUNT(*) FROM product")
if [ "$have" -lt 100000 ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	python3 - "$work/products.csv" "$((100000 - have))" <<'PY'
import sys, random
path, n = sys.argv[1], int(sys.argv[2])
random.seed(3)
words = ['Kẹo', 'cu', 'đơ', 'Mắm', 'ruốc', 'Chè', 'xanh', 'Bưởi', 'sấy', 'Mật', 'ong', 'Nón', 'lá', 'Rượu',
         'Nghèn', 'Gốm', 'Mộc', 'Tinh', 'dầu', 'Bánh', 'đa', 'vừng', 'Dầu', 'lạc', 'Nước', 'mắm', 'Cam', 'khô']
d = ['Huyện Can Lộc', 'TX Hồng Lĩnh', 'Huyện Hương Sơn', 'Huyện Đức Thọ', 'TP Hà Tĩnh', 'Huyện Cẩm Xuyên',
     'Huyện Thạch Hà', 'Huyện Nghi Xuân', 'Huyện Hương Khê', 'Huyện Vũ Quang', 'TX Kỳ Anh', 'Huyện Kỳ Anh']
with open(path, 'w') as f:
    f.write('Dữ liệu đo tải (benchmark data)\nTên sản phẩm,Tên cơ sở,Huyện,Năm,Cấp,Nhóm sản phẩm\n')
    for i in range(n):
        name = ' '.join(random.choice(words) for _ in range(3))
        f.write(f'{name} đo tải {i},Cơ sở đo tải {i % 40000},{d[i % len(d)]},{2018 + i % 7},'
                f'{"Cấp tỉnh" if i % 3 else "Cấp huyện"},Nhóm {i % 6}\n')
PY
	"$KC_BIN/kc-import" "$work/products.csv" >/dev/null
fi
echo "  products in the database: $("$top/sql/instance.sh" client kc -N -B -e "SELECT COUNT(*) FROM product")"
url="$KC_URL/api/products?q=keo%20cu%20do&per_page=20"
static=$(static_like products.json "$url")
echo "  body: $(curl -s "$url" | wc -c) bytes, total $(curl -s "$url" | sed -E 's/.*"total":([0-9]+).*/\1/')"
bench "GET /api/products?q=keo cu do" "$url"; a_rps=$RPS; a_p99=$P99
bench "static file of the same size" "$static"; s_rps=$RPS
echo "  ratio products/static: $(ratio "$a_rps" "$s_rps")   (target >= 0.12; p99 $a_p99 ms, target < 10 ms)"
