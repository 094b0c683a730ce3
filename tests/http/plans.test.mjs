// Plans drafted, refused publication out of balance (the message says by
// how much), balanced, published, amended and (as drafts) deleted, through
// the staff API (cgi/lib/plan.c); each change audited with before/after;
// 401/403/CSRF on every new endpoint, and nothing changed by a refusal.
import test from 'node:test';
import assert from 'node:assert/strict';
import { sql, assertError, freeYear } from '../lib.mjs';
import { mkUser, login, as, auditRows } from './staff-helpers.mjs';

let fin; let aud; let rev;
const year = freeYear(2300, 600, 'SELECT COUNT(*) FROM plan WHERE year = {y}');
const one = (entity, id, action) => {
  const rows = auditRows(entity, id).filter((x) => x.action === action);
  assert.equal(rows.length, 1, `one ${action} row for ${entity} ${id}`);
  return rows[0];
};

test('setup', async () => {
  const f = mkUser(['finance'], 'pfi'); fin = await login(f.username, f.password); fin.user = f;
  const a = mkUser(['auditor'], 'pau'); aud = await login(a.username, a.password);
  const r = mkUser(['reviewer'], 'prv'); rev = await login(r.username, r.password);
  for (const s of [fin, aud, rev]) assert.equal(s.status, 200);
});

test('a draft: areas with codes as the decision writes them, unassigned amounts shown', async () => {
  const p = await as(fin, 'POST', '/api/admin/plans', { year, title: `Kế hoạch ${year}`, total_vnd: '2,08 tỷ', decision_no: '15/QĐ-SCT', decision_date: `${year}-01-20`, notes: 'Bản nháp' });
  assert.equal(p.status, 201, p.text);
  assert.deepEqual([p.json.status, p.json.total_vnd, p.json.notes, p.json.published_at], ['draft', 2080000000, 'Bản nháp', null]);
  assert.equal(one('plan', year, 'plan.create').after.status, 'draft');
  for (const [code, title, amt] of [['1', 'Tư vấn, tập huấn, đào tạo', '250 triệu'], ['2a', 'Phát triển sản phẩm CNNT tiêu biểu', 830000000], ['III', 'Mô hình trình diễn kỹ thuật', '750.000.000 đ']]) {
    const c = await as(fin, 'PUT', `/api/admin/plans/${year}/contents/${code}`, { title, planned_vnd: amt });
    assert.equal(c.status, 201, c.text);
  }
  assertError(assert, await as(fin, 'PUT', `/api/admin/plans/${year}/contents/x%20y`, { title: 'Sai mã' }), 422, 'validation_failed');
  const a = await as(fin, 'POST', '/api/admin/activities', { year, content_code: '2a', title: 'Hội chợ', unit_name: 'Trung tâm Khuyến công', planned_vnd: '900 triệu', quantity: 15, unit_measure: 'cơ sở', beneficiaries: 15, period_from: `${year}-03-01`, period_to: `${year}-11-30`, description: 'Hỗ trợ gian hàng' });
  assert.equal(a.status, 201, a.text);
  assert.deepEqual([a.json.quantity, a.json.unit_measure, a.json.beneficiaries, a.json.period_to, a.json.status], [15, 'cơ sở', 15, `${year}-11-30`, 'planned']);
  assertError(assert, await as(fin, 'POST', '/api/admin/activities', { year, content_code: '2a', title: 'Sai kỳ', unit_name: 'X', planned_vnd: 1, period_from: `${year}-05-01`, period_to: `${year}-04-01` }), 422, 'validation_failed');
  const g = await as(aud, 'GET', `/api/admin/plans/${year}`);
  assert.equal(g.status, 200);
  assert.deepEqual([g.json.assigned_vnd, g.json.unassigned_vnd], [1830000000, 250000000]);
  const c2 = g.json.contents.find((c) => c.code === '2a');
  assert.deepEqual([c2.planned_vnd, c2.assigned_vnd, c2.unassigned_vnd, c2.activities], [830000000, 900000000, -70000000, 1]);
  assert.deepEqual(g.json.contents.map((c) => c.code), ['1', '2a', 'III']);
});

