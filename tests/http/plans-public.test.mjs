// The public side of drafts, publishing and amendments (issue 18, point
// 1): a draft plan never appears in any public answer, CSV or the data
// package; publishing it (the staff endpoint) shows it on the very next
// request; the default year is the latest published one; amendments are
// listed with their figures before and after, and the shown figures are
// the amended ones; the approving decision's PDF is served only once the
// plan is published.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { get, http, sql, assertError, VAR } from '../lib.mjs';
import { mkUser, login, as, sfx } from './staff-helpers.mjs';
import { parseCsv } from './dashboard-csv.mjs';
import { checkPackage, checkResource } from './datapackage-check.mjs';

const nocache = { headers: { cookie: 'nocache=1' } };   // past nginx's micro-cache
const BASE = process.env.KC_URL || 'http://127.0.0.1:18080';
const tag = sfx();
const TOTAL = 1234567000;          // the draft's figures, found nowhere public
const PAID = 7654321;
const AMENDED = 1300000000;
let pub;                           // a published year, the latest before ours
let draft;                         // our draft: a later year than any plan
let session;
const pdf = Buffer.from(`%PDF-1.4\n% Quyết định phê duyệt ${tag}\n%%EOF\n`);
const sha = crypto.createHash('sha256').update(pdf).digest('hex');

// Every public answer, with or without a year, that may hold a plan's
// title, figures or lines; the draft's year asked for explicitly.
const PER_YEAR = ['/api/dashboard', '/api/dashboard.csv', '/api/dashboard/contents', '/api/dashboard/contents.csv',
  '/api/dashboard/units', '/api/dashboard/units.csv', '/api/dashboard/areas', '/api/dashboard/areas.csv',
  '/api/dashboard/monthly', '/api/dashboard/monthly.csv', '/api/dashboard/amendments', '/api/dashboard/amendments.csv',
  '/api/beneficiaries', '/api/beneficiaries.csv', '/api/datapackage.json'];
const ANY_YEAR = ['/api/plans', '/api/plans.csv', '/api/calls', '/api/calls.csv', '/api/products', '/api/products.csv'];

// The marks of the draft in a body: its tag (in every name) and amounts.
const MARKS = [tag, String(TOTAL), String(PAID), String(AMENDED)];
const leaks = (text) => MARKS.filter((m) => text.includes(m));

before(async () => {
  const top = Number(sql('SELECT COALESCE(MAX(year), 2020) FROM plan')[0][0]);
  assert.ok(top + 2 < 2990, `room above the latest plan (${top})`);
  pub = top + 1;
  draft = top + 2;
  sql(`INSERT INTO plan (year, title, total_vnd, status) VALUES (${pub}, 'Kế hoạch đã công bố ${pub}', 500000000, 'published');
    INSERT INTO plan_content (year, code, title, planned_vnd) VALUES (${pub}, '1', 'Tập huấn', 500000000);
    INSERT INTO plan (year, title, total_vnd, decision_no, decision_date, doc_sha256, doc_name, doc_size)
      VALUES (${draft}, 'Kế hoạch nháp ${tag}', ${TOTAL}, '9/QĐ-${tag}', '${draft}-01-10', '${sha}', 'Quyết định ${tag}.pdf', ${pdf.length});
    INSERT INTO plan_content (year, code, title, planned_vnd) VALUES (${draft}, '1', 'Nội dung nháp ${tag}', ${TOTAL});
    INSERT INTO activity (year, content_code, title, unit_name, planned_vnd)
      VALUES (${draft}, '1', 'Hoạt động nháp ${tag}', 'Đơn vị nháp ${tag}', 1000000000);
    INSERT INTO disbursement (activity_id, amount_vnd, paid_on, beneficiary)
      VALUES (LAST_INSERT_ID(), ${PAID}, '${draft}-03-01', 'Người nhận nháp ${tag}');`);
  fs.mkdirSync(path.join(VAR, 'files'), { recursive: true });
  fs.writeFileSync(path.join(VAR, 'files', sha), pdf);
  const u = mkUser(['finance'], 'pub');
  session = await login(u.username, u.password);
  assert.equal(session.status, 200);
});

