// Helpers of tests/browser/plans-seed.test.mjs: days in Việt Nam's time,
// a CSV read as RFC 4180 writes it, money as the pages print it, and the
// registration page opened until a call made just now is listed.
import assert from 'node:assert/strict';
import { BASE } from '../lib.mjs';

// YYYY-MM-DD of today (Asia/Ho_Chi_Minh) plus n days.
export function vnDayPlus(n) {
  const t = new Date(Date.now() + 7 * 3600e3 + n * 86400e3);
  return t.toISOString().slice(0, 10);
}

// "2.080.000.000 đ" → 2080000000 (an empty cell: 0).
export function vnd(text) {
  const t = String(text).replace(/[^\d-]/g, '');
  return t === '' ? 0 : Number(t);
}

// Rows of a CSV (quotes, doubled quotes, CRLF; a leading BOM dropped).
export function parseCsv(text) {
  const rows = [];
  let row = []; let cell = ''; let q = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// Open /register.html until the call titled title is listed (the list of
// calls is micro-cached for a few seconds).
export async function openRegister(page, title) {
  for (let i = 0; i < 30; i++) {
    await page.goto(`${BASE}/register.html`);
    await page.locator('select#call_id').waitFor();
    if (await page.getByRole('button', { name: `Đăng ký: ${title}` }).count()) return;
    await new Promise((res) => setTimeout(res, 500));
  }
  assert.fail('the new call never showed on /register.html');
}

// Open the public dashboard at year until it shows that year (its list of
// years is micro-cached: a plan published just now may not be in it yet).
export async function openDashboard(page, year) {
  for (let i = 0; i < 30; i++) {
    await page.goto(`${BASE}/?year=${year}`);
    await page.waitForFunction(() => document.getElementById('f-planned').textContent.includes('đ'));
    if (await page.inputValue('#year') === String(year)) return;
    await new Promise((res) => setTimeout(res, 500));
  }
  assert.fail(`the dashboard never offered ${year}`);
}
