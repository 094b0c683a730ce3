// Headless Chromium from Debian's package, driven by playwright-core.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BASE, OUT } from './lib.mjs';
import { nextOtp, rememberSecret } from './http/staff-helpers.mjs';

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
