// The second factor at staff sign-in (TOTP, RFC 6238): admin and finance
// must enrol before anything else; enrolment with its QR code and ten
// recovery codes (audited); sign-in with and without the code; a code is
// taken once; a recovery code once; wrong codes count toward the login
// throttle; kc-admin user reset-2fa (audited); optional for other roles.
import test from 'node:test';
import assert from 'node:assert/strict';
import { sql, assertError } from '../lib.mjs';
import { mkUser, login, as, kcAdmin, totp, timeStep, rememberSecret, forgetSecret, auditRows } from './staff-helpers.mjs';

// Enrol through the API with session s: {secret, codes, step}.
async function enrol(s, username) {
  const setup = await as(s, 'POST', '/api/auth/2fa/setup', {});
  assert.equal(setup.status, 200, setup.text);
  const { secret } = setup.json;
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const step = timeStep();
  const c = await as(s, 'POST', '/api/auth/2fa/confirm', { code: totp(secret, step) });
  assert.equal(c.status, 200, c.text);
  rememberSecret(username, secret, step);
  return { secret, codes: c.json.recovery_codes, step, setup: setup.json };
}

test('an admin without a second factor gets a session that can only enrol; enrolment gives ten recovery codes, audited', async () => {
  const u = mkUser(['admin'], 'tfa', { enrol: false });
  const s = await login(u.username, u.password);
  assert.equal(s.status, 200, s.res.text);
  assert.equal(s.res.json.enrol_required, true);
  assert.equal(s.res.json.two_factor, false);
  const who = await as(s, 'GET', '/api/auth/session');
  assert.equal(who.status, 200);
  assert.equal(who.json.enrol_required, true);
  assert.equal(who.json.two_factor_required, true);
  // Nothing else is reachable, in either staff program.
  for (const [m, url, body] of [['GET', '/api/admin/users'], ['GET', '/api/admin/plans'], ['GET', '/api/admin/audit'],
    ['GET', '/api/admin/imports'], ['POST', '/api/admin/users', { username: 'x' }]]) {
    assertError(assert, await as(s, m, url, body), 403, 'enrolment_required');
  }
  // Setup needs the CSRF token like every change.
  assertError(assert, await as(s, 'POST', '/api/auth/2fa/setup', {}, { csrf: false }), 403, 'forbidden');
  const first = await as(s, 'POST', '/api/auth/2fa/setup', {});
  assert.equal(first.status, 200, first.text);
  const { secret, otpauth_uri: uri, qr } = first.json;
  assert.equal(uri, `otpauth://totp/Khuyen%20cong%20Ha%20Tinh:${u.username}?secret=${secret}&issuer=Khuyen%20cong%20Ha%20Tinh&algorithm=SHA1&digits=6&period=30`);
  assert.equal(qr.rows.length, qr.size);
  assert.ok(qr.size >= 21 && qr.rows.every((r) => r.length === qr.size && /^[01]+$/.test(r)));
  assert.ok(qr.rows[0].startsWith('1111111') && qr.rows[qr.size - 1].startsWith('1111111'), 'finder patterns');
  // A wrong code does not enrol; a code of the shown secret does.
  const bad = await as(s, 'POST', '/api/auth/2fa/confirm', { code: totp(secret, timeStep() + 5) });
  assertError(assert, bad, 422, 'validation_failed');
  assert.ok(bad.json.error.fields.code);
  assertError(assert, await as(s, 'GET', '/api/admin/users'), 403, 'enrolment_required');
  const { codes, secret: kept } = await enrol(s, u.username);
  assert.notEqual(kept, secret, 'a second setup replaces the first secret');
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const c of codes) assert.match(c, /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
  // The session is a full one now.
  assert.equal((await as(s, 'GET', '/api/admin/users')).status, 200);
  const who2 = await as(s, 'GET', '/api/auth/session');
  assert.equal(who2.json.enrol_required, false);
  assert.equal(who2.json.two_factor, true);
  assert.ok(!who2.text.includes(kept), 'the secret is never answered again');
  assertError(assert, await as(s, 'POST', '/api/auth/2fa/setup', {}), 409, 'conflict');
  // Stored: the secret once; the codes as hashes only.
  assert.equal(sql(`SELECT totp_secret, totp_enabled_at IS NOT NULL FROM staff_user WHERE id=${u.id}`)[0].join(), `${kept},1`);
  const hashes = sql(`SELECT code_hash FROM staff_recovery_code WHERE user_id=${u.id} AND used_at IS NULL`).map((r) => r[0]);
  assert.equal(hashes.length, 10);
  for (const c of codes) {
    const bare = c.replace(/-/g, '');
    assert.ok(hashes.every((h) => !h.toLowerCase().includes(bare.slice(0, 8)) && /^[0-9a-f]{64}$/.test(h)));
  }
  assert.equal(sql(`SELECT COUNT(*) FROM staff_session WHERE user_id=${u.id} AND totp_pending IS NOT NULL`)[0][0], '0');
  const a = auditRows('staff_user', u.id).filter((x) => x.action === 'user.2fa_enrol');
  assert.equal(a.length, 1);
  assert.equal(a[0].username, u.username);
  assert.deepEqual(a[0].before, { two_factor: false });
  assert.deepEqual(a[0].after, { two_factor: true, recovery_codes: 10 });
  assert.ok(!JSON.stringify(a[0]).includes(kept));
});

