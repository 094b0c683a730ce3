// Every staff endpoint: 401 without a session, 403 with the wrong role,
// 403 without or with a wrong CSRF token on changes — and nothing changed
// in the database in any of these cases. The application database users
// cannot UPDATE or DELETE audit rows.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { sql, assertError, VAR } from '../lib.mjs';
import { mkUser, login, as, mkApplication, sfx } from './staff-helpers.mjs';

const app = mkApplication();
const actId = (() => {
  const r = sql(`INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (2020, '1', 'Hoạt động thử ${sfx()}', 'Trung tâm thử', 1000000); SELECT LAST_INSERT_ID();`);
  return Number(r[r.length - 1][0]);
})();
const uid = Number(sql('SELECT MIN(id) FROM staff_user')[0][0] || 1);
// One money line of each kind on that activity, to correct and remove.
const [allocId, disbId, settleId] = (() => {
  const r = sql(`INSERT INTO allocation (activity_id, amount_vnd, allocated_on) VALUES (${actId}, 500000, '2020-04-01'); SET @l = LAST_INSERT_ID();
    INSERT INTO disbursement (activity_id, amount_vnd, paid_on, beneficiary) VALUES (${actId}, 200000, '2020-05-01', 'Trung tâm thử'); SET @d = LAST_INSERT_ID();
    INSERT INTO settlement (activity_id, amount_vnd, settled_on) VALUES (${actId}, 200000, '2020-12-01'); SELECT @l, @d, LAST_INSERT_ID();`);
  return r[r.length - 1].map(Number);
})();

