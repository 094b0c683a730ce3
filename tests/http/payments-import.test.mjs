// Payments (disbursements) in bulk through the award-list import engine:
// POST /api/admin/imports?kind=payments[&activity_id=N] (finance). An
// office file (Windows-1258, semicolons, Vietnamese headings, title lines
// and a footer) is checked in a dry run that changes nothing, imported for
// real (exactly the valid lines, each audited, the dashboard's sums
// following), and imported again (nothing changes, each line says so).
// Lines above the allocation, of unknown facilities or reference codes, or
// naming another facility's application are refused with their reasons.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TOP, http, sql, assertError } from '../lib.mjs';
import { mkUser, login, as, sfx } from './staff-helpers.mjs';
import { fixtureWorld, TAX_B } from './payments-helpers.mjs';

const FIX = path.join(TOP, 'tests', 'fixtures', 'payments');
const office = fs.readFileSync(path.join(FIX, 'giai-ngan-2020.csv'));

const upload = (s, query, body, headers = {}) => http('POST', `/api/admin/imports${query}`, {
  body, headers: { cookie: s?.cookie, 'x-csrf-token': s?.csrf, 'content-type': 'text/csv', ...headers },
});
const one = (query) => sql(query)[0]?.[0];

// An activity of 2020 with a budget and an allocation (through the API).
async function mkActivity(s, planned = 100000000, allocated = 50000000) {
  const r = sql(`INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (2020, '1', 'Giải ngân thử ${sfx()}', 'Trung tâm Khuyến công', ${planned}); SELECT LAST_INSERT_ID();`);
  const id = Number(r[r.length - 1][0]);
  const al = await as(s, 'POST', `/api/admin/activities/${id}/allocations`, { amount_vnd: allocated, date: '2020-06-01' });
  assert.equal(al.status, 201, al.text);
  return id;
}
const disbs = (aid) => sql(`SELECT amount_vnd, DATE_FORMAT(paid_on, '%Y-%m-%d'), voucher_no, COALESCE(facility_id, 0), COALESCE(application_id, 0), COALESCE(import_id, 0), id FROM disbursement WHERE activity_id = ${aid} ORDER BY id`)
  .map(([amt, d, v, f, a, imp, id]) => ({ amount: Number(amt), date: d, voucher: v, facility: Number(f), application: Number(a), import: Number(imp), id: Number(id) }));
const auditCount = () => Number(one('SELECT COALESCE(MAX(id), 0) FROM audit_log'));

let fin; let aud; let imp; let rev; let world;
test.before(async () => {
  world = fixtureWorld();
  const f = mkUser(['finance'], 'pfi'); fin = await login(f.username, f.password);
  const a = mkUser(['auditor'], 'pau'); aud = await login(a.username, a.password);
  const i = mkUser(['importer'], 'pim'); imp = await login(i.username, i.password);
  const r = mkUser(['reviewer'], 'pre'); rev = await login(r.username, r.password);
  for (const s of [fin, aud, imp, rev]) assert.equal(s.status, 200);
});

test('401 without a session; 403 for the reviewer, the importer, the auditor and without the CSRF token; 422 bad kind or activity', async () => {
  const aid = await mkActivity(fin);
  const qs = `?kind=payments&activity_id=${aid}&dry_run=1`;
  assertError(assert, await http('POST', `/api/admin/imports${qs}`, { body: office }), 401, 'unauthorized');
  for (const s of [rev, imp, aud]) assertError(assert, await upload(s, qs, office), 403, 'forbidden');
  assertError(assert, await upload(fin, qs, office, { 'x-csrf-token': '' }), 403, 'forbidden');
  assertError(assert, await upload(fin, '?kind=awards&dry_run=1', office), 403, 'forbidden');	// finance does not import award lists
  assertError(assert, await upload(fin, '?kind=receipts', office), 422, 'validation_failed');
  assertError(assert, await upload(fin, '?kind=payments&activity_id=999999999', office), 422, 'validation_failed');
  assert.deepEqual(disbs(aid), []);
});

