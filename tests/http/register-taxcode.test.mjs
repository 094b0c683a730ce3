// Issue 16, point 2: since 1 July 2025 a household business gives its
// representative's 12-digit personal identification number (số định danh
// cá nhân, the CCCD number) as its tax code (Thông tư 86/2024/TT-BTC art.
// 38(2)). Taken by the application form and API and by the award-list
// import, checked for its structure (Thông tư 07/2016/TT-BCA), one
// facility's key like any tax code, shown to staff and in no public answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { BASE, get, http, post, sql, assertError, freeYear } from '../lib.mjs';
import { BROWSER_FORM, body, countApps, formOf, makeCall, taxCode } from './register-helpers.mjs';
import { HEADER, csv, kcImport, suffix as word, tmpFile } from './import-helpers.mjs';
import { as, login, mkUser } from './staff-helpers.mjs';
import { TAX_MESSAGES, taxCodeError } from '../../public/js/apply-rules.js';

// This year in Vietnam (the server's "not born in the future" year).
const NOW = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()));

// A personal identification number: province of birth, the century-and-sex
// digit (0/1: 1900s, 2/3: 2000s), the year's last two digits, six random.
function personalId(born = 1985, province = '042', female = false) {
  const century = Math.floor((born - 1900) / 100) * 2 + (female ? 1 : 0);
  const rest = String(crypto.randomInt(1000000)).padStart(6, '0');
  return `${province}${century}${String(born % 100).padStart(2, '0')}${rest}`;
}

const apply = (b) => post('/api/applications', { json: b });
const fresh = { cookie: 'nocache=1' };	// past nginx's micro-cache

test('a 12-digit personal identification number is taken as a household\'s tax code and finds its facility again', async () => {
  const call = makeCall();
  const other = makeCall();
  const pid = personalId(1979, '042', true);
  const first = await body(call, { 'facility.tax_code': ` ${pid} `, 'facility.kind': 'household' });
  const r = await apply(first);
  assert.equal(r.status, 201, r.text);
  const [[tax, ident, fid]] = sql(`SELECT f.tax_code, f.ident, f.id FROM application a JOIN facility f ON f.id = a.facility_id
    WHERE a.ref_code = '${r.json.ref_code}'`);
  assert.deepEqual([tax, ident], [pid, `tax:${pid}`], 'stored without the spaces, as the facility\'s key');
  // The same number under another name, to the same call: the same facility, 409.
  const before = countApps(call);
  const again = await apply(await body(call, { 'facility.tax_code': pid, 'facility.name': 'Hộ kinh doanh tên khác' }));
  assertError(assert, again, 409, 'conflict');
  assert.match(again.json.error.message, /đã nộp hồ sơ/);
  assert.equal(countApps(call), before);
  // To another call: accepted, the same facility.
  const next = await apply(await body(other, { 'facility.tax_code': pid, 'facility.name': 'Hộ kinh doanh tên khác' }));
  assert.equal(next.status, 201, next.text);
  const [[fid2]] = sql(`SELECT facility_id FROM application WHERE ref_code = '${next.json.ref_code}'`);
  assert.equal(fid2, fid);
  // The enterprise forms still go in.
  for (const code of [taxCode(), `${taxCode()}-002`, personalId(NOW), personalId(2001, '001'), personalId(1950, '096')]) {
    const x = await apply(await body(call, { 'facility.tax_code': code }));
    assert.equal(x.status, 201, `${code}: ${x.text}`);
    assert.equal(taxCodeError(code), null, `the form lets ${code} through`);
  }
});

// [what, input, the message (a TAX_MESSAGES key, or a pattern the form
// leaves to the server)]
const REFUSED = [
  ['no province has 003', personalId(1985, '003'), /^Số định danh cá nhân không hợp lệ: 3 chữ số đầu không phải mã tỉnh/],
  ['no province has 097', personalId(1985, '097'), /^Số định danh cá nhân không hợp lệ: 3 chữ số đầu/],
  ['no province has 000', personalId(1985, '000'), /^Số định danh cá nhân không hợp lệ: 3 chữ số đầu/],
  ['born next year', personalId(NOW + 1), 'future'],
  ['born in 2099', `0422990${String(crypto.randomInt(100000)).padStart(5, '0')}`, 'future'],
  ['a century not begun (4: 2100s)', '042485123456', 'century'],
  ['a century not begun (9: 2300s)', '042985123456', 'century'],
  ['11 digits', '04208512345', 'length'],
  ['13 digits', '0420851234567', 'length'],
  ['9 digits', '010010910', 'length'],
  ['a short branch', '0100109106-01', 'length'],
  ['wrong check digit', '0100109107', 'check'],
  ['a letter', '04208512345a', 'chars'],
  ['spaces inside', '042 085 123 456', 'chars'],
  ['a dash in 12 digits', '04208-123456', 'chars'],
];