test('a draft is in no public answer, CSV or data package; its year answers 404', async () => {
  for (const p of PER_YEAR) {
    const r = await get(`${p}?year=${draft}`, nocache);
    assertError(assert, r, 404, 'not_found');
    assert.equal(r.json.error.message, 'Không có kế hoạch khuyến công của năm này.', p);
    assert.deepEqual(leaks(r.text), [], `${p}?year=${draft}`);
    // Without a year: the latest published plan's, with nothing of ours.
    const d = await get(p, nocache);
    assert.equal(d.status, 200, `${p}: ${d.text.slice(0, 200)}`);
    assert.deepEqual(leaks(d.text), [], p);
  }
  for (const p of ANY_YEAR) {
    const r = await get(p, nocache);
    assert.equal(r.status, 200, p);
    assert.deepEqual(leaks(r.text), [], p);
  }
  const plans = (await get('/api/plans', nocache)).json.items.map((x) => x.year);
  assert.ok(plans.includes(pub) && !plans.includes(draft), String(plans));
  const doc = await get(`/api/plans/${draft}/decision.pdf`, nocache);
  assertError(assert, doc, 404, 'not_found');
  assert.equal(doc.json.error.message, 'Không có văn bản quyết định phê duyệt của kế hoạch năm này.');
});

test('the default year is the latest published one: a later draft does not move it', async () => {
  const d = await get('/api/dashboard', nocache);
  assert.equal(d.json.year, pub);
  assert.equal((await get('/api/plans', nocache)).json.items[0].year, pub);
  assert.equal((await get('/api/datapackage.json', nocache)).json.name, `khuyen-cong-ha-tinh-${pub}`);
  assert.equal((await get('/api/dashboard/amendments.csv', nocache)).text,
    (await get(`/api/dashboard/amendments.csv?year=${pub}`, nocache)).text);
});

test('publishing shows the plan on the very next request, and moves the default year', async () => {
  // The published year's dashboard is kept by the workers; the draft's is not.
  assert.equal((await get(`/api/dashboard?year=${pub}`, nocache)).status, 200);
  const p = await as(session, 'POST', `/api/admin/plans/${draft}/publish`, {});
  assert.equal(p.status, 200, p.text);
  const d = await get(`/api/dashboard?year=${draft}`);   // through nginx as a reader asks
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.plan.title, `Kế hoạch nháp ${tag}`);
  assert.equal(d.json.plan.total_vnd, TOTAL);
  assert.equal(d.json.totals.disbursed_vnd, PAID);
  assert.equal((await get('/api/dashboard', nocache)).json.year, draft);
  const b = await get('/api/beneficiaries', nocache);
  assert.deepEqual(b.json.items.map((x) => [x.facility.name, x.amount_vnd]), [[`Người nhận nháp ${tag}`, PAID]]);
  const plans = (await get('/api/plans', nocache)).json.items;
  assert.equal(plans[0].year, draft);
  assert.equal(plans[0].decision_pdf, `/api/plans/${draft}/decision.pdf`);
});

test('amendments: listed with before → after per figure; the shown figures are the amended ones', async () => {
  const before = await get(`/api/dashboard?year=${draft}`, nocache);    // kept by a worker now
  assert.equal(before.json.contents[0].budget_vnd, TOTAL);
  const a = await as(session, 'POST', `/api/admin/plans/${draft}/amendments`, {
    decision_no: `15/QĐ-${tag}`, decision_date: `${draft}-06-20`, reason: 'Bổ sung kinh phí hội chợ',
    total_vnd: AMENDED, contents: [{ code: '1', planned_vnd: AMENDED }],
  });
  assert.equal(a.status, 201, a.text);
  const d = await get(`/api/dashboard?year=${draft}`, nocache);
  assert.equal(d.json.plan.total_vnd, AMENDED, 'the kept dashboard gave way to the amended figures');
  assert.equal(d.json.contents[0].budget_vnd, AMENDED);
  const l = await get(`/api/dashboard/amendments?year=${draft}`, nocache);
  assert.equal(l.status, 200);
  assert.deepEqual(l.json.items, [{
    id: l.json.items[0].id, decision_no: `15/QĐ-${tag}`, decision_date: `${draft}-06-20`, reason: 'Bổ sung kinh phí hội chợ',
    changes: [
      { figure: 'total', content_code: null, content_title: null, before_vnd: TOTAL, after_vnd: AMENDED, change_vnd: AMENDED - TOTAL },
      { figure: 'content', content_code: '1', content_title: `Nội dung nháp ${tag}`, before_vnd: TOTAL, after_vnd: AMENDED, change_vnd: AMENDED - TOTAL },
    ],
  }]);
  const csv = parseCsv((await get(`/api/dashboard/amendments.csv?year=${draft}`, nocache)).text.replace(/^\uFEFF/, ''));
  assert.deepEqual(csv.slice(1).map((r) => [r[0], r[2], r[3], r[5], r[6], r[8], r[9], r[10]]), [
    [String(draft), `15/QĐ-${tag}`, `${draft}-06-20`, 'total', '', String(TOTAL), String(AMENDED), String(AMENDED - TOTAL)],
    [String(draft), `15/QĐ-${tag}`, `${draft}-06-20`, 'content', '1', String(TOTAL), String(AMENDED), String(AMENDED - TOTAL)],
  ]);
  // No amendment: an empty list for a published plan.
  const none = await get(`/api/dashboard/amendments?year=${pub}`, nocache);
  assert.deepEqual([none.status, none.json.items], [200, []]);
});

