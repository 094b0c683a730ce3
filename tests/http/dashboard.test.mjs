// Public dashboard API: plans, dashboard, its tables as CSV, beneficiaries,
// the data package (validated against its own schemas) and the micro-cache.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { get, sql, assertError, until, freeYear } from '../lib.mjs';
import { parseCsv } from './dashboard-csv.mjs';

let year;
let act;

before(() => {
  year = freeYear(2100, 800, 'SELECT COUNT(*) FROM plan WHERE year = {y}');
  sql(`INSERT INTO plan (year, title, total_vnd, decision_no, decision_date) VALUES (${year}, 'Kế hoạch kiểm thử ${year}', 900000000, '12/QĐ-SCT', '${year}-01-15');
    INSERT INTO plan_content (year, code, title) VALUES (${year}, '1', 'Tập huấn'), (${year}, '2', 'Sản phẩm, "tiêu biểu"'), (${year}, '4', 'Quản lý');
    INSERT INTO activity (year, content_code, title, unit_name, planned_vnd, target, status, progress)
      VALUES (${year}, '2', 'Hội chợ, triển lãm', 'Trung tâm A ${year}', 500000000, '3–4 cơ sở', 'in_progress', 40);
    SET @a = LAST_INSERT_ID();
    INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (${year}, '1', 'Lớp tập huấn', 'Sở B ${year}', 250000000);
    SET @b = LAST_INSERT_ID();
    INSERT INTO facility (ident, name, name_fold, unit_id) SELECT 'name:co so kiem thu ${year}|443', 'Cơ sở kẹo cu đơ kiểm thử ${year}', 'co so keo cu do kiem thu ${year}', id FROM admin_unit WHERE code = '443' AND level = 'district';
    INSERT INTO allocation (activity_id, amount_vnd, allocated_on) VALUES (@a, 400000000, '${year}-02-01'), (@b, 250000000, '${year}-02-01');
    INSERT INTO disbursement (activity_id, amount_vnd, paid_on, facility_id, unit_id)
      SELECT @a, 120000000, '${year}-03-10', f.id, f.unit_id FROM facility f WHERE f.ident = 'name:co so kiem thu ${year}|443';
    INSERT INTO disbursement (activity_id, amount_vnd, paid_on, beneficiary) VALUES (@a, 30000000, '${year}-05-02', 'Đơn vị tổ chức hội chợ'), (@b, 70000000, '${year}-05-20', NULL);
    INSERT INTO settlement (activity_id, amount_vnd, settled_on) VALUES (@b, 70000000, '${year}-12-20');`);
  act = Number(sql(`SELECT id FROM activity WHERE year = ${year} AND content_code = '2'`)[0][0]);
});

test('GET /api/plans lists the published 2020 plan and ours', async () => {
  const r = await get('/api/plans', { headers: { cookie: 'nocache=1' } });   // past the micro-cache
  assert.equal(r.status, 200);
  const p2020 = r.json.items.find((p) => p.year === 2020);
  assert.equal(p2020.total_vnd, 2080000000);
  assert.equal(p2020.decision_no, null);
  const mine = r.json.items.find((p) => p.year === year);
  assert.deepEqual([mine.total_vnd, mine.decision_no, mine.decision_date], [900000000, '12/QĐ-SCT', `${year}-01-15`]);
});

test('unknown year → 404 not_found, malformed year → 422', async () => {
  assertError(assert, await get('/api/dashboard?year=2999'), 404, 'not_found');
  assertError(assert, await get('/api/dashboard.csv?year=2998'), 404, 'not_found');
  assertError(assert, await get('/api/beneficiaries?year=2997'), 404, 'not_found');
  assertError(assert, await get('/api/datapackage.json?year=2996'), 404, 'not_found');
  assertError(assert, await get('/api/dashboard?year=abc'), 422, 'validation_failed');
  assertError(assert, await get('/api/dashboard?year=1999'), 422, 'validation_failed');
  assertError(assert, await get(`/api/dashboard/nothing?year=${year}`), 404, 'not_found');
});

