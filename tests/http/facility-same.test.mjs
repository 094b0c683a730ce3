// GET /api/facilities[.csv]?q= from the list each kc-products worker keeps in
// memory (issue 21) answers exactly as the SQL statements (the oracle worker,
// KC_PRODUCTS_SQL=1): the same status, type and bytes over a corpus of queries
// (words whole and begun, with and without marks, upper case, punctuation,
// digits, districts, pages, CSV), and moves with every change the list shows
// (catalogue_version rows 1 and 2: migrations 061, 068).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { BASE, sql } from '../lib.mjs';
import { startOracle } from './catalogue-helpers.mjs';

const tag = crypto.randomBytes(3).toString('hex');
let oracle;
const NAMES = ['Cơ sở Gốm Bát Tràng', 'HTX Mây tre đan Phú Vinh', 'Hộ kinh doanh Nón lá Chuông', 'Cơ sở Kẹo cu-đơ Thiên Cầm',
  'Công ty TNHH Nước mắm 584', 'Làng nghề gốm Sứ', 'Cơ sở gốm-sứ “Minh Long”', 'HTX Chè xanh Tân Cương', 'Bánh đa vừng Kẻ Gù',
  'Cơ sở Mật ong rừng U Minh', 'Hộ Ngô Thị Gốm', 'Cơ sở Sơn mài Hạ Thái'];
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

before(async () => {
  const units = sql("SELECT id FROM admin_unit WHERE level = 'commune' ORDER BY id LIMIT 6").map((r) => r[0]);
  const rows = [];
  for (let i = 0; i < 120; i++) {
    const name = `${NAMES[i % NAMES.length]} ${tag} ${i % 7}`;
    // A few name_fold values in upper case: the column compares case-insensitively.
    const nf = i % 11 === 0 ? fold(name).toUpperCase() : fold(name);
    rows.push(`('fs-${tag}-${i}', '${name}', '${nf}', ${['NULL', "'household'", "'cooperative'"][i % 3]}, ${units[i % units.length]})`);
  }
  sql(`INSERT INTO facility (ident, name, name_fold, kind, unit_id) VALUES ${rows.join(', ')};
    INSERT INTO product (facility_id, name, name_fold, name_key, search_fold, last_year)
      SELECT id, CONCAT('SP ', id), CONCAT('sp ', id), CONCAT('sp fs ', id), CONCAT('sp ', id), 2024 FROM facility
      WHERE ident LIKE 'fs-${tag}-%' AND CAST(SUBSTRING_INDEX(ident, '-', -1) AS UNSIGNED) % 5 <> 4;
    INSERT INTO award (product_id, year, level) SELECT p.id, 2024, 'district' FROM product p
      JOIN facility f ON f.id = p.facility_id WHERE f.ident LIKE 'fs-${tag}-%'`);
  oracle = await startOracle();
});
after(() => oracle && oracle.stop());

async function same(url) {
  const o = oracle.ask(url);
  const r = await fetch(`${BASE}${url}`, { headers: { cookie: 'fresh=1' } });
  const body = Buffer.from(await r.arrayBuffer()).toString('utf8');
  assert.equal(r.status, o.status, url);
  assert.equal(r.headers.get('content-type'), o.type, url);
  assert.equal(body, o.body, url);
  return body;
}

