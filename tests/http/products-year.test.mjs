// GET /api/products?year=: the products with an award of that year, in the
// listing's order (from kc-products' catalogue since issue 20). Each answer here is checked against the same question asked of the
// product and award tables themselves, after imports and after changes
// made by hand-written SQL.
import test from 'node:test';
import assert from 'node:assert/strict';
import { get, sql, freeYear } from '../lib.mjs';
import { kcImport, tmpFile, csv, suffix } from './import-helpers.mjs';

const tag = suffix();
let year;

function load(rows) {
  const r = kcImport(['--json', tmpFile(`year-${tag}-${Math.random()}.csv`, csv(rows))]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.reports[0].rows_rejected, 0, JSON.stringify(r.reports[0].errors));
}

// The ids of year y's products as the tables say, in the listing's order.
const truth = (y, level) => sql(`SELECT p.id FROM product p WHERE EXISTS (SELECT 1 FROM award a
    WHERE a.product_id = p.id AND a.year = ${y}${level ? ` AND a.level = '${level}'` : ''})
    ORDER BY p.last_year DESC, p.name, p.id`).map((r) => Number(r[0]));

async function listed(y, extra = '') {
  const r = await get(`/api/products?year=${y}&per_page=100${extra}`, { headers: { cookie: 'fresh=1' } });
  assert.equal(r.status, 200);
  assert.equal(r.json.total, r.json.items.length);
  return r.json.items.map((p) => p.id);
}

const idOf = (name) => Number(sql(`SELECT id FROM product WHERE name = '${name}'`)[0][0]);

test.before(() => {
  year = freeYear(2000, 16, 'SELECT COUNT(*) FROM award WHERE year IN ({y}, {y} + 1)');
  load([
    [`Mật ong ${tag}`, `HTX ong ${tag}`, 'Huyện Vũ Quang', year, 'Cấp tỉnh', '', '', ''],
    [`Bánh đa ${tag}`, `Cơ sở bánh ${tag}`, 'Huyện Thạch Hà', year, 'Cấp huyện', '', '', ''],
    [`Bánh đa ${tag}`, `Cơ sở bánh ${tag}`, 'Huyện Thạch Hà', year, 'Cấp tỉnh', '', '', ''],
    [`Kẹo lạc ${tag}`, `Cơ sở kẹo ${tag}`, 'Huyện Can Lộc', year, 'Cấp huyện', '', '', ''],
  ]);
});

test('a year lists each product once, in order, as the tables say', async () => {
  const ids = await listed(year);
  assert.equal(ids.length, 3, 'two awards of one product in one year: listed once');
  assert.deepEqual(ids, truth(year));
  assert.deepEqual(ids, [idOf(`Bánh đa ${tag}`), idOf(`Kẹo lạc ${tag}`), idOf(`Mật ong ${tag}`)]);
  assert.deepEqual(await listed(year, '&level=province'), truth(year, 'province'));
  const page = await get(`/api/products?year=${year}&per_page=2&page=2`, { headers: { cookie: 'fresh=1' } });
  assert.equal(page.json.total, 3);
  assert.deepEqual(page.json.items.map((p) => p.id), [idOf(`Mật ong ${tag}`)]);
});

test('a later award, imported, moves the product up in the earlier year', async () => {
  load([[`Mật ong ${tag}`, `HTX ong ${tag}`, 'Huyện Vũ Quang', year + 1, 'Cấp khu vực', '', '', '']]);
  const ids = await listed(year);
  assert.equal(ids[0], idOf(`Mật ong ${tag}`));
  assert.deepEqual(ids, truth(year));
  assert.deepEqual(await listed(year + 1), [idOf(`Mật ong ${tag}`)]);
});

test('changes made by hand-written SQL are followed', async () => {
  const keo = idOf(`Kẹo lạc ${tag}`);
  sql(`UPDATE product SET name = 'Ấm trà ${tag}' WHERE id = ${keo}`);
  let ids = await listed(year);
  assert.deepEqual(ids, truth(year));
  assert.equal(ids[1], keo, 'renamed: now before Bánh đa');
  sql(`DELETE FROM award WHERE product_id = ${keo}`);
  assert.deepEqual(await listed(year), truth(year));
  assert.ok(!(await listed(year)).includes(keo));
  const banh = idOf(`Bánh đa ${tag}`);
  sql(`UPDATE award SET year = ${year + 1} WHERE product_id = ${banh} AND level = 'district'`);
  assert.deepEqual(await listed(year), truth(year), 'still listed through its other award');
  assert.deepEqual(await listed(year + 1), truth(year + 1));
  assert.ok((await listed(year + 1)).includes(banh));
});

// Every table an import writes (cgi/lib/importer.c and the triggers on
// them): the data tables stay as they were, row for row; the log tables
// gain the run's own row and its audit row, and their earlier rows stay.
const DATA_TABLES = ['product_group', 'facility', 'product', 'award', 'import_issue'];
const LOG_TABLES = ['import_run', 'audit_log'];

