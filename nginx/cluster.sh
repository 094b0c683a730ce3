#!/usr/bin/env bash
# `make cluster`: the stack of stack.sh spread as it would be over several
# machines, all on 127.0.0.1 (issue 22): three MariaDB Galera nodes, two
# application nodes (every FastCGI program and the sender under their own
# supervisor, on their own sockets, each with the list of database nodes
# in its own order), and nginx balancing each program across the
# application nodes. The pieces are stack.sh's and sql/instance.sh's.
#
#   nginx/cluster.sh run      start everything, print what runs where,
#                             stay in the foreground; Ctrl-C stops it all
#   nginx/cluster.sh start    start everything in the background
#   nginx/cluster.sh stop     stop it all (the data stays in var/cluster)
#   nginx/cluster.sh status   each node: running, its Galera state
#   nginx/cluster.sh db N start|stop|client ...   one database node
#   nginx/cluster.sh app N start|stop             one application node
#
# Ports (PORT, default 8090): nginx PORT; database node N (1..3) from
# PORT+1+5(N-1): client, group communication, IST, SST. A first start
# creates node 1 and bootstraps the cluster from it; nodes 2 and 3 join by
# SST (mariabackup). A later start after all had stopped bootstraps from the most
# advanced node (grastate.dat: safe_to_bootstrap, else the highest seqno,
# recovered with --wsrep-recover where the file says -1, as after a crash
# of every node); a node that crashed starts from its recovered position,
# so that the cluster keeps its history and the others rejoin by IST; a
# node that is still running is left as it is and the others join it.
# Migrations run once, on the node that bootstrapped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
CV=${KC_CLUSTER_VAR:-$top/var/cluster}
PORT=${PORT:-8090}
BIN=${KC_BIN:-$top/build}
NODES="1 2 3"
APPS="1 2"
export KC_VAR=$CV KC_BIN=$BIN

say() { echo "cluster: $*"; }

port() { echo $((PORT + 1 + 5 * ($1 - 1) + $2)); }	# node, 0..3
gcomm() {
	local n list=""
	for n in $NODES; do list+="${list:+,}127.0.0.1:$(port "$n" 1)"; done
	echo "gcomm://$list"
}

# The order application node $1 tries the database nodes in.
hosts_of() {
	local n list="" order
	case $1 in 1) order="1 2 3" ;; 2) order="2 3 1" ;; *) order="3 1 2" ;; esac
	for n in $order; do list+="${list:+,}127.0.0.1:$(port "$n" 0)"; done
	echo "$list"
}

# sql/instance.sh for database node $1 (the rest of the arguments).
node() {
	local n=$1 d=$CV/node$1
	shift
	mkdir -p "$d"
	# The options go into an option file, where the state-transfer
	# scripts read them (else they read the system's): their logs
	# into files, not syslog.
	KC_DB_DEFAULTS=$d/my.cnf \
	KC_DB_CNF=$(printf '[sst]\nsst-syslog=-1\nsst-log-archive-dir=%s' "$d/sst-log") \
	KC_DB_DATA=$d/data KC_DB_SOCKET=$d/mysqld.sock KC_DB_PID=$d/mariadb.pid \
	KC_DB_LOG=$d/mariadb.log KC_DB_LISTEN=$(port "$n" 0) \
	KC_DB_BUFFER_POOL=${KC_DB_BUFFER_POOL:-96M} KC_DB_WAIT=180 \
	KC_DB_ARGS="--wsrep-on=ON --wsrep-provider=/usr/lib/galera/libgalera_smm.so
		--wsrep-cluster-name=khuyencong --wsrep-cluster-address=$(gcomm)
		--wsrep-node-name=node$n --wsrep-node-address=127.0.0.1:$(port "$n" 1)
		--wsrep-sst-receive-address=127.0.0.1:$(port "$n" 3)
		--wsrep-sst-method=mariabackup --wsrep-slave-threads=2
		--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:$(port "$n" 1);ist.recv_addr=127.0.0.1:$(port "$n" 2);gcache.size=128M;evs.keepalive_period=PT1S;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.inactive_check_period=PT1S;evs.install_timeout=PT6S
		--binlog-format=ROW --default-storage-engine=InnoDB
		${KC_DB_EXTRA:-}" \
	"$top/sql/instance.sh" "$@"
}

