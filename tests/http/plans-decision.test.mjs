// A plan's approving decision (cgi/staff/decision.c): a PDF by its content
// (PNG bytes named .pdf refused), at most 10 MB (10 MB + 1 refused, 10 MB
// taken), kept in the file store under its sha256, set and replaced with an
// audit row before/after, removed from a draft only; served to the staff
// at once and to the public only once the plan is published; 401/403/CSRF.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, VAR, sql, http, assertError, freeYear } from '../lib.mjs';
import { mkUser, login, as, auditRows } from './staff-helpers.mjs';

const MB = 1 << 20;
const year = freeYear(2300, 600, 'SELECT COUNT(*) FROM plan WHERE year = {y}');
let fin; let aud; let rev;

// A PDF of exactly n bytes (its header, then filler, then its end).
function pdf(n, tag = '') {
  const head = Buffer.from(`%PDF-1.4\n% ${tag}\n`);
  const tail = Buffer.from('\n%%EOF\n');
  return Buffer.concat([head, Buffer.alloc(n - head.length - tail.length, 0x20), tail]);
}
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(200)]);
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

// POST the file as a browser's form would, as session s (csrf: false
// leaves the token out).
async function upload(s, buf, name, { csrf } = {}) {
  const fd = new FormData();
  fd.append('file', new Blob([buf], { type: 'application/pdf' }), name);
  const headers = {};
  if (s?.cookie) headers.cookie = s.cookie;
  const tok = csrf === undefined ? s?.csrf : csrf;
  if (tok) headers['x-csrf-token'] = tok;
  const res = await fetch(`${BASE}/api/admin/plans/${year}/decision`, { method: 'POST', headers, body: fd });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}
const docOf = () => sql(`SELECT COALESCE(doc_sha256, 'NULL'), COALESCE(doc_name, 'NULL'), COALESCE(doc_size, 'NULL') FROM plan WHERE year=${year}`)[0];
const docRows = () => auditRows('plan', year).filter((x) => x.action.startsWith('plan.document'));
// The public answer, past the micro-cache.
const pub = () => http('GET', `/api/plans/${year}/decision.pdf`, { headers: { cookie: 'nocache=1' } });
async function staffGet(s) {
  const res = await fetch(`${BASE}/api/admin/plans/${year}/decision`, { headers: { cookie: s.cookie } });
  return { status: res.status, type: res.headers.get('content-type'), disp: res.headers.get('content-disposition'), body: Buffer.from(await res.arrayBuffer()) };
}

test('setup: a draft plan of one content area', async () => {
  const f = mkUser(['finance'], 'dfi'); fin = await login(f.username, f.password); fin.user = f;
  const a = mkUser(['auditor'], 'dau'); aud = await login(a.username, a.password);
  const r = mkUser(['reviewer'], 'drv'); rev = await login(r.username, r.password);
  for (const s of [fin, aud, rev]) assert.equal(s.status, 200);
  assert.equal((await as(fin, 'POST', '/api/admin/plans', { year, title: `Kế hoạch ${year}`, total_vnd: '2,08 tỷ' })).status, 201);
  assert.equal((await as(fin, 'PUT', `/api/admin/plans/${year}/contents/1`, { title: 'Tư vấn, tập huấn', planned_vnd: '2,08 tỷ' })).status, 201);
});

test('refused by content and by size: PNG bytes named .pdf, 10 MB + 1, no file; nothing changes', async () => {
  const n = sql('SELECT COUNT(*) FROM audit_log')[0][0];
  const png = await upload(fin, PNG, 'quyet-dinh.pdf');
  assertError(assert, png, 422, 'validation_failed');
  assert.match(png.json.error.fields.file, /không phải PDF/);
  const big = await upload(fin, pdf(10 * MB + 1), 'lon.pdf');
  assertError(assert, big, 422, 'validation_failed');
  assert.match(big.json.error.fields.file, /lớn hơn 10 MB/);
  assertError(assert, await as(fin, 'POST', `/api/admin/plans/${year}/decision`, {}), 422, 'validation_failed');
  // Past nginx's limit for the route: its 413 in the API's shape.
  assertError(assert, await upload(fin, pdf(12 * MB), 'qua-lon.pdf'), 413, 'payload_too_large');
  assert.deepEqual(docOf(), ['NULL', 'NULL', 'NULL']);
  assert.equal(sql('SELECT COUNT(*) FROM audit_log')[0][0], n, 'refusals write nothing');
  assert.equal(fs.existsSync(path.join(VAR, 'files', sha(PNG))), false, 'the PNG is not stored');
});