test('the office file: dry run reports and changes nothing; the real run inserts exactly the valid lines; the second run changes nothing', async () => {
  const aid = await mkActivity(fin);
  const qs = `?kind=payments&activity_id=${aid}&filename=giai-ngan-2020.csv`;
  const before = auditCount();
  const dashBefore = Number(one(`SELECT COALESCE(SUM(disbursed_vnd), 0) FROM activity_money WHERE activity_id = ${aid}`));

  const dry = await upload(fin, `${qs}&dry_run=1`, office);
  assert.equal(dry.status, 201, dry.text);
  const r = dry.json;
  assert.equal(r.kind, 'payments');
  assert.equal(r.activity_id, aid);
  assert.equal(r.dry_run, true);
  assert.equal(r.status, 'done');
  assert.equal(r.encoding, 'windows-1258');
  assert.equal(r.delimiter, ';');
  assert.equal(r.header_line, 3);
  assert.deepEqual([r.rows_total, r.rows_inserted, r.rows_unchanged, r.rows_rejected], [9, 4, 0, 5]);
  assert.deepEqual(r.errors.map((e) => [e.line, e.column, e.code]), [
    [7, 'facility', 'unknown_facility'],
    [8, 'ref_code', 'refused'],
    [9, 'ref_code', 'refused'],
    [10, 'amount_vnd', 'refused'],
    [11, 'date', 'invalid_date'],
  ]);
  const msg = Object.fromEntries(r.errors.map((e) => [e.line, e.message]));
  assert.match(msg[7], /Không có cơ sở “Cơ sở Không Có Thật” ở Huyện Hương Sơn/);
  assert.match(msg[8], /Không có hồ sơ nào mang mã KT-KHONGCO99/);
  assert.match(msg[9], /Hồ sơ KT-PAYFIXA là của cơ sở «Cơ sở Mộc Thái Yên Thử», không phải của cơ sở thụ hưởng/);
  // The ledger's own message: what it would be, the limit, by how much.
  assert.equal(msg[10], 'Tổng giải ngân sẽ là 935.500.000 đ, vượt kinh phí đã giao (50.000.000 đ) 885.500.000 đ.');
  assert.match(msg[11], /31\/02\/2020/);
  assert.deepEqual(disbs(aid), [], 'a dry run writes nothing');
  assert.equal(auditCount(), before, 'nor audits anything');

  const real = await upload(fin, qs, office);
  assert.equal(real.status, 201, real.text);
  assert.equal(real.headers.get('location'), `/api/admin/imports/${real.json.import_id}`);
  assert.deepEqual([real.json.rows_inserted, real.json.rows_unchanged, real.json.rows_rejected], [4, 0, 5]);
  assert.deepEqual(real.json.errors.map((e) => e.line), [7, 8, 9, 10, 11]);
  const rows = disbs(aid);
  const id = real.json.import_id;
  assert.deepEqual(rows.map(({ id: _, ...x }) => x), [
    { amount: 15000000, date: '2020-11-27', voucher: 'PC-101', facility: world.a, application: world.app, import: id },
    { amount: 12500000, date: '2020-11-28', voucher: 'PC-102', facility: world.b, application: 0, import: id },
    { amount: 8000000, date: '2020-12-01', voucher: 'PC-103', facility: world.c, application: 0, import: id },
    { amount: 2000000, date: '2020-12-15', voucher: 'PC-109', facility: world.b, application: 0, import: id },
  ]);
  // Each line audited as one entered by hand, and the run itself.
  const audits = sql(`SELECT action, entity_id, JSON_VALUE(after_json, '$.amount_vnd') FROM audit_log WHERE id > ${before} AND entity IN ('disbursement', 'import') ORDER BY id`);
  assert.deepEqual(audits, [
    ...rows.map((x) => ['disbursement.create', String(x.id), String(x.amount)]),
    ['import', String(id), null],
  ].map((a) => a.map((v) => (v === null ? 'NULL' : v))));
  const unit = one(`SELECT u.code FROM disbursement d JOIN admin_unit u ON u.id = d.unit_id WHERE d.id = ${rows[2].id}`);
  assert.equal(unit, '443', 'the district stated');
  // The dashboard's sums follow (triggers).
  assert.equal(Number(one(`SELECT disbursed_vnd FROM activity_money WHERE activity_id = ${aid}`)) - dashBefore, 37500000);
  const act = await as(aud, 'GET', `/api/admin/activities/${aid}`);
  assert.equal(act.json.disbursements.reduce((s, d) => s + d.amount_vnd, 0), 37500000);

  const again = await upload(fin, qs, office);
  assert.equal(again.status, 201, again.text);
  assert.deepEqual([again.json.rows_inserted, again.json.rows_unchanged, again.json.rows_rejected], [0, 4, 5]);
  assert.deepEqual(again.json.warnings.map((w) => [w.line, w.code, w.record_id]),
    [[4, 'already_recorded', rows[0].id], [5, 'already_recorded', rows[1].id], [6, 'already_recorded', rows[2].id], [12, 'already_recorded', rows[3].id]]);
  assert.match(again.json.warnings[0].message, /đã có trong sổ/);
  assert.deepEqual(disbs(aid), rows, 'the second run changes nothing');

  // The auditor reads the report and its CSV; finance sees the run in the history.
  const rep = await as(aud, 'GET', `/api/admin/imports/${id}`);
  assert.equal(rep.status, 200, rep.text);
  assert.equal(rep.json.kind, 'payments');
  assert.equal(rep.json.rows_inserted, 4);
  const csv = await http('GET', `/api/admin/imports/${id}/errors.csv`, { headers: { cookie: aud.cookie } });
  assert.equal(csv.status, 200);
  assert.match(csv.text, /^\uFEFF?line,kind,column,code,message,record_id/);
  assert.match(csv.text, /\n10,error,amount_vnd,refused,/);
  const hist = await as(fin, 'GET', '/api/admin/imports?kind=payments&per_page=5');
  assert.equal(hist.status, 200, hist.text);
  assert.ok(hist.json.items.every((x) => x.kind === 'payments'));
  assert.equal(hist.json.items[0].id, again.json.import_id);
  assert.equal(hist.json.items[0].activity_id, aid);
});

