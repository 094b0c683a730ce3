// kc-import on every fixture of tests/fixtures/import and on generated
// files: encodings, delimiters, titles, quoting, errors of each kind,
// duplicates, re-import, strict, dry run, an interrupted import, limits.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql, sleep, until } from '../lib.mjs';
import { kcImport, startImport, FIXTURES, tmpFile, csv, suffix, contentChecksum, HEADER } from './import-helpers.mjs';

const fx = (name) => path.join(FIXTURES, name);

// Every fixture, with what its reader must find.
const FIXTURE_CASES = [
  { file: 'sample-cp1258-semicolon.csv', encoding: 'windows-1258', delimiter: ';', header: 2, total: 6, rejected: 0 },
  { file: 'sample-cp1258-semicolon.utf8.csv', encoding: 'utf-8', delimiter: ';', header: 2, total: 6, rejected: 0 },
  { file: 'sample-utf16le-tab.csv', encoding: 'utf-16le', delimiter: '\t', header: 2, total: 4, rejected: 0 },
  { file: 'sample-utf8bom-titles.csv', encoding: 'utf-8', delimiter: ';', header: 4, total: 5, rejected: 0 },
  { file: 'sample-multiline-quotes.csv', encoding: 'utf-8', delimiter: ',', header: 2, total: 3, rejected: 0 },
  { file: 'sample-tcvn3.csv', encoding: 'tcvn3', delimiter: ',', header: 2, total: 4, rejected: 0 },
  { file: 'sample-tcvn3.utf8.csv', encoding: 'utf-8', delimiter: ',', header: 2, total: 4, rejected: 0 },
  { file: 'sample-duplicate.csv', encoding: 'utf-8', delimiter: ',', header: 2, total: 5, rejected: 0 },
  { file: 'sample-errors.csv', encoding: 'utf-8', delimiter: ',', header: 2, total: 7, rejected: 6 },
];

test('every fixture is read with the right encoding, delimiter and header; a second import changes nothing', () => {
  const names = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.csv'));
  for (const c of FIXTURE_CASES) assert.ok(names.includes(c.file), `fixture ${c.file} exists`);
  for (const c of FIXTURE_CASES) {
    const r1 = kcImport(['--json', fx(c.file)]);
    assert.equal(r1.status, 0, `${c.file}: ${r1.stderr}`);
    assert.equal(r1.reports.length, 1);
    const rep = r1.reports[0];
    assert.equal(rep.encoding, c.encoding, c.file);
    assert.equal(rep.delimiter, c.delimiter, c.file);
    assert.equal(rep.header_line, c.header, c.file);
    assert.equal(rep.rows_total, c.total, c.file);
    assert.equal(rep.rows_rejected, c.rejected, c.file);
    assert.equal(rep.rows_inserted + rep.rows_updated + rep.rows_unchanged + rep.rows_rejected, rep.rows_total);
    assert.match(rep.sha256, /^[0-9a-f]{64}$/);
    assert.equal(rep.dry_run, false);
    assert.ok(rep.import_id > 0);
    const r2 = kcImport(['--json', fx(c.file)]);
    assert.equal(r2.status, 0);
    const rep2 = r2.reports[0];
    assert.equal(rep2.rows_inserted, 0, `${c.file} second import inserts nothing`);
    assert.equal(rep2.rows_updated, 0, `${c.file} second import updates nothing`);
    assert.equal(rep2.rows_unchanged, c.total - c.rejected);
    const [[status, total]] = sql(`SELECT status, rows_total FROM import_run WHERE id = ${rep2.import_id}`);
    assert.equal(status, 'done');
    assert.equal(Number(total), c.total);
    const [[stored]] = sql(`SELECT JSON_VALUE(report, '$.rows_unchanged') FROM import_run WHERE id = ${rep2.import_id}`);
    assert.equal(Number(stored), c.total - c.rejected);
  }
});

test('Windows-1258 (combining marks) and its UTF-8 twin give the same NFC names', () => {
  kcImport(['--json', fx('sample-cp1258-semicolon.csv')]);
  const r = kcImport(['--json', fx('sample-cp1258-semicolon.utf8.csv')]);
  assert.equal(r.reports[0].rows_unchanged, 6);
  assert.equal(r.reports[0].rows_inserted, 0);
  // The names as stored are NFC (the file's combining marks composed).
  const names = sql('SELECT name FROM product ORDER BY id DESC LIMIT 500').map((r) => r[0]);
  assert.ok(names.length > 0);
  for (const n of names) assert.equal(n, n.normalize('NFC'), `NFC: ${n}`);
  const raw = fs.readFileSync(fx('sample-cp1258-semicolon.csv'));
  assert.ok(raw.includes(Buffer.from([0xcc])) || raw.includes(Buffer.from([0xec])) || raw.includes(Buffer.from([0xd2])), 'the fixture carries CP1258 combining tone marks');
});