test('each refusal: 422 with its own Vietnamese message, the same as the form\'s check', async () => {
  const call = makeCall();
  const before = countApps(call);
  const seen = new Set();
  for (const [what, input, want] of REFUSED) {
    const r = await apply(await body(call, { 'facility.tax_code': input }));
    assertError(assert, r, 422, 'validation_failed');
    const msg = r.json.error.fields['facility.tax_code'];
    assert.deepEqual(Object.keys(r.json.error.fields), ['facility.tax_code'], what);
    if (want instanceof RegExp) {
      assert.match(msg, want, what);
      assert.equal(taxCodeError(input), null, `${what}: the province list is the server's alone`);
    } else {
      assert.equal(msg, TAX_MESSAGES[want], what);
      assert.equal(taxCodeError(input), msg, `${what}: the form says what the server says`);
    }
    seen.add(msg);
  }
  assert.equal(seen.size, 6, 'six reasons, six messages');
  assert.equal(countApps(call), before, 'nothing stored');
  // The plain form post names the field by its label.
  const f = await post('/api/applications', { body: formOf(await body(call, { 'facility.tax_code': '042485123456' })), headers: BROWSER_FORM });
  assert.equal(f.status, 422);
  assert.match(f.text, /Mã số thuế hoặc số định danh cá nhân/);
  assert.ok(f.text.includes(TAX_MESSAGES.century));
});

test('the form says which number each kind of facility gives', async () => {
  const page = await get('/register.html');
  assert.match(page.text, /<label for="facility-tax_code">Mã số thuế hoặc số định danh cá nhân<\/label>/);
  const hint = /id="hint-facility-tax_code">([^<]*)</.exec(page.text)[1];
  assert.match(hint, /Doanh nghiệp, hợp tác xã: mã số thuế 10 chữ số/);
  assert.match(hint, /Hộ kinh doanh, hộ gia đình: số định danh cá nhân \(số CCCD, 12 chữ số\) của người đại diện/);
});

// A plan for year with one payment to facility fid (for the beneficiaries).
function planPaying(year, fid) {
  sql(`INSERT INTO plan (year, title, total_vnd, decision_no, decision_date, status) VALUES (${year}, 'Kế hoạch CCCD ${year}', 900000000, '1/QĐ', '${year}-01-15', 'published');
    INSERT INTO plan_content (year, code, title) VALUES (${year}, '2', 'Hội chợ');
    INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (${year}, '2', 'Hội chợ', 'Trung tâm', 500000000);
    SET @a = LAST_INSERT_ID();
    INSERT INTO allocation (activity_id, amount_vnd, allocated_on) VALUES (@a, 400000000, '${year}-02-01');
    INSERT INTO disbursement (activity_id, amount_vnd, paid_on, facility_id, unit_id)
      SELECT @a, 12000000, '${year}-03-10', id, unit_id FROM facility WHERE id = ${Number(fid)};`);
}

test('import: a 12-digit number is the facility\'s tax code; a malformed one is named in the row\'s warning', () => {
  const w = word();
  const pid = personalId(1990);
  const rows = [
    [`Kẹo ${w}`, `Hộ kinh doanh kẹo ${w}`, 'Huyện Can Lộc', 2019, 'Cấp tỉnh', '', '', '', pid],
    [`Mắm ${w}`, `Hộ kinh doanh mắm ${w}`, 'Huyện Can Lộc', 2019, 'Cấp tỉnh', '', '', '', personalId(1990, '003')],
    [`Nón ${w}`, `Hộ kinh doanh nón ${w}`, 'Huyện Can Lộc', 2019, 'Cấp tỉnh', '', '', '', personalId(NOW + 1)],
  ];
  const r = kcImport(['--json', tmpFile(`cccd-${w}.csv`, csv(rows).replace(HEADER, `${HEADER},Mã số thuế`))]);
  const rep = r.reports[0];
  assert.equal(rep.rows_inserted, 3, r.stderr);
  assert.deepEqual(sql(`SELECT tax_code, ident FROM facility WHERE name = 'Hộ kinh doanh kẹo ${w}'`), [[pid, `tax:${pid}`]]);
  assert.deepEqual(rep.warnings.map((x) => [x.line, x.code]), [[4, 'invalid_tax_code'], [5, 'invalid_tax_code']]);
  assert.match(rep.warnings[0].message, /3 chữ số đầu không phải mã tỉnh.*cơ sở được nhận theo tên/);
  assert.match(rep.warnings[1].message, /năm sinh .* ở sau năm nay/);
  assert.deepEqual(sql(`SELECT tax_code IS NULL FROM facility WHERE name = 'Hộ kinh doanh mắm ${w}'`), [['1']]);
});

