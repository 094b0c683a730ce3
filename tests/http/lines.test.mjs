// An activity's money lines keep its limits (allocations ≤ budget,
// disbursements ≤ allocations, settlements ≤ disbursements) on add,
// correct and delete, each refusal with its message and nothing changed;
// two finance staff posting at once cannot both pass; a disbursement names
// its facility by the application's reference code, and an application
// must belong to the facility and to a call of the activity's plan year.
// Finance reads applications; the auditor reads (imports included) and
// may change nothing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { sql, assertError } from '../lib.mjs';
import { mkUser, login, as, mkApplication, sfx } from './staff-helpers.mjs';

let fin; let aud; let rev; let imp;
test('setup', async () => {
  const f = mkUser(['finance'], 'lfi'); fin = await login(f.username, f.password);
  const a = mkUser(['auditor'], 'lau'); aud = await login(a.username, a.password);
  const r = mkUser(['reviewer'], 'lre'); rev = await login(r.username, r.password);
  const i = mkUser(['importer'], 'lim'); imp = await login(i.username, i.password);
  for (const s of [fin, aud, rev, imp]) assert.equal(s.status, 200);
});

function mkActivity(planned, year = 2020) {
  const r = sql(`INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (${year}, '1', 'Hoạt động ${sfx()}', 'Trung tâm thử', ${planned}); SELECT LAST_INSERT_ID();`);
  return Number(r[r.length - 1][0]);
}
const sums = (aid) => sql(`SELECT (SELECT COALESCE(SUM(amount_vnd),0) FROM allocation WHERE activity_id=${aid}),
  (SELECT COALESCE(SUM(amount_vnd),0) FROM disbursement WHERE activity_id=${aid}),
  (SELECT COALESCE(SUM(amount_vnd),0) FROM settlement WHERE activity_id=${aid}),
  (SELECT COUNT(*) FROM audit_log)`)[0].map(Number);
const post = (aid, kind, body) => as(fin, 'POST', `/api/admin/activities/${aid}/${kind}`, { date: '2020-05-01', ...body });

// A refusal: 422 on field (or 409), the message naming the limit and the excess; nothing changed.
async function refused(aid, res, status, field, ...parts) {
  const before = sums(aid);
  assertError(assert, res, status, status === 422 ? 'validation_failed' : 'conflict');
  const msg = status === 422 ? res.json.error.fields[field] : res.json.error.message;
  assert.ok(msg, res.text);
  for (const p of parts) assert.ok(msg.includes(p), `«${msg}» names ${p}`);
  assert.deepEqual(sums(aid), before, 'nothing changed');
}

test('allocations ≤ budget: below, at, above; corrected above', async () => {
  const aid = mkActivity(100000000);
  const a1 = await post(aid, 'allocations', { amount_vnd: 60000000 });
  assert.equal(a1.status, 201, a1.text);
  await refused(aid, await post(aid, 'allocations', { amount_vnd: 40000001 }), 422, 'amount_vnd', '100.000.001 đ', '100.000.000 đ', ' 1 đ');
  const a2 = await post(aid, 'allocations', { amount_vnd: '40 triệu' });	// at the limit, typed as people do
  assert.equal(a2.status, 201, a2.text);
  assert.equal(a2.json.amount_vnd, 40000000);
  await refused(aid, await as(fin, 'PUT', `/api/admin/allocations/${a1.json.id}`, { amount_vnd: 60000001, date: '2020-05-01' }), 422, 'amount_vnd', 'kinh phí kế hoạch', '1 đ');
  const down = await as(fin, 'PUT', `/api/admin/allocations/${a1.json.id}`, { amount_vnd: 59000000, date: '2020-05-01' });
  assert.equal(down.status, 200, down.text);
  for (const bad of [0, -5, 1.5, '2,5 đ', 'abc']) {
    await refused(aid, await post(aid, 'allocations', { amount_vnd: bad }), 422, 'amount_vnd');
  }
});

