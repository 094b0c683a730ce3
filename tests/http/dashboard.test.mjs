// Public dashboard API: plans, dashboard, its tables as CSV, beneficiaries,
// the data package (each CSV checked against its declared schema, by hand
// and with Frictionless's validators) and the micro-cache.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { get, getCsv, sql, assertError, until, freeYear } from '../lib.mjs';
import { parseCsv } from './dashboard-csv.mjs';
import { checkPackage, checkResource } from './datapackage-check.mjs';

let year;
let act;

before(() => {
  // A year with no plan and no award: the package's products are ours. Award
  // years end at 2100 (migration 020), after the importer's current year.
  year = freeYear(2030, 71, 'SELECT (SELECT COUNT(*) FROM plan WHERE year = {y}) + (SELECT COUNT(*) FROM award WHERE year = {y})');
  sql(`INSERT INTO plan (year, title, total_vnd, decision_no, decision_date, status) VALUES (${year}, 'Kế hoạch kiểm thử ${year}', 900000000, '12/QĐ-SCT', '${year}-01-15', 'published');
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
  // Two products awarded in the year: one with a group, a district and an
  // older award without a decision, one with neither group nor district.
  sql(`INSERT INTO product_group (name, name_fold, name_key) VALUES ('Thực phẩm thử ${year}', 'thuc pham thu ${year}', 'thực phẩm thử ${year}');
    INSERT INTO product (facility_id, name, name_fold, name_key, search_fold, group_id, unit_id, last_year)
      SELECT f.id, 'Kẹo cu đơ "đặc biệt", ${year}', 'keo cu do dac biet ${year}', 'kẹo cu đơ đặc biệt ${year}', 'keo cu do dac biet ${year}', LAST_INSERT_ID(), f.unit_id, ${year}
      FROM facility f WHERE f.ident = 'name:co so kiem thu ${year}|443';
    SET @p = LAST_INSERT_ID();
    INSERT INTO product (facility_id, name, name_fold, name_key, search_fold, last_year)
      SELECT f.id, 'Nón lá ${year}', 'non la ${year}', 'nón lá ${year}', 'non la ${year}', ${year} FROM facility f WHERE f.ident = 'name:co so kiem thu ${year}|443';
    SET @q = LAST_INSERT_ID();
    INSERT INTO award (product_id, year, level, decision_no, decision_date) VALUES
      (@p, ${year}, 'province', '15/QĐ-UBND', '${year}-11-20'), (@p, ${year - 1}, 'district', NULL, NULL),
      (@q, ${year}, 'national', 'Số 1', '${year}-12-01');`);
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

test('applications are counted from the calls of the plan year', async () => {
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
    const rows = parseCsv(await getCsv(assert, u));
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
});

test('beneficiaries without a year: the latest plan\'s, as for the dashboard', async () => {
  const top = Number(sql('SELECT MAX(year) FROM plan')[0][0]) + 1;
  assert.ok(top < 2995, `room above the latest plan (${top - 1}) below the years other tests keep free`);
  sql(`INSERT INTO plan (year, title, total_vnd, status) VALUES (${top}, 'Kế hoạch mới nhất ${top}', 1000, 'published');
    INSERT INTO plan_content (year, code, title) VALUES (${top}, '1', 'Tập huấn');
    INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (${top}, '1', 'Lớp mới nhất', 'Sở C', 1000);
    INSERT INTO disbursement (activity_id, amount_vnd, paid_on, beneficiary) VALUES (LAST_INSERT_ID(), 777, '${top}-04-01', 'Người nhận ${top}');`);
  const nocache = { headers: { cookie: 'nocache=1' } };
  assert.equal((await get('/api/dashboard', nocache)).json.year, top);
  const dflt = await get('/api/beneficiaries', nocache);
  assert.equal(dflt.status, 200, dflt.text);
  assert.deepEqual(dflt.json.items.map((x) => [x.facility.name, x.amount_vnd, x.date]), [[`Người nhận ${top}`, 777, `${top}-04-01`]]);
  assert.deepEqual(dflt.json, (await get(`/api/beneficiaries?year=${top}`, nocache)).json);
  const csv = await get('/api/beneficiaries.csv', nocache);
  assert.equal(csv.status, 200);
  assert.equal(csv.text, (await get(`/api/beneficiaries.csv?year=${top}`, nocache)).text);
  assert.equal(parseCsv(csv.text.replace(/^\uFEFF/, '')).length, 2);
  // Filters still apply to the default year.
  const none = await get('/api/beneficiaries?district=443', nocache);
  assert.deepEqual([none.status, none.json.total], [200, 0]);
});

test('the data package describes every CSV it points to', async () => {
  const base = `${process.env.KC_URL || 'http://127.0.0.1:18080'}/api/datapackage.json?year=${year}`;
  const r = await get(`/api/datapackage.json?year=${year}`);
  assert.equal(r.status, 200);
  const p = r.json;
  const declared = p.resources.map((x) => x.name);
  assert.deepEqual([...declared].sort(), [`hoat-dong-${year}`, `contents-${year}`, `units-${year}`, `areas-${year}`,
    `monthly-${year}`, `dieu-chinh-${year}`, `nguoi-thu-huong-${year}`, 'ke-hoach', `san-pham-${year}`,
    `do-day-du-${year}`, 'co-so', `danh-hieu-${year}`].sort());
  // The descriptor against the Data Package profiles, and each resource's
  // CSV: header = declared fields in order, every value of its type.
  await checkPackage(base, p);
  const counts = {};
  for (const res of p.resources) counts[res.name] = await checkResource(base, res);
  assert.deepEqual(Object.keys(counts).sort(), [...declared].sort(), 'every declared resource checked');
  assert.deepEqual([`hoat-dong-${year}`, `contents-${year}`, `units-${year}`, `monthly-${year}`, `nguoi-thu-huong-${year}`, `san-pham-${year}`].map((n) => counts[n]),
    [2, 3, 2, 2, 2, 2]);
  assert.ok(counts[`areas-${year}`] >= 1 && counts['ke-hoach'] >= 2, JSON.stringify(counts));
  // The products' CSV as served, with its lists of awards.
  const prod = parseCsv((await get(`/api/products.csv?year=${year}`)).text.replace(/^\uFEFF/, ''));
  const mine = prod.find((row) => row[1] === `Kẹo cu đơ "đặc biệt", ${year}`);
  assert.deepEqual(mine.slice(2), [`Thực phẩm thử ${year}`, `Cơ sở kẹo cu đơ kiểm thử ${year}`, '', '443', 'Huyện Can Lộc',
    `${year}; ${year - 1}`, 'province; district', '15/QĐ-UBND; ', `${year}-11-20; `, 'false']);
  // The checks are not rubber stamps: the products' old declaration (names
  // that are not the served header), a wrong type, fail them.
  const products = p.resources.find((x) => x.name === `san-pham-${year}`);
  const old = ['id', 'name', 'group', 'facility_id', 'facility_name', 'facility_address', 'district_code', 'district_name', 'award_years', 'award_levels'];
  await assert.rejects(checkResource(base, { ...products, schema: { fields: old.map((name) => ({ name, type: 'string' })) } }), /header/);
  const retyped = structuredClone(products);
  retyped.schema.fields[7] = { name: 'nam', type: 'integer' };
  await assert.rejects(checkResource(base, retyped), /integer/);
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
