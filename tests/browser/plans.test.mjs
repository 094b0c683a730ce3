// /admin/plans.html at 360 px: finance drafts a plan with the four default
// content areas, sees what is unassigned, is refused publication with the
// message, balances, publishes, amends; the auditor reads the history link.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, sql, freeYear } from '../lib.mjs';
import { launch, screenshot, watchedPage, noInjection, signIn, fillAmendment } from '../browser.mjs';
import { mkUser } from '../http/staff-helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('draft, refused publication, balanced, published, amended; history for the auditor', async () => {
  const year = freeYear(2600, 200, 'SELECT COUNT(*) FROM plan WHERE year = {y}');
  const fin = mkUser(['finance'], 'bpf');
  const page = await watchedPage(browser);
  await signIn(page, fin);
  await page.goto(`${BASE}/admin/plans.html`);
  await page.getByLabel('Kế hoạch', { exact: true }).selectOption('new');
  await page.getByLabel('Năm', { exact: true }).fill(String(year));
  await page.getByLabel('Tổng kinh phí').last().fill('2,08 tỷ');
  await page.getByLabel('Tên kế hoạch').last().fill(`Kế hoạch khuyến công ${year}`);
  await page.getByRole('button', { name: 'Tạo bản nháp' }).press('Enter');
  await page.locator('#msg').filter({ hasText: `Đã tạo bản nháp kế hoạch năm ${year}` }).waitFor();
  await page.locator('#plan-box').filter({ hasText: 'Nâng cao năng lực quản lý' }).waitFor();
  assert.match(await page.locator('#plan-box').textContent(), /chưa chia\s*2\.080\.000\.000 đ/);
  // Amounts of the four areas, one short of the total.
  for (const [code, amt] of [['1', '250 triệu'], ['2', '830 triệu'], ['3', '750 triệu'], ['4', '200 triệu']]) {
    await page.getByRole('button', { name: `Sửa nội dung ${code}` }).click();
    await page.getByLabel('Kinh phí của nội dung').fill(amt);
    await page.getByRole('button', { name: 'Lưu nội dung' }).click();
    await page.locator('#msg').filter({ hasText: `Đã lưu nội dung ${code}` }).waitFor();
  }
  await page.getByLabel('Nội dung', { exact: true }).selectOption('2');
  await page.getByLabel('Kinh phí hoạt động').fill('150 triệu');
  await page.getByLabel('Tên hoạt động').fill('Hỗ trợ hội chợ, triển lãm');
  await page.getByLabel('Đơn vị thực hiện').fill('Trung tâm Khuyến công');
  await page.getByRole('button', { name: 'Thêm hoạt động' }).click();
  await page.locator('#msg').filter({ hasText: 'Đã thêm hoạt động' }).waitFor();
  await page.getByRole('button', { name: 'Công bố kế hoạch' }).click();
  await page.locator('#msg').filter({ hasText: 'còn thiếu 50.000.000 đ' }).waitFor();
  await screenshot(page, 'plans-refused');
  await page.getByRole('button', { name: 'Sửa nội dung 4' }).click();
  await page.getByLabel('Kinh phí của nội dung').fill('250.000.000 đ');
  await page.getByRole('button', { name: 'Lưu nội dung' }).click();
  await page.locator('#msg').filter({ hasText: 'Đã lưu nội dung 4' }).waitFor();
  await page.getByRole('button', { name: 'Công bố kế hoạch' }).click();
  await page.locator('#msg').filter({ hasText: `Đã công bố kế hoạch năm ${year}` }).waitFor();
  assert.equal(sql(`SELECT status FROM plan WHERE year=${year}`)[0][0], 'published');
  // Amend: a new total and area 4's amount.
  await fillAmendment(page, { no: '99/QĐ-SCT', date: `${year}-08-01`, total: '2,1 tỷ',
    reason: 'Bổ sung hội nghị', area: 4, amount: '270 triệu' });
  await page.getByRole('button', { name: 'Ghi điều chỉnh' }).click();
  await page.locator('#msg').filter({ hasText: 'Đã ghi điều chỉnh' }).waitFor();
  await page.locator('#plan-box').filter({ hasText: 'Quyết định 99/QĐ-SCT' }).waitFor();
  assert.equal(sql(`SELECT total_vnd FROM plan WHERE year=${year}`)[0][0], '2100000000');
  await screenshot(page, 'plans-amended');
  await noInjection(page);
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);

  const aud = mkUser(['auditor'], 'bpa');
  const ap = await watchedPage(browser);
  await signIn(ap, aud);
  await ap.goto(`${BASE}/admin/plans.html?year=${year}`);
  await ap.locator('#plan-box').filter({ hasText: 'Hỗ trợ hội chợ, triển lãm' }).waitFor();
  assert.equal(await ap.locator('#edit-box').isHidden(), true);
  assert.equal(await ap.getByRole('link', { name: `Lịch sử thay đổi: kế hoạch năm ${year}` }).getAttribute('href'), `/admin/audit.html?entity=plan&entity_id=${year}`);
  assert.equal(await ap.getByRole('link', { name: 'Lịch sử thay đổi: nội dung 4' }).count(), 1);
  assert.match(await ap.getByRole('link', { name: 'Hỗ trợ hội chợ, triển lãm', exact: true }).getAttribute('href'), /^\/admin\/activity\.html\?id=\d+$/);
});
