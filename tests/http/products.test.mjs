// GET /api/products (search without diacritics, filters, paging, CSV),
// GET /api/products/{id}, GET /api/products/groups. The data is made
// here, through kc-import, with names unique to this run.
import test from 'node:test';
import assert from 'node:assert/strict';
import { get, getCsv, sql, assertError } from '../lib.mjs';
import { kcImport, tmpFile, csv, suffix } from './import-helpers.mjs';

const tag = suffix();
const group = `Nhóm ${tag}`;
test.before(() => {
  const r = kcImport(['--json', tmpFile(`products-${tag}.csv`, csv([
    [`Kẹo cu đơ ${tag}`, `Cơ sở kẹo Thiên Cầm ${tag}`, 'Huyện Cẩm Xuyên', 2019, 'Cấp tỉnh', '3201/QĐ-UBND', '20/11/2019', group],
    [`Kẹo cu đơ ${tag}`, `Cơ sở kẹo Thiên Cầm ${tag}`, 'Huyện Cẩm Xuyên', 2021, 'Cấp khu vực', '102/QĐ-BCT', '8/12/2021', group],
    [`Nước mắm ${tag}`, `Cơ sở Đông Hải ${tag}`, 'TX Kỳ Anh', 2020, 'Cấp tỉnh', '', '', ''],
    [`<script>alert(1)</script> ${tag}`, `Cơ sở "A&B" ${tag}`, 'Huyện Hương Sơn', 2018, 'Cấp huyện', '', '', group],
    [`Đậu phụ ${tag}`, `HTX Đức ${tag}`, 'Huyện Đức Thọ', 2022, 'Cấp tỉnh', '', '', ''],
  ]))]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.reports[0].rows_rejected, 0, JSON.stringify(r.reports[0].errors));
});

