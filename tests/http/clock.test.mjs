// Issue 16, point 3: every calendar-day rule goes by Vietnam's day
// (Asia/Ho_Chi_Minh, UTC+7), tested at the boundaries by setting the clock
// the programs read (KC_CLOCK_FILE, which tests/run.sh gives the stack and
// this process), never by waiting. The clock is restored after each test:
// the other test files share the stack.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { http, sql, assertError } from '../lib.mjs';
import { mkUser, login, as, sfx } from './staff-helpers.mjs';
import { body } from './register-helpers.mjs';
import { kcImport, tmpFile, csv, suffix, ENV } from './import-helpers.mjs';

const CLOCK = process.env.KC_CLOCK_FILE;
const at = (iso) => fs.writeFileSync(CLOCK, `${Math.floor(Date.parse(iso) / 1000)}\n`);
const restore = () => fs.rmSync(CLOCK, { force: true });
// A cookie keeps nginx's micro-cache out of it (neither read nor stored).
const fresh = (url) => http('GET', url, { headers: { cookie: 'kc_test=clock' } });

let reviewer; let importer;
test.before(async () => {
  assert.ok(CLOCK, 'KC_CLOCK_FILE must name the clock file the stack was started with (tests/run.sh sets it)');
  const r = mkUser(['reviewer'], 'clk');
  reviewer = await login(r.username, r.password);
  const i = mkUser(['importer'], 'clki');
  importer = await login(i.username, i.password);
});
test.afterEach(restore);
test.after(restore);

test('the hook: a clock file sets the time the programs go by, its removal gives the real time back', async () => {
  at('2025-06-30T12:00:00Z');
  const old = await fresh('/api/units');
  assert.equal(old.status, 200);
  assert.ok(old.json.items.length > 0);
  assert.ok(old.json.items.every((u) => u.level === 'district'), 'before the 2025 reform: district-level units');
  restore();
  const now = await fresh('/api/units');
  assert.ok(now.json.items.every((u) => u.level === 'commune'), 'today: the communes');
});

test('units valid today: Vietnam\'s day, across the UTC midnight of the 1 July 2025 reform', async () => {
  // 16:59:59Z = 23:59:59 on 30/06 in Hà Tĩnh: still the districts.
  at('2025-06-30T16:59:59Z');
  let r = await fresh('/api/units');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.every((u) => u.level === 'district'), 'VN 30/06 23:59:59 → districts');
  // 17:30Z on 30/06 = 00:30 on 01/07 in Hà Tĩnh (UTC still says 30/06): the communes.
  at('2025-06-30T17:30:00Z');
  r = await fresh('/api/units');
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 69, 'the 69 communes and wards');
  assert.ok(r.json.items.every((u) => u.level === 'commune'), 'VN 01/07 00:30 → communes');
  // The same day on the CSV.
  const c = await fresh('/api/units.csv');
  assert.equal(c.status, 200);
  assert.equal(c.text.replace(/^\uFEFF/, '').trim().split('\n').length, 70);

  // An application at VN 01/07 00:30 names a commune; a district is refused.
  const s = sfx();
  const callId = Number(sql(`INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
    VALUES (2025, 'training', 'Đợt giờ VN ${s}', '2025-06-01 00:00:00', '2025-07-31 00:00:00', 20000000);
    SELECT LAST_INSERT_ID();`).pop()[0]);
  const commune = r.json.items[0].code;
  const ok = await http('POST', '/api/applications', { json: await body(callId, { 'facility.unit_code': commune }) });
  assert.equal(ok.status, 201, ok.text);
  const district = sql("SELECT code FROM admin_unit WHERE level = 'district' AND valid_to = '2025-06-30' LIMIT 1")[0][0];
  const bad = await http('POST', '/api/applications', { json: await body(callId, { 'facility.unit_code': district }) });
  assertError(assert, bad, 422, 'validation_failed');
  assert.ok(bad.json.error.fields['facility.unit_code']);
});

test('a call closing on 30/11 takes applications until 23:59:59 of 30/11 in Hà Tĩnh, then 409', async () => {
  const title = `Đợt hạn cuối ${sfx()}`;
  const made = await as(reviewer, 'POST', '/api/admin/calls', {
    year: 2026, kind: 'trade_fair', title, opens_at: '2026-11-01', closes_at: '2026-11-30', max_support_vnd: 20000000,
  });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  // Staff give days; they are Vietnam's, and come back as they were given.
  assert.equal(made.json.opens_at, '2026-10-31T17:00:00Z');
  assert.equal(made.json.closes_at, '2026-11-30T17:00:00Z');
  assert.equal(made.json.opens_on, '2026-11-01');
  assert.equal(made.json.closes_on, '2026-11-30');

  // 23:59:59 on 30/11 in Hà Tĩnh.
  at('2026-11-30T16:59:59Z');
  let pub = await fresh('/api/calls?open=true&per_page=100');
  let it = pub.json.items.find((c) => c.id === id);
  assert.ok(it, 'listed among the open calls');
  assert.equal(it.open, true);
  assert.equal(it.closes_on, '2026-11-30');
  assert.equal((await as(reviewer, 'GET', `/api/admin/calls/${id}`)).json.open, true);
  const ok = await http('POST', '/api/applications', { json: await body(id) });
  assert.equal(ok.status, 201, ok.text);
  assert.match(ok.json.ref_code, /^KC-2026-\d{6}$/);

  // 00:00:00 on 01/12 in Hà Tĩnh: closed.
  at('2026-11-30T17:00:00Z');
  const late = await http('POST', '/api/applications', { json: await body(id) });
  assertError(assert, late, 409, 'conflict');
  pub = await fresh('/api/calls?per_page=100');
  it = pub.json.items.find((c) => c.id === id);
  assert.equal(it.open, false);
  assert.equal((await as(reviewer, 'GET', `/api/admin/calls/${id}`)).json.open, false);
  assert.ok(!(await fresh('/api/calls?open=true&per_page=100')).json.items.some((c) => c.id === id));

  // Before its first day (23:59:59 on 31/10 in Hà Tĩnh) it is not open yet.
  at('2026-10-31T16:59:59Z');
  assertError(assert, await http('POST', '/api/applications', { json: await body(id) }), 409, 'conflict');
  at('2026-10-31T17:00:00Z');
  assert.equal((await http('POST', '/api/applications', { json: await body(id) })).status, 201);
});

