// make cluster-test (issue 22): faults of a cluster under load; run by
// tests/cluster/faults.sh against the cluster it started. A bounded write
// load (registrations, through nginx to both application nodes) and a
// read load (dashboard, products) run throughout, while, one after the
// other: database node 1 is SIGKILLed and later restarted (it rejoins by
// IST); every process of application node 2 (each program's multiwatch
// and its workers, kc-notify's) is SIGKILLed and later started again;
// database node 2 is SIGSTOPped for 10 s, then SIGCONTed. Afterwards every
// application answered 201 must be on every database node, the three
// nodes' checksums of the main tables equal, and the reads must have kept
// succeeding. Prints a table as `make faults` does; exits 1 on a failure.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, TOP, sleep } from '../lib.mjs';

const CV = process.env.KC_CLUSTER_VAR;
const WRITERS = 4;
const READERS = 4;
const WRITE_PAUSE = 50;	// ms between one writer's requests: the bound
// Asynchronous: the load goes on while a node starts (a synchronous call
// would stop this process's readers and writers, and count its time as a
// gap: the 7.6 s once reported).
const execFileP = promisify(execFile);
const cluster = async (...a) => (await execFileP(path.join(TOP, 'nginx', 'cluster.sh'), a, { encoding: 'utf8', maxBuffer: 1 << 24 })).stdout;
const onNode = async (n, q) => (await cluster('db', String(n), 'client', 'kc', '-N', '-B', '-e', q)).trim();
const wsrep = async (n, v) => (await onNode(n, `SHOW GLOBAL STATUS LIKE '${v}'`)).split('\t')[1];
const pidIn = (f) => Number(fs.readFileSync(f, 'utf8').trim());
const children = (pid) => {
  try { return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number); } catch { return []; }
};
const rand = (n) => Math.floor(Math.random() * n);
const tag = `${Date.now().toString(36)}${rand(1e6).toString(36)}`;
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const log = (m) => console.log(`[${secs()} s] ${m}`);

const callId = Number(await onNode(1, `INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
  VALUES (YEAR(UTC_TIMESTAMP()), 'trade_fair', 'Đợt thử lỗi cụm (cluster-test)', UTC_TIMESTAMP() - INTERVAL 1 DAY,
  UTC_TIMESTAMP() + INTERVAL 1 DAY, 100000000); SELECT LAST_INSERT_ID()`));
const units = (await (await fetch(`${BASE}/api/units`)).json()).items;

// The current phase's counts; the load adds to whichever is current.
const phases = [];
let cur;
let stop = false;
let lastRead = Date.now();
function begin(name) {
  cur = { name, writes: 0, werr: 0, acked: [], unsure: [], reads: 0, rerr: 0, gap: 0, statuses: {}, note: '' };
  lastRead = Date.now();
  phases.push(cur);
  log(name);
}

async function writer() {
  let n = 0;
  while (!stop) {
    const p = cur;
    const b = {
      call_id: callId,
      facility: { name: `Cơ sở thử cụm ${tag} ${process.pid}-${n++}-${rand(1e9)}`, owner_name: 'Nguyễn Văn Cụm',
        phone: `09${String(10000000 + rand(89999999))}`, address: 'Thôn Thử', unit_code: units[rand(units.length)].code,
        kind: 'household' },
      products: ['Sản phẩm thử'], requested_vnd: 1000000, note: 'tải thử (cluster-test)',
    };
    let st = 0;
    try {
      const res = await fetch(`${BASE}/api/applications`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify(b), signal: AbortSignal.timeout(20000) });
      st = res.status;
      const text = await res.text();
      if (st === 201) p.acked.push(JSON.parse(text).ref_code);
    } catch { st = 0; }
    p.writes++;
    p.statuses[`w${st}`] = (p.statuses[`w${st}`] || 0) + 1;
    if (st !== 201) { p.werr++; if (st !== 429) p.unsure.push(b.facility.name); }
    await sleep(WRITE_PAUSE);
  }
}

