// The imports page (/admin/imports.html) against the real kc-imports API,
// in a phone-sized browser: an importer uploads the fixture with errors,
// reads the dry run's report (encoding, delimiter, header line, errors by
// line), runs the real import, finds both runs in the history, opens a
// report from there and downloads its errors as CSV. A reviewer gets no
// import rights. A product name that is hostile markup, imported through
// the page, shows as text in the report and on the public products page.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, sql } from '../lib.mjs';
import { launch, screenshot, watchedPage, noInjection, signIn } from '../browser.mjs';

// The injected images this page's data carries.
const INJECTED_IMGS = 'img[onerror], img[src="x"]';
import { mkUser } from '../http/staff-helpers.mjs';
import { FIXTURES, suffix, csv } from '../http/import-helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const tag = suffix();

// The imports page, signed in as a new importer (prefix: of the user's name).
async function importsPage(prefix) {
  const page = await watchedPage(browser);
  await signIn(page, mkUser(['importer'], prefix));
  await page.goto(`${BASE}/admin/imports.html`);
  return page;
}

// Choose the file and run it dry; wait for the page to say it did.
async function dryRun(page, file) {
  await page.getByLabel('Tệp CSV danh sách').setInputFiles(file);
  await page.getByRole('button', { name: 'Chạy thử' }).click();
  await page.locator('#msg').filter({ hasText: 'Đã chạy thử' }).waitFor();
}

const cells = (page, sel, col) => page.locator(`${sel} tbody tr`).evaluateAll(
  (trs, c) => trs.map((tr) => tr.children[c].textContent), col);

