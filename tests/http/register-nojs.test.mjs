// Issue 4 without JavaScript: a plain form post (Accept prefers
// text/html) is answered with pages the server writes — the receipt
// (201) or its errors by field label (422 / 409 / 404), every value
// escaped — and the status is looked up by POST with the token in the
// body. JSON clients get exactly the JSON answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, http, post, sql, assertError } from '../lib.mjs';
import { BROWSER_FORM, body, countApps, formOf, makeCall, suffix } from './register-helpers.mjs';

const call = makeCall({ max: 15000000 });
const formPost = (path, b) => http('POST', path, { body: typeof b === 'string' ? b : formOf(b), headers: BROWSER_FORM });

// A page of the site: Vietnamese, its stylesheet, its header, no script.
function assertPage(r, status) {
  assert.equal(r.status, status, r.text.slice(0, 500));
  assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.match(r.text, /^<!doctype html>\n<html lang="vi">/);
  assert.match(r.text, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(r.text, /<link rel="stylesheet" href="\/css\/site.css">/);
  assert.match(r.text, /<main id="main">/);
  assert.doesNotMatch(r.text, /<script|style=/i);
  assert.match(r.headers.get('content-security-policy') || '', /default-src 'self'/);
}

// The text of the page's error list items.
const items = (html) => [...html.matchAll(/<li><strong>([^<]*)<\/strong>: ([^<]*)/g)].map((m) => `${m[1]}: ${m[2]}`);

async function applied(b) {
  const r = await formPost('/api/applications', b);
  assertPage(r, 201);
  const ref = /id="r-ref" class="secret">(KC-\d{4}-\d{6})</.exec(r.text)[1];
  const token = /id="r-token" class="secret">([A-Za-z0-9_-]{43})</.exec(r.text)[1];
  return { r, ref, token };
}

test('a form post with a bad field: 422 page listing the field by its label, nothing stored', async () => {
  const before = countApps(call);
  const b = await body(call, { 'facility.phone': '0912 34', requested_vnd: 16000000 });
  const r = await formPost('/api/applications', b);
  assertPage(r, 422);
  const li = items(r.text);
  assert.equal(li.length, 2, li.join('\n'));
  assert.match(li[0], /^Số điện thoại: Số điện thoại không hợp lệ/);
  assert.match(li[1], /^Số tiền đề nghị hỗ trợ: Vượt mức hỗ trợ tối đa của đợt này \(15\.000\.000 đ\)/);
  assert.match(r.text, /Đã nhập: «0912 34»/);
  assert.match(r.text, /<a href="\/register.html">/);
  assert.equal(countApps(call), before);
});

test('markup in values comes back escaped, never as markup', async () => {
  const s = suffix();
  const b = await body(call, {
    'facility.name': `<script>alert('${s}')</script>`, 'facility.owner_name': '"><img src=x onerror=alert(1)>',
    'facility.address': 'Thôn & xóm <b>đậm</b>',
  });
  b.products = ['<svg onload=alert(2)>'];
  const r = await formPost('/api/applications', b);
  assertPage(r, 422);
  assert.ok(r.text.includes(`Đã nhập: «&lt;script&gt;alert(&#39;${s}&#39;)&lt;/script&gt;»`), r.text);
  assert.ok(r.text.includes('«&quot;&gt;&lt;img src=x onerror=alert(1)&gt;»'));
  assert.ok(r.text.includes('«Thôn &amp; xóm &lt;b&gt;đậm&lt;/b&gt;»'));
  assert.ok(r.text.includes('«&lt;svg onload=alert(2)&gt;»'));
  assert.doesNotMatch(r.text, /<script|<img|<svg|<b>/);
  assert.deepEqual(items(r.text).map((l) => l.split(':')[0]), ['Tên cơ sở', 'Người đại diện', 'Địa chỉ', 'Sản phẩm']);
  assert.equal(sql(`SELECT COUNT(*) FROM facility WHERE name LIKE '%${s}%'`)[0][0], '0');
});

test('invalid UTF-8 in a value is not echoed; a long value is cut', async () => {
  const raw = `${formOf(await body(call))}&facility%5Bemail%5D=%C3%28x%40y.vn`.replace(/facility%5Bemail%5D=[^&]*&/, '');
  const r = await formPost('/api/applications', raw);
  assertPage(r, 422);
  assert.match(r.text, /<strong>E-mail<\/strong>: [^<]*<br>Đã nhập: «\(không phải văn bản UTF-8 hợp lệ\)»/);
  const long = await formPost('/api/applications', await body(call, { 'facility.name': 'Ơ'.repeat(300) }));
  assertPage(long, 422);
  assert.ok(long.text.includes(`«${'Ơ'.repeat(200)}…»`));
});

test('a form post that succeeds: 201 receipt page with both codes, escaped names; the codes work', async () => {
  const name = `Cơ sở "Hoa" & <Lá> ${suffix()}`.replace(/[<>]/g, '');
  const { r, ref, token } = await applied(await body(call, { 'facility.name': name }));
  assert.ok(r.text.includes(`<dd id="r-facility">${name.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}</dd>`), r.text);
  assert.match(r.text, /<dt>Số tiền đề nghị<\/dt><dd>10\.000\.000 đ<\/dd>/);
  assert.ok(r.text.includes(`action="/api/applications/${ref}/status"`));
  assert.ok(r.text.includes(`<input type="hidden" name="token" value="${token}">`));
  assert.ok(!(r.headers.get('location') || '').includes(token));
  const st = await get(`/api/applications/${ref}`, { headers: { 'X-Status-Token': token } });
  assert.equal(st.status, 200);
  assert.equal(st.json.facility.name, name);
});

test('duplicate, closed and unknown calls of a form post are pages too (409, 409, 404)', async () => {
  const b = await body(call);
  await applied(b);
  const dup = await formPost('/api/applications', b);
  assertPage(dup, 409);
  assert.match(dup.text, /Cơ sở này đã nộp hồ sơ cho đợt hỗ trợ này/);
  const closed = await formPost('/api/applications', await body(makeCall({ window: 'closed' })));
  assertPage(closed, 409);
  assert.match(closed.text, /hiện không nhận hồ sơ/);
  const full = makeCall({ capacity: 1 });
  await applied(await body(full));
  const fullR = await formPost('/api/applications', await body(full));
  assertPage(fullR, 409);
  assert.match(fullR.text, /Đợt hỗ trợ đã nhận đủ số hồ sơ/);
  const unknown = await formPost('/api/applications', await body(2000000000));
  assertPage(unknown, 404);
  assert.match(unknown.text, /Không tìm thấy đợt hỗ trợ này/);
});

test('JSON clients keep their JSON answers', async () => {
  const bad = await post('/api/applications', { json: await body(call, { 'facility.phone': '12' }) });
  assertError(assert, bad, 422, 'validation_failed');
  assert.deepEqual(Object.keys(bad.json.error.fields), ['facility.phone']);
  const ok = await post('/api/applications', { json: await body(call) });
  assert.equal(ok.status, 201);
  assert.match(ok.headers.get('content-type'), /application\/json/);
  assert.deepEqual(Object.keys(ok.json).sort(), ['ref_code', 'status', 'status_token']);
  // A form post that asks for JSON (Accept lists it) gets JSON.
  const f = await http('POST', '/api/applications', {
    body: formOf(await body(call, { 'facility.phone': '12' })),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html, application/json' },
  });
  assertError(assert, f, 422, 'validation_failed');
});

test('POST .../status with the token in the body: the GET\'s JSON for JSON clients, the same 404s', async () => {
  const b = await body(call);
  const created = await post('/api/applications', { json: b });
  const { ref_code: ref, status_token: token } = created.json;
  const viaGet = await get(`/api/applications/${ref}`, { headers: { 'X-Status-Token': token } });
  assert.equal(viaGet.status, 200);
  const viaJson = await post(`/api/applications/${ref}/status`, { json: { token } });
  assert.equal(viaJson.status, 200);
  assert.deepEqual(viaJson.json, viaGet.json);
  assert.equal(viaJson.headers.get('cache-control'), 'no-store');
  const viaForm = await post(`/api/applications/${ref}/status`, { form: { token }, headers: { accept: 'application/json' } });
  assert.deepEqual(viaForm.json, viaGet.json);
  const viaBody = await post('/api/applications/status', { form: { ref_code: ref.toLowerCase(), token } });
  assert.deepEqual(viaBody.json, viaGet.json);

  const other = await post('/api/applications', { json: await body(call) });
  const notFound = [
    await post(`/api/applications/${ref}/status`, { json: { token: `${token}x` } }),
    await post(`/api/applications/${ref}/status`, { json: {} }),
    await post(`/api/applications/${ref}/status`),
    await post(`/api/applications/${ref}/status`, { json: { token: other.json.status_token } }),
    await post('/api/applications/KC-1999-999999/status', { json: { token } }),
    await post('/api/applications/nonsense/status', { form: { token } }),
    await post('/api/applications/status', { form: { token } }),
  ];
  for (const r of notFound) assertError(assert, r, 404, 'not_found');
  assert.deepEqual(new Set(notFound.map((r) => r.text)).size, 1);
});

test('POST /api/applications/status from the status page without JavaScript: a page, escaped', async () => {
  const name = `Cơ sở & "Mây tre" ${suffix()}`;
  const { ref, token } = await applied(await body(call, { 'facility.name': name }));
  const [[id]] = sql(`SELECT id FROM application WHERE ref_code = '${ref}'`);
  sql(`UPDATE application SET status = 'rejected' WHERE id = ${id};
    INSERT INTO application_event (application_id, status, reason, amount_vnd) VALUES (${id}, 'rejected', '<i>Thiếu</i> giấy tờ & ảnh', 5000000)`);
  const r = await formPost('/api/applications/status', `ref_code=${encodeURIComponent(` ${ref.toLowerCase()} `)}&token=${token}`);
  assertPage(r, 200);
  assert.ok(r.text.includes(`<h1>Hồ sơ ${ref}</h1>`));
  assert.ok(r.text.includes('<span id="s-status" class="status-badge">Không được duyệt</span>'));
  assert.ok(r.text.includes(`<dd id="s-facility">${name.replace('&', '&amp;').replace(/"/g, '&quot;')}</dd>`), r.text);
  assert.match(r.text, /<dd id="s-requested">10\.000\.000 đ<\/dd>/);
  assert.match(r.text, /<dd id="s-approved">Chưa có<\/dd>/);
  assert.match(r.text, /<dd id="s-created">\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}<\/dd>/);
  const hist = [...r.text.matchAll(/<li><strong>([^<]*)<\/strong> — (\d{2}\/\d{2}\/\d{4} \d{2}:\d{2})/g)].map((m) => m[1]);
  assert.deepEqual(hist, ['Đã nộp', 'Không được duyệt']);
  assert.ok(r.text.includes('<div>Lý do: &lt;i&gt;Thiếu&lt;/i&gt; giấy tờ &amp; ảnh</div>'));
  assert.ok(r.text.includes('<div>Số tiền: 5.000.000 đ</div>'));
  // The receipt's button posts to the path form.
  const p = await formPost(`/api/applications/${ref}/status`, `token=${token}`);
  assertPage(p, 200);
  // Wrong token or unknown code: the same 404 page.
  const bad = await formPost('/api/applications/status', `ref_code=${ref}&token=sai-ma`);
  const unknown = await formPost('/api/applications/status', `ref_code=KC-1999-999999&token=${token}`);
  assertPage(bad, 404);
  assertPage(unknown, 404);
  assert.equal(bad.text, unknown.text);
  assert.match(bad.text, /Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này/);
  assert.match(bad.text, /<a href="\/status.html">/);
});
