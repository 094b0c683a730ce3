// Helpers of the registration tests (issue 4): calls created through
// SQL with unique titles, valid applications with unique facilities.
import crypto from 'node:crypto';
import { get, sql } from '../lib.mjs';

export const suffix = () => crypto.randomBytes(4).toString('hex');

// A valid Vietnamese tax code: nine random digits and the check digit
// (weights 31 29 23 19 17 13 7 5 3, check = 10 - sum mod 11, never 10).
export function taxCode() {
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (;;) {
    const d = Array.from({ length: 9 }, (_, i) => (i === 0 ? 3 : crypto.randomInt(10)));
    const c = 10 - (d.reduce((s, x, i) => s + x * w[i], 0) % 11);
    if (c <= 9) return d.join('') + c;
  }
}

// A call; window: 'open' | 'closed' | 'future'; capacity: places (none
// if not given). Returns its id.
export function makeCall({ window = 'open', max = 20000000, kind = 'trade_fair', title, capacity = null } = {}) {
  const t = title || `Đợt thử ${suffix()}`;
  const times = {
    open: ['UTC_TIMESTAMP() - INTERVAL 1 DAY', 'UTC_TIMESTAMP() + INTERVAL 30 DAY'],
    closed: ['UTC_TIMESTAMP() - INTERVAL 30 DAY', 'UTC_TIMESTAMP() - INTERVAL 1 DAY'],
    future: ['UTC_TIMESTAMP() + INTERVAL 10 DAY', 'UTC_TIMESTAMP() + INTERVAL 30 DAY'],
  }[window];
  const cap = capacity == null ? 'NULL' : Number(capacity);
  const rows = sql(`INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd, capacity)
    VALUES (YEAR(UTC_TIMESTAMP()), '${kind}', '${t}', ${times[0]}, ${times[1]}, ${max}, ${cap});
    SELECT LAST_INSERT_ID();`);
  return Number(rows[rows.length - 1][0]);
}

let unitCache;
// A commune-level unit valid today (what the form offers).
export async function unitCode() {
  if (!unitCache) {
    const r = await get('/api/units');
    unitCache = r.json.items[0].code;
  }
  return unitCache;
}

// A valid JSON body for callId, with a unique facility.
export async function body(callId, over = {}) {
  const s = suffix();
  const b = {
    call_id: callId,
    facility: {
      name: `Cơ sở mộc Thử ${s}`, tax_code: taxCode(), owner_name: 'Nguyễn Văn Thử',
      phone: '0912 345 678', email: `coso${s}@example.vn`, address: 'Thôn 1, xã Thử',
      unit_code: await unitCode(), kind: 'household',
    },
    products: ['Bàn ghế gỗ', 'Tủ thờ'],
    requested_vnd: 10000000,
    note: 'Đề nghị hỗ trợ gian hàng',
  };
  for (const [k, v] of Object.entries(over)) {
    if (k.startsWith('facility.')) {
      const f = k.slice(9);
      if (v === undefined) delete b.facility[f]; else b.facility[f] = v;
    } else if (v === undefined) delete b[k]; else b[k] = v;
  }
  return b;
}

export const countApps = (callId) => Number(sql(`SELECT COUNT(*) FROM application WHERE call_id = ${Number(callId)}`)[0][0]);

// The form-urlencoded body of a JSON body (what register.html sends
// without JavaScript).
export function formOf(b) {
  const f = new URLSearchParams();
  f.append('call_id', String(b.call_id));
  for (const [k, v] of Object.entries(b.facility)) f.append(`facility[${k}]`, v);
  for (const p of b.products || []) f.append('products', p);
  f.append('requested_vnd', String(b.requested_vnd));
  if (b.note !== undefined) f.append('note', b.note);
  return f.toString();
}

// What a browser without JavaScript sends with a form.
export const BROWSER_FORM = {
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
};
