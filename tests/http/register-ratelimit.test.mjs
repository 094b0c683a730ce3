// Issue 4: the per-IP rate limit on POST /api/applications (nginx). The
// suite's stack allows 6000 requests a minute with a burst of 400: with
// those figures whether a flood meets the limit depends on how fast the
// machine sends it (the bucket refills 100 a second). So this file reloads
// nginx with 60 a minute and a burst of 20, and floods from a loopback
// address of its own (a fresh bucket, whatever the other files sent):
// nginx lets through exactly burst + 1 at once plus one a second, so the
// counts below hold however slow the machine is. The bodies are invalid
// (422), so nothing is stored. Afterwards the limit lets requests through
// again, and the suite's figures are restored.
// The status lookup by POST (.../status) is not under that limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get, post, until, assertError } from '../lib.mjs';
import { body, makeCall } from './register-helpers.mjs';
import { reloadLimits, restoreLimits, loopbackAddress, otherAddress, requestFrom } from './ratelimit-helpers.mjs';

const RATE = 60;	// a minute: one a second
const BURST = 20;
const N = 100;		// sent at once; nginx lets through BURST + 1 + one a second

const FROM = loopbackAddress();
// A POST from FROM (or another local address).
const postFrom = (p, opts, from = FROM) => requestFrom(from, 'POST', p, opts);

let created;
before(async () => {
  // Under the suite's limits, from 127.0.0.1: an application to look up.
  created = await post('/api/applications', { json: await body(makeCall()) });
  await reloadLimits(`${RATE}r/m`, BURST);
});
after(restoreLimits);

test('a flood of POSTs meets 429 rate_limited, never a 5xx; status POSTs are not limited', async () => {
  assert.equal(created.status, 201, created.text);
  const { ref_code: ref, status_token: token } = created.json;
  const send = () => postFrom('/api/applications', { json: { call_id: 'x' } });
  const t0 = Date.now();
  const flood = Promise.all(Array.from({ length: N }, send));
  // Status lookups from the same address, amid the flood.
  const lookupsDone = Promise.all([
    postFrom(`/api/applications/${ref}/status`, { json: { token } }),
    postFrom('/api/applications/status', { form: { ref_code: ref, token } }),
  ]);
  const res = await flood;
  const secs = Math.ceil((Date.now() - t0) / 1000);
  assert.equal(res.length, N);
  assert.equal(res.filter((r) => r.status >= 500).length, 0);
  assert.ok(res.every((r) => r.status === 429 || r.status === 422), [...new Set(res.map((r) => r.status))].join(','));
  // A fresh bucket: the burst and the first request pass at once; then
  // one a second for as long as the flood lasted, and no more.
  const passed = res.filter((r) => r.status === 422).length;
  assert.ok(passed >= BURST + 1, `${passed} passed, fewer than the burst`);
  assert.ok(passed <= BURST + 1 + (secs * RATE) / 60 + 1, `${passed} passed in ${secs} s`);
  const limited = res.filter((r) => r.status === 429);
  assert.equal(limited.length, N - passed);
  assertError(assert, limited[0], 429, 'rate_limited');
  assert.match(limited[0].json.error.message, /quá nhiều/);
  // The status lookups sent amid the flood all answered.
  const lookups = await lookupsDone;
  assert.deepEqual([...new Set(lookups.map((r) => r.status))], [200]);
  assert.equal(lookups[0].json.ref_code, ref);
  // While this address is limited, another one is not: the limit is per IP.
  const other = otherAddress(FROM);
  assert.equal((await postFrom('/api/applications', { json: { call_id: 'x' } }, other)).status, 422);
  // GET /api/calls is not limited.
  assert.equal((await get('/api/calls')).status, 200);
  // The bucket refills: the limit is a rate, not a ban.
  const back = await until(async () => (await send()).status === 422, 15000, 250);
  assert.ok(back, 'still limited after 15 s');
});