test('the 2020 plan: published total and four content areas', async () => {
  const r = await get('/api/dashboard?year=2020');
  assert.equal(r.status, 200);
  assert.equal(r.json.year, 2020);
  assert.equal(r.json.plan.total_vnd, 2080000000);
  assert.deepEqual(r.json.contents.map((c) => c.code), ['1', '2', '3', '4']);
  assert.equal(r.json.contents[0].title, 'Tư vấn, tập huấn, đào tạo');
});

test('dashboard of a year: every sum agrees with the rows we inserted', async () => {
  const r = await get(`/api/dashboard?year=${year}`);
  assert.equal(r.status, 200);
  const d = r.json;
  assert.deepEqual(d.totals, { planned_vnd: 750000000, allocated_vnd: 650000000, disbursed_vnd: 220000000, settled_vnd: 70000000 });
  assert.deepEqual(d.contents.map((c) => [c.code, c.planned_vnd, c.disbursed_vnd, c.activities.length]),
    [['1', 250000000, 70000000, 1], ['2', 500000000, 150000000, 1], ['4', 0, 0, 0]]);
  const a = d.contents[1].activities[0];
  assert.deepEqual([a.id, a.unit, a.target, a.status, a.allocated_vnd, a.settled_vnd], [act, `Trung tâm A ${year}`, '3–4 cơ sở', 'in_progress', 400000000, 0]);
  assert.equal(d.plan.decision_no, '12/QĐ-SCT');
  assert.deepEqual(d.by_unit.map((u) => [u.unit, u.allocated_vnd, u.disbursed_vnd]),
    [[`Trung tâm A ${year}`, 400000000, 150000000], [`Sở B ${year}`, 250000000, 70000000]]);
  const canLoc = d.by_area.find((x) => x.code === '443');
  assert.deepEqual([canLoc.name, canLoc.kind, canLoc.facilities_supported, canLoc.disbursed_vnd], ['Huyện Can Lộc', 'district', 1, 120000000]);
  assert.equal(d.by_area.reduce((s, x) => s + x.disbursed_vnd, 0), 220000000);
  assert.deepEqual(d.monthly, [
    { month: `${year}-03`, disbursed_vnd: 120000000, facilities_supported: 1 },
    { month: `${year}-05`, disbursed_vnd: 100000000, facilities_supported: 0 }]);
  for (const k of ['submitted', 'under_review', 'approved', 'rejected']) assert.equal(d.applications[k], 0);
  assert.match(d.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(d.sample, false);
});

test('applications are counted from the calls of the plan year', async (t) => {
  const have = sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'kc' AND TABLE_NAME IN ('application', 'support_call')")[0][0];
  if (have !== '2') { t.skip('the calls tables (migration 030) are not there yet'); return; }
  const nocache = { headers: { cookie: 'nocache=1' } };
  const before = (await get(`/api/dashboard?year=${year}`, nocache)).json.applications;
  assert.deepEqual([before.submitted, before.approved, before.rejected], [0, 0, 0]);
  // A call of the year with three applications, and one of another year.
  sql(`INSERT INTO facility (ident, name, name_fold, unit_id) SELECT CONCAT('name:ung vien ', n, ' ${year}|443'), CONCAT('Ứng viên ', n, ' ${year}'), CONCAT('ung vien ', n, ' ${year}'), u.id
      FROM admin_unit u, (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) k WHERE u.code = '443' AND u.level = 'district';
    INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd) VALUES (${year}, 'trade_fair', 'Đợt thử ${year}', '${year}-01-01', '${year}-12-31', 10000000);
    SET @c = LAST_INSERT_ID();
    INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd) VALUES (${year + 1}, 'training', 'Đợt khác ${year}', '${year}-01-01', '${year}-12-31', 10000000);
    SET @o = LAST_INSERT_ID();
    INSERT INTO application (ref_code, call_id, facility_id, facility_name, phone, unit_id, unit_code, requested_vnd, products, status, token_hash)
      SELECT CONCAT('T${year}-', f.id, '-', k.c), IF(k.c = 'o', @o, @c), f.id, f.name, '0900000000', f.unit_id, '443', 1000000, '[]',
        ELT(CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(f.name, ' ', 3), ' ', -1) AS INT), 'approved', 'approved', 'rejected'), REPEAT('0', 64)
      FROM facility f, (SELECT 'c' AS c UNION ALL SELECT 'o') k WHERE f.ident LIKE 'name:ung vien % ${year}|443';`);
  const after = (await get(`/api/dashboard?year=${year}`, nocache)).json.applications;
  assert.deepEqual([after.submitted, after.under_review, after.approved, after.rejected], [0, 0, 2, 1]);
});

test('every .csv opens with a BOM and a header row', async () => {
  const urls = [`/api/dashboard.csv?year=${year}`, `/api/beneficiaries.csv?year=${year}`, '/api/plans.csv',
    ...['contents', 'units', 'areas', 'monthly'].map((p) => `/api/dashboard/${p}.csv?year=${year}`)];
  for (const u of urls) {
    const r = await fetch(`${process.env.KC_URL || 'http://127.0.0.1:18080'}${u}`);
    assert.equal(r.status, 200, u);
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/, u);
    const bytes = new Uint8Array(await r.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], `${u}: BOM`);
    const rows = parseCsv(new TextDecoder().decode(bytes.slice(3)));
    assert.ok(rows.length >= 2, `${u}: header and rows`);
    assert.ok(rows[0].every((h) => /^[a-z_]+$/.test(h)), `${u}: header ${rows[0]}`);
  }
  const lines = parseCsv((await get(`/api/dashboard.csv?year=${year}`)).text.replace(/^\uFEFF/, ''));
  assert.equal(lines.length, 3);
  assert.ok(lines.slice(1).some((l) => l.includes('Sản phẩm, "tiêu biểu"')), 'quoted content title');
});