test('the activity named by a column, in UTF-8 with BOM; a line of an unknown activity refused; a file without activity refused', async () => {
  const a1 = await mkActivity(fin); const a2 = await mkActivity(fin);
  const title2 = one(`SELECT title FROM activity WHERE id = ${a2}`);
  const text = ['Ngay chi,So tien,So chung tu,Ma so thue,Ma hoat dong,Ghi chu',
    `27/11/2020,1.000.000,UNC-1,${TAX_B},${a1},`,
    `27/11/2020,"2.000.000 đ",UNC-2,${TAX_B},"${title2}",theo tên hoạt động`,
    `27/11/2020,3.000.000,UNC-3,${TAX_B},#999999999,`,
    `27/11/2020,4.000.000,UNC-4,${TAX_B},,`].join('\r\n');
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  const res = await upload(fin, '?kind=payments&filename=nhieu-hoat-dong.csv', body);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.encoding, 'utf-8');
  assert.equal(res.json.activity_id, null);
  assert.deepEqual(res.json.errors.map((e) => [e.line, e.column, e.code]), [[4, 'activity', 'unknown_activity'], [5, 'activity', 'required']]);
  assert.deepEqual(disbs(a1).map((d) => d.amount), [1000000]);
  assert.deepEqual(disbs(a2).map((d) => d.amount), [2000000]);
  // Chosen in the form: a line naming another activity is refused.
  const other = await upload(fin, `?kind=payments&activity_id=${a1}&dry_run=1`, body);
  assert.equal(other.status, 201, other.text);
  assert.deepEqual(other.json.errors.map((e) => [e.line, e.code]), [[3, 'other_activity'], [4, 'other_activity']]);
  assert.deepEqual(other.json.warnings.map((w) => [w.line, w.code]), [[2, 'already_recorded']]);
  assert.equal(other.json.rows_inserted, 1, 'the line without an activity takes the chosen one');
  // Neither a column nor a choice: the file is refused, its report kept.
  const none = await upload(fin, '?kind=payments', Buffer.from(`Ngày chi;Số tiền;Mã số thuế\r\n27/11/2020;1.000.000;${TAX_B}\r\n`));
  assertError(assert, none, 422, 'validation_failed');
  assert.equal(none.json.report.errors[0].code, 'no_activity');
  const nohead = await upload(fin, `?kind=payments&activity_id=${a1}`, Buffer.from('a;b;c\r\n1;2;3\r\n'));
  assertError(assert, nohead, 422, 'validation_failed');
  assert.equal(nohead.json.report.errors[0].code, 'no_header');
});

test('strict: one refused line and nothing goes in', async () => {
  const aid = await mkActivity(fin);
  const res = await upload(fin, `?kind=payments&activity_id=${aid}&strict=1`, office);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.status, 'rejected');
  assert.equal(res.json.rows_inserted, 0);
  assert.equal(res.json.rows_rejected, 5);
  assert.deepEqual(disbs(aid), []);
});

test('concurrent imports of one file and a hand entry: each payment once', async () => {
  const aid = await mkActivity(fin, 100000000, 100000000);
  const lines = Array.from({ length: 12 }, (_, i) => `${String(i + 1).padStart(2, '0')}/10/2020;2.500.000;PC-C${i};${TAX_B}`);
  const body = Buffer.from(['Ngày chi;Số tiền;Số chứng từ;Mã số thuế', ...lines].join('\r\n'));
  const f2 = mkUser(['finance'], 'pf2'); const fin2 = await login(f2.username, f2.password);
  const imports = () => upload(fin2, `?kind=payments&activity_id=${aid}`, body);
  const res = await Promise.all([
    upload(fin, `?kind=payments&activity_id=${aid}`, body), imports(),
    as(fin, 'POST', `/api/admin/activities/${aid}/disbursements`, { amount_vnd: 2500000, date: '2020-10-05', document_no: 'PC-X', facility_id: world.b }),
    imports(),
  ]);
  for (const r of [res[0], res[1], res[3]]) assert.ok([201, 409].includes(r.status), `${r.status} ${r.text.slice(0, 200)}`);
  assert.equal(res[2].status, 201, res[2].text);
  const done = [res[0], res[1], res[3]].filter((r) => r.status === 201);
  assert.ok(done.length >= 1, 'one import ran');
  assert.equal(done.reduce((n, r) => n + r.json.rows_inserted, 0), 12, 'each line inserted by one run only');
  assert.ok(done.every((r) => r.json.rows_rejected === 0));
  const again = await imports();	// and after them all, in sequence
  assert.equal(again.status, 201, again.text);
  assert.deepEqual([again.json.rows_inserted, again.json.rows_unchanged], [0, 12]);
  const rows = disbs(aid);
  assert.equal(rows.length, 13);
  assert.equal(rows.reduce((s, d) => s + d.amount, 0), 32500000);
  assert.equal(new Set(rows.map((d) => d.voucher)).size, rows.length, 'no payment twice');
});
