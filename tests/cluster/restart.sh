#!/usr/bin/env bash
# Part of make cluster-test (issue 22): a full-cluster restart after a
# crash, against the running cluster of faults.sh (KC_CLUSTER_VAR, PORT).
# Database node 1 is SIGKILLed; once nodes 2 and 3 have gone on without
# it, a marker row is written on node 2; then nodes 2 and 3 are SIGKILLed
# together. Every grastate.dat then says seqno -1, safe_to_bootstrap 0:
# nginx/cluster.sh start must find the most advanced node with
# --wsrep-recover (2 or 3, never 1, which lacks the marker), bootstrap from
# it keeping the cluster's history (its state UUID) and let the others
# rejoin by IST, not SST. Afterwards the three are Synced, the applications
# and the marker are on every node, the checksums are equal, and the site
# answers. Exits 1 on a failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
CV=$KC_CLUSTER_VAR
TABLES="application, application_event, facility, support_call, call_place, audit_log"
fail=0
t0=$(date +%s.%N)
secs() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "[restart $(secs) s] $*"; }
bad() { echo "restart: FAILED: $*"; fail=1; }
q() { bash nginx/cluster.sh db "$1" client kc -N -B -e "$2" 2>/dev/null; }
st() { q "$1" "SHOW GLOBAL STATUS LIKE '$2'" | cut -f2; }
pid() { cat "$CV/node$1/mariadb.pid"; }
gone() {	# gone PID: wait until it has died (not even a zombie)
	local i s
	for i in $(seq 1 100); do
		s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
		[ "$s" = Z ] && return 0
		sleep 0.1
	done
	return 1
}

apps=$(q 1 "SELECT COUNT(*) FROM application")
uuid=$(st 1 wsrep_cluster_state_uuid)
for n in 1 2 3; do wc -c <"$CV/node$n/mariadb.log" >"$CV/node$n/log.size"; done
p1=$(pid 1)
kill -KILL "$p1"
gone "$p1"
say "db node 1 SIGKILLed (pid $p1); $apps applications, cluster state $uuid"
for _ in $(seq 1 150); do [ "$(st 2 wsrep_cluster_size)" = 2 ] && break; sleep 0.2; done
[ "$(st 2 wsrep_cluster_size)" = 2 ] || bad "nodes 2 and 3 did not go on without node 1"
marker=$(q 2 "INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
	VALUES (YEAR(UTC_TIMESTAMP()), 'trade_fair', 'Sau khi nút 1 dừng (cluster-test restart)',
	UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 DAY, 1000000); SELECT LAST_INSERT_ID()")
say "marker support_call $marker written on node 2 (cluster size $(st 2 wsrep_cluster_size))"
p2=$(pid 2) p3=$(pid 3)
kill -KILL "$p2" "$p3"
gone "$p2"; gone "$p3"
say "db nodes 2 and 3 SIGKILLed together (pids $p2 $p3)"
for n in 1 2 3; do
	g=$CV/node$n/data/grastate.dat
	s=$(sed -n 's/^seqno:[[:space:]]*//p' "$g") b=$(sed -n 's/^safe_to_bootstrap:[[:space:]]*//p' "$g")
	echo "  node $n grastate.dat: seqno $s, safe_to_bootstrap $b"
	[ "$s" = -1 ] && [ "$b" = 0 ] || bad "node $n's grastate.dat is not a crashed node's"
done

# The full start, as an operator would run it (no sample data again).
t=$(date +%s)
if KC_DEMO=0 bash nginx/cluster.sh start >"$CV/restart.log" 2>&1; then
	say "nginx/cluster.sh start took $(( $(date +%s) - t )) s"
else
	bad "nginx/cluster.sh start failed"; tail -15 "$CV/restart.log"
fi
boot=$(sed -n 's/^cluster: node \([0-9]\) bootstraps.*/\1/p' "$CV/restart.log")
for n in 1 2 3; do
	r=$(sed -n 's/.*Recovered position: \([^ ]*\).*/\1/p' "$CV/node$n/recover.log" 2>/dev/null | tail -1)
	echo "  node $n recovered position ${r:-?}"
done
echo "  bootstrapped from node ${boot:-?}"
case $boot in 2 | 3) ;; *) bad "bootstrapped from node '${boot}', not the most advanced (2 or 3)" ;; esac
now=$(st "${boot:-2}" wsrep_cluster_state_uuid)
[ "$now" = "$uuid" ] && echo "  cluster state UUID kept: $now" ||
	bad "the cluster began a new history ($now, was $uuid)"
for n in 1 2 3; do
	tail -c +"$(( $(cat "$CV/node$n/log.size") + 1 ))" "$CV/node$n/mariadb.log" | grep -q 'Proceeding with SST' &&
		bad "node $n rejoined by a full SST, not IST"
done
sums=()
for n in 1 2 3; do
	s=$(st "$n" wsrep_local_state_comment) c=$(st "$n" wsrep_cluster_size)
	a=$(q "$n" "SELECT COUNT(*) FROM application") m=$(q "$n" "SELECT COUNT(*) FROM support_call WHERE id = ${marker:-0}")
	sums+=("$(q "$n" "CHECKSUM TABLE $TABLES" | cut -f2 | tr '\n' ,)")
	echo "  node $n: $s, cluster size $c, $a applications, marker ${m:-?}"
	[ "$s" = Synced ] && [ "$c" = 3 ] || bad "node $n not Synced in a cluster of 3"
	[ "$a" = "$apps" ] || bad "node $n has $a applications, not $apps"
	[ "$m" = 1 ] || bad "node $n lacks the marker row"
done
[ "${sums[0]}" = "${sums[1]}" ] && [ "${sums[1]}" = "${sums[2]}" ] &&
	echo "  checksums ($TABLES): equal on the three nodes" || bad "checksums differ: ${sums[*]}"
h=$(curl -s -o /dev/null -w '%{http_code}' "$KC_URL/api/health")
[ "$h" = 200 ] && echo "  GET /api/health: 200" || bad "GET /api/health answered $h"
say "done"
[ $fail = 0 ] && echo "cluster-test restart: the most advanced node bootstrapped, the three Synced, data intact"
exit $fail