sql() { local n=$1; shift; node "$n" client -N -B -e "$*" 2>/dev/null; }
running() { node "$1" status >/dev/null 2>&1; }
wsrep() { sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" | awk '{print $2}'; }

# Wait until node $1 is Synced (wsrep_local_state 4).
synced() {
	local i
	for i in $(seq 1 600); do
		[ "$(wsrep "$1" wsrep_local_state 2>/dev/null)" = 4 ] && return 0
		sleep 0.2
	done
	say "node $1 did not reach Synced, see $CV/node$1/mariadb.log"
	return 1
}

# grastate.dat's field $2 of node $1 ("" when there is none).
grastate() {
	sed -n "s/^$2:[[:space:]]*//p" "$CV/node$1/data/grastate.dat" 2>/dev/null
}

# Node $1's position (uuid:seqno) from its InnoDB log (--wsrep-recover),
# for a node that did not stop cleanly (grastate.dat's seqno -1).
# Kept in recovered.pos until the node starts (one recovery per start:
# choosing the node to bootstrap from and starting it both ask).
recovered() {
	local args f=$CV/node$1/recovered.pos
	if ! [ -s "$f" ] || ! [ "$f" -nt "$CV/node$1/data/ib_logfile0" ]; then
		mapfile -t args < <(node "$1" args)
		rm -f "$CV/node$1/recover.log"
		mariadbd "${args[@]}" --wsrep-recover \
			--log-error="$CV/node$1/recover.log" >/dev/null 2>&1 || true
		sed -n 's/.*Recovered position: \([^ ]*:-\?[0-9]*\).*/\1/p' \
			"$CV/node$1/recover.log" | tail -1 >"$f"
	fi
	cat "$f"
}

# Node $1's last committed seqno: grastate.dat, or the InnoDB log's.
seqno() {
	local s
	s=$(grastate "$1" seqno)
	[ "$s" = -1 ] && s=$(recovered "$1" | sed 's/.*://')
	echo "${s:--1}"
}

# The node to bootstrap from after all stopped: safe_to_bootstrap: 1, else
# the highest seqno.
most_advanced() {
	local n best="" bs=-2 s
	for n in $NODES; do
		[ -f "$CV/node$n/data/grastate.dat" ] || continue
		if [ "$(grastate "$n" safe_to_bootstrap)" = 1 ]; then echo "$n"; return; fi
		s=$(seqno "$n")
		if [ "$s" -gt "$bs" ]; then bs=$s; best=$n; fi
	done
	echo "${best:-1}"
}

db_start() {
	local n=$1 first=${2:-0} pos=""
	running "$n" && return 0
	# A node killed (grastate.dat's seqno -1) starts from the position
	# its InnoDB log recovers: the one bootstrapping keeps the cluster's
	# history (with -1 it would begin a new one, and every other node
	# would need a full SST), a joining one rejoins by IST.
	[ "$(grastate "$n" seqno)" = -1 ] && pos=$(recovered "$n")
	case $pos in *:-1) pos="" ;; esac
	if [ "$first" = 1 ]; then
		say "node $n bootstraps the cluster${pos:+ from $pos}"
		[ -f "$CV/node$n/data/grastate.dat" ] &&
			sed -i 's/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/' \
				"$CV/node$n/data/grastate.dat"
		KC_DB_EXTRA="--wsrep-new-cluster${pos:+ --wsrep-start-position=$pos}" \
			node "$n" serve >/dev/null
	else
		say "node $n joins (IST or SST)${pos:+ from $pos}"
		KC_DB_INIT=0 KC_DB_EXTRA=${pos:+--wsrep-start-position=$pos} \
			node "$n" serve >/dev/null
	fi
	rm -f "$CV/node$n/recovered.pos"
	synced "$n"
}

db_stop() { running "$1" && node "$1" stop >/dev/null; return 0; }

