#!/usr/bin/env bash
# Hot backups with mariadb-backup, their restore, and point-in-time
# recovery from the binary log.
#
#   sql/backup.sh backup          a backup of the running server into a new
#                                 folder: $KC_VAR/backups/YYYY-MM-DDTHHMMSSZ
#                                 or BACKUP_DIR
#   sql/backup.sh verify DIR      check DIR's checksums and that it is prepared
#   sql/backup.sh restore DIR     verify DIR, copy it into a fresh instance
#                                 ($KC_VAR/db, which must be empty unless
#                                 FORCE=1: the old one is moved aside), replay
#                                 the binary log up to UNTIL when set, start
#                                 the stack (nginx/stack.sh, PORT) and check
#                                 GET /api/health
#
# The server backed up: the private instance ($KC_VAR/run/mysqld.sock), or
# KC_DB_SOCKET, or KC_DB_HOST and KC_DB_PORT (e.g. one node of a Galera
# cluster: then with --galera-info). mariadb-backup reads the server's data
# files, so it runs on the server's machine, as a user who can read them.
# Account: kc_backup (made by sql/instance.sh with only the privileges a
# backup needs), password in KC_BACKUP_PASSWORD_FILE (default
# $KC_VAR/secrets/kc_backup.pw); KC_BACKUP_USER overrides the name.
#
# A backup folder: db/ (the data files, prepared: a datadir as is),
# files/ (the uploaded files), backup.info (when, from where, the binary log
# file and position at the backup), SHA256SUMS (every other file).
#
# Point-in-time recovery: UNTIL='YYYY-MM-DD HH:MM:SS' (the server's local
# time) replays, after the copy and before the migrations, the source's
# binary log from the backup's position up to that moment (mariadb-binlog
# --start-position --stop-datetime). The binary log is read from BINLOG_DIR,
# by default the folder the source wrote it to (backup.info).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
VAR=${KC_VAR:-$top/var}

die() { echo "backup: $*" >&2; exit 1; }
say() { echo "backup: $*"; }

# An option file with the account, read by the client and mariadb-backup
# (never a password on a command line).
optfile() {	# optfile FILE
	local user=${KC_BACKUP_USER:-kc_backup}
	local pwf=${KC_BACKUP_PASSWORD_FILE:-$VAR/secrets/kc_backup.pw}
	[ -r "$pwf" ] || die "no password file $pwf (sql/instance.sh migrate makes it)"
	local conn
	if [ -n "${KC_DB_HOST:-}" ]; then
		conn="host=$KC_DB_HOST
port=${KC_DB_PORT:-3306}"
	else
		conn="socket=${KC_DB_SOCKET:-$VAR/run/mysqld.sock}"
	fi
	(umask 077
	printf '[%s]\nuser=%s\npassword=%s\n%s\n' client "$user" "$(cat "$pwf")" "$conn" \
		mariadb-backup "$user" "$(cat "$pwf")" "$conn" >"$1")
}

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

q() {	# q OPTFILE SQL: one value
	mariadb --defaults-file="$1" -N -B -e "$2"
}

# Every file's checksum, paths relative to the folder.
sums() {	# sums DIR
	(cd "$1" && find . -type f ! -name SHA256SUMS -printf '%P\0' | sort -z |
		xargs -0 -r sha256sum >SHA256SUMS)
}

