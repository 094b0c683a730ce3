// Column headings read by meaning (issue 16, point 1): a district column
// headed `Huyện/TX` and the other ways offices head it is read, so a
// district that exists nowhere rejects its row; every district form
// (diacritics or not, prefixes, code, before and after the 2025
// reorganisation) in every encoding; a column left out that looks like a
// known one gives an unrecognised_column warning in the CLI, the dry run
// and the web, and --strict / strict=1 refuses the file.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { http, sql, assertError } from '../lib.mjs';
import { mkUser, login } from './staff-helpers.mjs';
import { kcImport, tmpFile, suffix } from './import-helpers.mjs';

const count = (tag) => Number(sql(`SELECT COUNT(*) FROM product WHERE name LIKE '%${tag}%'`)[0][0]);
// The unit code of each product whose name holds tag: {product name: code or ''}.
const units = (tag) => Object.fromEntries(sql(`SELECT p.name, COALESCE(u.code, '') FROM product p
  JOIN award a ON a.product_id = p.id LEFT JOIN admin_unit u ON u.id = a.unit_id WHERE p.name LIKE '%${tag}%'`));
const q = (v) => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

test('the issue\'s file: Huyen/TX with Huyen Khong Co is unknown_district, as under Huyện/Thị xã', () => {
  for (const heading of ['Huyen/TX', 'Huyện/Thị xã']) {
    const tag = suffix();
    const f = tmpFile(`issue-${tag}.csv`, `Nam,Cap cong nhan,Ten san pham,Ten co so,${heading}\n`
      + `2019,Cap tinh,Keo ${tag},Co so ${tag},Huyen Khong Co\n`
      + `2019,Cap tinh,Banh ${tag},Co so ${tag},Huyen Can Loc\n`);
    const r = kcImport(['--json', f]);
    assert.equal(r.status, 0, r.stderr);
    const rep = r.reports[0];
    assert.deepEqual(rep.ignored_columns, [], heading);
    assert.deepEqual(rep.errors.map((e) => [e.line, e.column, e.code]), [[2, 'district', 'unknown_district']], heading);
    assert.match(rep.errors[0].message, /Huyen Khong Co/);
    assert.equal(rep.rows_inserted, 1);
    assert.deepEqual(units(tag), { [`Banh ${tag}`]: '443' }, heading);
  }
});

test('every usual district heading is the district column', () => {
  const headings = ['Huyện/TX', 'Huyen/TX', 'HUYỆN/TX', 'Huyện - TX', 'Huyện/TP/TX', 'Huyện, thị xã', 'Quận/Huyện',
    'Địa bàn (huyện)', 'Đơn vị hành chính', 'H/TX/TP', 'Huyện/Thị xã', 'Huyện, thị xã, thành phố', 'huyen thi xa thanh pho'];
  for (const heading of headings) {
    const tag = suffix();
    const f = tmpFile(`head-${tag}.csv`, `Tên sản phẩm,Tên cơ sở,${q(heading)},Năm,Cấp\n`
      + `Mật ${tag},HTX ${tag},Huyen Khong Co,2020,Cấp tỉnh\n`
      + `Mứt ${tag},HTX ${tag},H. Can Lộc,2020,Cấp tỉnh\n`);
    const rep = kcImport(['--json', f]).reports[0];
    assert.deepEqual(rep.ignored_columns, [], heading);
    assert.deepEqual(rep.warnings, [], heading);
    assert.deepEqual(rep.errors.map((e) => [e.line, e.column, e.code]), [[2, 'district', 'unknown_district']], heading);
    assert.deepEqual(units(tag), { [`Mứt ${tag}`]: '443' }, heading);
  }
});

