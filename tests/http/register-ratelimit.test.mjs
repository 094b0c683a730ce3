// Issue 4: the per-IP rate limit on POST /api/applications (nginx). The
// test stack allows 6000 requests a minute with a burst of 400, so 700
// requests sent at once must meet the limit: some answers are 429 in
// API.md's JSON shape, none is a 5xx. The bodies are invalid (422), so
// nothing is stored. Afterwards the limit lets requests through again.
// The status lookup by POST (.../status) is not under that limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { post, until, assertError } from '../lib.mjs';
import { body, makeCall } from './register-helpers.mjs';

test('a flood of POSTs meets 429 rate_limited, never a 5xx; status POSTs are not limited', async () => {
  const created = await post('/api/applications', { json: await body(makeCall()) });
  assert.equal(created.status, 201, created.text);
  const { ref_code: ref, status_token: token } = created.json;
  const send = () => post('/api/applications', { json: { call_id: 'x' } });
  const res = [];
  const batches = [];
  const lookupsDone = [];
  for (let i = 0; i < 7; i++) {
    batches.push(Promise.all(Array.from({ length: 100 }, send)));
    lookupsDone.push(post(`/api/applications/${ref}/status`, { json: { token } }),
      post('/api/applications/status', { form: { ref_code: ref, token } }));
  }
  for (const b of await Promise.all(batches)) res.push(...b);
  assert.equal(res.length, 700);
  const limited = res.filter((r) => r.status === 429);
  assert.ok(limited.length > 0, `no 429 among ${res.length}`);
  assert.equal(res.filter((r) => r.status >= 500).length, 0);
  assert.ok(res.every((r) => r.status === 429 || r.status === 422), [...new Set(res.map((r) => r.status))].join(','));
  assertError(assert, limited[0], 429, 'rate_limited');
  assert.match(limited[0].json.error.message, /quá nhiều/);
  // The status lookups sent amid the flood all answered.
  const lookups = await Promise.all(lookupsDone);
  assert.deepEqual([...new Set(lookups.map((r) => r.status))], [200]);
  assert.equal(lookups[0].json.ref_code, ref);
  // GET /api/calls is not limited.
  const calls = await (await import('../lib.mjs')).get('/api/calls');
  assert.equal(calls.status, 200);
  // The bucket refills: the limit is a rate, not a ban.
  const back = await until(async () => (await send()).status === 422, 15000, 250);
  assert.ok(back, 'still limited after 15 s');
  await new Promise((r) => setTimeout(r, 5000)); // leave the burst for the next files
});
