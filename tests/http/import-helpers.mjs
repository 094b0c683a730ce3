// Helpers for the award-list import tests: run kc-import, write CSV files
// with a unique suffix, checksum the imported content.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { TOP, VAR, sql } from '../lib.mjs';

export const BIN = process.env.KC_BIN || path.join(TOP, 'build-san');
export const KC_IMPORT = path.join(BIN, 'kc-import');
export const FIXTURES = path.join(TOP, 'tests', 'fixtures', 'import');
export const ENV = { ...process.env, KC_VAR: VAR, KC_LOG_QUIET: '1' };

// A fresh word for names: letters only, so that it is one search token.
export function suffix() {
  const abc = 'bcdfghjklmnpqrstvxz';
  let s = 'z';
  for (const b of crypto.randomBytes(7)) s += abc[b % abc.length];
  return s;
}

// kc-import ARGS... → {status, stdout, stderr, reports (with --json)}.
export function kcImport(args, { env = ENV } = {}) {
  const r = spawnSync(KC_IMPORT, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  let reports = [];
  if (args.includes('--json')) {
    reports = r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, reports };
}

export function startImport(args) {
  return spawn(KC_IMPORT, args, { env: ENV, stdio: ['ignore', 'ignore', 'ignore'] });
}

let tmpdir;
export function tmpFile(name, content) {
  tmpdir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'kc-import-'));
  const p = path.join(tmpdir, name);
  fs.writeFileSync(p, content);
  return p;
}

export const HEADER = 'Tên sản phẩm,Tên cơ sở,Huyện,Năm,Cấp,Số quyết định,Ngày quyết định,Nhóm sản phẩm';

// A CSV of rows [product, facility, district, year, level, dno, date, group].
export function csv(rows, { title = 'Danh sách thử nghiệm' } = {}) {
  const q = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v ?? ''));
  return [title, HEADER, ...rows.map((r) => r.map(q).join(','))].join('\r\n') + '\r\n';
}

// The content of everything imported whose facility name contains tag,
// with tag replaced, as one checksum computed by the server (ids and
// timestamps left out): {sum, rows}.
export function contentChecksum(tag) {
  const row = `CONCAT_WS('|', REPLACE(f.name, '${tag}', '#'), f.ident LIKE 'tax:%', COALESCE(f.address, ''),
      COALESCE(f.unit_id, 0), REPLACE(p.name, '${tag}', '#'), REPLACE(p.name_key, '${tag}', '#'),
      COALESCE(p.group_id, 0), p.last_year, COALESCE(p.unit_id, 0), p.sample, f.sample,
      a.year, a.level, COALESCE(a.decision_no, ''), COALESCE(a.decision_date, ''), COALESCE(a.unit_id, 0))`;
  const [[n, sum]] = sql(`SET SESSION group_concat_max_len = 1073741824;
    SELECT COUNT(*), SHA2(GROUP_CONCAT(${row} ORDER BY ${row} SEPARATOR '\\n'), 256)
    FROM facility f JOIN product p ON p.facility_id = f.id JOIN award a ON a.product_id = p.id
    WHERE f.name LIKE '%${tag}%'`);
  return { sum, rows: Number(n) };
}