test('every other column by what its heading means', () => {
  const tag = suffix();
  const header = ['Số thứ tự', 'Tên sản phẩm OCOP', 'Chủ thể/Cơ sở', 'Địa chỉ (thôn, xã)', 'H-TX-TP', 'Nhóm/ngành',
    'Năm công nhận (*)', 'Cấp công nhận (tỉnh/khu vực/quốc gia)', 'Số QĐ công nhận', 'Ngày ký', 'MST/CCCD'];
  const f = tmpFile(`cols-${tag}.csv`, `${header.map(q).join(',')}\n`
    + `1,Tương ${tag},HTX ${tag},Thôn Một,TX Hồng Lĩnh,Nhóm ${tag},2021,Cấp tỉnh,12/QĐ-UBND,3/11/2021,123\n`);
  const rep = kcImport(['--json', f]).reports[0];
  assert.deepEqual(rep.ignored_columns, []);
  assert.deepEqual(rep.errors, []);
  assert.equal(rep.rows_inserted, 1);
  // The tax code column is read: a wrong one is a warning on its column.
  assert.deepEqual(rep.warnings.map((w) => [w.line, w.column, w.code]), [[2, 'tax_code', 'invalid_tax_code']]);
  const [row] = sql(`SELECT f.address, u.code, g.name, a.year, a.level, a.decision_no, a.decision_date
    FROM product p JOIN facility f ON f.id = p.facility_id JOIN award a ON a.product_id = p.id
    LEFT JOIN admin_unit u ON u.id = a.unit_id LEFT JOIN product_group g ON g.id = p.group_id WHERE p.name = 'Tương ${tag}'`);
  assert.deepEqual(row, ['Thôn Một', '437', `Nhóm ${tag}`, '2021', 'province', '12/QĐ-UBND', '2021-11-03']);
});

// The district forms of one file, [name, year, want]: a unit code, '' (no
// unit), or an error code.
const FORMS = [
  ['Huyện Can Lộc', 2019, '443'], ['huyen can loc', 2019, '443'], ['Can Loc', 2019, '443'], ['H. Can Lộc', 2019, '443'],
  ['TX Hồng Lĩnh', 2019, '437'], ['Thị xã Hồng Lĩnh', 2019, '437'], ['TP Hà Tĩnh', 2019, '436'],
  ['Thành phố Hà Tĩnh', 2019, '436'], ['443', 2019, '443'], ['', 2019, ''],
  ['Huyen Khong Co', 2019, 'unknown_district'], ['Huyện Hồng Lĩnh', 2019, 'unknown_district'],
  ['Kỳ Anh', 2019, 'ambiguous_district'], ['Phường Thành Sen', 2019, 'unknown_district'],
  ['Huyện Can Lộc', 2026, 'unknown_district'], ['Can Lộc', 2026, '18406'], ['Xa Can Loc', 2026, '18406'],
  ['Phường Thành Sen', 2026, '18073'], ['18406', 2026, '18406'], ['Huyen Khong Co', 2026, 'unknown_district'],
];

function formsText(tag, sep) {
  const lines = [`Danh sách sản phẩm tiêu biểu của tỉnh Hà Tĩnh${sep}${sep}${sep}${sep}${sep}`,
    ['STT', 'Tên sản phẩm', 'Tên cơ sở', 'Huyện/TX', 'Năm', 'Cấp công nhận'].join(sep)];
  FORMS.forEach(([d, y], i) => lines.push([i + 1, `Sản phẩm ${tag} số ${i}`, `Cơ sở ${tag}`, d, y, 'Cấp tỉnh'].join(sep)));
  return lines.join('\r\n') + '\r\n';
}