test('q=keo cu do finds Kẹo cu đơ, with its facility, district and awards (most recent first)', async () => {
  const r = await get(`/api/products?q=${encodeURIComponent(`keo cu do ${tag}`)}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.total, 1);
  const p = r.json.items[0];
  assert.equal(p.name, `Kẹo cu đơ ${tag}`);
  assert.equal(p.facility.name, `Cơ sở kẹo Thiên Cầm ${tag}`);
  assert.deepEqual(p.district, { code: '446', name: 'Huyện Cẩm Xuyên' });
  assert.equal(p.group, group);
  assert.deepEqual(p.awards.map((a) => [a.year, a.level, a.decision_no, a.decision_date]),
    [[2021, 'region', '102/QĐ-BCT', '2021-12-08'], [2019, 'province', '3201/QĐ-UBND', '2019-11-20']]);
  for (const q of [`KẸO CU ĐƠ ${tag}`, `kẹo cu đơ ${tag}`, `keo ${tag}`, `thien cam ${tag}`, `${tag} keo cu d`]) {
    const x = await get(`/api/products?q=${encodeURIComponent(q)}`);
    assert.deepEqual(x.json.items.map((i) => i.name), [`Kẹo cu đơ ${tag}`], `q=${q}`);
  }
  const d = await get(`/api/products?q=${encodeURIComponent(`dau phu ${tag}`)}`);
  assert.deepEqual(d.json.items.map((i) => i.name), [`Đậu phụ ${tag}`], 'đ matches d');
  const none = await get(`/api/products?q=${encodeURIComponent(`keo mam ${tag}`)}`);
  assert.equal(none.json.total, 0);
  assert.deepEqual(none.json.items, []);
});

// Words (migration 024's rule, text_word in C): a product added, changed or removed by hand-written SQL is found
// by its own words only; punctuation separates words alike in the query
// and the table; a word longer than the 64 characters kept is found whole
// and by its beginning.
test('search words: punctuation, very long words, changes made by SQL', async () => {
  const tag = suffix();   // its own: the other tests count the products of theirs
  const long = `${tag}${'x'.repeat(70)}`;
  // past the micro-cache (a Cookie): the same search is asked before and after a change
  const names = async (q) => (await get(`/api/products?q=${encodeURIComponent(q)}`,
    { headers: { cookie: 'fresh=1' } })).json.items.map((i) => i.name);
  const r = kcImport(['--json', tmpFile(`words-${tag}.csv`, csv([
    [`Bánh đa-vừng(${tag})`, `Cơ sở chữ ${tag}`, 'Huyện Can Lộc', 2020, 'Cấp tỉnh', '', '', ''],
    [`Rượu ${long}`, `Cơ sở chữ ${tag}`, 'Huyện Can Lộc', 2020, 'Cấp tỉnh', '', '', ''],
    [`Trà 茶 "Tuyết"\\shan_cổ ${tag}`, `HTX O'Brien & Co. ${tag}`, 'Huyện Can Lộc', 2020, 'Cấp tỉnh', '', '', ''],
    [`Nước mắm “Đông Hải”–nhĩ ${tag}`, `Cơ sở «Lê» ${tag}`, 'Huyện Can Lộc', 2020, 'Cấp tỉnh', '', '', ''],
  ]))]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(await names(`tra 茶 tuyet shan co ${tag}`), [`Trà 茶 "Tuyết"\\shan_cổ ${tag}`]);
  assert.deepEqual(await names(`o brien co ${tag}`), [`Trà 茶 "Tuyết"\\shan_cổ ${tag}`]);
  // Typographic quotes and dashes (Excel's) separate words, in names and in q.
  assert.deepEqual(await names(`dong hai nhi ${tag}`), [`Nước mắm “Đông Hải”–nhĩ ${tag}`]);
  assert.deepEqual(await names(`“dong hai” le ${tag}`), [`Nước mắm “Đông Hải”–nhĩ ${tag}`]);
  for (const q of [`banh da vung ${tag}`, `vung(${tag}`, `${tag}) banh-da`, `bánh đa vừng ${tag.slice(0, 4)}`]) {
    assert.deepEqual(await names(q), [`Bánh đa-vừng(${tag})`], `q=${q}`);
  }
  for (const q of [`ruou ${long}`, `${long} ruou`, long.slice(0, 66), `chu ${long.slice(0, 20)}`]) {
    assert.deepEqual(await names(q), [`Rượu ${long}`], `q=${q}`);
  }
  assert.deepEqual(await names(`banh ${tag} da vung x`), [], 'every word must occur');
  const id = sql(`SELECT id FROM product WHERE name = 'Bánh đa-vừng(${tag})'`)[0][0];
  // Inserted by hand (not kc-import): found by its own words.
  sql(`INSERT INTO product (facility_id, name, name_fold, name_key, search_fold, last_year)
    SELECT facility_id, 'Kẹo lạc ${tag}', 'keo lac ${tag}', 'kẹo lạc ${tag}', 'keo lac ${tag} (tay)', 2020
    FROM product WHERE id = ${id}`);
  assert.deepEqual(await names(`tay keo lac ${tag}`), [`Kẹo lạc ${tag}`]);
  sql(`UPDATE product SET name = 'Mật ong ${tag}', search_fold = 'mat ong ${tag} co so chu ${tag}' WHERE id = ${id}`);
  assert.deepEqual(await names(`mat ong ${tag}`), [`Mật ong ${tag}`]);
  assert.deepEqual(await names(`banh da vung ${tag}`), []);
  sql(`DELETE FROM award WHERE product_id = ${id}; DELETE FROM product WHERE id = ${id}`);
  assert.deepEqual(await names(`mat ong ${tag}`), []);
});

