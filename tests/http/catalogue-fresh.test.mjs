// The catalogue each kc-products worker keeps (issue 20, migration 061) is
// never older than the database: after an import (kc-import and the web
// upload), an edit made by anyone (here hand-written SQL: no staff endpoint
// edits products yet), a merge of two products and its undo, the very next
// requests past the micro-cache see it, in every worker; a rolled-back
// change never shows. Each change rebuilds the catalogue: under build-san
// the workers' leaks show in the log at stop.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { get, http, sql } from '../lib.mjs';
import { kcImport, tmpFile, csv, suffix } from './import-helpers.mjs';
import { mkUser, login } from './staff-helpers.mjs';

const WORKERS = Number(process.env.KC_WORKERS || 4);
const tag = suffix();
let importer;

// What each of several requests sees (a Cookie: past the micro-cache, to
// every worker): they must all agree.
async function seen(q = tag, extra = '') {
  const texts = [];
  for (let i = 0; i < WORKERS * 4; i++) {
    const r = await get(`/api/products?q=${encodeURIComponent(q)}${extra}`, { headers: { cookie: 'fresh=1' } });
    assert.equal(r.status, 200, r.text);
    texts.push(r.text);
  }
  assert.equal(new Set(texts).size, 1, 'every request must see the same catalogue');
  return JSON.parse(texts[0]);
}
const names = (l) => l.items.map((p) => p.name);
const version = () => sql('SELECT version FROM catalogue_version WHERE id = 1')[0][0];

before(async () => {
  const u = mkUser(['importer'], 'cat');
  importer = await login(u.username, u.password);
});

test('an import by kc-import and one on the web show on the next request, in every worker', async () => {
  assert.equal((await seen()).total, 0);
  const r = kcImport(['--json', tmpFile(`fresh-${tag}.csv`, csv([
    [`Kẹo cu đơ ${tag}`, `Cơ sở ${tag}`, 'Huyện Can Lộc', 2021, 'Cấp tỉnh', '', '', `Nhóm ${tag}`],
  ]))]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(names(await seen()), [`Kẹo cu đơ ${tag}`]);
  const body = Buffer.from(csv([[`Nước mắm ${tag}`, `Cơ sở ${tag}`, 'Huyện Can Lộc', 2022, 'Cấp huyện', '', '', '']]));
  const w = await http('POST', `/api/admin/imports?filename=f-${tag}.csv`, { body,
    headers: { cookie: importer.cookie, 'x-csrf-token': importer.csrf, 'content-type': 'text/csv' } });
  assert.equal(w.status, 201, w.text);
  assert.deepEqual(names(await seen()), [`Nước mắm ${tag}`, `Kẹo cu đơ ${tag}`]);
  assert.deepEqual(names(await seen(`nuoc mam ${tag}`, '&year=2022')), [`Nước mắm ${tag}`]);
});

test('edits by SQL to a product, its award, its facility, its group show; a rollback does not', async () => {
  const id = sql(`SELECT id FROM product WHERE name = 'Kẹo cu đơ ${tag}'`)[0][0];
  sql(`UPDATE product SET name = 'Kẹo cu đơ mới ${tag}' WHERE id = ${id}`);
  assert.ok(names(await seen()).includes(`Kẹo cu đơ mới ${tag}`));
  sql(`UPDATE award SET level = 'national', decision_no = '9/QĐ-${tag}' WHERE product_id = ${id}`);
  let p = (await seen(tag, '&level=national')).items;
  assert.deepEqual(p.map((x) => [x.name, x.awards[0].decision_no]), [[`Kẹo cu đơ mới ${tag}`, `9/QĐ-${tag}`]]);
  sql(`UPDATE facility SET address = 'Thôn ${tag}' WHERE name = 'Cơ sở ${tag}'`);
  p = (await seen()).items;
  assert.ok(p.every((x) => x.facility.address === `Thôn ${tag}`));
  sql(`UPDATE product_group SET name = 'Nhóm mới ${tag}' WHERE name = 'Nhóm ${tag}'`);
  assert.equal((await seen()).items.find((x) => x.id === Number(id)).group, `Nhóm mới ${tag}`);
  const before = await seen();
  const v = version();
  sql(`START TRANSACTION; UPDATE product SET name = 'Không có ${tag}' WHERE id = ${id};
    INSERT INTO award (product_id, year, level) VALUES (${id}, 2019, 'commune'); ROLLBACK;`);
  assert.equal(version(), v, 'a rolled-back change does not move the version');
  assert.deepEqual(await seen(), before);
  sql(`UPDATE product SET sample = sample WHERE id = ${id}`);
  assert.equal(version(), v, 'an update that changes nothing does not move it');
});

test('a merge of two products (awards moved, one deleted) and its undo show on the next request', async () => {
  const [a, b] = sql(`SELECT id FROM product WHERE name LIKE '%${tag}' ORDER BY id`).map((r) => r[0]);
  const award = sql(`SELECT id, year, level FROM award WHERE product_id = ${b}`)[0];
  sql(`START TRANSACTION; UPDATE award SET product_id = ${a} WHERE product_id = ${b};
    DELETE FROM product WHERE id = ${b};
    UPDATE product SET last_year = 2022 WHERE id = ${a}; COMMIT;`);
  let l = await seen();
  assert.equal(l.total, 1);
  assert.deepEqual(l.items[0].awards.map((x) => x.year), [2022, 2021]);
  const p = sql(`SELECT facility_id, name, name_fold, name_key, search_fold, unit_id FROM product WHERE id = ${a}`)[0];
  sql(`START TRANSACTION; INSERT INTO product (id, facility_id, name, name_fold, name_key, search_fold, unit_id, last_year)
    VALUES (${b}, ${p[0]}, 'Nước mắm ${tag}', 'nuoc mam ${tag}', 'nước mắm ${tag}', 'nuoc mam ${tag} co so ${tag}', ${p[5]}, 2022);
    UPDATE award SET product_id = ${b} WHERE id = ${award[0]};
    UPDATE product SET last_year = 2021 WHERE id = ${a}; COMMIT;`);
  l = await seen();
  assert.equal(l.total, 2);
  assert.deepEqual(names(l), [`Nước mắm ${tag}`, `Kẹo cu đơ mới ${tag}`]);
});