test('publishing out of balance is refused with by how much; balanced, it publishes', async () => {
  const before = sql(`SELECT status FROM plan WHERE year=${year}`)[0][0];
  const r1 = await as(fin, 'POST', `/api/admin/plans/${year}/publish`, {});
  assertError(assert, r1, 409, 'conflict');
  assert.match(r1.json.error.message, /Các nội dung cộng lại 1\.830\.000\.000 đ, tổng kinh phí kế hoạch là 2\.080\.000\.000 đ: còn thiếu 250\.000\.000 đ/);
  assert.equal(sql(`SELECT status FROM plan WHERE year=${year}`)[0][0], before);
  assert.equal((await as(fin, 'PUT', `/api/admin/plans/${year}/contents/4`, { title: 'Nâng cao năng lực quản lý', planned_vnd: 250000000 })).status, 201);
  const r2 = await as(fin, 'POST', `/api/admin/plans/${year}/publish`, {});
  assertError(assert, r2, 409, 'conflict');
  assert.match(r2.json.error.message, /Nội dung 2a: các hoạt động cộng lại 900\.000\.000 đ, vượt kinh phí của nội dung \(830\.000\.000 đ\) là 70\.000\.000 đ/);
  const act = (await as(aud, 'GET', `/api/admin/plans/${year}`)).json.activities[0];
  const u = await as(fin, 'PUT', `/api/admin/activities/${act.id}`, { year, content_code: '2a', title: 'Hội chợ', unit_name: 'Trung tâm Khuyến công', planned_vnd: 800000000 });
  assert.equal(u.status, 200, u.text);
  const r3 = await as(fin, 'POST', `/api/admin/plans/${year}/publish`, {});
  assert.equal(r3.status, 200, r3.text);
  assert.equal(r3.json.status, 'published');
  assert.match(r3.json.published_at, /^\d{4}-\d\d-\d\dT/);
  const pa = one('plan', year, 'plan.publish');
  assert.deepEqual([pa.before.status, pa.after.status], ['draft', 'published']);
  assertError(assert, await as(fin, 'POST', `/api/admin/plans/${year}/publish`, {}), 409, 'conflict');
});

test('a published plan: figures change only by an amendment; nothing is deleted', async () => {
  const n = sql('SELECT COUNT(*) FROM audit_log')[0][0];
  assertError(assert, await as(fin, 'PUT', `/api/admin/plans/${year}`, { title: 'Đổi', total_vnd: 1 }), 409, 'conflict');
  assertError(assert, await as(fin, 'PUT', `/api/admin/plans/${year}/contents/1`, { title: 'Tư vấn', planned_vnd: 1 }), 409, 'conflict');
  assertError(assert, await as(fin, 'PUT', `/api/admin/plans/${year}/contents/9`, { title: 'Mới' }), 409, 'conflict');
  assertError(assert, await as(fin, 'DELETE', `/api/admin/plans/${year}`), 409, 'conflict');
  assertError(assert, await as(fin, 'DELETE', `/api/admin/plans/${year}/contents/III`), 409, 'conflict');
  const act = (await as(aud, 'GET', `/api/admin/plans/${year}`)).json.activities[0];
  const d = await as(fin, 'DELETE', `/api/admin/activities/${act.id}`);
  assertError(assert, d, 409, 'conflict');
  assert.match(d.json.error.message, /Đã huỷ/);
  assert.equal(sql('SELECT COUNT(*) FROM audit_log')[0][0], n, 'refusals write nothing');
  // Texts and an activity's progress still change.
  const t = await as(fin, 'PUT', `/api/admin/plans/${year}`, { title: `Kế hoạch ${year} (đã duyệt)`, total_vnd: 2080000000, notes: 'Đã công bố' });
  assert.equal(t.status, 200, t.text);
  const s = await as(fin, 'PUT', `/api/admin/activities/${act.id}`, { year, content_code: '2a', title: 'Hội chợ', unit_name: 'Trung tâm Khuyến công', planned_vnd: 800000000, status: 'in_progress', progress: 30 });
  assert.equal(s.status, 200, s.text);
});

test('amend: refused out of balance, then recorded with before/after', async () => {
  const bad = await as(fin, 'POST', `/api/admin/plans/${year}/amendments`, { decision_no: '88/QĐ-SCT', decision_date: `${year}-07-01`, reason: 'Bổ sung kinh phí', total_vnd: '2,2 tỷ' });
  assertError(assert, bad, 409, 'conflict');
  assert.match(bad.json.error.message, /còn thiếu 120\.000\.000 đ/);
  assertError(assert, await as(fin, 'POST', `/api/admin/plans/${year}/amendments`, { decision_no: '88/QĐ-SCT', decision_date: `${year}-07-01`, reason: 'Không đổi gì' }), 422, 'validation_failed');
  assertError(assert, await as(fin, 'POST', `/api/admin/plans/${year}/amendments`, { decision_no: '88/QĐ-SCT', decision_date: `${year}-07-01`, reason: 'Mới', contents: [{ code: '5', planned_vnd: 1 }] }), 422, 'validation_failed');
  assert.equal(sql(`SELECT COUNT(*) FROM plan_amendment WHERE year=${year}`)[0][0], '0');
  const ok = await as(fin, 'POST', `/api/admin/plans/${year}/amendments`, { decision_no: '88/QĐ-SCT', decision_date: `${year}-07-01`, reason: 'Bổ sung kinh phí', total_vnd: '2,2 tỷ', contents: [{ code: 'III', planned_vnd: '800 triệu' }, { code: '5', title: 'Hỗ trợ chuyển đổi số', planned_vnd: 70000000 }] });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.total_vnd, 2200000000);
  assert.deepEqual(ok.json.contents.map((c) => [c.code, c.planned_vnd]), [['1', 250000000], ['2a', 830000000], ['III', 800000000], ['4', 250000000], ['5', 70000000]]);
  assert.equal(ok.json.amendments.length, 1);
  assert.deepEqual(ok.json.amendments[0].changes, { total_vnd: [2080000000, 2200000000], contents: { III: [750000000, 800000000], 5: [null, 70000000] } });
  assert.equal(ok.json.amendments[0].username, fin.user.username);
  const a = one('plan', year, 'plan.amend');
  assert.equal(a.before.total_vnd, 2080000000); assert.equal(a.after.total_vnd, 2200000000);
  assert.equal(a.before.contents.length, 4); assert.equal(a.after.contents.length, 5);
  assertError(assert, await as(fin, 'POST', `/api/admin/plans/${year + 1}/amendments`, { decision_no: '1', decision_date: `${year}-07-01`, reason: 'Không có' }), 404, 'not_found');
});

