// Issue 21 in the browser, at 360 px and 1280 px: from a product to its
// facility's page (awards with their codes and QR labels, CSV, no sideways
// scroll, labelled tables), and the verification form on the products page
// typed with the keyboard (lower case, O for 0, I/L for 1) to the award's
// page; an unknown code gives the Vietnamese not-found page.
import test from 'node:test';
import assert from 'node:assert/strict';
import { BASE, sql } from '../lib.mjs';
import { launch, newPage, screenshot } from '../browser.mjs';
import { kcImport, tmpFile, csv, suffix } from '../http/import-helpers.mjs';

const tag = suffix();
let browser; let code; let fid;
test.before(async () => {
  const r = kcImport(['--json', tmpFile(`facility-${tag}.csv`, csv([
    [`Nón lá ${tag}`, `Cơ sở nón Ba Đồn ${tag}`, 'Huyện Can Lộc', 2022, 'Cấp tỉnh', '45/QĐ-UBND', '10/10/2022', ''],
  ]))]);
  assert.equal(r.status, 0, r.stderr);
  [code, fid] = sql(`SELECT a.verify_code, p.facility_id FROM award a JOIN product p ON p.id = a.product_id WHERE p.name = 'Nón lá ${tag}'`)[0];
  browser = await launch();
});
test.after(async () => { await browser?.close(); });

for (const phone of [true, false]) {
  test(`the facility page from its product (${phone ? '360' : '1280'} px)`, async () => {
    const page = await newPage(browser, { phone });
    await page.goto(`${BASE}/products.html?q=${encodeURIComponent(`non la ${tag}`)}`);
    await page.click(`#list a[href="/co-so.html?id=${fid}"]`);
    await page.waitForFunction((t) => document.querySelector('#title').textContent === `Cơ sở nón Ba Đồn ${t}`, tag);
    assert.equal(await page.locator('#awards caption').textContent(), 'Các lần sản phẩm của cơ sở được công nhận');
    const printed = `${code.slice(0, 4)}-${code.slice(4)}`;
    assert.equal(await page.locator(`#awards a[href="/xac-minh/${code}"]`).textContent(), printed);
    assert.equal(await page.getAttribute(`#awards a[href="/api/awards/${code}/qr.png"]`, 'aria-label'), `Nhãn QR ${printed} dạng PNG`);
    assert.equal(await page.getAttribute('#csv', 'href'), `/api/facilities/${fid}.csv`);
    assert.match(await page.locator('#asof').textContent(), /Số liệu tính đến \d\d:\d\d \d\d\/\d\d\/\d{4} \(giờ Việt Nam\)/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= (phone ? 360 : 1280), `no sideways scroll (${width})`);
    assert.deepEqual(page.errors, []);
    await screenshot(page, `facility-${phone ? 'phone' : 'desktop'}`);
  });
}

test('the verification form at 360 px, keyboard only: a code typed loosely, and an unknown one', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/products.html`);
  await page.focus('#verify-code');
  const loose = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'i');
  await page.keyboard.type(loose);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.verify.valid');
  assert.match(await page.locator('h1').textContent(), /hợp lệ/);
  assert.match(await page.locator('main').textContent(), new RegExp(`Nón lá ${tag}`));
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scroll (${width})`);
  await screenshot(page, 'verify-valid-phone');
  await page.goto(`${BASE}/products.html`);
  assert.equal(await page.locator('label[for="verify-code"]').count(), 1);
  await page.focus('#verify-code');
  await page.keyboard.type('zzzz-zzzz');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.error-box');
  assert.match(await page.locator('.error-box').textContent(), /Không tìm thấy danh hiệu nào có mã xác minh này/);
  assert.equal(await page.locator('label[for="code"]').count(), 1, 'the form again, labelled');
});
