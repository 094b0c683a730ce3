// Notifications (issue 19, point 3): the outbox written in the change's
// transaction, delivered by kc-notify to a real SMTP server and an HTTP
// sink on 127.0.0.1 (notify-helpers.mjs), nothing lost and nothing sent
// twice but as the same Message-ID; and the status token reissued.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, get, post, sql, until, sleep, assertError } from '../lib.mjs';
import { makeCall, body } from './register-helpers.mjs';
import { mkUser, login, as } from './staff-helpers.mjs';
import { notifyPorts, smtpServer, smsSink, senderPid } from './notify-helpers.mjs';

const ports = notifyPorts();
const smtp = smtpServer(ports.smtp);
const sms = smsSink(ports.sms);
const FAIL_PHONE = '0987 000 019';	// the sink refuses this number's SMS
let callId;
let reviewer;
let failing;	// an application whose SMS the gateway always refuses

const tokens = [];	// every status token seen: never in an SMS
async function apply(over = {}) {
  const res = await post('/api/applications', { json: await body(callId, over) });
  assert.equal(res.status, 201, res.text);
  tokens.push(res.json.status_token);
  const id = Number(sql(`SELECT id FROM application WHERE ref_code='${res.json.ref_code}'`)[0][0]);
  return { id, ref: res.json.ref_code, token: res.json.status_token };
}
const rows = (appIds, channel) => sql(`SELECT id, message_id, status, event, attempts FROM notify_outbox
  WHERE application_id IN (${appIds.join(',')}) AND channel='${channel}' ORDER BY id`)
  .map(([id, mid, status, event, attempts]) => ({ id: Number(id), mid, status, event, attempts: Number(attempts) }));
const mailsFor = (ref) => smtp.messages().filter((m) => m.subject.includes(ref));
const smsFor = (ref) => sms.posts.filter((p) => p.json?.content?.includes(ref));
const allSent = (ids) => rows(ids, 'email').concat(rows(ids, 'sms')).every((r) => r.status === 'sent');

before(async () => {
  sms.answer = (rec) => (rec.json?.to === '84987000019' ? 500 : 200);
  await sms.start();
  await smtp.start();
  callId = makeCall({ max: 50000000 });
  reviewer = await login(...(() => { const u = mkUser(['reviewer'], 'nrv'); return [u.username, u.password]; })());
  assert.equal(reviewer.status, 200);
  // First, so that its give-up time has passed by the last test.
  failing = await apply({ 'facility.phone': FAIL_PHONE });
});

after(async () => {
  await smtp.stop();
  await sms.stop();
});

test('a received application: one e-mail with the reference and the status link, one SMS without the token', async () => {
  const a = await apply();
  const got = await until(() => mailsFor(a.ref).length >= 1 && smsFor(a.ref).length >= 1 && allSent([a.id]), 15000);
  assert.ok(got, 'the e-mail and the SMS arrive, both rows sent');
  await sleep(500);
  const mails = mailsFor(a.ref);
  assert.equal(mails.length, 1);
  const m = mails[0];
  const [row] = rows([a.id], 'email');
  assert.equal(m.message_id, row.mid, 'the Message-ID is the row\'s');
  assert.equal(row.event, 'received');
  assert.match(m.subject, /Đã nhận hồ sơ/);
  assert.ok(m.body.includes(`Mã hồ sơ: ${a.ref}`));
  assert.ok(m.body.includes(`${BASE}/status.html#ref=${a.ref}&token=${a.token}`), m.body);
  assert.ok(m.to.some((t) => /@example\.vn$/.test(t)));
  assert.equal(sql(`SELECT COUNT(*) FROM notify_outbox WHERE application_id=${a.id} AND secret IS NOT NULL`)[0][0], '0',
    'the token leaves the outbox once sent');
  const s = smsFor(a.ref);
  assert.equal(s.length, 1);
  const [srow] = rows([a.id], 'sms');
  assert.equal(s[0].url, ports.smsPath);
  assert.deepEqual(Object.keys(s[0].json).sort(), ['brandname', 'content', 'request_id', 'to']);
  assert.equal(s[0].json.to, '84912345678');
  assert.equal(s[0].json.request_id, srow.mid.replace(/^<|>$/g, ''));
  assert.equal(s[0].headers['idempotency-key'], s[0].json.request_id);
  assert.equal(s[0].headers.authorization, 'Bearer test-gateway-token-19');
  assert.ok(!s[0].json.content.includes(a.token));
  assert.match(s[0].json.content, /^Da nhan ho so /, 'plain text, no diacritics');
});

