// Faults under a mixed load; see load.sh. Exits non-zero when a fault
// loses an acknowledged write, leaves more errors than requests in flight
// at the kills, or an interrupted import ends different from a clean one.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, VAR, TOP, sql, sleep, until } from '../lib.mjs';

const PHASE = Number(process.env.FAULT_SECONDS || 20) * 1000;
const CONC = 16;
const RUN = path.join(VAR, 'run');
const PROGRAMS = ['kc-dashboard', 'kc-products', 'kc-register'];
const pidOf = (n) => Number(fs.readFileSync(path.join(RUN, `${n}.pid`), 'utf8').trim());
const children = (pid) => {
  try { return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number); } catch { return []; }
};
const instance = (cmd) => execFileSync(path.join(TOP, 'sql', 'instance.sh'), [cmd], { env: { ...process.env, KC_VAR: VAR }, stdio: 'ignore' });
const rand = (n) => Math.floor(Math.random() * n);
const tag = `${Date.now().toString(36)}${rand(1e6).toString(36)}`;
let seq = 0;

// A call of our own, open and without a capacity, so that every valid
// application is accepted (a full call would answer 409).
const callId = Number(sql(`INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
  VALUES (YEAR(UTC_TIMESTAMP()), 'trade_fair', 'Đợt thử tải (faults)', UTC_TIMESTAMP() - INTERVAL 1 DAY,
  UTC_TIMESTAMP() + INTERVAL 1 DAY, 100000000); SELECT LAST_INSERT_ID()`)[0][0]);
const call = { id: callId };
const units = (await (await fetch(`${BASE}/api/units`)).json()).items;
const TERMS = ['keo', 'cu do', 'mat ong', 'nuoc mam', 'che', 'cam', 'ruou', 'my nghe', 'tram'];

// One request of the mixed workload; returns {ok, write?:ref_code, ms, status}.
async function one() {
  const k = rand(10);
  let url; let init = {};
  if (k < 4) url = `/api/products?q=${encodeURIComponent(TERMS[rand(TERMS.length)])}&page=${1 + rand(3)}&_=${rand(50)}`;
  else if (k < 5) url = `/api/products?year=${2018 + rand(8)}`;
  else if (k < 7) url = `/api/dashboard?year=2020&_=${rand(50)}`;
  else {
    url = '/api/applications';
    const n = ++seq;
    init = {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        call_id: call.id,
        facility: { name: `Cơ sở thử tải ${tag} ${n}`, owner_name: 'Nguyễn Văn Tải', phone: `09${String(10000000 + rand(89999999))}`,
          address: 'Thôn Thử', unit_code: units[rand(units.length)].code, kind: 'household' },
        products: ['Sản phẩm thử'], requested_vnd: 1000000, note: 'tải thử (faults)',
      }),
    };
  }
  const t0 = Date.now();
  try {
    const res = await fetch(BASE + url, { ...init, signal: AbortSignal.timeout(15000) });
    const body = await res.text();
    let write;
    if (res.status === 201) write = JSON.parse(body).ref_code;
    return { ok: res.status < 500, status: res.status, write, ms: Date.now() - t0 };
  } catch {
    return { ok: false, status: 0, ms: Date.now() - t0 };
  }
}

// Run the load for ms while fault() acts; gather counts.
async function phase(name, fault) {
  const st = { name, requests: 0, errors: 0, acked: [], statuses: {}, maxErrMs: 0, faults: 0 };
  const end = Date.now() + PHASE;
  const workers = Array.from({ length: CONC }, async () => {
    while (Date.now() < end) {
      const r = await one();
      st.requests++;
      st.statuses[r.status] = (st.statuses[r.status] || 0) + 1;
      if (!r.ok) { st.errors++; st.maxErrMs = Math.max(st.maxErrMs, r.ms); }
      if (r.write) st.acked.push(r.write);
    }
  });
  await Promise.all([...workers, fault(st, end)]);
  return st;
}

function found(refs) {
  if (refs.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < refs.length; i += 500) {
    const part = refs.slice(i, i + 500).map((r) => `'${r.replace(/[^A-Z0-9-]/g, '')}'`).join(',');
    n += Number(sql(`SELECT COUNT(*) FROM application WHERE ref_code IN (${part})`)[0][0]);
  }
  return n;
}

const rows = [];
let failed = false;

// 1. Workers killed with SIGKILL, one every 500 ms.
const workersBefore = Object.fromEntries(PROGRAMS.map((p) => [p, children(pidOf(p)).length]));
const kills = await phase('SIGKILL workers (every 0.5 s)', async (st, end) => {
  while (Date.now() < end - 1000) {
    await sleep(500);
    const p = PROGRAMS[rand(PROGRAMS.length)];
    const ws = children(pidOf(p));
    if (ws.length) { try { process.kill(ws[rand(ws.length)], 'SIGKILL'); st.faults++; } catch { /* gone */ } }
  }
});
await sleep(1000);
const restored = PROGRAMS.every((p) => children(pidOf(p)).length === workersBefore[p]);
kills.found = found(kills.acked);
kills.note = `${kills.faults} kills; workers restored: ${restored ? 'yes' : 'NO'}`;
if (kills.acked.length === 0 || kills.found !== kills.acked.length || kills.errors > kills.faults || !restored) failed = true;
rows.push(kills);

