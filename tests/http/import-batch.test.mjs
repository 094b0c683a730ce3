// The importer's multi-row write path (issue 3, speed): a file across
// batches and statement sizes keeps exact counts; rows of one new product
// in one batch end as row-by-row upserts would leave it; award filters
// without q count the same products as they list.
import test from 'node:test';
import assert from 'node:assert/strict';
import { get, sql } from '../lib.mjs';
import { kcImport, tmpFile, csv, suffix, HEADER } from './import-helpers.mjs';

const one = (q) => Number(sql(q)[0][0]);

test('a file across batches and statement sizes: exact counts on import, update and re-import', () => {
  const tag = suffix();
  const n = 6234; // one batch of 5 000, then 1 234 = 2×500 + 2×100 + 20 + 2×5 + 4×1
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push([`Lô ${tag} số ${i}`, `Cơ sở lô ${tag} ${Math.floor(i / 3)}`, 'Huyện Can Lộc',
      2018 + (i % 5), 'Cấp tỉnh', `${i}/QĐ`, '', '']);
  }
  const a = kcImport(['--json', tmpFile(`batch1-${tag}.csv`, csv(rows))]);
  assert.equal(a.status, 0, a.stderr);
  const ra = a.reports[0];
  assert.deepEqual([ra.rows_total, ra.rows_inserted, ra.rows_updated, ra.rows_unchanged], [n, n, 0, 0]);
  assert.equal(one(`SELECT COUNT(*) FROM product WHERE name LIKE 'Lô ${tag} số %'`), n);
  assert.equal(one(`SELECT COUNT(*) FROM award a JOIN product p ON p.id = a.product_id WHERE p.name LIKE 'Lô ${tag} số %'`), n);
  assert.equal(one(`SELECT COUNT(*) FROM facility WHERE name LIKE 'Cơ sở lô ${tag} %'`), Math.ceil(n / 3));
  // Every product belongs to the facility its row named.
  assert.equal(one(`SELECT COUNT(*) FROM product p JOIN facility f ON f.id = p.facility_id
    WHERE p.name LIKE 'Lô ${tag} số %' AND f.name = CONCAT('Cơ sở lô ${tag} ', FLOOR(SUBSTRING_INDEX(p.name, ' ', -1) / 3))`), n);
  let changed = 0;
  for (let i = 0; i < n; i += 10) { rows[i][5] = `${i}/QĐ-mới`; changed++; }
  for (let i = 0; i < 7; i++) rows.push([`Lô ${tag} thêm ${i}`, `Cơ sở lô ${tag} 5`, 'Huyện Can Lộc', 2022, 'Cấp huyện', '', '', '']);
  const b = kcImport(['--json', tmpFile(`batch2-${tag}.csv`, csv(rows))]).reports[0];
  assert.deepEqual([b.rows_total, b.rows_inserted, b.rows_updated, b.rows_unchanged], [n + 7, 7, changed, n - changed]);
  assert.equal(one(`SELECT COUNT(*) FROM award WHERE decision_no LIKE '%/QĐ-mới' AND product_id IN
    (SELECT id FROM product WHERE name LIKE 'Lô ${tag} số %')`), changed);
  assert.equal(one(`SELECT COUNT(*) FROM facility WHERE name LIKE 'Cơ sở lô ${tag} %'`), Math.ceil(n / 3));
  const c = kcImport(['--json', tmpFile(`batch3-${tag}.csv`, csv(rows))]).reports[0];
  assert.deepEqual([c.rows_inserted, c.rows_updated, c.rows_unchanged], [0, 0, n + 7]);
});

// A stored award listed unchanged in one batch and again, with a new
// decision number, in a later batch of the same file: the first listing
// wins (API.md: rows repeated inside one file count once), and the award
// is left exactly as it was: no write at all, not even of which run saw it.
test('a stored award listed again in a later batch: the first listing wins, the award untouched', () => {
  const tag = suffix();
  const award = [`Nước mắm ${tag}`, `Cơ sở mắm ${tag}`, 'Huyện Can Lộc', 2020, 'Cấp tỉnh', '1/QĐ', '', ''];
  assert.equal(kcImport(['--json', tmpFile(`first-${tag}.csv`, csv([award]))]).status, 0);
  const row = () => sql(`SELECT a.id, a.decision_no, a.import_id, a.updated_at FROM award a
    JOIN product p ON p.id = a.product_id WHERE p.name = 'Nước mắm ${tag}'`);
  const before = row();
  const rows = [award];
  for (let i = 0; i < 5000; i++) rows.push([`Lô sau ${tag} ${i}`, `Cơ sở sau ${tag}`, 'Huyện Can Lộc', 2021, 'Cấp huyện', '', '', '']);
  rows.push([...award.slice(0, 5), '1/QĐ-sau', '', '']);
  const r = kcImport(['--json', tmpFile(`later-${tag}.csv`, csv(rows))]);
  assert.equal(r.status, 0, r.stderr);
  const rep = r.reports[0];
  assert.deepEqual([rep.rows_total, rep.rows_inserted, rep.rows_updated, rep.rows_unchanged], [5002, 5000, 0, 2]);
  assert.deepEqual(row(), before);
});

