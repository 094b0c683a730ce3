// Helpers for the staff console tests: users made with kc-admin, sign-in,
// requests with the session cookie and CSRF token, data made with SQL.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { TOP, VAR, http, sql } from '../lib.mjs';

// kc-admin of the build under test (the suite runs build-san/).
export const KC_ADMIN = process.env.KC_ADMIN_BIN ||
  [path.join(TOP, 'build-san', 'kc-admin'), path.join(TOP, 'build', 'kc-admin')].find((p) => fs.existsSync(p));

export const sfx = () => crypto.randomBytes(4).toString('hex');

// Run kc-admin with args, the password on standard input; returns {status, stdout, stderr}.
export function kcAdmin(args, input = '') {
  try {
    const stdout = execFileSync(KC_ADMIN, args, {
      input, encoding: 'utf8', env: { ...process.env, KC_VAR: VAR, KC_LOG_QUIET: '1', ASAN_OPTIONS: 'detect_leaks=1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: String(e.stdout || ''), stderr: String(e.stderr || '') };
  }
}

// ---- The second factor, as an authenticator app computes it (RFC 6238:
// HMAC-SHA1 of the 30-second time step, dynamic truncation, 6 digits). ----
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export function base32Decode(s) {
  let bits = 0; let v = 0; const out = [];
  for (const c of s.replace(/[\s=]/g, '').toUpperCase()) {
    const i = B32.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    v = (v << 5) | i; bits += 5;
    if (bits >= 8) { out.push((v >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}
export const timeStep = (ms = Date.now()) => Math.floor(ms / 1000 / 30);
export function totp(secretB32, step = timeStep()) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac('sha1', base32Decode(secretB32)).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1e6).padStart(6, '0');
}

// Second factors of the users made here, and the last step each used:
// the server takes each step once, so a later login uses the next one
// (one step ahead is within its skew), or waits for it.
const secrets = new Map();
const lastStep = new Map();
export async function nextOtp(username) {
  const secret = secrets.get(username);
  for (;;) {
    const now = timeStep();
    const step = Math.max(now, (lastStep.get(username) ?? 0) + 1);
    if (step <= now + 1) return { otp: totp(secret, step), step };
    await new Promise((res) => setTimeout(res, (now + 1) * 30000 - Date.now() + 100));
  }
}

// Give user (from mkUser) a second factor directly in the database, as a
// confirmed enrolment leaves it; returns its base32 secret.
export function enrolDirect(u) {
  const b32 = [...crypto.randomBytes(32)].map((b) => B32[b & 31]).join(''); // 160 bits
  sql(`UPDATE staff_user SET totp_secret='${b32}', totp_enabled_at=NOW(3), totp_last_step=NULL WHERE id=${u.id}`);
  secrets.set(u.username, b32);
  lastStep.delete(u.username);
  u.totp = b32;
  return b32;
}
export const forgetSecret = (username) => { secrets.delete(username); lastStep.delete(username); };
export const rememberSecret = (username, b32, step) => { secrets.set(username, b32); if (step) lastStep.set(username, step); };

// A new user with the given roles: {username, password, id, totp?}.
// Admin and finance must have a second factor: they get one unless
// enrol is false (to test enrolment itself).
export function mkUser(roles, prefix = 'u', { enrol } = {}) {
  const username = `${prefix}${sfx()}`;
  const password = `pw-${crypto.randomBytes(9).toString('base64url')}`;
  const r = kcAdmin(['user', 'add', username, ...roles.flatMap((x) => ['--role', x]), '--name', `Người thử ${username}`], `${password}\n`);
  if (r.status !== 0) throw new Error(`kc-admin failed: ${r.stderr}`);
  const id = Number(sql(`SELECT id FROM staff_user WHERE username='${username}'`)[0][0]);
  const u = { username, password, id };
  if (enrol ?? roles.some((x) => x === 'admin' || x === 'finance')) enrolDirect(u);
  return u;
}

// Sign in: {status, token, cookie, csrf, res}. For a user with a second
// factor made here, the next unused code goes with it unless extra says
// otherwise (extra: {otp} or {recovery_code}; {} sends the password alone).
export async function login(username, password, cookie, extra) {
  let body = { username, password };
  let step;
  if (extra) body = { ...body, ...extra };
  else if (secrets.has(username)) {
    const n = await nextOtp(username);
    body.otp = n.otp; step = n.step;
  }
  const res = await http('POST', '/api/auth/login', { json: body, headers: cookie ? { cookie } : {} });
  if (res.status === 200 && step) lastStep.set(username, step);
  const sc = res.headers.get('set-cookie') || '';
  const m = /kc_session=([^;]*)/.exec(sc);
  const token = m ? m[1] : undefined;
  return { status: res.status, token, cookie: token ? `kc_session=${token}` : undefined, csrf: res.json?.csrf_token, res, setCookie: sc };
}

// A new user with the given roles (as mkUser), signed in: login's answer
// ({cookie, csrf, ...}) with the user as .user.
export async function signedIn(roles, prefix, opts) {
  const u = mkUser(roles, prefix, opts);
  const s = await login(u.username, u.password);
  if (s.status !== 200) throw new Error(`sign-in of ${u.username}: ${s.status} ${s.res.text}`);
  return Object.assign(s, { user: u });
}

// Those who work on the catalogue's corrections (correct, curate), each
// new and signed in: an importer (its name begins with prefix), an
// auditor and a reviewer.
export async function curators(prefix) {
  return {
    importer: await signedIn(['importer'], prefix),
    auditor: await signedIn(['auditor'], 'aud'),
    reviewer: await signedIn(['reviewer'], 'rev'),
  };
}

// A request as a signed-in user: s = {cookie, csrf}; csrf: false leaves the header out.
export function as(s, method, url, json, { csrf } = {}) {
  const headers = {};
  if (s && s.cookie) headers.cookie = s.cookie;
  const tok = csrf === undefined ? s?.csrf : csrf;
  if (tok) headers['x-csrf-token'] = tok;
  return http(method, url, { json, headers });
}

// A call open now (of plan year year), a facility and one submitted
// application to it, made with SQL.
export function mkApplication({ name, requested = 3000000, max = 10000000, year = 2026 } = {}) {
  const s = sfx();
  const fname = name || `Cơ sở thử ${s}`;
  const q = (v) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const rows = sql(`
    SELECT id, code INTO @uid, @ucode FROM admin_unit WHERE level = 'commune' ORDER BY id LIMIT 1;
    INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
      VALUES (${Number(year)}, 'trade_fair', ${q('Đợt thử ' + s)}, NOW() - INTERVAL 1 DAY, NOW() + INTERVAL 30 DAY, ${max});
    SET @call = LAST_INSERT_ID();
    INSERT INTO facility (ident, name, name_fold, unit_id) VALUES (${q('test:' + s)}, ${q(fname)}, ${q('co so thu ' + s)}, @uid);
    SET @fac = LAST_INSERT_ID();
    INSERT INTO application (ref_code, call_id, facility_id, facility_name, phone, unit_id, unit_code, requested_vnd, products, token_hash)
      VALUES (${q('KT-' + s.toUpperCase())}, @call, @fac, ${q(fname)}, '0912345678', @uid, @ucode, ${requested}, '["Sản phẩm thử"]', REPEAT('0', 64));
    SET @app = LAST_INSERT_ID();
    INSERT INTO application_event (application_id, status) VALUES (@app, 'submitted');
    SELECT @app, @call, @fac, @ucode;`);
  const [app, call, fac, unit] = rows[rows.length - 1];
  return { id: Number(app), callId: Number(call), facilityId: Number(fac), unitCode: unit, ref: `KT-${s.toUpperCase()}`, name: fname };
}

export const auditRows = (entity, id) => sql(
  `SELECT id, action, username, ip, COALESCE(before_json, 'null'), COALESCE(after_json, 'null') FROM audit_log WHERE entity='${entity}' AND entity_id='${id}' ORDER BY id`)
  .map(([aid, action, username, ip, b, a]) => ({ id: Number(aid), action, username, ip, before: JSON.parse(b), after: JSON.parse(a) }));
