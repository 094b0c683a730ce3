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

// A new user with the given roles: {username, password, id}.
export function mkUser(roles, prefix = 'u') {
  const username = `${prefix}${sfx()}`;
  const password = `pw-${crypto.randomBytes(9).toString('base64url')}`;
  const r = kcAdmin(['user', 'add', username, ...roles.flatMap((x) => ['--role', x]), '--name', `Người thử ${username}`], `${password}\n`);
  if (r.status !== 0) throw new Error(`kc-admin failed: ${r.stderr}`);
  const id = Number(sql(`SELECT id FROM staff_user WHERE username='${username}'`)[0][0]);
  return { username, password, id };
}

// Sign in: {status, token, cookie, csrf, res}.
export async function login(username, password, cookie) {
  const res = await http('POST', '/api/auth/login', { json: { username, password }, headers: cookie ? { cookie } : {} });
  const sc = res.headers.get('set-cookie') || '';
  const m = /kc_session=([^;]*)/.exec(sc);
  const token = m ? m[1] : undefined;
  return { status: res.status, token, cookie: token ? `kc_session=${token}` : undefined, csrf: res.json?.csrf_token, res, setCookie: sc };
}

// A request as a signed-in user: s = {cookie, csrf}; csrf: false leaves the header out.
export function as(s, method, url, json, { csrf } = {}) {
  const headers = {};
  if (s && s.cookie) headers.cookie = s.cookie;
  const tok = csrf === undefined ? s?.csrf : csrf;
  if (tok) headers['x-csrf-token'] = tok;
  return http(method, url, { json, headers });
}

// A call open now, a facility and one submitted application to it, made with SQL.
export function mkApplication({ name, requested = 3000000, max = 10000000 } = {}) {
  const s = sfx();
  const fname = name || `Cơ sở thử ${s}`;
  const q = (v) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const rows = sql(`
    SELECT id, code INTO @uid, @ucode FROM admin_unit WHERE level = 'commune' ORDER BY id LIMIT 1;
    INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
      VALUES (2026, 'trade_fair', ${q('Đợt thử ' + s)}, NOW() - INTERVAL 1 DAY, NOW() + INTERVAL 30 DAY, ${max});
    SET @call = LAST_INSERT_ID();
    INSERT INTO facility (ident, name, name_fold, unit_id) VALUES (${q('test:' + s)}, ${q(fname)}, ${q('co so thu ' + s)}, @uid);
    SET @fac = LAST_INSERT_ID();
    INSERT INTO application (ref_code, call_id, facility_id, facility_name, phone, unit_id, unit_code, requested_vnd, products, token_hash)
      VALUES (${q('KT-' + s)}, @call, @fac, ${q(fname)}, '0912345678', @uid, @ucode, ${requested}, '["Sản phẩm thử"]', REPEAT('0', 64));
    SET @app = LAST_INSERT_ID();
    INSERT INTO application_event (application_id, status) VALUES (@app, 'submitted');
    SELECT @app, @call, @fac, @ucode;`);
  const [app, call, fac, unit] = rows[rows.length - 1];
  return { id: Number(app), callId: Number(call), facilityId: Number(fac), unitCode: unit, ref: `KT-${s}`, name: fname };
}

export const auditRows = (entity, id) => sql(
  `SELECT id, action, username, ip, COALESCE(before_json, 'null'), COALESCE(after_json, 'null') FROM audit_log WHERE entity='${entity}' AND entity_id='${id}' ORDER BY id`)
  .map(([aid, action, username, ip, b, a]) => ({ id: Number(aid), action, username, ip, before: JSON.parse(b), after: JSON.parse(a) }));