test('beneficiaries: paged, filtered by district and by text without diacritics', async () => {
  const all = await get(`/api/beneficiaries?year=${year}`);
  assert.equal(all.status, 200);
  assert.equal(all.json.total, 2);            // the payment with no beneficiary is not listed
  assert.deepEqual([all.json.page, all.json.per_page], [1, 20]);
  const first = all.json.items[0];
  assert.equal(first.facility.name, `Cơ sở kẹo cu đơ kiểm thử ${year}`);
  assert.deepEqual(first.district, { code: '443', name: 'Huyện Can Lộc' });
  assert.deepEqual([first.activity, first.amount_vnd, first.date], ['Hội chợ, triển lãm', 120000000, `${year}-03-10`]);
  assert.equal(all.json.items[1].facility.id, null);
  assert.equal(all.json.items[1].facility.name, 'Đơn vị tổ chức hội chợ');
  const p2 = await get(`/api/beneficiaries?year=${year}&per_page=1&page=2`);
  assert.deepEqual([p2.json.total, p2.json.items.length, p2.json.items[0].amount_vnd], [2, 1, 30000000]);
  const far = await get(`/api/beneficiaries?year=${year}&page=50`);
  assert.deepEqual([far.status, far.json.items.length], [200, 0]);
  const d = await get(`/api/beneficiaries?year=${year}&district=443`);
  assert.deepEqual(d.json.items.map((x) => x.amount_vnd), [120000000]);
  const q = await get(`/api/beneficiaries?year=${year}&q=${encodeURIComponent('keo cu do kiem thu')}`);
  assert.deepEqual(q.json.items.map((x) => x.amount_vnd), [120000000]);
  const pct = await get(`/api/beneficiaries?year=${year}&q=%25`);
  assert.equal(pct.json.total, 0, 'a % in q is literal');
  const capped = await get(`/api/beneficiaries?year=${year}&per_page=1000`);
  assert.equal(capped.json.per_page, 100);
  assertError(assert, await get('/api/beneficiaries'), 422, 'validation_failed');
});

// Frictionless Table Schema types, as far as our packages use them.
const TYPES = {
  integer: (v) => /^-?\d+$/.test(v),
  string: () => true,
  date: (v) => /^\d{4}-\d\d-\d\d$/.test(v) && !Number.isNaN(Date.parse(v)),
  boolean: (v) => ['true', 'false', 'True', 'False', 'TRUE', 'FALSE', '1', '0'].includes(v),
  yearmonth: (v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v),
};

