// Headless Chromium from Debian's package, driven by playwright-core.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BASE, OUT } from './lib.mjs';
import { nextOtp, rememberSecret, timeStep, totp } from './http/staff-helpers.mjs';

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A phone-sized page (360 x 740) or a desktop one.
export async function newPage(browser, { phone = true } = {}) {
  const ctx = await browser.newContext({
    viewport: phone ? { width: 360, height: 740 } : { width: 1280, height: 900 },
    locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  return page;
}

// A page (as newPage) that records every dialog (alert, confirm) it would show.
export async function watchedPage(browser) {
  const page = await newPage(browser);
  page.dialogs = [];
  page.on('dialog', (d) => { page.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  return page;
}

// No sign that text from the data ran as code on a watched page: no dialog,
// no window.__pwn, no injected element (imgs: the selector of those).
export async function noInjection(page, imgs = 'img[onerror]') {
  assert.deepEqual(page.dialogs, [], 'a dialog fired');
  assert.equal(await page.evaluate(() => window.__pwn), undefined, 'injected script ran');
  assert.equal(await page.locator(imgs).count(), 0, 'injected element in the DOM');
  assert.equal(await page.locator('main script').count(), 0, 'injected script element');
}

// Whether the page fits its width (a phone page: 360 px): no sideways
// scrolling, a pixel of rounding allowed.
export const fitsWidth = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

export async function screenshot(page, name) {
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
}

// Sign in through the console's page as u (from staff-helpers' mkUser),
// with the next code of a user who has a second factor, and wait for what
// (a selector) shows the console is ready.
export async function signIn(page, u, ready = '#whoami:not(:empty)') {
  await page.goto(`${BASE}/admin/`);
  await page.getByLabel('Tên đăng nhập').fill(u.username);
  await page.getByLabel('Mật khẩu').fill(u.password);
  if (u.totp) {
    const { otp, step } = await nextOtp(u.username);
    await page.getByLabel('Mã xác thực').fill(otp);
    rememberSecret(u.username, u.totp, step);
  }
  await page.getByLabel('Mật khẩu').press('Enter');
  await page.locator(ready).first().waitFor();
}

// Sign in as u with the keyboard alone, as a new user does: the name, Tab,
// the password, Enter. A user without a second factor is then shown its
// enrolment (enrolSecret, enterEnrolCode).
export async function typeSignIn(page, u) {
  await page.goto(`${BASE}/admin/`);
  await page.getByLabel('Tên đăng nhập').waitFor();
  await page.keyboard.type(u.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(u.password);
  await page.keyboard.press('Enter');
}

// The enrolment's secret, once its QR code is drawn: the text shown
// beside it, without the spaces.
export async function enrolSecret(page) {
  await page.locator('#enrol-qr svg path').waitFor();
  return (await page.locator('#enrol-secret').textContent()).replace(/ /g, '');
}

// Types the current code of secret into the enrolment with the keyboard
// and waits for the ten recovery codes; returns the code's time step.
export async function enterEnrolCode(page, secret) {
  await page.getByLabel('Mã 6 chữ số từ ứng dụng').focus();
  const step = timeStep();
  await page.keyboard.type(totp(secret, step));
  await page.keyboard.press('Enter');
  await page.locator('#recovery-codes li').nth(9).waitFor();
  return step;
}

// Picks a facility in the console's disbursement form with the keyboard:
// types typed into «Cơ sở thụ hưởng», takes the option named name.
export async function pickFacility(page, typed, name) {
  await page.getByLabel('Chọn cơ sở').check();
  await page.getByRole('combobox', { name: /Cơ sở thụ hưởng/ }).focus();
  await page.keyboard.type(typed);
  await page.getByRole('option', { name: new RegExp(name) }).waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.locator('#l-fac-chosen').filter({ hasText: name }).waitFor();
}

// Fills the plan page's amendment form: decision number no, its date
// (YYYY-MM-DD), the new total, the reason, and area's new amount.
export async function fillAmendment(page, { no, date, total, reason, area, amount }) {
  await page.getByLabel('Số quyết định điều chỉnh').fill(no);
  await page.getByLabel('Ngày quyết định', { exact: true }).last().fill(date);
  await page.getByLabel('Tổng kinh phí mới').fill(total);
  await page.getByLabel('Lý do, nội dung điều chỉnh').fill(reason);
  await page.getByLabel(new RegExp(`Nội dung ${area} \\(hiện`)).fill(amount);
}