async function reader() {
  while (!stop) {
    const p = cur;
    const url = rand(2) ? `/api/dashboard?year=2020&_=${rand(50)}` : `/api/products?page=${1 + rand(3)}&_=${rand(50)}`;
    let ok = false;
    try {
      const res = await fetch(BASE + url, { signal: AbortSignal.timeout(20000) });
      await res.arrayBuffer();
      ok = res.status === 200;
    } catch { /* counted */ }
    p.reads++;
    if (ok) {
      const now = Date.now();
      if (now - lastRead > p.gap) { p.gap = now - lastRead; p.gapAt = secs(); }
      lastRead = now;
    } else p.rerr++;
  }
}

// Node n's Synced state (4), waited for.
async function synced(n, ms = 120000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { if (await wsrep(n, 'wsrep_local_state') === '4' && await wsrep(n, 'wsrep_cluster_size') === '3') return true; } catch { /* not yet */ }
    await sleep(250);
  }
  return false;
}

begin('no fault (5 s)');
const load = [...Array.from({ length: WRITERS }, writer), ...Array.from({ length: READERS }, reader)];
let failed = false;

await sleep(5000);

// 1. Database node 1 SIGKILLed (application node 1's first), restarted.
begin('SIGKILL db node 1, restart');
{
  const logf = path.join(CV, 'node1', 'mariadb.log');
  const before = fs.existsSync(logf) ? fs.statSync(logf).size : 0;
  process.kill(pidIn(path.join(CV, 'node1', 'mariadb.pid')), 'SIGKILL');
  await sleep(8000);
  const seqOthers = Number(await wsrep(2, 'wsrep_last_committed'));
  const t = Date.now();
  await cluster('db', '1', 'start');
  const ok = await synced(1);
  const tail = fs.readFileSync(logf, 'utf8').slice(before);
  // Galera's joiner: "Receiving IST: N writesets" / "IST received";
  // a full copy says "Proceeding with SST".
  const ist = /Receiving IST|IST received/.test(tail) && !/Proceeding with SST/.test(tail);
  const last1 = Number(await wsrep(1, 'wsrep_last_committed'));
  cur.note = `rejoined ${ok ? 'yes' : 'NO'} in ${((Date.now() - t) / 1000).toFixed(1)} s by ${ist ? 'IST' : 'SST?'}; last_committed ${last1} (≥ ${seqOthers})`;
  if (!ok || !ist || last1 < seqOthers) failed = true;
  await sleep(3000);
}

// 2. Every process of application node 2, and its supervisors, SIGKILLed.
begin('SIGKILL app node 2 (all), restart');
{
  const run = path.join(CV, 'app2', 'run');
  const sups = fs.readdirSync(run).filter((f) => f.endsWith('.pid')).map((f) => pidIn(path.join(run, f)));
  const all = sups.flatMap((s) => [s, ...children(s)]);
  for (const p of all) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  await sleep(8000);
  const left = all.filter((p) => { try { process.kill(p, 0); return true; } catch { return false; } });
  await cluster('app', '2', 'start');
  cur.note = `${all.length} processes killed (${sups.length} supervisors), ${left.length} left; restarted`;
  if (left.length) failed = true;
  await sleep(4000);
}

// 3. Database node 2 (application node 2's first) stopped for 10 s.
begin('SIGSTOP db node 2 10 s, SIGCONT');
{
  const pid = pidIn(path.join(CV, 'node2', 'mariadb.pid'));
  process.kill(pid, 'SIGSTOP');
  await sleep(10000);
  process.kill(pid, 'SIGCONT');
  const t = Date.now();
  const ok = await synced(2);
  cur.note = `back to Synced ${ok ? 'yes' : 'NO'} ${((Date.now() - t) / 1000).toFixed(1)} s after SIGCONT`;
  if (!ok) failed = true;
  await sleep(3000);
}