test('quoted fields with line breaks and doubled quotes keep their text', () => {
  kcImport(['--json', fx('sample-multiline-quotes.csv')]);
  const rows = sql("SELECT f.name FROM facility f WHERE f.name LIKE '%Mộc Thái Yên%' AND f.name LIKE 'Cơ sở \"%'");
  assert.ok(rows.length >= 1, 'facility with doubled quotes');
  assert.equal(rows[0][0], 'Cơ sở "Mộc Thái Yên"');
});

test('rejected rows: each kind with the line where the record starts', () => {
  const r = kcImport(['--json', fx('sample-errors.csv')]);
  assert.equal(r.status, 0);
  const errs = r.reports[0].errors.map((e) => [e.line, e.column, e.code]);
  assert.deepEqual(errs, [
    [4, 'year', 'out_of_range'],
    [5, 'decision_date', 'invalid_date'],
    [6, 'level', 'invalid_level'],
    [7, 'district', 'unknown_district'],
    [8, 'district', 'ambiguous_district'],
    [9, 'product', 'required'],
  ]);
  for (const e of r.reports[0].errors) assert.ok(e.message.length > 5);
  const id = r.reports[0].import_id;
  const stored = sql(`SELECT line, code FROM import_issue WHERE import_id = ${id} AND kind = 'error' ORDER BY line`);
  assert.deepEqual(stored.map(([l, c]) => [Number(l), c]), errs.map(([l, , c]) => [l, c]));
});

test('a record that starts after a multi-line quoted field is reported at its own first line', () => {
  const tag = suffix();
  const body = `Tên sản phẩm,Tên cơ sở,Địa chỉ,Huyện,Năm,Cấp\r\n`
    + `"Sản phẩm ${tag} một","Cơ sở ${tag}","dòng 1\r\ndòng 2\r\ndòng 3",Huyện Đức Thọ,2020,Cấp tỉnh\r\n`
    + `Sản phẩm ${tag} hai,Cơ sở ${tag},x,Huyện Đức Thọ,2020,Cấp làng\r\n`;
  const r = kcImport(['--json', tmpFile(`ml-${tag}.csv`, body)]);
  assert.equal(r.reports[0].rows_inserted, 1);
  assert.deepEqual(r.reports[0].errors.map((e) => e.line), [5]);
});

test('duplicates: the same row twice counts once; a diacritics-only variant goes in with a warning', () => {
  const tag = suffix();
  const f = tmpFile(`dup-${tag}.csv`, csv([
    [`Mắm ruốc ${tag}`, `Cơ sở ${tag}`, 'TX Kỳ Anh', 2019, 'Cấp tỉnh', '', '', ''],
    [`MẮM  RUỐC ${tag}`, `Cơ sở  ${tag}`, 'Thị xã Kỳ Anh', 2019, 'tinh', '', '', ''],
    [`Mâm ruốc ${tag}`, `Cơ sở ${tag}`, 'TX Kỳ Anh', 2019, 'Cấp tỉnh', '', '', ''],
  ]));
  const r = kcImport(['--json', f]);
  const rep = r.reports[0];
  assert.equal(rep.rows_inserted, 2);
  assert.equal(rep.rows_unchanged, 1);
  assert.equal(rep.warnings.length, 1);
  assert.equal(rep.warnings[0].code, 'possible_duplicate');
  assert.equal(rep.warnings[0].line, 5);
  const [[firstId]] = sql(`SELECT id FROM product WHERE name = 'Mắm ruốc ${tag}'`);
  assert.equal(rep.warnings[0].record_id, Number(firstId));
  assert.equal(Number(sql(`SELECT COUNT(*) FROM product WHERE name_fold = 'mam ruoc ${tag}'`)[0][0]), 2);
});