test('filters: year, level, district, group; ordering by the most recent award', async () => {
  const all = await get(`/api/products?q=${tag}`);
  assert.equal(all.json.total, 4, 'four products (Kẹo cu đơ has two awards)');
  assert.deepEqual(all.json.items.map((i) => i.awards[0].year), [2022, 2021, 2020, 2018]);
  const byYear = await get(`/api/products?q=${tag}&year=2019`);
  assert.deepEqual(byYear.json.items.map((i) => i.name), [`Kẹo cu đơ ${tag}`]);
  const byLevel = await get(`/api/products?q=${tag}&level=district`);
  assert.deepEqual(byLevel.json.items.map((i) => i.name), [`<script>alert(1)</script> ${tag}`]);
  const byYearLevel = await get(`/api/products?q=${tag}&year=2019&level=region`);
  assert.equal(byYearLevel.json.total, 0, 'year and level on the same award');
  const byDistrict = await get(`/api/products?q=${tag}&district=449`);
  assert.deepEqual(byDistrict.json.items.map((i) => i.name), [`Nước mắm ${tag}`]);
  const byGroup = await get(`/api/products?q=${tag}&group=${encodeURIComponent(group.toLowerCase())}`);
  assert.equal(byGroup.json.total, 2);
  const groups = await get('/api/products/groups', { headers: { cookie: 'fresh=1' } });   // past the micro-cache
  const g = groups.json.items.find((x) => x.name === group);
  assert.equal(g.products, 2);
  const byGroupId = await get(`/api/products?q=${tag}&group=${g.id}`);
  assert.equal(byGroupId.json.total, 2);
  assertError(assert, await get('/api/products?level=thon'), 422, 'validation_failed');
  assertError(assert, await get('/api/products?year=1990'), 422, 'validation_failed');
  assertError(assert, await get('/api/products?district=abc'), 422, 'validation_failed');
});

test('paging: per_page, page, capped at 100, out of range is empty', async () => {
  const p1 = await get(`/api/products?q=${tag}&per_page=2&page=1`);
  const p2 = await get(`/api/products?q=${tag}&per_page=2&page=2`);
  const p3 = await get(`/api/products?q=${tag}&per_page=2&page=3`);
  assert.equal(p1.json.total, 4);
  assert.deepEqual([p1.json.page, p1.json.per_page], [1, 2]);
  const names = [...p1.json.items, ...p2.json.items, ...p3.json.items].map((i) => i.id);
  assert.equal(new Set(names).size, 4);
  assert.deepEqual(p3.json.items, []);
  const far = await get(`/api/products?q=${tag}&page=50`);
  assert.equal(far.status, 200);
  assert.deepEqual(far.json.items, []);
  const big = await get('/api/products?per_page=1000');
  assert.equal(big.json.per_page, 100);
  assertError(assert, await get('/api/products?page=0'), 422, 'validation_failed');
});

test('one product; unknown and malformed ids are 404', async () => {
  const [[id]] = sql(`SELECT id FROM product WHERE name = 'Nước mắm ${tag}'`);
  const r = await get(`/api/products/${id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.name, `Nước mắm ${tag}`);
  assert.deepEqual(r.json.district, { code: '449', name: 'Thị xã Kỳ Anh' });
  assert.match(r.headers.get('cache-control') || '', /max-age=\d+/);
  assertError(assert, await get('/api/products/999999999'), 404, 'not_found');
  assertError(assert, await get('/api/products/12abc'), 404, 'not_found');
});

test('a name containing <script> comes back intact, as text', async () => {
  const r = await get(`/api/products?q=${encodeURIComponent(`script alert ${tag}`)}`);
  assert.equal(r.json.total, 1);
  assert.equal(r.json.items[0].name, `<script>alert(1)</script> ${tag}`);
  assert.equal(r.json.items[0].facility.name, `Cơ sở "A&B" ${tag}`);
  assert.match(r.headers.get('content-type'), /application\/json/);
});

test('CSV: same filters, BOM, header row, quoted fields', async () => {
  const lines = (await getCsv(assert, `/api/products.csv?q=${tag}&level=province`)).trim().split('\r\n');
  assert.equal(lines[0], 'id,ten_san_pham,nhom,co_so,dia_chi,ma_don_vi,don_vi,nam,cap,so_quyet_dinh,ngay_quyet_dinh,du_lieu_mau');
  assert.equal(lines.length, 1 + 3);
  assert.ok(lines.some((l) => l.includes(`Kẹo cu đơ ${tag}`)));
  const s = await get(`/api/products.csv?q=${encodeURIComponent(`script ${tag}`)}`);
  assert.ok(s.text.includes(`"Cơ sở ""A&B"" ${tag}"`));
});
