#!/usr/bin/env bash
# The project's private MariaDB instance: data under $KC_VAR/db, a unix
# socket under $KC_VAR/run, no TCP port, nothing system-wide touched.
#
#   sql/instance.sh start     create on first use, start, apply migrations
#   sql/instance.sh serve     create on first use and start, without the
#                             migrations (a restore replays the binary log first)
#   sql/instance.sh stop      stop the server (the data stays)
#   sql/instance.sh migrate   apply new migrations, database users, grants
#   sql/instance.sh client    a mariadb client as the instance's admin
#   sql/instance.sh status    running or not
#
# KC_VAR defaults to var/ in the checkout. The server writes a binary log
# under $KC_VAR/binlog (point-in-time recovery after a restore, see
# sql/backup.sh), kept KC_BINLOG_DAYS days (default 14: longer than the
# time between two backups, which `make backup` takes).
# KC_VAR defaults to var/ in the checkout. A Galera node of `make cluster`
# (nginx/cluster.sh) is this same server with its own files and more
# settings: KC_DB_DATA (data folder, default $KC_VAR/db), KC_DB_SOCKET,
# KC_DB_PID, KC_DB_LOG, KC_DB_LISTEN (a TCP port on 127.0.0.1 instead of
# no networking), KC_DB_ARGS (more server options: wsrep), KC_DB_INIT=0
# (no mariadb-install-db: a joining node receives its data by SST),
# KC_DB_DEFAULTS (an option file to write the options into and start the
# server with, where the state-transfer scripts read them; KC_DB_CNF is
# appended to it),
# KC_DB_WAIT (seconds to wait for the server, default 30).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
VAR=${KC_VAR:-$top/var}
DB=kc
DATA=${KC_DB_DATA:-$VAR/db}
SOCK=${KC_DB_SOCKET:-$VAR/run/mysqld.sock}
PID=${KC_DB_PID:-$VAR/run/mariadb.pid}
LOG=${KC_DB_LOG:-$VAR/log/mariadb.log}
ME=$(id -un)

die() { echo "instance: $*" >&2; exit 1; }

client() {
	mariadb --no-defaults --socket="$SOCK" -u "$ME" --default-character-set=utf8mb4 "$@"
}

# Running and not a zombie (a killed server may wait long for its reaper).
running() {
	[ -f "$PID" ] || return 1
	local st
	st=$(awk '{print $3}' "/proc/$(cat "$PID")/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

init() {
	mkdir -p "$DATA"
	[ "${KC_DB_INIT:-1}" = 0 ] && return 0
	[ -d "$DATA/mysql" ] && return 0
	echo "instance: creating a new database in $DATA"
	mariadb-install-db --no-defaults --datadir="$DATA" --user="$ME" \
		--auth-root-authentication-method=socket --skip-test-db \
		>"$VAR/log/mariadb-install.log" 2>&1 ||
		die "mariadb-install-db failed, see $VAR/log/mariadb-install.log"
}

# The server's options (beside the data folder's files): shared by the
# single instance and the nodes of a cluster.
server_args() {
	local net=(--skip-networking --skip-name-resolve)
	[ -n "${KC_DB_LISTEN:-}" ] &&
		net=(--port="$KC_DB_LISTEN" --bind-address=127.0.0.1)
	printf '%s\n' --no-defaults --user="$ME" --datadir="$DATA" \
		--socket="$SOCK" --pid-file="$PID" --log-error="$LOG" \
		--tmpdir="$VAR/tmp" "${net[@]}" \
		--character-set-server=utf8mb4 \
		--collation-server=utf8mb4_uca1400_ai_ci \
		--innodb-buffer-pool-size="${KC_DB_BUFFER_POOL:-256M}" \
		--innodb-log-file-size=256M \
		--innodb-flush-log-at-trx-commit=1 \
		--innodb-flush-method=O_DSYNC \
		--innodb-autoinc-lock-mode=2 \
		--max-connections=400 --max-allowed-packet=64M \
		--local-infile=1
	# The binary log, in rows, synced at every commit like InnoDB's (with
	# the log on, a commit is durable only when both are): what a restore
	# replays up to a moment (sql/backup.sh). A cluster node (wsrep) has
	# its own options.
	case " ${KC_DB_ARGS:-} " in
	*" --wsrep-on"*) printf '%s\n' --skip-log-bin ;;
	*) printf '%s\n' --server-id="${KC_DB_SERVER_ID:-1}" \
		--log-bin="$VAR/binlog/kc-bin" --binlog-format=ROW \
		--sync-binlog=1 --max-binlog-size=256M \
		--binlog-expire-logs-seconds=$(( ${KC_BINLOG_DAYS:-14} * 86400 )) ;;
	esac
	# shellcheck disable=SC2086
	[ -n "${KC_DB_ARGS:-}" ] && printf '%s\n' $KC_DB_ARGS
	return 0
}

