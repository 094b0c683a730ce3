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
import { BASE, http, post, TOP } from '../lib.mjs';
import { body, makeCall } from '../http/register-helpers.mjs';
import { signedIn, as } from '../http/staff-helpers.mjs';
import { csv } from '../http/import-helpers.mjs';

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

// An award list imported through one application node and undone through
// the other (nginx alternates them): the rows, the run's record for its
// undo (import_new, migration 074; the undo's temporary table is its
// session's alone) and their removal reach every database node.
test('an award list imported and undone across nodes: every node has its rows, then none', async () => {
  const importer = await signedIn(['importer'], 'imp');
  const tag = Date.now().toString(36);
  const rows = [];
  for (let i = 0; i < 40; i++) rows.push([`Nước mắm ${tag} ${i}`, `Cơ sở Cụm ${tag} ${i % 4}`, 'Huyện Nghi Xuân', 2023, 'Cấp huyện', '', '', '']);
  const up = await http('POST', '/api/admin/imports', {
    body: Buffer.from(csv(rows), 'utf8'),
    headers: { cookie: importer.cookie, 'x-csrf-token': importer.csrf, 'content-type': 'text/csv' },
  });
  assert.equal(up.status, 201, up.text);
  const id = up.json.import_id;
  const products = `SELECT COUNT(*) FROM product p JOIN facility f ON f.id = p.facility_id WHERE f.name LIKE 'Cơ sở Cụm ${tag} %'`;
  assert.equal(await everywhere(products), '40');
  assert.equal(await everywhere(`SELECT COUNT(*) FROM import_new WHERE import_id = ${id}`), '3');
  const u = await as(importer, 'POST', `/api/admin/import-runs/${id}/undo`, {});
  assert.equal(u.status, 200, u.text);
  assert.deepEqual(u.json.removed, { awards: 40, products: 40, facilities: 4, groups: 0 });
  assert.equal(await everywhere(products), '0');
});