test('sign-in with a second factor: refused without the code or with a wrong one; a code is taken once', async () => {
  const u = mkUser(['finance'], 'tfs');
  const without = await login(u.username, u.password, undefined, {});
  assertError(assert, without.res, 401, 'second_factor_required');
  assert.equal(without.token, undefined);
  const wrongPw = await login(u.username, 'not the password', undefined, {});
  assertError(assert, wrongPw.res, 401, 'unauthorized');
  const step = timeStep();
  const wrong = await login(u.username, u.password, undefined, { otp: totp(u.totp, step + 7) });
  assertError(assert, wrong.res, 401, 'second_factor_invalid');
  assert.equal(wrong.token, undefined);
  const code = totp(u.totp, step);
  const ok = await login(u.username, u.password, undefined, { otp: code });
  assert.equal(ok.status, 200, ok.res.text);
  assert.equal(ok.res.json.two_factor, true);
  assert.equal(ok.res.json.enrol_required, false);
  assert.equal((await as(ok, 'GET', '/api/admin/plans')).status, 200);
  // The same code again (its window is still open): refused.
  const replay = await login(u.username, u.password, undefined, { otp: code });
  assertError(assert, replay.res, 401, 'second_factor_invalid');
  assert.equal(replay.token, undefined);
  // The previous step's code is older than the one used: refused too.
  assertError(assert, (await login(u.username, u.password, undefined, { otp: totp(u.totp, step - 1) })).res, 401, 'second_factor_invalid');
  // The next step's code (one step of skew) is taken.
  const next = await login(u.username, u.password, undefined, { otp: totp(u.totp, step + 1) });
  assert.equal(next.status, 200, next.res.text);
  rememberSecret(u.username, u.totp, step + 1);
  const logins = sql(`SELECT after_json FROM audit_log WHERE action='login' AND user_id=${u.id} ORDER BY id`).map((r) => JSON.parse(r[0]));
  assert.deepEqual(logins.map((x) => x.second_factor), ['totp', 'totp']);
  sql(`DELETE FROM staff_login_throttle WHERE username='${u.username}'`);
});

test('a recovery code signs in once, in any case and spacing; then no more', async () => {
  const u = mkUser(['admin'], 'tfr', { enrol: false });
  const s = await login(u.username, u.password);
  const { codes } = await enrol(s, u.username);
  const typed = codes[3].toUpperCase().replace(/-/g, ' ');
  const r1 = await login(u.username, u.password, undefined, { recovery_code: typed });
  assert.equal(r1.status, 200, r1.res.text);
  assert.equal(r1.res.json.two_factor, true);
  assert.equal(sql(`SELECT COUNT(*) FROM staff_recovery_code WHERE user_id=${u.id} AND used_at IS NOT NULL`)[0][0], '1');
  const r2 = await login(u.username, u.password, undefined, { recovery_code: codes[3] });
  assertError(assert, r2.res, 401, 'second_factor_invalid');
  assert.equal(r2.token, undefined);
  // Another user's code, and a made-up one, are refused.
  assertError(assert, (await login(u.username, u.password, undefined, { recovery_code: 'aaaa-bbbb-cccc-dddd' })).res, 401, 'second_factor_invalid');
  assertError(assert, (await login(u.username, u.password, undefined, { recovery_code: 'not a code' })).res, 401, 'second_factor_invalid');
  const a = sql(`SELECT after_json FROM audit_log WHERE action='login' AND user_id=${u.id} ORDER BY id DESC LIMIT 1`)[0][0];
  assert.equal(JSON.parse(a).second_factor, 'recovery_code');
  assert.ok(!a.includes(codes[3]));
  sql(`DELETE FROM staff_login_throttle WHERE username='${u.username}'`);
});