test('a status change: one more e-mail and SMS, with the new status', async () => {
  const a = await apply();
  await until(() => mailsFor(a.ref).length >= 1, 15000);
  const res = await as(reviewer, 'POST', `/api/admin/applications/${a.id}/approve`, { approved_vnd: 5000000 });
  assert.equal(res.status, 200, res.text);
  assert.ok(await until(() => mailsFor(a.ref).length >= 2 && smsFor(a.ref).length >= 2 && allSent([a.id]), 15000));
  await sleep(500);
  const mails = mailsFor(a.ref);
  assert.equal(mails.length, 2);
  assert.match(mails[1].subject, new RegExp(`Hồ sơ ${a.ref}: Được duyệt`));
  assert.ok(mails[1].body.includes(`${BASE}/status.html#ref=${a.ref}`));
  assert.ok(!mails[1].body.includes('token='), 'a status e-mail has no token: the system keeps only its hash');
  assert.match(smsFor(a.ref)[1].json.content, /: Duoc duyet\./);
  assert.deepEqual(rows([a.id], 'email').map((r) => r.event), ['received', 'status']);
});

test('under load with the relay down for a while: every message arrives once it is back', async () => {
  await smtp.stop();
  const apps = [];
  for (let i = 0; i < 50; i += 10) apps.push(...await Promise.all(Array.from({ length: 10 }, () => apply())));
  const ids = apps.map((a) => a.id);
  // The sender met the closed port: rows were tried and queued again.
  assert.ok(await until(() => rows(ids, 'email').some((r) => r.attempts > 0), 10000), 'attempts while the relay is down');
  const err = sql(`SELECT last_error FROM notify_outbox WHERE application_id IN (${ids.join(',')}) AND channel='email' AND attempts > 0 LIMIT 1`);
  assert.match(err[0][0], /^smtp: /);
  assert.equal(rows(ids, 'email').filter((r) => r.status === 'sent').length, 0);
  await sleep(1000);
  await smtp.start();
  assert.ok(await until(() => allSent(ids), 30000), 'every row sent once the relay is back');
  const want = new Set(rows(ids, 'email').map((r) => r.mid));
  const got = smtp.messages().filter((m) => want.has(m.message_id));
  assert.equal(new Set(got.map((m) => m.message_id)).size, 50, 'every message arrived');
  for (const a of apps) assert.equal(mailsFor(a.ref).length, 1, `${a.ref} once`);
});

test('the sender killed with SIGKILL mid-batch: every message arrives, repeats only as the same Message-ID', async () => {
  await smtp.stop();
  const apps = [];
  for (let i = 0; i < 30; i += 10) apps.push(...await Promise.all(Array.from({ length: 10 }, () => apply())));
  const ids = apps.map((a) => a.id);
  const want = new Set(rows(ids, 'email').map((r) => r.mid));
  const arrived = () => smtp.messages().filter((m) => want.has(m.message_id));
  await smtp.start(150);	// a slow relay: the sender is in a batch
  assert.ok(await until(() => arrived().length >= 3, 15000));
  const pid = senderPid();
  assert.ok(pid > 0);
  process.kill(pid, 'SIGKILL');
  assert.ok(await until(() => { const p = senderPid(); return p && p !== pid; }, 10000), 'multiwatch started it again');
  assert.ok(await until(() => allSent(ids), 40000), 'every row sent after the restart');
  const got = arrived();
  assert.equal(new Set(got.map((m) => m.message_id)).size, want.size, 'distinct Message-IDs == rows');
  assert.ok(got.every((m) => want.has(m.message_id)));
  for (const a of apps) {
    const mine = mailsFor(a.ref);
    assert.ok(mine.length >= 1);
    assert.equal(new Set(mine.map((m) => m.message_id)).size, 1, `${a.ref}: repeats carry one Message-ID`);
  }
  await smtp.stop();
  await smtp.start();
});

test('a decision whose transaction rolled back after the queue call is never sent', async () => {
  const a = await apply();
  assert.ok(await until(() => mailsFor(a.ref).length >= 1, 15000));
  // The audit row is written after notify_queue in the same transaction:
  // refuse it, and the decision with its messages is rolled back.
  sql(`DROP TRIGGER IF EXISTS kc_test_refuse_audit;
    CREATE TRIGGER kc_test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW
    SET NEW.action = IF(NEW.entity = 'application' AND NEW.entity_id = '${a.id}'
      AND NEW.action = 'application.reject', NULL, NEW.action)`);
  let res;
  try {
    res = await as(reviewer, 'POST', `/api/admin/applications/${a.id}/reject`, { reason: 'Thiếu giấy tờ' });
  } finally {
    sql('DROP TRIGGER IF EXISTS kc_test_refuse_audit');
  }
  assert.ok(res.status >= 500, `refused: ${res.status} ${res.text}`);
  assert.equal(sql(`SELECT status FROM application WHERE id=${a.id}`)[0][0], 'submitted');
  assert.equal(rows([a.id], 'email').length, 1, 'no row of the rolled-back decision');
  // A later decision goes through; only its message arrives.
  const ok = await as(reviewer, 'POST', `/api/admin/applications/${a.id}/approve`, { approved_vnd: 1000000 });
  assert.equal(ok.status, 200, ok.text);
  assert.ok(await until(() => mailsFor(a.ref).length >= 2 && allSent([a.id]), 15000));
  await sleep(1000);
  assert.equal(mailsFor(a.ref).filter((m) => /Không được duyệt/.test(m.subject)).length, 0);
  assert.equal(mailsFor(a.ref).length, 2);
});

