// Issue 4 in a phone-sized browser: apply with a mistake, see the error
// beside the field, correct it, read the receipt, open the status page.
// And the same form without JavaScript.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, sql } from '../lib.mjs';
import { launch, newPage, screenshot } from '../browser.mjs';
import { makeCall, suffix, taxCode } from '../http/register-helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

async function noOverflow(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 360, `page is ${w}px wide`);
}

test('apply on a phone: mistake shown beside its field, fixed, receipt, status', async () => {
  const title = `Đợt thử trình duyệt ${suffix()}`;
  const call = makeCall({ title, max: 12000000 });
  const page = await newPage(browser);
  await page.goto(`${BASE}/register.html`);
  await page.locator('select#call_id').waitFor();
  await page.getByText(title, { exact: true }).first().waitFor();
  await noOverflow(page);
  await page.getByRole('button', { name: `Đăng ký: ${title}` }).click();
  assert.equal(await page.locator('#call_id').inputValue(), String(call));

  const name = `Cơ sở nón lá Thử ${suffix()}`;
  await page.getByLabel('Tên cơ sở *').fill(name);
  await page.getByLabel('Loại hình *').selectOption('household');
  await page.getByLabel('Mã số thuế').fill('0100109107'); // wrong check digit
  await page.getByLabel('Người đại diện *').fill('Lê Thị Thử');
  await page.getByLabel('Số điện thoại *').fill('0912 34'); // too short
  await page.getByLabel('Địa chỉ *').fill('Thôn Trung, xã Thử');
  await page.locator('select#facility-unit_code').selectOption({ index: 1 });
  await page.getByLabel('Sản phẩm (tối đa 3 ở đây)').fill('Nón lá');
  await page.getByLabel('Số tiền đề nghị hỗ trợ (đồng) *').fill('13.000.000'); // above the maximum
  await page.getByRole('button', { name: 'Gửi hồ sơ' }).click();

  const phoneErr = page.locator('#err-facility-phone');
  await phoneErr.waitFor();
  assert.match(await phoneErr.textContent(), /Số điện thoại không hợp lệ/);
  assert.equal(await page.locator('#facility-phone').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#facility-phone').getAttribute('aria-describedby'), /err-facility-phone/);
  assert.match(await page.locator('#err-facility-tax_code').textContent(), /Mã số thuế không hợp lệ/);
  assert.match(await page.locator('#err-requested_vnd').textContent(), /12\.000\.000 đ/);
  assert.equal(await page.locator('#form-error').isVisible(), true);
  await screenshot(page, 'register-errors');

  // A mistake only the server can see: a unit that is not valid today.
  await page.getByLabel('Mã số thuế').fill('');
  await page.getByLabel('Số điện thoại *').fill('+84 912 345 678');
  await page.getByLabel('Số tiền đề nghị hỗ trợ (đồng) *').fill('12.000.000');
  await page.evaluate(() => {
    const s = document.getElementById('facility-unit_code');
    s.append(new Option('Không còn hiệu lực', '436'));
    s.value = '436';
  });
  await page.getByRole('button', { name: 'Gửi hồ sơ' }).click();
  await page.locator('#err-facility-unit_code').filter({ hasText: /không tồn tại|hiệu lực/ }).waitFor();
  assert.equal(await page.locator('#err-facility-phone').textContent(), '');
  assert.equal(await page.locator('#facility-unit_code').getAttribute('aria-invalid'), 'true');

  const tax = taxCode();
  await page.locator('select#facility-unit_code').selectOption({ index: 1 });
  await page.getByLabel('Mã số thuế').fill(tax);
  await page.getByRole('button', { name: 'Gửi hồ sơ' }).click();
  await page.locator('#receipt').waitFor({ state: 'visible' });
  const ref = await page.locator('#r-ref').textContent();
  const token = await page.locator('#r-token').textContent();
  assert.match(ref, /^KC-\d{4}-\d{6}$/);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(await page.locator('#r-call').textContent(), title);
  await noOverflow(page);
  await screenshot(page, 'register-receipt');
  const [[phone, requested, calls]] = sql(`SELECT phone, requested_vnd, call_id FROM application WHERE ref_code = '${ref}'`);
  assert.deepEqual([phone, requested, calls], ['0912345678', '12000000', String(call)]);

  await page.getByRole('link', { name: 'Tra cứu hồ sơ' }).last().click();
  await page.locator('#result').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#s-status').textContent(), 'Đã nộp');
  assert.equal(await page.locator('#s-facility').textContent(), name);
  assert.equal(await page.locator('#s-requested').textContent(), '12.000.000 đ');
  assert.equal(await page.locator('#s-history li').count(), 1);
  await noOverflow(page);
  await screenshot(page, 'status-found');

  // A wrong token, typed by hand, finds nothing.
  await page.getByLabel('Mã tra cứu').fill('khong-dung-ma-tra-cuu');
  await page.getByLabel('Mã tra cứu').press('Enter');
  await page.locator('#status-error').filter({ hasText: 'Không tìm thấy' }).waitFor();
  assert.equal(await page.locator('#result').isVisible(), false);
  assert.deepEqual(page.errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  await page.context().close();
});

test('the form works without JavaScript: a plain post lands on the receipt', async () => {
  const call = makeCall();
  const units = await (await fetch(`${BASE}/api/units`)).json();
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/register.html`);
  await page.getByLabel('Đợt hỗ trợ *').fill(String(call));
  await page.getByLabel('Tên cơ sở *').fill(`Cơ sở không JS ${suffix()}`);
  await page.getByLabel('Loại hình *').selectOption('enterprise');
  await page.getByLabel('Người đại diện *').fill('Hồ Văn Thử');
  await page.getByLabel('Số điện thoại *').fill('84912345678');
  await page.getByLabel('Địa chỉ *').fill('Khối 5, phường Thử');
  await page.getByLabel('Xã, phường *').fill(units.items[0].code);
  await page.getByLabel('Số tiền đề nghị hỗ trợ (đồng) *').fill('5000000');
  await Promise.all([page.waitForURL(/\/receipt\.html#ref=KC-\d{4}-\d{6}&token=/), page.getByRole('button', { name: 'Gửi hồ sơ' }).click()]);
  const m = /#ref=(KC-\d{4}-\d{6})&token=([A-Za-z0-9_-]{43})$/.exec(page.url());
  assert.ok(m, page.url());
  assert.equal(sql(`SELECT COUNT(*) FROM application WHERE ref_code = '${m[1]}' AND call_id = ${call}`)[0][0], '1');
  await screenshot(page, 'receipt-nojs');
  await ctx.close();
});
