// Issue 4, a call's capacity: once as many applications as the call has
// places are neither rejected nor withdrawn, the next one is 409 and
// nothing of it is stored; the call list shows the places left; two (or
// twenty) last-place applications at once: exactly one is accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, post, sql, assertError } from '../lib.mjs';
import { body, countApps, makeCall, suffix } from './register-helpers.mjs';

const apply = (b) => post('/api/applications', { json: b });

// The call as GET /api/calls lists it (a query of its own: no cached copy).
async function listed(id) {
  const r = await get(`/api/calls?open=1&per_page=100&fresh=${suffix()}`);
  assert.equal(r.status, 200);
  return r.json.items.find((c) => c.id === id);
}

test('a full call answers 409 conflict and stores nothing; a rejected application frees its place', async () => {
  const call = makeCall({ capacity: 2 });
  let c = await listed(call);
  assert.equal(c.capacity, 2);
  assert.equal(c.remaining, 2);
  const a1 = await apply(await body(call));
  assert.equal(a1.status, 201, a1.text);
  c = await listed(call);
  assert.equal(c.remaining, 1);
  const a2 = await apply(await body(call));
  assert.equal(a2.status, 201, a2.text);
  c = await listed(call);
  assert.equal(c.remaining, 0);

  const third = await body(call);
  const r = await apply(third);
  assertError(assert, r, 409, 'conflict');
  assert.match(r.json.error.message, /^Đợt hỗ trợ đã nhận đủ số hồ sơ/);
  assert.equal(countApps(call), 2);
  const [[fac]] = sql(`SELECT COUNT(*) FROM facility WHERE tax_code = '${third.facility.tax_code}'`);
  assert.equal(fac, '0', 'the refused facility was stored');

  // Withdrawn and rejected applications do not hold a place.
  sql(`UPDATE application SET status = 'rejected' WHERE ref_code = '${a1.json.ref_code}'`);
  c = await listed(call);
  assert.equal(c.remaining, 1);
  const again = await apply(third);
  assert.equal(again.status, 201, again.text);
  assert.equal(countApps(call), 3);
  const fourth = await apply(await body(call));
  assertError(assert, fourth, 409, 'conflict');
  sql(`UPDATE application SET status = 'withdrawn' WHERE ref_code = '${a2.json.ref_code}'`);
  assert.equal((await apply(await body(call))).status, 201);
  assert.equal(countApps(call), 4);
  // Still full: approved and under review ones count.
  sql(`UPDATE application SET status = 'under_review' WHERE ref_code = '${again.json.ref_code}'`);
  assertError(assert, await apply(await body(call)), 409, 'conflict');
  assert.equal(countApps(call), 4);
});

test('a call without capacity has remaining null and takes any number of applications', async () => {
  const call = makeCall();
  const c = await listed(call);
  assert.equal(c.capacity, null);
  assert.equal(c.remaining, null);
  for (let i = 0; i < 3; i++) assert.equal((await apply(await body(call))).status, 201);
  assert.equal(countApps(call), 3);
  const csv = await get(`/api/calls.csv?open=1&fresh=${suffix()}`);
  assert.match(csv.text.split('\r\n')[0], /,capacity,remaining,/);
});

test('two last-place POSTs at once: exactly one 201, the other 409', async () => {
  for (let round = 0; round < 5; round++) {
    const call = makeCall({ capacity: 3 });
    for (let i = 0; i < 2; i++) assert.equal((await apply(await body(call))).status, 201);
    const res = await Promise.all([apply(await body(call)), apply(await body(call))]);
    assert.deepEqual(res.map((r) => r.status).sort(), [201, 409], res.map((r) => r.text).join('\n'));
    assert.equal(countApps(call), 3);
  }
});

test('30 concurrent POSTs on a one-place call: one 201, 29 × 409, no 5xx', async () => {
  const call = makeCall({ capacity: 1 });
  const bodies = [];
  for (let i = 0; i < 30; i++) bodies.push(await body(call));
  const res = await Promise.all(bodies.map(apply));
  assert.equal(res.filter((r) => r.status >= 500).length, 0, res.map((r) => r.text).join('\n').slice(0, 500));
  assert.equal(res.filter((r) => r.status === 201).length, 1);
  const refused = res.filter((r) => r.status === 409);
  assert.equal(refused.length, 29);
  for (const r of refused) assert.match(r.json.error.message, /đã nhận đủ số hồ sơ/);
  assert.equal(countApps(call), 1);
  const ok = res.find((r) => r.status === 201);
  const [[ref]] = sql(`SELECT ref_code FROM application WHERE call_id = ${call}`);
  assert.equal(ref, ok.json.ref_code);
});