backup() {
	local stamp dir t0 t1 wsrep galera=() binfo
	stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
	dir=${BACKUP_DIR:-$VAR/backups/$stamp}
	if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
		die "$dir is not empty"
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	OPT=$(mktemp "$dir/.opt.XXXXXX")
	trap 'rm -f "$OPT"' EXIT
	optfile "$OPT"
	q "$OPT" 'SELECT 1' >/dev/null || die "cannot connect to the server (see above)"
	wsrep=$(q "$OPT" "SHOW GLOBAL VARIABLES LIKE 'wsrep_on'" | cut -f2)
	[ "$wsrep" = ON ] && galera=(--galera-info)
	t0=$(date +%s.%N)
	say "backing up $(q "$OPT" 'SELECT @@hostname, @@port, @@datadir' | tr '\t' ' ') into $dir"
	mariadb-backup --defaults-file="$OPT" --backup "${galera[@]}" \
		--target-dir="$dir/db" >"$dir/backup.log" 2>&1 ||
		{ tail -5 "$dir/backup.log" >&2; die "mariadb-backup --backup failed, see $dir/backup.log"; }
	# Prepared now, so that the folder is a datadir as it stands.
	mariadb-backup --no-defaults --prepare --target-dir="$dir/db" >"$dir/prepare.log" 2>&1 ||
		{ tail -5 "$dir/prepare.log" >&2; die "mariadb-backup --prepare failed, see $dir/prepare.log"; }
	# The uploaded files the rows name (content-addressed, never changed):
	# copied after the data, so every file a backed-up row names is there.
	local files=${KC_FILES_DIR:-$VAR/files}
	mkdir -p "$dir/files"
	if [ -d "$files" ]; then cp -a "$files/." "$dir/files/"; fi
	t1=$(date +%s.%N)
	# The binary log position at the backup (the file's name by version).
	local f binfo=
	for f in mariadb_backup_binlog_info xtrabackup_binlog_info; do
		[ -s "$dir/db/$f" ] && { binfo=$(head -1 "$dir/db/$f"); break; }
	done
	{
		echo "taken_utc=$stamp"
		echo "source=$(q "$OPT" 'SELECT CONCAT(@@hostname, ":", @@port, " ", @@datadir)')"
		echo "server_version=$(q "$OPT" 'SELECT VERSION()')"
		echo "binlog_basename=$(q "$OPT" 'SELECT IFNULL(@@log_bin_basename, "")')"
		echo "binlog_file=$(echo "$binfo" | cut -f1)"
		echo "binlog_pos=$(echo "$binfo" | cut -f2)"
		echo "gtid=$(echo "$binfo" | cut -f3)"
		echo "galera=${wsrep:-OFF}"
		# A Galera node's state (cluster uuid:seqno) at the backup.
		[ -s "$dir/db/xtrabackup_galera_info" ] &&
			echo "galera_state=$(head -1 "$dir/db/xtrabackup_galera_info")"
		echo "seconds=$(secs "$t0" "$t1")"
	} >"$dir/backup.info"
	rm -f "$OPT"
	sums "$dir"
	say "done in $(secs "$t0" "$t1") s, $(du -sh "$dir" | cut -f1), binary log ${binfo:-off}"
	echo "$dir"
}

info() {	# info DIR KEY
	sed -n "s/^$2=//p" "$1/backup.info"
}

verify() {	# verify DIR
	local dir=$1
	[ -f "$dir/SHA256SUMS" ] || die "$dir: no SHA256SUMS (not a backup folder?)"
	(cd "$dir" && sha256sum --check --quiet --strict SHA256SUMS) >&2 ||
		die "$dir: checksums do not match: refusing this backup"
	# Every file present is listed (nothing added since).
	local n
	n=$(cd "$dir" && find . -type f ! -name SHA256SUMS | wc -l)
	[ "$n" = "$(wc -l <"$dir/SHA256SUMS")" ] ||
		die "$dir: files not in SHA256SUMS: refusing this backup"
	grep -Eq "^backup_type = (log-applied|full-prepared)$" "$dir/db/xtrabackup_checkpoints" 2>/dev/null ||
		die "$dir: not prepared (mariadb-backup --prepare): refusing this backup"
	say "$dir: checksums match, prepared"
}