start() {
	mkdir -p "$VAR/run" "$VAR/log" "$VAR/secrets" "$VAR/binlog" "$(dirname "$PID")"
	chmod 700 "$VAR/secrets"
	if running; then
		echo "instance: already running (pid $(cat "$PID"))"
	else
		init
		# Durability first: every acknowledged commit is on disk.
		# O_DSYNC: InnoDB writes its log and data files through, each
		# write durable by itself instead of a write and then an
		# fdatasync(); on this volume POST /api/applications p99 38-43
		# ms against 38-61 (eight alternating runs; README, issue 4).
		# Temporary tables go under the state folder, never the shared
		# /tmp, where something else cleaning it once failed a test.
		# Interleaved auto-increment (innodb_autoinc_lock_mode=2), as
		# a Galera cluster requires: the single instance behaves the
		# same (the importer does not rely on consecutive ids).
		# The binary log (server_args) for a restore to a moment.
		mkdir -p "$VAR/tmp"
		local args
		mapfile -t args < <(server_args)
		if [ -n "${KC_DB_DEFAULTS:-}" ]; then
			{
				echo "[mysqld]"
				printf '%s\n' "${args[@]:1}" | sed -e 's/^--//' \
					-e 's/^\([^=]*\)=\(.*;.*\)$/\1="\2"/'
				printf '%s\n' "${KC_DB_CNF:-}"
			} >"$KC_DB_DEFAULTS"
			args=(--defaults-file="$KC_DB_DEFAULTS")
		fi
		mariadbd "${args[@]}" >>"$LOG" 2>&1 &
		local spid=$!
		for _ in $(seq 1 $(( ${KC_DB_WAIT:-30} * 10 ))); do
			if client -e 'SELECT 1' >/dev/null 2>&1; then break; fi
			kill -0 "$spid" 2>/dev/null || break
			sleep 0.1
		done
		client -e 'SELECT 1' >/dev/null 2>&1 ||
			die "MariaDB did not start, see $LOG"
		echo "instance: MariaDB running on $SOCK"
	fi
}

stop() {
	if running; then
		local pid
		pid=$(cat "$PID")
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 300); do
			running || break
			sleep 0.1
		done
		echo "instance: MariaDB stopped"
	fi
}

# Apply every sql/migrations/NNN_*.sql not yet recorded, in order.
migrate() {
	client -e "CREATE DATABASE IF NOT EXISTS $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_uca1400_ai_ci;
		CREATE TABLE IF NOT EXISTS $DB.schema_migration (
			version INT PRIMARY KEY, name VARCHAR(200) NOT NULL,
			applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB"
	local f base ver n=0
	for f in "$here"/migrations/[0-9]*.sql; do
		[ -e "$f" ] || continue
		base=$(basename "$f")
		ver=$((10#${base%%_*}))
		if [ -n "$(client -N -e "SELECT 1 FROM $DB.schema_migration WHERE version=$ver" )" ]; then
			continue
		fi
		echo "instance: applying $base"
		(cd "$here" && client --local-infile=1 "$DB" <"$f") ||
			die "migration $base failed"
		client -e "INSERT INTO $DB.schema_migration (version, name) VALUES ($ver, '$base')"
		n=$((n + 1))
	done
	users
	[ $n -gt 0 ] || echo "instance: schema up to date"
}

# The programs' accounts: random passwords kept in $KC_VAR/secrets.
users() {
	local u pw
	for u in kc_public kc_staff; do
		if [ ! -s "$VAR/secrets/$u.pw" ]; then
			(umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$VAR/secrets/$u.pw")
		fi
		pw=$(cat "$VAR/secrets/$u.pw")
		client -e "CREATE USER IF NOT EXISTS '$u'@'localhost' IDENTIFIED BY '$pw';
			ALTER USER '$u'@'localhost' IDENTIFIED BY '$pw'"
	done
	client "$DB" <"$here/grants.sql" || die "grants failed"
	backup_user
}

# The account of sql/backup.sh (mariadb-backup): only what a hot backup
# needs — RELOAD (BACKUP STAGE, FLUSH), PROCESS, LOCK TABLES, BINLOG
# MONITOR (the binary log position) and SLAVE MONITOR (--galera-info on a
# cluster node); no data privileges (mariadb-backup copies the files).
# From the socket, or from 127.0.0.1 for a server given by host and port.
backup_user() {
	local f=$VAR/secrets/kc_backup.pw pw h
	if [ ! -s "$f" ]; then
		(umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$f")
	fi
	pw=$(cat "$f")
	for h in localhost 127.0.0.1; do
		client -e "CREATE USER IF NOT EXISTS 'kc_backup'@'$h' IDENTIFIED BY '$pw';
			ALTER USER 'kc_backup'@'$h' IDENTIFIED BY '$pw';
			GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SLAVE MONITOR
				ON *.* TO 'kc_backup'@'$h'"
	done
}

case "${1:-}" in
start) start; migrate ;;
serve) start ;;
args) server_args ;;
stop) stop ;;
migrate) migrate ;;
client) shift; client "$@" ;;
status) if running; then echo "running (pid $(cat "$PID"))"; else echo "stopped"; exit 1; fi ;;
*) echo "usage: $0 start|serve|stop|migrate|client|status|args" >&2; exit 2 ;;
esac
