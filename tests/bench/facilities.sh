#!/usr/bin/env bash
# Issue 21: GET /api/facilities?q= over BENCH_FACILITIES public facilities
# (default 8,000; each with a product and an award, names of made-up
# syllables, made here with SQL if fewer are there), uncached (a Cookie:
# nginx bypasses its micro-cache), with wrk on 127.0.0.1. Needs a running
# stack (KC_URL, KC_VAR).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
want=${BENCH_FACILITIES:-8000}
dbq() { "$top/sql/instance.sh" client kc -N -B -e "$1"; }
echo "== facilities (GET /api/facilities?q=, $want facilities)"
have=$(dbq "SELECT COUNT(*) FROM facility WHERE ident LIKE 'bench-f-%'")
if [ "$have" -lt "$want" ]; then
	python3 - "$have" "$want" <<'PY' | "$top/sql/instance.sh" client kc
import sys, random
have, want = int(sys.argv[1]), int(sys.argv[2])
random.seed(21 + have)
kinds = ['co so', 'htx', 'ho kinh doanh', 'cong ty', 'lang nghe']
onset = ['b', 'ch', 'd', 'h', 'kh', 'l', 'm', 'ng', 'nh', 'ph', 'qu', 's', 't', 'th', 'tr', 'v', 'x']
rime = ['ai', 'am', 'an', 'ang', 'anh', 'ao', 'en', 'ich', 'im', 'inh', 'oa', 'oan', 'oc', 'oi', 'ong', 'ua', 'uc', 'ui', 'ung', 'uong']
units = "(SELECT id FROM admin_unit WHERE level = 'commune' ORDER BY id LIMIT 1 OFFSET %d)"
for i in range(have, want):
    fold = ' '.join([random.choice(kinds)] + [random.choice(onset) + random.choice(rime) for _ in range(random.randint(2, 4))])
    print(f"INSERT INTO facility (ident, name, name_fold, kind, unit_id) VALUES ('bench-f-{i}', '{fold.title()}', '{fold}',"
          f" '{random.choice(['household', 'cooperative', 'enterprise'])}', {units % (i % 200)});")
    print(f"INSERT INTO product (facility_id, name, name_fold, name_key, search_fold, last_year) VALUES (LAST_INSERT_ID(),"
          f" 'San pham {i}', 'san pham {i}', 'san pham bench {i}', 'san pham {i} {fold}', 2024);")
    print(f"INSERT INTO award (product_id, year, level) VALUES (LAST_INSERT_ID(), 2024, 'district');")
PY
fi
echo "  warm-up: $(warm_workers kc-products 'facility list of' "$KC_URL/api/facilities?per_page=1")"
echo "  public facilities: $(curl -s -H 'Cookie: bench=1' "$KC_URL/api/facilities?per_page=1" | sed 's/.*"total":\([0-9]*\).*/\1/')"
for q in 'htx' 'co so tr' 'nhang' 'ph' 'lang nghe kh' 'zzqq'; do
	bench "q=$q" "$KC_URL/api/facilities?q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")" -H 'Cookie: bench=1'
done