# Replay the source's binary log from the backup's position up to UNTIL.
replay() {	# replay DIR
	local dir=$1 base file pos logs=() f started=
	base=$(info "$dir" binlog_basename)
	file=$(info "$dir" binlog_file)
	pos=$(info "$dir" binlog_pos)
	[ -n "$file" ] && [ -n "$pos" ] || die "$dir: no binary log position (the source wrote none)"
	local bdir=${BINLOG_DIR:-$(dirname "$base")}
	[ -f "$bdir/$file" ] || die "binary log $bdir/$file not found (BINLOG_DIR)"
	# The files from the backup's onwards, in the index's order.
	while read -r f; do
		f=$(basename "$f")
		[ "$f" = "$file" ] && started=1
		[ -n "$started" ] && logs+=("$bdir/$f")
	done <"$bdir/$(basename "$base").index"
	[ ${#logs[@]} -gt 0 ] || die "$file is not in $bdir's index"
	say "replaying ${#logs[@]} binary log file(s) from $file:$pos until $UNTIL"
	mariadb-binlog --no-defaults --start-position="$pos" --stop-datetime="$UNTIL" \
		"${logs[@]}" | "$here/instance.sh" client ||
		die "replaying the binary log failed"
}

restore() {	# restore DIR
	local dir=${1:-}
	[ -n "$dir" ] || die "usage: sql/backup.sh restore DIR (make restore DIR=...)"
	dir=$(cd "$dir" && pwd) || die "no folder $1"
	verify "$dir"
	# The restored instance is the private one under KC_VAR, never the
	# server the backup came from.
	unset KC_DB_SOCKET KC_DB_HOST KC_DB_PORT
	export KC_VAR=$VAR
	if "$here/instance.sh" status >/dev/null 2>&1; then
		die "the instance in $VAR is running: stop it first (make stop KC_VAR=$VAR)"
	fi
	if [ -d "$VAR/db" ] && [ -n "$(ls -A "$VAR/db")" ]; then
		[ "${FORCE:-0}" = 1 ] || die "$VAR/db is not empty: FORCE=1 moves it aside and restores"
		local old
		old=$VAR/db.before-restore-$(date -u +%Y%m%dT%H%M%SZ)
		mv "$VAR/db" "$old"
		[ -d "$VAR/binlog" ] && mv "$VAR/binlog" "$old.binlog"
		say "moved the old data to $old"
	fi
	local t0
	t0=$(date +%s.%N)
	rm -rf "$VAR/db"
	mkdir -p "$VAR/log" "$VAR/files"
	mariadb-backup --no-defaults --copy-back --target-dir="$dir/db" --datadir="$VAR/db" \
		>"$VAR/log/restore.log" 2>&1 ||
		{ tail -5 "$VAR/log/restore.log" >&2; die "mariadb-backup --copy-back failed, see $VAR/log/restore.log"; }
	cp -a "$dir/files/." "$VAR/files/"
	if [ -n "${UNTIL:-}" ]; then
		"$here/instance.sh" serve
		replay "$dir"
	fi
	if [ ! -f "$top/nginx/stack.sh" ]; then
		# An installed copy (make install): the instance only; the
		# services start the programs.
		"$here/instance.sh" start
		say "restored $dir into $VAR in $(secs "$t0" "$(date +%s.%N)") s"
		return
	fi
	KC_DEMO=0 bash "$top/nginx/stack.sh" start
	local port=${PORT:-8080}
	curl -fsS --max-time 10 "http://127.0.0.1:$port/api/health" ||
		die "the restored stack failed its health check"
	echo
	say "restored $dir into $VAR in $(secs "$t0" "$(date +%s.%N)") s; running on http://127.0.0.1:$port/ (make stop KC_VAR=$VAR stops it)"
}

case "${1:-}" in
backup) backup ;;
verify) verify "${2:?usage: sql/backup.sh verify DIR}" ;;
restore) restore "${2:-}" ;;
*) echo "usage: $0 backup | verify DIR | restore DIR  (UNTIL, FORCE, BACKUP_DIR, BINLOG_DIR)" >&2; exit 2 ;;
esac