test('token reissue: the old token stops working, the new one works, the applicant is told', async () => {
  const a = await apply();
  const path = `/api/applications/${a.ref}`;
  assert.equal((await get(path, { headers: { 'x-status-token': a.token } })).status, 200);
  const auditor = mkUser(['auditor'], 'nau');
  const au = await login(auditor.username, auditor.password);
  assertError(assert, await as(au, 'POST', `/api/admin/applications/${a.id}/token`, {}), 403, 'forbidden');
  assertError(assert, await as(reviewer, 'POST', `/api/admin/applications/${a.id}/token`, {}, { csrf: false }), 403, 'forbidden');
  assertError(assert, await as(reviewer, 'POST', '/api/admin/applications/999999999/token', {}), 404, 'not_found');
  const res = await as(reviewer, 'POST', `/api/admin/applications/${a.id}/token`, {});
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(Object.keys(res.json), ['id', 'ref_code', 'status_token', 'notified']);
  assert.deepEqual(res.json.notified, { email: true, sms: true });
  const fresh = res.json.status_token;
  tokens.push(fresh);
  assert.match(fresh, /^[A-Za-z0-9_-]{43}$/);
  assertError(assert, await get(path, { headers: { 'x-status-token': a.token } }), 404, 'not_found');
  assert.equal((await get(path, { headers: { 'x-status-token': fresh } })).status, 200);
  const audit = sql(`SELECT before_json, after_json FROM audit_log WHERE action='application.token' AND entity_id='${a.id}'`);
  assert.equal(audit.length, 1);
  assert.ok(!audit[0].join('').includes(fresh) && !audit[0].join('').includes(a.token), 'no token in the audit trail');
  assert.ok(await until(() => mailsFor(a.ref).length >= 2 && smsFor(a.ref).length >= 2 && allSent([a.id]), 15000));
  const m = mailsFor(a.ref)[1];
  assert.match(m.subject, /Mã tra cứu mới/);
  assert.ok(m.body.includes(`${BASE}/status.html#ref=${a.ref}&token=${fresh}`));
  const s = smsFor(a.ref)[1].json.content;
  assert.match(s, /ma tra cuu moi/);
  assert.match(s, /thu dien tu/);
});

test('no SMS ever carried a status token', () => {
  assert.ok(sms.posts.length > 0);
  for (const p of sms.posts) for (const t of tokens) assert.ok(!p.body.includes(t));
});

test('give-up: a message refused past the configured time is failed, shown to staff, and an admin can retry it', async () => {
  const giveup = Number(process.env.KC_NOTIFY_GIVEUP || 10);
  const failed = await until(() => rows([failing.id], 'sms')[0]?.status === 'failed', (giveup + 15) * 1000, 200);
  assert.ok(failed, 'the refused SMS is failed after the give-up time');
  const list = await as(reviewer, 'GET', `/api/admin/outbox?status=failed&application=${failing.id}`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 1);
  const it = list.json.items[0];
  assert.equal(it.channel, 'sms');
  assert.equal(it.ref_code, failing.ref);
  assert.match(it.last_error, /HTTP 500/);
  assert.ok(it.attempts >= 2, 'tried again before giving up');
  assert.ok(!('secret' in it));
  assertError(assert, await as(reviewer, 'GET', '/api/admin/outbox?status=lost'), 422, 'validation_failed');
  // Retry: admin only, CSRF, only a failed row.
  assertError(assert, await as(reviewer, 'POST', `/api/admin/outbox/${it.id}/retry`, {}), 403, 'forbidden');
  const admin = mkUser(['admin'], 'nad');
  const ad = await login(admin.username, admin.password);
  assert.equal(ad.status, 200);
  assertError(assert, await as(ad, 'POST', `/api/admin/outbox/${it.id}/retry`, {}, { csrf: false }), 403, 'forbidden');
  const sent = rows([failing.id], 'email')[0];
  assertError(assert, await as(ad, 'POST', `/api/admin/outbox/${sent.id}/retry`, {}), 409, 'conflict');
  sms.answer = () => 200;
  const r = await as(ad, 'POST', `/api/admin/outbox/${it.id}/retry`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'queued');
  assert.ok(await until(() => rows([failing.id], 'sms')[0].status === 'sent', 15000), 'sent after the retry');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action='outbox.retry' AND entity_id='${it.id}'`)[0][0], '1');
});
