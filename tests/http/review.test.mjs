// Issue 19, point 1: the review steps. submitted → under_review →
// needs_info → (the applicant answers) → under_review → approved |
// rejected; withdrawn by the applicant before a decision; an admin
// reopens a decision with a reason. Every step allowed and refused (409
// with what is allowed now), with roles and CSRF; the history keeps
// every step (who, when, why) and each has its audit row.
import test from 'node:test';
import assert from 'node:assert/strict';
import { http, post, sql, assertError } from '../lib.mjs';
import { body, makeCall } from './register-helpers.mjs';
import { mkUser, login, as } from './staff-helpers.mjs';

const call = makeCall({ max: 20000000 });
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const S = {};

// A new application through the public API: {ref, token, id}.
async function apply(callId = call, over = {}) {
  const r = await post('/api/applications', { json: await body(callId, over) });
  assert.equal(r.status, 201, r.text);
  const id = Number(sql(`SELECT id FROM application WHERE ref_code='${r.json.ref_code}'`)[0][0]);
  return { ref: r.json.ref_code, token: r.json.status_token, id };
}
const step = (who, a, action, json = {}, opts) => as(S[who], 'POST', `/api/admin/applications/${a.id}/${action}`, json, opts);
const status = (a) => sql(`SELECT status FROM application WHERE id=${a.id}`)[0][0];
const events = (a) => sql(`SELECT status, COALESCE(action, ''), COALESCE(reason, ''), COALESCE(actor, '') FROM application_event WHERE application_id=${a.id} ORDER BY id`);
const audits = (a) => sql(`SELECT action, COALESCE(username, ''), before_json, after_json FROM audit_log WHERE entity='application' AND entity_id='${a.id}' ORDER BY id`)
  .map(([action, username, b, af]) => ({ action, username, before: JSON.parse(b), after: JSON.parse(af) }));
const applicant = (a, action, json) => post(`/api/applications/${a.ref}/${action}`, { json: { token: a.token, ...json } });
const conflict = (r, re) => { assertError(assert, r, 409, 'conflict'); if (re) assert.match(r.json.error.message, re); };

test('setup: reviewer, auditor, finance and admin sessions', async () => {
  for (const role of ['reviewer', 'auditor', 'finance', 'admin']) {
    const u = mkUser([role], role.slice(0, 3));
    S[role] = await login(u.username, u.password);
    assert.equal(S[role].status, 200, role);
    S[role].user = u;
  }
});

