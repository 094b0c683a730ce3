// make backup-test (tests/backup/run.sh): a backup taken with sql/backup.sh
// while registrations are written through the HTTP API; restored beside
// (own state folder KC_RESTORE_VAR, own port RESTORE_PORT, the full stack),
// every application answered 201 before the backup began must be there and
// the restored stack must answer the health check, the public pages' API
// and a staff sign-in. A damaged or unprepared backup is refused, and so is
// a restore over a non-empty instance without FORCE=1. Then point-in-time
// recovery: the binary log replayed up to a moment keeps every write before
// it and none after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, VAR, TOP, sql, sleep } from '../lib.mjs';

const RVAR = process.env.KC_RESTORE_VAR || path.join(TOP, 'var', 'backup-restore');
const RPORT = process.env.RESTORE_PORT || '18381';
const RBASE = `http://127.0.0.1:${RPORT}`;
const SCRIPT = path.join(TOP, 'sql', 'backup.sh');
const KC_ADMIN = path.join(process.env.KC_BIN || path.join(TOP, 'build'), 'kc-admin');
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const DIR = path.join(VAR, 'backups', `test-${tag}`);
const rand = (n) => Math.floor(Math.random() * n);
const lit = (s) => `'${String(s).replace(/[^A-Za-z0-9-]/g, '')}'`;

