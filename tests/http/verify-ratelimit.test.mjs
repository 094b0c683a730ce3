// Issue 21: looking an award up by its code (GET /xac-minh/{code}, GET
// /api/awards/{code}...) is limited per address as the public forms are
// (nginx zone kc_verify, at the application form's rate and burst). As
// register-ratelimit.test.mjs does, this file reloads nginx with 60 a
// minute and a burst of 20 and floods from a loopback address of its own;
// afterwards the suite's figures are restored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get } from '../lib.mjs';
import { reloadLimits, restoreLimits, loopbackAddress, otherAddress, requestFrom } from './ratelimit-helpers.mjs';

const RATE = 60;
const BURST = 20;
const N = 60;

const FROM = loopbackAddress();
const getFrom = (p, from = FROM) => requestFrom(from, 'GET', p);

before(() => reloadLimits(`${RATE}r/m`, BURST));
after(restoreLimits);

test('a flood of code lookups meets 429 (an HTML page for the page, JSON for the API); other addresses and the list are not limited', async () => {
  const t0 = Date.now();
  const res = await Promise.all(Array.from({ length: N }, () => getFrom('/xac-minh/ZZZZZZZZ')));
  const secs = Math.ceil((Date.now() - t0) / 1000);
  assert.equal(res.filter((r) => r.status >= 500).length, 0);
  assert.ok(res.every((r) => r.status === 404 || r.status === 429), [...new Set(res.map((r) => r.status))].join(','));
  const passed = res.filter((r) => r.status === 404);
  assert.ok(passed.length >= BURST + 1 && passed.length <= BURST + 2 + secs, `${passed.length} passed in ${secs} s`);
  assert.match(passed[0].text, /Không tìm thấy danh hiệu nào có mã xác minh này/);
  const limited = res.find((r) => r.status === 429);
  assert.match(limited.type, /text\/html/);
  assert.match(limited.text, /quá nhiều lần/);
  const api = await getFrom('/api/awards/ZZZZZZZZ');
  assert.equal(api.status, 429);
  assert.equal(JSON.parse(api.text).error.code, 'rate_limited');
  assert.equal((await getFrom('/xac-minh/ZZZZZZZZ', otherAddress(FROM))).status, 404);
  assert.equal((await getFrom('/api/awards?per_page=1')).status, 200);
  assert.equal((await get('/api/facilities?per_page=1')).status, 200);
});
