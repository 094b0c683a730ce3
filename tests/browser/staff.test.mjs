// The staff console in a phone-sized browser: sign in, open the review
// queue, read an application whose facility name is hostile markup (it
// must show as text), approve it, and see the new status on the public
// status page. Also keyboard sign-in and the other console pages.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, post, sql } from '../lib.mjs';
import { launch, screenshot, watchedPage, noInjection, signIn, typeSignIn, enrolSecret, enterEnrolCode } from '../browser.mjs';
import { makeCall, body, suffix } from '../http/register-helpers.mjs';
import { mkUser, mkApplication, login, as, nextOtp, rememberSecret } from '../http/staff-helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const HOSTILE = `<script>window.__pwn=1</script>"><img src=x onerror="window.__pwn=2"> Cơ sở ${suffix()}`;
const HOSTILE_PRODUCT = `<script>alert(1);window.__pwn=3</script>"><img src=x onerror="alert(2);window.__pwn=4"> Mắm ${suffix()}`;

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
  const qp = HOSTILE_PRODUCT.replace(/\\/g, '\\\\').replace(/'/g, "''");
  sql(`UPDATE facility f JOIN application a ON a.facility_id = f.id SET f.name = '${q}', a.facility_name = '${q}', a.products = JSON_ARRAY('${qp}', 'Kẹo lạc') WHERE a.ref_code = '${ref}'`);

  const u = mkUser(['reviewer'], 'brw');
  const page = await watchedPage(browser);
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
  assert.ok((await page.locator('#detail-fields').textContent()).includes(`${HOSTILE_PRODUCT}; Kẹo lạc`), 'the product names, as text');
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

  const pub = await watchedPage(browser);
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
  const page = await watchedPage(browser);
  await typeSignIn(page, u); // the name field has focus on load
  // An admin has a second factor: the page asks for it, in the code field.
  await page.locator('#msg').filter({ hasText: 'xác thực hai bước' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'otp');
  const { otp, step } = await nextOtp(u.username);
  await page.keyboard.type(otp);
  rememberSecret(u.username, u.totp, step);
  await page.keyboard.press('Enter');
  await page.locator('#menu a').first().waitFor();
  const links = await page.locator('#menu a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links.sort(), ['/admin/activity.html', '/admin/applications.html', '/admin/audit.html', '/admin/calls.html', '/admin/duplicates.html', '/admin/facilities.html', '/admin/imports.html', '/admin/outbox.html', '/admin/plans.html', '/admin/users.html'].sort());
  for (const href of ['/admin/users.html', '/admin/audit.html', '/admin/calls.html', '/admin/outbox.html', '/admin/plans.html']) {
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

test('an admin without a second factor enrols on a phone, keyboard only: QR code, secret as text, ten recovery codes once', async () => {
  const u = mkUser(['admin'], 'ben', { enrol: false });
  const page = await watchedPage(browser);
  await typeSignIn(page, u);
  // Only the enrolment: no menu, the QR code drawn, the secret as text.
  const secret = await enrolSecret(page);
  assert.equal(await page.locator('#menu-box').isHidden(), true);
  assert.match(await page.locator('#enrol-why').textContent(), /bắt buộc/);
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const qr = await page.locator('#enrol-qr svg').boundingBox();
  assert.ok(qr.width >= 150 && qr.width <= 360, `QR ${qr.width} px wide`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'fits 360 px');
  await screenshot(page, 'staff-2fa-enrol');
  // Other pages send an enrol-only session back here.
  await page.goto(`${BASE}/admin/users.html`);
  await page.waitForURL(/\/admin\/$/);
  const secret2 = await enrolSecret(page);
  await page.getByLabel('Mã 6 chữ số từ ứng dụng').focus();
  await page.keyboard.type('000000');
  await page.keyboard.press('Enter');
  await page.locator('#msg .error-box').waitFor();
  await page.getByLabel('Mã 6 chữ số từ ứng dụng').fill('');
  const step = await enterEnrolCode(page, secret2);
  const codes = await page.locator('#recovery-codes li').allTextContents();
  assert.equal(codes.length, 10);
  for (const c of codes) assert.match(c, /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'recovery-title');
  await screenshot(page, 'staff-2fa-recovery-codes');
  await page.getByRole('button', { name: 'Đã lưu, tiếp tục' }).press('Enter');
  await page.locator('#menu a').first().waitFor();
  assert.equal(await page.locator('#recovery-codes li').count(), 0, 'shown once');
  assert.equal(await page.locator('#enrol-offer').isHidden(), true);
  await noInjection(page);
  rememberSecret(u.username, secret2, step);
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});

test('finance corrects and removes money lines (with a confirmation); the auditor reads each record\'s history and may not change it', async () => {
  const title = `Hội thảo thử ${suffix()}`;
  const r = sql(`INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (2020, '4', '${title}', 'Trung tâm Khuyến công', 90000000); SET @a = LAST_INSERT_ID();
    INSERT INTO allocation (activity_id, amount_vnd, allocated_on, decision_no) VALUES (@a, 80000000, '2020-03-02', '12/QĐ-TT'); SET @l = LAST_INSERT_ID();
    INSERT INTO disbursement (activity_id, amount_vnd, paid_on, voucher_no, beneficiary) VALUES (@a, 30000000, '2020-06-10', 'PC-77', 'Khách sạn Hồng Lĩnh');
    SELECT @a, @l, LAST_INSERT_ID();`);
  const [actId, allocId, disbId] = r[r.length - 1].map(Number);

  const fin = mkUser(['finance'], 'bgf');
  const page = await watchedPage(browser);
  await signIn(page, fin);
  // The plans page links each activity to its money book (admin/activity.html).
  await page.goto(`${BASE}/admin/plans.html`);
  await page.getByLabel('Kế hoạch', { exact: true }).selectOption('2020');
  await page.locator('#plan-box h2').filter({ hasText: 'năm 2020' }).waitFor();
  await page.getByRole('link', { name: title, exact: true }).click();
  await page.waitForURL(new RegExp(`activity\\.html\\?id=${actId}$`));
  await page.locator('#lines').filter({ hasText: 'PC-77' }).waitFor();
  assert.equal(await page.locator('#lines a.history').count(), 0, 'no history links without the auditor role');
  // Correct the allocation: the form is filled with the line.
  await page.getByRole('button', { name: `Sửa giao kinh phí số ${allocId}` }).click();
  assert.equal(await page.getByLabel('Số tiền (đồng)').inputValue(), '80000000');
  assert.equal(await page.getByLabel('Số quyết định / chứng từ').inputValue(), '12/QĐ-TT');
  await page.getByLabel('Số tiền (đồng)').fill('75000000');
  await page.getByRole('button', { name: 'Lưu sửa đổi' }).click();
  await page.locator('#msg').filter({ hasText: `Đã sửa dòng giao kinh phí số ${allocId}` }).waitFor();
  await page.locator('#lines').filter({ hasText: '75.000.000 đ' }).waitFor();
  assert.deepEqual(sql(`SELECT amount_vnd, allocated_on, decision_no FROM allocation WHERE id=${allocId}`)[0], ['75000000', '2020-03-02', '12/QĐ-TT']);
  // Remove the disbursement: asked first; «Không xoá» keeps it.
  await page.getByRole('button', { name: `Xoá giải ngân số ${disbId}` }).click();
  await page.locator('#confirm').waitFor();
  assert.match(await page.locator('#confirm-text').textContent(), /30\.000\.000 đ ngày 10\/06\/2020/);
  await screenshot(page, 'staff-budget-confirm-delete');
  await page.getByRole('button', { name: 'Không xoá' }).click();
  assert.equal(await page.locator('#confirm').isHidden(), true);
  assert.equal(sql(`SELECT COUNT(*) FROM disbursement WHERE id=${disbId}`)[0][0], '1');
  await page.getByRole('button', { name: `Xoá giải ngân số ${disbId}` }).click();
  await page.getByRole('button', { name: 'Xoá dòng này' }).click();
  await page.locator('#msg').filter({ hasText: `Đã xoá dòng giải ngân số ${disbId}` }).waitFor();
  assert.equal(sql(`SELECT COUNT(*) FROM disbursement WHERE id=${disbId}`)[0][0], '0');
  assert.equal(await page.locator('#lines').filter({ hasText: 'PC-77' }).count(), 0);
  await noInjection(page);
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);

  // An application decided by a reviewer, for its history.
  const app = mkApplication();
  const rv = mkUser(['reviewer'], 'bgr');
  const rs = await login(rv.username, rv.password);
  assert.equal((await as(rs, 'POST', `/api/admin/applications/${app.id}/reject`, { reason: 'Thiếu hồ sơ' })).status, 200);

  const aud = mkUser(['auditor'], 'bga');
  const ap = await watchedPage(browser);
  await signIn(ap, aud);
  await ap.goto(`${BASE}/admin/plans.html`);
  await ap.getByLabel('Kế hoạch', { exact: true }).selectOption('2020');
  await ap.getByRole('link', { name: title, exact: true }).waitFor();
  // Read-only: no forms, no edit or delete buttons; a history link per record.
  assert.equal(await ap.locator('#act-form').isHidden(), true);
  assert.equal(await ap.getByRole('link', { name: 'Lịch sử thay đổi: kế hoạch năm 2020' }).count(), 1);
  await ap.goto(`${BASE}/admin/activity.html?id=${actId}`);
  await ap.locator('#lines').filter({ hasText: '75.000.000 đ' }).waitFor();
  assert.equal(await ap.locator('#line-form').isHidden(), true);
  assert.equal(await ap.locator('#lines td button').count(), 0, 'no edit or delete buttons for the auditor');
  assert.equal(await ap.getByRole('link', { name: `Lịch sử thay đổi: hoạt động ${title}` }).getAttribute('href'), `/admin/audit.html?entity=activity&entity_id=${actId}`);
  // The server refuses the auditor's changes too.
  const refused = await ap.evaluate(async (id) => {
    const s = await (await fetch('/api/auth/session')).json();
    const h = { 'X-CSRF-Token': s.csrf_token, 'Content-Type': 'application/json' };
    const put = await fetch(`/api/admin/allocations/${id}`, { method: 'PUT', headers: h, body: JSON.stringify({ amount_vnd: 1, date: '2020-01-01' }) });
    const del = await fetch(`/api/admin/allocations/${id}`, { method: 'DELETE', headers: h });
    return [put.status, del.status];
  }, allocId);
  assert.deepEqual(refused, [403, 403]);
  assert.equal(sql(`SELECT amount_vnd FROM allocation WHERE id=${allocId}`)[0][0], '75000000');
  await screenshot(ap, 'staff-budget-auditor');
  await ap.getByRole('link', { name: `Lịch sử thay đổi: giao kinh phí số ${allocId}` }).click();
  await ap.waitForURL(new RegExp(`audit\\.html\\?entity=allocation&entity_id=${allocId}$`));
  await ap.locator('#audit table.data').waitFor();
  assert.equal(await ap.locator('#audit-title').textContent(), `Lịch sử của giao kinh phí ${allocId}`);
  assert.equal(await ap.getByLabel('Đối tượng', { exact: true }).inputValue(), 'allocation');
  assert.equal(await ap.getByLabel('Mã đối tượng').inputValue(), String(allocId));
  const rows = await ap.locator('#audit tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(rows.length, 1, 'the allocation was made with SQL: one change through the console');
  assert.equal(rows[0][1], fin.username);
  assert.equal(rows[0][3], 'allocation.update');
  assert.equal(JSON.parse(rows[0][5]).amount_vnd, 80000000);
  assert.equal(JSON.parse(rows[0][6]).amount_vnd, 75000000);
  await screenshot(ap, 'staff-audit-allocation');
  // The applications page: the application's and its call's history.
  await ap.goto(`${BASE}/admin/applications.html`);
  await ap.getByRole('button', { name: `Xem hồ sơ ${app.ref}` }).click();
  await ap.locator('#detail-title').filter({ hasText: app.ref }).waitFor();
  assert.equal(await ap.locator('#decide').isHidden(), true, 'no decision forms for the auditor');
  // mkApplication names the call 'Đợt thử <s>' for the facility 'Cơ sở thử <s>'.
  assert.equal(await ap.getByRole('link', { name: `Lịch sử thay đổi: đợt ${app.name.replace('Cơ sở thử', 'Đợt thử')}` }).count(), 1);
  assert.equal(await ap.locator('#detail-history a').nth(1).getAttribute('href'), `/admin/audit.html?entity=support_call&entity_id=${app.callId}`);
  await ap.getByRole('link', { name: `Lịch sử thay đổi: hồ sơ ${app.ref}` }).first().click();
  await ap.waitForURL(/entity=application/);
  await ap.locator('#audit tbody tr').first().waitFor();
  const arows = await ap.locator('#audit tbody tr').evaluateAll((trs) => trs.map((tr) => tr.children[3].textContent));
  assert.deepEqual(arows, ['application.reject']);
  assert.equal(JSON.parse(await ap.locator('#audit tbody tr td').nth(6).textContent()).reason, 'Thiếu hồ sơ');
  await noInjection(ap);
  assert.deepEqual(ap.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