function checksums() {
  return Object.fromEntries(sql(`CHECKSUM TABLE ${DATA_TABLES.join(', ')}`)
    .map(([t, c]) => [t.split('.').pop(), c]));
}

// Each row of table up to id max (all when max is undefined), as an MD5 of
// all its columns (JSON keeps NULL apart from '' and 0).
function rowDigests(table, max) {
  const cols = sql(`SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
    AND TABLE_NAME = '${table}' ORDER BY ORDINAL_POSITION`).map((r) => `\`${r[0]}\``);
  return sql(`SELECT id, MD5(JSON_ARRAY(${cols.join(', ')})) FROM ${table}
    ${max === undefined ? '' : `WHERE id <= ${max}`} ORDER BY id`).map((r) => r.join(' '));
}

const maxId = (table) => Number(sql(`SELECT COALESCE(MAX(id), 0) FROM ${table}`)[0][0]);

test('re-importing the same list changes nothing', async () => {
  const sums = checksums();
  const logs = Object.fromEntries(LOG_TABLES.map((t) => [t, { max: maxId(t), rows: rowDigests(t) }]));
  load([[`Mật ong ${tag}`, `HTX ong ${tag}`, 'Huyện Vũ Quang', year + 1, 'Cấp khu vực', '', '', '']]);
  assert.deepEqual(checksums(), sums, 'a data table changed');
  for (const t of LOG_TABLES) {
    assert.deepEqual(rowDigests(t, logs[t].max), logs[t].rows, `an earlier ${t} row changed`);
  }
  const runs = sql(`SELECT id, status, rows_total, rows_inserted, rows_updated, rows_unchanged, rows_rejected
    FROM import_run WHERE id > ${logs.import_run.max}`);
  assert.deepEqual(runs.map((r) => r.slice(1)), [['done', '1', '0', '0', '1', '0']], 'the run\'s own row');
  assert.deepEqual(sql(`SELECT action, entity, entity_id FROM audit_log WHERE id > ${logs.audit_log.max}`),
    [['import', 'import', runs[0][0]]], 'its audit row, and no other');
});

// Without a year, the list is counted first: a rare level, district or
// group (at most RARE_MAX = 2 000 products) is read from its own index and
// sorted, a common one walks the listing order. Both ways must give the
// tables' own answer; 2 100 products of one level and group make the
// common way happen here too.
test('a level, a district or a group alone: the tables\' answer, rare or common', async () => {
  const many = `Nhóm miền ${tag}`;
  load(Array.from({ length: 2100 }, (_, i) => [`Sản phẩm miền ${tag} ${i}`, `Cơ sở miền ${tag} ${i % 700}`,
    ['Huyện Can Lộc', 'Huyện Hương Khê', 'TP Hà Tĩnh'][i % 3], 2019 + (i % 5), 'Cấp khu vực', '', '', many]));
  const ordered = (where) => sql(`SELECT p.id FROM product p WHERE ${where}
    ORDER BY p.last_year DESC, p.name, p.id`).map((r) => Number(r[0]));
  const award = (cond) => `EXISTS (SELECT 1 FROM award a LEFT JOIN admin_unit au ON au.id = a.unit_id
    WHERE a.product_id = p.id AND ${cond})`;
  const group = (fold) => `p.group_id IN (SELECT id FROM product_group WHERE name_fold = '${fold}')`;
  const cases = [
    ['level=region', award(`a.level = 'region'`)],
    ['level=national', award(`a.level = 'national'`)],
    ['level=province', award(`a.level = 'province'`)],
    ['district=436', award(`(au.code = '436' OR au.parent_code = '436')`)],
    ['district=436&level=region', award(`a.level = 'region' AND (au.code = '436' OR au.parent_code = '436')`)],
    [`group=${encodeURIComponent(many)}`, group(`nhom mien ${tag}`)],
    [`group=${encodeURIComponent(`nhom mien ${tag}`)}&level=region`, `${group(`nhom mien ${tag}`)} AND ${award(`a.level = 'region'`)}`],
    ['group=999999999', 'FALSE'],
  ];
  let common = 0;
  for (const [query, where] of cases) {
    const want = ordered(where);
    if (want.length > 2000) common++;
    for (const page of [1, 7]) {
      const r = await get(`/api/products?${query}&per_page=100&page=${page}`, { headers: { cookie: 'fresh=1' } });
      assert.equal(r.status, 200, query);
      assert.equal(r.json.total, want.length, `${query}: total`);
      assert.deepEqual(r.json.items.map((p) => p.id), want.slice((page - 1) * 100, page * 100), `${query}, page ${page}`);
    }
  }
  assert.ok(common >= 2, 'the common way was taken too');
});
