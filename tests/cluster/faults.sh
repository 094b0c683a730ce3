#!/usr/bin/env bash
# make cluster-test: a cluster of its own (var/cluster-test, CLUSTER_PORT,
# the optimised build, sample data), the rules across nodes
# (rules.test.mjs), faults under load (faults.mjs), a
# full-cluster restart after every node was SIGKILLed (restart.sh), the
# cluster stopped at the end. CLUSTER_TEST_KEEP=1 keeps the data.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
export KC_CLUSTER_VAR=${KC_CLUSTER_TEST_VAR:-$top/var/cluster-test}
export PORT=${CLUSTER_PORT:-18090} KC_URL=http://127.0.0.1:${CLUSTER_PORT:-18090}
export KC_BIN=$top/build KC_DEMO=1 KC_LOG_QUIET=1
export KC_APPLY_RATE=1000000r/m KC_APPLY_BURST=100000
export KC_LOGIN_RATE=1000000r/m KC_LOGIN_BURST=100000
export KC_VAR=$KC_CLUSTER_VAR
start=$(date +%s)
bash nginx/cluster.sh stop >/dev/null 2>&1
rm -rf "$KC_CLUSTER_VAR"
trap 'bash nginx/cluster.sh stop >/dev/null 2>&1; [ "${CLUSTER_TEST_KEEP:-0}" = 1 ] || rm -rf "$KC_CLUSTER_VAR"' EXIT
bash nginx/cluster.sh start >"$top/var/cluster-test.start.log" 2>&1 ||
	{ echo "cluster-test: the cluster did not start, see var/cluster-test.start.log"; tail -20 "$top/var/cluster-test.start.log"; exit 1; }
echo "cluster-test: cluster up in $(( $(date +%s) - start )) s"
# The rules across nodes (capacity, one active application, unique codes,
# causal reads), then the faults.
KC_DB_SOCKET=$KC_CLUSTER_VAR/node1/mysqld.sock node --test --test-reporter=dot tests/cluster/rules.test.mjs
rules=$?
[ $rules = 0 ] && echo "cluster-test: rules across nodes hold (tests/cluster/rules.test.mjs)" ||
	echo "cluster-test: rules across nodes FAILED (tests/cluster/rules.test.mjs)"
node tests/cluster/faults.mjs
rc=$?
[ $rules = 0 ] || rc=1
# Then every database node SIGKILLed and the cluster started again.
echo
bash tests/cluster/restart.sh || rc=1
echo "cluster-test: $(( $(date +%s) - start )) s in all"
exit $rc
