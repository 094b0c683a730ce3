// Issue 16, point 3, in the browser: pages show dates and times as they are
// in Hà Tĩnh (Asia/Ho_Chi_Minh) even in a browser set to another time zone
// (here New York, twelve hours behind), and staff give a call its days.
import test from 'node:test';
import assert from 'node:assert/strict';
import { BASE, sql, get, until } from '../lib.mjs';
import { launch } from '../browser.mjs';
import { mkUser, sfx } from '../http/staff-helpers.mjs';

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser?.close(); });

async function farPage() {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'America/New_York' });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

// 'YYYY-MM-DD' → 'DD/MM/YYYY'.
const dmy = (d) => d.split('-').reverse().join('/');

test('the products page offers the years up to Vietnam\'s current year (New Year\'s night in Hà Tĩnh)', async () => {
  const page = await farPage();
  // 00:30 on 01/01/2027 in Hà Tĩnh; still 31/12/2026 in New York (and in UTC).
  await page.clock.setFixedTime(new Date('2026-12-31T17:30:00Z'));
  await page.goto(`${BASE}/products.html`);
  await page.waitForSelector('#year option[value="2000"]', { state: 'attached' });
  const years = await page.$$eval('#year option', (os) => os.map((o) => o.value).filter((v) => v !== ''));
  assert.equal(years[0], '2027');
  assert.deepEqual(page.errors, []);
});

test('an open call shows its last day in Hà Tĩnh, not the browser\'s', async () => {
  const title = `Đợt múi giờ ${sfx()}`;
  // Closes at the Vietnamese midnight 900 days from now: its last day is
  // the day before (in New York, that midnight is still the afternoon before).
  // Open calls are listed latest closing first and the page shows the first
  // 100: no call the other tests leave open closes later than this one.
  const [[closes, last]] = sql(`SELECT DATE_FORMAT(c, '%Y-%m-%dT%H:%i:%sZ'), DATE_FORMAT(c + INTERVAL 7 HOUR - INTERVAL 1 SECOND, '%Y-%m-%d')
    FROM (SELECT TIMESTAMP(DATE(UTC_TIMESTAMP() + INTERVAL 7 HOUR) + INTERVAL 900 DAY) - INTERVAL 7 HOUR AS c) t`);
  sql(`INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
    VALUES (YEAR(UTC_TIMESTAMP()), 'training', '${title}', UTC_TIMESTAMP() - INTERVAL 1 DAY, '${closes.replace('T', ' ').replace('Z', '')}', 5000000)`);
  // The page's list is micro-cached (a stale copy while it refreshes):
  // load the page once the list it asks for holds the new call.
  assert.ok(await until(async () => (await get('/api/calls?open=1&per_page=100')).text.includes(title), 20000, 250), 'the list shows the call');
  const page = await farPage();
  await page.goto(`${BASE}/register.html`);
  const card = page.locator('article.card').filter({ hasText: title });
  await card.waitFor();
  assert.match(await card.textContent(), new RegExp(`Nhận hồ sơ đến hết ngày ${dmy(last)}`));
  assert.deepEqual(page.errors, []);
});

test('staff give a call its first and last days; it takes applications to the end of the last day in Hà Tĩnh', async () => {
  const u = mkUser(['reviewer'], 'tz');
  const page = await farPage();
  await page.goto(`${BASE}/admin/`);
  await page.getByLabel('Tên đăng nhập').fill(u.username);
  await page.getByLabel('Mật khẩu').fill(u.password);
  await page.getByLabel('Mật khẩu').press('Enter');
  await page.locator('#whoami:not(:empty)').waitFor();
  await page.goto(`${BASE}/admin/calls.html`);
  const title = `Đợt theo ngày ${sfx()}`;
  await page.locator('#calls table').waitFor();
  await page.fill('#c-year', '2026');
  await page.fill('#c-title', title);
  await page.fill('#c-opens', '2026-11-01');
  await page.fill('#c-closes', '2026-11-30');
  await page.fill('#c-max', '20000000');
  await page.click('button[type="submit"]');
  const row = page.locator('#calls tr').filter({ hasText: title });
  await row.waitFor();
  assert.match(await row.textContent(), /hết ngày 30\/11\/2026/);
  const [[opens, closes]] = sql(`SELECT opens_at, closes_at FROM support_call WHERE title = '${title}'`);
  assert.equal(opens, '2026-10-31 17:00:00');
  assert.equal(closes, '2026-11-30 17:00:00');

  // Editing only the title keeps the days (and their times) as they were.
  await row.getByRole('button', { name: `Sửa ${title}` }).click();
  assert.equal(await page.inputValue('#c-opens'), '2026-11-01');
  assert.equal(await page.inputValue('#c-closes'), '2026-11-30');
  await page.fill('#c-title', `${title} (sửa)`);
  await page.click('button[type="submit"]');
  await page.locator('#calls tr').filter({ hasText: `${title} (sửa)` }).waitFor();
  assert.deepEqual(sql(`SELECT opens_at, closes_at FROM support_call WHERE title = '${title} (sửa)'`), [['2026-10-31 17:00:00', '2026-11-30 17:00:00']]);
  assert.deepEqual(page.errors, []);
});
