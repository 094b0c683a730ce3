# Shared by the benchmark scripts: wrk runs against 127.0.0.1 only.
# BENCH_SECONDS (default 10) and BENCH_CONNS (default 32) tune every run;
# each is preceded by BENCH_WARMUP seconds (default 2) of the same load,
# not measured, so that a run's p99 is not its first connections, the
# workers' first requests and cold database pages.
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_CONNS=${BENCH_CONNS:-32}
BENCH_WARMUP=${BENCH_WARMUP:-2}
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# bench NAME URL [wrk args...]: prints a row and sets RPS P99 P50 ERR.
bench() {
	local name=$1 url=$2 out
	shift 2
	case $url in http://127.0.0.1:*) ;; *) echo "bench: only 127.0.0.1" >&2; return 1 ;; esac
	[ "$BENCH_WARMUP" -gt 0 ] && wrk -t2 -c"$BENCH_CONNS" -d"${BENCH_WARMUP}s" "$@" "$url" >/dev/null 2>&1
	out=$(wrk -t2 -c"$BENCH_CONNS" -d"${BENCH_SECONDS}s" --latency -s "$bench_dir/report.lua" "$@" "$url" 2>&1)
	read -r _ RPS P99 P50 ERR _ <<<"$(grep '^RESULT' <<<"$out")"
	printf '  %-44s %10s req/s   p50 %7s ms   p99 %7s ms   errors %s\n' "$name" "$RPS" "$P50" "$P99" "$ERR"
}

# static_like NAME URL: a static file of the same size as URL's body, served
# by nginx from $KC_VAR/bench/; prints its URL.
static_like() {
	local name=$1 url=$2 size
	mkdir -p "$KC_VAR/bench"
	size=$(curl -s "$url" | wc -c)
	head -c "$size" /dev/zero | tr '\0' 'x' >"$KC_VAR/bench/$name"
	echo "$KC_URL/_bench/$name"
}

# median X...: the middle value (the lower middle of an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# warm_workers PROGRAM WHAT URL: after a version moved, every worker of
# PROGRAM builds what it keeps in memory before anything is measured, so
# that no measured round pays a build. A worker busy building accepts no
# other request: as many requests as workers at once, again until each
# worker has logged a line matching WHAT (its build) since the call (the
# stack logs info lines: run.sh). Prints how many did.
warm_workers() {
	local prog=$1 what=$2 url=$3 log="$KC_VAR/log/$1.log" mark want n=0 i tries=0
	want=$(pgrep -P "$(cat "$KC_VAR/run/$prog.pid")" | wc -l)
	mark=$(wc -l <"$log")
	while [ "$n" -lt "$want" ] && [ "$tries" -lt 30 ]; do
		for i in $(seq 1 "$want"); do
			curl -s -o /dev/null -H 'Cookie: kc_bench=1' "$url" &
		done
		wait
		n=$(tail -n +"$((mark + 1))" "$log" | grep -e "$what" | sed -E 's/^[^[]*\[([0-9]+)\].*/\1/' | sort -u | wc -l)
		tries=$((tries + 1))
	done
	echo "$n of $want workers built here (the others were current)"
}

# bench_unit URL: the code of a unit the site offers (a registration's).
bench_unit() {
	local u
	u=$(curl -fsS "$1/api/units" | sed -E 's/^\{"items":\[\{"code":"([0-9]+)".*/\1/')
	[[ $u =~ ^[0-9]+$ ]] || { echo "bench: no unit code from $1/api/units" >&2; return 1; }
	echo "$u"
}

# register_lua CALL UNIT TAG: a wrk script posting one application per
# request, each of a new facility (name + unit, no tax code) made distinct
# by TAG, the thread and a counter; report.lua's RESULT line after it.
register_lua() {
	cat <<LUA
local n = 0
function setup(thread) n = n + 1; thread:set("tid", n) end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function request()
  i = i + 1
  return wrk.format(nil, nil, nil, string.format('{"call_id":$1,"facility":{"name":"Cơ sở đo tải $3-%d-%d",' ..
    '"owner_name":"Nguyễn Văn Đo","phone":"0912 345 678","address":"Thôn 1, xã Đo",' ..
    '"unit_code":"$2","kind":"household"},"products":["Sản phẩm đo"],"requested_vnd":1000000}', tid, i))
end
LUA
	cat "$bench_dir/report.lua"
}
