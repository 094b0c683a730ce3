// Issue 19: the applicant answers a request for information with up to
// three files, PDF, JPEG or PNG by their CONTENT, at most 5 MB each,
// stored outside the web root under their sha256 and served only to
// staff and to the holder of the status token.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { http, post, sql, assertError, VAR } from '../lib.mjs';
import { body, makeCall } from './register-helpers.mjs';
import { mkUser, login, as } from './staff-helpers.mjs';

const call = makeCall();
const S = {};
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(2000), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(500)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(500)]);
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00'), crypto.randomBytes(500)]);

// An application waiting for an answer: {ref, token, id}.
async function asked() {
  const r = await post('/api/applications', { json: await body(call) });
  assert.equal(r.status, 201, r.text);
  const a = { ref: r.json.ref_code, token: r.json.status_token };
  a.id = Number(sql(`SELECT id FROM application WHERE ref_code='${a.ref}'`)[0][0]);
  assert.equal((await as(S.rev, 'POST', `/api/admin/applications/${a.id}/review`, {})).status, 200);
  assert.equal((await as(S.rev, 'POST', `/api/admin/applications/${a.id}/ask`, { message: 'Gửi giấy tờ' })).status, 200);
  return a;
}
function answer(a, files, text = 'Gửi kèm giấy tờ') {
  const fd = new FormData();
  fd.append('token', a.token);
  fd.append('answer', text);
  for (const [name, buf, type] of files) fd.append('files', new Blob([buf], { type: type || 'application/pdf' }), name);
  return http('POST', `/api/applications/${a.ref}/answer`, { body: fd });
}
const state = (a) => sql(`SELECT status, (SELECT COUNT(*) FROM application_file WHERE application_id=${a.id}) FROM application WHERE id=${a.id}`)[0];

test('setup', async () => {
  const u = mkUser(['reviewer'], 'att');
  S.rev = await login(u.username, u.password);
  const v = mkUser(['auditor'], 'aud');
  S.aud = await login(v.username, v.password);
  const f = mkUser(['importer'], 'imp');
  S.imp = await login(f.username, f.password);
});

test('three files, by content; stored under their sha256 outside the web root; served to staff and the token holder', async () => {
  const a = await asked();
  const r = await answer(a, [['giấy phép.pdf', PDF], ['anh.png', PNG, 'image/png'], ['C:\\fakepath\\the.jpg', JPEG, 'image/jpeg']]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'under_review');
  assert.deepEqual(r.json.files.map((f) => [f.name, f.content_type, f.size]),
    [['giấy phép.pdf', 'application/pdf', PDF.length], ['anh.png', 'image/png', PNG.length], ['the.jpg', 'image/jpeg', JPEG.length]]);
  const hash = crypto.createHash('sha256').update(PDF).digest('hex');
  assert.deepEqual(fs.readFileSync(path.join(VAR, 'files', hash)), PDF);
  const f0 = r.json.files[0].id;
  // The token holder.
  const mine = await http('GET', `/api/applications/${a.ref}/files/${f0}`, { headers: { 'x-status-token': a.token } });
  assert.equal(mine.status, 200);
  assert.equal(mine.headers.get('content-type'), 'application/pdf');
  assert.equal(mine.headers.get('x-content-type-options'), 'nosniff');
  assert.match(mine.headers.get('content-disposition'), /^attachment; filename="gi_y ph_p.pdf"; filename\*=UTF-8''gi%E1%BA%A5y%20ph%C3%A9p.pdf$/);
  const bytes = await (await fetch(`${process.env.KC_URL}/api/applications/${a.ref}/files/${f0}`, { headers: { 'x-status-token': a.token } })).arrayBuffer();
  assert.deepEqual(Buffer.from(bytes), PDF);
  const byForm = await http('POST', `/api/applications/${a.ref}/files/${f0}`, { form: { token: a.token } });
  assert.equal(byForm.status, 200);
  // Staff: reviewer and auditor; not another role, not the public, not a wrong token.
  const d = await as(S.rev, 'GET', `/api/admin/applications/${a.id}`);
  assert.deepEqual(d.json.files.map((f) => f.name), ['giấy phép.pdf', 'anh.png', 'the.jpg']);
  assert.equal(d.json.files[1].event_id, d.json.events.at(-1).id);
  const png = await as(S.aud, 'GET', `/api/admin/applications/${a.id}/files/${r.json.files[1].id}`);
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
  assertError(assert, await as(S.imp, 'GET', `/api/admin/applications/${a.id}/files/${f0}`), 403, 'forbidden');
  assertError(assert, await http('GET', `/api/admin/applications/${a.id}/files/${f0}`), 401, 'unauthorized');
  assertError(assert, await http('GET', `/api/applications/${a.ref}/files/${f0}`), 404, 'not_found');
  assertError(assert, await http('GET', `/api/applications/${a.ref}/files/${f0}`, { headers: { 'x-status-token': 'A'.repeat(43) } }), 404, 'not_found');
  // Another applicant's token does not open this file.
  const b = await asked();
  assertError(assert, await http('GET', `/api/applications/${b.ref}/files/${f0}`, { headers: { 'x-status-token': b.token } }), 404, 'not_found');
  assertError(assert, await as(S.rev, 'GET', `/api/admin/applications/${b.id}/files/${f0}`), 404, 'not_found');
  // Nothing of the store is under the web root.
  assert.equal((await http('GET', `/files/${hash}`)).status, 404);
});

