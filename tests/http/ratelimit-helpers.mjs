// For the rate-limit tests (register-ratelimit, verify-ratelimit): reload
// the stack's nginx with other limits, and send requests from loopback
// addresses of their own (127.x.y.z), each of which nginx counts apart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { BASE, TOP, VAR, until, readBody } from '../lib.mjs';

// The nginx workers of the stack (children of its master).
export function nginxWorkers() {
  const master = fs.readFileSync(path.join(VAR, 'run', 'nginx.pid'), 'utf8').trim();
  try {
    return execFileSync('pgrep', ['-P', master], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch { return []; }
}

// Render nginx's configuration with the public forms' limit at rate
// ('60r/m') and burst, and reload it; returns when every worker of the old
// configuration has left, so that no request after this meets the old limits.
export async function reloadLimits(rate, burst) {
  const old = nginxWorkers();
  assert.ok(old.length > 0, 'nginx workers running');
  execFileSync('bash', [path.join(TOP, 'nginx', 'stack.sh'), 'reload'],
    { env: { ...process.env, KC_APPLY_RATE: rate, KC_APPLY_BURST: String(burst) }, stdio: 'ignore' });
  const done = await until(() => {
    const now = nginxWorkers();
    return now.length > 0 && old.every((p) => !now.includes(p) && !fs.existsSync(`/proc/${p}`));
  }, 30000, 50);
  assert.ok(done, 'nginx reloaded');
}

// The suite's limits again (tests/run.sh's figures).
export const restoreLimits = () =>
  reloadLimits(process.env.KC_APPLY_RATE || '30r/m', process.env.KC_APPLY_BURST || 10);

// A loopback address of a run's own: 127.x.y.z, never 127.0.0.1.
export const loopbackAddress = () =>
  `127.${crypto.randomInt(1, 255)}.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;

// Another loopback address than from.
export function otherAddress(from) {
  let other;
  do other = loopbackAddress(); while (other === from);
  return other;
}

const url = new URL(BASE);

// A request from the local address from, on a connection of its own, with
// a JSON or form body if given; resolves to {status, headers, type, text, json}.
export function requestFrom(from, method, p, { json, form } = {}) {
  let data = '';
  const headers = {};
  if (json !== undefined || form !== undefined) {
    data = json !== undefined ? JSON.stringify(json) : new URLSearchParams(form).toString();
    headers['content-type'] = json !== undefined ? 'application/json' : 'application/x-www-form-urlencoded';
    headers['content-length'] = Buffer.byteLength(data);
  }
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: p, method, localAddress: from, agent: false, headers,
    }, (res) => {
      readBody(res).then(({ text, json: parsed }) => resolve({
        status: res.statusCode, headers: new Headers(res.headers),
        type: res.headers['content-type'] || '', text, json: parsed,
      }), reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}
