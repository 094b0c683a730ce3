// Property test: random plans with random activities, allocations,
// disbursements and settlements → every total of the dashboard equals the
// sum of its parts and the sums of the rows inserted, in the JSON and in
// the CSV tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, sql, freeYear } from '../lib.mjs';
import { parseCsv } from './dashboard-csv.mjs';

const rnd = (n) => Math.floor(Math.random() * n);
const money = () => (1 + rnd(5000)) * 100000;
const nocache = { headers: { cookie: 'nocache=1' } };
const sum = (xs, f) => xs.reduce((s, x) => s + f(x), 0);

// One random plan inserted with sql(); returns what the sums must be.
function randomPlan() {
  const year = freeYear(2100, 800, 'SELECT COUNT(*) FROM plan WHERE year = {y}');
  const codes = ['1', '2', '3', '4'].filter(() => Math.random() < 0.8);
  if (codes.length === 0) codes.push('3');
  const units = ['Trung tâm Khuyến công', 'Sở Công Thương', `Đơn vị ${year}`];
  const districts = sql("SELECT id, code FROM admin_unit WHERE level = 'district' AND code <> '448' ORDER BY code");
  const stmts = [`INSERT INTO plan (year, title, total_vnd, status) VALUES (${year}, 'Ngẫu nhiên ${year}', ${money() * 10}, 'published')`,
    `INSERT INTO plan_content (year, code, title) VALUES ${codes.map((c) => `(${year}, '${c}', 'Nội dung ${c}')`).join(',')}`];
  const acts = [];
  const nacts = rnd(7);
  for (let i = 0; i < nacts; i++) {
    const a = { code: codes[rnd(codes.length)], unit: units[rnd(units.length)], planned: rnd(4) === 0 ? 0 : money(),
      alloc: [], disb: [], settled: [] };
    for (let k = rnd(3); k > 0; k--) a.alloc.push(money());
    for (let k = rnd(6); k > 0; k--) {
      const d = districts[rnd(districts.length)];
      a.disb.push({ amount: money(), month: 1 + rnd(12), unit: rnd(3) === 0 ? null : d });
    }
    for (let k = rnd(3); k > 0; k--) a.settled.push(money());
    acts.push(a);
    stmts.push(`INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (${year}, '${a.code}', 'Hoạt động ${i}, "${year}"', '${a.unit}', ${a.planned})`,
      'SET @a = LAST_INSERT_ID()');
    for (const x of a.alloc) stmts.push(`INSERT INTO allocation (activity_id, amount_vnd, allocated_on) VALUES (@a, ${x}, '${year}-01-05')`);
    for (const x of a.disb) {
      stmts.push(`INSERT INTO disbursement (activity_id, amount_vnd, paid_on, beneficiary, unit_id) VALUES (@a, ${x.amount}, '${year}-${String(x.month).padStart(2, '0')}-${1 + rnd(28)}', 'Người nhận', ${x.unit ? x.unit[0] : 'NULL'})`);
    }
    for (const x of a.settled) stmts.push(`INSERT INTO settlement (activity_id, amount_vnd, settled_on) VALUES (@a, ${x}, '${year}-12-31')`);
  }
  sql(stmts.join(';\n'));
  return { year, codes, acts };
}

const total = (a, k) => (k === 'planned' ? a.planned : k === 'disb' ? sum(a.disb, (x) => x.amount) : sum(a[k], (x) => x));

async function csvRows(url) {
  const r = await get(url, nocache);
  assert.equal(r.status, 200, url);
  const rows = parseCsv(r.text.replace(/^\uFEFF/, ''));
  const head = rows[0];
  return rows.slice(1).map((row) => Object.fromEntries(head.map((h, i) => [h, row[i]])));
}

test('random plans: every total equals the sum of its parts (JSON and CSV)', async () => {
  for (let round = 0; round < 8; round++) {
    const p = randomPlan();
    const r = await get(`/api/dashboard?year=${p.year}`, nocache);
    assert.equal(r.status, 200);
    const d = r.json;
    const keys = [['planned_vnd', 'planned'], ['allocated_vnd', 'alloc'], ['disbursed_vnd', 'disb'], ['settled_vnd', 'settled']];
    // The inserted rows, summed here, are what the dashboard says.
    for (const [jk, k] of keys) {
      assert.equal(d.totals[jk], sum(p.acts, (a) => total(a, k)), `${p.year} totals.${jk}`);
      assert.equal(d.totals[jk], sum(d.contents, (c) => c[jk]), `${p.year} totals.${jk} = Σ contents`);
      for (const c of d.contents) {
        assert.equal(c[jk], sum(c.activities, (a) => a[jk]), `${p.year} content ${c.code}.${jk} = Σ activities`);
        assert.equal(c[jk], sum(p.acts.filter((a) => a.code === c.code), (a) => total(a, k)));
      }
    }
    assert.deepEqual(d.contents.map((c) => c.code), [...p.codes].sort());
    assert.equal(sum(d.contents, (c) => c.activities.length), p.acts.length);
    assert.equal(sum(d.by_unit, (u) => u.disbursed_vnd), d.totals.disbursed_vnd);
    assert.equal(sum(d.by_unit, (u) => u.allocated_vnd), d.totals.allocated_vnd);
    assert.equal(sum(d.by_unit, (u) => u.planned_vnd), d.totals.planned_vnd);
    assert.equal(sum(d.by_area, (u) => u.disbursed_vnd), d.totals.disbursed_vnd);
    assert.equal(sum(d.monthly, (u) => u.disbursed_vnd), d.totals.disbursed_vnd);
    const months = new Set(p.acts.flatMap((a) => a.disb.map((x) => x.month)));
    assert.equal(d.monthly.length, months.size);
    const facilityless = p.acts.flatMap((a) => a.disb).filter((x) => !x.unit);
    const noArea = d.by_area.find((x) => x.code === null);
    assert.equal(noArea ? noArea.disbursed_vnd : 0, sum(facilityless, (x) => x.amount));

    // The same sums in the CSV tables.
    const lines = await csvRows(`/api/dashboard.csv?year=${p.year}`);
    assert.equal(lines.length, p.acts.length);
    for (const [jk] of keys) {
      assert.equal(sum(lines, (l) => Number(l[jk])), d.totals[jk], `${p.year} CSV lines ${jk}`);
    }
    const contents = await csvRows(`/api/dashboard/contents.csv?year=${p.year}`);
    for (const [jk] of keys) {
      assert.equal(sum(contents, (c) => Number(c[jk])), d.totals[jk], `${p.year} CSV contents ${jk}`);
      for (const c of contents) {
        assert.equal(Number(c[jk]), sum(lines.filter((l) => l.content_code === c.code), (l) => Number(l[jk])));
      }
    }
    for (const part of ['units', 'areas', 'monthly']) {
      const rows = await csvRows(`/api/dashboard/${part}.csv?year=${p.year}`);
      assert.equal(sum(rows, (x) => Number(x.disbursed_vnd)), d.totals.disbursed_vnd, `${p.year} CSV ${part}`);
    }
    const benef = await csvRows(`/api/beneficiaries.csv?year=${p.year}`);
    assert.equal(sum(benef, (x) => Number(x.amount_vnd)), d.totals.disbursed_vnd, `${p.year} CSV beneficiaries`);
  }
});
