// Issue 4: 200 concurrent applications, 50 of them the same facility on
// the same call. Exactly one of those 50 is accepted, the other 49 are
// 409; the 150 distinct facilities are all accepted; no 5xx; every 201
// is in the database afterwards, with distinct reference codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { post, sql } from '../lib.mjs';
import { body, countApps, makeCall } from './register-helpers.mjs';

test('200 concurrent POSTs, 50 the same facility: one 201 among them, the rest 409, no 5xx', async () => {
  const call = makeCall({ max: 50000000 });
  const same = await body(call);
  const bodies = [];
  for (let i = 0; i < 200; i++) {
    if (i % 4 === 0) bodies.push({ same: true, b: { ...same, note: `lần ${i}` } });
    else bodies.push({ same: false, b: await body(call) });
  }
  const res = await Promise.all(bodies.map(({ same: s, b }) => post('/api/applications', { json: b }).then((r) => ({ s, r }))));
  const fivexx = res.filter(({ r }) => r.status >= 500);
  assert.equal(fivexx.length, 0, fivexx.map(({ r }) => `${r.status} ${r.text}`).slice(0, 3).join('\n'));
  const sameRes = res.filter(({ s }) => s);
  assert.equal(sameRes.length, 50);
  assert.equal(sameRes.filter(({ r }) => r.status === 201).length, 1);
  assert.equal(sameRes.filter(({ r }) => r.status === 409 && r.json.error.code === 'conflict').length, 49);
  const others = res.filter(({ s }) => !s);
  assert.deepEqual([...new Set(others.map(({ r }) => r.status))], [201]);
  const accepted = res.filter(({ r }) => r.status === 201).map(({ r }) => r.json.ref_code);
  assert.equal(accepted.length, 151);
  assert.equal(new Set(accepted).size, 151);
  assert.equal(countApps(call), 151);
  const stored = new Set(sql(`SELECT ref_code FROM application WHERE call_id = ${call}`).map((r) => r[0]));
  for (const ref of accepted) assert.ok(stored.has(ref), `${ref} not in the database`);
  const [[events]] = sql(`SELECT COUNT(*) FROM application_event e JOIN application a ON a.id = e.application_id WHERE a.call_id = ${call}`);
  assert.equal(events, '151');
  const [[facilities]] = sql(`SELECT COUNT(*) FROM facility WHERE tax_code = '${same.facility.tax_code}'`);
  assert.equal(facilities, '1');
});
