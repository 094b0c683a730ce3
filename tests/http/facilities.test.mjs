// Facilities for staff: the search finance picks a beneficiary from (by
// name without diacritics, tax code, district), and a facility created
// for a paper application with the application form's checks: each bad
// input its message and nothing changed, 409 naming the facility already
// there, an audit row; 401/403/CSRF.
import test from 'node:test';
import assert from 'node:assert/strict';
import { sql, assertError } from '../lib.mjs';
import { mkUser, login, as, auditRows, sfx } from './staff-helpers.mjs';
import { taxCode } from './register-helpers.mjs';

let fin; let rev; let aud; let imp;
const UNIT = '18073';	// Phường Thành Sen, valid since 1 July 2025
test('setup', async () => {
  const f = mkUser(['finance'], 'ffi'); fin = await login(f.username, f.password); fin.user = f;
  const r = mkUser(['reviewer'], 'fre'); rev = await login(r.username, r.password);
  const a = mkUser(['auditor'], 'fau'); aud = await login(a.username, a.password);
  const i = mkUser(['importer'], 'fim'); imp = await login(i.username, i.password);
  for (const s of [fin, rev, aud, imp]) assert.equal(s.status, 200);
});

const good = (over = {}) => ({
  name: `Cơ sở Mộc Đức Thọ ${sfx()}`, tax_code: taxCode(), owner_name: 'Nguyễn Thị Hoà',
  phone: '0912 345 678', email: 'moc@example.vn', address: 'Thôn Trung, phường Thành Sen', unit_code: UNIT, kind: 'household', ...over,
});
const count = () => sql('SELECT COUNT(*), (SELECT COUNT(*) FROM audit_log) FROM facility')[0].join('/');

test('create for a paper application: 201, stored in normal form, audited; found by the search', async () => {
  const b = good({ phone: '+84 912 345 678' });
  const c = await as(fin, 'POST', '/api/admin/facilities', b);
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.name, b.name);
  assert.equal(c.json.phone, '0912345678');
  assert.equal(c.json.unit_code, UNIT);
  const a = auditRows('facility', c.json.id).filter((x) => x.action === 'facility.create');
  assert.equal(a.length, 1);
  assert.equal(a[0].after.tax_code, b.tax_code);
  assert.equal(a[0].username, fin.user.username);
  // Without diacritics, in any case; by the start of the tax code; by district (the unit's code).
  const plain = b.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  for (const q of [plain, b.tax_code.slice(0, 7), b.name.toUpperCase()]) {
    const s = await as(fin, 'GET', `/api/admin/facilities?q=${encodeURIComponent(q)}`);
    assert.equal(s.status, 200, s.text);
    assert.ok(s.json.items.some((x) => x.id === c.json.id), `found by ${q}`);
  }
  const d = await as(rev, 'GET', `/api/admin/facilities?district=${UNIT}&q=${encodeURIComponent(b.name.slice(-8))}`);
  assert.deepEqual(d.json.items.map((x) => x.id), [c.json.id]);
  const none = await as(aud, 'GET', `/api/admin/facilities?district=436&q=${encodeURIComponent(b.name.slice(-8))}`);
  assert.deepEqual(none.json.items, []);
  assert.equal(none.json.total, 0);
  // A wildcard is a character, not a pattern.
  const pct = await as(fin, 'GET', '/api/admin/facilities?q=%25%25%25');
  assert.equal(pct.status, 200); assert.equal(pct.json.total, 0);
  // A household business by its owner's 12-digit personal number; the reviewer may create too.
  const h = await as(rev, 'POST', '/api/admin/facilities', good({ tax_code: `04219${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}` }));
  assert.equal(h.status, 201, h.text);
});

test('409 when the facility is already there, saying which', async () => {
  const b = good();
  assert.equal((await as(fin, 'POST', '/api/admin/facilities', b)).status, 201);
  const n = count();
  const same = await as(fin, 'POST', '/api/admin/facilities', good({ tax_code: b.tax_code }));
  assertError(assert, same, 409, 'conflict');
  assert.ok(same.json.error.message.includes(b.name) && same.json.error.message.includes(b.tax_code), same.text);
  const noTax = good({ tax_code: undefined });
  delete noTax.tax_code;
  assert.equal((await as(fin, 'POST', '/api/admin/facilities', noTax)).status, 201);
  const again = await as(fin, 'POST', '/api/admin/facilities', { ...noTax, name: noTax.name.toUpperCase() });
  assertError(assert, again, 409, 'conflict');
  assert.ok(again.json.error.message.includes(noTax.name), again.text);
  assert.equal(count().split('/')[0], String(Number(n.split('/')[0]) + 1));
});

test('bad inputs: each its message, nothing changed', async () => {
  const cases = [
    [{ tax_code: '0100109105' }, 'tax_code'],	// wrong check digit
    [{ tax_code: '999190001234' }, 'tax_code'],	// no such province of birth
    [{ tax_code: '12345' }, 'tax_code'],
    [{ phone: '12' }, 'phone'],
    [{ email: 'not-an-email' }, 'email'],
    [{ name: '<b>Cơ sở</b>' }, 'name'],
    [{ name: 'X' }, 'name'],
    [{ owner_name: undefined }, 'owner_name'],
    [{ address: 'abc' }, 'address'],
    [{ kind: 'factory' }, 'kind'],
    [{ unit_code: '99999' }, 'unit_code'],
    [{ unit_code: '436' }, 'unit_code'],	// a district that is no longer offered
  ];
  const n = count();
  for (const [over, field] of cases) {
    const b = good(over);
    for (const [k, v] of Object.entries(over)) if (v === undefined) delete b[k];
    const r = await as(fin, 'POST', '/api/admin/facilities', b);
    assertError(assert, r, 422, 'validation_failed');
    assert.ok(r.json.error.fields[field], `${JSON.stringify(over)}: ${r.text}`);
  }
  assert.equal(count(), n);
});

test('401, 403 and CSRF: refused and nothing changed', async () => {
  const n = count();
  const b = good();
  assertError(assert, await as(null, 'POST', '/api/admin/facilities', b), 401, 'unauthorized');
  assertError(assert, await as(null, 'GET', '/api/admin/facilities?q=co'), 401, 'unauthorized');
  assertError(assert, await as(imp, 'GET', '/api/admin/facilities?q=co'), 403, 'forbidden');
  for (const s of [imp, aud]) assertError(assert, await as(s, 'POST', '/api/admin/facilities', b), 403, 'forbidden');
  assertError(assert, await as(fin, 'POST', '/api/admin/facilities', b, { csrf: false }), 403, 'forbidden');
  assertError(assert, await as(fin, 'POST', '/api/admin/facilities', b, { csrf: rev.csrf }), 403, 'forbidden');
  assert.equal(count(), n);
  assertError(assert, await as(fin, 'GET', `/api/admin/facilities?q=${'x'.repeat(101)}`), 422, 'validation_failed');
});
