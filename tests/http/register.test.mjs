// Issue 4: calls, applications, status by code and token. Every test
// makes its own calls and facilities (unique per run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, getCsv, http, post, sql, assertError } from '../lib.mjs';
import { body, countApps, makeCall, suffix, taxCode, unitCode } from './register-helpers.mjs';

const openCall = makeCall({ max: 15000000 });

async function apply(b) {
  return post('/api/applications', { json: b });
}

test('GET /api/calls lists calls with API.md fields; open first; filters', async () => {
  const open = makeCall({ max: 12345000, kind: 'label_printing' });
  const closed = makeCall({ window: 'closed' });
  const future = makeCall({ window: 'future' });
  const r = await get(`/api/calls?per_page=100&_=${suffix()}`);
  assert.equal(r.status, 200);
  assert.ok(Number.isInteger(r.json.total) && r.json.page === 1 && r.json.per_page === 100);
  const o = r.json.items.find((c) => c.id === open);
  assert.equal(o.kind, 'label_printing');
  assert.equal(o.open, true);
  assert.equal(o.max_support_vnd, 12345000);
  assert.match(o.opens_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(o.closes_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(o.title.startsWith('Đợt thử'));
  assert.equal(r.json.items.find((c) => c.id === closed).open, false);
  assert.equal(r.json.items.find((c) => c.id === future).open, false);
  // open ones first
  const firstClosed = r.json.items.findIndex((c) => !c.open);
  assert.ok(r.json.items.slice(firstClosed).every((c) => !c.open));
  const only = await get(`/api/calls?open=1&per_page=100&_=${suffix()}`);
  assert.ok(only.json.items.some((c) => c.id === open));
  assert.ok(only.json.items.every((c) => c.open));
  assert.ok(!only.json.items.some((c) => c.id === closed));
  const kind = await get(`/api/calls?kind=label_printing&per_page=100&_=${suffix()}`);
  assert.ok(kind.json.items.every((c) => c.kind === 'label_printing'));
  assertError(assert, await get('/api/calls?year=abc'), 422, 'validation_failed');
  assertError(assert, await get('/api/calls?kind=party'), 422, 'validation_failed');
});

test('GET /api/calls.csv is CSV with BOM and header', async () => {
  const id = makeCall();
  const lines = (await getCsv(assert, `/api/calls.csv?open=1&_=${suffix()}`)).trim().split('\r\n');
  assert.equal(lines[0], 'id,year,kind,title,opens_at,closes_at,open,max_support_vnd,capacity,remaining,activity_id,sample,description,opens_on,closes_on');
  assert.ok(lines.some((l) => l.startsWith(`${id},`)));
});

test('a valid application: 201 after commit, normalised and stored, token only hashed', async () => {
  const b = await body(openCall, { 'facility.phone': '+84 912 345 678', 'facility.name': 'Co\u0301 so\u031b  Thử  NFD ' + suffix() });
  const before = countApps(openCall);
  const r = await apply(b);
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.ref_code, /^KC-\d{4}-\d{6}$/);
  assert.equal(r.json.status, 'submitted');
  assert.match(r.json.status_token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(r.headers.get('location'), `/api/applications/${r.json.ref_code}`);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(countApps(openCall), before + 1);
  const [row] = sql(`SELECT a.phone, a.status, a.token_hash, a.requested_vnd, a.products, a.facility_name, f.tax_code, f.ident,
    (SELECT COUNT(*) FROM application_event e WHERE e.application_id = a.id AND e.status = 'submitted')
    FROM application a JOIN facility f ON f.id = a.facility_id WHERE a.ref_code = '${r.json.ref_code}'`);
  assert.equal(row[0], '0912345678');
  assert.equal(row[1], 'submitted');
  assert.match(row[2], /^[0-9a-f]{64}$/);
  assert.notEqual(row[2], r.json.status_token);
  assert.equal(row[3], '10000000');
  assert.deepEqual(JSON.parse(row[4]), ['Bàn ghế gỗ', 'Tủ thờ']);
  assert.ok(row[5].startsWith('Có sơ Thử NFD '), row[5]); // NFC, spaces collapsed
  assert.equal(row[6], b.facility.tax_code);
  assert.equal(row[7], `tax:${b.facility.tax_code}`);
  assert.equal(row[8], '1');
  const leaked = sql(`SELECT COUNT(*) FROM application WHERE token_hash LIKE '%${r.json.status_token}%'`);
  assert.equal(leaked[0][0], '0');
});

test('phone numbers in every accepted form are stored as 0912345678', async () => {
  for (const p of ['0912 345 678', '+84 912345678', '84912345678', '091.234.5678']) {
    const r = await apply(await body(openCall, { 'facility.phone': p }));
    assert.equal(r.status, 201, `${p}: ${r.text}`);
    const [[phone]] = sql(`SELECT phone FROM application WHERE ref_code = '${r.json.ref_code}'`);
    assert.equal(phone, '0912345678', p);
  }
  const land = await apply(await body(openCall, { 'facility.phone': '0239 3855 123' }));
  assert.equal(land.status, 201);
  assert.equal(sql(`SELECT phone FROM application WHERE ref_code = '${land.json.ref_code}'`)[0][0], '02393855123');
});

test('tax code: a branch code is accepted, no tax code is accepted (name + unit identity)', async () => {
  const branch = `${taxCode()}-001`;
  const r = await apply(await body(openCall, { 'facility.tax_code': branch }));
  assert.equal(r.status, 201, r.text);
  const none = await apply(await body(openCall, { 'facility.tax_code': undefined, 'facility.email': undefined, products: undefined, note: undefined }));
  assert.equal(none.status, 201, none.text);
  const [[ident]] = sql(`SELECT f.ident FROM application a JOIN facility f ON f.id = a.facility_id WHERE a.ref_code = '${none.json.ref_code}'`);
  assert.match(ident, /^name:co so moc thu [0-9a-f]{8}\|\d+$/);
});

// The rules, by field: what is wrong, and the value that breaks it
// (undefined: the field left out). Each must be refused naming the field.
const BAD = {
  call_id: { missing: undefined, 'not a number': 'abc', 'a fraction': 1.5 },
  'facility.name': { missing: undefined, blank: '   ', 'too short': 'A', 'too long': 'x'.repeat(256) },
  'facility.tax_code': {
    'wrong check digit': '0100109107', '9 digits': '010010910', letters: '01001O9106', 'bad branch': '0100109106-01',
  },
  'facility.owner_name': { missing: undefined, 'too long': 'x'.repeat(121) },
  'facility.phone': {
    missing: undefined, 'too short': '091234567', 'unknown prefix': '0612345678',
    'other country': '+1 202 555 0100', letters: '0912abc678',
  },
  'facility.email': { 'no domain': 'coso@', 'no dot': 'coso@gmail', spaces: 'co so@gmail.com' },
  'facility.address': { missing: undefined, 'too long': 'x'.repeat(501) },
  'facility.unit_code': {
    missing: undefined, unknown: '99999', 'no longer valid (district before 2025-07-01)': '436',
  },
  'facility.kind': { missing: undefined, unknown: 'company' },
  requested_vnd: {
    missing: undefined, text: 'mười triệu', fraction: 1000000.5, negative: -5, zero: 0,
    'above the call maximum': 15000001,
  },
  products: {
    'not a list': 'Bàn ghế', 'one too long': ['x'.repeat(201)],
    'too many': Array.from({ length: 21 }, (_, i) => `SP ${i}`), 'one not text': [12],
  },
  note: { 'too long': 'x'.repeat(2001) },
};
const RULES = Object.entries(BAD).flatMap(([field, bad]) =>
  Object.entries(bad).map(([name, value]) => [name, { [field]: value }, field]));

for (const [name, change, field] of RULES) {
  test(`422 names ${field}: ${name}; nothing stored`, async () => {
    const before = countApps(openCall);
    const r = await apply(await body(openCall, change));
    assertError(assert, r, 422, 'validation_failed');
    assert.deepEqual(Object.keys(r.json.error.fields), [field], r.text);
    assert.equal(typeof r.json.error.fields[field], 'string');
    assert.ok(r.json.error.fields[field].length > 3);
    assert.equal(countApps(openCall), before);
  });
}

test('the call maximum is named in the message', async () => {
  const r = await apply(await body(openCall, { requested_vnd: 20000000 }));
  assertError(assert, r, 422, 'validation_failed');
  assert.match(r.json.error.fields.requested_vnd, /15\.000\.000 đ/);
});

test('every failing field is reported at once', async () => {
  const r = await apply({});
  assertError(assert, r, 422, 'validation_failed');
  assert.deepEqual(Object.keys(r.json.error.fields).sort(), ['call_id', 'facility.address', 'facility.kind',
    'facility.name', 'facility.owner_name', 'facility.phone', 'facility.unit_code', 'requested_vnd'].sort());
  const many = await apply(await body(openCall, {
    'facility.tax_code': '123', 'facility.phone': '1', 'facility.email': 'x', 'facility.unit_code': '0',
    requested_vnd: 99999999999,
  }));
  assertError(assert, many, 422, 'validation_failed');
  assert.deepEqual(Object.keys(many.json.error.fields).sort(), ['facility.email', 'facility.phone', 'facility.tax_code',
    'facility.unit_code', 'requested_vnd'].sort());
});

test('same facility, same call → 409; other call → 201', async () => {
  const call = makeCall();
  const other = makeCall();
  const b = await body(call);
  assert.equal((await apply(b)).status, 201);
  const again = await apply({ ...b, facility: { ...b.facility, name: 'Tên khác hẳn', phone: '0987654321' } });
  assertError(assert, again, 409, 'conflict');
  assert.equal(countApps(call), 1);
  assert.equal((await apply({ ...b, call_id: other })).status, 201);
  // Both applications point at the one facility row (the second found it).
  const [[facilities]] = sql(`SELECT COUNT(DISTINCT facility_id) FROM application WHERE call_id IN (${call}, ${other})`);
  assert.equal(String(facilities), '1');
  // Without a tax code: the same name (typed without diacritics, other
  // case and spacing) in the same unit is the same facility.
  const n = suffix();
  const first = await body(call, { 'facility.tax_code': undefined, 'facility.name': `Cơ sở Đồ gỗ Hà ${n}` });
  assert.equal((await apply(first)).status, 201);
  const plain = await body(call, { 'facility.tax_code': undefined, 'facility.name': `co so  DO GO HA ${n}` });
  assertError(assert, await apply(plain), 409, 'conflict');
  assert.equal(countApps(call), 2);
});

test('closed or not yet open call → 409, unknown call → 404; nothing stored', async () => {
  const closed = makeCall({ window: 'closed' });
  const future = makeCall({ window: 'future' });
  assertError(assert, await apply(await body(closed)), 409, 'conflict');
  assertError(assert, await apply(await body(future)), 409, 'conflict');
  assert.equal(countApps(closed), 0);
  assert.equal(countApps(future), 0);
  const [[max]] = sql('SELECT COALESCE(MAX(id), 0) + 100000 FROM support_call');
  assertError(assert, await apply(await body(Number(max))), 404, 'not_found');
});

test('status by code and token; wrong, missing, foreign token and unknown code are the same 404', async () => {
  const a = await apply(await body(openCall));
  const b = await apply(await body(openCall));
  assert.equal(a.status, 201);
  const url = `/api/applications/${a.json.ref_code}`;
  const ok = await get(url, { headers: { 'X-Status-Token': a.json.status_token } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.headers.get('cache-control'), 'no-store');
  assert.equal(ok.json.ref_code, a.json.ref_code);
  assert.equal(ok.json.status, 'submitted');
  assert.equal(ok.json.call.id, openCall);
  assert.equal(ok.json.requested_vnd, 10000000);
  assert.equal(ok.json.approved_vnd, null);
  assert.equal(ok.json.history.length, 1);
  assert.equal(ok.json.history[0].status, 'submitted');
  assert.match(ok.json.history[0].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(ok.json.phone, undefined);
  const answers = [
    await get(url, { headers: { 'X-Status-Token': a.json.status_token.slice(0, -1) + (a.json.status_token.endsWith('A') ? 'B' : 'A') } }),
    await get(url),
    await get(url, { headers: { 'X-Status-Token': '' } }),
    await get(url, { headers: { 'X-Status-Token': b.json.status_token } }),
    await get('/api/applications/KC-1999-999999', { headers: { 'X-Status-Token': a.json.status_token } }),
    await get('/api/applications/nonsense', { headers: { 'X-Status-Token': a.json.status_token } }),
    await get(`/api/applications/${a.json.ref_code.toLowerCase()}`, { headers: { 'X-Status-Token': a.json.status_token } }),
  ];
  for (const r of answers) {
    assertError(assert, r, 404, 'not_found');
    assert.equal(r.text, answers[0].text);
  }
});

test('status shows a decision with its reason and amount', async () => {
  const a = await apply(await body(openCall));
  sql(`UPDATE application SET status = 'approved', approved_vnd = 8000000 WHERE ref_code = '${a.json.ref_code}';
    INSERT INTO application_event (application_id, status, reason, amount_vnd, at)
    SELECT id, 'approved', 'Đủ điều kiện', 8000000, NOW(3) + INTERVAL 1 SECOND FROM application WHERE ref_code = '${a.json.ref_code}'`);
  const r = await get(`/api/applications/${a.json.ref_code}`, { headers: { 'X-Status-Token': a.json.status_token } });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'approved');
  assert.equal(r.json.approved_vnd, 8000000);
  assert.deepEqual(r.json.history.map((h) => h.status), ['submitted', 'approved']);
  assert.equal(r.json.history[1].reason, 'Đủ điều kiện');
  assert.equal(r.json.history[1].amount_vnd, 8000000);
});

function formOf(b) {
  const f = new URLSearchParams();
  f.append('call_id', String(b.call_id));
  for (const [k, v] of Object.entries(b.facility)) f.append(`facility[${k}]`, v);
  for (const p of b.products) f.append('products', p);
  f.append('products', '');
  f.append('requested_vnd', String(b.requested_vnd));
  f.append('note', b.note);
  return f.toString();
}

test('a plain form post (Accept text/html) gets 201 with a receipt page; the token works', async () => {
  const b = await body(openCall);
  const r = await http('POST', '/api/applications', {
    body: formOf(b),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
  });
  assert.equal(r.status, 201, r.text);
  assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const ref = /<span id="r-ref" class="secret">(KC-\d{4}-\d{6})<\/span>/.exec(r.text)?.[1];
  const token = /<span id="r-token" class="secret">([A-Za-z0-9_-]{43})<\/span>/.exec(r.text)?.[1];
  assert.ok(ref && token, r.text);
  // The token is in the page only, never in a header (a URL, a log).
  assert.equal(r.headers.get('location'), `/api/applications/${ref}`);
  const st = await get(`/api/applications/${ref}`, { headers: { 'X-Status-Token': token } });
  assert.equal(st.status, 200);
  const [[products, phone]] = sql(`SELECT products, phone FROM application WHERE ref_code = '${ref}'`);
  assert.deepEqual(JSON.parse(products), ['Bàn ghế gỗ', 'Tủ thờ']);
  assert.equal(phone, '0912345678');
});

test('a form post asking for JSON gets 201 JSON and its errors as JSON', async () => {
  const b = await body(openCall);
  const r = await http('POST', '/api/applications', {
    body: formOf(b), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
  });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.ref_code, /^KC-\d{4}-\d{6}$/);
  const bad = await http('POST', '/api/applications', {
    body: formOf(await body(openCall, { 'facility.phone': '12' })),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
  });
  assertError(assert, bad, 422, 'validation_failed');
  assert.ok(bad.json.error.fields['facility.phone']);
});

test('hostile input: markup and SQL in checked fields → 422, nothing stored', async () => {
  const before = countApps(openCall);
  const cases = [
    { 'facility.name': '<script>alert(1)</script>' },
    { 'facility.address': 'Thôn <img src=x onerror=alert(1)>' },
    { note: '</textarea><script>alert(1)</script>' },
    { products: ['<svg onload=alert(1)>'] },
    { 'facility.tax_code': "0100109106' OR '1'='1" },
    { 'facility.phone': "0912345678'; DROP TABLE application; --" },
    { 'facility.unit_code': "1 OR 1=1" },
    { 'facility.email': "a@b.vn' --" },
    { call_id: '1 OR 1=1' },
    { requested_vnd: '1; DELETE FROM application' },
  ];
  for (const c of cases) {
    const r = await apply(await body(openCall, c));
    assertError(assert, r, 422, 'validation_failed');
  }
  assert.equal(countApps(openCall), before);
  const [[t]] = sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'kc' AND table_name = 'application'");
  assert.equal(t, '1');
});

test('SQL fragments in a name are only text: stored verbatim, tables intact', async () => {
  const name = `Cơ sở O'Hara"); DROP TABLE application; -- ${suffix()}`;
  const r = await apply(await body(openCall, { 'facility.name': name }));
  assert.equal(r.status, 201, r.text);
  const [[stored]] = sql(`SELECT facility_name FROM application WHERE ref_code = '${r.json.ref_code}'`);
  assert.equal(stored, name);
});

test('invalid UTF-8 → 422 (form) or 400 (JSON); nothing stored', async () => {
  const before = countApps(openCall);
  const b = await body(openCall);
  const form = formOf(b).replace(/facility%5Bname%5D=[^&]*/, 'facility%5Bname%5D=C%C6%A1%20s%E1%BB%9F%20%C3%28%FF');
  const r = await http('POST', '/api/applications', { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assertError(assert, r, 422, 'validation_failed');
  assert.ok(r.json.error.fields['facility.name']);
  const raw = Buffer.concat([Buffer.from(JSON.stringify(b).replace('Thử', 'Th__')), Buffer.alloc(0)]);
  const i = raw.indexOf('Th__');
  raw[i + 2] = 0xc3; raw[i + 3] = 0x28;
  const j = await http('POST', '/api/applications', { body: raw, headers: { 'content-type': 'application/json' } });
  assertError(assert, j, 400, 'bad_request');
  assert.equal(countApps(openCall), before);
});

test('a 1 MB field → 413 in API.md shape; nothing stored', async () => {
  const before = countApps(openCall);
  const r = await apply(await body(openCall, { note: 'x'.repeat(1024 * 1024) }));
  assertError(assert, r, 413, 'payload_too_large');
  const f = await http('POST', '/api/applications', {
    body: `call_id=${openCall}&facility%5Bname%5D=${'a'.repeat(1024 * 1024)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assertError(assert, f, 413, 'payload_too_large');
  assert.equal(countApps(openCall), before);
});

test('wrong content type → 415, malformed JSON → 400, wrong method → 405', async () => {
  assertError(assert, await http('POST', '/api/applications', { body: 'hello', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
  assertError(assert, await http('POST', '/api/applications', { body: '{"call_id":', headers: { 'content-type': 'application/json' } }), 400, 'bad_request');
  assertError(assert, await http('POST', '/api/applications', { body: '[]', headers: { 'content-type': 'application/json' } }), 400, 'bad_request');
  assertError(assert, await get('/api/applications'), 405, 'method_not_allowed');
  assertError(assert, await http('DELETE', '/api/calls'), 405, 'method_not_allowed');
  assert.ok(await unitCode());
});