test('the same key with a new decision number counts as updated; the same file twice leaves the same state', () => {
  const tag = suffix();
  const rows = [
    [`Nón lá ${tag}`, `Tổ hợp tác ${tag}`, 'Huyện Thạch Hà', 2020, 'Cấp huyện', '12/QĐ', '5/10/2020', 'Thủ công mỹ nghệ'],
    [`Chổi đót ${tag}`, `Tổ hợp tác ${tag}`, 'Huyện Thạch Hà', 2021, 'Cấp tỉnh', '', '2021-11-20', ''],
  ];
  const f1 = tmpFile(`upd1-${tag}.csv`, csv(rows));
  const a = kcImport(['--json', f1]).reports[0];
  assert.deepEqual([a.rows_inserted, a.rows_updated, a.rows_unchanged], [2, 0, 0]);
  const before = contentChecksum(tag);
  const b = kcImport(['--json', f1]).reports[0];
  assert.deepEqual([b.rows_inserted, b.rows_updated, b.rows_unchanged], [0, 0, 2]);
  assert.deepEqual(contentChecksum(tag), before);
  rows[0][5] = '99/QĐ';
  const c = kcImport(['--json', tmpFile(`upd2-${tag}.csv`, csv(rows))]).reports[0];
  assert.deepEqual([c.rows_inserted, c.rows_updated, c.rows_unchanged], [0, 1, 1]);
  assert.equal(sql(`SELECT a.decision_no, a.decision_date FROM award a JOIN product p ON p.id = a.product_id WHERE p.name = 'Nón lá ${tag}'`)[0].join('|'), '99/QĐ|2020-10-05');
});

test('strict mode: one bad row rejects the file, exit 1, nothing changes', () => {
  const tag = suffix();
  const f = tmpFile(`strict-${tag}.csv`, csv([
    [`Bánh đa ${tag}`, `Hộ ${tag}`, 'TX Hồng Lĩnh', 2022, 'Cấp tỉnh', '', '', ''],
    [`Bánh gai ${tag}`, `Hộ ${tag}`, 'TX Hồng Lĩnh', 2099, 'Cấp tỉnh', '', '', ''],
  ]));
  const r = kcImport(['--strict', '--json', f]);
  assert.equal(r.status, 1);
  assert.equal(r.reports[0].status, 'rejected');
  assert.equal(r.reports[0].rows_rejected, 1);
  assert.equal(r.reports[0].rows_inserted, 0);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM product WHERE name LIKE '%${tag}%'`)[0][0]), 0);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM facility WHERE name LIKE '%${tag}%'`)[0][0]), 0);
  // Without the bad row, strict imports it all.
  const ok = kcImport(['--strict', '--json', tmpFile(`strict-ok-${tag}.csv`, csv([
    [`Bánh đa ${tag}`, `Hộ ${tag}`, 'TX Hồng Lĩnh', 2022, 'Cấp tỉnh', '', '', '']]))]);
  assert.equal(ok.status, 0);
  assert.equal(ok.reports[0].rows_inserted, 1);
});

test('dry run: the report of a real import, and nothing changes', () => {
  const tag = suffix();
  const f = tmpFile(`dry-${tag}.csv`, csv([
    [`Rượu ${tag}`, `HTX ${tag}`, 'huyện Can Lộc', 2018, 'Cấp tỉnh', '', '', `Nhóm ${tag}`],
    [`Rượu ${tag}`, `HTX ${tag}`, 'Can Loc', 2018, 'tỉnh', '', '', ''],
    [`Rượu ${tag}`, `HTX ${tag}`, 'Can Loc', 2020, 'Khu vực phía Bắc', '', '', ''],
  ]));
  const audits = Number(sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'import'")[0][0]);
  const r = kcImport(['--dry-run', '--json', f]);
  assert.equal(r.status, 0);
  const rep = r.reports[0];
  assert.equal(rep.dry_run, true);
  assert.deepEqual([rep.rows_inserted, rep.rows_unchanged], [2, 1]);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM product WHERE name LIKE '%${tag}%'`)[0][0]), 0);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM product_group WHERE name LIKE '%${tag}%'`)[0][0]), 0);
  assert.equal(Number(sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'import'")[0][0]), audits);
  assert.equal(sql(`SELECT dry_run, status FROM import_run WHERE id = ${rep.import_id}`)[0].join('|'), '1|done');
});

test('a real import writes one audit row with its counts', () => {
  const tag = suffix();
  const r = kcImport(['--json', tmpFile(`audit-${tag}.csv`, csv([
    [`Gốm ${tag}`, `Cơ sở ${tag}`, '437', 2024, 'Cấp tỉnh', '', '', '']]))]);
  const id = r.reports[0].import_id;
  const rows = sql(`SELECT action, JSON_VALUE(after_json, '$.rows_inserted') FROM audit_log WHERE entity = 'import' AND entity_id = '${id}'`);
  assert.deepEqual(rows, [['import', '1']]);
});

