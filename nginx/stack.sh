#!/usr/bin/env bash
# The whole private stack: MariaDB (sql/instance.sh), the FastCGI programs
# under supervision (spawn-fcgi + multiwatch, which restarts a worker that
# died), the notification sender kc-notify under the same multiwatch (not
# FastCGI: no socket, so without spawn-fcgi), and nginx on 127.0.0.1.
#
#   nginx/stack.sh run      start everything, print the URL, stay in the
#                           foreground; Ctrl-C or SIGTERM stops it all
#   nginx/stack.sh start    start everything in the background
#   nginx/stack.sh stop     stop what a start or run left running
#   nginx/stack.sh demo     load the sample data (calls, plan lines, awards)
#   nginx/stack.sh reload   render nginx's configuration from the
#                           environment again and reload the running nginx
#                           (the rate-limit test lowers the limits so)
#   nginx/stack.sh programs / programs-stop
#                           only the programs and the sender (an
#                           application node of nginx/cluster.sh)
#   nginx/stack.sh nginx / nginx-stop / plans
#                           only nginx, only the published plan
#
# Settings (environment): KC_VAR (state, default var/), PORT (8080),
# KC_BIN (programs, default build/), KC_WORKERS (worker processes per
# program, default 4; KC_WORKERS_REGISTER etc. for one program), KC_DEMO=1 (load sample data on start), KC_WRAP (a
# command each worker runs under, e.g. valgrind), KC_WORKERS_NOTIFY
# (senders, default 1; any number may run side by side). The sender's
# settings (KC_SMTP_URL, KC_SMS_URL, ...: cgi/notify/main.c) and
# KC_PUBLIC_URL reach it and the workers through this environment too.
# The workers inherit this environment (spawn-fcgi and multiwatch pass it
# on): KC_CLOCK_FILE, the test suite's clock (cgi/lib/clock.h), reaches them
# only when it is set here; nothing sets it outside the tests.
# KC_RUN (sockets and pid files, default $KC_VAR/run) and KC_LOG_DIR (the
# programs' logs, default $KC_VAR/log) let several application nodes share
# one KC_VAR; KC_APP_RUNS (their KC_RUN folders) makes nginx balance each
# program across them (nginx/cluster.sh).
# KC_ONE_NODE_PORT (with KC_APP_RUNS): the same site on that port too, over
# the first application node only (make cluster-bench compares the two).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
export KC_VAR=${KC_VAR:-$top/var}
VAR=$KC_VAR
PORT=${PORT:-8080}
BIN=${KC_BIN:-$top/build}
WORKERS=${KC_WORKERS:-4}
PROGRAMS="kc-dashboard kc-products kc-register kc-staff kc-imports"
RUN=${KC_RUN:-$VAR/run}
LOGD=${KC_LOG_DIR:-$VAR/log}
# A command to run each worker under (valgrind, for the memory checks).
KC_WRAP=${KC_WRAP:-}

say() { echo "stack: $*"; }

render() {
	local conf=$VAR/nginx/conf user=""
	mkdir -p "$conf" "$VAR/nginx/tmp" "$VAR/nginx/cache" "$VAR/log" "$RUN"
	# As root the workers keep root's rights: the checkout may be private.
	[ "$(id -u)" = 0 ] && user="user root;"
	local f
	for f in site.conf.in nginx.conf.in fastcgi.conf security-headers.conf; do
		sed -e "s|@VAR@|$VAR|g" -e "s|@RUN@|$RUN|g" -e "s|@PORT@|$PORT|g" \
		    -e "s|@LISTEN@|127.0.0.1|g" -e "s|@PUBLIC@|$top/public|g" \
		    -e "s|@CACHE@|$VAR/nginx/cache|g" -e "s|@ERRORS@|$here/errors|g" \
		    -e "s|@NGINX@|$conf|g" -e "s|@USER@|$user|g" \
		    -e "s|@APPLY_RATE@|${KC_APPLY_RATE:-30r/m}|g" \
		    -e "s|@APPLY_BURST@|${KC_APPLY_BURST:-10}|g" \
		    -e "s|@LOGIN_RATE@|${KC_LOGIN_RATE:-10r/m}|g" \
		    -e "s|@LOGIN_BURST@|${KC_LOGIN_BURST:-5}|g" \
		    "$here/$f" >"$conf/${f%.in}"
	done
	[ -n "${KC_APP_RUNS:-}" ] && upstreams "$conf"
	return 0
}