// method, path, body, roles that may call it (admin always may).
const endpoints = [
  ['GET', '/api/admin/users', null, ['auditor']],
  ['GET', '/api/admin/users.csv', null, ['auditor']],
  ['POST', '/api/admin/users', { username: `x${sfx()}`, display_name: 'X', password: 'long enough pw', roles: ['auditor'] }, []],
  ['PATCH', `/api/admin/users/${uid}`, { display_name: 'Đổi tên' }, []],
  ['GET', '/api/admin/calls', null, ['reviewer', 'auditor']],
  ['GET', '/api/admin/calls.csv', null, ['reviewer', 'auditor']],
  ['GET', `/api/admin/calls/${app.callId}`, null, ['reviewer', 'auditor']],
  ['POST', '/api/admin/calls', { year: 2026, kind: 'training', title: 'Đợt mới', opens_at: '2026-01-01', closes_at: '2026-02-01', max_support_vnd: 1000 }, ['reviewer']],
  ['PUT', `/api/admin/calls/${app.callId}`, { year: 2026, kind: 'training', title: 'Đổi', opens_at: '2026-01-01', closes_at: '2027-02-01', max_support_vnd: 1000 }, ['reviewer']],
  ['POST', `/api/admin/calls/${app.callId}/open`, {}, ['reviewer']],
  ['POST', `/api/admin/calls/${app.callId}/close`, {}, ['reviewer']],
  ['GET', '/api/admin/applications', null, ['reviewer', 'finance', 'auditor']],
  ['GET', '/api/admin/applications.csv', null, ['reviewer', 'finance', 'auditor']],
  ['GET', `/api/admin/applications/${app.id}`, null, ['reviewer', 'finance', 'auditor']],
  ['POST', `/api/admin/applications/${app.id}/review`, {}, ['reviewer']],
  ['POST', `/api/admin/applications/${app.id}/approve`, { approved_vnd: 1000 }, ['reviewer']],
  ['POST', `/api/admin/applications/${app.id}/reject`, { reason: 'Không đủ điều kiện' }, ['reviewer']],
  ['GET', '/api/admin/plans', null, ['finance', 'auditor']],
  ['GET', '/api/admin/plans.csv', null, ['finance', 'auditor']],
  ['GET', '/api/admin/plans/2020', null, ['finance', 'auditor']],
  ['POST', '/api/admin/plans', { year: 2999, title: 'Kế hoạch thử', total_vnd: 1 }, ['finance']],
  ['PUT', '/api/admin/plans/2020', { title: 'Đổi tên kế hoạch', total_vnd: 1 }, ['finance']],
  ['PUT', '/api/admin/plans/2020/contents/1', { title: 'Đổi nội dung' }, ['finance']],
  ['POST', '/api/admin/plans/2020/decision', {}, ['finance']],
  ['DELETE', '/api/admin/plans/2020/decision', null, ['finance']],
  ['POST', '/api/admin/activities', { year: 2020, content_code: '1', title: 'Hoạt động', unit_name: 'Đơn vị', planned_vnd: 1 }, ['finance']],
  ['GET', `/api/admin/activities/${actId}`, null, ['finance', 'auditor']],
  ['PUT', `/api/admin/activities/${actId}`, { year: 2020, content_code: '1', title: 'Đổi', unit_name: 'Đơn vị', planned_vnd: 1 }, ['finance']],
  ['POST', `/api/admin/activities/${actId}/allocations`, { amount_vnd: 1, date: '2020-05-01' }, ['finance']],
  ['POST', `/api/admin/activities/${actId}/disbursements`, { amount_vnd: 1, date: '2020-05-01', beneficiary: 'Trung tâm' }, ['finance']],
  ['POST', `/api/admin/activities/${actId}/settlements`, { amount_vnd: 1, date: '2020-05-01' }, ['finance']],
  ['PUT', `/api/admin/allocations/${allocId}`, { amount_vnd: 2, date: '2020-05-01' }, ['finance']],
  ['DELETE', `/api/admin/allocations/${allocId}`, null, ['finance']],
  ['PUT', `/api/admin/disbursements/${disbId}`, { amount_vnd: 2, date: '2020-05-01', beneficiary: 'Trung tâm' }, ['finance']],
  ['DELETE', `/api/admin/disbursements/${disbId}`, null, ['finance']],
  ['PUT', `/api/admin/settlements/${settleId}`, { amount_vnd: 2, date: '2020-05-01' }, ['finance']],
  ['DELETE', `/api/admin/settlements/${settleId}`, null, ['finance']],
  ['GET', '/api/admin/facilities?q=co', null, ['finance', 'reviewer', 'auditor']],
  ['POST', '/api/admin/facilities', { name: 'Cơ sở giấy', owner_name: 'Nguyễn Văn An', phone: '0912345678', address: 'Thôn 1, xã thử', unit_code: '436', kind: 'household' }, ['finance', 'reviewer']],
  ['GET', '/api/admin/audit', null, ['auditor']],
  ['GET', '/api/admin/audit.csv', null, ['auditor']],
  ['POST', '/api/auth/logout', {}, ['reviewer', 'finance', 'importer', 'auditor']],
  ['GET', '/api/auth/session', null, ['reviewer', 'finance', 'importer', 'auditor']],
];

const ROLES = ['reviewer', 'finance', 'importer', 'auditor'];
const TABLES = 'staff_user, facility, support_call, application, application_event, plan, plan_content, activity, allocation, disbursement, settlement, audit_log';
const snapshot = () => sql(`CHECKSUM TABLE ${TABLES} EXTENDED`).map((r) => r.join(':')).join(' ')
  + ` sessions:${sql('SELECT COUNT(*), COALESCE(SUM(ended_at IS NOT NULL), 0) FROM staff_session')[0].join('/')}`;

const sessions = {};
test('setup: one signed-in user per role', async () => {
  for (const role of ROLES) {
    const u = mkUser([role], role.slice(0, 3));
    sessions[role] = await login(u.username, u.password);
    assert.equal(sessions[role].status, 200);
  }
});

