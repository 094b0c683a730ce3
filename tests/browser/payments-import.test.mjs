// Payments in bulk on an activity's money book, at 360 px and with the
// keyboard: finance chooses the office's file, runs it dry (the report
// names each refused line; nothing is written), imports it for real (the
// book shows the four payments and the new figures), and the page fits
// the phone. The auditor sees the book without the import form.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, TOP, sql } from '../lib.mjs';
import { launch, screenshot, watchedPage, signIn, fitsWidth } from '../browser.mjs';
import { mkUser } from '../http/staff-helpers.mjs';
import { fixtureWorld } from '../http/payments-helpers.mjs';

const FILE = path.join(TOP, 'tests', 'fixtures', 'payments', 'giai-ngan-2020.csv');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const count = (aid) => Number(sql(`SELECT COUNT(*) FROM disbursement WHERE activity_id = ${aid}`)[0][0]);

test('finance: choose the file, dry run, then import for real, at 360 px with the keyboard', async () => {
  fixtureWorld();
  const title = `Giải ngân hàng loạt ${Math.random().toString(36).slice(2, 8)}`;
  const r = sql(`INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (2020, '1', '${title}', 'Trung tâm Khuyến công', 100000000); SELECT LAST_INSERT_ID();`);
  const aid = Number(r[r.length - 1][0]);
  sql(`INSERT INTO allocation (activity_id, amount_vnd, allocated_on) VALUES (${aid}, 50000000, '2020-06-01')`);
  const fin = mkUser(['finance'], 'bpf');
  const page = await watchedPage(browser);
  await signIn(page, fin, '#menu a');
  await page.goto(`${BASE}/admin/activity.html?id=${aid}`);
  await page.locator('#act-title').filter({ hasText: title }).waitFor();
  await page.getByRole('heading', { name: 'Nhập giải ngân từ tệp' }).waitFor();

  await page.getByLabel('Tệp CSV các khoản chi').setInputFiles(FILE);
  const real = page.getByRole('button', { name: 'Nhập thật' });
  assert.equal(await real.isDisabled(), true, 'no real import before a dry run');
  await page.getByRole('button', { name: 'Chạy thử' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#msg').filter({ hasText: 'Đã chạy thử: 4 dòng sẽ được ghi sổ, 5 dòng bị từ chối' }).waitFor();
  const report = page.locator('#pi-report');
  await report.filter({ hasText: 'windows-1258' }).waitFor();
  const rows = page.locator('#pi-lines tbody tr');
  assert.equal(await rows.count(), 5);
  assert.match(await rows.nth(3).innerText(), /10\s+Từ chối\s+Số tiền\s+Tổng giải ngân sẽ là 935\.500\.000 đ, vượt kinh phí đã giao \(50\.000\.000 đ\)/);
  assert.match(await rows.nth(0).innerText(), /Không có cơ sở “Cơ sở Không Có Thật” ở Huyện Hương Sơn/);
  assert.equal(count(aid), 0, 'the dry run wrote nothing');
  assert.ok(await fitsWidth(page), 'the report fits 360 px');
  await screenshot(page, 'payments-import-dry-360');

  await real.focus();
  await page.keyboard.press('Enter');
  await page.locator('#msg').filter({ hasText: 'Đã ghi sổ 4 khoản giải ngân' }).waitFor();
  await page.locator('#act-box').filter({ hasText: '37.500.000 đ' }).waitFor();
  const book = page.locator('#lines table').nth(1);
  for (const t of ['15.000.000 đ', '12.500.000 đ', '8.000.000 đ', '2.000.000 đ', 'Cơ sở Mộc Thái Yên Thử (hồ sơ KT-PAYFIXA)', 'Hợp tác xã Nón Lá Thử']) {
    await book.filter({ hasText: t }).waitFor();
  }
  assert.equal(count(aid), 4);
  assert.equal(await real.isDisabled(), true, 'the same file again needs a new dry run');
  assert.ok(await fitsWidth(page), 'the book fits 360 px');
  await screenshot(page, 'payments-import-real-360');

  // The auditor reads the book; the form is not there.
  const aud = mkUser(['auditor'], 'bpa');
  const p2 = await watchedPage(browser);
  await signIn(p2, aud, '#menu a');
  await p2.goto(`${BASE}/admin/activity.html?id=${aid}`);
  await p2.locator('#act-title').filter({ hasText: title }).waitFor();
  await p2.locator('#lines').filter({ hasText: '15.000.000 đ' }).waitFor();
  assert.equal(await p2.locator('#pay-import').isHidden(), true);
});
