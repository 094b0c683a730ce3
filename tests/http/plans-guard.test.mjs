// Activities of a published plan fit their content area: adding or raising
// one beyond what the area has unassigned is refused (the message says by
// how much and that an amendment is the way), moving one to a full area
// too; after an amendment gives the area room, it goes through. In any
// plan an activity's budget stays at least what is allocated to it. A
// draft may be out of balance. Refusals change nothing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { sql, assertError, freeYear } from '../lib.mjs';
import { mkUser, login, as } from './staff-helpers.mjs';

const year = freeYear(2300, 600, 'SELECT COUNT(*) FROM plan WHERE year = {y}');
let fin; let a1; let a2;
const act = (content, title, planned) => ({ year, content_code: content, title, unit_name: 'Trung tâm Khuyến công', planned_vnd: planned });
const auditCount = () => sql('SELECT COUNT(*) FROM audit_log')[0][0];

test('setup: a published plan, area 1 of 100 million with 60 assigned, area 2 full', async () => {
  const f = mkUser(['finance'], 'gfi'); fin = await login(f.username, f.password);
  assert.equal(fin.status, 200);
  assert.equal((await as(fin, 'POST', '/api/admin/plans', { year, title: `Kế hoạch ${year}`, total_vnd: '150 triệu' })).status, 201);
  assert.equal((await as(fin, 'PUT', `/api/admin/plans/${year}/contents/1`, { title: 'Tập huấn', planned_vnd: '100 triệu' })).status, 201);
  assert.equal((await as(fin, 'PUT', `/api/admin/plans/${year}/contents/2`, { title: 'Hội chợ', planned_vnd: '50 triệu' })).status, 201);
  a1 = (await as(fin, 'POST', '/api/admin/activities', act('1', 'Lớp tập huấn', '60 triệu'))).json;
  a2 = (await as(fin, 'POST', '/api/admin/activities', act('2', 'Gian hàng', '50 triệu'))).json;
  // A draft takes an activity beyond its area (publishing checks it) ...
  const over = await as(fin, 'POST', '/api/admin/activities', act('2', 'Tạm', '1 triệu'));
  assert.equal(over.status, 201, over.text);
  assert.equal((await as(fin, 'DELETE', `/api/admin/activities/${over.json.id}`)).status, 200);
  const p = await as(fin, 'POST', `/api/admin/plans/${year}/publish`, {});
  assert.equal(p.status, 200, p.text);
});

test('published: adding or raising beyond the area is refused with by how much; within it goes', async () => {
  const n = auditCount();
  const add = await as(fin, 'POST', '/api/admin/activities', act('1', 'Lớp thứ hai', '50 triệu'));
  assertError(assert, add, 409, 'conflict');
  assert.match(add.json.error.message, /nội dung 1 còn 40\.000\.000 đ chưa giao cho hoạt động, hoạt động này cần thêm 50\.000\.000 đ, vượt 10\.000\.000 đ/);
  assert.match(add.json.error.message, /điều chỉnh kế hoạch/);
  const raise = await as(fin, 'PUT', `/api/admin/activities/${a1.id}`, act('1', 'Lớp tập huấn', '100.000.001'));
  assertError(assert, raise, 409, 'conflict');
  assert.match(raise.json.error.message, /cần thêm 40\.000\.001 đ, vượt 1 đ/);
  // Moving an activity into a full area.
  const move = await as(fin, 'PUT', `/api/admin/activities/${a1.id}`, act('2', 'Lớp tập huấn', '60 triệu'));
  assertError(assert, move, 409, 'conflict');
  assert.match(move.json.error.message, /nội dung 2 còn 0 đ chưa giao/);
  assert.equal(sql(`SELECT COUNT(*) FROM activity WHERE year=${year}`)[0][0], '2');
  assert.deepEqual(sql(`SELECT content_code, planned_vnd FROM activity WHERE id=${a1.id}`)[0], ['1', '60000000']);
  assert.equal(auditCount(), n, 'refusals write nothing');
  // Within the area: to the đồng.
  const fit = await as(fin, 'POST', '/api/admin/activities', act('1', 'Lớp thứ hai', '40 triệu'));
  assert.equal(fit.status, 201, fit.text);
  assertError(assert, await as(fin, 'POST', '/api/admin/activities', act('1', 'Lớp thứ ba', 1)), 409, 'conflict');
  // Lowering, or an edit that keeps the amount, is free.
  const lower = await as(fin, 'PUT', `/api/admin/activities/${a2.id}`, act('2', 'Gian hàng', '45 triệu'));
  assert.equal(lower.status, 200, lower.text);
  const same = await as(fin, 'PUT', `/api/admin/activities/${a1.id}`, { ...act('1', 'Lớp tập huấn (sửa tên)', '60 triệu'), status: 'in_progress', progress: 20 });
  assert.equal(same.status, 200, same.text);
});

test('an amendment gives the area room; then the activity grows', async () => {
  const am = await as(fin, 'POST', `/api/admin/plans/${year}/amendments`, { decision_no: '7/QĐ-SCT', decision_date: `${year}-06-01`, reason: 'Bổ sung lớp tập huấn', total_vnd: '170 triệu', contents: [{ code: '1', planned_vnd: '120 triệu' }] });
  assert.equal(am.status, 201, am.text);
  const r = await as(fin, 'PUT', `/api/admin/activities/${a1.id}`, act('1', 'Lớp tập huấn', '80 triệu'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.planned_vnd, 80000000);
});

test('an activity\'s budget stays at least what is allocated to it', async () => {
  const al = await as(fin, 'POST', `/api/admin/activities/${a1.id}/allocations`, { amount_vnd: '70 triệu', date: `${year}-07-01`, document_no: '9/QĐ' });
  assert.equal(al.status, 201, al.text);
  const n = auditCount();
  const low = await as(fin, 'PUT', `/api/admin/activities/${a1.id}`, act('1', 'Lớp tập huấn', '69 triệu'));
  assertError(assert, low, 409, 'conflict');
  assert.match(low.json.error.message, /đã được giao 70\.000\.000 đ.*thiếu 1\.000\.000 đ/);
  assert.equal(sql(`SELECT planned_vnd FROM activity WHERE id=${a1.id}`)[0][0], '80000000');
  assert.equal(auditCount(), n);
  const ok = await as(fin, 'PUT', `/api/admin/activities/${a1.id}`, act('1', 'Lớp tập huấn', '70 triệu'));
  assert.equal(ok.status, 200, ok.text);
});
