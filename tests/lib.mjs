// Shared helpers for the HTTP and browser tests. The stack under test is
// started by tests/run.sh: KC_URL is its base URL, KC_VAR its state folder.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const TOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BASE = process.env.KC_URL || 'http://127.0.0.1:18080';
export const VAR = process.env.KC_VAR || path.join(TOP, 'var', 'test');
export const OUT = process.env.KC_TEST_OUT || path.join(TOP, 'tests', 'out');

// One HTTP request; returns {status, headers, text, json}.
export async function http(method, url, { body, headers = {}, json, form, redirect = 'manual' } = {}) {
  const h = { ...headers };
  let b = body;
  if (json !== undefined) { h['content-type'] = 'application/json'; b = JSON.stringify(json); }
  if (form !== undefined) { h['content-type'] = 'application/x-www-form-urlencoded'; b = new URLSearchParams(form).toString(); }
  const res = await fetch(BASE + url, { method, headers: h, body: b, redirect });
  const text = await res.text();
  let parsed;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  return { status: res.status, headers: res.headers, text, json: parsed };
}
// The whole body of a stream (a request a test server received, a
// response): resolves to {text, json} (json undefined if not JSON).
export function readBody(stream) {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (c) => { text += c; });
    stream.on('error', reject);
    stream.on('end', () => {
      let json;
      try { json = JSON.parse(text); } catch { json = undefined; }
      resolve({ text, json });
    });
  });
}

export const get = (url, opts) => http('GET', url, opts);
export const post = (url, opts) => http('POST', url, opts);

// A CSV download (GET url): asserts 200, text/csv in UTF-8 and the byte
// order mark; returns the text after the mark.
export async function getCsv(assert, url) {
  const res = await fetch(BASE + url);
  assert.equal(res.status, 200, url);
  assert.match(res.headers.get('content-type') || '', /^text\/csv; charset=utf-8/, url);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${url}: BOM`);
  return bytes.subarray(3).toString('utf8');
}

// Run SQL against the test database as its admin; returns rows of tab-separated fields.
export function sql(query) {
  const out = execFileSync(path.join(TOP, 'sql', 'instance.sh'), ['client', 'kc', '-N', '-B', '-e', query],
    { env: { ...process.env, KC_VAR: VAR }, encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

// Assert API.md's error shape with the given status and code.
export function assertError(assert, res, status, code) {
  assert.equal(res.status, status, `status ${res.status} body ${res.text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type') || '', /application\/json/);
  assert.ok(res.json && res.json.error, `error body: ${res.text.slice(0, 300)}`);
  assert.equal(res.json.error.code, code);
  assert.equal(typeof res.json.error.message, 'string');
  assert.ok(res.json.error.message.length > 0);
}

// A random year in [from, from + span) for which the SQL count `taken`
// (with {y} for the year) is 0: data of its own for a test.
export function freeYear(from, span, taken) {
  for (;;) {
    const y = from + Math.floor(Math.random() * span);
    if (sql(taken.replaceAll('{y}', y))[0][0] === '0') return y;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Wait until fn() returns truthy, up to ms; returns the last value.
export async function until(fn, ms = 10000, step = 100) {
  const end = Date.now() + ms;
  let v;
  while (Date.now() < end) {
    try { v = await fn(); } catch { v = undefined; }
    if (v) return v;
    await sleep(step);
  }
  return v;
}