begin('after the faults (5 s)');
await sleep(5000);
stop = true;
await Promise.all(load);

// Every acknowledged application, on every node.
for (const n of [1, 2, 3]) if (!(await synced(n, 60000))) { log(`node ${n} not synced`); failed = true; }
await sleep(1000);
const refsOn = async (n, refs) => {
  let k = 0;
  for (let i = 0; i < refs.length; i += 500) {
    const part = refs.slice(i, i + 500).map((r) => `'${r.replace(/[^A-Z0-9-]/g, '')}'`).join(',');
    k += Number(await onNode(n, `SELECT COUNT(*) FROM application WHERE ref_code IN (${part})`));
  }
  return k;
};
// Writes answered with an error that were stored all the same (the
// answer came before the commit's outcome: a timeout): for information.
const storedOf = async (names) => {
  if (!names.length) return 0;
  const list = names.map((x) => `'${x.replace(/'/g, "''")}'`).join(',');
  return Number(await onNode(1, `SELECT COUNT(*) FROM application a JOIN facility f ON f.id = a.facility_id WHERE f.name IN (${list})`));
};
for (const p of phases) {
  p.stored = await storedOf(p.unsure);
  p.found = await Promise.all([1, 2, 3].map((n) => refsOn(n, p.acked)));
  if (p.found.some((f) => f !== p.acked.length)) failed = true;
}
// The main tables' checksums, equal on the three nodes.
const TABLES = 'application, application_event, facility, support_call, call_place, product, award, audit_log, import_run, import_lock';
const sums = (await Promise.all([1, 2, 3].map((n) => onNode(n, `CHECKSUM TABLE ${TABLES}`)))).map((o) => o.split('\n').map((l) => l.split('\t')[1]).join(','));
const same = sums.every((s) => s === sums[0]);
if (!same) failed = true;

const all = phases.reduce((a, p) => ({ reads: a.reads + p.reads, rerr: a.rerr + p.rerr, gap: Math.max(a.gap, p.gap) }), { reads: 0, rerr: 0, gap: 0 });
const pct = (e, n) => `${(n ? (100 * e) / n : 0).toFixed(2)}%`;
console.log(`\n${'fault'.padEnd(34)} ${'writes'.padStart(7)} ${'w.err'.padStart(6)} ${'acked'.padStart(6)} ${'found n1/n2/n3'.padStart(16)} ${'reads'.padStart(6)} ${'r.err'.padStart(7)} ${'gap ms'.padStart(7)}  note`);
for (const p of phases) {
  console.log(`${p.name.padEnd(34)} ${String(p.writes).padStart(7)} ${String(p.werr).padStart(6)} ${String(p.acked.length).padStart(6)} ${p.found.join('/').padStart(16)} ${String(p.reads).padStart(6)} ${pct(p.rerr, p.reads).padStart(7)} ${String(p.gap).padStart(7)}  ${p.note}`);
  const odd = Object.entries(p.statuses).filter(([k]) => k !== 'w201').map(([k, v]) => `${k.slice(1) || '0'}×${v}`);
  if (odd.length) console.log(`${''.padEnd(34)} write answers other than 201: ${odd.join(', ')}; of them stored all the same: ${p.stored}`);
}
for (const p of phases) if (p.gapAt) console.log(`longest read gap of "${p.name}" ended at ${p.gapAt} s`);
console.log(`\nreads: ${all.reads}, errors ${pct(all.rerr, all.reads)}, longest gap without a successful read ${all.gap} ms`);
console.log(`checksums (${TABLES}): ${same ? 'equal on the three nodes' : `DIFFERENT\n  ${sums.join('\n  ')}`}`);
console.log(`took ${secs()} s`);
console.log(failed ? '\ncluster-test: FAILED' : '\ncluster-test: every acknowledged application on every node, the nodes equal');
process.exit(failed ? 1 : 0);
