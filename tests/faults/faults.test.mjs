// Faults: a killed worker is replaced; with MariaDB killed or frozen the
// API answers 503 quickly and recovers by itself once it is back.
// Runs last (tests/run.sh), since it stops the database on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { get, post, VAR, TOP, until, sleep, assertError } from '../lib.mjs';
import { makeCall, body } from '../http/register-helpers.mjs';

const RUN = path.join(VAR, 'run');
const WORKERS = Number(process.env.KC_WORKERS || 4);
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
// A program's workers: its supervisor's live children (pgrep also lists a
// killed worker the supervisor has not reaped yet).
const workersOf = (sup) => children(sup).filter(alive);
// Every worker of the program up (KC_WORKERS of them), none of `gone`:
// the list, once the supervisor has replaced what was killed.
const allUp = (sup, gone = []) => until(() => {
  const c = workersOf(sup);
  return c.length === WORKERS && c.every((p) => !gone.includes(p)) ? c.sort() : null;
}, 10000, 20);
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
// Sends MariaDB sig once every worker of kc-dashboard is up; returns the
// supervisor, its workers and the server's pid.
async function signalDb(sig) {
  const sup = pidOf('kc-dashboard');
  const workers = await allUp(sup);
  assert.ok(workers, 'workers running');
  const db = pidOf('mariadb');
  process.kill(db, sig);
  return { sup, workers, db };
}
// /api/health, six times with the database down: 503 within 2 s, "db":
// "down" (the whole body want, if given).
async function healthDown(want) {
  for (let i = 0; i < 6; i++) {
    const t0 = Date.now();
    const r = await get('/api/health');
    const ms = Date.now() - t0;
    assert.equal(r.status, 503, `status ${r.status}`);
    if (want) assert.deepEqual(r.json, want);
    else assert.equal(r.json.db, 'down');
    assert.ok(ms < 2000, `answered in ${ms} ms`);
  }
}
const healthUp = () => until(async () => (await get('/api/health')).status === 200, 15000);
// Health and a query answer again (the query within ms).
async function recovered(ms) {
  assert.ok(await healthUp(), 'health recovers');
  const d = await until(async () => { const x = await get(fresh('/api/districts')); return x.status === 200 ? x : null; }, ms);
  assert.ok(d && d.json.items.length === 13, 'queries recover');
}

test('a worker killed with SIGKILL is replaced and requests keep succeeding', async () => {
  const sup = pidOf('kc-dashboard');
  const before = await allUp(sup);
  assert.ok(before, 'workers running');
  for (const w of before) process.kill(w, 'SIGKILL');
  assert.ok(await allUp(sup, before), 'supervisor restarted every worker');
  let ok = 0;
  for (let i = 0; i < 40; i++) if ((await get('/api/health')).status === 200) ok++;
  assert.equal(ok, 40);
});

test('a worker asked to stop (SIGTERM) leaves at once, even idle, and is replaced', async () => {
  const sup = pidOf('kc-dashboard');
  const ws = await allUp(sup);
  assert.ok(ws, 'workers running');
  const [w] = ws;
  const t0 = Date.now();
  process.kill(w, 'SIGTERM');
  const gone = await until(() => !alive(w), 3000, 20);
  assert.ok(gone, 'an idle worker left on SIGTERM');
  assert.ok(Date.now() - t0 < 3000);
  assert.ok(await allUp(sup, [w]), 'replaced');
  assert.equal((await get('/api/health')).status, 200);
});

test('workers killed again and again keep coming back (no retry limit in the supervisor)', async () => {
  const sup = pidOf('kc-products');
  let killed = [];
  for (let round = 0; round < 8; round++) {
    const ws = await allUp(sup, killed);
    assert.ok(ws, `round ${round}: every worker back`);
    for (const w of ws) process.kill(w, 'SIGKILL');
    killed = killed.concat(ws);
  }
  const back = await allUp(sup, killed);
  assert.ok(back, `supervisor still restoring workers after ${killed.length} kills`);
  const r = await until(async () => { const x = await get(fresh('/api/products')); return x.status === 200 ? x : null; }, 5000);
  assert.ok(r, 'products answer again');
});

test('MariaDB killed: 503 "db":"down" within 2 s, no crashed worker, recovery without restart', async () => {
  const { sup, workers, db } = await signalDb('SIGKILL');
  try {
    await until(() => !alive(db), 5000);
    await healthDown({ status: 'unavailable', db: 'down' });
    const d = await get(fresh('/api/districts'));
    assertError(assert, d, 503, 'unavailable');
  } finally {
    startDb();
    // Whatever failed above, the next test starts on a recovered stack.
    await healthUp();
  }
  await recovered(10000);
  assert.deepEqual(children(sup).sort(), workers.sort(), 'same workers: none crashed or restarted');
});

test('MariaDB frozen (SIGSTOP): 503 within 2 s, recovers after SIGCONT', async () => {
  const { sup, workers, db } = await signalDb('SIGSTOP');
  try {
    // kill() returns when the signal is sent, not when every thread of the
    // server has stopped: a request sent at once could still be answered.
    assert.ok(await until(() => stopped(db), 5000, 10), 'the server stops');
    await healthDown();
    const t0 = Date.now();
    const d = await get(fresh('/api/districts'));
    assertError(assert, d, 503, 'unavailable');
    assert.ok(Date.now() - t0 < 8000, 'a query gives up after its read timeout');
  } finally {
    process.kill(db, 'SIGCONT');
    // Whatever failed above, the next test starts on a recovered stack.
    await healthUp();
  }
  await recovered(15000);
  await sleep(200);
  assert.deepEqual(children(sup).sort(), workers.sort(), 'same workers');
});

test('MariaDB restarted: the first transaction of every worker goes through (no 503 on a stale connection)', async () => {
  const call = makeCall();
  // Every kc-register worker holds a connection opened before the restart.
  const n = WORKERS * 2 * 3;
  for (let i = 0; i < n; i++) await get('/api/calls?nocache=' + Math.random());
  execFileSync(path.join(TOP, 'sql', 'instance.sh'), ['stop'], { env: { ...process.env, KC_VAR: VAR }, stdio: 'ignore' });
  startDb();
  assert.ok(await healthUp(), 'health recovers');
  // POST /api/applications starts with START TRANSACTION on the worker's
  // connection: it must reconnect and go on, as a statement does.
  const statuses = [];
  for (let i = 0; i < n; i++) statuses.push((await post('/api/applications', { json: await body(call) })).status);
  assert.deepEqual(statuses.filter((s) => s !== 201), [], `every application accepted: ${statuses.join(' ')}`);
});