// A tax code of this run (its tenth digit the check digit): one facility
// whatever district its rows name.
function taxCode() {
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (;;) {
    const d = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
    const c = 10 - (d.reduce((s, x, i) => s + x * w[i], 0) % 11);
    if (c <= 9) return d.join('') + c;
  }
}

test('one new product in several rows of a batch: last group given, unit of its latest year', () => {
  const tag = suffix();
  const mst = taxCode();
  const rows = [
    [`Mật ong ${tag}`, `Hợp tác xã ong ${tag}`, 'Huyện Can Lộc', 2019, 'Cấp huyện', '', '', `Nhóm A ${tag}`, mst],
    [`Mật ong ${tag}`, `Hợp tác xã ong ${tag}`, 'Huyện Hương Sơn', 2021, 'Cấp tỉnh', '', '', '', mst],
    [`Mật ong ${tag}`, `Hợp tác xã ong ${tag}`, 'Huyện Thạch Hà', 2020, 'Cấp tỉnh', '', '', `Nhóm B ${tag}`, mst],
  ];
  const f = tmpFile(`merge-${tag}.csv`, csv(rows).replace(HEADER, `${HEADER},Mã số thuế`));
  const a = kcImport(['--json', f]).reports[0];
  assert.deepEqual([a.rows_inserted, a.rows_updated, a.rows_unchanged], [3, 0, 0]);
  const got = sql(`SELECT g.name, p.last_year, u.name, (SELECT COUNT(*) FROM award a WHERE a.product_id = p.id)
    FROM product p LEFT JOIN product_group g ON g.id = p.group_id LEFT JOIN admin_unit u ON u.id = p.unit_id
    WHERE p.name = 'Mật ong ${tag}'`);
  assert.equal(got.length, 1, 'one product');
  assert.deepEqual(got[0].map(String), [`Nhóm B ${tag}`, '2021', 'Huyện Hương Sơn', '3']);
});

test('award filters without q: the total counts the products the list gives', async () => {
  const tag = suffix();
  const group = `Nhóm lọc ${tag}`;
  const rows = [
    [`Gạo ${tag}`, `Cơ sở gạo ${tag}`, 'Huyện Can Lộc', 2003, 'Cấp quốc gia', '', '', group],
    [`Gạo ${tag}`, `Cơ sở gạo ${tag}`, 'Huyện Can Lộc', 2004, 'Cấp tỉnh', '', '', group],
    [`Tương ${tag}`, `Cơ sở tương ${tag}`, 'Huyện Hương Sơn', 2003, 'Cấp tỉnh', '', '', group],
    [`Miến ${tag}`, `Cơ sở miến ${tag}`, 'Huyện Hương Sơn', 2004, 'Cấp quốc gia', '', '', group],
  ];
  const r = kcImport(['--json', tmpFile(`filters-${tag}.csv`, csv(rows))]);
  assert.equal(r.reports[0].rows_inserted, 4, r.stderr);
  const g = encodeURIComponent(group.toLowerCase());
  const cases = [
    [`year=2003`, [`Gạo ${tag}`, `Tương ${tag}`]],
    [`level=national`, [`Gạo ${tag}`, `Miến ${tag}`]],
    [`year=2003&level=national`, [`Gạo ${tag}`]],
    [`year=2004&level=national`, [`Miến ${tag}`]],
    [`year=2003&level=region`, []],
  ];
  for (const [f, want] of cases) {
    const res = await get(`/api/products?${f}&group=${g}&per_page=100`);
    assert.equal(res.status, 200, f);
    assert.deepEqual(res.json.items.map((i) => i.name).sort(), want.slice().sort(), f);
    assert.equal(res.json.total, want.length, `${f}: total`);
  }
});
