// Clean award lists (issue 19, point 4): the possible-duplicate queue,
// merge and un-merge (the public listing byte for byte), dismiss, the
// undo of an import run (every table it wrote back to its checksum),
// refused on conflict; roles and CSRF on every new endpoint.
import test from 'node:test';
import assert from 'node:assert/strict';
import { http, sql, assertError } from '../lib.mjs';
import { curators, as } from './staff-helpers.mjs';
import { suffix, csv } from './import-helpers.mjs';

const TABLES = ['facility', 'product', 'award', 'product_group',
  'dup_pair', 'product_alias'];
// Every table the import and the curation write, CHECKSUM TABLE each.
const checksums = () => Object.fromEntries(sql(`CHECKSUM TABLE ${TABLES.join(', ')}`)
  .map(([t, c]) => [t.replace(/^kc\./, ''), c]));

const upload = (s, body, query = '') => http('POST', `/api/admin/imports${query}`, {
  body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'text/csv' },
});
// The public listing of a search: every page of JSON and the CSV, as text
// (a cookie bypasses nginx's micro-cache: the programs' answers, fresh).
const fresh = { headers: { cookie: 'kc_fresh=1' } };
async function listing(q) {
  const pages = [];
  for (let page = 1; ; page++) {
    const r = await http('GET', `/api/products?q=${encodeURIComponent(q)}&per_page=2&page=${page}`, fresh);
    assert.equal(r.status, 200);
    pages.push(r.text);
    if (r.json.items.length < 2) break;
  }
  const all = await http('GET', '/api/products?per_page=100', fresh);
  const c = await http('GET', `/api/products.csv?q=${encodeURIComponent(q)}`, fresh);
  const y = await http('GET', `/api/products?q=${encodeURIComponent(q)}&year=2021`, fresh);
  return { pages, all: all.text, csv: c.text, year: y.text, items: pages.flatMap((p) => JSON.parse(p).items) };
}

let importer; let auditor; let reviewer;
test.before(async () => { ({ importer, auditor, reviewer } = await curators('cur')); });

// Two spellings of one product of one facility: the second a possible duplicate.
async function duplicatePair(tag) {
  const fac = `HTX Chế biến ${tag}`;
  const one = await upload(importer, csv([
    [`Mắm tôm ${tag}`, fac, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '11/QĐ', '2/3/2021', 'Thực phẩm'],
    [`Mắm tôm ${tag}`, fac, 'Huyện Nghi Xuân', 2022, 'Cấp tỉnh', '', '', ''],
  ]));
  assert.equal(one.status, 201, one.text);
  const two = await upload(importer, csv([
    [`Mắm tom ${tag}`, fac, 'Huyện Nghi Xuân', 2023, 'Cấp tỉnh', '9/QĐ', '', ''],
    [`Mắm tom ${tag}`, fac, 'Huyện Nghi Xuân', 2022, 'Cấp tỉnh', '', '', ''],
  ]));
  assert.equal(two.status, 201, two.text);
  assert.deepEqual(two.json.warnings.map((w) => w.code), ['possible_duplicate', 'possible_duplicate']);
  const q = await as(importer, 'GET', '/api/admin/duplicates');
  assert.equal(q.status, 200);
  const pair = q.json.items.find((p) => p.older.name === `Mắm tôm ${tag}`);
  assert.ok(pair, 'the pair is in the queue');
  assert.equal(pair.newer.name, `Mắm tom ${tag}`);
  assert.equal(pair.older.facility, fac);
  assert.deepEqual(pair.older.awards.map((a) => a.year), [2021, 2022]);
  assert.deepEqual(pair.newer.awards.map((a) => a.year), [2022, 2023]);
  assert.equal(pair.import_id, two.json.import_id);
  return { pair, one: one.json, two: two.json, fac };
}

