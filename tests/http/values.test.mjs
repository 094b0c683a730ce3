// The fixed value lists are defined once (cgi/lib/values.h): the pages'
// public/js/values.js holds the same codes and labels in the same order,
// the database's ENUM and SET columns the same codes in the same order, and
// no other page script spells out a list of its own.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TOP, sql } from '../lib.mjs';
import * as js from '../../public/js/values.js';

// { LIST_NAME: [[code, label], ...] } from values.h's X-macros.
function headerLists() {
  const text = readFileSync(path.join(TOP, 'cgi/lib/values.h'), 'utf8').replace(/\\\n\s*/g, ' ');
  const lists = {};
  for (const m of text.matchAll(/#define ([A-Z_]+)\(X\)([^\n]*)/g)) {
    lists[m[1]] = [...m[2].matchAll(/X\(\s*\w+,\s*"([^"]+)",\s*"([^"]+)"\s*\)/g)].map((x) => [x[1], x[2]]);
  }
  return lists;
}

// The columns that store each list.
const COLUMNS = {
  CALL_KINDS: [['support_call', 'kind']],
  APP_STATUSES: [['application', 'status'], ['application_event', 'status']],
  AWARD_LEVELS: [['award', 'level']],
  STAFF_ROLES: [['staff_user', 'roles']],
  ACTIVITY_STATUSES: [['activity', 'status']],
  FACILITY_KINDS: [['facility', 'kind']],
  PLAN_STATUSES: [['plan', 'status']],
};

test('values.h, values.js and the schema hold the same lists', () => {
  const h = headerLists();
  assert.deepEqual(Object.keys(h).sort(), Object.keys(COLUMNS).sort(), 'every list of values.h is checked');
  for (const [name, entries] of Object.entries(h)) {
    assert.ok(entries.length >= 2, `${name} parsed`);
    assert.deepEqual(Object.entries(js[name] || {}), entries, `values.js ${name}`);
    for (const [table, column] of COLUMNS[name]) {
      const [[type]] = sql(`SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' AND COLUMN_NAME = '${column}'`);
      const codes = [...type.matchAll(/'([^']*)'/g)].map((m) => m[1]);
      assert.deepEqual(codes, entries.map(([c]) => c), `${table}.${column} is ${type}`);
    }
  }
});

test('no page script keeps a list of its own', () => {
  const h = headerLists();
  const dir = path.join(TOP, 'public/js');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.js') && x !== 'values.js')) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    for (const [name, entries] of Object.entries(h)) {
      // Two or more codes of one list written as object keys with a short
      // text (a label) each: a copy of the list. Longer texts per code (the
      // tax-code hint of each kind of facility) are not labels.
      const keys = entries.filter(([c]) => new RegExp(`[{,\\s]${c}\\s*:\\s*['"][^'"\\n]{0,40}['"]`).test(text));
      assert.ok(keys.length < 2, `${f} spells out ${name} (${keys.map(([c]) => c).join(', ')}): import it from values.js`);
    }
  }
});

test('every select of a page offers a whole list', () => {
  const h = headerLists();
  const files = ['public', 'public/admin'].flatMap((d) => readdirSync(path.join(TOP, d))
    .filter((x) => x.endsWith('.html')).map((x) => path.join(d, x)));
  let checked = 0;
  for (const f of files) {
    const text = readFileSync(path.join(TOP, f), 'utf8');
    for (const m of text.matchAll(/<select[^>]*>([\s\S]*?)<\/select>/g)) {
      const values = [...m[1].matchAll(/<option value="([^"]*)"/g)].map((x) => x[1]).filter((v) => v !== '');
      for (const [name, entries] of Object.entries(h)) {
        const codes = entries.map(([c]) => c);
        if (values.filter((v) => codes.includes(v)).length < 2) continue;
        checked++;
        assert.deepEqual([...values].sort(), [...codes].sort(), `${f}: a select of ${name}`);
      }
    }
  }
  assert.ok(checked >= 3, `selects checked: ${checked}`);
});
