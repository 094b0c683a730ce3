// The public dashboard page and a plan's amendments (issue 18) at 360 px:
// «Điều chỉnh kế hoạch» lists each amendment's decision with its date as
// dd/mm/yyyy and its figures before and after in đồng; the figures shown
// above are the amended ones; the decision's PDF is linked; a draft's
// year is not offered and answers as a year without a plan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, get, sql, freeYear, until } from '../lib.mjs';
import { launch, newPage, screenshot } from '../browser.mjs';

let browser;
let year;
let draft;

before(async () => {
  browser = await launch();
  year = freeYear(2100, 800, 'SELECT COUNT(*) FROM plan WHERE year BETWEEN {y} AND {y} + 2');
  draft = year + 1;
  // Published at 1.800.000.000 đ, amended to 2.080.000.000 đ (area 2 up
  // by 280.000.000 đ) by a decision of 27/11; a draft the year after.
  const changes = JSON.stringify({ total_vnd: [1800000000, 2080000000], contents: { 2: [550000000, 830000000] } });
  sql(`INSERT INTO plan (year, title, total_vnd, status, doc_sha256, doc_name) VALUES (${year}, 'Kế hoạch điều chỉnh ${year}', 2080000000, 'published', '${'a'.repeat(64)}', 'qd.pdf');
    INSERT INTO plan_content (year, code, title, planned_vnd) VALUES (${year}, '1', 'Tư vấn, tập huấn, đào tạo', 1250000000),
      (${year}, '2', 'Phát triển sản phẩm công nghiệp nông thôn tiêu biểu', 830000000);
    INSERT INTO activity (year, content_code, title, unit_name, planned_vnd) VALUES (${year}, '2', 'Hội chợ ${year}', 'Trung tâm khuyến công', 830000000);
    INSERT INTO plan_amendment (year, decision_no, decision_date, reason, changes, username)
      VALUES (${year}, '15/QĐ-UBND', '${year}-11-27', 'Bổ sung kinh phí cho nội dung 2 <b>x</b>', '${changes}', 'thu');
    INSERT INTO plan (year, title, total_vnd) VALUES (${draft}, 'Kế hoạch nháp ${draft}', 999000000);
    INSERT INTO plan (year, title, total_vnd, status) VALUES (${draft + 1}, 'Kế hoạch chưa điều chỉnh ${draft + 1}', 5000000, 'published');`);
  // The page's list of years is micro-cached: wait until it holds ours.
  await until(async () => (await get('/api/plans')).json.items.some((p) => p.year === draft + 1));
});

after(async () => {
  await browser?.close();
});

test('«Điều chỉnh kế hoạch» at 360 px: the decision, its date, before → after in đồng', async () => {
  const page = await newPage(browser, { phone: true });
  await page.goto(`${BASE}/?year=${year}`);
  await page.waitForSelector(`#amendments[data-year="${year}"]:not([hidden]) table`);
  assert.equal(await page.textContent('#h-amendments'), 'Điều chỉnh kế hoạch');
  assert.equal(await page.textContent('#amendment-list h3'), `Quyết định số 15/QĐ-UBND ngày 27/11/${year}`);
  // The reason as text, never as markup.
  assert.equal(await page.textContent('#amendment-list article p'), 'Bổ sung kinh phí cho nội dung 2 <b>x</b>');
  assert.equal(await page.locator('#amendment-list b').count(), 0);
  const rows = await page.$$eval('#amendment-list tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows, [
    ['Tổng kinh phí kế hoạch', '1.800.000.000 đ', '2.080.000.000 đ', '+280.000.000 đ'],
    ['Nội dung 2. Phát triển sản phẩm công nghiệp nông thôn tiêu biểu', '550.000.000 đ', '830.000.000 đ', '+280.000.000 đ'],
  ]);
  // The figures shown are the amended ones.
  assert.equal(await page.textContent('#f-planned'), '2.080.000.000 đ');
  assert.ok((await page.textContent('#t-contents')).includes('830.000.000 đ'));
  // The decision is linked; the amendments' CSV is offered.
  assert.equal(await page.getAttribute('#plan-doc-link', 'href'), `/api/plans/${year}/decision.pdf`);
  assert.equal(await page.isVisible('#plan-doc-link'), true);
  assert.equal(await page.locator(`a[href="/api/dashboard/amendments.csv?year=${year}"]`).count(), 1);
  // Nothing wider than the phone: the table scrolls inside its box.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `page ${wide} px wide`);
  // Reachable with the keyboard: the decision's link takes the focus.
  await page.focus('#plan-doc-link');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'plan-doc-link');
  await page.locator('#amendments').scrollIntoViewIfNeeded();
  await screenshot(page, 'dashboard-amendments-phone');
  assert.deepEqual(page.errors, []);
});

test('a draft year is not offered, and answers as a year without a plan', async () => {
  const page = await newPage(browser, { phone: true });
  await page.goto(`${BASE}/?year=${draft}`);
  await page.waitForFunction(() => document.getElementById('f-planned').textContent.includes('đ'));
  const years = await page.$$eval('#year option', (os) => os.map((o) => Number(o.value)));
  assert.ok(years.includes(year) && !years.includes(draft), String(years));
  assert.notEqual(await page.inputValue('#year'), String(draft));
  assert.ok(!(await page.textContent('body')).includes(`Kế hoạch nháp ${draft}`));
  const r = await page.goto(`${BASE}/api/dashboard?year=${draft}`);
  assert.equal(r.status(), 404);
  // Without amendments the section stays hidden.
  const p2 = await newPage(browser, { phone: true });
  await p2.goto(`${BASE}/?year=${draft + 1}`);
  await p2.waitForFunction(() => document.getElementById('f-planned').textContent.includes('đ'));
  await p2.waitForSelector(`#amendments[data-year="${draft + 1}"]`, { state: 'attached' });
  assert.equal(await p2.isHidden('#amendments'), true);
});
