// The dashboard each worker keeps per year (migration 012, dash_get in
// cgi/dashboard/dashboard.c) is never older than the database: every change, made by
// anyone (here hand-written SQL), shows on the very next request past the
// micro-cache, in every worker; a rolled-back change never shows; the
// applications by status, which are not versioned, are always counted.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { get, post, sql, freeYear } from '../lib.mjs';
import { makeCall, body } from './register-helpers.mjs';

const WORKERS = 4;   // the stack's default; every worker must agree
let year;
let act;

// The dashboard as each of several requests sees it (a Cookie: past nginx's
// micro-cache, straight to the workers); they must all be the same.
async function dashboard(y = year) {
  const seen = [];
  for (let i = 0; i < WORKERS * 3; i++) {
    const r = await get(`/api/dashboard?year=${y}`, { headers: { cookie: 'fresh=1' } });
    assert.equal(r.status, 200);
    seen.push(r.text);
  }
  assert.equal(new Set(seen).size, 1, 'every request must see the same dashboard');
  return JSON.parse(seen[0]);
}

const activity = (d) => d.contents.flatMap((c) => c.activities).find((a) => a.id === act);

before(() => {
  year = freeYear(2100, 800, 'SELECT COUNT(*) FROM plan WHERE year = {y}');
  sql(`INSERT INTO plan (year, title, total_vnd, status) VALUES (${year}, 'Kế hoạch tươi ${year}', 500000000, 'published');
    INSERT INTO plan_content (year, code, title) VALUES (${year}, '2', 'Sản phẩm');
    INSERT INTO activity (year, content_code, title, unit_name, planned_vnd)
      VALUES (${year}, '2', 'Hội chợ', 'Trung tâm ${year}', 300000000);`);
  act = Number(sql(`SELECT id FROM activity WHERE year = ${year}`)[0][0]);
});

test('a payment entered by SQL shows on the next request, in every worker', async () => {
  let d = await dashboard();
  assert.equal(d.totals.disbursed_vnd, 0);
  sql(`INSERT INTO disbursement (activity_id, amount_vnd, paid_on, beneficiary)
    VALUES (${act}, 12345000, '${year}-03-01', 'Cơ sở A')`);
  d = await dashboard();
  assert.equal(d.totals.disbursed_vnd, 12345000);
  assert.equal(activity(d).disbursed_vnd, 12345000);
  sql(`UPDATE disbursement SET amount_vnd = 2000000 WHERE activity_id = ${act}`);
  d = await dashboard();
  assert.equal(d.totals.disbursed_vnd, 2000000);
  assert.deepEqual(d.monthly, [{ month: `${year}-03`, disbursed_vnd: 2000000, facilities_supported: 0 }]);
});

test('a change of text only (no money, same second) shows too', async () => {
  await dashboard();
  sql(`UPDATE activity SET title = 'Hội chợ <b>mới</b>', progress = 55 WHERE id = ${act};
    UPDATE plan SET title = 'Kế hoạch đã sửa ${year}' WHERE year = ${year}`);
  const d = await dashboard();
  assert.equal(activity(d).title, 'Hội chợ <b>mới</b>');
  assert.equal(activity(d).progress, 55);
  assert.equal(d.plan.title, `Kế hoạch đã sửa ${year}`);
});

test('a rolled-back change never shows, and changes nothing', async () => {
  const before = await dashboard();
  const v = sql(`SELECT version FROM dash_version WHERE year = ${year}`)[0][0];
  sql(`START TRANSACTION;
    INSERT INTO disbursement (activity_id, amount_vnd, paid_on, beneficiary) VALUES (${act}, 99000000, '${year}-04-01', 'Không có');
    ROLLBACK;`);
  assert.equal(sql(`SELECT version FROM dash_version WHERE year = ${year}`)[0][0], v);
  assert.deepEqual(await dashboard(), before);
});

