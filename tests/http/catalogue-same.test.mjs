// The catalogue from memory (issue 20) answers exactly as the SQL
// statements did: every query of a corpus of more than 50 (common and rare
// words, prefixes of one, two and three letters, no diacritics, filters
// alone and combined, pages past the end, CSV, the groups) gives the same
// status, type and bytes from the stack's workers (the catalogue) and from
// an oracle worker answering from search.c's statements (KC_PRODUCTS_SQL=1),
// over the sample and a generated catalogue of realistic word frequencies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, sql } from '../lib.mjs';
import { kcImport, tmpFile, csv, suffix } from './import-helpers.mjs';
import { startOracle, catalogueRows } from './catalogue-helpers.mjs';

const tag = suffix();
let oracle;

before(async () => {
  const r = kcImport(['--json', tmpFile(`catalogue-${tag}.csv`, csv(catalogueRows(2500, tag)))]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.reports[0].rows_rejected, 0, JSON.stringify(r.reports[0].errors).slice(0, 500));
  oracle = await startOracle();
});
after(() => oracle && oracle.stop());

function corpus() {
  const codes = sql(`SELECT DISTINCT au.code FROM award a JOIN admin_unit au ON au.id = a.unit_id
    ORDER BY au.code LIMIT 3`).map((r) => r[0]);
  const parent = sql(`SELECT DISTINCT au.parent_code FROM award a JOIN admin_unit au ON au.id = a.unit_id
    WHERE au.parent_code IS NOT NULL ORDER BY 1 LIMIT 1`).map((r) => r[0]);
  const groups = sql('SELECT id, name, name_fold FROM product_group ORDER BY id LIMIT 2');
  // Words of one product only, split as migration 024 splits search_fold.
  const rare = sql(`SELECT LEFT(j.w, 64) COLLATE utf8mb4_bin w FROM product p,
    JSON_TABLE(product_words_json(p.search_fold), '$[*]' COLUMNS (w VARCHAR(520) PATH '$')) j
    WHERE j.w <> '' GROUP BY w HAVING COUNT(DISTINCT p.id) = 1 ORDER BY w LIMIT 2`).map((r) => r[0]);
  const qs = ['keo cu do', 'Kẹo cu đơ', 'KẸO CU ĐƠ', 'keo', 'k', 'ke', 'keo c', 'keo cu d', 'nuoc mam', 'nước',
    'n', 'mat ong', 'mật', 'ong mat', 'm', 'ma', 'mam', 'tha', 'th', 'đ', 'd', 'co so', `co so ${tag}`, tag,
    `${tag.slice(0, 3)}`, 'banh da vung', 'bưởi phúc', 'x', 'zzzzqqq', 'keo zzzzqqq', '“kẹo” — cu-đơ!', '123',
    ...rare, `${rare[0]} keo`, `keo ${rare[1] || 'x'}`];
  const urls = [];
  for (const q of qs) urls.push(`/api/products?q=${encodeURIComponent(q)}`);
  const filters = [
    'year=2020', 'year=2018', 'year=2099', 'level=province', 'level=national', 'level=commune',
    ...codes.map((c) => `district=${c}`), ...parent.map((c) => `district=${c}`), 'district=99999',
    `year=2021&level=province`, `year=2019&district=${codes[0]}`, `level=district&district=${codes[1]}`,
    `year=2022&level=province&district=${parent[0] || codes[0]}`,
    ...groups.flatMap((g) => [`group=${g[0]}`, `group=${encodeURIComponent(g[1])}`, `group=${encodeURIComponent(g[2])}`]),
    'group=khong%20co', `group=${groups[0][0]}&year=2020`,
  ];
  for (const f of filters) urls.push(`/api/products?${f}`);
  for (const [q, f] of [['keo cu do', 'year=2020'], ['nuoc mam', 'level=province'], ['m', `district=${codes[0]}`],
    ['mat ong', `year=2021&level=district`], ['k', `group=${groups[0][0]}`], [tag, 'year=2023&level=province']]) {
    urls.push(`/api/products?q=${encodeURIComponent(q)}&${f}`);
  }
  for (const p of ['page=2&per_page=5', 'page=100&per_page=10', 'page=3&per_page=100', 'page=9999', 'per_page=1']) {
    urls.push(`/api/products?q=keo%20cu%20do&${p}`, `/api/products?q=k&${p}`, `/api/products?${p}`,
      `/api/products?year=2020&${p}`);
  }
  urls.push('/api/products.csv?q=keo', '/api/products.csv?year=2020', '/api/products.csv?q=n&level=province',
    `/api/products.csv?district=${codes[0]}`, '/api/products.csv', '/api/products/groups',
    '/api/products/groups.csv', '/api/products?q=');
  return urls;
}

test('the catalogue answers byte for byte as the SQL statements, over a corpus of queries', async () => {
  const urls = corpus();
  assert.ok(urls.length >= 50, `${urls.length} queries`);
  const totals = [];
  for (const url of urls) {
    // Past the micro-cache (a Cookie); the bytes as sent (a CSV's BOM too).
    const res = await fetch(BASE + url, { headers: { cookie: 'same=1' } });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    const got = { status: res.status, headers: res.headers, text, json: res.headers.get('content-type').includes('json') ? JSON.parse(text) : null };
    const want = oracle.ask(url);
    assert.equal(got.status, want.status, url);
    assert.equal(got.headers.get('content-type'), want.type, url);
    assert.ok(got.text === want.body, `${url}: the bodies differ\n got ${got.text.slice(0, 400)}\nwant ${want.body.slice(0, 400)}`);
    if (got.json && typeof got.json.total === 'number') totals.push(got.json.total);
  }
  // The corpus is not trivial: common words match many, some match none.
  assert.ok(totals.some((t) => t > 100), 'a query matching many');
  assert.ok(totals.some((t) => t === 0), 'a query matching none');
});