test('wrong codes count toward the login throttle: after five, even the right code is refused (429)', async () => {
  const u = mkUser(['admin'], 'tft');
  for (let i = 0; i < 5; i++) {
    assertError(assert, (await login(u.username, u.password, undefined, { otp: totp(u.totp, timeStep() + 9 + i) })).res, 401, 'second_factor_invalid');
  }
  assert.equal(sql(`SELECT failed_logins FROM staff_user WHERE id=${u.id}`)[0][0], '5');
  const blocked = await login(u.username, u.password, undefined, { otp: totp(u.totp, timeStep()) });
  assertError(assert, blocked.res, 429, 'rate_limited');
  assert.ok(Number(blocked.res.headers.get('retry-after')) > 0);
  assert.equal(blocked.token, undefined);
  // Missing codes count as well.
  const v = mkUser(['finance'], 'tfm');
  for (let i = 0; i < 5; i++) assertError(assert, (await login(v.username, v.password, undefined, {})).res, 401, 'second_factor_required');
  assertError(assert, (await login(v.username, v.password)).res, 429, 'rate_limited');
  // Once the slow-down has passed, the right code signs in and clears it.
  sql(`UPDATE staff_login_throttle SET throttle_until = NOW(3) - INTERVAL 1 SECOND WHERE username='${u.username}'`);
  assert.equal((await login(u.username, u.password)).status, 200);
  assert.equal(sql(`SELECT failed_logins FROM staff_user WHERE id=${u.id}`)[0][0], '0');
});

test('kc-admin user reset-2fa removes the second factor and the codes, ends the sessions, is audited; the admin enrols again', async () => {
  const u = mkUser(['admin'], 'tfx');
  const s = await login(u.username, u.password);
  assert.equal(s.status, 200);
  sql(`INSERT INTO staff_recovery_code (user_id, code_hash) VALUES (${u.id}, REPEAT('a', 64))`);
  const r = kcAdmin(['user', 'reset-2fa', u.username]);
  assert.equal(r.status, 0, r.stderr);
  assertError(assert, await as(s, 'GET', '/api/auth/session'), 401, 'unauthorized');
  assert.deepEqual(sql(`SELECT totp_secret IS NULL, totp_enabled_at IS NULL, totp_last_step IS NULL FROM staff_user WHERE id=${u.id}`)[0], ['1', '1', '1']);
  assert.equal(sql(`SELECT COUNT(*) FROM staff_recovery_code WHERE user_id=${u.id}`)[0][0], '0');
  const a = auditRows('staff_user', u.id).filter((x) => x.action === 'user.2fa_reset');
  assert.equal(a.length, 1);
  assert.match(a[0].username, /^cli:/);
  assert.deepEqual(a[0].before, { two_factor: true });
  assert.deepEqual(a[0].after, { two_factor: false });
  forgetSecret(u.username);
  // The old code no longer matters; the next sign-in must enrol.
  const again = await login(u.username, u.password, undefined, { otp: totp(u.totp) });
  assert.equal(again.status, 200);
  assert.equal(again.res.json.enrol_required, true);
  assertError(assert, await as(again, 'GET', '/api/admin/users'), 403, 'enrolment_required');
  // Refused: a user without a second factor, an unknown user, no name.
  assert.equal(kcAdmin(['user', 'reset-2fa', u.username]).status, 1);
  assert.equal(kcAdmin(['user', 'reset-2fa', 'nobody-tfx']).status, 1);
  assert.equal(kcAdmin(['user', 'reset-2fa']).status, 2);
  const list = kcAdmin(['user', 'list']);
  assert.match(list.stdout, new RegExp(`${u.username}.* off `));
});

test('other roles may enrol, and then need the code; a role that requires one limits a session without it', async () => {
  const u = mkUser(['reviewer'], 'tfo');
  const s = await login(u.username, u.password);
  assert.equal(s.status, 200);
  assert.equal(s.res.json.enrol_required, false);
  assert.equal((await as(s, 'GET', '/api/admin/calls')).status, 200);
  const who = await as(s, 'GET', '/api/auth/session');
  assert.equal(who.json.two_factor_required, false);
  await enrol(s, u.username);
  assertError(assert, (await login(u.username, u.password, undefined, {})).res, 401, 'second_factor_required');
  assert.equal((await login(u.username, u.password)).status, 200);
  sql(`DELETE FROM staff_login_throttle WHERE username='${u.username}'`);
  // A reviewer without one, made finance: their session may only enrol.
  const w = mkUser(['reviewer'], 'tfw');
  const ws = await login(w.username, w.password);
  assert.equal((await as(ws, 'GET', '/api/admin/calls')).status, 200);
  sql(`UPDATE staff_user SET roles = 'reviewer,finance' WHERE id=${w.id}`);
  assertError(assert, await as(ws, 'GET', '/api/admin/calls'), 403, 'enrolment_required');
  assert.equal((await as(ws, 'GET', '/api/auth/session')).json.enrol_required, true);
});
