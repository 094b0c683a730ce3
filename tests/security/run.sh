#!/usr/bin/env bash
# make security: a private stack with sample data and a staff session;
# sqlmap (Debian's package) against every endpoint that takes a parameter,
# public and staff, GET and POST, at a bounded level and risk with a time
# limit per target; then plain-HTTP checks (tests/http/security.test.mjs).
# Prints the endpoints and parameters tested and the findings (target: none).
# A target fails when sqlmap finds an injection, tests none of its
# parameters, or stops before its verdict (the time limit, an error).
set -uo pipefail
source "$(dirname "$0")/../stack-env.sh"
stack_env security 18092
export KC_WORKERS=2
LEVEL=${SQLMAP_LEVEL:-2} RISK=${SQLMAP_RISK:-1} LIMIT=${SQLMAP_SECONDS:-90}
# SQLMAP_ONLY: a regular expression choosing targets by label.
OUT=$top/tests/out/security
command -v sqlmap >/dev/null 2>&1 ||
	{ echo "security: sqlmap is not installed (make security installs it: bash cgi/deps.sh security)" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"
bash nginx/stack.sh stop >/dev/null 2>&1
rm -rf "$KC_VAR"
trap 'bash nginx/stack.sh stop >/dev/null 2>&1' EXIT
bash nginx/stack.sh start >"$OUT/stack.log" 2>&1 || { cat "$OUT/stack.log"; exit 1; }

# A staff session with every role, and one application to look at.
pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
printf '%s\n' "$pw" | "$KC_BIN/kc-admin" user add secscan --role admin --role reviewer \
	--role finance --role importer --role auditor >/dev/null
login=$(curl -s -c "$OUT/cookies" -H 'content-type: application/json' \
	-d "{\"username\":\"secscan\",\"password\":\"$pw\"}" "$KC_URL/api/auth/login")
csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' <<<"$login")
cookie="kc_session=$(awk '$6=="kc_session"{print $7}' "$OUT/cookies")"
[ -n "$csrf" ] || { echo "security: staff login failed: $login"; exit 1; }
# An admin must enrol a second factor first (the session can do nothing
# else): the secret from setup, its current code (RFC 6238) to confirm.
setup=$(curl -s -b "$OUT/cookies" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
	-d '{}' "$KC_URL/api/auth/2fa/setup")
secret=$(sed -n 's/.*"secret":"\([A-Z2-7]*\)".*/\1/p' <<<"$setup")
[ -n "$secret" ] || { echo "security: 2FA setup failed: $setup"; exit 1; }
otp=$(node --input-type=module -e "import { totp } from '$top/tests/http/staff-helpers.mjs'; console.log(totp(process.argv[1]))" "$secret")
confirm=$(curl -s -b "$OUT/cookies" -H "X-CSRF-Token: $csrf" -H 'content-type: application/json' \
	-d "{\"code\":\"$otp\"}" "$KC_URL/api/auth/2fa/confirm")
grep -q '"recovery_codes"' <<<"$confirm" || { echo "security: 2FA confirm failed: $confirm"; exit 1; }
call=$(curl -s "$KC_URL/api/calls" | sed -n 's/.*"id":\([0-9]*\).*"open":true.*/\1/p' | head -1)
product=$(curl -s "$KC_URL/api/products?per_page=1" | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
# A real application, so that its status page is a 200 to compare against.
app=$(curl -s -H 'content-type: application/json' "$KC_URL/api/applications" -d "{\"call_id\":${call:-1},\"facility\":{\"name\":\"Cơ sở quét trạng thái\",\"owner_name\":\"Nguyễn Văn C\",\"phone\":\"0912345670\",\"address\":\"Thôn 3\",\"unit_code\":\"18073\",\"kind\":\"household\"},\"products\":[\"Kẹo\"],\"requested_vnd\":1000000}")
ref=$(sed -n 's/.*"ref_code":"\([^"]*\)".*/\1/p' <<<"$app")
token=$(sed -n 's/.*"status_token":"\([^"]*\)".*/\1/p' <<<"$app")
[ -n "$ref" ] || { echo "security: could not create an application: $app"; exit 1; }

# target LABEL URL [sqlmap args...]
findings=0 tested=0 failed=0
target() {
	local label=$1 url=$2 log
	shift 2
	log=$OUT/sqlmap-$(echo "$label" | tr -c 'A-Za-z0-9' _).log
	[[ $label =~ ${SQLMAP_ONLY:-.} ]] || return 0
	tested=$((tested + 1))
	timeout "$LIMIT" sqlmap -u "$url" --batch --level="$LEVEL" --risk="$RISK" \
		--dbms=mysql --technique=BEUST --time-sec=2 --timeout=10 --retries=0 \
		--threads=2 --flush-session --disable-coloring --skip-waf \
		--output-dir="$OUT/sqlmap" "$@" >"$log" 2>&1
	local rc=$? params
	params=$(grep -oE "testing (if )?(GET|POST|\(custom\) POST|Cookie|URI|User-Agent|Referer|Host) parameter '[^']+'" "$log" |
		grep -oE "'[^']+'" | sort -u | tr '\n' ' ')
	if grep -qE 'sqlmap identified the following injection point|is vulnerable' "$log"; then
		findings=$((findings + 1))
		printf '  %-46s FINDING   params: %s (see %s)\n' "$label" "$params" "$log"
	elif [ -z "$params" ]; then
		failed=$((failed + 1))
		printf '  %-46s FAILED    no parameter tested (see %s)\n' "$label" "$log"
	elif ! grep -q 'do not appear to be injectable' "$log"; then
		failed=$((failed + 1))
		printf '  %-46s FAILED    no verdict (exit %s%s) params: %s (see %s)\n' "$label" "$rc" \
			"$([ $rc = 124 ] && echo ", ${LIMIT}s limit")" "$params" "$log"
	else
		printf '  %-46s none      params: %s\n' "$label" "$params"
	fi
}
echo "== sqlmap (level $LEVEL, risk $RISK, ${LIMIT}s per target) against $KC_URL"
H=(-H "Accept: application/json")
target "GET /api/units" "$KC_URL/api/units?date=2024-01-01" "${H[@]}"
target "GET /api/dashboard" "$KC_URL/api/dashboard?year=2020" "${H[@]}"
target "GET /api/beneficiaries" "$KC_URL/api/beneficiaries?year=2020&district=436&page=1&per_page=20" "${H[@]}"
target "GET /api/datapackage.json" "$KC_URL/api/datapackage.json?year=2020" "${H[@]}"
target "GET /api/products" "$KC_URL/api/products?q=keo&year=2019&level=province&district=436&group=1&page=1&per_page=20" "${H[@]}"
target "GET /api/products/{id}" "$KC_URL/api/products/${product:-1}*" "${H[@]}"
target "GET /api/applications/{ref}" "$KC_URL/api/applications/$ref*" "${H[@]}" -H "X-Status-Token: $token*"
target "POST /api/applications (JSON)" "$KC_URL/api/applications" "${H[@]}" \
	--data "{\"call_id\":${call:-1},\"facility\":{\"name\":\"Cơ sở quét\",\"tax_code\":\"\",\"owner_name\":\"Nguyễn Văn A\",\"phone\":\"0912345678\",\"email\":\"a@example.vn\",\"address\":\"Thôn 1\",\"unit_code\":\"18073\",\"kind\":\"household\"},\"products\":[\"Kẹo\"],\"requested_vnd\":1000000,\"note\":\"x\"}"
target "POST /api/applications (form)" "$KC_URL/api/applications" "${H[@]}" \
	--data "call_id=${call:-1}&facility.name=Co+so+quet+form&facility.owner_name=Nguyen+Van+B&facility.phone=0912345679&facility.unit_code=18073&facility.kind=household&facility.address=Thon+2&requested_vnd=1000000"
target "POST /api/auth/login" "$KC_URL/api/auth/login" "${H[@]}" --ignore-code=401,429 \
	--data "{\"username\":\"secscan\",\"password\":\"$pw\",\"otp\":\"123456\",\"recovery_code\":\"abcd-efgh-ijkl-mnop\"}"
S=("${H[@]}" --cookie="$cookie" -H "X-CSRF-Token: $csrf" --skip=cookie)
target "GET /api/admin/applications" "$KC_URL/api/admin/applications?status=submitted&call=1&district=436&page=1" "${S[@]}"
target "GET /api/admin/audit" "$KC_URL/api/admin/audit?entity=application&user=1&page=1" "${S[@]}"
target "GET /api/admin/users" "$KC_URL/api/admin/users?page=1" "${S[@]}"
target "POST /api/admin/calls" "$KC_URL/api/admin/calls" "${S[@]}" \
	--data '{"year":2026,"kind":"trade_fair","title":"Hội chợ quét","description":"x","opens_at":"2026-01-01T00:00:00Z","closes_at":"2026-12-31T00:00:00Z","max_support_vnd":1000000}'
target "GET /api/admin/imports" "$KC_URL/api/admin/imports?page=1" "${S[@]}"
echo "  $tested targets, $findings with findings, $failed not fully tested"

echo "== plain HTTP checks"
node --test --test-reporter=spec tests/http/security.test.mjs
rc=$?
[ "$findings" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$tested" -gt 0 ] && [ $rc -eq 0 ]