test('the whole path: review, ask, answer, review again, approve, reopen, reject', async () => {
  const a = await apply();
  conflict(await step('reviewer', a, 'ask', { message: 'Thiếu giấy phép' }), /Đã nộp.*Lúc này có thể: bắt đầu xem xét, duyệt, không duyệt/);
  assert.equal((await step('reviewer', a, 'review')).status, 200);
  conflict(await step('reviewer', a, 'review'), /Đang xem xét/);
  assertError(assert, await step('reviewer', a, 'ask', {}), 422, 'validation_failed');
  const ask = await step('reviewer', a, 'ask', { message: 'Gửi bản chụp giấy chứng nhận đăng ký hộ kinh doanh' });
  assert.equal(ask.status, 200, ask.text);
  assert.equal(ask.json.status, 'needs_info');
  // The applicant sees the request on the status page.
  const st = await http('GET', `/api/applications/${a.ref}`, { headers: { 'x-status-token': a.token } });
  assert.equal(st.json.status, 'needs_info');
  assert.equal(st.json.request, 'Gửi bản chụp giấy chứng nhận đăng ký hộ kinh doanh');
  assert.deepEqual(st.json.actions, ['answer', 'withdraw']);
  // Staff cannot approve while waiting for the answer; rejecting is allowed.
  conflict(await step('reviewer', a, 'approve', { approved_vnd: 1000 }), /Cần bổ sung thông tin.*không duyệt/);
  const ans = await applicant(a, 'answer', { answer: 'Đã gửi kèm giấy chứng nhận.' });
  assert.equal(ans.status, 200, ans.text);
  assert.equal(ans.json.status, 'under_review');
  assert.equal(ans.json.request, null);
  conflict(await applicant(a, 'answer', { answer: 'Lần nữa' }), /Đang xem xét/);
  const ap = await step('reviewer', a, 'approve', { approved_vnd: 9000000 });
  assert.equal(ap.status, 200, ap.text);
  conflict(await applicant(a, 'withdraw', { confirm: true }), /«Được duyệt»: không thể rút hồ sơ/);
  // Reopen: admin only, with a reason.
  assertError(assert, await step('reviewer', a, 'reopen', { reason: 'Sai số tiền' }), 403, 'forbidden');
  assertError(assert, await step('admin', a, 'reopen', {}), 422, 'validation_failed');
  const ro = await step('admin', a, 'reopen', { reason: 'Sai số tiền duyệt' });
  assert.equal(ro.status, 200, ro.text);
  assert.equal(ro.json.status, 'under_review');
  assert.deepEqual(sql(`SELECT approved_vnd IS NULL FROM application WHERE id=${a.id}`)[0], ['1']);
  assert.equal((await step('reviewer', a, 'reject', { reason: 'Không đủ điều kiện' })).status, 200);
  const rev = String(S.reviewer.user.id); const adm = String(S.admin.user.id);
  assert.deepEqual(events(a), [
    ['submitted', '', '', ''],
    ['under_review', 'review', '', rev],
    ['needs_info', 'ask', 'Gửi bản chụp giấy chứng nhận đăng ký hộ kinh doanh', rev],
    ['under_review', 'answer', 'Đã gửi kèm giấy chứng nhận.', ''],
    ['approved', 'approve', '', rev],
    ['under_review', 'reopen', 'Sai số tiền duyệt', adm],
    ['rejected', 'reject', 'Không đủ điều kiện', rev],
  ]);
  const au = audits(a);
  assert.deepEqual(au.map((x) => x.action), ['application.review', 'application.ask', 'application.answer',
    'application.approve', 'application.reopen', 'application.reject']);
  assert.deepEqual(au.map((x) => `${x.before.status}>${x.after.status}`), ['submitted>under_review',
    'under_review>needs_info', 'needs_info>under_review', 'under_review>approved', 'approved>under_review', 'under_review>rejected']);
  assert.equal(au[2].username, '(người nộp hồ sơ)');
  assert.equal(au[4].before.approved_vnd, 9000000);
  // The staff detail: the full history with who, and what may be done now.
  const d = await as(S.admin, 'GET', `/api/admin/applications/${a.id}`);
  assert.equal(d.status, 200);
  assert.deepEqual(d.json.events.map((e) => [e.action, e.by]), [[null, null], ['review', S.reviewer.user.username],
    ['ask', S.reviewer.user.username], ['answer', null], ['approve', S.reviewer.user.username],
    ['reopen', S.admin.user.username], ['reject', S.reviewer.user.username]]);
  assert.deepEqual(d.json.actions, ['reopen']);
  assert.deepEqual((await as(S.reviewer, 'GET', `/api/admin/applications/${a.id}`)).json.actions, []);
});

test('roles and CSRF: auditors and finance cannot take steps; a step without its CSRF token changes nothing', async () => {
  const a = await apply();
  for (const [who, action, json] of [['auditor', 'review', {}], ['finance', 'review', {}], ['auditor', 'ask', { message: 'x' }],
    ['finance', 'approve', { approved_vnd: 1 }], ['auditor', 'reject', { reason: 'x' }], ['reviewer', 'reopen', { reason: 'x' }]]) {
    assertError(assert, await step(who, a, action, json), 403, 'forbidden');
  }
  assertError(assert, await step('reviewer', a, 'review', {}, { csrf: false }), 403, 'forbidden');
  assertError(assert, await http('POST', `/api/admin/applications/${a.id}/review`, { json: {} }), 401, 'unauthorized');
  assert.equal(status(a), 'submitted');
  assert.equal(events(a).length, 1);
  // Auditors read the history.
  assert.equal((await as(S.auditor, 'GET', `/api/admin/applications/${a.id}`)).status, 200);
  // Admin may take a reviewer's step.
  assert.equal((await step('admin', a, 'review')).status, 200);
  assertError(assert, await step('admin', a, 'reopen', { reason: 'Chưa có quyết định' }), 409, 'conflict');
  assertError(assert, await step('reviewer', { id: 99999999 }, 'review'), 404, 'not_found');
});

