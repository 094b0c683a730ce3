// The public dashboard (index.html): a published plan year's money by
// content area, implementing unit, district and month, with a table behind
// every chart, the plan's amendments and its decision, the beneficiaries,
// and the open-data downloads. Figures render as soon
// as the JSON arrives; Chart.js (public/vendor, loaded with defer) only
// adds the charts.
import { apiFetch, qs } from './api.js';
import { el, clear, table } from './dom.js';
import { formatVnd, formatVndShort, formatPercent, formatDate, formatDateTime } from './format.js';
import { ACTIVITY_STATUSES, APP_STATUSES } from './values.js';

const $ = (id) => document.getElementById(id);
const STATUS = ACTIVITY_STATUSES;
const APP_STATUS = APP_STATUSES;
const COLORS = { planned: '#9db7d5', allocated: '#5b8fc7', disbursed: '#0b5cad', settled: '#1f7a3a' };
const PER_PAGE = 20;

const charts = {};
let current = null;          // the dashboard shown
let plans = [];              // the published plans (GET /api/plans)
// The latest year and beneficiaries page asked for: an answer for an
// earlier one that arrives after it is dropped.
let yearAsked = 0;
let benefAsked = 0;
const benef = { page: 1, q: '', district: '' };

// Chart.js is a classic deferred script: resolve once window.Chart exists.
const chartReady = new Promise((resolve) => {
  if (window.Chart) { resolve(window.Chart); return; }
  const done = () => { if (window.Chart) resolve(window.Chart); };
  const s = $('chartjs');
  if (s) s.addEventListener('load', done);
  window.addEventListener('load', done);
});

const money = (label, key) => ({ label, value: (r) => r[key], numeric: true, render: (r) => formatVnd(r[key]) });

function showError(msg) {
  const e = $('error');
  e.textContent = msg;
  e.hidden = !msg;
}

function setFigures(d) {
  const total = d.plan.total_vnd;
  $('f-planned').textContent = formatVnd(total);
  $('f-planned-short').textContent = formatVndShort(total);
  $('f-disbursed').textContent = formatVnd(d.totals.disbursed_vnd);
  $('f-disbursed-short').textContent = formatVndShort(d.totals.disbursed_vnd);
  $('f-settled').textContent = formatVnd(d.totals.settled_vnd);
  $('f-settled-short').textContent = formatVndShort(d.totals.settled_vnd);
  $('f-share').textContent = total > 0 ? formatPercent(d.totals.disbursed_vnd / total) : '—';
  $('f-share-note').textContent = total > 0 ? 'số đã giải ngân so với kế hoạch' : '';
  $('sample').hidden = !d.sample;
  $('title').textContent = `Tổng quan ngân sách khuyến công năm ${d.year}`;
  document.title = `Ngân sách khuyến công năm ${d.year} — Khuyến công Hà Tĩnh`;
  const meta = [d.plan.title];
  if (d.plan.approved_by) meta.push(`Cơ quan phê duyệt: ${d.plan.approved_by}`);
  if (d.plan.decision_no) meta.push(`Quyết định số ${d.plan.decision_no}${d.plan.decision_date ? ` ngày ${formatDate(d.plan.decision_date)}` : ''}`);
  if (d.totals.planned_vnd !== total) meta.push(`Các hoạt động đã lập: ${formatVnd(d.totals.planned_vnd)}`);
  $('plan-meta').textContent = meta.join('. ') + '.';
  $('updated').textContent = d.updated_at ? `Cập nhật lúc ${formatDateTime(d.updated_at)}` : '';
}

function put(id, node) { clear($(id)).append(node); }

// The approving decision of the year's plan, when the office uploaded it.
function setDocument(year) {
  const p = plans.find((x) => x.year === year);
  $('plan-doc').hidden = !(p && p.decision_pdf);
  if (p && p.decision_pdf) $('plan-doc-link').href = p.decision_pdf;
}

// A changed figure's name: the total, or a content area by code and name.
const figureName = (c) => (c.figure === 'total' ? 'Tổng kinh phí kế hoạch'
  : `Nội dung ${c.content_code}${c.content_title ? `. ${c.content_title}` : ''}`);
const signedVnd = (n) => (n > 0 ? `+${formatVnd(n)}` : formatVnd(n));