function corpus() {
  const district = sql(`SELECT u.code, u.parent_code FROM facility f JOIN admin_unit u ON u.id = f.unit_id
    WHERE f.ident = 'fs-${tag}-1'`)[0];
  const qs = ['gom', 'Gốm', 'GỐM SỨ', 'g', 'go', 'gom s', 'gom-su', '“minh long”', 'minh', 'mi', 'co so gom', 'so co',
    'keo cu do', 'cu-đơ', 'keo c', 'nuoc mam 584', '584', '58', '5', 'htx', 'HTX', 'ht', 'mat ong u', 'u minh', 'u',
    tag, `${tag} 3`, `gom ${tag} 3`, `${tag.slice(0, 2)}`, 'zzqq', 'gom zzqq', 'om', 'ang', 'đ', 'd', 'ke gu', 'kẻ', 'ngo thi',
    '!!!', ' ', 'a'.repeat(70), `son mai ha thai ${tag}`];
  const urls = [];
  for (const q of qs) urls.push(`/api/facilities?q=${encodeURIComponent(q)}`);
  for (const q of ['gom', tag, 'htx', '']) {
    for (const d of [...district, '1', '99999']) urls.push(`/api/facilities?q=${encodeURIComponent(q)}&district=${d}`);
    urls.push(`/api/facilities.csv?q=${encodeURIComponent(q)}`);
    for (const p of ['page=2&per_page=5', 'page=1&per_page=1', 'page=9999', 'per_page=100']) urls.push(`/api/facilities?q=${encodeURIComponent(q)}&${p}`);
  }
  urls.push('/api/facilities', '/api/facilities.csv', '/api/facilities?district=abc', `/api/facilities?q=${'x'.repeat(101)}`);
  return urls;
}

test('the list from memory answers as the SQL statements, byte for byte', async () => {
  const urls = corpus();
  assert.ok(urls.length > 60);
  let matches = 0;
  for (const u of urls) if ((await same(u)).includes(tag)) matches++;
  assert.ok(matches > 20, `the corpus finds the planted facilities (${matches})`);
});

test('the list follows every change it shows', async () => {
  const id = (i) => Number(sql(`SELECT id FROM facility WHERE ident = 'fs-${tag}-${i}'`)[0][0]);
  const q = `/api/facilities?q=${tag}&per_page=100`;
  const ids = async () => JSON.parse(await same(q)).items.map((x) => x.id);
  assert.ok((await ids()).includes(id(1)));
  assert.ok(!(await ids()).includes(id(4)), 'no award, no payment: not public');
  // A payment of a published plan makes it public; the plan back to draft hides it.
  const year = Number(sql('SELECT COALESCE(MAX(year), 2100) + 1 FROM plan WHERE year < 2999')[0][0]);
  sql(`INSERT INTO plan (year, title, total_vnd, status) VALUES (${year}, 'KH ${tag}', 1000000, 'published');
    INSERT INTO plan_content (year, code, title) VALUES (${year}, '1', 'X');
    INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (${year}, '1', 'HĐ ${tag}', 'TT ${tag}', 1000000);
    INSERT INTO disbursement (activity_id, amount_vnd, paid_on, facility_id)
      SELECT id, 250000, '${year}-03-01', ${id(4)} FROM activity WHERE title = 'HĐ ${tag}'`);
  assert.ok((await ids()).includes(id(4)), 'a payment');
  assert.equal(JSON.parse(await same(q)).items.find((x) => x.id === id(4)).support_vnd, 250000);
  sql(`UPDATE plan SET status = 'draft' WHERE year = ${year}`);
  assert.ok(!(await ids()).includes(id(4)), 'a plan no longer published');
  // A merge, a new name, a kind, a place: each shows at once.
  sql(`UPDATE facility SET merged_into = ${id(2)} WHERE id = ${id(1)}`);
  assert.ok(!(await ids()).includes(id(1)), 'merged');
  sql(`UPDATE facility SET name_fold = 'doi ten ${tag}', name = 'Đổi tên ${tag}' WHERE id = ${id(3)}`);
  assert.deepEqual(JSON.parse(await same(`/api/facilities?q=${encodeURIComponent(`doi ten ${tag}`)}`)).items.map((x) => x.id), [id(3)]);
  sql(`UPDATE facility SET kind = 'enterprise', sample = 1 WHERE id = ${id(5)}`);
  const f5 = JSON.parse(await same(q)).items.find((x) => x.id === id(5));
  assert.deepEqual([f5.kind, f5.sample], ['enterprise', true]);
  sql(`DELETE FROM award WHERE product_id IN (SELECT id FROM product WHERE facility_id = ${id(6)})`);
  assert.ok(!(await ids()).includes(id(6)), 'its awards removed');
});