// Validate one resource of a package: its CSV against its schema.
async function validateResource(base, res) {
  assert.equal(res.profile, 'tabular-data-resource');
  assert.match(res.name, /^[a-z0-9._-]+$/, 'resource name');
  assert.ok(!res.path.startsWith('/') && !res.path.includes('..'), `relative path ${res.path}`);
  const fields = res.schema.fields;
  assert.ok(fields.length > 0);
  for (const f of fields) assert.ok(TYPES[f.type], `known type ${f.type}`);
  const url = new URL(res.path, base);
  const r = await fetch(url);
  assert.equal(r.status, 200, `${url}`);
  const text = await r.text();
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  assert.deepEqual(rows[0], fields.map((f) => f.name), `${res.name}: header = schema`);
  const keys = new Set();
  const pk = res.schema.primaryKey;
  for (const row of rows.slice(1)) {
    assert.equal(row.length, fields.length, `${res.name}: width`);
    fields.forEach((f, i) => {
      if (row[i] !== '') assert.ok(TYPES[f.type](row[i]), `${res.name}.${f.name}: ${row[i]} is not ${f.type}`);
    });
    if (pk) {
      const k = row[fields.findIndex((f) => f.name === pk)];
      assert.ok(k !== '' && !keys.has(k), `${res.name}: primary key ${k} unique`);
      keys.add(k);
    }
  }
  return rows.length - 1;
}

test('the data package validates against its own schemas', async () => {
  const r = await get(`/api/datapackage.json?year=${year}`);
  assert.equal(r.status, 200);
  const p = r.json;
  assert.equal(p.profile, 'tabular-data-package');
  assert.match(p.name, /^[a-z0-9._-]+$/);
  assert.ok(Array.isArray(p.licenses) && p.licenses.length > 0);
  const names = p.resources.map((x) => x.name);
  assert.equal(new Set(names).size, names.length, 'resource names unique');
  for (const want of [`hoat-dong-${year}`, `nguoi-thu-huong-${year}`, `san-pham-${year}`]) assert.ok(names.includes(want), want);
  const base = `${process.env.KC_URL || 'http://127.0.0.1:18080'}/api/datapackage.json`;
  const counts = {};
  for (const res of p.resources) {
    if (res.name.startsWith('san-pham-')) {
      // Served by kc-products (issue 3): validated once that program answers.
      const probe = await fetch(new URL(res.path, base));
      if (probe.status !== 200) continue;
    }
    counts[res.name] = await validateResource(base, res);
  }
  assert.equal(counts[`hoat-dong-${year}`], 2);
  assert.equal(counts[`nguoi-thu-huong-${year}`], 2);
  assert.equal(counts[`contents-${year}`], 3);
  // A broken CSV would fail the check: the validator is not a rubber stamp.
  const bad = { ...p.resources[0], schema: { fields: [{ name: 'year', type: 'date' }] } };
  await assert.rejects(validateResource(base, bad));
});

test('public JSON is micro-cached by nginx; a cookie bypasses the cache', async () => {
  const u = `/api/dashboard?year=${year}&cache=${Math.random()}`;
  const a = await get(u);
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('cache-control'), 'public, max-age=5');
  assert.equal(a.headers.get('x-cache'), 'MISS');
  const b = await get(u);
  assert.equal(b.headers.get('x-cache'), 'HIT');
  assert.equal(b.text, a.text);
  const c = await get(u, { headers: { cookie: 'kc=1' } });
  assert.equal(c.headers.get('x-cache'), 'BYPASS');
  for (const p of [`/api/plans?c=${Math.random()}`, `/api/beneficiaries?year=${year}&c=${Math.random()}`, `/api/datapackage.json?year=${year}&c=${Math.random()}`]) {
    const x = await get(p);
    assert.equal(x.headers.get('cache-control'), 'public, max-age=5', p);
  }
  // Errors are not cached.
  const e = await get(`/api/dashboard?year=2995&c=${Math.random()}`);
  assert.equal(e.headers.get('cache-control'), 'no-store');
  // A change shows once the interval has passed.
  sql(`UPDATE plan SET total_vnd = 900000001 WHERE year = ${year}`);
  const seen = await until(async () => (await get(u)).json.plan.total_vnd === 900000001, 9000, 250);
  assert.ok(seen, 'the change shows within the cache interval');
  sql(`UPDATE plan SET total_vnd = 900000000 WHERE year = ${year}`);
});