dbs_start() {
	local n boot="" up=""
	for n in $NODES; do running "$n" && up=$n; done
	if [ -z "$up" ]; then
		boot=$(most_advanced)
		db_start "$boot" 1
		up=$boot
	fi
	for n in $NODES; do [ "$n" = "$up" ] || db_start "$n"; done
	if [ -n "$boot" ]; then
		say "migrations on node $boot"
		node "$boot" migrate | sed 's/^/  /'
		# The node that ran the migrations kept triggers in its table
		# cache in a state that fails them ("Unknown trigger has an
		# error in its body: 'Query was empty'") until the tables are
		# opened again; the other nodes are not affected.
		sql "$boot" "FLUSH TABLES"
	fi
}

app() {
	local a=$1
	shift
	KC_RUN=$CV/app$a/run KC_LOG_DIR=$CV/app$a/log KC_DB_HOSTS=$(hosts_of "$a") \
	KC_DB_READ_TIMEOUT=${KC_DB_READ_TIMEOUT:-3} bash "$here/stack.sh" "$@"
}

edge() {
	local a runs=""
	for a in $APPS; do runs+=" $CV/app$a/run"; done
	KC_RUN=$CV/run KC_APP_RUNS=$runs KC_DB_HOSTS=$(hosts_of 1) PORT=$PORT \
		bash "$here/stack.sh" "$@"
}

start() {
	local a
	mkdir -p "$CV/run" "$CV/log"
	if ! { [ -f "$CV/run/nginx.pid" ] && kill -0 "$(cat "$CV/run/nginx.pid")" 2>/dev/null; } &&
		(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
		say "port $PORT is already in use on 127.0.0.1: choose another (PORT=...)"
		exit 1
	fi
	dbs_start
	edge plans
	[ "${KC_DEMO:-0}" = 1 ] && KC_DB_SOCKET=$CV/node1/mysqld.sock edge demo
	for a in $APPS; do app "$a" programs; done
	edge nginx
	say "ready: http://127.0.0.1:$PORT/"
}

stop() {
	local n
	edge nginx-stop || true
	for a in $APPS; do app "$a" programs-stop || true; done
	# The last to stop is the one safe to bootstrap from.
	for n in $(echo "$NODES" | tr ' ' '\n' | sort -r); do db_stop "$n"; done
}

where() {
	local n a
	echo
	echo "  khuyencong (cluster) is running:  http://127.0.0.1:$PORT/"
	echo "  nginx        127.0.0.1:$PORT, balancing over the application nodes"
	for a in $APPS; do
		echo "  app node $a   programs + kc-notify, sockets $CV/app$a/run,"
		echo "               database nodes in this order: $(hosts_of "$a")"
	done
	for n in $NODES; do
		echo "  db node $n    client 127.0.0.1:$(port "$n" 0), group $(port "$n" 1)," \
			"IST $(port "$n" 2), SST $(port "$n" 3); data $CV/node$n/data"
	done
	echo "  Ctrl-C (or 'make cluster-stop') stops it; the data stays in $CV."
}

status() {
	local n
	for n in $NODES; do
		if running "$n"; then
			echo "db node $n: $(wsrep "$n" wsrep_local_state_comment)," \
				"cluster size $(wsrep "$n" wsrep_cluster_size)"
		else
			echo "db node $n: stopped (seqno $(grastate "$n" seqno))"
		fi
	done
}

case "${1:-}" in
run)
	trap 'echo; stop; rm -f "$CV/run/cluster.pid"; exit 0' INT TERM
	trap 'stop >/dev/null 2>&1; rm -f "$CV/run/cluster.pid"' EXIT
	mkdir -p "$CV/run"
	echo $$ >"$CV/run/cluster.pid"
	start
	where
	while :; do sleep 1 & wait $!; done
	;;
start) start; where ;;
stop)
	if [ -f "$CV/run/cluster.pid" ] && kill -0 "$(cat "$CV/run/cluster.pid")" 2>/dev/null; then
		pid=$(cat "$CV/run/cluster.pid")
		kill -TERM "$pid"
		for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	stop ;;
status) status ;;
reload) edge nginx ;;
db)
	case $3 in
	start) db_start "$2" ;;
	stop) db_stop "$2" ;;
	*) n=$2; shift 2; node "$n" "$@" ;;
	esac ;;
app) app "$2" "$([ "$3" = stop ] && echo programs-stop || echo programs)" ;;
*) echo "usage: $0 run|start|stop|status|db N start|stop|client|app N start|stop" >&2; exit 2 ;;
esac