const errorsFixture = () => {
  // sample-errors.csv, with this run's word in the good row's names so that
  // its real import inserts a new product (the line numbers stay).
  const text = fs.readFileSync(path.join(FIXTURES, 'sample-errors.csv'), 'utf8')
    .replace('Kẹo cu đơ Thiên Cầm', `Kẹo cu đơ Thiên Cầm ${tag}`)
    .replace('Cơ sở kẹo cu đơ Hương Quê', `Cơ sở kẹo cu đơ Hương Quê ${tag}`);
  assert.ok(text.includes(tag));
  return { name: `sample-errors-${tag}.csv`, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
};

test('importer: dry run with the errors by line, real import, history, report, errors CSV', async () => {
  const u = mkUser(['importer'], 'imp');
  const page = await watchedPage(browser);
  await signIn(page, u);
  await page.getByRole('link', { name: 'Nhập danh sách' }).first().click();
  await page.waitForURL(/imports\.html/);
  await page.locator('#history table, #history p').first().waitFor();
  assert.equal(await page.locator('#i-real').isDisabled(), true, 'no real import before a dry run');

  const file = errorsFixture();
  await dryRun(page, file);
  const report = page.locator('#report');
  const rtext = await report.textContent();
  assert.match(rtext, /Báo cáo chạy thử số \d+/);
  assert.ok(rtext.includes(file.name));
  for (const want of ['Mã hoáutf-8', 'Dấu phân cáchdấu phẩy (,)', 'Dòng tiêu đề2', 'Số dòng dữ liệu7', 'Thêm mới1', 'Bị từ chối6', 'Cột bỏ quakhông có']) {
    assert.ok(rtext.includes(want), `report shows ${want}`);
  }
  // The errors as a table by line, with the column and the code.
  assert.deepEqual(await cells(page, '#errors', 0), ['4', '5', '6', '7', '8', '9']);
  assert.deepEqual(await cells(page, '#errors', 2), ['out_of_range', 'invalid_date', 'invalid_level', 'unknown_district', 'ambiguous_district', 'required']);
  assert.deepEqual(await cells(page, '#errors', 1), ['year', 'decision_date', 'level', 'district', 'district', 'product']);
  assert.match(await page.locator('#errors caption').textContent(), /6/);
  // A dry run changes nothing.
  assert.equal(sql(`SELECT COUNT(*) FROM product WHERE name LIKE '%${tag}%'`)[0][0], '0');
  const dryId = Number(/số (\d+)/.exec(rtext)[1]);
  await screenshot(page, 'staff-imports-dry-run');

  // The real import of the same file.
  await page.getByRole('button', { name: 'Nhập thật' }).click();
  await page.locator('#msg').filter({ hasText: 'Đã nhập: thêm 1' }).waitFor();
  const rtext2 = await report.textContent();
  assert.match(rtext2, /Báo cáo nhập số \d+/);
  const realId = Number(/số (\d+)/.exec(rtext2)[1]);
  assert.ok(realId > dryId);
  assert.deepEqual(sql(`SELECT p.name, a.year, a.level FROM product p JOIN award a ON a.product_id = p.id WHERE p.name LIKE '%${tag}%'`),
    [[`Kẹo cu đơ Thiên Cầm ${tag}`, '2019', 'province']]);
  assert.equal(await page.locator('#i-real').isDisabled(), true, 'one real import per dry run');

  // The history: both runs, newest first, with their counts.
  const hist = page.locator('#history tbody tr').filter({ hasText: file.name });
  await hist.nth(1).waitFor();
  const rows = await hist.evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 11).map((td) => td.textContent)));
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => [Number(r[0]), r[3], r[4], r[5], r[6], r[10]]), [
    [realId, 'Nhập thật', 'Xong', u.username, '7', '6'],
    [dryId, 'Chạy thử', 'Xong', u.username, '7', '6'],
  ]);
  await screenshot(page, 'staff-imports-history');

  // A report from the history, and its errors as CSV.
  await page.getByRole('button', { name: `Xem báo cáo lần nhập ${dryId}` }).click();
  await report.filter({ hasText: `Báo cáo chạy thử số ${dryId}` }).waitFor();
  assert.deepEqual(await cells(page, '#errors', 0), ['4', '5', '6', '7', '8', '9']);
  const href = await page.locator('#report a[href$="errors.csv"]').getAttribute('href');
  assert.equal(href, `/api/admin/imports/${dryId}/errors.csv`);
  const hrefHist = await page.getByRole('link', { name: `Tải lỗi lần nhập ${realId} (CSV)` }).getAttribute('href');
  assert.equal(hrefHist, `/api/admin/imports/${realId}/errors.csv`);
  const dl = await page.evaluate(async (h) => { const r = await fetch(h); return { status: r.status, type: r.headers.get('content-type'), body: new Uint8Array(await r.arrayBuffer()) }; }, href);
  assert.equal(dl.status, 200);
  assert.match(dl.type, /text\/csv/);
  const body = Buffer.from(Object.values(dl.body)).toString('utf8');
  assert.ok(body.startsWith('\uFEFFline,kind,column,code,message'), body.slice(0, 60));
  const lines = body.trim().split(/\r?\n/).slice(1);
  assert.deepEqual(lines.map((l) => l.split(',')[0]), ['4', '5', '6', '7', '8', '9']);
  assert.match(lines[0], /^4,error,year,out_of_range,Năm 2099/);

  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 380, `page is ${w}px wide`);
  await noInjection(page, INJECTED_IMGS);
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});

test('a reviewer has no import rights: no menu entry, no form, the API refuses', async () => {
  const u = mkUser(['reviewer'], 'rvi');
  const page = await watchedPage(browser);
  await signIn(page, u);
  assert.equal(await page.locator('#menu a[href="/admin/imports.html"]').count(), 0);
  await page.goto(`${BASE}/admin/imports.html`);
  await page.locator('#msg').filter({ hasText: 'không có quyền' }).waitFor();
  assert.equal(await page.locator('#import-form').isHidden(), true);
  assert.equal(await page.locator('#admin-nav a[href="/admin/imports.html"]').count(), 0);
  const before = sql('SELECT COUNT(*) FROM import_run')[0][0];
  const r = await page.evaluate(async () => {
    const s = await (await fetch('/api/auth/session')).json();
    const post = await fetch('/api/admin/imports?dry_run=1&filename=x.csv', { method: 'POST', body: 'a,b\n', headers: { 'X-CSRF-Token': s.csrf_token } });
    const list = await fetch('/api/admin/imports');
    return [post.status, (await post.json()).error.code, list.status];
  });
  assert.deepEqual(r, [403, 'forbidden', 403]);
  assert.equal(sql('SELECT COUNT(*) FROM import_run')[0][0], before);
  await screenshot(page, 'staff-imports-reviewer');
});

