// Clean award lists (issue 19, point 4): corrections of a product, a
// facility or an award by staff, with their history; a corrected name
// imported again finds the corrected row; the listing shows it at once;
// the undo of an earlier run is refused with the edit as its conflict.
// Facility merges: proposed by the rule, merged, un-merged byte for byte.
import test from 'node:test';
import assert from 'node:assert/strict';
import { http, sql, assertError } from '../lib.mjs';
import { curators, as } from './staff-helpers.mjs';
import { suffix, csv, HEADER } from './import-helpers.mjs';
import { taxCode } from './register-helpers.mjs';

const upload = (s, text) => http('POST', '/api/admin/imports', {
  body: Buffer.from(text, 'utf8'),
  headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'text/csv' },
});
const fresh = { headers: { cookie: 'kc_fresh=1' } };
const search = async (q) => {
  const r = await http('GET', `/api/products?q=${encodeURIComponent(q)}&per_page=100`, fresh);
  assert.equal(r.status, 200);
  return r.json.items;
};
// A CSV with a tax code column: rows [product, facility, district, year, level, dno, date, group, tax].
const csvTax = (rows) => ['Danh sách', `${HEADER},Mã số thuế`,
  ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';

const TABLES = ['facility', 'product', 'award', 'product_group',
  'dup_pair', 'product_alias', 'facility_alias'];
const checksums = () => Object.fromEntries(sql(`CHECKSUM TABLE ${TABLES.join(', ')}`)
  .map(([t, c]) => [t.replace(/^kc\./, ''), c]));

let importer; let auditor; let reviewer;
test.before(async () => { ({ importer, auditor, reviewer } = await curators('cor')); });

async function importOne(text) {
  const r = await upload(importer, text);
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const productOf = (name) => Number(sql(`SELECT id FROM product WHERE BINARY name = '${name}'`)[0][0]);

test('roles and CSRF on the corrections and facility merges', async () => {
  for (const url of ['/api/admin/products/1', '/api/admin/history?entity=product&id=1',
    '/api/admin/facility-duplicates', '/api/admin/facility-merges']) {
    assert.notEqual((await as(auditor, 'GET', url)).status, 403, url);
    assertError(assert, await as(reviewer, 'GET', url), 403, 'forbidden');
    assertError(assert, await http('GET', url), 401, 'unauthorized');
  }
  const writes = [['PATCH', '/api/admin/products/1', { name: 'Tên mới' }],
    ['PATCH', '/api/admin/facilities/1', { name: 'Tên mới' }],
    ['PATCH', '/api/admin/awards/1', { decision_no: '1/QĐ' }],
    ['POST', '/api/admin/facilities/1/merge', { into: 2 }],
    ['POST', '/api/admin/facility-merges/1/undo', {}]];
  for (const [m, url, body] of writes) {
    assertError(assert, await as(auditor, m, url, body), 403, 'forbidden');
    assertError(assert, await as(reviewer, m, url, body), 403, 'forbidden');
    assertError(assert, await as(importer, m, url, body, { csrf: false }), 403, 'forbidden');
    assertError(assert, await http(m, url, { json: body }), 401, 'unauthorized');
  }
  assertError(assert, await as(importer, 'PATCH', '/api/admin/products/999999999', { name: 'Tên mới' }), 404, 'not_found');
  assertError(assert, await as(importer, 'PATCH', '/api/admin/awards/999999999', { year: 2020 }), 404, 'not_found');
  assertError(assert, await as(importer, 'GET', '/api/admin/history?entity=user&id=1'), 422, 'validation_failed');
});

test('a corrected product name: shown at once, found again by the original file, undo of the run refused', async () => {
  const tag = suffix();
  const fac = `Cơ sở Mắm ${tag}`;
  const file = csv([[`Mắm tép ${tag}`, fac, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '11/QĐ', '2/3/2021', ''],
    [`Ruốc ${tag}`, fac, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '', '', '']]);
  const run = await importOne(file);
  const id = productOf(`Mắm tép ${tag}`);
  const other = productOf(`Ruốc ${tag}`);
  const before = sql(`SELECT COUNT(*) FROM product p JOIN facility f ON f.id = p.facility_id WHERE f.name = '${fac}'`)[0][0];

  assertError(assert, await as(importer, 'PATCH', `/api/admin/products/${id}`, { name: '<b>x</b>' }), 422, 'validation_failed');
  // The name of the facility's other product: refused, naming it; nothing changed.
  const clash = await as(importer, 'PATCH', `/api/admin/products/${id}`, { name: `ruốc  ${tag}` });
  assertError(assert, clash, 409, 'conflict');
  assert.match(clash.json.error.message, new RegExp(`Ruốc ${tag}.*#${other}`));
  assert.equal(sql(`SELECT name FROM product WHERE id = ${id}`)[0][0], `Mắm tép ${tag}`);

  const fix = await as(importer, 'PATCH', `/api/admin/products/${id}`, { name: `Mắm tép Hà Tĩnh ${tag}`, group: `Nhóm ${tag}` });
  assert.equal(fix.status, 200, fix.text);
  assert.equal(fix.json.name, `Mắm tép Hà Tĩnh ${tag}`);
  assert.equal(fix.json.group, `Nhóm ${tag}`);
  assert.equal(fix.json.facility.name, fac);
  // The listing and the search show it at once.
  const found = await search(`ha tinh ${tag}`);
  assert.deepEqual(found.map((p) => [p.id, p.name]), [[id, `Mắm tép Hà Tĩnh ${tag}`]]);
  assert.ok(!(await search(tag)).some((p) => p.name === `Mắm tép ${tag}`));
  const one = await http('GET', `/api/products/${id}`, fresh);
  assert.equal(one.json.name, `Mắm tép Hà Tĩnh ${tag}`);

  // The original file again: no new product, the award found under the corrected one.
  const again = await importOne(file);
  assert.equal(again.rows_inserted, 0, JSON.stringify(again));
  assert.equal(sql(`SELECT COUNT(*) FROM product p JOIN facility f ON f.id = p.facility_id WHERE f.name = '${fac}'`)[0][0], before);
  assert.equal((await search(`ha tinh ${tag}`)).length, 1);

  // The undo of the first run: the staff edit is in the way.
  const u = await as(importer, 'POST', `/api/admin/import-runs/${run.import_id}/undo`, {});
  assertError(assert, u, 409, 'conflict');
  assert.ok(u.json.conflicts.some((c) => c.table === 'product' && c.id === id && /^sửa tay: correct/.test(c.by)), u.text);

  // History: before and after, newest first; auditor reads it.
  const h = await as(auditor, 'GET', `/api/admin/history?entity=product&id=${id}`);
  assert.equal(h.status, 200);
  assert.equal(h.json.items[0].action, 'product.correct');
  assert.equal(h.json.items[0].before.name, `Mắm tép ${tag}`);
  assert.equal(h.json.items[0].after.name, `Mắm tép Hà Tĩnh ${tag}`);
  assert.deepEqual(sql(`SELECT product_id FROM product_alias al JOIN product p ON p.id = al.product_id
    WHERE p.id = ${id}`), [[String(id)]]);
});

test('an award corrected: year and level clash refused, the decision cleared, the product\'s year follows', async () => {
  const tag = suffix();
  await importOne(csv([[`Nón ${tag}`, `Cơ sở Nón ${tag}`, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '7/QĐ', '2/3/2021', ''],
    [`Nón ${tag}`, `Cơ sở Nón ${tag}`, 'Huyện Nghi Xuân', 2022, 'Cấp tỉnh', '', '', '']]));
  const pid = productOf(`Nón ${tag}`);
  const [[a21], [a22]] = sql(`SELECT id FROM award WHERE product_id = ${pid} ORDER BY year`);
  const c = await as(importer, 'PATCH', `/api/admin/awards/${a22}`, { year: 2021, level: 'district' });
  assertError(assert, c, 409, 'conflict');
  assert.match(c.json.error.message, new RegExp(`2021 Cấp huyện \\(#${a21}\\)`));
  assertError(assert, await as(importer, 'PATCH', `/api/admin/awards/${a22}`, { level: 'x' }), 422, 'validation_failed');
  assertError(assert, await as(importer, 'PATCH', `/api/admin/awards/${a22}`, { decision_date: '2021-02-30' }), 422, 'validation_failed');
  const ok = await as(importer, 'PATCH', `/api/admin/awards/${a22}`, { year: 2023, decision_no: '9/QĐ-UBND', decision_date: '2023-05-06' });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual([ok.json.year, ok.json.level, ok.json.decision_no, ok.json.decision_date], [2023, 'province', '9/QĐ-UBND', '2023-05-06']);
  assert.equal(sql(`SELECT last_year FROM product WHERE id = ${pid}`)[0][0], '2023');
  const [item] = (await search(`non ${tag}`));
  assert.deepEqual(item.awards.map((a) => a.year), [2023, 2021]);
  const cl = await as(importer, 'PATCH', `/api/admin/awards/${a21}`, { decision_no: '', decision_date: '' });
  assert.equal(cl.status, 200);
  assert.deepEqual([cl.json.decision_no, cl.json.decision_date], [null, null]);
  const h = await as(importer, 'GET', `/api/admin/history?entity=product&id=${pid}`);
  assert.deepEqual(h.json.items.map((i) => i.action), ['award.correct', 'award.correct']);
  assert.equal(h.json.items[1].before.year, 2022);
});

test('a corrected facility: its old identity kept, the tax code of another refused', async () => {
  const tag = suffix();
  const file = csv([[`Chiếu ${tag}`, `HTX Cói ${tag}`, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '', '', '']]);
  await importOne(file);
  const taken = taxCode();
  await importOne(csvTax([[`Gạo ${tag}`, `HTX Gạo ${tag}`, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '', '', '', taken]]));
  const fid = Number(sql(`SELECT id FROM facility WHERE name = 'HTX Cói ${tag}'`)[0][0]);
  const other = Number(sql(`SELECT id FROM facility WHERE name = 'HTX Gạo ${tag}'`)[0][0]);
  const c = await as(importer, 'PATCH', `/api/admin/facilities/${fid}`, { tax_code: taken });
  assertError(assert, c, 409, 'conflict');
  assert.match(c.json.error.message, new RegExp(`HTX Gạo ${tag}.*#${other}.*mã số thuế`));
  assertError(assert, await as(importer, 'PATCH', `/api/admin/facilities/${fid}`, { unit_code: 'nope' }), 422, 'validation_failed');
  assertError(assert, await as(importer, 'PATCH', `/api/admin/facilities/${fid}`, { tax_code: '123' }), 422, 'validation_failed');
  const ok = await as(importer, 'PATCH', `/api/admin/facilities/${fid}`, { name: `Hợp tác xã Cói Nga Sơn ${tag}`, address: 'Xã Xuân Hội' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.address, 'Xã Xuân Hội');
  // Shown at once, found by the new name.
  const [p] = await search(`nga son ${tag}`);
  assert.equal(p.facility.name, `Hợp tác xã Cói Nga Sơn ${tag}`);
  assert.equal(p.facility.address, 'Xã Xuân Hội');
  // The original file again: the same facility (its old ident an alias), no new one.
  const again = await importOne(file);
  assert.equal(again.rows_inserted, 0);
  assert.equal(sql(`SELECT COUNT(*) FROM facility WHERE name LIKE '%Cói%${tag}'`)[0][0], '1');
  const h = await as(importer, 'GET', `/api/admin/history?entity=facility&id=${fid}`);
  assert.equal(h.json.items[0].before.name, `HTX Cói ${tag}`);
});

// Two rows of one business: imported once without a tax code, once with one.
async function twoFacilities(tag) {
  const tax = taxCode();
  const fileM = csv([[`Mắm tôm ${tag}`, `Co so Che bien ${tag}`, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '1/QĐ', '', ''],
    [`Nước mắm ${tag}`, `Co so Che bien ${tag}`, 'Huyện Nghi Xuân', 2022, 'Cấp huyện', '', '', '']]);
  await importOne(fileM);
  await importOne(csvTax([[`Mắm tôm ${tag}`, `Cơ sở Chế biến ${tag}`, 'Huyện Nghi Xuân', 2023, 'Cấp tỉnh', '', '', '', tax],
    [`Nuoc mam ${tag}`, `Cơ sở Chế biến ${tag}`, 'Huyện Nghi Xuân', 2020, 'Cấp huyện', '', '', '', tax],
    [`Kẹo cu đơ ${tag}`, `Cơ sở Chế biến ${tag}`, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '', '', '', tax]]));
  const m = Number(sql(`SELECT id FROM facility WHERE BINARY name = 'Co so Che bien ${tag}'`)[0][0]);
  const k = Number(sql(`SELECT id FROM facility WHERE BINARY name = 'Cơ sở Chế biến ${tag}'`)[0][0]);
  return { m, k, fileM };
}
async function listing(tag) {
  const pages = [];
  for (let page = 1; page < 10; page++) {
    const r = await http('GET', `/api/products?q=${tag}&per_page=2&page=${page}`, fresh);
    pages.push(r.text);
    if (r.json.items.length < 2) break;
  }
  const c = await http('GET', `/api/products.csv?q=${tag}`, fresh);
  return { pages, csv: c.text };
}

test('facility merge: proposed by the rule, products merged, un-merge restores the listing byte for byte', async () => {
  const tag = suffix();
  const { m, k } = await twoFacilities(tag);
  const prop = await as(auditor, 'GET', '/api/admin/facility-duplicates');
  assert.equal(prop.status, 200);
  const pair = prop.json.items.find((p) => [p.a.id, p.b.id].sort().join() === [m, k].sort().join());
  assert.ok(pair, 'the pair is proposed');
  assert.equal(pair.rule, 'name');
  const before = await listing(tag);
  assert.equal(JSON.parse(before.pages[0]).total, 5);
  const sums = checksums();

  assertError(assert, await as(importer, 'POST', `/api/admin/facilities/${m}/merge`, { into: m }), 409, 'conflict');
  assertError(assert, await as(importer, 'POST', `/api/admin/facilities/${m}/merge`, {}), 422, 'validation_failed');
  const r = await as(importer, 'POST', `/api/admin/facilities/${m}/merge`, { into: k });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.merged.merged_into, k);
  assert.equal(r.json.product_merges.length, 1, 'the product of the same name merged');
  assert.deepEqual(r.json.kept.products.map((p) => p.name).sort(),
    [`Kẹo cu đơ ${tag}`, `Mắm tôm ${tag}`, `Nuoc mam ${tag}`, `Nước mắm ${tag}`].sort());
  const after = (await search(tag));
  assert.equal(after.length, 4);
  const mam = after.find((p) => p.name === `Mắm tôm ${tag}`);
  assert.deepEqual(mam.awards.map((a) => a.year), [2023, 2021]);
  // The products now side by side whose names differ by marks: a pair in the queue.
  const q = await as(importer, 'GET', '/api/admin/duplicates');
  assert.ok(q.json.items.some((p) => p.older.name === `Nước mắm ${tag}` && p.newer.name === `Nuoc mam ${tag}`));
  assertError(assert, await as(importer, 'POST', `/api/admin/facilities/${m}/merge`, { into: k }), 409, 'conflict');
  const list = await as(auditor, 'GET', `/api/admin/facility-merges?facility=${k}`);
  assert.deepEqual([list.json.items[0].id, list.json.items[0].products_moved, list.json.items[0].products_merged],
    [r.json.merge_id, 1, 1]);

  const u = await as(importer, 'POST', `/api/admin/facility-merges/${r.json.merge_id}/undo`, {});
  assert.equal(u.status, 200, u.text);
  const back = await listing(tag);
  assert.deepEqual(back.pages, before.pages);
  assert.equal(back.csv, before.csv);
  assert.deepEqual(checksums(), sums, 'every table as before the merge');
  assertError(assert, await as(importer, 'POST', `/api/admin/facility-merges/${r.json.merge_id}/undo`, {}), 409, 'conflict');
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE entity = 'facility' AND entity_id = '${m}' ORDER BY id`),
    [['facility.merge'], ['facility.unmerge']]);
});

test('facility merge: the merged one\'s file imported again goes to the kept one; a later product merge blocks un-merge', async () => {
  const tag = suffix();
  const { m, k, fileM } = await twoFacilities(tag);
  const r = await as(importer, 'POST', `/api/admin/facilities/${m}/merge`, { into: k });
  assert.equal(r.status, 201, r.text);
  const again = await importOne(fileM);
  assert.equal(again.rows_inserted, 0, JSON.stringify(again));
  assert.equal(sql(`SELECT COUNT(*) FROM facility WHERE name_fold = 'co so che bien ${tag}'`)[0][0], '2');
  assert.equal((await search(tag)).length, 4);
  // The products now of one facility merge as any two.
  const pm = await as(importer, 'POST', `/api/admin/products/${productOf(`Nuoc mam ${tag}`)}/merge`, { into: productOf(`Nước mắm ${tag}`) });
  assert.equal(pm.status, 201, pm.text);
  const u = await as(importer, 'POST', `/api/admin/facility-merges/${r.json.merge_id}/undo`, {});
  assertError(assert, u, 409, 'conflict');
  assert.ok(u.json.conflicts.some((c) => c.table === 'merge' && c.id === pm.json.merge_id), u.text);
  assert.equal((await as(importer, 'POST', `/api/admin/merges/${pm.json.merge_id}/undo`, {})).status, 200);
  assert.equal((await as(importer, 'POST', `/api/admin/facility-merges/${r.json.merge_id}/undo`, {})).status, 200);
  // Two tax codes are two businesses.
  const tag2 = suffix();
  await importOne(csvTax([[`Gạo ${tag2}`, `HTX ${tag2}`, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '', '', '', taxCode()]]));
  await importOne(csvTax([[`Gạo ${tag2}`, `HTX ${tag2} B`, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '', '', '', taxCode()]]));
  const [[f1], [f2]] = sql(`SELECT id FROM facility WHERE name LIKE 'HTX ${tag2}%' ORDER BY id`);
  const t = await as(importer, 'POST', `/api/admin/facilities/${f1}/merge`, { into: Number(f2) });
  assertError(assert, t, 409, 'conflict');
  assert.match(t.json.error.message, /mã số thuế khác nhau/);
});