const iconv = (to, text) => {
  const r = spawnSync('iconv', ['-f', 'utf-8', '-t', to], { input: text });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout;
};
const ENCODINGS = [
  ['utf-8', ',', (t) => Buffer.from(t, 'utf8')],
  ['utf-8', ';', (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')])],
  ['utf-16le', '\t', (t) => Buffer.from(`\ufeff${t}`, 'utf16le')],
  ['utf-16be', '\t', (t) => Buffer.from(`\ufeff${t}`, 'utf16le').swap16()],
  ['windows-1258', ';', (t) => iconv('CP1258', t)],
  ['tcvn3', ',', (t) => iconv('TCVN5712-1', t)],
];

test('every district form, before and after the 2025 reorganisation, in every encoding', () => {
  for (const [encoding, sep, encode] of ENCODINGS) {
    const tag = suffix();
    const rep = kcImport(['--json', tmpFile(`forms-${tag}.csv`, encode(formsText(tag, sep)))]).reports[0];
    assert.equal(rep.encoding, encoding);
    assert.equal(rep.delimiter, sep, encoding);
    assert.deepEqual(rep.ignored_columns, [], encoding);
    const got = units(tag);
    const errs = Object.fromEntries(rep.errors.map((e) => [e.line - 3, e.code]));
    FORMS.forEach(([d, y, want], i) => {
      const is = errs[i] ?? got[`Sản phẩm ${tag} số ${i}`];
      assert.equal(is, want, `${encoding}: ${d || '(empty)'} in ${y}`);
    });
  }
});

// A header whose district column is not recognised but looks like one.
const warnFile = (tag) => tmpFile(`warn-${tag}.csv`, 'Danh sách\n'
  + `Tên sản phẩm,Tên cơ sở,Huyện cũ (trước 2025),Năm,Cấp,Ghi chú\n`
  + `Chè ${tag},Hộ ${tag},Huyen Khong Co,2019,Cấp tỉnh,\n`);
const assertWarned = (rep) => {
  assert.deepEqual(rep.ignored_columns, ['Huyện cũ (trước 2025)', 'Ghi chú']);
  assert.equal(rep.warnings.length, 1, 'one warning: Ghi chú looks like no column');
  const [w] = rep.warnings;
  assert.deepEqual([w.line, w.column, w.code, w.record_id], [2, 'district', 'unrecognised_column', null]);
  assert.match(w.message, /“Huyện cũ \(trước 2025\)”/);
  assert.match(w.message, /cột huyện/);
  assert.equal(rep.warnings_total, 1);
};

test('CLI: a column that looks like the district one is not dropped in silence; --strict refuses the file', () => {
  const tag = suffix();
  const dry = kcImport(['--dry-run', '--json', warnFile(tag)]);
  assert.equal(dry.status, 0);
  assertWarned(dry.reports[0]);
  assert.equal(dry.reports[0].rows_inserted, 1);
  assert.equal(count(tag), 0, 'a dry run changes nothing');
  const text = kcImport(['--dry-run', warnFile(tag)]);
  assert.match(text.stdout, /cảnh báo dòng 2 \[unrecognised_column\] Không nhận ra cột “Huyện cũ \(trước 2025\)”/);
  const strict = kcImport(['--strict', '--json', warnFile(tag)]);
  assert.equal(strict.status, 1);
  assert.equal(strict.reports[0].status, 'rejected');
  assert.match(strict.reports[0].message, /cột không nhận ra/);
  assertWarned(strict.reports[0]);
  assert.equal(strict.reports[0].rows_inserted, 0);
  assert.equal(count(tag), 0, 'strict: nothing changes');
  const real = kcImport(['--json', warnFile(tag)]);
  assert.equal(real.status, 0);
  assertWarned(real.reports[0]);
  assert.equal(count(tag), 1);
  const [[n]] = sql(`SELECT COUNT(*) FROM import_issue WHERE import_id = ${real.reports[0].import_id}
    AND kind = 'warning' AND line = 2 AND col = 'district' AND code = 'unrecognised_column'`);
  assert.equal(n, '1');
});

test('web: the warning in the dry run and the report; strict=1 refuses the file', async () => {
  const u = mkUser(['importer'], 'imh');
  const s = await login(u.username, u.password);
  const tag = suffix();
  const body = (await import('node:fs')).readFileSync(warnFile(tag));
  const upload = (query) => http('POST', `/api/admin/imports${query}`, {
    body, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'text/csv' },
  });
  const dry = await upload('?dry_run=1');
  assert.equal(dry.status, 201, dry.text);
  assertWarned(dry.json);
  const strict = await upload('?strict=1');
  assert.equal(strict.status, 201);
  assert.equal(strict.json.status, 'rejected');
  assertWarned(strict.json);
  assert.equal(count(tag), 0);
  const errs = await http('GET', `/api/admin/imports/${strict.json.import_id}/errors.csv`, { headers: { cookie: s.cookie } });
  assert.equal(errs.status, 200);
  assert.match(errs.text, /\n2,warning,district,unrecognised_column,"?Không nhận ra cột/);
  const kept = await http('GET', `/api/admin/imports/${dry.json.import_id}`, { headers: { cookie: s.cookie } });
  assertWarned(kept.json);
  assertError(assert, await upload('?strict=maybe'), 422, 'validation_failed');
});
