// The review flow in the browser (issue 19): a reviewer asks for more
// information on the staff page, the applicant answers with a PDF on the
// status page at 360 px, the reviewer approves; the local SMTP server
// (started here as tests/http/notify.test.mjs does, on the port the stack's
// sender was given) received the e-mails of that application: received,
// needs information and approved (and "under review", the step before
// asking), each once.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, post, sql, until } from '../lib.mjs';
import { launch, newPage, screenshot, signIn, fitsWidth } from '../browser.mjs';
import { mkUser } from '../http/staff-helpers.mjs';
import { body, makeCall } from '../http/register-helpers.mjs';
import { notifyPorts, smtpServer } from '../http/notify-helpers.mjs';

const smtp = smtpServer(notifyPorts().smtp);
let browser;
before(async () => { browser = await launch(); await smtp.start(); });
after(async () => { await browser.close(); await smtp.stop(); });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('ask for information, answer with a PDF at 360 px, approve: the e-mails arrive', async () => {
  const call = makeCall({ max: 20000000 });
  const r = await post('/api/applications', { json: await body(call) });
  assert.equal(r.status, 201, r.text);
  const ref = r.json.ref_code;
  const token = r.json.status_token;
  const id = Number(sql(`SELECT id FROM application WHERE ref_code='${ref}'`)[0][0]);

  const staff = await newPage(browser, { phone: false });
  await signIn(staff, mkUser(['reviewer'], 'rv'));
  const open = async () => {
    await staff.goto(`${BASE}/admin/applications.html`);
    await staff.getByRole('button', { name: `Xem hồ sơ ${ref}` }).click();
  };
  await open();
  await staff.getByRole('button', { name: 'Bắt đầu xem xét' }).click();
  await staff.getByLabel('Yêu cầu bổ sung thông tin (người nộp sẽ thấy)').fill('Xin gửi bản chụp giấy chứng nhận đăng ký kinh doanh.');
  await staff.getByRole('button', { name: 'Gửi yêu cầu bổ sung' }).click();
  await until(async () => sql(`SELECT status FROM application WHERE id=${id}`)[0][0] === 'needs_info');

  const page = await newPage(browser); // 360 px
  await page.goto(`${BASE}/status.html`);
  await page.getByLabel('Mã hồ sơ').fill(ref);
  await page.getByLabel('Mã tra cứu').fill(token);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  const req = page.locator('#s-req-box');
  await req.waitFor();
  assert.match(await req.textContent(), /giấy chứng nhận đăng ký kinh doanh/);
  await page.getByLabel('Trả lời').fill('Đã gửi kèm giấy chứng nhận.');
  await page.getByLabel(/Tệp đính kèm/).setInputFiles({ name: 'giay-chung-nhan.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Gửi thông tin bổ sung' }).click();
  await page.locator('#s-status').filter({ hasText: 'Đang xem xét' }).waitFor();
  assert.ok(await fitsWidth(page), 'no sideways scrolling');
  await screenshot(page, 'review-answer-360');
  assert.deepEqual(sql(`SELECT name FROM application_file WHERE application_id=${id}`), [['giay-chung-nhan.pdf']]);

  await open();
  await staff.getByRole('button', { name: 'Duyệt hồ sơ' }).click();
  await staff.locator('#msg').filter({ hasText: `Đã ghi quyết định: hồ sơ ${ref}` }).waitFor();
  assert.equal(sql(`SELECT status FROM application WHERE id=${id}`)[0][0], 'approved');

  const mails = () => smtp.messages().filter((m) => m.subject.includes(ref));
  assert.ok(await until(() => mails().length >= 4, 20000), JSON.stringify(mails().map((m) => m.subject)));
  const subjects = mails().map((m) => m.subject);
  for (const want of [`Đã nhận hồ sơ ${ref}`, /Cần bổ sung thông tin/, /Được duyệt/]) {
    assert.equal(subjects.filter((s) => (typeof want === 'string' ? s === want : want.test(s))).length, 1, `${want}: ${subjects}`);
  }
  assert.equal(new Set(mails().map((m) => m.message_id)).size, mails().length, 'each once');
  assert.deepEqual(page.errors, []);
});
