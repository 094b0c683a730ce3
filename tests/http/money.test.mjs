// Money as people type it (cgi/lib/money.c through F_MONEY in req.c): a
// call's maximum support sent as "20 triệu", "2.080.000 đ", "1,5 tỷ" is
// stored as whole đồng; what is ambiguous or not whole is a 422 saying why,
// and nothing is made. The C unit test (tests/unit/test_money.c) holds the
// whole table; this checks the same parser answers through the API.
import test from 'node:test';
import assert from 'node:assert/strict';
import { sql, assertError } from '../lib.mjs';
import { mkUser, login, as, sfx } from './staff-helpers.mjs';

const tag = sfx();
const call = (max, n) => ({ year: 2026, kind: 'training', title: `Đợt tiền ${tag} ${n}`,
  opens_at: '2026-01-01', closes_at: '2026-02-01', max_support_vnd: max });
const calls = () => Number(sql(`SELECT COUNT(*) FROM support_call WHERE title LIKE 'Đợt tiền ${tag}%'`)[0][0]);

test('typed amounts are stored as whole đồng', async () => {
  const u = mkUser(['reviewer'], 'mn');
  const s = await login(u.username, u.password);
  const cases = [['20 triệu', 20000000], ['2.080.000 đ', 2080000], ['1,5 tỷ', 1500000000],
    ['2080000', 2080000], [3000000, 3000000], ['2 tỷ 80 triệu', 2080000000], ['150.000', 150000]];
  for (const [i, [typed, want]] of cases.entries()) {
    const r = await as(s, 'POST', '/api/admin/calls', call(typed, i));
    assert.equal(r.status, 201, `${typed}: ${r.text}`);
    assert.equal(Number(sql(`SELECT max_support_vnd FROM support_call WHERE id = ${r.json.id}`)[0][0]), want, String(typed));
  }
});

test('ambiguous, partial or out-of-range amounts: 422 with the reason, nothing made', async () => {
  const u = mkUser(['reviewer'], 'mn');
  const s = await login(u.username, u.password);
  const before = calls();
  const cases = [['150,000', /Không rõ/], ['1.500 tỷ', /Không rõ/], ['2,5 đ', /phần lẻ/], ['2.08.000', /3 chữ số/],
    ['80 triệu 2 tỷ', /giảm dần/], ['mười triệu', /Không đọc được/], ['-5000', /âm/], ['0', /trở lên/],
    [2.5, /Sai kiểu/], ['', /Bắt buộc/], ['  ', /Bắt buộc/]];
  for (const [typed, why] of cases) {
    const r = await as(s, 'POST', '/api/admin/calls', call(typed, 'x'));
    assertError(assert, r, 422, 'validation_failed');
    assert.match(r.json.error.fields.max_support_vnd, why, `${typed}: ${r.text}`);
  }
  assert.equal(calls(), before);
});