// sql/backup.sh with args and extra environment: {code, out} (never throws).
function script(args, env = {}) {
  return new Promise((resolve) => {
    const p = spawn('bash', [SCRIPT, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('close', (code) => resolve({ code, out }));
  });
}
const restore = (dir, env = {}) => script(['restore', dir], { KC_VAR: RVAR, PORT: RPORT, ...env });
const stopRestored = (v = RVAR) => execFileSync('bash', [path.join(TOP, 'nginx', 'stack.sh'), 'stop'],
  { env: { ...process.env, KC_VAR: v }, stdio: 'ignore' });
const rsql = (q) => execFileSync(path.join(TOP, 'sql', 'instance.sh'), ['client', 'kc', '-N', '-B', '-e', q],
  { env: { ...process.env, KC_VAR: RVAR, KC_DB_SOCKET: '' }, encoding: 'utf8' })
  .split('\n').filter(Boolean).map((l) => l.split('\t'));

// Which of refs the database (run = sql or rsql) holds.
function present(run, refs) {
  const have = new Set();
  for (let i = 0; i < refs.length; i += 500) {
    const part = refs.slice(i, i + 500).map(lit).join(',');
    if (part) for (const [r] of run(`SELECT ref_code FROM application WHERE ref_code IN (${part})`)) have.add(r);
  }
  return have;
}

// A call of our own, open and without a capacity: every valid application
// is accepted.
const callId = Number(sql(`INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
  VALUES (YEAR(UTC_TIMESTAMP()), 'trade_fair', 'Đợt thử sao lưu', UTC_TIMESTAMP() - INTERVAL 1 DAY,
  UTC_TIMESTAMP() + INTERVAL 30 DAY, 100000000); SELECT LAST_INSERT_ID()`)[0][0]);
const units = (await (await fetch(`${BASE}/api/units`)).json()).items;
let seq = 0;

// One registration through the API: {ref, sent, answered} when 201.
async function register(base = BASE) {
  const n = ++seq;
  const sent = Date.now();
  const res = await fetch(`${base}/api/applications`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(20000),
    body: JSON.stringify({
      call_id: callId,
      facility: { name: `Cơ sở sao lưu ${tag} ${n}`, owner_name: 'Nguyễn Văn Lưu', phone: `09${String(10000000 + rand(89999999))}`,
        address: 'Thôn Thử', unit_code: units[rand(units.length)].code, kind: 'household' },
      products: ['Sản phẩm thử'], requested_vnd: 1000000, note: 'sao lưu thử',
    }),
  });
  const body = await res.text();
  return { status: res.status, ref: res.status === 201 ? JSON.parse(body).ref_code : undefined, sent, answered: Date.now() };
}

// Registrations from conc clients until stop() is called; returns
// {acks, errors, stop}.
function load(conc) {
  const st = { acks: [], errors: [], running: true };
  const done = Promise.all(Array.from({ length: conc }, async () => {
    while (st.running) {
      try {
        const r = await register();
        if (r.ref) st.acks.push(r); else st.errors.push(r.status);
      } catch (e) { st.errors.push(String(e)); }
    }
  }));
  st.stop = async () => { st.running = false; await done; };
  return st;
}

// A staff member made before the backup, to sign in on the restored stack.
const staff = { username: `saoluu${tag}`, password: `pw-${tag}-Saoluu` };
execFileSync(KC_ADMIN, ['user', 'add', staff.username, '--role', 'reviewer', '--name', 'Người thử sao lưu'],
  { input: `${staff.password}\n`, env: { ...process.env, KC_LOG_QUIET: '1' }, stdio: ['pipe', 'ignore', 'pipe'] });

let pre = [];
let wl;
let taken = {};

test('a backup taken under a write load is prepared and checksummed', async () => {
  wl = load(6);
  await sleep(2500);
  const began = Date.now();
  pre = wl.acks.filter((a) => a.answered < began).map((a) => a.ref);
  const t0 = Date.now();
  taken = await script(['backup'], { BACKUP_DIR: DIR });
  taken.ms = Date.now() - t0;
  await sleep(1500);
  await wl.stop();
  assert.equal(taken.code, 0, taken.out.slice(-2000));
  assert.ok(pre.length >= 10, `only ${pre.length} applications before the backup`);
  assert.ok(wl.acks.length > pre.length, 'no write during or after the backup');
  assert.deepEqual(wl.errors, [], 'every registration of the load answered 201');
  for (const f of ['SHA256SUMS', 'backup.info', 'db/xtrabackup_checkpoints', 'db/kc/application.ibd']) {
    assert.ok(fs.existsSync(path.join(DIR, f)), `${f} in the backup`);
  }
  const info = fs.readFileSync(path.join(DIR, 'backup.info'), 'utf8');
  assert.match(info, /^binlog_file=kc-bin\.\d+$/m);
  assert.match(info, /^binlog_pos=\d+$/m);
  assert.match(fs.readFileSync(path.join(DIR, 'db', 'xtrabackup_checkpoints'), 'utf8'), /^backup_type = log-applied$/m);
  // The backup account: a backup's privileges, no data.
  const asBackup = (q) => execFileSync('mariadb', ['--no-defaults', `--socket=${path.join(VAR, 'run', 'mysqld.sock')}`, '-u', 'kc_backup',
    `-p${fs.readFileSync(path.join(VAR, 'secrets', 'kc_backup.pw'), 'utf8').trim()}`, '-N', '-B', '-e', q],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(asBackup('SHOW GRANTS'), /GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SLAVE MONITOR ON \*\.\* TO `kc_backup`@`localhost`/);
  assert.throws(() => asBackup('SELECT COUNT(*) FROM kc.application'), /denied/);
  const size = execFileSync('du', ['-sm', DIR], { encoding: 'utf8' }).split('\t')[0];
  console.log(`# backup: ${(taken.ms / 1000).toFixed(1)} s, ${size} MB, ${pre.length} applications acknowledged before it, ${wl.acks.length} during the whole load`);
});

test('restored beside: every application acknowledged before the backup, health and smoke tests', async () => {
  const t0 = Date.now();
  const r = await restore(DIR);
  assert.equal(r.code, 0, r.out.slice(-2000));
  console.log(`# restore (copy, start, health check): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const have = present(rsql, pre);
  assert.deepEqual(pre.filter((x) => !have.has(x)), [], 'acknowledged before the backup, missing from the restore');
  // Nothing the source does not have: the restored rows are the source's.
  const restored = rsql(`SELECT ref_code FROM application WHERE facility_name LIKE 'Cơ sở sao lưu ${tag} %'`).map(([x]) => x);
  const src = present(sql, restored);
  assert.deepEqual(restored.filter((x) => !src.has(x)), []);

  const health = await (await fetch(`${RBASE}/api/health`)).json();
  assert.deepEqual(health, { status: 'ok', db: 'ok' });
  const dash = await fetch(`${RBASE}/api/dashboard`);
  assert.equal(dash.status, 200);
  assert.equal(typeof (await dash.json()), 'object');
  const prod = await fetch(`${RBASE}/api/products`);
  assert.equal(prod.status, 200);
  assert.ok((await prod.json()).items.length > 0, 'products in the restored catalogue');
  const login = await fetch(`${RBASE}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(staff),
  });
  assert.equal(login.status, 200, 'a staff member made before the backup signs in on the restore');
  assert.ok((await login.json()).csrf_token);
  // The restored programs write with the new state folder's passwords.
  const w = await register(RBASE);
  assert.equal(w.status, 201);
  assert.ok(present(rsql, [w.ref]).has(w.ref), 'a registration on the restored stack is stored');
});

test('a restore over a non-empty instance, a damaged or an unprepared backup is refused', async (t) => {
  stopRestored();
  let r = await restore(DIR);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /not empty: FORCE=1/);

  const bad = path.join(VAR, 'backups', `bad-${tag}`);
  const other = path.join(VAR, 'restore-bad');
  fs.rmSync(other, { recursive: true, force: true });
  // A restore that wrongly went through leaves nothing running.
  t.after(() => stopRestored(other));
  execFileSync('cp', ['-a', DIR, bad]);
  fs.appendFileSync(path.join(bad, 'db', 'kc', 'application.ibd'), 'x');
  r = await restore(bad, { KC_VAR: other });
  assert.notEqual(r.code, 0);
  assert.match(r.out, /checksums do not match: refusing/);
  assert.ok(!fs.existsSync(path.join(other, 'db')), 'nothing restored from a damaged backup');

  // As mariadb-backup leaves a backup before --prepare, checksums made again.
  fs.rmSync(bad, { recursive: true });
  execFileSync('cp', ['-a', DIR, bad]);
  const cp = path.join(bad, 'db', 'xtrabackup_checkpoints');
  fs.writeFileSync(cp, fs.readFileSync(cp, 'utf8').replace('log-applied', 'full-backuped'));
  execFileSync('bash', ['-c', 'cd "$1" && find . -type f ! -name SHA256SUMS -printf "%P\\0" | sort -z | xargs -0 sha256sum >SHA256SUMS', '-', bad]);
  r = await restore(bad, { KC_VAR: other });
  assert.notEqual(r.code, 0);
  assert.match(r.out, /not prepared/);
  assert.ok(!fs.existsSync(path.join(other, 'db')));
  fs.rmSync(bad, { recursive: true });
});