test('the data package lists the amendments; their CSV is what it declares', async () => {
  const url = `${BASE}/api/datapackage.json?year=${draft}`;
  const p = (await get(`/api/datapackage.json?year=${draft}`, nocache)).json;
  const res = p.resources.find((r) => r.name === `dieu-chinh-${draft}`);
  assert.ok(res, p.resources.map((r) => r.name).join(' '));
  assert.equal(res.path, `dashboard/amendments.csv?year=${draft}`);
  await checkPackage(url, p);
  assert.equal(await checkResource(url, res), 2);
  const contents = p.resources.find((r) => r.name === `contents-${draft}`);
  assert.equal(await checkResource(url, contents), 1);
});

test('the decision PDF: served once the plan is published, as a PDF with a safe name', async () => {
  const r = await http('GET', `/api/plans/${draft}/decision.pdf`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const bytes = Buffer.from(await (await fetch(`${BASE}/api/plans/${draft}/decision.pdf`)).arrayBuffer());
  assert.ok(bytes.equals(pdf), 'the stored bytes');
  assert.match(r.headers.get('x-content-type-options'), /nosniff/);
  assert.equal(r.headers.get('content-disposition'),
    `inline; filename="quyet-dinh-ke-hoach-${draft}.pdf"; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20${tag}.pdf`);
  assert.equal(r.headers.get('etag'), `"${sha}"`);
  assert.match(r.headers.get('cache-control'), /^public, max-age=\d+$/);
  const again = await http('GET', `/api/plans/${draft}/decision.pdf`, { headers: { 'if-none-match': `"${sha}"` } });
  assert.equal(again.status, 304);
  // Not a plan year, a year without a document, a document gone from the
  // store, a file that is not a PDF: 404 with the message.
  for (const u of [`/api/plans/20x0/decision.pdf`, `/api/plans/${draft}0/decision.pdf`, `/api/plans/${pub}/decision.pdf`]) {
    assertError(assert, await get(u, nocache), 404, 'not_found');
  }
  const fake = Buffer.from(`<html>not a pdf ${tag}</html>`);
  const fsha = crypto.createHash('sha256').update(fake).digest('hex');
  fs.writeFileSync(path.join(VAR, 'files', fsha), fake);
  sql(`UPDATE plan SET doc_sha256 = '${fsha}' WHERE year = ${pub}`);
  assertError(assert, await get(`/api/plans/${pub}/decision.pdf`, nocache), 404, 'not_found');
  sql(`UPDATE plan SET doc_sha256 = '${'0'.repeat(64)}' WHERE year = ${pub}`);
  assertError(assert, await get(`/api/plans/${pub}/decision.pdf`, nocache), 404, 'not_found');
  sql(`UPDATE plan SET doc_sha256 = NULL WHERE year = ${pub}`);
});

test('a plan made a draft again (by hand: no endpoint does it) is gone at once, its PDF too', async () => {
  assert.equal((await get(`/api/dashboard?year=${draft}`, nocache)).status, 200);
  sql(`UPDATE plan SET status = 'draft' WHERE year = ${draft}`);
  assertError(assert, await get(`/api/dashboard?year=${draft}`, nocache), 404, 'not_found');
  assertError(assert, await get(`/api/plans/${draft}/decision.pdf`, nocache), 404, 'not_found');
  assertError(assert, await get(`/api/dashboard/amendments?year=${draft}`, nocache), 404, 'not_found');
  assert.equal((await get('/api/dashboard', nocache)).json.year, pub);
  sql(`UPDATE plan SET status = 'published' WHERE year = ${draft}`);
  assert.equal((await get(`/api/dashboard?year=${draft}`, nocache)).json.plan.total_vnd, AMENDED);
});
