// Issue 4 in a phone-sized browser: apply with a mistake, see the error
// beside the field, correct it, read the receipt, open the status page.
// And the same form without JavaScript.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, sql } from '../lib.mjs';
import { launch, newPage, screenshot } from '../browser.mjs';
import { makeCall, suffix } from '../http/register-helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

async function noOverflow(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 360, `page is ${w}px wide`);
}

// Open register.html until what waits shows: the call list is
// micro-cached for 5 s, so a call made just now may not be in it yet.
async function openRegister(page, what) {
  for (let i = 0; i < 20; i++) {
    await page.goto(`${BASE}/register.html`);
    await page.locator('select#call_id').waitFor();
    if (await what.count()) return;
    await new Promise((res) => setTimeout(res, 500));
  }
  assert.fail('the new call never showed in the list');
}

test('apply on a phone: mistake shown beside its field, fixed, receipt, status', async () => {
  const title = `Đợt thử trình duyệt ${suffix()}`;
  const call = makeCall({ title, max: 12000000 });
  const page = await newPage(browser);
  await openRegister(page, page.getByText(title, { exact: true }).first());
  await noOverflow(page);
  await page.getByRole('button', { name: `Đăng ký: ${title}` }).click();
  assert.equal(await page.locator('#call_id').inputValue(), String(call));

  const name = `Cơ sở nón lá Thử ${suffix()}`;
  await page.getByLabel('Tên cơ sở *').fill(name);
  await page.getByLabel('Loại hình *').selectOption('household');
  // The hint names the number a household gives (issue 16).
  assert.match(await page.locator('#hint-facility-tax_code').textContent(), /số định danh cá nhân \(số CCCD, 12 chữ số\)/);
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

  // A household's personal identification number born next year: the
  // form's own message; then a real one (born 1990 in Hà Tĩnh).
  const next = new Date().getUTCFullYear() + 1;
  await page.locator('select#facility-unit_code').selectOption({ index: 1 });
  await page.getByLabel('Mã số thuế').fill(`042${Math.floor((next - 1900) / 100) * 2}${String(next % 100).padStart(2, '0')}123456`);
  await page.getByRole('button', { name: 'Gửi hồ sơ' }).click();
  await page.locator('#err-facility-tax_code').filter({ hasText: /năm sinh .* ở sau năm nay/ }).waitFor();
  const tax = `042090${String(parseInt(suffix(), 16) % 1000000).padStart(6, '0')}`;
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
  const [[phone, requested, calls, stored]] = sql(`SELECT a.phone, a.requested_vnd, a.call_id, f.tax_code FROM application a
    JOIN facility f ON f.id = a.facility_id WHERE a.ref_code = '${ref}'`);
  assert.deepEqual([phone, requested, calls, stored], ['0912345678', '12000000', String(call), tax]);

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

test('without JavaScript: a mistake gives an error page, back, fix, receipt page, status', async () => {
  const call = makeCall();
  const units = await (await fetch(`${BASE}/api/units`)).json();
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/register.html`);
  const name = `Cơ sở không JS <${suffix()}>`;
  await page.getByLabel('Đợt hỗ trợ *').fill(String(call));
  await page.getByLabel('Tên cơ sở *').fill(name);
  await page.getByLabel('Loại hình *').selectOption('enterprise');
  await page.getByLabel('Người đại diện *').fill('Hồ Văn Thử');
  await page.getByLabel('Số điện thoại *').fill('0912 34'); // too short
  await page.getByLabel('Địa chỉ *').fill('Khối 5, phường Thử');
  await page.getByLabel('Xã, phường *').fill(units.items[0].code);
  await page.getByLabel('Số tiền đề nghị hỗ trợ (đồng) *').fill('5000000');
  await Promise.all([page.waitForURL(/\/api\/applications$/), page.getByRole('button', { name: 'Gửi hồ sơ' }).click()]);

  // The server's page: the mistakes by field label, the typed values as text.
  await page.getByRole('heading', { name: 'Hồ sơ chưa được gửi' }).waitFor();
  const errors = page.getByRole('alert');
  assert.match(await errors.textContent(), /Số điện thoại: Số điện thoại không hợp lệ/);
  assert.match(await errors.textContent(), /Tên cơ sở: Không được chứa ký tự < hoặc >/);
  assert.ok((await errors.textContent()).includes(`Đã nhập: «${name}»`));
  await noOverflow(page);
  await screenshot(page, 'register-nojs-errors');

  // Back to the form: what was typed is still there; fix and send again.
  await page.goBack();
  assert.equal(await page.getByLabel('Số điện thoại *').inputValue(), '0912 34');
  assert.equal(await page.getByLabel('Tên cơ sở *').inputValue(), name);
  const fixed = name.replace(/[<>]/g, '');
  await page.getByLabel('Tên cơ sở *').fill(fixed);
  await page.getByLabel('Số điện thoại *').fill('84912345678');
  await Promise.all([page.waitForURL(/\/api\/applications$/), page.getByRole('button', { name: 'Gửi hồ sơ' }).click()]);
  await page.getByRole('heading', { name: 'Đã nhận hồ sơ' }).waitFor();
  const ref = await page.locator('#r-ref').textContent();
  const token = await page.locator('#r-token').textContent();
  assert.match(ref, /^KC-\d{4}-\d{6}$/);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(await page.locator('#r-facility').textContent(), fixed);
  assert.equal(sql(`SELECT COUNT(*) FROM application WHERE ref_code = '${ref}' AND call_id = ${call} AND phone = '0912345678'`)[0][0], '1');
  await noOverflow(page);
  await screenshot(page, 'receipt-nojs');

  // The receipt's button shows the status (the token goes in the body).
  await Promise.all([page.waitForURL(/\/status$/), page.getByRole('button', { name: 'Xem trạng thái hồ sơ' }).click()]);
  assert.ok(!page.url().includes(token));
  await page.getByRole('heading', { name: `Hồ sơ ${ref}` }).waitFor();
  assert.equal(await page.locator('#s-status').textContent(), 'Đã nộp');
  assert.equal(await page.locator('#s-facility').textContent(), fixed);
  assert.equal(await page.locator('#s-requested').textContent(), '5.000.000 đ');
  assert.equal(await page.locator('#s-history li').count(), 1);

  // The status page's own form, typed by hand (lower case code).
  await page.goto(`${BASE}/status.html`);
  await page.getByLabel('Mã hồ sơ').fill(ref.toLowerCase());
  await page.getByLabel('Mã tra cứu').fill(token);
  await Promise.all([page.waitForURL(/\/api\/applications\/status$/), page.getByRole('button', { name: 'Tra cứu' }).click()]);
  assert.equal(await page.locator('#s-status').textContent(), 'Đã nộp');
  await noOverflow(page);
  await screenshot(page, 'status-nojs');
  await page.goto(`${BASE}/status.html`);
  await page.getByLabel('Mã hồ sơ').fill(ref);
  await page.getByLabel('Mã tra cứu').fill('khong-dung');
  await Promise.all([page.waitForURL(/\/api\/applications\/status$/), page.getByRole('button', { name: 'Tra cứu' }).click()]);
  await page.getByRole('heading', { name: 'Không tìm thấy hồ sơ' }).waitFor();
  await page.getByRole('link', { name: 'Quay lại trang tra cứu' }).waitFor();
  await ctx.close();
});

test('a call with no place left is shown as full and cannot be chosen', async () => {
  const title = `Đợt đủ chỗ ${suffix()}`;
  const fullCall = makeCall({ title, capacity: 1 });
  const openTitle = `Đợt còn chỗ ${suffix()}`;
  makeCall({ title: openTitle, capacity: 5 });
  const units = await (await fetch(`${BASE}/api/units`)).json();
  const r = await fetch(`${BASE}/api/applications`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ call_id: fullCall, facility: { name: `Cơ sở giữ chỗ ${suffix()}`, owner_name: 'Lê Văn Thử', phone: '0912345678', address: 'Thôn 2, xã Thử', unit_code: units.items[0].code, kind: 'household' }, requested_vnd: 1000000 }),
  });
  assert.equal(r.status, 201);
  const page = await newPage(browser);
  const card = page.locator('article.card').filter({ hasText: title });
  await openRegister(page, card);
  assert.match(await card.textContent(), /Đã nhận đủ 1 hồ sơ/);
  assert.equal(await card.getByRole('button').count(), 0);
  assert.match(await page.locator('article.card').filter({ hasText: openTitle }).textContent(), /Còn 5 trên 5 suất hỗ trợ/);
  assert.equal(await page.locator(`select#call_id option[value="${fullCall}"]`).count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
