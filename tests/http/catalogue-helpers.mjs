// Helpers for the catalogue tests (issue 20): an oracle kc-products worker
// answering from the SQL statements (KC_PRODUCTS_SQL=1, spawned here on a
// socket of its own, talked to with cgi-fcgi), and a generated catalogue
// with realistic word frequencies.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { VAR } from '../lib.mjs';
import { BIN } from './import-helpers.mjs';

// Start the oracle; returns {ask(url) → {status, type, body}, stop()}.
export async function startOracle() {
  const sock = path.join(VAR, 'run', `kc-products-oracle-${process.pid}.sock`);
  fs.rmSync(sock, { force: true });
  const child = spawn('spawn-fcgi', ['-n', '-s', sock, '-M', '0600', '--', path.join(BIN, 'kc-products')],
    { env: { ...process.env, KC_VAR: VAR, KC_PRODUCTS_SQL: '1', KC_LOG_QUIET: '1' }, stdio: 'ignore' });
  for (let i = 0; i < 100 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
  if (!fs.existsSync(sock)) throw new Error('the oracle did not start');
  const ask = (url) => {
    const u = new URL(url, 'http://x');
    const r = spawnSync('cgi-fcgi', ['-bind', '-connect', sock], {
      env: { REQUEST_METHOD: 'GET', DOCUMENT_URI: u.pathname, SCRIPT_NAME: u.pathname,
        REQUEST_URI: u.pathname + u.search, QUERY_STRING: u.search.slice(1), REMOTE_ADDR: '127.0.0.1',
        SERVER_PROTOCOL: 'HTTP/1.1', GATEWAY_INTERFACE: 'CGI/1.1', HTTP_COOKIE: 'oracle=1' },
      maxBuffer: 256 << 20 });
    const out = r.stdout;
    const end = out.indexOf('\r\n\r\n');
    const head = out.subarray(0, end).toString('utf8');
    const status = Number((/^Status: (\d+)/m.exec(head) || [0, 200])[1]);
    const type = (/^Content-Type: (.*)$/mi.exec(head) || [0, ''])[1].trim();
    return { status, type, body: out.subarray(end + 4).toString('utf8') };
  };
  const stop = () => { child.kill('SIGTERM'); fs.rmSync(sock, { force: true }); };
  return { ask, stop };
}

// A deterministic random generator (mulberry32).
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Product kinds as the office's lists have them: a few very common, a long
// tail rare (weights roughly Zipf), and made-up syllables for the rest.
export const KINDS = [
  ['Kẹo cu đơ', 30], ['Nước mắm', 24], ['Mật ong', 20], ['Bánh đa vừng', 12], ['Chè xanh', 10],
  ['Bưởi Phúc Trạch', 8], ['Rượu Nghèn', 6], ['Nón lá', 5], ['Tinh dầu bưởi', 4], ['Mắm ruốc', 4],
  ['Cam khô', 3], ['Gốm Trù Sơn', 2], ['Mộc mỹ nghệ', 2], ['Dầu lạc', 2], ['Đậu phụ', 1], ['Thêu tay', 1],
];
const ONSET = ['b', 'ch', 'đ', 'h', 'kh', 'l', 'm', 'ng', 'nh', 'ph', 'qu', 's', 't', 'th', 'tr', 'v', 'x'];
const RIME = ['ai', 'am', 'an', 'ang', 'anh', 'ao', 'ăn', 'âm', 'ên', 'ích', 'im', 'inh', 'oa', 'oan', 'óc',
  'ôi', 'ông', 'ơi', 'ơn', 'ua', 'uân', 'úc', 'ui', 'ung', 'ưa', 'ưng', 'ước', 'ương', 'ưởi'];
export const DISTRICTS = ['Huyện Can Lộc', 'TX Hồng Lĩnh', 'Huyện Hương Sơn', 'Huyện Đức Thọ', 'TP Hà Tĩnh',
  'Huyện Cẩm Xuyên', 'Huyện Thạch Hà', 'Huyện Nghi Xuân', 'Huyện Hương Khê', 'Huyện Vũ Quang',
  'TX Kỳ Anh', 'Huyện Kỳ Anh'];
const LEVELS = ['Cấp tỉnh', 'Cấp huyện', 'Cấp khu vực', 'Cấp quốc gia'];

// n rows [product, facility, district, year, level, dno, date, group] with tag in every
// facility name (and a rare word of its own in some product names).
export function catalogueRows(n, tag, seed = 20) {
  const rand = rng(seed);
  const total = KINDS.reduce((s, k) => s + k[1], 0);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const syl = () => pick(ONSET) + pick(RIME);
  const rows = [];
  for (let i = 0; i < n; i++) {
    let w = rand() * total * 1.6, kind = null;
    for (const k of KINDS) { if ((w -= k[1]) < 0) { kind = k[0]; break; } }
    const name = kind ? `${kind} ${syl()}${i % 7 === 0 ? ' ' + syl() : ''}` :
      `${syl()[0].toUpperCase()}${syl().slice(1)} ${syl()} ${syl()}`;
    const year = 2018 + Math.floor(rand() * 7);
    // Names that differ in case or marks only, in different facilities: the order's ties.
    const variant = i % 50 === 3 ? name.toLowerCase() : i % 50 === 4 ? name.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : name;
    rows.push([variant, `Cơ sở ${syl()} ${tag} ${i % 400}`, pick(DISTRICTS), year, pick(LEVELS),
      rand() < 0.5 ? `${i}/QĐ-UBND` : '', rand() < 0.5 ? `${1 + (i % 28)}/${1 + (i % 12)}/${year}` : '',
      rand() < 0.7 ? `Nhóm ${pick(['Thực phẩm', 'Đồ uống', 'Thủ công', 'Dược liệu'])}` : '']);
    // Some products win again in another year, at another level.
    if (i % 5 === 0) rows.push([variant, rows[rows.length - 1][1], pick(DISTRICTS), Math.min(year + 1, 2024), pick(LEVELS), '', '', '']);
  }
  return rows;
}