# Several application nodes (KC_APP_RUNS: their socket folders): one
# upstream per program with every node's socket and passive health checks
# (a node that failed is left alone for fail_timeout), each fastcgi_pass
# to its upstream. A request goes on to the next node after an error or a
# timeout, except a POST once it was sent (non_idempotent is not given).
upstreams() {
	local conf=$1 p d up=""
	for p in $PROGRAMS; do
		up+="upstream ${p//-/_} {"$'\n'
		for d in $KC_APP_RUNS; do
			up+="    server unix:$d/$p.sock max_fails=1 fail_timeout=10s;"$'\n'
		done
		up+="}"$'\n'
	done
	{ printf '%s' "$up"; sed -E '/#dev$/d; s|fastcgi_pass unix:[^;]*/(kc-[a-z]+)\.sock;|fastcgi_pass \1;|; s|fastcgi_pass kc-([a-z]+);|fastcgi_pass kc_\1;|' \
		"$conf/site.conf"; } >"$conf/site.conf.new"
	mv "$conf/site.conf.new" "$conf/site.conf"
	[ -n "${KC_ONE_NODE_PORT:-}" ] && one_node "$conf"
	cat >>"$conf/fastcgi.conf" <<-'EOF'
	# A cluster's application nodes: on to the next after an error or a
	# timeout (never a POST already sent), within two tries and 10 s.
	fastcgi_next_upstream error timeout;
	fastcgi_next_upstream_tries 2;
	fastcgi_next_upstream_timeout 10s;
	EOF
}

# For `make cluster-bench` only (KC_ONE_NODE_PORT): the same server once
# more on that port, each program's upstream the first application node
# alone, so that one load can be measured over one node and over all.
one_node() {
	local conf=$1 p d
	d=${KC_APP_RUNS# }
	d=${d%% *}
	{
		for p in $PROGRAMS; do
			printf 'upstream %s_one {\n    server unix:%s/%s.sock;\n}\n' "${p//-/_}" "$d" "$p"
		done
		sed -n '/^server {/,$p' "$conf/site.conf" | sed -E \
		    -e "s|listen ([0-9.]+):$PORT;|listen \\1:$KC_ONE_NODE_PORT;|" \
		    -e 's|fastcgi_pass (kc_[a-z]+);|fastcgi_pass \1_one;|'
	} >"$conf/site.one"
	cat "$conf/site.one" >>"$conf/site.conf"
	rm -f "$conf/site.one"
}

start_programs() {
	local p n
	for p in $PROGRAMS; do
		[ -x "$BIN/$p" ] || continue
		# Workers per program: KC_WORKERS, except kc-register, whose
		# requests mostly wait for the commit's fsync (twice as many
		# keep the disk busy), and the staff programs (few users);
		# KC_WORKERS_<NAME> (e.g. KC_WORKERS_REGISTER) overrides.
		case $p in
		kc-register) n=$((WORKERS * 2)) ;;
		kc-staff | kc-imports) n=$(( WORKERS > 2 ? 2 : WORKERS )) ;;
		*) n=$WORKERS ;;
		esac
		v=KC_WORKERS_$(tr 'a-z' 'A-Z' <<<"${p#kc-}")
		n=${!v:-$n}
		if [ -f "$RUN/$p.pid" ] && kill -0 "$(cat "$RUN/$p.pid")" 2>/dev/null; then
			continue
		fi
		rm -f "$RUN/$p.sock"
		# -n: spawn-fcgi binds the socket and execs multiwatch in place,
		# keeping stderr, so workers' logs reach var/log/. multiwatch
		# gives up on a worker after -r deaths within -t ms of each
		# other (default 3 in 10 s): a worker killed again and again must
		# still come back, so only a crash loop (< 1 s) counts.
		spawn-fcgi -n -s "$RUN/$p.sock" -M 0600 -- \
			/usr/bin/multiwatch -f "$n" -r 1000000 -t 1000 -s TERM -- $KC_WRAP "$BIN/$p" \
			</dev/null >>"$LOGD/$p.log" 2>&1 &
		echo $! >"$RUN/$p.pid"
		for _ in $(seq 1 50); do [ -S "$RUN/$p.sock" ] && break; sleep 0.1; done
		[ -S "$RUN/$p.sock" ] ||
			{ say "could not start $p, see $LOGD/$p.log"; exit 1; }
	done
}

# kc-notify: multiwatch alone, which starts it again when it dies (a
# crash, a kill): the same supervisor as the FastCGI workers.
start_sender() {
	local p=kc-notify
	[ -x "$BIN/$p" ] || return 0
	if [ -f "$RUN/$p.pid" ] && kill -0 "$(cat "$RUN/$p.pid")" 2>/dev/null; then
		return 0
	fi
	/usr/bin/multiwatch -f "${KC_WORKERS_NOTIFY:-1}" -r 1000000 -t 1000 -s TERM -- \
		$KC_WRAP "$BIN/$p" </dev/null >>"$LOGD/$p.log" 2>&1 &
	echo $! >"$RUN/$p.pid"
}