test('roles and CSRF: auditor reads, cannot write; other roles and no session refused', async () => {
  for (const url of ['/api/admin/duplicates', '/api/admin/merges']) {
    assert.equal((await as(auditor, 'GET', url)).status, 200);
    assertError(assert, await as(reviewer, 'GET', url), 403, 'forbidden');
    assertError(assert, await http('GET', url), 401, 'unauthorized');
  }
  const writes = [['/api/admin/duplicates/1/dismiss', { reason: 'không trùng' }],
    ['/api/admin/products/1/merge', { into: 2 }], ['/api/admin/merges/1/undo', {}],
    ['/api/admin/import-runs/1/undo', {}]];
  for (const [url, body] of writes) {
    assertError(assert, await as(auditor, 'POST', url, body), 403, 'forbidden');
    assertError(assert, await as(reviewer, 'POST', url, body), 403, 'forbidden');
    assertError(assert, await as(importer, 'POST', url, body, { csrf: false }), 403, 'forbidden');
    assertError(assert, await http('POST', url, { json: body }), 401, 'unauthorized');
  }
  assertError(assert, await as(importer, 'GET', '/api/admin/duplicates?status=nope'), 422, 'validation_failed');
});

test('merge moves the awards under the kept product; un-merge restores the listing byte for byte', async () => {
  const tag = suffix();
  const { pair } = await duplicatePair(tag);
  const before = await listing(tag);
  assert.equal(before.items.length, 2);
  const sums = checksums();

  assertError(assert, await as(importer, 'POST', `/api/admin/products/${pair.newer.id}/merge`, {}), 422, 'validation_failed');
  assertError(assert, await as(importer, 'POST', `/api/admin/products/${pair.newer.id}/merge`, { into: pair.newer.id }), 409, 'conflict');
  const m = await as(importer, 'POST', `/api/admin/products/${pair.newer.id}/merge`, { into: pair.older.id, pair_id: pair.id });
  assert.equal(m.status, 201, m.text);
  assert.equal(m.json.merged.merged_into, pair.older.id);
  // 2022 provincial is on both: the kept one's stays, the other is removed (kept in the merge).
  assert.deepEqual(m.json.kept.awards.map((a) => `${a.year}/${a.level}`), ['2021/district', '2022/province', '2023/province']);
  assert.deepEqual(m.json.merged.awards, []);
  const after = await listing(tag);
  assert.deepEqual(after.items.map((i) => i.id), [pair.older.id]);
  assert.deepEqual(after.items[0].awards.map((a) => a.year), [2023, 2022, 2021]);
  assert.ok(!after.csv.includes(`Mắm tom ${tag}`));
  const one = await http('GET', `/api/products/${pair.newer.id}`, fresh);
  assert.equal(one.status, 200);
  assert.equal(one.json.id, pair.older.id, 'a merged product answers with the kept one');
  const queue = await as(importer, 'GET', '/api/admin/duplicates?status=merged');
  assert.ok(queue.json.items.some((p) => p.id === pair.id));
  const audit = sql(`SELECT action FROM audit_log WHERE entity = 'product' AND entity_id = '${pair.newer.id}'`);
  assert.deepEqual(audit, [['product.merge']]);
  // Merged already: refused.
  assertError(assert, await as(importer, 'POST', `/api/admin/products/${pair.newer.id}/merge`, { into: pair.older.id }), 409, 'conflict');

  const u = await as(importer, 'POST', `/api/admin/merges/${m.json.merge_id}/undo`, {});
  assert.equal(u.status, 200, u.text);
  const back = await listing(tag);
  assert.deepEqual(back.pages, before.pages);
  assert.equal(back.csv, before.csv);
  assert.equal(back.all, before.all);
  assert.equal(back.year, before.year);
  assert.deepEqual(checksums(), sums, 'every table as before the merge');
  assertError(assert, await as(importer, 'POST', `/api/admin/merges/${m.json.merge_id}/undo`, {}), 409, 'conflict');
});