// 2. MariaDB stopped for 5 s, then started again.
const outage = await phase('MariaDB stopped 5 s, restarted', async (st) => {
  await sleep(PHASE / 4);
  instance('stop');
  st.faults++;
  await sleep(5000);
  instance('start');
});
const healthy = await until(async () => (await fetch(`${BASE}/api/health`)).status === 200, 15000);
outage.found = found(outage.acked);
outage.note = `slowest failed answer ${outage.maxErrMs} ms; 503s ${outage.statuses[503] || 0}; recovered: ${healthy ? 'yes' : 'NO'}`;
if (outage.acked.length === 0 || outage.found !== outage.acked.length || !healthy || outage.maxErrMs > 7000) failed = true;
rows.push(outage);

// 3. kc-import killed with SIGKILL at random points, then re-run.
const csv = path.join(VAR, 'faults-awards.csv');
{
  const lines = ['Danh sách thử (dữ liệu mẫu, faults)', 'STT;Tên sản phẩm;Tên cơ sở;Năm;Cấp;Huyện;Nhóm'];
  const districts = ['Can Lộc', 'Hương Sơn', 'Đức Thọ', 'TP. Hà Tĩnh', 'Thạch Hà', 'Cẩm Xuyên'];
  const levels = ['Cấp tỉnh', 'Cấp huyện', 'Khu vực', 'Quốc gia'];
  for (let i = 1; i <= 60000; i++) {
    lines.push(`${i};Sản phẩm thử ${i % 20000};Cơ sở thử ${i % 7000};${2018 + (i % 7)};${levels[i % 4]};${districts[i % 6]};Nhóm ${i % 9}`);
  }
  fs.writeFileSync(csv, `${lines.join('\r\n')}\r\n`);
}
const importer = path.join(TOP, 'build', 'kc-import');
const checksum = () => sql(`SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', p.name_key, f.ident, a.year, a.level, IFNULL(a.decision_no,''), IFNULL(a.decision_date,''), IFNULL(u.code,''), IFNULL(g.name_key,'')) ORDER BY p.name_key, f.ident, a.year, a.level SEPARATOR '\\n')), COUNT(*)
  FROM award a JOIN product p ON p.id = a.product_id JOIN facility f ON f.id = p.facility_id
  LEFT JOIN admin_unit u ON u.id = a.unit_id LEFT JOIN product_group g ON g.id = p.group_id
  WHERE p.name LIKE 'Sản phẩm thử %'`)[0];
const clearImported = () => sql(`DELETE a FROM award a JOIN product p ON p.id = a.product_id WHERE p.name LIKE 'Sản phẩm thử %';
  DELETE FROM product WHERE name LIKE 'Sản phẩm thử %';
  DELETE FROM facility WHERE name LIKE 'Cơ sở thử %' AND id NOT IN (SELECT facility_id FROM application);
  DELETE FROM product_group WHERE name LIKE 'Nhóm %' AND id NOT IN (SELECT group_id FROM product WHERE group_id IS NOT NULL)`);
const runImport = () => execFileSync(importer, ['--json', csv], { env: { ...process.env, KC_VAR: VAR }, maxBuffer: 1 << 28 });
sql('SET GLOBAL group_concat_max_len = 1073741824');
const t0 = Date.now();
runImport();
const cleanMs = Date.now() - t0;
const clean = checksum();
clearImported();
let interrupts = 0;
for (let i = 0; i < 6; i++) {
  const child = spawn(importer, [csv], { env: { ...process.env, KC_VAR: VAR }, stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  await sleep(100 + rand(Math.max(200, cleanMs - 100)));
  if (child.exitCode === null && child.kill('SIGKILL')) interrupts++;
  await exited;
}
runImport();
const after = checksum();
const same = clean[0] === after[0] && clean[1] === after[1];
if (!same) failed = true;
rows.push({ name: 'kc-import SIGKILLed, then re-run', requests: interrupts + 2, errors: interrupts, acked: { length: Number(clean[1]) }, found: Number(after[1]),
  note: `award rows, checksum ${same ? 'identical' : 'DIFFERENT'} to a clean import (${clean[0].slice(0, 12)})` });

console.log(`\nclean import of 60 000 rows: ${cleanMs} ms; ${interrupts} imports killed part-way`);
console.log(`\n${'fault'.padEnd(34)} ${'requests'.padStart(9)} ${'errors'.padStart(7)} ${'acked'.padStart(7)} ${'found'.padStart(7)}  note`);
for (const r of rows) {
  console.log(`${r.name.padEnd(34)} ${String(r.requests).padStart(9)} ${String(r.errors).padStart(7)} ${String(r.acked.length).padStart(7)} ${String(r.found).padStart(7)}  ${r.note}`);
}
console.log(failed ? '\nfaults: FAILED' : '\nfaults: every acknowledged write found, errors within the faults');
process.exit(failed ? 1 : 0);