test('point-in-time recovery: the binary log replayed up to a moment', async () => {
  const before = [];
  for (let i = 0; i < 12; i++) before.push((await register()).ref);
  // The moment: the server's next second; the later writes start after it.
  const until = sql("SELECT DATE_FORMAT(NOW() + INTERVAL 1 SECOND, '%Y-%m-%d %H:%i:%s')")[0][0];
  await sleep(2200);
  const after = [];
  for (let i = 0; i < 6; i++) after.push((await register()).ref);
  assert.ok(before.every(Boolean) && after.every(Boolean), 'every write answered 201');
  assert.equal(present(sql, after).size, after.length, 'the later writes are in the source');

  const r = await restore(DIR, { FORCE: '1', UNTIL: until });
  assert.equal(r.code, 0, r.out.slice(-2000));
  assert.match(r.out, /replaying \d+ binary log file/);
  assert.ok(fs.readdirSync(RVAR).some((f) => f.startsWith('db.before-restore-')), 'FORCE=1 moved the old data aside');
  const all = [...wl.acks.map((a) => a.ref), ...before];
  const have = present(rsql, all);
  assert.deepEqual(all.filter((x) => !have.has(x)), [], 'written before the moment, missing after the recovery');
  assert.deepEqual([...present(rsql, after)], [], 'written after the moment, yet recovered');
  const health = await (await fetch(`${RBASE}/api/health`)).json();
  assert.deepEqual(health, { status: 'ok', db: 'ok' });
  console.log(`# point-in-time recovery to ${until}: ${all.length} writes kept, ${after.length} later ones left out`);
  stopRestored();
});
