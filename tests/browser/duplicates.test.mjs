// The duplicates page (/admin/duplicates.html) at 360 px with the keyboard:
// an importer finds the pair the import raised side by side, merges it
// keeping the older spelling, sees the public listing change, un-merges
// from the merges list (the listing as before), corrects a product's name
// and reads it in «Lịch sử». An auditor reads without write buttons.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, http } from '../lib.mjs';
import { launch, screenshot, watchedPage, noInjection, signIn, fitsWidth } from '../browser.mjs';
import { mkUser, login } from '../http/staff-helpers.mjs';
import { suffix, csv } from '../http/import-helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const fresh = { headers: { cookie: 'kc_fresh=1' } };
const listing = async (q) => (await http('GET', `/api/products?q=${q}&per_page=100`, fresh)).text;

// Reach a control with the keyboard (Tab from the one before it) and press Enter.
async function press(page, locator) {
  await locator.evaluate((e) => e.scrollIntoView());
  await locator.focus();
  assert.equal(await locator.evaluate((e) => e === document.activeElement), true);
  await page.keyboard.press('Enter');
}
const noOverflow = async (page) => assert.ok(await fitsWidth(page), 'no sideways scrolling at 360 px');

test('importer merges a pair at 360 px with the keyboard, un-merges it, corrects a name with its history', async () => {
  const tag = suffix();
  const u = mkUser(['importer'], 'dup');
  const s = await login(u.username, u.password);
  const up = (rows) => http('POST', '/api/admin/imports', { body: Buffer.from(csv(rows), 'utf8'),
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'text/csv' } });
  const fac = `HTX Mắm ${tag}`;
  assert.equal((await up([[`Mắm tôm ${tag}`, fac, 'Huyện Nghi Xuân', 2021, 'Cấp huyện', '11/QĐ', '2/3/2021', '']])).status, 201);
  assert.equal((await up([[`Mắm tom ${tag}`, fac, 'Huyện Nghi Xuân', 2023, 'Cấp tỉnh', '', '', '']])).status, 201);
  const before = await listing(tag);
  assert.equal(JSON.parse(before).total, 2);

  const page = await watchedPage(browser);
  await signIn(page, u);
  await page.getByRole('link', { name: 'Trùng lặp, sửa danh sách' }).first().click();
  await page.waitForURL(/duplicates\.html/);
  const pair = page.getByRole('article', { name: `Cặp Mắm tôm ${tag} và Mắm tom ${tag}` });
  await pair.waitFor();
  assert.match(await pair.textContent(), /2021 · Cấp huyện · QĐ 11\/QĐ \(02\/03\/2021\)/);
  assert.match(await pair.textContent(), new RegExp(`Cơ sở: ${fac}`));
  await noOverflow(page);
  await screenshot(page, 'duplicates-360');

  await press(page, pair.getByRole('button', { name: `Giữ «Mắm tôm ${tag}», gộp bên kia vào` }));
  await page.locator('#msg').filter({ hasText: `Đã gộp «Mắm tom ${tag}» vào «Mắm tôm ${tag}».` }).waitFor();
  const merged = JSON.parse(await listing(tag));
  assert.deepEqual(merged.items.map((p) => p.name), [`Mắm tôm ${tag}`]);
  assert.deepEqual(merged.items[0].awards.map((a) => a.year), [2023, 2021]);
  assert.equal(await pair.count(), 0, 'the pair left the open queue');

  await press(page, page.locator('#merges tbody tr').first().getByRole('button', { name: /Hoàn tác lần gộp sản phẩm/ }));
  await page.locator('#msg').filter({ hasText: 'Đã hoàn tác lần gộp.' }).waitFor();
  assert.equal(await listing(tag), before, 'the listing byte for byte as before the merge');
  await pair.waitFor();

  // A correction, and its history.
  await press(page, pair.getByRole('button', { name: `Sửa và xem lịch sử: Mắm tom ${tag}` }));
  await page.locator('#edit-title').filter({ hasText: `Sửa: Mắm tom ${tag}` }).waitFor();
  // Each award offers its QR label (issue 21): PNG and SVG, served as images.
  const labels = page.locator('#awards .qr-labels');
  await labels.first().waitFor();
  for (const [kind, type] of [['PNG', /^image\/png/], ['SVG', /^image\/svg\+xml/]]) {
    const links = page.getByRole('link', { name: new RegExp(`^Tải nhãn QR ${kind} của giải năm \\d{4}, mã [0-9A-Z]{4}-[0-9A-Z]{4}$`) });
    assert.equal(await links.count(), await labels.count(), `a ${kind} link per award`);
    const href = await links.first().getAttribute('href');
    assert.match(href, new RegExp(`^/api/awards/[0-9A-Z]{8}/qr\\.${kind.toLowerCase()}$`));
    const res = await fetch(`${BASE}${href}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), type);
  }
  await page.getByLabel('Tên sản phẩm').fill(`Mắm tôm chua ${tag}`);
  await page.getByLabel('Tên sản phẩm').press('Enter');
  await page.locator('#msg').filter({ hasText: 'Đã sửa sản phẩm.' }).waitFor();
  await page.locator('#history').filter({ hasText: `name: Mắm tom ${tag} → Mắm tôm chua ${tag}` }).waitFor();
  assert.ok(JSON.parse(await listing(tag)).items.some((p) => p.name === `Mắm tôm chua ${tag}`));
  await noOverflow(page);
  await noInjection(page);
  // The sign-in page asks for a session first (401 before signing in).
  assert.deepEqual(page.errors.filter((e) => !/status of 401/.test(e)), []);

  // The auditor reads the queue and the merges, with no write button.
  const a = mkUser(['auditor'], 'aud');
  const ap = await watchedPage(browser);
  await signIn(ap, a);
  await ap.goto(`${BASE}/admin/duplicates.html`);
  await ap.locator('#merges table').waitFor();
  assert.equal(await ap.getByRole('button', { name: /Giữ «|Hoàn tác lần gộp|Không trùng/ }).count(), 0);
});