// The plan's amendments, oldest first, each with what it changed.
function setAmendments(year, items) {
  $('amendments').hidden = items.length === 0;
  $('amendments').dataset.year = year;    // whose list this is
  clear($('amendment-list')).append(...items.map((a) => el('article', { class: 'amendment' },
    el('h3', { text: `Quyết định số ${a.decision_no} ngày ${formatDate(a.decision_date)}` }),
    el('p', { text: a.reason }),
    el('div', { class: 'table-wrap' }, table([
      { label: 'Số liệu', value: figureName },
      { label: 'Trước điều chỉnh', value: (c) => c.before_vnd, numeric: true, render: (c) => (c.before_vnd === null ? '—' : formatVnd(c.before_vnd)) },
      { label: 'Sau điều chỉnh', value: (c) => c.after_vnd, numeric: true, render: (c) => formatVnd(c.after_vnd) },
      { label: 'Thay đổi', value: (c) => c.change_vnd, numeric: true, render: (c) => (c.change_vnd === null ? 'mới' : signedVnd(c.change_vnd)) },
    ], a.changes, { caption: `Số liệu điều chỉnh theo Quyết định số ${a.decision_no}, năm ${year}` })))));
}

// How complete the year's data is (issue 21): the day of the latest entry
// of each kind per implementing unit and district, and when it was read.
function setCompleteness(r) {
  const day = (d) => (d ? formatDate(d) : 'Chưa có');
  put('t-complete', table([
    { label: 'Đơn vị / địa bàn', value: (x) => `${x.scope === 'unit' ? 'Đơn vị' : 'Địa bàn'}: ${x.name}` },
    { label: 'Cấp phát gần nhất', value: (x) => x.last_allocation || '', render: (x) => day(x.last_allocation) },
    { label: 'Giải ngân gần nhất', value: (x) => x.last_disbursement || '', render: (x) => day(x.last_disbursement) },
    { label: 'Quyết toán gần nhất', value: (x) => x.last_settlement || '', render: (x) => day(x.last_settlement) },
    { label: 'Hoạt động đã nhập giải ngân', value: (x) => (x.share === null ? -1 : x.share), numeric: true,
      render: (x) => (x.share === null ? `${x.with_disbursements} hoạt động` : `${x.with_disbursements}/${x.activities} (${formatPercent(x.share)})`) },
  ], r.items, { caption: `Ngày nhập số liệu gần nhất, năm ${r.year}` }));
  $('complete-csv').href = `/api/dashboard/completeness.csv?year=${r.year}`;
  $('complete-asof').textContent = `Số liệu tính đến ${formatDateTime(r.data_as_of)} (giờ Việt Nam).`;
}

async function loadCompleteness(year, me) {
  try {
    const r = await apiFetch(`/api/dashboard/completeness${qs({ year })}`);
    if (me === yearAsked) setCompleteness(r);
  } catch (e) {
    if (me === yearAsked) $('complete-asof').textContent = e.message;
  }
}

async function loadAmendments(year, me) {
  try {
    const r = await apiFetch(`/api/dashboard/amendments${qs({ year })}`);
    if (me === yearAsked) setAmendments(year, r.items);
  } catch (e) {
    if (me === yearAsked) setAmendments(year, []);
  }
}

