// Issue 22: the rules hold across the nodes of `make cluster`. Requests go
// through nginx, which spreads them over both application nodes; those
// use different database nodes first (app 1: node 1, app 2: node 2), so
// concurrent last-place applications commit on different Galera nodes and
// only certification (call_place, unique keys) can keep them apart.
// Run by tests/cluster/faults.sh (make cluster-test) against its cluster,
// before the faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { BASE, post, TOP } from '../lib.mjs';
import { body, makeCall } from '../http/register-helpers.mjs';

const apply = (b) => post('/api/applications', { json: b });
// SQL on database node n of the cluster.
const onNode = (n, q) => execFileSync(path.join(TOP, 'nginx', 'cluster.sh'), ['db', String(n), 'client', 'kc', '-N', '-B', '-e', q],
  { encoding: 'utf8' }).trim();
const live = (call) => `SELECT COUNT(*) FROM application WHERE call_id = ${call} AND status NOT IN ('rejected', 'withdrawn')`;
// The count on every node, once each has applied what the others committed.
async function everywhere(q) {
  for (let i = 0; i < 50; i++) {
    const v = [1, 2, 3].map((n) => onNode(n, q));
    if (v.every((x) => x === v[0])) return v[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nodes disagree on ${q}`);
}

test('both application nodes write, each to its own database node', async () => {
  const call = makeCall();
  const res = await Promise.all(Array.from({ length: 12 }, async () => apply(await body(call))));
  assert.deepEqual([...new Set(res.map((r) => r.status))], [201]);
  const users = (n) => Number(onNode(n, "SELECT COUNT(*) FROM information_schema.processlist WHERE user = 'kc_public'"));
  assert.ok(users(1) > 0, 'an application node uses database node 1');
  assert.ok(users(2) > 0, 'an application node uses database node 2');
});

test('last places of a call across nodes: exactly the capacity accepted, every other answer 409, no 5xx', async () => {
  for (let round = 0; round < 4; round++) {
    const call = makeCall({ capacity: 3 });
    for (let i = 0; i < 2; i++) assert.equal((await apply(await body(call))).status, 201);
    const bodies = await Promise.all(Array.from({ length: 16 }, () => body(call)));
    const res = await Promise.all(bodies.map(apply));
    const st = res.map((r) => r.status).sort();
    assert.deepEqual(st, [201, ...Array(15).fill(409)], res.filter((r) => r.status !== 409).map((r) => r.text).join('\n'));
    assert.equal(await everywhere(live(call)), '3');
  }
});

test('one active application per facility and call across nodes; reference codes unique', async () => {
  const call = makeCall();
  const b = await body(call);
  const res = await Promise.all(Array.from({ length: 12 }, () => apply(b)));
  const st = res.map((r) => r.status).sort();
  assert.deepEqual(st, [201, ...Array(11).fill(409)], res.filter((r) => r.status >= 500).map((r) => r.text).join('\n'));
  assert.equal(await everywhere(live(call)), '1');
  const many = await Promise.all(Array.from({ length: 30 }, async () => apply(await body(call))));
  assert.deepEqual([...new Set(many.map((r) => r.status))], [201], many.filter((r) => r.status !== 201).map((r) => r.text).join('\n'));
  const refs = many.map((r) => r.json.ref_code);
  assert.equal(new Set(refs).size, 30, 'reference codes are unique');
  assert.equal(await everywhere(`SELECT COUNT(DISTINCT ref_code) FROM application WHERE call_id = ${call}`), '31');
});

// Read-your-writes across nodes: the programs whose users read what they
// have just written (kc-register, kc-staff, kc-imports) make their reads
// causal (wsrep_sync_wait = 1, cgi/lib/dbnodes.c); the public read
// programs do not. Galera counts causal reads (wsrep_causal_reads).
test('causal reads: the register program waits for earlier commits, the dashboard does not', async () => {
  const causal = () => [1, 2, 3].reduce((a, n) => a + Number(onNode(n, "SHOW GLOBAL STATUS LIKE 'wsrep_causal_reads'").split('\t')[1]), 0);
  // A cookie: past nginx's micro-cache, to the program.
  const get = async (url) => {
    const res = await fetch(BASE + url, { headers: { cookie: 'b=1' } });
    await res.arrayBuffer();
    assert.equal(res.status, 200, url);
  };
  const c0 = causal();
  for (let i = 0; i < 6; i++) await get('/api/dashboard?year=2020');
  const c1 = causal();
  for (let i = 0; i < 6; i++) await get('/api/calls');
  const c2 = causal();
  assert.equal(c1 - c0, 0, 'the dashboard reads without waiting');
  assert.ok(c2 - c1 >= 6, `each /api/calls read is causal (${c2 - c1} causal reads for 6 requests)`);
});
