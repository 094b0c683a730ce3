// The award-list import on the web: POST /api/admin/imports (role
// importer), the history, one report, its errors as CSV.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { http, sql, assertError } from '../lib.mjs';
import { mkUser, login } from './staff-helpers.mjs';
import { FIXTURES, suffix, csv } from './import-helpers.mjs';

const upload = (s, query, body, headers = {}) => http('POST', `/api/admin/imports${query}`, {
  body, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'text/csv', ...headers },
});

let importer; let reviewer;
test.before(async () => {
  const u = mkUser(['importer'], 'imp');
  importer = await login(u.username, u.password);
  const v = mkUser(['reviewer'], 'rev');
  reviewer = await login(v.username, v.password);
});

test('401 without a session, 403 for another role, 403 without the CSRF token', async () => {
  const body = fs.readFileSync(path.join(FIXTURES, 'sample-duplicate.csv'));
  assertError(assert, await http('POST', '/api/admin/imports', { body }), 401, 'unauthorized');
  assertError(assert, await upload(reviewer, '', body), 403, 'forbidden');
  assertError(assert, await http('GET', '/api/admin/imports', { headers: { cookie: reviewer.cookie } }), 403, 'forbidden');
  assertError(assert, await http('POST', '/api/admin/imports', { body, headers: { cookie: importer.cookie } }), 403, 'forbidden');
});

test('upload: dry run changes nothing, the real import inserts, the same file again changes nothing', async () => {
  const tag = suffix();
  const body = Buffer.from(csv([
    [`Tương ${tag}`, `HTX ${tag}`, 'Huyện Nghi Xuân', 2022, 'Cấp tỉnh', '7/QĐ', '3/11/2022', 'Thực phẩm'],
    [`Tương ${tag}`, `HTX ${tag}`, 'Huyện Nghi Xuân', 2099, 'Cấp tỉnh', '', '', ''],
  ]), 'utf8');
  const dry = await upload(importer, `?dry_run=1&filename=t-${tag}.csv`, body);
  assert.equal(dry.status, 201, dry.text);
  assert.equal(dry.json.dry_run, true);
  assert.equal(dry.json.rows_inserted, 1);
  assert.equal(dry.json.rows_rejected, 1);
  assert.equal(dry.json.file, `t-${tag}.csv`);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM product WHERE name = 'Tương ${tag}'`)[0][0]), 0);
  const real = await upload(importer, `?filename=t-${tag}.csv`, body);
  assert.equal(real.status, 201);
  assert.equal(real.headers.get('location'), `/api/admin/imports/${real.json.import_id}`);
  assert.equal(real.json.rows_inserted, 1);
  assert.deepEqual(real.json.errors.map((e) => [e.line, e.code]), [[4, 'out_of_range']]);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM product WHERE name = 'Tương ${tag}'`)[0][0]), 1);
  const audit = sql(`SELECT username, ip IS NOT NULL FROM audit_log WHERE entity = 'import' AND entity_id = '${real.json.import_id}'`);
  assert.deepEqual(audit, [[importer.res.json.user.username, '1']]);
  const again = await upload(importer, `?filename=t-${tag}.csv`, body);
  assert.equal(again.json.rows_unchanged, 1);
  assert.equal(again.json.rows_inserted, 0);

  const rep = await http('GET', `/api/admin/imports/${real.json.import_id}`, { headers: { cookie: importer.cookie } });
  assert.equal(rep.status, 200);
  assert.equal(rep.json.import_id, real.json.import_id);
  assert.equal(rep.json.status, 'done');
  assert.equal(rep.json.rows_inserted, 1);
  const list = await http('GET', '/api/admin/imports?per_page=5', { headers: { cookie: importer.cookie } });
  assert.equal(list.status, 200);
  assert.ok(list.json.items.some((i) => i.id === real.json.import_id && i.source === 'web'));
  const errs = await http('GET', `/api/admin/imports/${real.json.import_id}/errors.csv`, { headers: { cookie: importer.cookie } });
  assert.equal(errs.status, 200);
  assert.match(errs.headers.get('content-type'), /text\/csv/);
  const lines = errs.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'line,kind,column,code,message,record_id');
  assert.match(lines[1], /^4,error,year,out_of_range,/);
});

test('strict upload with a bad row: 201, status rejected, nothing changes', async () => {
  const tag = suffix();
  const body = csv([
    [`Mứt ${tag}`, `Cơ sở ${tag}`, 'Huyện Đức Thọ', 2021, 'Cấp tỉnh', '', '', ''],
    [`Mứt gừng ${tag}`, `Cơ sở ${tag}`, 'Kỳ Anh', 2021, 'Cấp tỉnh', '', '', ''],
  ]);
  const r = await upload(importer, '?strict=1', body);
  assert.equal(r.status, 201);
  assert.equal(r.json.status, 'rejected');
  assert.equal(r.json.errors[0].code, 'ambiguous_district');
  assert.equal(Number(sql(`SELECT COUNT(*) FROM product WHERE name LIKE '%${tag}%'`)[0][0]), 0);
});

test('a UTF-16 file uploads as is; an empty body is 400; an unreadable file is 422; unknown ids 404', async () => {
  const r = await upload(importer, '?dry_run=1', fs.readFileSync(path.join(FIXTURES, 'sample-utf16le-tab.csv')), { 'content-type': 'application/octet-stream' });
  assert.equal(r.status, 201);
  assert.equal(r.json.encoding, 'utf-16le');
  assert.equal(r.json.delimiter, '\t');
  assertError(assert, await upload(importer, '', ''), 400, 'bad_request');
  const bad = await upload(importer, '', 'a,b\n1,2\n');
  assertError(assert, bad, 422, 'validation_failed');
  assert.equal(bad.json.report.errors[0].code, 'no_header');
  assertError(assert, await upload(importer, '?dry_run=maybe', 'x'), 422, 'validation_failed');
  assertError(assert, await http('GET', '/api/admin/imports/99999999', { headers: { cookie: importer.cookie } }), 404, 'not_found');
  assertError(assert, await http('GET', '/api/admin/imports/abc', { headers: { cookie: importer.cookie } }), 404, 'not_found');
});
