// Web-attack checks with plain HTTP requests (also run by make security):
// security headers on every kind of response, no internals in errors, path
// traversal, oversized and slow bodies, method-override tricks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { get, http, post, BASE } from '../lib.mjs';

const HEADERS = {
  'content-security-policy': /default-src 'self'/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^DENY$/,
  'referrer-policy': /^same-origin$/,
};
const LEAKS = /(SQL syntax|MariaDB|mysql|SELECT |INSERT |stack trace|Traceback|segfault|\.c:\d+|errno|nginx\/\d)/i;

function checkHeaders(r, what) {
  for (const [h, re] of Object.entries(HEADERS)) assert.match(r.headers.get(h) || '', re, `${h} on ${what}`);
}

test('security headers on pages, assets, API answers, API errors and nginx errors', async () => {
  const cases = [
    ['GET', '/'], ['GET', '/products.html'], ['GET', '/css/site.css'], ['GET', '/js/api.js'],
    ['GET', '/no-such-page.html'], ['GET', '/api/health'], ['GET', '/api/districts.csv'],
    ['GET', '/api/products?q=keo'], ['GET', '/api/nope'], ['DELETE', '/api/health'],
    ['GET', '/api/units?date=bad'], ['GET', '/api/admin/users'], ['POST', '/api/applications'],
  ];
  for (const [m, p] of cases) checkHeaders(await http(m, p), `${m} ${p}`);
  const big = await post('/api/applications', { body: 'x'.repeat(100 * 1024), headers: { 'content-type': 'application/json' } });
  assert.equal(big.status, 413);
  checkHeaders(big, '413');
});

test('errors never show SQL, library or stack text, whatever the input', async () => {
  const hostile = ["'", '"', "1' OR '1'='1", '1;DROP TABLE product--', '%00', '\\', '<script>alert(1)</script>',
    'ｓｅｌｅｃｔ', '1 UNION SELECT password_hash FROM staff_user', '9'.repeat(40), '-1', '1e999'];
  const paths = (v) => [
    `/api/units?date=${encodeURIComponent(v)}`, `/api/dashboard?year=${encodeURIComponent(v)}`,
    `/api/beneficiaries?year=2020&district=${encodeURIComponent(v)}&page=${encodeURIComponent(v)}`,
    `/api/products?q=${encodeURIComponent(v)}&year=${encodeURIComponent(v)}&level=${encodeURIComponent(v)}`,
    `/api/products/${encodeURIComponent(v)}`, `/api/applications/${encodeURIComponent(v)}`,
    `/api/datapackage.json?year=${encodeURIComponent(v)}`,
  ];
  for (const v of hostile) {
    for (const p of paths(v)) {
      const r = await get(p);
      assert.ok(r.status < 500, `${p} → ${r.status}`);
      assert.doesNotMatch(r.text, LEAKS, `${p} leaked: ${r.text.slice(0, 200)}`);
    }
    const r = await post('/api/auth/login', { json: { username: v, password: v } });
    assert.ok(r.status < 500 || r.status === 503, `login ${r.status}`);
    assert.doesNotMatch(r.text, LEAKS);
  }
});

test('path traversal on static paths reveals nothing outside public/', async () => {
  const attempts = ['/../Makefile', '/..%2fMakefile', '/%2e%2e/%2e%2e/etc/passwd', '/css/..%2f..%2fMakefile',
    '/.git/config', '/js/../../sql/grants.sql', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/..\\..\\Makefile',
    '/vendor/../../var/secrets/kc_public.pw', '/_err/404.json', '/node_modules/chart.js/package.json'];
  for (const p of attempts) {
    const res = await fetch(BASE + p, { redirect: 'manual' });
    const text = await res.text();
    assert.ok([400, 403, 404].includes(res.status), `${p} → ${res.status}`);
    assert.doesNotMatch(text, /root:x:|CFLAGS|GRANT |\[core\]|"version"/, p);
  }
});

test('an oversized body is refused by nginx with JSON 413, nothing stored', async () => {
  const r = await post('/api/applications', { body: JSON.stringify({ note: 'x'.repeat(1024 * 1024) }), headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'payload_too_large');
});

test('a slow body is cut off by nginx (client_body_timeout)', async () => {
  const url = new URL(BASE);
  const t0 = Date.now();
  const result = await new Promise((resolve) => {
    const s = net.connect(Number(url.port), url.hostname, () => {
      s.write('POST /api/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":');
    });
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('close', () => resolve(data));
    s.on('error', () => resolve(data));
    setTimeout(() => { s.destroy(); resolve('still open'); }, 25000);
  });
  const secs = (Date.now() - t0) / 1000;
  assert.notEqual(result, 'still open', 'connection still open after 25 s');
  assert.ok(secs < 20, `closed after ${secs} s`);
  assert.doesNotMatch(result, /^HTTP\/1\.1 2/);
});

test('method-override tricks are not honoured', async () => {
  for (const h of ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override']) {
    const r = await http('GET', '/api/health', { headers: { [h]: 'DELETE' } });
    assert.equal(r.status, 200, h);
    const r2 = await http('POST', '/api/health', { headers: { [h]: 'GET' } });
    assert.equal(r2.status, 405, h);
  }
  const r3 = await post('/api/health?_method=GET', { form: { _method: 'GET' } });
  assert.equal(r3.status, 405);
  for (const m of ['TRACE', 'OPTIONS', 'PROPFIND']) {
    const r = await http(m, '/api/health').catch(() => ({ status: 405 }));
    assert.ok([405, 400, 501].includes(r.status), `${m} → ${r.status}`);
  }
});