test('a draft is deleted with its areas and activities; the dashboard sums go with it', async () => {
  const y = freeYear(2900, 99, 'SELECT COUNT(*) FROM plan WHERE year = {y}');
  assert.equal((await as(fin, 'POST', '/api/admin/plans', { year: y, title: `Nháp ${y}`, total_vnd: 100 })).status, 201);
  assert.equal((await as(fin, 'PUT', `/api/admin/plans/${y}/contents/1`, { title: 'Nội dung một', planned_vnd: 100 })).status, 201);
  assert.equal((await as(fin, 'PUT', `/api/admin/plans/${y}/contents/2`, { title: 'Nội dung hai' })).status, 201);
  const a1 = await as(fin, 'POST', '/api/admin/activities', { year: y, content_code: '1', title: 'Việc một', unit_name: 'Sở', planned_vnd: 60 });
  const a2 = await as(fin, 'POST', '/api/admin/activities', { year: y, content_code: '1', title: 'Việc hai', unit_name: 'Sở', planned_vnd: 40 });
  assert.equal(sql(`SELECT planned_vnd FROM plan_money WHERE year=${y}`)[0][0], '100');
  const c = await as(fin, 'DELETE', `/api/admin/plans/${y}/contents/1`);
  assertError(assert, c, 409, 'conflict');
  assert.match(c.json.error.message, /còn 2 hoạt động/);
  const da = await as(fin, 'DELETE', `/api/admin/activities/${a2.json.id}`);
  assert.equal(da.status, 200, da.text);
  assert.equal(one('activity', a2.json.id, 'activity.delete').before.title, 'Việc hai');
  assert.equal(sql(`SELECT planned_vnd FROM plan_money WHERE year=${y}`)[0][0], '60');
  const dc = await as(fin, 'DELETE', `/api/admin/plans/${y}/contents/2`);
  assert.equal(dc.status, 200, dc.text);
  assert.equal(one('plan_content', `${y}/2`, 'plan_content.delete').after, null);
  const dp = await as(fin, 'DELETE', `/api/admin/plans/${y}`);
  assert.equal(dp.status, 200, dp.text);
  assert.deepEqual(dp.json, { year: y, deleted: true });
  const pd = one('plan', y, 'plan.delete');
  assert.equal(pd.after, null);
  assert.deepEqual(pd.before.activities.map((x) => x.id), [a1.json.id]);
  assert.equal(sql(`SELECT COUNT(*) FROM plan WHERE year=${y}`)[0][0], '0');
  assert.equal(sql(`SELECT COUNT(*) FROM activity WHERE year=${y}`)[0][0], '0');
  for (const t of ['plan_money', 'plan_group_money']) assert.equal(sql(`SELECT COUNT(*) FROM ${t} WHERE year=${y}`)[0][0], '0', t);
  assertError(assert, await as(fin, 'DELETE', `/api/admin/plans/${y}`), 404, 'not_found');
  assertError(assert, await as(fin, 'GET', `/api/admin/plans/${y}`), 404, 'not_found');
});

test('401, 403 (roles, CSRF) on every new endpoint, and nothing changes', async (t) => {
  const act = (await as(aud, 'GET', `/api/admin/plans/${year}`)).json.activities[0].id;
  const endpoints = [
    ['DELETE', `/api/admin/plans/${year}`, null],
    ['POST', `/api/admin/plans/${year}/publish`, {}],
    ['POST', `/api/admin/plans/${year}/amendments`, { decision_no: '1', decision_date: `${year}-08-01`, reason: 'Thử', total_vnd: 1 }],
    ['DELETE', `/api/admin/plans/${year}/contents/1`, null],
    ['DELETE', `/api/admin/activities/${act}`, null],
  ];
  const snap = () => sql('CHECKSUM TABLE plan, plan_content, activity, plan_amendment, audit_log EXTENDED').map((r) => r.join(':')).join(' ');
  const before = snap();
  for (const [m, url, body] of endpoints) {
    await t.test(`${m} ${url}`, async () => {
      assertError(assert, await as(null, m, url, body ?? undefined), 401, 'unauthorized');
      for (const s of [aud, rev]) assertError(assert, await as(s, m, url, body ?? undefined), 403, 'forbidden');
      assertError(assert, await as(fin, m, url, body ?? undefined, { csrf: false }), 403, 'forbidden');
      assertError(assert, await as(fin, m, url, body ?? undefined, { csrf: aud.csrf }), 403, 'forbidden');
    });
  }
  assert.equal(snap(), before, 'the database changed');
});