test('staff open and close a call at the clock\'s time; an instant with an offset is taken as written', async () => {
  const made = await as(reviewer, 'POST', '/api/admin/calls', {
    year: 2026, kind: 'training', title: `Đợt mở đóng ${sfx()}`, opens_at: '2026-12-01T08:00:00+07:00',
    closes_at: '2026-12-10T17:00:00+07:00', max_support_vnd: 5000000,
  });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.opens_at, '2026-12-01T01:00:00Z');
  assert.equal(made.json.closes_at, '2026-12-10T10:00:00Z');
  assert.equal(made.json.closes_on, '2026-12-10');
  at('2026-12-05T03:00:00Z');
  const closed = await as(reviewer, 'POST', `/api/admin/calls/${made.json.id}/close`, {});
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.closes_at, '2026-12-05T03:00:00Z');
  assert.equal(closed.json.closes_on, '2026-12-05');
  assert.equal(closed.json.open, false);
  const bad = await as(reviewer, 'POST', '/api/admin/calls', {
    year: 2026, kind: 'training', title: `Đợt sai ${sfx()}`, opens_at: '2026-02-29', closes_at: '2026-03-10', max_support_vnd: 5000000,
  });
  assertError(assert, bad, 422, 'validation_failed');
  assert.ok(bad.json.error.fields.opens_at);
});

test('the import takes years up to Vietnam\'s current year: the CLI and the web, on New Year\'s night', async () => {
  const tag = suffix();
  const file = (y) => csv([[`Sản phẩm ${tag} ${y}`, `Cơ sở ${tag}`, '', String(y), 'Cấp tỉnh', '', '', '']]);
  const cli = (y) => kcImport(['--dry-run', '--json', tmpFile(`clock-${tag}-${y}.csv`, file(y))], { env: { ...ENV, KC_CLOCK_FILE: CLOCK } }).reports[0];
  const web = async (y) => (await http('POST', '/api/admin/imports?dry_run=1', {
    body: file(y), headers: { cookie: importer.cookie, 'x-csrf-token': importer.csrf, 'content-type': 'text/csv' },
  })).json;
  // 23:59:59 on 31/12/2026 in Hà Tĩnh: 2027 is still ahead.
  at('2026-12-31T16:59:59Z');
  for (const rep of [cli(2027), await web(2027)]) {
    assert.equal(rep.rows_rejected, 1, JSON.stringify(rep));
    assert.equal(rep.errors[0].column, 'year');
  }
  for (const rep of [cli(2026), await web(2026)]) assert.equal(rep.rows_rejected, 0, JSON.stringify(rep));
  // 00:30 on 01/01/2027 in Hà Tĩnh (UTC still says 2026): 2027 is the current year, 2028 is not.
  at('2026-12-31T17:30:00Z');
  for (const rep of [cli(2027), await web(2027)]) {
    assert.equal(rep.rows_rejected, 0, JSON.stringify(rep));
    assert.equal(rep.rows_inserted, 1, JSON.stringify(rep));
  }
  for (const rep of [cli(2028), await web(2028)]) {
    assert.equal(rep.rows_rejected, 1, JSON.stringify(rep));
    assert.equal(rep.errors[0].column, 'year');
  }
});

test('the audit trail\'s days are Vietnam\'s: from=&to= a day takes its 24 hours in Hà Tĩnh', async () => {
  const a = mkUser(['auditor'], 'clka');
  const auditor = await login(a.username, a.password);
  const ent = `clock${sfx()}`;
  // 00:30 on 01/12 in Hà Tĩnh, and 23:59:59 on 30/11 there.
  sql(`SET time_zone = '+00:00'; INSERT INTO audit_log (at, username, action, entity, entity_id)
    VALUES ('2026-11-30 17:30:00', 'test', 'test.clock', '${ent}', 'dec1'), ('2026-11-30 16:59:59', 'test', 'test.clock', '${ent}', 'nov30')`);
  const ids = async (day) => {
    const r = await as(auditor, 'GET', `/api/admin/audit?entity=${ent}&from=${day}&to=${day}`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((x) => x.entity_id).sort();
  };
  assert.deepEqual(await ids('2026-12-01'), ['dec1']);
  assert.deepEqual(await ids('2026-11-30'), ['nov30']);
});

test('the clock is not taken from a request', async () => {
  restore();
  const r = await http('GET', '/api/units', { headers: { cookie: 'kc_test=clock', 'x-kc-clock': '1751304600', 'kc-clock-file': '/etc/hostname' } });
  assert.ok(r.json.items.every((u) => u.level === 'commune'));
});