// Every other public answer: the product, the calls, the dashboard and
// its CSVs, the data package and each resource it names, the pages, and
// the application's status by its token (JSON and page). [[what, res]]
async function otherPublicAnswers(year, productId, app) {
  const answers = [];
  const urls = [`/api/products/${productId}`, '/api/products/groups', '/api/calls', '/api/calls.csv',
    `/api/dashboard?year=${year}`, `/api/dashboard.csv?year=${year}`, `/api/dashboard/contents.csv?year=${year}`,
    `/api/dashboard/units.csv?year=${year}`, `/api/dashboard/areas.csv?year=${year}`, `/api/dashboard/monthly.csv?year=${year}`,
    '/api/plans', '/api/plans.csv', '/api/units', '/api/districts', '/', '/index.html', '/register.html',
    '/products.html', '/status.html', '/receipt.html'];
  for (const u of urls) answers.push([u, await get(u, { headers: fresh })]);
  const dp = await get(`/api/datapackage.json?year=${year}`, { headers: fresh });
  assert.equal(dp.status, 200);
  answers.push(['datapackage.json', dp]);
  for (const res of dp.json.resources) {
    const url = new URL(res.path, `${BASE}/api/datapackage.json`);
    answers.push([res.path, await get(url.pathname + url.search, { headers: fresh })]);
  }
  const tok = { 'x-status-token': app.status_token };
  answers.push(['status GET', await get(`/api/applications/${app.ref_code}`, { headers: tok })]);
  answers.push(['status POST', await post(`/api/applications/${app.ref_code}/status`, { json: { token: app.status_token } })]);
  answers.push(['status page', await post(`/api/applications/${app.ref_code}/status`,
    { body: new URLSearchParams({ token: app.status_token }).toString(), headers: BROWSER_FORM })]);
  return answers;
}

test('a personal identification number is shown to staff, never in a public answer, CSV, data package or page', async () => {
  const w = word();
  const pid = personalId(1988);
  const name = `Hộ kinh doanh nón lá ${w}`;
  const year = freeYear(2001, 24, 'SELECT COUNT(*) FROM plan WHERE year = {y}');
  // An award-winning product of the facility, by import ...
  const imp = kcImport(['--json', tmpFile(`pub-${w}.csv`, csv([[`Nón lá ${w}`, name, 'Huyện Can Lộc', year, 'Cấp tỉnh', '', '', '', pid]])
    .replace(HEADER, `${HEADER},Mã số thuế`))]);
  assert.equal(imp.reports[0].rows_inserted, 1, imp.stderr);
  // ... its applications, JSON and plain form: the same facility ...
  const call = makeCall();
  const b = await body(call, { 'facility.tax_code': pid, 'facility.name': name });
  const app = await apply(b);
  assert.equal(app.status, 201, app.text);
  const receipt = await post('/api/applications', { body: formOf(await body(makeCall(), { 'facility.tax_code': pid, 'facility.name': name })), headers: BROWSER_FORM });
  assert.equal(receipt.status, 201, receipt.text);
  const [[fid, n]] = sql(`SELECT f.id, (SELECT COUNT(*) FROM application a WHERE a.facility_id = f.id) FROM facility f WHERE f.tax_code = '${pid}'`);
  assert.equal(n, '2');
  // ... and a payment to it.
  planPaying(year, fid);
  const [[appId]] = sql(`SELECT id FROM application WHERE ref_code = '${app.json.ref_code}'`);

  // Staff see it.
  const u = mkUser(['reviewer'], 'cccd');
  const s = await login(u.username, u.password);
  const staff = await as(s, 'GET', `/api/admin/applications/${appId}`);
  assert.equal(staff.status, 200, staff.text);
  assert.equal(staff.json.tax_code, pid);

  // The public never does: every public answer that names the facility.
  const answers = [['201 answer', app], ['plain receipt', receipt]];
  const q = encodeURIComponent(w);
  const named = [`/api/products?q=${q}`, `/api/products.csv?q=${q}`, `/api/products?year=${year}&q=${q}`,
    `/api/products.csv?year=${year}&q=${q}`, `/api/beneficiaries?year=${year}&per_page=100`, `/api/beneficiaries.csv?year=${year}`];
  for (const u of named) {
    const r = await get(u, { headers: fresh });
    assert.equal(r.status, 200, `${u}: ${r.text.slice(0, 200)}`);
    assert.ok(r.text.includes(name), `${u} names the facility (the check below sees its row)`);
    answers.push([u, r]);
  }
  const pr = answers.find(([u]) => u.startsWith('/api/products?q='))[1].json.items[0];
  answers.push(...await otherPublicAnswers(year, pr.id, app.json));
  const st = answers.find(([u]) => u === 'status GET')[1];
  assert.equal(st.status, 200, st.text);
  assert.ok(st.text.includes(name), 'the status answer names the facility');
  for (const [u, r] of answers) {
    assert.ok(r.status < 500, `${u}: ${r.status}`);
    assert.ok(!r.text.includes(pid), `${u} shows the personal identification number`);
    assert.ok(!r.text.includes(pid.slice(0, 9)), `${u} shows part of it`);
  }
});