test('withdraw: the applicant, with the token, before a decision; refused after, and with a wrong token', async () => {
  for (const before of [[], ['review'], ['review', 'ask']]) {
    const a = await apply();
    for (const s of before) assert.equal((await step('reviewer', a, s, { message: 'Bổ sung giấy tờ' })).status, 200);
    assertError(assert, await applicant(a, 'withdraw', {}), 422, 'validation_failed');
    assertError(assert, await post(`/api/applications/${a.ref}/withdraw`, { json: { token: 'x'.repeat(43), confirm: true } }), 404, 'not_found');
    const w = await applicant(a, 'withdraw', { confirm: true });
    assert.equal(w.status, 200, w.text);
    assert.equal(w.json.status, 'withdrawn');
    assert.deepEqual(w.json.actions, []);
    conflict(await applicant(a, 'withdraw', { confirm: true }), /Đã rút.*không còn bước nào/);
    conflict(await step('reviewer', a, 'approve', { approved_vnd: 1 }));
    conflict(await step('admin', a, 'reopen', { reason: 'x' }));
    assert.equal(audits(a).at(-1).action, 'application.withdraw');
  }
  const r = await apply();
  assert.equal((await step('reviewer', r, 'reject', { reason: 'Không đủ điều kiện' })).status, 200);
  conflict(await applicant(r, 'withdraw', { confirm: true }), /Không được duyệt/);
  conflict(await applicant(r, 'answer', { answer: 'x' }));
});

test('without JavaScript: the status page offers the answer and withdraw forms; their posts answer with pages', async () => {
  const a = await apply();
  await step('reviewer', a, 'review');
  await step('reviewer', a, 'ask', { message: 'Gửi ảnh sản phẩm <mẫu>' });
  const html = { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' };
  const page = await http('POST', `/api/applications/${a.ref}/status`, { form: { token: a.token }, headers: html });
  assert.equal(page.status, 200);
  assert.match(page.text, /id="s-request">Gửi ảnh sản phẩm &lt;mẫu&gt;</);
  assert.match(page.text, new RegExp(`<form method="post" enctype="multipart/form-data" action="/api/applications/${a.ref}/answer"`));
  assert.match(page.text, new RegExp(`action="/api/applications/${a.ref}/withdraw"`));
  assert.doesNotMatch(page.text, /<script/);
  // The answer as a browser posts the form: multipart, the token hidden.
  const fd = new FormData();
  fd.append('token', a.token);
  fd.append('answer', 'Ảnh sản phẩm gửi kèm');
  fd.append('files', new Blob([PNG], { type: 'image/png' }), 'anh.png');
  const ans = await http('POST', `/api/applications/${a.ref}/answer`, { body: fd, headers: html });
  assert.equal(ans.status, 200, ans.text);
  assert.match(ans.headers.get('content-type'), /^text\/html/);
  assert.match(ans.text, /id="s-status" class="status-badge">Đang xem xét</);
  assert.match(ans.text, /Tải anh\.png/);
  // An empty answer: a page with the field, nothing changed.
  const bad = await http('POST', `/api/applications/${a.ref}/withdraw`, { form: { token: a.token }, headers: html });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /<strong>Xác nhận<\/strong>/);
  const w = await http('POST', `/api/applications/${a.ref}/withdraw`, { form: { token: a.token, confirm: '1' }, headers: html });
  assert.equal(w.status, 200, w.text);
  assert.match(w.text, /id="s-status" class="status-badge">Đã rút</);
  assert.doesNotMatch(w.text, /\/withdraw"/);
  const again = await http('POST', `/api/applications/${a.ref}/withdraw`, { form: { token: a.token, confirm: '1' }, headers: html });
  assert.equal(again.status, 409);
  assert.match(again.text, /không thể rút hồ sơ/);
  assert.equal(status(a), 'withdrawn');
});
