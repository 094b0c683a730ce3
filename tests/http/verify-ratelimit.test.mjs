// Issue 21: looking an award up by its code (GET /xac-minh/{code}, GET
// /api/awards/{code}...) is limited per address as the public forms are
// (nginx zone kc_verify, at the application form's rate and burst). As
// register-ratelimit.test.mjs does, this file reloads nginx with 60 a
// minute and a burst of 20 and floods from a loopback address of its own;
// afterwards the suite's figures are restored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { BASE, TOP, VAR, get, until } from '../lib.mjs';

const RATE = 60;
const BURST = 20;
const N = 60;

const workers = () => {
  const master = fs.readFileSync(path.join(VAR, 'run', 'nginx.pid'), 'utf8').trim();
  try {
    return execFileSync('pgrep', ['-P', master], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch { return []; }
};
async function reload(rate, burst) {
  const old = workers();
  execFileSync('bash', [path.join(TOP, 'nginx', 'stack.sh'), 'reload'],
    { env: { ...process.env, KC_APPLY_RATE: rate, KC_APPLY_BURST: String(burst) }, stdio: 'ignore' });
  assert.ok(await until(() => {
    const now = workers();
    return now.length > 0 && old.every((p) => !now.includes(p) && !fs.existsSync(`/proc/${p}`));
  }, 30000, 50), 'nginx reloaded');
}
const address = () => `127.${crypto.randomInt(1, 255)}.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;
const FROM = address();
const url = new URL(BASE);
function getFrom(p, from = FROM) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: p, method: 'GET', localAddress: from, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] || '', text }));
      });
    req.on('error', reject);
    req.end();
  });
}

before(() => reload(`${RATE}r/m`, BURST));
after(() => reload(process.env.KC_APPLY_RATE || '30r/m', process.env.KC_APPLY_BURST || 10));

test('a flood of code lookups meets 429 (an HTML page for the page, JSON for the API); other addresses and the list are not limited', async () => {
  const t0 = Date.now();
  const res = await Promise.all(Array.from({ length: N }, () => getFrom('/xac-minh/ZZZZZZZZ')));
  const secs = Math.ceil((Date.now() - t0) / 1000);
  assert.equal(res.filter((r) => r.status >= 500).length, 0);
  assert.ok(res.every((r) => r.status === 404 || r.status === 429), [...new Set(res.map((r) => r.status))].join(','));
  const passed = res.filter((r) => r.status === 404);
  assert.ok(passed.length >= BURST + 1 && passed.length <= BURST + 2 + secs, `${passed.length} passed in ${secs} s`);
  assert.match(passed[0].text, /Không tìm thấy danh hiệu nào có mã xác minh này/);
  const limited = res.find((r) => r.status === 429);
  assert.match(limited.type, /text\/html/);
  assert.match(limited.text, /quá nhiều lần/);
  const api = await getFrom('/api/awards/ZZZZZZZZ');
  assert.equal(api.status, 429);
  assert.equal(JSON.parse(api.text).error.code, 'rate_limited');
  let other;
  do other = address(); while (other === FROM);
  assert.equal((await getFrom('/xac-minh/ZZZZZZZZ', other)).status, 404);
  assert.equal((await getFrom('/api/awards?per_page=1')).status, 200);
  assert.equal((await get('/api/facilities?per_page=1')).status, 200);
});