test('disbursements ≤ allocations, settlements ≤ disbursements; corrections and deletions may not undercut', async () => {
  const aid = mkActivity(100000000);
  const al = await post(aid, 'allocations', { amount_vnd: 100000000 });
  assert.equal(al.status, 201, al.text);
  const d1 = await post(aid, 'disbursements', { amount_vnd: 99999999, beneficiary: 'Trung tâm hội chợ' });
  assert.equal(d1.status, 201, d1.text);	// below
  await refused(aid, await post(aid, 'disbursements', { amount_vnd: 2, beneficiary: 'Trung tâm' }), 422, 'amount_vnd', '100.000.001 đ', 'kinh phí đã giao (100.000.000 đ)', ' 1 đ');
  const d2 = await post(aid, 'disbursements', { amount_vnd: 1, beneficiary: 'Trung tâm' });
  assert.equal(d2.status, 201, d2.text);	// at
  await refused(aid, await post(aid, 'settlements', { amount_vnd: 100000001 }), 422, 'amount_vnd', 'số đã giải ngân (100.000.000 đ)', ' 1 đ');
  const s1 = await post(aid, 'settlements', { amount_vnd: 100000000 });
  assert.equal(s1.status, 201, s1.text);	// at
  await refused(aid, await as(fin, 'PUT', `/api/admin/settlements/${s1.json.id}`, { amount_vnd: 100000001, date: '2020-05-02' }), 422, 'amount_vnd', '1 đ');
  // Smaller disbursements than what is settled; smaller allocations than what is disbursed.
  await refused(aid, await as(fin, 'PUT', `/api/admin/disbursements/${d1.json.id}`, { amount_vnd: 99999990, date: '2020-05-01', beneficiary: 'Trung tâm hội chợ' }), 422, 'amount_vnd', 'số đã quyết toán (100.000.000 đ)', ' 9 đ');
  await refused(aid, await as(fin, 'PUT', `/api/admin/allocations/${al.json.id}`, { amount_vnd: 50000000, date: '2020-05-01' }), 422, 'amount_vnd', 'số đã giải ngân (100.000.000 đ)', '50.000.000 đ');
  await refused(aid, await as(fin, 'DELETE', `/api/admin/disbursements/${d2.json.id}`), 409, null, 'Xoá dòng này', '1 đ');
  await refused(aid, await as(fin, 'DELETE', `/api/admin/allocations/${al.json.id}`), 409, null, 'Xoá dòng này', 'số đã giải ngân (100.000.000 đ)', '100.000.000 đ');
  // In the right order everything goes.
  for (const [kind, id] of [['settlements', s1.json.id], ['disbursements', d2.json.id], ['disbursements', d1.json.id], ['allocations', al.json.id]]) {
    const r = await as(fin, 'DELETE', `/api/admin/${kind}/${id}`);
    assert.equal(r.status, 200, r.text);
  }
  assert.deepEqual(sums(aid).slice(0, 3), [0, 0, 0]);
});

test('two finance staff at once: the activity lock lets exactly the budget through', async () => {
  const aid = mkActivity(10000000);
  const f2 = mkUser(['finance'], 'lf2'); const fin2 = await login(f2.username, f2.password);
  const tries = Array.from({ length: 10 }, (_, i) => as(i % 2 ? fin2 : fin, 'POST', `/api/admin/activities/${aid}/allocations`, { amount_vnd: 2000000, date: '2020-05-01' }));
  const res = await Promise.all(tries);
  const ok = res.filter((r) => r.status === 201).length;
  assert.equal(ok, 5, res.map((r) => r.status).join(','));
  assert.ok(res.every((r) => r.status === 201 || r.status === 422));
  assert.equal(sums(aid)[0], 10000000);
});

test('a disbursement by reference code: its facility, application and unit follow', async () => {
  const aid = mkActivity(50000000);
  assert.equal((await post(aid, 'allocations', { amount_vnd: 50000000 })).status, 201);
  const app = mkApplication({ year: 2020 });
  const unit = sql(`SELECT u.code FROM facility f JOIN admin_unit u ON u.id = f.unit_id WHERE f.id=${app.facilityId}`)[0][0];
  const d = await post(aid, 'disbursements', { amount_vnd: 3000000, ref_code: app.ref.toLowerCase(), document_no: 'PC-1' });
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.facility_id, app.facilityId);
  assert.equal(d.json.application_id, app.id);
  assert.equal(d.json.ref_code, app.ref);
  assert.equal(d.json.unit_code, unit, "the facility's unit when none is stated");
  const g = await as(aud, 'GET', `/api/admin/activities/${aid}`);
  assert.equal(g.json.disbursements[0].facility_name, app.name);
  assert.equal(g.json.disbursements[0].ref_code, app.ref);
  // A unit stated wins.
  const d2 = await post(aid, 'disbursements', { amount_vnd: 1000000, ref_code: app.ref, unit_code: '436' });
  assert.equal(d2.status, 201, d2.text);
  assert.equal(d2.json.unit_code, '436');
  // By the application's id alone: the same facility.
  const d3 = await post(aid, 'disbursements', { amount_vnd: 1000000, application_id: app.id });
  assert.equal(d3.status, 201, d3.text);
  assert.equal(d3.json.facility_id, app.facilityId);
});