stop_programs() {
	local p pid
	for p in $PROGRAMS kc-notify; do
		[ -f "$RUN/$p.pid" ] || continue
		pid=$(cat "$RUN/$p.pid")
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		rm -f "$RUN/$p.pid" "$RUN/$p.sock"
	done
}

start_nginx() {
	render
	if [ -f "$RUN/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null; then
		nginx -p "$VAR/nginx" -c "$VAR/nginx/conf/nginx.conf" -e "$VAR/log/nginx-error.log" -s reload
		return
	fi
	nginx -p "$VAR/nginx" -c "$VAR/nginx/conf/nginx.conf" -e "$VAR/log/nginx-error.log" ||
		{ say "nginx did not start, see $VAR/log/nginx-error.log"; exit 1; }
}

stop_nginx() {
	[ -f "$RUN/nginx.pid" ] || return 0
	local pid
	pid=$(cat "$RUN/nginx.pid")
	kill -QUIT "$pid" 2>/dev/null || true
	for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -TERM "$pid" 2>/dev/null || true
	rm -f "$RUN/nginx.pid"
}

# The published 2020 plan, which the dashboard opens on and the tests
# read: made at every start through the console's code (cgi/lib/plan.c) by
# kc-admin plan-load, which leaves a published year as it is. It is no
# longer inserted by a migration (issue 18).
plans() {
	"$BIN/kc-admin" plan-load "$top/sql/demo/2020.plan.json" >/dev/null ||
		say "plan-load sql/demo/2020.plan.json failed"
}

demo() {
	local f
	# The other sample plans the same way, before the money that refers to
	# their activities.
	for f in "$top"/sql/demo/*.plan.json; do
		"$BIN/kc-admin" plan-load "$f" >/dev/null || say "plan-load $f failed"
	done
	for f in "$top"/sql/demo/*.sql; do
		[ -e "$f" ] || continue
		"$top/sql/instance.sh" client kc <"$f"
	done
	for f in "$top"/sql/demo/*.csv; do
		[ -e "$f" ] || continue
		[ -x "$BIN/kc-import" ] || break
		"$BIN/kc-import" "$f" >/dev/null || say "sample import $f failed"
	done
	say "sample data loaded"
}

start() {
	if ! { [ -f "$RUN/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null; } &&
		(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
		say "port $PORT is already in use on 127.0.0.1: choose another (PORT=...)"
		exit 1
	fi
	"$top/sql/instance.sh" start
	plans
	[ "${KC_DEMO:-0}" = 1 ] && demo
	start_programs
	start_sender
	start_nginx
	say "ready: http://127.0.0.1:$PORT/"
}

stop() {
	stop_nginx
	stop_programs
	"$top/sql/instance.sh" stop
}

case "${1:-}" in
run)
	trap 'echo; stop; rm -f "$RUN/stack.pid"; exit 0' INT TERM
	# A start that fails half-way stops what it had started.
	trap 'stop >/dev/null 2>&1; rm -f "$RUN/stack.pid"' EXIT
	mkdir -p "$RUN"
	echo $$ >"$RUN/stack.pid"
	start
	echo
	echo "  khuyencong is running:  http://127.0.0.1:$PORT/"
	echo "  dashboard  http://127.0.0.1:$PORT/            products  http://127.0.0.1:$PORT/products.html"
	echo "  apply      http://127.0.0.1:$PORT/register.html   staff  http://127.0.0.1:$PORT/admin/"
	echo "  first staff account:  $BIN/kc-admin user add NAME --role admin  (asks for a password);"
	echo "  an admin enrols a second factor (an authenticator app) at the first sign-in."
	echo "  Ctrl-C (or 'make stop') stops it; the data stays in $VAR."
	while :; do sleep 1 & wait $!; done
	;;
start) start ;;
stop)
	# A `run` in another terminal stops itself (and everything) on TERM.
	if [ -f "$RUN/stack.pid" ] && kill -0 "$(cat "$RUN/stack.pid")" 2>/dev/null; then
		pid=$(cat "$RUN/stack.pid")
		kill -TERM "$pid"
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	stop ;;
demo) plans; demo ;;
programs) mkdir -p "$RUN" "$LOGD"; start_programs; start_sender ;;
programs-stop) stop_programs ;;
plans) plans ;;
nginx) start_nginx ;;
nginx-stop) stop_nginx ;;
render) render ;;
reload)
	{ [ -f "$RUN/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null; } ||
		{ say "nginx is not running"; exit 1; }
	start_nginx ;;
*) echo "usage: $0 run|start|stop|demo|reload|programs|programs-stop|plans|nginx|nginx-stop" >&2; exit 2 ;;
esac