test('dismiss: a reason is needed; the pair stays dismissed when the same rows come again', async () => {
  const tag = suffix();
  const { pair, two } = await duplicatePair(tag);
  assertError(assert, await as(importer, 'POST', `/api/admin/duplicates/${pair.id}/dismiss`, {}), 422, 'validation_failed');
  const d = await as(importer, 'POST', `/api/admin/duplicates/${pair.id}/dismiss`, { reason: 'Hai sản phẩm khác nhau' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.status, 'dismissed');
  assertError(assert, await as(importer, 'POST', `/api/admin/duplicates/${pair.id}/dismiss`, { reason: 'lần nữa' }), 409, 'conflict');
  let open = await as(importer, 'GET', '/api/admin/duplicates');
  assert.ok(!open.json.items.some((p) => p.id === pair.id));
  // The run undone, the same rows imported again: new product ids, the same pair, still dismissed.
  const u = await as(importer, 'POST', `/api/admin/import-runs/${two.import_id}/undo`, {});
  assert.equal(u.status, 200, u.text);
  const again = await upload(importer, csv([
    [`Mắm tom ${tag}`, `HTX Chế biến ${tag}`, 'Huyện Nghi Xuân', 2023, 'Cấp tỉnh', '9/QĐ', '', ''],
  ]));
  assert.equal(again.json.warnings[0].code, 'possible_duplicate');
  open = await as(importer, 'GET', '/api/admin/duplicates');
  assert.ok(!open.json.items.some((p) => p.older.name === `Mắm tôm ${tag}`));
  const [[status, reason]] = sql(`SELECT status, reason FROM dup_pair WHERE id = ${pair.id}`);
  assert.deepEqual([status, reason], ['dismissed', 'Hai sản phẩm khác nhau']);
});

test('undo of a run restores every table it wrote to its checksum; twice is refused', async () => {
  const tag = suffix();
  const base = await upload(importer, csv([
    [`Nón lá ${tag}`, `Cơ sở Nón ${tag}`, 'Huyện Nghi Xuân', 2020, 'Cấp huyện', '1/QĐ', '', 'Thủ công'],
  ]));
  assert.equal(base.status, 201);
  const sums = checksums();
  const before = await listing(tag);
  // Inserts (a new facility, product, award, group) and updates (a decision number, an address).
  const run = await upload(importer, csv([
    [`Nón lá ${tag}`, `Cơ sở Nón ${tag}`, 'Huyện Nghi Xuân', 2020, 'Cấp huyện', '1/QĐ-UBND', '5/6/2020', ''],
    [`Nón lá ${tag}`, `Cơ sở Nón ${tag}`, 'Huyện Nghi Xuân', 2021, 'Cấp tỉnh', '', '', ''],
    [`Chiếu cói ${tag}`, `HTX Cói ${tag}`, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '', '', `Nhóm ${tag}`],
  ]));
  assert.equal(run.status, 201, run.text);
  assert.equal(run.json.rows_inserted, 2);
  assert.equal(run.json.rows_updated, 1);
  assert.notDeepEqual(checksums(), sums);
  // The inserted rows' ids as one import_new row per table (migration
  // 074), the values before in import_change, the new group there too.
  assert.deepEqual(sql(`SELECT tbl, JSON_LENGTH(ids) FROM import_new WHERE import_id = ${run.json.import_id} ORDER BY tbl`),
    [['facility', '1'], ['product', '1'], ['award', '2']]);
  assert.deepEqual(sql(`SELECT tbl, before_json IS NULL FROM import_change WHERE import_id = ${run.json.import_id} ORDER BY tbl`),
    [['product', '0'], ['award', '0'], ['group', '1']]);
  const u = await as(importer, 'POST', `/api/admin/import-runs/${run.json.import_id}/undo`, {});
  assert.equal(u.status, 200, u.text);
  assert.deepEqual(u.json.removed, { awards: 2, products: 1, facilities: 1, groups: 1 });
  assert.equal(u.json.restored.awards, 1);
  assert.deepEqual(checksums(), sums, 'every table as before the run');
  assert.deepEqual((await listing(tag)).pages, before.pages);
  const rep = await as(auditor, 'GET', `/api/admin/imports/${run.json.import_id}`);
  if (rep.status === 200) assert.equal(rep.json.undo.removed.awards, 2);
  const [[undo]] = sql(`SELECT JSON_VALUE(report, '$.undo.removed.awards') FROM import_run WHERE id = ${run.json.import_id}`);
  assert.equal(undo, '2');
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE entity = 'import' AND entity_id = '${run.json.import_id}' ORDER BY id`),
    [['import'], ['import.undo']]);
  assertError(assert, await as(importer, 'POST', `/api/admin/import-runs/${run.json.import_id}/undo`, {}), 409, 'conflict');
  assertError(assert, await as(importer, 'POST', '/api/admin/import-runs/999999999/undo', {}), 404, 'not_found');
});

test('undo of a run of two batches: a product inserted by the first and updated by the second is removed, not restored', async () => {
  const tag = suffix();
  const sums = checksums();
  const rows = [];
  for (let i = 0; i < 5000; i++) rows.push([`Mẫu ${tag} ${i}`, `Cơ sở Mẫu ${tag}`, 'Huyện Nghi Xuân', 2022, 'Cấp huyện', '', '', '']);
  // The second batch: a new award of product 7, whose last year moves.
  rows.push([`Mẫu ${tag} 7`, `Cơ sở Mẫu ${tag}`, 'Huyện Nghi Xuân', 2023, 'Cấp huyện', '9/QĐ-UBND', '', '']);
  const run = await upload(importer, csv(rows));
  assert.equal(run.status, 201, run.text);
  assert.equal(run.json.rows_inserted, 5001);
  const id = run.json.import_id;
  assert.deepEqual(sql(`SELECT tbl, SUM(JSON_LENGTH(ids)) FROM import_new WHERE import_id = ${id} GROUP BY tbl ORDER BY tbl`),
    [['facility', '1'], ['product', '5000'], ['award', '5001']]);
  assert.deepEqual(sql(`SELECT tbl, JSON_VALUE(before_json, '$.last_year') FROM import_change WHERE import_id = ${id}`),
    [['product', '2022']]);
  const u = await as(importer, 'POST', `/api/admin/import-runs/${id}/undo`, {});
  assert.equal(u.status, 200, u.text);
  assert.deepEqual(u.json.removed, { awards: 5001, products: 5000, facilities: 1, groups: 0 });
  assert.deepEqual(u.json.restored, { awards: 0, products: 0, facilities: 0 });
  assert.deepEqual(checksums(), sums, 'every table as before the run');
});

test('undo refused with the list when a later run or a staff merge touched its rows', async () => {
  const tag = suffix();
  const fac = `Cơ sở Gốm ${tag}`;
  const first = await upload(importer, csv([[`Gốm ${tag}`, fac, 'Huyện Nghi Xuân', 2020, 'Cấp huyện', '', '', '']]));
  const later = await upload(importer, csv([[`Gốm ${tag}`, fac, 'Huyện Nghi Xuân', 2020, 'Cấp huyện', '5/QĐ', '', '']]));
  assert.equal(later.json.rows_updated, 1);
  const r = await as(importer, 'POST', `/api/admin/import-runs/${first.json.import_id}/undo`, {});
  assertError(assert, r, 409, 'conflict');
  assert.ok(r.json.conflicts.some((c) => c.table === 'award' && c.by === `lần nhập #${later.json.import_id}`), r.text);
  // The later run undone first, then the first one goes.
  assert.equal((await as(importer, 'POST', `/api/admin/import-runs/${later.json.import_id}/undo`, {})).status, 200);

  // A staff merge of a row the run inserted.
  const { pair, two } = await duplicatePair(`${tag}m`);
  const m = await as(importer, 'POST', `/api/admin/products/${pair.newer.id}/merge`, { into: pair.older.id });
  assert.equal(m.status, 201);
  const s = await as(importer, 'POST', `/api/admin/import-runs/${two.import_id}/undo`, {});
  assertError(assert, s, 409, 'conflict');
  assert.ok(s.json.conflicts.some((c) => c.table === 'product' && c.id === pair.newer.id && /^sửa tay: merge/.test(c.by)), s.text);
  assert.equal((await as(importer, 'POST', `/api/admin/import-runs/${first.json.import_id}/undo`, {})).status, 200);
});

test('the web import forces an encoding: Windows-1258 read as such; forced UTF-8 on it is the clear 422', async () => {
  const { execFileSync } = await import('node:child_process');
  const tag = suffix();
  const text = csv([[`Mắm tôm ${tag}`, `Cơ sở Đông ${tag}`, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '', '', '']]);
  const cp = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP1258'], { input: text });
  assert.ok(!cp.equals(Buffer.from(text, 'utf8')));
  const forced = await upload(importer, cp, '?dry_run=1&encoding=windows-1258');
  assert.equal(forced.status, 201, forced.text);
  assert.equal(forced.json.encoding, 'windows-1258');
  assert.equal(forced.json.rows_inserted, 1);
  const wrong = await upload(importer, cp, '?dry_run=1&encoding=utf-8');
  assertError(assert, wrong, 422, 'validation_failed');
  // The header's bytes are not UTF-8: no line of it is read as a header.
  assert.match(wrong.json.error.message, /^Không đọc được tệp: Không tìm thấy dòng tiêu đề cột/);
  assert.equal(wrong.json.report.errors.at(-1).code, 'no_header');
  assertError(assert, await upload(importer, cp, '?dry_run=1&encoding=latin9'), 422, 'validation_failed');
});