test('the application must exist, belong to the facility and to a call of the plan year', async () => {
  const aid = mkActivity(50000000);
  assert.equal((await post(aid, 'allocations', { amount_vnd: 50000000 })).status, 201);
  const app = mkApplication({ year: 2020 });
  const other = mkApplication({ year: 2020 });
  const late = mkApplication({ year: 2026 });
  await refused(aid, await post(aid, 'disbursements', { amount_vnd: 1, ref_code: 'KC-2020-999999' }), 422, 'ref_code', 'KC-2020-999999');
  await refused(aid, await post(aid, 'disbursements', { amount_vnd: 1, ref_code: 'KC 2020/1' }), 422, 'ref_code', 'KC-2026-000123');
  await refused(aid, await post(aid, 'disbursements', { amount_vnd: 1, ref_code: late.ref }), 422, 'ref_code', late.ref, 'năm 2026', 'kế hoạch năm 2020');
  await refused(aid, await post(aid, 'disbursements', { amount_vnd: 1, ref_code: app.ref, facility_id: other.facilityId }), 422, 'ref_code', app.ref, app.name);
  await refused(aid, await post(aid, 'disbursements', { amount_vnd: 1, application_id: app.id, facility_id: other.facilityId }), 422, 'application_id', app.name);
  await refused(aid, await post(aid, 'disbursements', { amount_vnd: 1, ref_code: app.ref, application_id: other.id }), 422, 'application_id', app.ref);
  await refused(aid, await post(aid, 'disbursements', { amount_vnd: 1, application_id: 999999999 }), 422, 'application_id');
  await refused(aid, await post(aid, 'disbursements', { amount_vnd: 1 }), 422, 'beneficiary', 'mã hồ sơ');
  // Corrections are checked the same way.
  const d = await post(aid, 'disbursements', { amount_vnd: 1000, ref_code: app.ref });
  assert.equal(d.status, 201, d.text);
  await refused(aid, await as(fin, 'PUT', `/api/admin/disbursements/${d.json.id}`, { amount_vnd: 1000, date: '2020-05-01', ref_code: late.ref }), 422, 'ref_code', 'năm 2026');
});

test('finance reads applications; the auditor reads imports and changes nothing', async () => {
  const app = mkApplication();
  assert.equal((await as(fin, 'GET', '/api/admin/applications')).status, 200);
  const one = await as(fin, 'GET', `/api/admin/applications/${app.id}`);
  assert.equal(one.status, 200, one.text);
  assertError(assert, await as(fin, 'POST', `/api/admin/applications/${app.id}/review`, {}), 403, 'forbidden');
  for (const url of ['/api/admin/imports', '/api/admin/imports.csv']) {
    const r = await as(aud, 'GET', url);
    assert.equal(r.status, 200, `${url}: ${r.text.slice(0, 200)}`);
  }
  const run = sql('SELECT MAX(id) FROM import_run')[0][0];
  if (run !== 'NULL' && run !== null && run !== '') {
    assert.equal((await as(aud, 'GET', `/api/admin/imports/${run}`)).status, 200);
    assert.equal((await as(aud, 'GET', `/api/admin/imports/${run}/errors`)).status, 200);
  }
  assertError(assert, await as(aud, 'POST', '/api/admin/imports', {}), 403, 'forbidden');
  assertError(assert, await as(rev, 'GET', '/api/admin/imports'), 403, 'forbidden');

  const aid = mkActivity(10000000);
  const al = await post(aid, 'allocations', { amount_vnd: 5000000 });
  const di = await post(aid, 'disbursements', { amount_vnd: 1000000, beneficiary: 'Trung tâm' });
  const st = await post(aid, 'settlements', { amount_vnd: 1000000 });
  const before = sums(aid);
  const facilities = sql('SELECT COUNT(*) FROM facility')[0][0];
  const writes = [
    ['POST', `/api/admin/activities/${aid}/allocations`, { amount_vnd: 1, date: '2020-05-01' }],
    ['POST', `/api/admin/activities/${aid}/disbursements`, { amount_vnd: 1, date: '2020-05-01', beneficiary: 'X' }],
    ['POST', `/api/admin/activities/${aid}/settlements`, { amount_vnd: 1, date: '2020-05-01' }],
    ['PUT', `/api/admin/allocations/${al.json.id}`, { amount_vnd: 1, date: '2020-05-01' }],
    ['PUT', `/api/admin/disbursements/${di.json.id}`, { amount_vnd: 1, date: '2020-05-01', beneficiary: 'X' }],
    ['PUT', `/api/admin/settlements/${st.json.id}`, { amount_vnd: 1, date: '2020-05-01' }],
    ['DELETE', `/api/admin/allocations/${al.json.id}`], ['DELETE', `/api/admin/disbursements/${di.json.id}`],
    ['DELETE', `/api/admin/settlements/${st.json.id}`],
    ['POST', '/api/admin/facilities', { name: 'Cơ sở thử', owner_name: 'Lê Văn A', phone: '0912345678', address: 'Thôn 2, xã X', unit_code: '18073', kind: 'household' }],
    ['POST', '/api/admin/plans', { year: 2999, title: 'Thử', total_vnd: 1 }],
    ['POST', `/api/admin/applications/${app.id}/approve`, { approved_vnd: 1000 }],
  ];
  for (const [m, url, body] of writes) assertError(assert, await as(aud, m, url, body), 403, 'forbidden');
  assert.deepEqual(sums(aid), before);
  assert.equal(sql('SELECT COUNT(*) FROM facility')[0][0], facilities);
});