function setTables(d) {
  const budget = d.contents.some((c) => c.budget_vnd !== null && c.budget_vnd !== undefined);
  put('t-contents', table([
    { label: 'Nội dung', value: (r) => `${r.code}. ${r.title}`, sort: (r) => r.code },
    ...(budget ? [{ label: 'Theo quyết định', value: (r) => r.budget_vnd, numeric: true, render: (r) => (r.budget_vnd === null ? '' : formatVnd(r.budget_vnd)) }] : []),
    money('Kế hoạch', 'planned_vnd'), money('Đã phân bổ', 'allocated_vnd'),
    money('Đã giải ngân', 'disbursed_vnd'), money('Đã quyết toán', 'settled_vnd'),
  ], d.contents, { caption: `Kinh phí theo nội dung, năm ${d.year}` }));
  const acts = d.contents.flatMap((c) => c.activities.map((a) => ({ ...a, content: c.code })));
  put('t-activities', table([
    { label: 'ND', value: (r) => r.content },
    { label: 'Hoạt động', value: (r) => r.title },
    { label: 'Đơn vị thực hiện', value: (r) => r.unit },
    { label: 'Mục tiêu', value: (r) => r.target || '' },
    money('Kế hoạch', 'planned_vnd'), money('Đã giải ngân', 'disbursed_vnd'),
    { label: 'Trạng thái', value: (r) => `${STATUS[r.status] || r.status} (${r.progress}%)`, sort: (r) => r.progress },
  ], acts, { caption: `Các hoạt động năm ${d.year}` }));
  put('t-units', table([
    { label: 'Đơn vị thực hiện', value: (r) => r.unit },
    money('Kế hoạch', 'planned_vnd'), money('Đã phân bổ', 'allocated_vnd'), money('Đã giải ngân', 'disbursed_vnd'),
  ], d.by_unit, { caption: `Kinh phí theo đơn vị thực hiện, năm ${d.year}` }));
  put('t-areas', table([
    { label: 'Địa bàn', value: (r) => r.name },
    { label: 'Số cơ sở được hỗ trợ', value: (r) => r.facilities_supported, numeric: true },
    money('Đã giải ngân', 'disbursed_vnd'),
  ], d.by_area, { caption: `Giải ngân theo địa bàn, năm ${d.year}` }));
  put('t-monthly', table([
    { label: 'Tháng', value: (r) => r.month, render: (r) => `${r.month.slice(5)}/${r.month.slice(0, 4)}` },
    money('Đã giải ngân', 'disbursed_vnd'),
  ], d.monthly, { caption: `Giải ngân theo tháng, năm ${d.year}` }));
  const apps = Object.entries(APP_STATUS).map(([k, label]) => ({ label, n: d.applications[k] || 0 }));
  put('t-apps', table([
    { label: 'Trạng thái', value: (r) => r.label },
    { label: 'Số hồ sơ', value: (r) => r.n, numeric: true },
  ], apps, { caption: `Hồ sơ đăng ký các đợt hỗ trợ năm ${d.year}` }));
  const sel = $('benef-district');
  const keep = sel.value;
  clear(sel).append(el('option', { value: '', text: 'Tất cả' }),
    ...d.by_area.filter((a) => a.code).map((a) => el('option', { value: a.code, text: a.name })));
  sel.value = d.by_area.some((a) => a.code === keep) ? keep : '';
}

function setDownloads(year) {
  const links = [
    [`/api/dashboard.csv?year=${year}`, 'Kinh phí theo hoạt động (CSV)'],
    [`/api/dashboard/contents.csv?year=${year}`, 'Kinh phí theo nội dung (CSV)'],
    [`/api/dashboard/units.csv?year=${year}`, 'Kinh phí theo đơn vị thực hiện (CSV)'],
    [`/api/dashboard/areas.csv?year=${year}`, 'Giải ngân theo địa bàn (CSV)'],
    [`/api/dashboard/monthly.csv?year=${year}`, 'Giải ngân theo tháng (CSV)'],
    [`/api/dashboard/amendments.csv?year=${year}`, 'Các lần điều chỉnh kế hoạch (CSV)'],
    [`/api/beneficiaries.csv?year=${year}`, 'Cơ sở, đơn vị được hỗ trợ (CSV)'],
    ['/api/plans.csv', 'Các kế hoạch khuyến công (CSV)'],
    [`/api/datapackage.json?year=${year}`, 'Gói dữ liệu năm (Data Package, JSON)'],
  ];
  clear($('downloads')).append(...links.map(([href, text]) => el('li', {}, el('a', { href, text }))));
}