test('applications by status are counted on every request', async () => {
  const call = makeCall();
  sql(`UPDATE support_call SET year = ${year} WHERE id = ${call}`);
  let d = await dashboard();
  assert.equal(d.applications.submitted, 0);
  const r = await post('/api/applications', { json: await body(call) });
  assert.equal(r.status, 201);
  d = await dashboard();
  assert.equal(d.applications.submitted, 1);
  sql(`UPDATE application SET status = 'approved' WHERE call_id = ${call}`);
  d = await dashboard();
  assert.deepEqual(d.applications, { submitted: 0, under_review: 0, needs_info: 0, approved: 1, rejected: 0, withdrawn: 0 });
});

// Migration 032 keeps the counts by triggers: they follow a call that
// moves to another year, a status change and a delete made by hand, and
// every year's sums equal a count of the application table itself.
test('application counts follow their call, status changes and deletes', async () => {
  const other = freeYear(2100, 800, 'SELECT COUNT(*) FROM plan WHERE year = {y}');
  sql(`INSERT INTO plan (year, title, total_vnd, status) VALUES (${other}, 'Kế hoạch khác ${other}', 1000000, 'published')`);
  const call = makeCall();
  sql(`UPDATE support_call SET year = ${year} WHERE id = ${call}`);
  const before = (await dashboard()).applications;
  for (let i = 0; i < 3; i++) {
    const r = await post('/api/applications', { json: await body(call) });
    assert.equal(r.status, 201);
  }
  let d = await dashboard();
  assert.equal(d.applications.submitted, before.submitted + 3);
  sql(`UPDATE application SET status = 'rejected' WHERE call_id = ${call} ORDER BY id LIMIT 1;
    UPDATE support_call SET year = ${other} WHERE id = ${call}`);
  d = await dashboard();
  assert.deepEqual(d.applications, before, 'the call took its applications to the other year');
  d = await dashboard(other);
  assert.deepEqual(d.applications, { submitted: 2, under_review: 0, needs_info: 0, approved: 0, rejected: 1, withdrawn: 0 });
  const gone = sql(`SELECT id FROM application WHERE call_id = ${call} AND status = 'submitted' LIMIT 1`)[0][0];
  sql(`DELETE FROM notify_outbox WHERE application_id = ${gone}; DELETE FROM application_event WHERE application_id = ${gone}; DELETE FROM application WHERE id = ${gone}`);
  // One statement, one snapshot: the years whose kept counts differ from
  // the table's own (other tests may be adding applications meanwhile).
  const ST = ['submitted', 'under_review', 'approved', 'rejected', 'withdrawn'];
  const sums = (expr) => ST.map((x) => `SUM(${expr.replace('?', x)}) ${x}`).join(', ');
  const same = ST.map((x) => `COALESCE(k.${x}, 0) = COALESCE(t.${x}, 0)`).join(' AND ');
  const kept = `SELECT year, ${sums('?')} FROM application_count GROUP BY year`;
  const table = `SELECT c.year, ${sums("a.status = '?'")} FROM application a
      JOIN support_call c ON c.id = a.call_id GROUP BY c.year`;
  assert.deepEqual(sql(`SELECT k.year FROM (${kept}) k LEFT JOIN (${table}) t ON t.year = k.year WHERE NOT (${same})
      UNION ALL SELECT t.year FROM (${table}) t LEFT JOIN (${kept}) k ON k.year = t.year WHERE NOT (${same})`), []);
  d = await dashboard(other);
  assert.equal(d.applications.submitted, 1);
});

test('the CSV and the tables behind the charts come from the same, current figures', async () => {
  sql(`INSERT INTO disbursement (activity_id, amount_vnd, paid_on, beneficiary)
    VALUES (${act}, 1000000, '${year}-07-01', 'Cơ sở B')`);
  const d = await dashboard();
  const csv = await get(`/api/dashboard.csv?year=${year}`, { headers: { cookie: 'fresh=1' } });
  assert.equal(csv.status, 200);
  assert.match(csv.text, new RegExp(`,${d.totals.disbursed_vnd},`));
  const m = await get(`/api/dashboard/monthly?year=${year}`, { headers: { cookie: 'fresh=1' } });
  assert.deepEqual(m.json.items, d.monthly);
});

test('an unknown year is 404 however often it is asked', async () => {
  for (let i = 0; i < WORKERS; i++) {
    const r = await get('/api/dashboard?year=2999', { headers: { cookie: 'fresh=1' } });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'not_found');
  }
});