test('401, 403 (roles, CSRF): nothing changes', async () => {
  const n = sql('SELECT COUNT(*) FROM audit_log')[0][0];
  const small = pdf(2000, 'khong');
  assertError(assert, await upload(null, small, 'a.pdf'), 401, 'unauthorized');
  assertError(assert, await upload(rev, small, 'a.pdf'), 403, 'forbidden');
  assertError(assert, await upload(aud, small, 'a.pdf'), 403, 'forbidden');
  assertError(assert, await upload(fin, small, 'a.pdf', { csrf: false }), 403, 'forbidden');
  assertError(assert, await upload(fin, small, 'a.pdf', { csrf: aud.csrf }), 403, 'forbidden');
  assertError(assert, await as(null, 'DELETE', `/api/admin/plans/${year}/decision`), 401, 'unauthorized');
  assertError(assert, await as(aud, 'DELETE', `/api/admin/plans/${year}/decision`), 403, 'forbidden');
  assertError(assert, await as(fin, 'DELETE', `/api/admin/plans/${year}/decision`, undefined, { csrf: false }), 403, 'forbidden');
  assertError(assert, await as(null, 'GET', `/api/admin/plans/${year}/decision`), 401, 'unauthorized');
  assertError(assert, await as(rev, 'GET', `/api/admin/plans/${year}/decision`), 403, 'forbidden');
  assert.deepEqual(docOf(), ['NULL', 'NULL', 'NULL']);
  assert.equal(sql('SELECT COUNT(*) FROM audit_log')[0][0], n);
});

test('10 MB taken and stored by its hash; replaced (audited); a draft\'s is not public; removed from the draft', async () => {
  const first = pdf(10 * MB, 'mot');
  const r1 = await upload(fin, first, 'Quyết định 15/QĐ-SCT.pdf');
  assert.equal(r1.status, 200, r1.text);
  assert.deepEqual(r1.json.document, { name: 'Quyết định 15/QĐ-SCT.pdf'.split('/').pop(), size: 10 * MB, sha256: sha(first) });
  assert.deepEqual(docOf(), [sha(first), 'QĐ-SCT.pdf', String(10 * MB)]);
  assert.ok(fs.readFileSync(path.join(VAR, 'files', sha(first))).equals(first), 'the store holds the bytes');
  // The staff read a draft's document; the public does not.
  const g = await staffGet(aud);
  assert.equal(g.status, 200);
  assert.equal(g.type, 'application/pdf');
  assert.match(g.disp, /^attachment; /);
  assert.ok(g.body.equals(first));
  assertError(assert, await pub(), 404, 'not_found');
  // Replaced: one audit row each, the document before and after.
  const second = pdf(3000, 'hai');
  const r2 = await upload(fin, second, 'qd-sua.pdf');
  assert.equal(r2.status, 200, r2.text);
  const rows = docRows();
  assert.deepEqual(rows.map((x) => [x.action, x.username]), [['plan.document', fin.user.username], ['plan.document', fin.user.username]]);
  assert.deepEqual([rows[0].before.document, rows[0].after.document.sha256], [{ name: null, size: null, sha256: null }, sha(first)]);
  assert.deepEqual([rows[1].before.document.sha256, rows[1].after.document], [sha(first), { name: 'qd-sua.pdf', size: 3000, sha256: sha(second) }]);
  // Removed from the draft (audited), then nothing to remove.
  const d = await as(fin, 'DELETE', `/api/admin/plans/${year}/decision`);
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.json.document, { name: null, size: null, sha256: null });
  const del = docRows().at(-1);
  assert.deepEqual([del.action, del.before.document.sha256, del.after.document.sha256], ['plan.document_delete', sha(second), null]);
  assertError(assert, await as(fin, 'DELETE', `/api/admin/plans/${year}/decision`), 404, 'not_found');
  assert.equal((await staffGet(aud)).status, 404);
  assertError(assert, await as(fin, 'POST', `/api/admin/plans/${year + 1}/decision`, {}), 422, 'validation_failed');
});

test('published: the public reads it; it is replaced, not removed', async () => {
  const doc = pdf(5000, 'cong-bo');
  assert.equal((await upload(fin, doc, 'quyet-dinh.pdf')).status, 200);
  assert.equal((await as(fin, 'POST', `/api/admin/plans/${year}/publish`, {})).status, 200);
  const res = await fetch(`${BASE}/api/plans/${year}/decision.pdf`, { headers: { cookie: 'nocache=1' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(doc));
  const d = await as(fin, 'DELETE', `/api/admin/plans/${year}/decision`);
  assertError(assert, d, 409, 'conflict');
  assert.match(d.json.error.message, /chỉ thay bằng văn bản khác/);
  assert.equal(docOf()[0], sha(doc));
  const other = pdf(6000, 'thay');
  assert.equal((await upload(fin, other, 'quyet-dinh-moi.pdf')).status, 200);
  const res2 = await fetch(`${BASE}/api/plans/${year}/decision.pdf`, { headers: { cookie: 'nocache=1' } });
  assert.ok(Buffer.from(await res2.arrayBuffer()).equals(other));
  // The public list of plans (the dashboard's) links it.
  const list = await http('GET', '/api/plans', { headers: { cookie: 'nocache=1' } });
  assert.equal(list.json.items.find((p) => p.year === year).decision_pdf, `/api/plans/${year}/decision.pdf`);
});