test('output: --json prints only JSON lines, one per file; text mode a summary; exit codes', () => {
  const r = kcImport(['--json', fx('sample-duplicate.csv'), fx('sample-utf16le-tab.csv')]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim().split('\n').length, 2);
  assert.equal(r.reports.length, 2);
  assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
  const t = kcImport([fx('sample-duplicate.csv')]);
  assert.match(t.stdout, /không đổi/);
  assert.equal(kcImport(['/nonexistent/file.csv']).status, 2);
  assert.equal(kcImport(['--no-such-option', fx('sample-duplicate.csv')]).status, 2);
  assert.equal(kcImport([]).status, 2);
  const noHeader = kcImport(['--json', tmpFile('noheader.csv', 'a,b,c\n1,2,3\n')]);
  assert.equal(noHeader.status, 2);
  assert.equal(noHeader.reports[0].errors[0].code, 'no_header');
  const bin = kcImport(['--json', tmpFile('binary.csv', Buffer.from([0x00, 0xff, 0xfe, 0x81, 0x00, 0x00, 0x9f, 0x80]))]);
  assert.equal(bin.status, 2, 'an undecidable encoding is refused');
});

test('limits: a field longer than the limit stops the file with a clear error, not a crash', () => {
  const tag = suffix();
  const long = 'x'.repeat(70000);
  const f = tmpFile(`long-${tag}.csv`, `${HEADER_SIMPLE}\r\n"${long}",Cơ sở ${tag},,2020,Cấp tỉnh\r\n`);
  const r = kcImport(['--json', f]);
  assert.equal(r.status, 2);
  assert.equal(r.reports[0].status, 'failed');
  assert.equal(r.reports[0].errors[0].code, 'field_too_long');
  const g = tmpFile(`long2-${tag}.csv`, `${HEADER_SIMPLE}\r\n${'y'.repeat(300)},Cơ sở ${tag},,2020,Cấp tỉnh\r\n`);
  const r2 = kcImport(['--json', g]);
  assert.equal(r2.status, 0);
  assert.equal(r2.reports[0].errors[0].code, 'too_long');
});
const HEADER_SIMPLE = 'Tên sản phẩm,Tên cơ sở,Huyện,Năm,Cấp';

test('interrupted: kill -9 in the middle, re-run, same state as a clean import', async () => {
  const a = suffix();
  const b = suffix();
  const N = 30000;
  const make = (tag) => {
    const lines = ['Danh sách lớn', HEADER];
    const districts = ['Huyện Can Lộc', 'TX Hồng Lĩnh', 'Huyện Hương Sơn', 'Huyện Đức Thọ', 'TP Hà Tĩnh'];
    for (let i = 0; i < N; i++) {
      lines.push([`Sản phẩm ${tag} số ${i}`, `Cơ sở ${tag} ${i % 7000}`, districts[i % 5],
        2018 + (i % 6), i % 3 ? 'Cấp tỉnh' : 'Cấp huyện', `${i}/QĐ`, '1/12/2019', `Nhóm ${i % 4}`].join(','));
    }
    return lines.join('\n') + '\n';
  };
  const fa = tmpFile(`big-${a}.csv`, make(a));
  const fb = tmpFile(`big-${b}.csv`, make(b));
  const child = startImport([fa]);
  const runId = await until(() => {
    const rows = sql(`SELECT id FROM import_run WHERE file_name = '${fa}' AND rows_inserted > 0`);
    return rows.length ? rows[0][0] : null;
  }, 60000, 20);
  assert.ok(runId, 'the import got going');
  child.kill('SIGKILL');
  await new Promise((res) => child.once('exit', res));
  const partial = Number(sql(`SELECT COUNT(*) FROM product WHERE name LIKE 'Sản phẩm ${a} %'`)[0][0]);
  assert.ok(partial > 0 && partial < N, `killed mid-file (${partial} of ${N})`);
  const again = kcImport(['--json', fa]);
  assert.equal(again.status, 0);
  assert.equal(again.reports[0].rows_inserted + again.reports[0].rows_unchanged, N);
  assert.equal(sql(`SELECT status FROM import_run WHERE id = ${runId}`)[0][0], 'interrupted');
  const clean = kcImport(['--json', fb]);
  assert.equal(clean.reports[0].rows_inserted, N);
  const ca = contentChecksum(a);
  const cb = contentChecksum(b);
  assert.equal(ca.rows, N);
  assert.deepEqual(ca, cb);
});