test('refused: a .pdf that is a PNG is stored as PNG; an EXE named .pdf, 5 MB + 1, four files; nothing changes', async () => {
  const a = await asked();
  const bad = [
    [[['giay.pdf', EXE]]], /không phải PDF, JPEG hoặc PNG/,
    [[['lon.pdf', Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 + 1 - PDF.length)])]]], /lớn hơn 5 MB/,
    [[['1.pdf', PDF], ['2.pdf', PDF], ['3.pdf', PDF], ['4.pdf', PDF]]], /Tối đa 3 tệp/,
    [[['trong.pdf', Buffer.alloc(0)]]], /trống/,
  ];
  for (let i = 0; i < bad.length; i += 2) {
    const r = await answer(a, bad[i][0]);
    assertError(assert, r, 422, 'validation_failed');
    assert.match(r.json.error.fields.files, bad[i + 1]);
    assert.deepEqual(state(a), ['needs_info', '0']);
  }
  const exactly = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 - PDF.length)]);
  const ok = await answer(a, [['anh.pdf', PNG], ['full.pdf', exactly]]);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.files.map((f) => [f.name, f.content_type]), [['anh.pdf', 'image/png'], ['full.pdf', 'application/pdf']]);
  const got = await http('GET', `/api/applications/${a.ref}/files/${ok.json.files[0].id}`, { headers: { 'x-status-token': a.token } });
  assert.equal(got.headers.get('content-type'), 'image/png');
});

test('an answer only while information is asked for; a malformed multipart body is 400', async () => {
  const a = await asked();
  const bad = await http('POST', `/api/applications/${a.ref}/answer`, {
    body: '--xx\r\nContent-Disposition: form-data; name="token"\r\n\r\nabc', headers: { 'content-type': 'multipart/form-data; boundary=xx' } });
  assertError(assert, bad, 400, 'bad_request');
  assertError(assert, await answer({ ...a, token: 'B'.repeat(43) }, [['a.pdf', PDF]]), 404, 'not_found');
  assert.equal((await answer(a, [])).status, 200);
  assertError(assert, await answer(a, [['a.pdf', PDF]]), 409, 'conflict');
  assert.deepEqual(state(a), ['under_review', '0']);
  // Multipart is taken only where files are expected.
  const fd = new FormData(); fd.append('token', a.token);
  assertError(assert, await http('POST', `/api/applications/${a.ref}/withdraw`, { body: fd }), 415, 'unsupported_media_type');
});
