// Faults: a killed worker is replaced; with MariaDB killed or frozen the
// API answers 503 quickly and recovers by itself once it is back.
// Runs last (tests/run.sh), since it stops the database on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { get, VAR, TOP, until, sleep, assertError } from '../lib.mjs';

const RUN = path.join(VAR, 'run');
const pidOf = (name) => Number(fs.readFileSync(path.join(RUN, `${name}.pid`), 'utf8').trim());
const children = (pid) => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch { return []; }
};
// Alive and not a zombie (a killed server may wait for its reaper).
const alive = (pid) => {
  try { return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
};
// Stopped by a signal: every thread in state T (/proc/<pid>/task/*/stat).
const stopped = (pid) => {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).every((t) =>
      /^\d+ \(.*\) T/.test(fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8')));
  } catch { return false; }
};
// A URL the micro-cache has never seen, so the request reaches the program.
const fresh = (p) => `${p}${p.includes('?') ? '&' : '?'}nocache=${Date.now()}${Math.random()}`;
const startDb = () => execFileSync(path.join(TOP, 'sql', 'instance.sh'), ['start'], { env: { ...process.env, KC_VAR: VAR }, stdio: 'ignore' });

test('a worker killed with SIGKILL is replaced and requests keep succeeding', async () => {
  const sup = pidOf('kc-dashboard');
  const before = children(sup);
  assert.ok(before.length >= 1, 'workers running');
  for (const w of before) process.kill(w, 'SIGKILL');
  const after = await until(() => {
    const c = children(sup);
    return c.length === before.length && c.every((p) => !before.includes(p)) ? c : null;
  }, 10000);
  assert.ok(after, 'supervisor restarted every worker');
  let ok = 0;
  for (let i = 0; i < 40; i++) if ((await get('/api/health')).status === 200) ok++;
  assert.equal(ok, 40);
});

test('a worker asked to stop (SIGTERM) leaves at once, even idle, and is replaced', async () => {
  const sup = pidOf('kc-dashboard');
  const [w] = children(sup);
  const t0 = Date.now();
  process.kill(w, 'SIGTERM');
  const gone = await until(() => !alive(w), 3000, 20);
  assert.ok(gone, 'an idle worker left on SIGTERM');
  assert.ok(Date.now() - t0 < 3000);
  assert.ok(await until(() => children(sup).length === 2, 5000), 'replaced');
  assert.equal((await get('/api/health')).status, 200);
});

test('workers killed again and again keep coming back (no retry limit in the supervisor)', async () => {
  const sup = pidOf('kc-products');
  for (let round = 0; round < 8; round++) {
    const ws = await until(() => { const c = children(sup); return c.length === 2 ? c : null; }, 5000, 20);
    assert.ok(ws, `round ${round}: both workers back`);
    for (const w of ws) process.kill(w, 'SIGKILL');
    await sleep(150);
  }
  const back = await until(() => children(sup).length === 2, 5000, 50);
  assert.ok(back, 'supervisor still restoring workers after 16 kills');
  const r = await until(async () => { const x = await get(fresh('/api/products')); return x.status === 200 ? x : null; }, 5000);
  assert.ok(r, 'products answer again');
});

test('MariaDB killed: 503 "db":"down" within 2 s, no crashed worker, recovery without restart', async () => {
  const sup = pidOf('kc-dashboard');
  const workers = children(sup);
  const db = pidOf('mariadb');
  process.kill(db, 'SIGKILL');
  try {
    await until(() => !alive(db), 5000);
    for (let i = 0; i < 6; i++) {
      const t0 = Date.now();
      const r = await get('/api/health');
      const ms = Date.now() - t0;
      assert.equal(r.status, 503);
      assert.deepEqual(r.json, { status: 'unavailable', db: 'down' });
      assert.ok(ms < 2000, `answered in ${ms} ms`);
    }
    const d = await get(fresh('/api/districts'));
    assertError(assert, d, 503, 'unavailable');
  } finally {
    startDb();
  }
  const back = await until(async () => (await get('/api/health')).status === 200, 15000);
  assert.ok(back, 'health recovers');
  const d2 = await until(async () => { const x = await get(fresh('/api/districts')); return x.status === 200 ? x : null; }, 10000);
  assert.ok(d2 && d2.json.items.length === 13, 'queries recover');
  assert.deepEqual(children(sup).sort(), workers.sort(), 'same workers: none crashed or restarted');
});

test('MariaDB frozen (SIGSTOP): 503 within 2 s, recovers after SIGCONT', async () => {
  const sup = pidOf('kc-dashboard');
  const workers = children(sup);
  const db = pidOf('mariadb');
  process.kill(db, 'SIGSTOP');
  try {
    // kill() returns when the signal is sent, not when every thread of the
    // server has stopped: a request sent at once could still be answered.
    assert.ok(await until(() => stopped(db), 5000, 10), 'the server stops');
    for (let i = 0; i < 6; i++) {
      const t0 = Date.now();
      const r = await get('/api/health');
      const ms = Date.now() - t0;
      assert.equal(r.status, 503, `status ${r.status}`);
      assert.equal(r.json.db, 'down');
      assert.ok(ms < 2000, `answered in ${ms} ms`);
    }
    const t0 = Date.now();
    const d = await get(fresh('/api/districts'));
    assertError(assert, d, 503, 'unavailable');
    assert.ok(Date.now() - t0 < 8000, 'a query gives up after its read timeout');
  } finally {
    process.kill(db, 'SIGCONT');
  }
  const back = await until(async () => (await get('/api/health')).status === 200, 15000);
  assert.ok(back, 'health recovers');
  const d = await until(async () => { const x = await get(fresh('/api/districts')); return x.status === 200 ? x : null; }, 15000);
  assert.ok(d, 'queries recover');
  await sleep(200);
  assert.deepEqual(children(sup).sort(), workers.sort(), 'same workers');
});
