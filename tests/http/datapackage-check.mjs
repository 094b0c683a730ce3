// Checks of a Frictionless (tabular) Data Package as the API serves it:
// the descriptor against the Data Package and Table Schema rules, and each
// resource's CSV against its schema, twice: by the rules written out here,
// and by Frictionless's own JavaScript libraries (datapackage, tableschema:
// their profiles ship in the package, nothing is fetched but our CSVs).
import assert from 'node:assert/strict';
import datapackage from 'datapackage';
import tableschema from 'tableschema';
import { parseCsv } from './dashboard-csv.mjs';

const { Package, validate } = datapackage;
const { Table } = tableschema;

// Table Schema 1.0's field types; the forms of a value of each (default
// format) for those a package of ours may use.
const SPEC_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'date', 'time',
  'datetime', 'year', 'yearmonth', 'duration', 'geopoint', 'geojson', 'any'];
const VALUE = {
  string: () => true,
  integer: (v) => /^[+-]?\d+$/.test(v) && Number.isSafeInteger(Number(v)),
  number: (v) => /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v),
  boolean: (v) => ['true', 'True', 'TRUE', '1', 'false', 'False', 'FALSE', '0'].includes(v),
  date: (v) => /^\d{4}-\d\d-\d\d$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
  year: (v) => /^\d{4}$/.test(v),
  yearmonth: (v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v),
};
const NAME = /^[a-z0-9._-]+$/;	// package and resource names (Data Package spec)

// The descriptor p (served at url): the spec's rules, then the library's
// profile validation and loading.
export async function checkPackage(url, p) {
  assert.equal(p.profile, 'tabular-data-package');
  assert.match(p.name, NAME, 'package name');
  assert.ok(Array.isArray(p.licenses) && p.licenses.length > 0, 'licenses');
  for (const l of p.licenses) assert.ok(l.name || l.path, 'a license has a name or a path');
  assert.ok(Array.isArray(p.resources) && p.resources.length > 0, 'resources');
  const names = p.resources.map((r) => r.name);
  assert.equal(new Set(names).size, names.length, 'resource names unique');
  for (const r of p.resources) {
    assert.match(r.name, NAME, 'resource name');
    assert.equal(r.profile, 'tabular-data-resource');
    assert.equal(typeof r.path, 'string', `${r.name}: path`);
    // A URL, or a relative POSIX path that does not climb out.
    if (!/^https?:\/\//.test(r.path)) {
      assert.ok(!r.path.startsWith('/') && !r.path.startsWith('~') && !/^[a-z][a-z0-9+.-]*:/i.test(r.path) &&
        !r.path.split(/[/?]/).includes('..'), `${r.name}: relative path ${r.path}`);
    }
    const fields = r.schema?.fields;
    assert.ok(Array.isArray(fields) && fields.length > 0, `${r.name}: schema.fields`);
    const fnames = fields.map((f) => f.name);
    assert.equal(new Set(fnames).size, fnames.length, `${r.name}: field names unique`);
    for (const f of fields) {
      assert.ok(typeof f.name === 'string' && f.name !== '', `${r.name}: field name`);
      assert.ok(SPEC_TYPES.includes(f.type), `${r.name}.${f.name}: ${f.type} is a Table Schema type`);
      assert.ok(VALUE[f.type], `${r.name}.${f.name}: type ${f.type} checked here`);
      if (f.constraints?.pattern !== undefined) new RegExp(f.constraints.pattern);
    }
    if (r.schema.primaryKey !== undefined) {
      for (const k of [].concat(r.schema.primaryKey)) assert.ok(fnames.includes(k), `${r.name}: primary key ${k}`);
    }
  }
  const v = await validate(p);
  assert.deepEqual(v.errors.map(String), [], 'the Data Package profile');
  assert.equal(v.valid, true);
  const pkg = await Package.load(url, { strict: true });
  assert.equal(pkg.valid, true, String(pkg.errors));
  assert.deepEqual(pkg.resources.map((r) => r.source), p.resources.map((r) => new URL(r.path, url).href),
    'each path resolves against the descriptor');
}

// The CSV of resource res of the package at url against its schema:
// header = declared field names in order, every value of its field's
// type and pattern, primary key unique; then the same with tableschema.
// Returns the number of rows.
export async function checkResource(url, res) {
  // An address of its own, so that this read and tableschema's below see
  // the same answer (not a micro-cached copy from before the test's rows).
  const src = new URL(res.path, url);
  src.searchParams.set('fresh', `${Date.now()}${Math.random()}`);
  const r = await fetch(src);
  assert.equal(r.status, 200, `${src}`);
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  const bytes = new Uint8Array(await r.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], `${res.name}: BOM`);
  const rows = parseCsv(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.slice(3)));
  const fields = res.schema.fields;
  assert.deepEqual(rows[0], fields.map((f) => f.name), `${res.name}: header = declared fields`);
  const pk = res.schema.primaryKey;
  const keys = new Set();
  for (const row of rows.slice(1)) {
    assert.equal(row.length, fields.length, `${res.name}: width of ${row}`);
    fields.forEach((f, i) => {
      if (row[i] === '') return;	// a missing value (missingValues: [""])
      assert.ok(VALUE[f.type](row[i]), `${res.name}.${f.name}: ${row[i]} is not ${f.type}`);
      const pat = f.constraints?.pattern;
      if (pat !== undefined) assert.match(row[i], new RegExp(`^(?:${pat})$`), `${res.name}.${f.name}: pattern`);
    });
    if (pk) {
      const k = row[fields.findIndex((f) => f.name === pk)];
      assert.ok(k !== '' && !keys.has(k), `${res.name}: primary key ${k} unique`);
      keys.add(k);
    }
  }
  const table = await Table.load(src.href, { schema: res.schema, strict: true, headers: 1, bom: true, delimiter: ',' });
  const cast = await table.read({ cast: true });
  assert.deepEqual(table.headers, fields.map((f) => f.name), `${res.name}: tableschema header`);
  assert.equal(cast.length, rows.length - 1, `${res.name}: tableschema rows`);
  return rows.length - 1;
}
