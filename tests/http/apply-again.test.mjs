// Issue 19, point 2: one ACTIVE application per facility and call. A
// rejected or withdrawn application does not block a new one while the
// call is open; while one is active, the 409 names it and says where to
// see it. Two submissions at once for the same facility and call: exactly
// one is stored (migration 055's unique key on the live column).
import test from 'node:test';
import assert from 'node:assert/strict';
import { post, sql, assertError } from '../lib.mjs';
import { body, makeCall, countApps } from './register-helpers.mjs';
import { mkUser, login, as } from './staff-helpers.mjs';

let rev;
const idOf = (ref) => Number(sql(`SELECT id FROM application WHERE ref_code='${ref}'`)[0][0]);

test('setup', async () => {
  const u = mkUser(['reviewer'], 'again');
  rev = await login(u.username, u.password);
});

test('while active: 409 naming the active application; after reject or withdraw: a new one is taken', async () => {
  const call = makeCall();
  const b = await body(call);
  const first = await post('/api/applications', { json: b });
  assert.equal(first.status, 201);
  const dup = await post('/api/applications', { json: b });
  assertError(assert, dup, 409, 'conflict');
  assert.match(dup.json.error.message, new RegExp(`hồ sơ ${first.json.ref_code} đang được xử lý`));
  assert.match(dup.json.error.message, /Tra cứu hồ sơ \(\/status\.html\)/);
  // Rejected: apply again.
  assert.equal((await as(rev, 'POST', `/api/admin/applications/${idOf(first.json.ref_code)}/reject`, { reason: 'Thiếu giấy tờ' })).status, 200);
  const second = await post('/api/applications', { json: b });
  assert.equal(second.status, 201, second.text);
  // Under review and needs_info block too.
  const id2 = idOf(second.json.ref_code);
  await as(rev, 'POST', `/api/admin/applications/${id2}/review`, {});
  await as(rev, 'POST', `/api/admin/applications/${id2}/ask`, { message: 'Bổ sung' });
  const dup2 = await post('/api/applications', { json: b });
  assertError(assert, dup2, 409, 'conflict');
  assert.match(dup2.json.error.message, new RegExp(second.json.ref_code));
  // Withdrawn: apply again.
  const w = await post(`/api/applications/${second.json.ref_code}/withdraw`, { json: { token: second.json.status_token, confirm: true } });
  assert.equal(w.status, 200, w.text);
  const third = await post('/api/applications', { json: b });
  assert.equal(third.status, 201, third.text);
  assert.equal(countApps(call), 3);
  assert.deepEqual(sql(`SELECT status FROM application WHERE call_id=${call} ORDER BY id`).map((r) => r[0]), ['rejected', 'withdrawn', 'submitted']);
  // Reopening the rejected one now would make two active: refused, naming the active one.
  const admin = mkUser(['admin'], 'adm');
  const s = await login(admin.username, admin.password);
  const ro = await as(s, 'POST', `/api/admin/applications/${idOf(first.json.ref_code)}/reopen`, { reason: 'Xem lại' });
  assertError(assert, ro, 409, 'conflict');
  assert.match(ro.json.error.message, new RegExp(third.json.ref_code));
  assert.equal(sql(`SELECT status FROM application WHERE ref_code='${first.json.ref_code}'`)[0][0], 'rejected');
  // An approved one blocks as well; the call closed: no new application.
  await as(rev, 'POST', `/api/admin/applications/${idOf(third.json.ref_code)}/approve`, { approved_vnd: 1000 });
  assertError(assert, await post('/api/applications', { json: b }), 409, 'conflict');
});

test('a capacity call counts needs_info as a taken place and frees it on withdrawal', async () => {
  const call = makeCall({ capacity: 1 });
  const b = await body(call);
  const a = await post('/api/applications', { json: b });
  const id = idOf(a.json.ref_code);
  await as(rev, 'POST', `/api/admin/applications/${id}/review`, {});
  await as(rev, 'POST', `/api/admin/applications/${id}/ask`, { message: 'Bổ sung' });
  const full = await post('/api/applications', { json: await body(call) });
  assertError(assert, full, 409, 'conflict');
  assert.match(full.json.error.message, /đã nhận đủ/);
  await post(`/api/applications/${a.json.ref_code}/withdraw`, { json: { token: a.json.status_token, confirm: true } });
  assert.equal((await post('/api/applications', { json: b })).status, 201);
});

test('two submissions at once for the same facility and call: exactly one is stored', async () => {
  for (let round = 0; round < 3; round++) {
    const call = makeCall();
    const b = await body(call);
    const res = await Promise.all([0, 1, 2, 3].map(() => post('/api/applications', { json: b })));
    assert.deepEqual(res.map((r) => r.status).sort(), [201, 409, 409, 409], res.map((r) => r.text).join('\n'));
    assert.equal(countApps(call), 1);
  }
});
