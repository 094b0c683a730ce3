// The foundation: health, administrative units, and the error contract
// for unknown paths, wrong methods, oversized and malformed bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, get, getCsv, http, post, assertError } from '../lib.mjs';

test('GET /api/health answers ok with the database up', async () => {
  const r = await get('/api/health');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok', db: 'ok' });
  assert.match(r.headers.get('content-type'), /^application\/json; charset=utf-8/);
});

test('GET /api/districts lists district-level units, past ones included', async () => {
  const r = await get('/api/districts');
  assert.equal(r.status, 200);
  const city = r.json.items.find((d) => d.code === '436');
  assert.deepEqual(city, { code: '436', name: 'Thành phố Hà Tĩnh', kind: 'city', valid_from: null, valid_to: '2025-06-30' });
  assert.equal(r.json.items.length, 13);
  for (const d of r.json.items) assert.ok(['city', 'town', 'district'].includes(d.kind), d.kind);
  assert.ok(r.json.items.some((d) => d.code === '447' && d.name === 'Huyện Kỳ Anh'));
  assert.ok(r.json.items.some((d) => d.code === '449' && d.name === 'Thị xã Kỳ Anh'));
});

test('GET /api/districts.csv is CSV with BOM and header', async () => {
  const lines = (await getCsv(assert, '/api/districts.csv')).trim().split('\r\n');
  assert.equal(lines[0], 'code,name,kind,valid_from,valid_to');
  assert.equal(lines.length, 14);
  assert.ok(lines.includes('436,Thành phố Hà Tĩnh,city,,2025-06-30'));
});

test('GET /api/units by date: communes after the 2025 reform, districts before', async () => {
  const after = await get('/api/units?date=2025-07-01');
  assert.equal(after.status, 200);
  assert.equal(after.json.items.length, 69);
  assert.ok(after.json.items.every((u) => u.level === 'commune'));
  assert.ok(after.json.items.some((u) => u.code === '18073' && u.name === 'Phường Thành Sen'));
  const before = await get('/api/units?date=2025-06-30');
  assert.ok(before.json.items.every((u) => u.level === 'district'));
  assert.ok(before.json.items.some((u) => u.code === '436'));
  const today = await get('/api/units');
  assert.equal(today.json.items.length, 69);
});

test('GET /api/units with an impossible date → 422 naming the field', async () => {
  for (const d of ['2021-02-29', 'yesterday', '2021-13-01', "2021-01-01' OR 1=1 --"]) {
    const r = await get(`/api/units?date=${encodeURIComponent(d)}`);
    assertError(assert, r, 422, 'validation_failed');
    assert.ok(r.json.error.fields.date);
  }
});

test('unknown path → 404 JSON, also deep under /api/', async () => {
  for (const p of ['/api/nope', '/api/health/extra', '/api/', '/api/districts/436/x', '/api/products/1/../../x']) {
    assertError(assert, await get(p), 404, 'not_found');
  }
  // A path that is not UTF-8 is refused as malformed.
  assertError(assert, await get('/api/%ff'), 400, 'bad_request');
});

test('wrong method → 405 JSON with Allow', async () => {
  for (const m of ['POST', 'DELETE', 'PUT', 'PATCH']) {
    const r = await http(m, '/api/health');
    assertError(assert, r, 405, 'method_not_allowed');
    assert.match(r.headers.get('allow') || '', /GET/);
  }
});

test('oversized body → 413 JSON from nginx, not an HTML page', async () => {
  const r = await post('/api/health', { body: 'x'.repeat(200 * 1024), headers: { 'content-type': 'application/json' } });
  assertError(assert, r, 413, 'payload_too_large');
});

test('security headers on API and static responses', async () => {
  for (const p of ['/api/health', '/api/nope', '/', '/css/site.css']) {
    const r = await get(p);
    assert.match(r.headers.get('content-security-policy') || '', /default-src 'self'/, p);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', p);
  }
});

test('a body of an unsupported type → 415; malformed JSON → 400', async (t) => {
  // The applications endpoint takes JSON or a form: anything else is refused
  // before any handler runs.
  const r1 = await post('/api/applications', { body: '<xml/>', headers: { 'content-type': 'application/xml' } });
  assertError(assert, r1, 415, 'unsupported_media_type');
  for (const body of ['{', '{"a":1,}', '[1,2]', '{"a":1} trailing', '"str"', '{"a":"\\ud800"}', '\u0000']) {
    const r = await post('/api/applications', { body, headers: { 'content-type': 'application/json' } });
    assertError(assert, r, 400, 'bad_request');
  }
  const deep = '['.repeat(100) + ']'.repeat(100);
  assertError(assert, await post('/api/applications', { body: `{"a":${deep}}`, headers: { 'content-type': 'application/json' } }), 400, 'bad_request');
});

test('JSON answers carry their exact Content-Length, not chunks: fresh, micro-cached, errors, HEAD', async () => {
  // identity: nginx's gzip would chunk the compressed answer (checked last).
  const raw = { 'accept-encoding': 'identity' };
  const plans = `/api/plans?cl=${Math.random()}`;
  for (const [u, status] of [['/api/health', 200], [plans, 200], [plans, 200], ['/api/dashboard?year=2020', 200],
    ['/api/nope', 404], ['/api/dashboard?year=abc', 422], ['/api/dashboard?year=2999', 404]]) {
    const res = await fetch(BASE + u, { headers: raw });
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(res.status, status, u);
    assert.equal(res.headers.get('transfer-encoding'), null, u);
    assert.equal(res.headers.get('content-length'), String(body.length), u);
    assert.ok(JSON.parse(body.toString('utf8')), u);
  }
  const again = await fetch(BASE + plans, { headers: raw });
  assert.equal(again.headers.get('x-cache'), 'HIT');
  const head = await fetch(BASE + '/api/dashboard?year=2020', { method: 'HEAD', headers: { ...raw, cookie: 'kc=1' } });
  const whole = await fetch(BASE + '/api/dashboard?year=2020', { headers: { ...raw, cookie: 'kc=1' } });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), String((await whole.arrayBuffer()).byteLength));
  const gz = await fetch(BASE + '/api/dashboard?year=2020', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  assert.ok((await gz.json()).plan);
});
