// The staff console in a phone-sized browser: sign in, open the review
// queue, read an application whose facility name is hostile markup (it
// must show as text), approve it, and see the new status on the public
// status page. Also keyboard sign-in and the other console pages.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, post, sql } from '../lib.mjs';
import { launch, newPage, screenshot } from '../browser.mjs';
import { makeCall, body, suffix } from '../http/register-helpers.mjs';
import { mkUser } from '../http/staff-helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const HOSTILE = `<script>window.__pwn=1</script>"><img src=x onerror="window.__pwn=2"> Cơ sở ${suffix()}`;

async function signIn(page, u) {
  await page.goto(`${BASE}/admin/`);
  await page.getByLabel('Tên đăng nhập').fill(u.username);
  await page.getByLabel('Mật khẩu').fill(u.password);
  await page.getByLabel('Mật khẩu').press('Enter');
  await page.locator('#whoami').filter({ hasText: u.username.slice(0, 3) }).or(page.locator('#whoami:not(:empty)')).first().waitFor();
}

async function noInjection(page) {
  assert.equal(await page.evaluate(() => window.__pwn), undefined, 'injected script ran');
  assert.equal(await page.locator('img[onerror]').count(), 0, 'injected element in the DOM');
  assert.equal(await page.locator('main script').count(), 0);
}

test('sign in, review and approve an application; the public status page shows it', async () => {
  const title = `Đợt duyệt ${suffix()}`;
  const call = makeCall({ title, max: 15000000 });
  const b = await body(call, { requested_vnd: 12000000 });
  const res = await post('/api/applications', { json: b });
  assert.equal(res.status, 201, res.text);
  const { ref_code: ref, status_token: token } = res.json;
  // The form refuses markup; a name stored by other means (an import, an
  // old database) must still show as text everywhere.
  const q = HOSTILE.replace(/\\/g, '\\\\').replace(/'/g, "''");
  sql(`UPDATE facility f JOIN application a ON a.facility_id = f.id SET f.name = '${q}', a.facility_name = '${q}' WHERE a.ref_code = '${ref}'`);

  const u = mkUser(['reviewer'], 'brw');
  const page = await newPage(browser);
  await signIn(page, u);
  assert.match(await page.locator('#whoami').textContent(), /Duyệt hồ sơ/);
  await page.getByRole('link', { name: 'Duyệt hồ sơ' }).first().click();
  await page.waitForURL(/applications\.html/);
  await page.getByLabel('Đợt hỗ trợ').selectOption({ label: `${title} (${new Date().getUTCFullYear()})` });
  await page.getByRole('button', { name: 'Lọc' }).click();
  const open = page.getByRole('button', { name: `Xem hồ sơ ${ref}` });
  await open.waitFor();
  await noInjection(page);
  await open.click();
  await page.locator('#detail-title').filter({ hasText: ref }).waitFor();
  // The hostile name is shown exactly, as text.
  assert.ok((await page.locator('#detail-fields').textContent()).includes(HOSTILE));
  assert.ok((await page.locator('#queue').textContent()).includes(HOSTILE));
  await noInjection(page);
  await screenshot(page, 'staff-application-detail');
  await page.getByLabel('Số tiền duyệt (đồng)').fill('11000000');
  await page.getByRole('button', { name: 'Duyệt hồ sơ' }).click();
  await page.locator('#msg').filter({ hasText: 'Đã ghi quyết định' }).waitFor();
  await page.locator('#events').filter({ hasText: '11.000.000' }).waitFor();
  assert.equal(await page.locator('#decide').isHidden(), true, 'no second decision offered');
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 380, `page is ${w}px wide`);
  await screenshot(page, 'staff-application-approved');
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);

  const pub = await newPage(browser);
  await pub.goto(`${BASE}/status.html#ref=${encodeURIComponent(ref)}&token=${encodeURIComponent(token)}`);
  await pub.locator('#result').waitFor({ state: 'visible' });
  assert.match(await pub.locator('#s-status').textContent(), /duyệt/i);
  assert.match(await pub.locator('#s-approved').textContent(), /11\.000\.000/);
  assert.equal(await pub.locator('#s-facility').textContent(), HOSTILE);
  await noInjection(pub);
  await screenshot(pub, 'staff-public-status-approved');
});

test('keyboard only: sign in and reach every page of an admin; sign out ends the session', async () => {
  const u = mkUser(['admin'], 'kbd');
  const page = await newPage(browser);
  await page.goto(`${BASE}/admin/`);
  await page.getByLabel('Tên đăng nhập').waitFor();
  await page.keyboard.type(u.username); // the name field has focus on load
  await page.keyboard.press('Tab');
  await page.keyboard.type(u.password);
  await page.keyboard.press('Enter');
  await page.locator('#menu a').first().waitFor();
  const links = await page.locator('#menu a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links.sort(), ['/admin/applications.html', '/admin/audit.html', '/admin/budget.html', '/admin/calls.html', '/admin/imports.html', '/admin/users.html'].sort());
  for (const href of ['/admin/users.html', '/admin/audit.html', '/admin/calls.html', '/admin/budget.html']) {
    await page.goto(`${BASE}${href}`);
    await page.locator('table.data').first().waitFor();
    await noInjection(page);
  }
  await page.goto(`${BASE}/admin/users.html`);
  await page.locator('table.data').filter({ hasText: u.username }).waitFor();
  await screenshot(page, 'staff-users');
  await page.goto(`${BASE}/admin/audit.html`);
  await page.locator('table.data').filter({ hasText: 'login' }).waitFor();
  await screenshot(page, 'staff-audit');
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL(/\/admin\/$/);
  await page.getByLabel('Tên đăng nhập').waitFor();
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