test('refused requests change nothing', async (t) => {
  const before = snapshot();
  for (const [method, url, body, roles] of endpoints) {
    await t.test(`${method} ${url}`, async () => {
      // No session at all, and a forged token.
      assertError(assert, await as(null, method, url, body ?? undefined), 401, 'unauthorized');
      assertError(assert, await as({ cookie: `kc_session=${'A'.repeat(43)}`, csrf: 'x' }, method, url, body ?? undefined), 401, 'unauthorized');
      // Wrong roles.
      for (const role of ROLES.filter((x) => !roles.includes(x))) {
        const r = await as(sessions[role], method, url, body ?? undefined);
        assertError(assert, r, 403, 'forbidden');
      }
      // Right role, missing or wrong CSRF token on a change.
      if (method !== 'GET' && roles.length > 0) {
        const s = sessions[roles[0]];
        assertError(assert, await as(s, method, url, body ?? undefined, { csrf: false }), 403, 'forbidden');
        assertError(assert, await as(s, method, url, body ?? undefined, { csrf: s.csrf.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }), 403, 'forbidden');
        assertError(assert, await as(s, method, url, body ?? undefined, { csrf: sessions.auditor.csrf }), 403, 'forbidden');
      }
    });
  }
  assert.equal(snapshot(), before, 'the database changed');
  assert.equal(sql(`SELECT status FROM application WHERE id=${app.id}`)[0][0], 'submitted');
});

test('allowed roles get through (GET)', async () => {
  for (const [method, url, , roles] of endpoints) {
    if (method !== 'GET') continue;
    for (const role of roles) {
      const r = await as(sessions[role], method, url);
      assert.equal(r.status, 200, `${role} ${url}: ${r.text.slice(0, 200)}`);
    }
  }
});

function mariadbAs(user, query) {
  const pw = fs.readFileSync(path.join(VAR, 'secrets', `${user}.pw`), 'utf8').trim();
  try {
    const out = execFileSync('mariadb', ['--no-defaults', `--socket=${path.join(VAR, 'run', 'mysqld.sock')}`,
      '-u', user, `-p${pw}`, 'kc', '-N', '-B', '-e', query], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, out };
  } catch (e) {
    return { ok: false, err: String(e.stderr) };
  }
}

test('kc_public and kc_staff cannot UPDATE or DELETE audit rows', () => {
  sql("INSERT INTO audit_log (username, action, entity, entity_id) VALUES ('test', 'test.row', 'test', 'grant-check')");
  const id = sql("SELECT MAX(id) FROM audit_log WHERE entity_id='grant-check'")[0][0];
  for (const user of ['kc_public', 'kc_staff']) {
    // The account works: it may read what it should.
    assert.ok(mariadbAs(user, 'SELECT COUNT(*) FROM admin_unit').ok, `${user} can connect`);
    const up = mariadbAs(user, `UPDATE audit_log SET action='forged' WHERE id=${id}`);
    assert.equal(up.ok, false, `${user} UPDATE audit_log`);
    assert.match(up.err, /denied/i);
    const del = mariadbAs(user, `DELETE FROM audit_log WHERE id=${id}`);
    assert.equal(del.ok, false, `${user} DELETE audit_log`);
    assert.match(del.err, /denied/i);
    assert.equal(mariadbAs(user, `TRUNCATE TABLE audit_log`).ok, false);
  }
  assert.ok(mariadbAs('kc_staff', "INSERT INTO audit_log (action, entity) VALUES ('test.insert', 'test')").ok, 'kc_staff may append');
  assert.equal(mariadbAs('kc_public', "INSERT INTO audit_log (action, entity) VALUES ('test.insert', 'test')").ok, false);
  assert.equal(mariadbAs('kc_public', 'SELECT COUNT(*) FROM staff_user').ok, false, 'kc_public cannot read staff accounts');
  assert.equal(mariadbAs('kc_public', 'SELECT COUNT(*) FROM staff_session').ok, false);
  assert.equal(sql(`SELECT action FROM audit_log WHERE id=${id}`)[0][0], 'test.row');
});
