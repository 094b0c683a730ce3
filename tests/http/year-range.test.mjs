// One range of years for the whole API (REQ_YEAR_MIN..REQ_YEAR_MAX,
// cgi/lib/req.h): every endpoint that takes a year — plans and activities,
// calls, the dashboard and its tables, beneficiaries, the data package,
// products — takes 2000 to 2999, and answers a year outside with the same
// 422 validation_failed, word for word.
import test from 'node:test';
import assert from 'node:assert/strict';
import { get, sql, assertError } from '../lib.mjs';
import { mkUser, login, as, sfx } from './staff-helpers.mjs';

const OUTSIDE = [1999, 3000, -1];
const INSIDE = [2000, 2999];
const MESSAGE = 'Phải nằm trong khoảng 2000–2999';

// Every public GET that takes ?year=.
const PUBLIC = ['/api/dashboard', '/api/dashboard.csv', '/api/dashboard/contents', '/api/dashboard/units.csv',
  '/api/dashboard/areas', '/api/dashboard/monthly.csv', '/api/beneficiaries', '/api/beneficiaries.csv',
  '/api/datapackage.json', '/api/products', '/api/products.csv', '/api/calls', '/api/calls.csv'];

// An activity and a call to change, and a staff user who may change both.
const tag = sfx();
const [actId, callId] = (() => {
  const r = sql(`INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (2020, '1', 'Năm thử ${tag}', 'Trung tâm thử', 1000);
    SET @a = LAST_INSERT_ID();
    INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd) VALUES (2020, 'training', 'Đợt năm thử ${tag}', '2020-01-01', '2020-02-01', 1000);
    SELECT @a, LAST_INSERT_ID();`);
  return r[r.length - 1].map(Number);
})();

// Staff endpoints with a year in their body: the body for a year y, valid
// but for y (ok) or with a title too short as well (bad: nothing is made).
const call = (y, title) => ({ year: y, kind: 'training', title, opens_at: '2026-01-01', closes_at: '2026-02-01', max_support_vnd: 1000 });
const act = (y, title) => ({ year: y, content_code: '1', title, unit_name: 'Đơn vị thử', planned_vnd: 1 });
const STAFF = [
  ['POST', '/api/admin/plans', (y, title) => ({ year: y, title, total_vnd: 1 })],
  ['POST', '/api/admin/activities', act],
  ['PUT', `/api/admin/activities/${actId}`, act],
  ['POST', '/api/admin/calls', call],
  ['PUT', `/api/admin/calls/${callId}`, call],
];

const snapshot = () => sql(`SELECT (SELECT COUNT(*) FROM plan), (SELECT COUNT(*) FROM activity), (SELECT COUNT(*) FROM support_call),
  (SELECT CONCAT(year, title) FROM activity WHERE id = ${actId}), (SELECT CONCAT(year, title) FROM support_call WHERE id = ${callId})`)[0];

test('a year outside 2000–2999: the same 422 from every endpoint', async () => {
  const u = mkUser(['finance', 'reviewer'], 'yr');
  const s = await login(u.username, u.password);
  assert.equal(s.status, 200);
  const before = snapshot();
  const bodies = new Set();
  for (const y of OUTSIDE) {
    for (const p of PUBLIC) {
      const r = await get(`${p}?year=${y}`);
      assertError(assert, r, 422, 'validation_failed');
      assert.deepEqual(r.json.error.fields, { year: MESSAGE }, `${p}?year=${y}`);
      bodies.add(JSON.stringify(r.json));
    }
    for (const [m, p, body] of STAFF) {
      const r = await as(s, m, p, body(y, `Tên hợp lệ ${tag}`));
      assertError(assert, r, 422, 'validation_failed');
      assert.deepEqual(r.json.error.fields, { year: MESSAGE }, `${m} ${p} ${y}`);
      bodies.add(JSON.stringify(r.json));
    }
  }
  assert.equal(bodies.size, 1, [...bodies].join('\n'));
  assert.deepEqual(snapshot(), before, 'nothing changed');
});

test('a year inside 2000–2999: taken by every endpoint', async () => {
  const u = mkUser(['finance', 'reviewer'], 'yr');
  const s = await login(u.username, u.password);
  const before = snapshot();
  for (const y of INSIDE) {
    for (const p of PUBLIC) {
      const r = await get(`${p}?year=${y}`);
      // No plan of that year is a 404; the lists answer 200.
      assert.ok([200, 404].includes(r.status), `${p}?year=${y}: ${r.status} ${r.text.slice(0, 200)}`);
      if (r.status === 404) assertError(assert, r, 404, 'not_found');
    }
    for (const [m, p, body] of STAFF) {
      // The year passes; the title alone fails, so nothing is written.
      const r = await as(s, m, p, body(y, 'x'));
      assertError(assert, r, 422, 'validation_failed');
      assert.deepEqual(Object.keys(r.json.error.fields), ['title'], `${m} ${p} ${y}: ${r.text}`);
    }
  }
  assert.deepEqual(snapshot(), before, 'nothing changed');
  // A list filtered by an edge year finds what that year holds.
  const edge = Number(sql(`INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
    VALUES (2999, 'training', 'Đợt năm 2999 ${tag}', '2020-01-01', '2020-02-01', 1000); SELECT LAST_INSERT_ID();`).pop()[0]);
  const calls = await get('/api/calls?year=2999&per_page=100', { headers: { cookie: 'nocache=1' } });
  assert.equal(calls.status, 200);
  assert.ok(calls.json.items.some((c) => c.id === edge && c.year === 2999), calls.text.slice(0, 300));
  sql(`DELETE FROM support_call WHERE id = ${edge}`);
});
