// An activity's money book at 360 px: finance allocates, disburses once by
// an application's reference code and once by picking a facility from the
// search with the keyboard, sees a refusal above the limit, and the page
// fits the phone. The facilities page creates a facility for a paper
// application.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, sql } from '../lib.mjs';
import { launch, screenshot, watchedPage, noInjection, signIn, pickFacility, fitsWidth } from '../browser.mjs';
import { mkUser, mkApplication } from '../http/staff-helpers.mjs';
import { taxCode } from '../http/register-helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });


test('finance disburses by reference code and by a picked facility, at 360 px and with the keyboard', async () => {
  const title = `Hội chợ thử ${Math.random().toString(36).slice(2, 8)}`;
  const r = sql(`INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (2020, '2', '${title}', 'Trung tâm Khuyến công', 50000000); SELECT LAST_INSERT_ID();`);
  const actId = Number(r[r.length - 1][0]);
  const app = mkApplication({ year: 2020, name: `Cơ sở Nón lá Đức Thọ ${Math.random().toString(36).slice(2, 7)}` });
  const fin = mkUser(['finance'], 'acf');
  const page = await watchedPage(browser);
  await signIn(page, fin, '#menu a');

  // The facilities page: a facility for a paper application.
  const paper = `Cơ sở Mây tre Hương Khê ${Math.random().toString(36).slice(2, 7)}`;
  await page.goto(`${BASE}/admin/facilities.html`);
  await page.getByLabel('Tên cơ sở').fill(paper);
  await page.getByLabel('Mã số thuế hoặc số định danh cá nhân (12 số)').fill(taxCode());
  await page.getByLabel('Người đại diện').fill('Trần Thị Lan');
  await page.getByLabel('Điện thoại').fill('0912 345 678');
  await page.getByLabel('Địa chỉ').fill('Thôn 3, xã thử');
  await page.getByLabel('Xã, phường').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Tạo cơ sở' }).click();
  await page.locator('#msg').filter({ hasText: `Đã tạo cơ sở ${paper}` }).waitFor();
  await page.locator('#results').filter({ hasText: paper }).waitFor();
  assert.ok(await fitsWidth(page), 'facilities page fits 360 px');

  await page.goto(`${BASE}/admin/activity.html?id=${actId}`);
  await page.locator('#act-title').filter({ hasText: title }).waitFor();
  // An allocation, typed as people write it.
  await page.getByLabel('Số tiền (đồng)').fill('30 triệu');
  await page.getByLabel('Ngày').fill('2020-03-01');
  await page.getByRole('button', { name: 'Ghi sổ' }).click();
  await page.locator('#msg').filter({ hasText: 'Đã ghi sổ giao kinh phí 30.000.000 đ' }).waitFor();
  // A disbursement by reference code.
  await page.getByLabel('Giải ngân').check();
  await page.getByLabel('Mã hồ sơ', { exact: true }).fill(app.ref);
  await page.getByLabel('Số tiền (đồng)').fill('10.000.000');
  await page.getByLabel('Ngày').fill('2020-04-01');
  await page.getByRole('button', { name: 'Ghi sổ' }).click();
  await page.locator('#msg').filter({ hasText: 'Đã ghi sổ giải ngân 10.000.000 đ' }).waitFor();
  await page.locator('#lines').filter({ hasText: `${app.name} (hồ sơ ${app.ref})` }).waitFor();
  // Above the allocation: refused with the limit and the excess.
  await page.getByLabel('Số tiền (đồng)').fill('25000000');
  await page.getByRole('button', { name: 'Ghi sổ' }).click();
  await page.locator('#msg').filter({ hasText: 'vượt kinh phí đã giao (30.000.000 đ) 5.000.000 đ' }).waitFor();
  // A disbursement to the paper facility, picked with the keyboard.
  await pickFacility(page, paper.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd'), paper);
  await page.getByLabel('Số tiền (đồng)').fill('5000000');
  await page.getByLabel('Số tiền (đồng)').press('Enter');
  await page.locator('#msg').filter({ hasText: 'Đã ghi sổ giải ngân 5.000.000 đ' }).waitFor();
  await page.locator('#lines').filter({ hasText: paper }).waitFor();
  const rows = sql(`SELECT f.name, d.amount_vnd, COALESCE(d.application_id, 0) FROM disbursement d JOIN facility f ON f.id = d.facility_id WHERE d.activity_id=${actId} ORDER BY d.id`);
  assert.deepEqual(rows, [[app.name, '10000000', String(app.id)], [paper, '5000000', '0']]);
  assert.ok(await fitsWidth(page), 'activity page fits 360 px');
  await screenshot(page, 'staff-activity-book');
  await noInjection(page);
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