function drawChart(id, type, labels, datasets, { horizontal = false } = {}) {
  chartReady.then((Chart) => {
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart($(id), {
      type,
      data: { labels, datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: horizontal ? 'y' : 'x',
        locale: 'vi-VN',
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatVnd(c.raw)}` } },
        },
        scales: {
          [horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { callback: (v) => formatVndShort(v) } },
          [horizontal ? 'y' : 'x']: { ticks: { autoSkip: false, callback(v) { const s = this.getLabelForValue(v); return s.length > 24 ? `${s.slice(0, 23)}…` : s; } } },
        },
      },
    });
  });
}

function setCharts(d) {
  const ds = (label, key, rows) => ({ label, data: rows.map((r) => r[key]), backgroundColor: COLORS[key.replace('_vnd', '')], borderColor: COLORS[key.replace('_vnd', '')] });
  drawChart('c-contents', 'bar', d.contents.map((c) => `${c.code}. ${c.title}`),
    [ds('Kế hoạch', 'planned_vnd', d.contents), ds('Đã giải ngân', 'disbursed_vnd', d.contents), ds('Đã quyết toán', 'settled_vnd', d.contents)]);
  drawChart('c-units', 'bar', d.by_unit.map((u) => u.unit),
    [ds('Đã phân bổ', 'allocated_vnd', d.by_unit), ds('Đã giải ngân', 'disbursed_vnd', d.by_unit)], { horizontal: true });
  drawChart('c-areas', 'bar', d.by_area.map((a) => a.name),
    [ds('Đã giải ngân', 'disbursed_vnd', d.by_area)], { horizontal: true });
  drawChart('c-monthly', 'bar', d.monthly.map((m) => `${m.month.slice(5)}/${m.month.slice(0, 4)}`),
    [ds('Đã giải ngân', 'disbursed_vnd', d.monthly)]);
}

async function loadBeneficiaries() {
  if (!current) return;
  const me = ++benefAsked;
  try {
    const r = await apiFetch(`/api/beneficiaries${qs({ year: current.year, q: benef.q, district: benef.district, page: benef.page, per_page: PER_PAGE })}`);
    if (me !== benefAsked) return;
    const pages = Math.max(1, Math.ceil(r.total / PER_PAGE));
    $('benef-count').textContent = `${r.total} khoản hỗ trợ`;
    put('t-benef', table([
      { label: 'Cơ sở / đơn vị', value: (x) => x.facility.name || '',
        render: (x) => (x.facility.id ? el('a', { href: `/co-so.html?id=${x.facility.id}`, text: x.facility.name }) : x.facility.name || '') },
      { label: 'Địa bàn', value: (x) => (x.district && x.district.name) || 'Toàn tỉnh' },
      { label: 'Hoạt động', value: (x) => x.activity },
      { label: 'Số tiền', value: (x) => x.amount_vnd, numeric: true, render: (x) => formatVnd(x.amount_vnd) },
      { label: 'Ngày', value: (x) => x.date, render: (x) => formatDate(x.date) },
    ], r.items, { caption: `Các khoản hỗ trợ năm ${current.year}, trang ${benef.page}/${pages}` }));
    $('benef-page').textContent = `Trang ${benef.page}/${pages}`;
    $('benef-prev').disabled = benef.page <= 1;
    $('benef-next').disabled = benef.page >= pages;
  } catch (e) {
    if (me !== benefAsked) return;
    $('benef-count').textContent = e.message;
  }
}

async function loadYear(year) {
  const me = ++yearAsked;
  showError('');
  try {
    const d = await apiFetch(`/api/dashboard${qs({ year })}`);
    if (me !== yearAsked) return;
    current = d;
    setFigures(d);
    setTables(d);
    setDownloads(d.year);
    setDocument(d.year);
    loadAmendments(d.year, me);
    loadCompleteness(d.year, me);
    benef.page = 1;
    loadBeneficiaries();
    setCharts(d);
  } catch (e) {
    if (me !== yearAsked) return;
    showError(e.status === 404 ? 'Không có kế hoạch khuyến công của năm này.' : e.message);
  }
}

async function init() {
  const want = Number(new URLSearchParams(location.search).get('year')) || undefined;
  try {
    plans = (await apiFetch('/api/plans')).items;
  } catch (e) {
    showError(e.message);
    return;
  }
  const sel = $('year');
  sel.append(...plans.map((p) => el('option', { value: p.year, text: String(p.year) })));
  const year = plans.some((p) => p.year === want) ? want : (plans[0] && plans[0].year);
  if (year === undefined) { showError('Chưa có kế hoạch khuyến công nào.'); return; }
  sel.value = String(year);
  sel.addEventListener('change', () => {
    const u = new URL(location.href);
    u.searchParams.set('year', sel.value);
    history.replaceState(null, '', u);
    loadYear(Number(sel.value));
  });
  $('benef-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    benef.q = $('benef-q').value.trim();
    benef.district = $('benef-district').value;
    benef.page = 1;
    loadBeneficiaries();
  });
  $('benef-prev').addEventListener('click', () => { if (benef.page > 1) { benef.page -= 1; loadBeneficiaries(); } });
  $('benef-next').addEventListener('click', () => { benef.page += 1; loadBeneficiaries(); });
  await loadYear(year);
}

init();
