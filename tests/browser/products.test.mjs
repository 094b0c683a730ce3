// products.html on a 360 px phone: search without diacritics, open a
// product, keyboard only for the search; a screenshot of each view.
import test from 'node:test';
import assert from 'node:assert/strict';
import { BASE } from '../lib.mjs';
import { launch, newPage, screenshot } from '../browser.mjs';
import { kcImport, tmpFile, csv, suffix } from '../http/import-helpers.mjs';

const tag = suffix();
let browser;
test.before(async () => {
  const r = kcImport(['--json', tmpFile(`browser-${tag}.csv`, csv([
    [`Kẹo cu đơ ${tag}`, `Cơ sở kẹo Thiên Cầm ${tag}`, 'Huyện Cẩm Xuyên', 2019, 'Cấp tỉnh', '3201/QĐ-UBND', '20/11/2019', 'Thực phẩm'],
    [`Kẹo cu đơ ${tag}`, `Cơ sở kẹo Thiên Cầm ${tag}`, 'Huyện Cẩm Xuyên', 2021, 'Cấp khu vực', '102/QĐ-BCT', '8/12/2021', 'Thực phẩm'],
    [`<b>Mắm</b> ${tag}`, `Cơ sở mắm ${tag}`, 'TX Kỳ Anh', 2020, 'Cấp tỉnh', '', '', ''],
  ]))]);
  assert.equal(r.status, 0, r.stderr);
  browser = await launch();
});
test.after(async () => { await browser?.close(); });

test('search without diacritics at 360 px, open the product, come back', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/products.html`);
  // The first list has answered: the page has filled its form from the URL
  // (#count says "Đang tải…" from the start, so it cannot tell; typing
  // sooner lost what was typed to that filling on a loaded machine).
  await page.waitForFunction(() => /Tìm thấy|Không tìm thấy/.test(document.querySelector('#count').textContent));
  // Keyboard: focus the search box, type without diacritics, press Enter.
  await page.focus('#q');
  await page.keyboard.type(`keo cu do ${tag}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /Tìm thấy 1 sản phẩm/.test(document.querySelector('#count').textContent));
  assert.match(page.url(), new RegExp(`q=keo\\+cu\\+do\\+${tag}`), 'the search is in the URL');
  const names = await page.$$eval('#list h3', (hs) => hs.map((h) => h.textContent));
  assert.deepEqual(names, [`Kẹo cu đơ ${tag}`]);
  const csvHref = await page.getAttribute('#csv', 'href');
  assert.match(csvHref, /^\/api\/products\.csv\?q=/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scroll at 360 px (${width})`);
  await screenshot(page, 'products-search-phone');

  await page.click(`#list h3 a`);
  await page.waitForFunction((t) => document.querySelector('#detail-title').textContent === `Kẹo cu đơ ${t}`, tag);
  assert.match(page.url(), /id=\d+/);
  const rows = await page.$$eval('#detail-awards tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.deepEqual(rows.map((r) => r.slice(0, 4)), [['2021', 'Cấp khu vực', '102/QĐ-BCT', '08/12/2021'], ['2019', 'Cấp tỉnh', '3201/QĐ-UBND', '20/11/2019']]);
  await screenshot(page, 'products-detail-phone');
  await page.goBack();
  await page.waitForFunction(() => !document.querySelector('#results').hidden);
  assert.equal(await page.inputValue('#q'), `keo cu do ${tag}`);
  assert.deepEqual(page.errors, []);
});

// The first list (no filter) is still on its way when the user searches:
// its answer, held back here until the search has answered, must not
// replace the search's result (on a slow machine it came last, and the
// page showed every product).
test('an earlier answer that arrives late does not replace the search', async () => {
  const page = await newPage(browser);
  const first = (u) => u.pathname === '/api/products' && !u.searchParams.has('q');
  let release;
  const released = new Promise((r) => { release = r; });
  const cap = setTimeout(release, 30000);
  await page.route((u) => first(new URL(u)), async (route) => { await released; await route.continue(); });
  try {
    await page.goto(`${BASE}/products.html`);
    await page.waitForFunction(() => document.querySelector('#count').textContent === 'Đang tìm…');
    await page.fill('#q', `keo cu do ${tag}`);
    await page.press('#q', 'Enter');
    await page.waitForFunction(() => /Tìm thấy 1 sản phẩm/.test(document.querySelector('#count').textContent));
    const done = page.waitForEvent('requestfinished', (r) => first(new URL(r.url())));
    release();
    await done;
    // Give the page the time to handle that answer (its JSON, the list).
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.match(await page.textContent('#count'), /Tìm thấy 1 sản phẩm/);
    assert.deepEqual(await page.$$eval('#list h3', (hs) => hs.map((h) => h.textContent)), [`Kẹo cu đơ ${tag}`]);
    assert.deepEqual(page.errors, []);
  } finally {
    release();
    clearTimeout(cap);
  }
});

test('a shared URL with filters restores them; HTML in names stays text', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/products.html?q=mam+${tag}&level=province&district=449`);
  await page.waitForFunction(() => /Tìm thấy 1 sản phẩm/.test(document.querySelector('#count').textContent));
  assert.equal(await page.inputValue('#level'), 'province');
  assert.equal(await page.inputValue('#district'), '449');
  const h = await page.$eval('#list h3', (e) => ({ text: e.textContent, bold: e.querySelector('b') !== null }));
  assert.equal(h.text, `<b>Mắm</b> ${tag}`);
  assert.equal(h.bold, false);
  await page.goto(`${BASE}/products.html?q=khong+co+gi+${tag}`);
  await page.waitForFunction(() => /Không tìm thấy/.test(document.querySelector('#count').textContent));
  assert.deepEqual(page.errors, []);
});