// Markup in a product name: <script>, and an attribute break-out with an
// image whose onerror would open a dialog.
const HOSTILE = '<script>alert(1);window.__pwn=1</script>"><img src=x onerror="alert(2);window.__pwn=2">';

test('hostile product names imported through the page show as text: import report, public products page', async () => {
  const tag = suffix();	// a word of its own: only these two products match it
  const p1 = `${HOSTILE} Mắm ruốc ${tag}`;
  const p2 = `${HOSTILE} Mâm ruốc ${tag}`;	// differs by a tone mark: flagged, named in the warning
  const fac = `Cơ sở ${HOSTILE} ${tag}`;
  const file = { name: `hostile-${tag}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv([
    [p1, fac, 'Huyện Cẩm Xuyên', 2021, 'Cấp tỉnh', '12/QĐ-UBND', '15/11/2021', 'Thực phẩm'],
    [p2, fac, 'Huyện Cẩm Xuyên', 2021, 'Cấp tỉnh', '12/QĐ-UBND', '15/11/2021', 'Thực phẩm'],
  ]), 'utf8') };
  const page = await importsPage('imh');
  await dryRun(page, file);
  await page.getByRole('button', { name: 'Nhập thật' }).click();
  await page.locator('#msg').filter({ hasText: 'Đã nhập: thêm 2' }).waitFor();
  // The warning names the product, as text.
  const warn = await page.locator('#warnings tbody').textContent();
  assert.ok(warn.includes(p2) || warn.includes(p1), warn);
  await noInjection(page, INJECTED_IMGS);
  await screenshot(page, 'staff-imports-hostile');
  assert.equal(sql(`SELECT COUNT(*) FROM product WHERE name LIKE '%${tag}%' AND name LIKE '%<script>%'`)[0][0], '2');

  const pub = await watchedPage(browser);
  await pub.goto(`${BASE}/products.html?q=${tag}`);
  await pub.waitForFunction(() => /Tìm thấy 2 sản phẩm/.test(document.querySelector('#count').textContent));
  const names = await pub.$$eval('#list h3', (hs) => hs.map((h) => h.textContent));
  assert.deepEqual(names.sort(), [p1, p2].sort());
  assert.ok((await pub.locator('#list').textContent()).includes(fac));
  await noInjection(pub, INJECTED_IMGS);
  await pub.locator('#list h3 a').first().click();
  await pub.waitForURL(/id=\d+/);
  await pub.waitForFunction((t) => document.querySelector('main').textContent.includes(t), tag);
  const main = await pub.locator('main').textContent();
  assert.ok(main.includes(p1) || main.includes(p2), 'the product name, exactly, as text');
  await noInjection(pub, INJECTED_IMGS);
  await screenshot(pub, 'products-hostile');
  assert.deepEqual(pub.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});

test('a column that looks like the district one: the dry run says so and shows the warning; strict refuses the file', async () => {
  const tag = suffix();
  const file = { name: `cols-${tag}.csv`, mimeType: 'text/csv', buffer: Buffer.from('Danh sách\n'
    + 'Tên sản phẩm,Tên cơ sở,Huyện cũ (trước 2025),Năm,Cấp\n'
    + `Chè ${tag},Hộ ${tag},Huyen Khong Co,2019,Cấp tỉnh\n`, 'utf8') };
  const page = await importsPage('imc');
  await dryRun(page, file);
  assert.match(await page.locator('#msg').textContent(), /1 cột không nhận ra.*dòng 2/);
  assert.deepEqual(await cells(page, '#warnings', 0), ['2']);
  assert.deepEqual(await cells(page, '#warnings', 1), ['unrecognised_column']);
  assert.match((await cells(page, '#warnings', 2))[0], /Không nhận ra cột “Huyện cũ \(trước 2025\)” \(giống cột huyện\)/);
  await screenshot(page, 'staff-imports-unrecognised-column');
  await page.getByLabel(/nghiêm ngặt/i).check();
  await page.getByRole('button', { name: 'Chạy thử' }).click();
  await page.locator('#msg').filter({ hasText: 'tệp bị từ chối' }).waitFor();
  assert.match(await page.locator('#msg').textContent(), /tên cột/);
  assert.equal(await page.locator('#i-real').isDisabled(), true);
  assert.equal(sql(`SELECT COUNT(*) FROM product WHERE name LIKE '%${tag}%'`)[0][0], '0');
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
