// The public dashboard page (index.html) in Chromium, at phone and
// desktop width: 2020's published total, switching the year, a table
// behind every chart, screenshots in tests/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, sql } from '../lib.mjs';
import { launch, newPage, screenshot } from '../browser.mjs';

let browser;
let year;

// A plan of this test's own: one activity of 300.000.000 đ, half paid.
before(async () => {
  browser = await launch();
  for (;;) {
    year = 2100 + Math.floor(Math.random() * 800);
    if (sql(`SELECT COUNT(*) FROM plan WHERE year = ${year}`)[0][0] === '0') break;
  }
  sql(`INSERT INTO plan (year, title, total_vnd, status) VALUES (${year}, 'Kế hoạch thử ${year}', 300000000, 'published');
    INSERT INTO plan_content (year, code, title) VALUES (${year}, '1', 'Tư vấn, tập huấn, đào tạo'), (${year}, '2', 'Phát triển sản phẩm');
    INSERT INTO activity (year, content_code, title, unit_name, planned_vnd, status, progress)
      VALUES (${year}, '2', 'Hội chợ thử ${year}', 'Trung tâm thử', 300000000, 'in_progress', 50);
    SET @a = LAST_INSERT_ID();
    INSERT INTO facility (ident, name, name_fold, unit_id) SELECT 'name:co so thu ${year}|443', 'Cơ sở thử ${year}', 'co so thu ${year}', id FROM admin_unit WHERE code = '443' AND level = 'district';
    INSERT INTO disbursement (activity_id, amount_vnd, paid_on, facility_id, unit_id)
      SELECT @a, 150000000, '${year}-03-15', f.id, f.unit_id FROM facility f WHERE f.ident = 'name:co so thu ${year}|443';`);
});

after(async () => {
  await browser?.close();
});

async function open(phone, y) {
  const page = await newPage(browser, { phone });
  await page.goto(`${BASE}/${y ? `?year=${y}` : ''}`);
  return page;
}

test('2020 shows the published 2.080.000.000 đ, each chart has its table', async () => {
  const page = await open(true, 2020);
  await page.waitForFunction(() => document.getElementById('f-planned').textContent.includes('đ'));
  assert.equal(await page.textContent('#f-planned'), '2.080.000.000 đ');
  assert.equal(await page.textContent('#f-planned-short'), '2,08 tỷ đồng');
  assert.equal(await page.inputValue('#year'), '2020');
  for (const part of ['contents', 'units', 'areas', 'monthly']) {
    const n = await page.locator(`section[data-part="${part}"] canvas`).count();
    assert.equal(n, 1, `${part}: one chart`);
    const t = page.locator(`#t-${part} table`);
    assert.equal(await t.count(), 1, `${part}: a table behind the chart`);
    assert.ok((await t.locator('caption').textContent()).includes('2020'));
    assert.ok(await t.locator('th button.sort').count() >= 2, `${part}: sortable headers`);
  }
  // The content areas of the published plan are in the table.
  assert.ok((await page.textContent('#t-contents')).includes('Tư vấn, tập huấn, đào tạo'));
  // The charts are drawn once Chart.js has loaded.
  await page.waitForFunction(() => window.Chart && document.querySelectorAll('canvas').length === 4 &&
    [...document.querySelectorAll('canvas')].every((c) => window.Chart.getChart(c)));
  assert.ok((await page.getAttribute('a[href^="/api/datapackage.json"]', 'href')).includes('year=2020'));
  await screenshot(page, 'dashboard-2020-phone');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('switching the year changes the figures and the tables', async () => {
  const page = await open(false, 2020);
  await page.waitForFunction(() => document.getElementById('f-planned').textContent.includes('đ'));
  await page.selectOption('#year', String(year));
  await page.waitForFunction(() => document.getElementById('f-planned').textContent === '300.000.000 đ');
  assert.equal(await page.textContent('#f-disbursed'), '150.000.000 đ');
  assert.equal(await page.textContent('#f-share'), '50%');
  assert.match(page.url(), new RegExp(`year=${year}`));
  await page.waitForFunction((y) => document.getElementById('t-benef').textContent.includes(`Cơ sở thử ${y}`), year);
  assert.ok((await page.textContent('#t-areas')).includes('Huyện Can Lộc'));
  assert.ok((await page.textContent('#t-monthly')).includes(`03/${year}`));
  // A sortable table: sorting by amount puts the largest last, then first.
  await page.click('#t-activities th:nth-child(5) button');
  assert.equal(await page.getAttribute('#t-activities th:nth-child(5)', 'aria-sort'), 'ascending');
  await screenshot(page, 'dashboard-desktop');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

// 2020's beneficiaries are still on their way when the user picks another
// year: held back here until the new year's table shows, that answer must
// not replace it (on a slow machine it came last and did).
test('an answer for the year shown before, arriving late, does not replace the new one', async () => {
  const page = await newPage(browser, { phone: false });
  const old = (u) => u.pathname === '/api/beneficiaries' && u.searchParams.get('year') === '2020';
  let release;
  const released = new Promise((r) => { release = r; });
  const cap = setTimeout(release, 30000);
  let asked;
  const oldAsked = new Promise((r) => { asked = r; });
  await page.route((u) => old(new URL(u)), async (route) => { asked(); await released; await route.continue(); });
  try {
    await page.goto(`${BASE}/?year=2020`);
    await oldAsked;
    await page.selectOption('#year', String(year));
    await page.waitForFunction((y) => document.getElementById('t-benef').textContent.includes(`Cơ sở thử ${y}`), year);
    const done = page.waitForEvent('requestfinished', (r) => old(new URL(r.url())));
    release();
    await done;
    // Give the page the time to handle that answer.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.ok((await page.textContent('#t-benef')).includes(`Cơ sở thử ${year}`), 'the new year\'s beneficiaries stay');
    assert.equal(await page.textContent('#f-planned'), '300.000.000 đ');
    assert.deepEqual(page.errors, []);
  } finally {
    release();
    clearTimeout(cap);
  }
  await page.context().close();
});

test('the page is light: under 300 KB compressed, figures before charts', async () => {
  const page = await newPage(browser, { phone: true });
  let bytes = 0;
  const client = await page.context().newCDPSession(page);
  await client.send('Network.enable');
  client.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  // The chart library is held back until the figures show (at most 30 s):
  // the figures must not wait for it, however slow the machine is.
  let release;
  const released = new Promise((r) => { release = r; });
  const cap = setTimeout(release, 30000);
  await page.route('**/vendor/chart.umd.min.js', async (route) => {
    await released;
    await route.continue();
  });
  try {
    await page.goto(`${BASE}/?year=2020`, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.getElementById('f-planned').textContent.includes('đ'), null, { timeout: 25000 });
    assert.equal(await page.evaluate(() => typeof window.Chart), 'undefined', 'figures shown before the chart library');
  } finally {
    release();
    clearTimeout(cap);
  }
  await page.waitForLoadState('networkidle');
  assert.ok(bytes > 0 && bytes < 300 * 1024, `transferred ${bytes} bytes`);
  await page.context().close();
});
