// products.html: search the award-winning products (with or without
// diacritics), filter by year, level, district and group, page through the
// result, open a product, download the result as CSV. Every filter lives
// in the URL, so a search can be shared and the Back button works.
import { apiFetch, qs } from './api.js';
import { el, clear, table } from './dom.js';
import { formatDate, formatNumber, LEVELS, vnYear } from './format.js';

const $ = (id) => document.getElementById(id);
const PER_PAGE = 20;
const FILTERS = ['q', 'year', 'level', 'district', 'group'];
const districtNames = new Map();
// The latest view asked for (list or product): an answer that arrives for
// an earlier one, later than the newer one's, is dropped.
let view = 0;

// The state of the page is its URL.
function readUrl() {
  const u = new URLSearchParams(location.search);
  const s = {};
  for (const k of FILTERS) s[k] = (u.get(k) || '').trim();
  s.page = Math.max(1, parseInt(u.get('page') || '1', 10) || 1);
  s.id = /^\d+$/.test(u.get('id') || '') ? u.get('id') : '';
  return s;
}

function filtersOf(s) {
  const f = {};
  for (const k of FILTERS) if (s[k]) f[k] = s[k];
  return f;
}

function go(state, { replace = false } = {}) {
  const params = { ...filtersOf(state) };
  if (state.page > 1) params.page = state.page;
  if (state.id) params.id = state.id;
  const url = `/products.html${qs(params)}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

function fillForm(s) {
  for (const k of FILTERS) {
    const input = $(k);
    if (input.tagName === 'SELECT' && s[k] && ![...input.options].some((o) => o.value === s[k])) {
      input.append(el('option', { value: s[k], text: s[k] }));
    }
    input.value = s[k];
  }
}

function awardText(a) {
  return `${LEVELS[a.level] || a.level} ${a.year}`;
}

function districtText(p) {
  return p.district ? p.district.name : '';
}

function productCard(p, s) {
  const href = `/products.html${qs({ ...filtersOf(s), page: s.page > 1 ? s.page : '', id: p.id })}`;
  const link = el('a', { href, text: p.name });
  link.addEventListener('click', (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    go({ ...s, id: String(p.id) });
  });
  return el('li', {},
    el('h3', {}, link),
    el('p', {}, el('span', { class: 'muted', text: 'Cơ sở: ' }), p.facility ? el('a', { href: `/co-so.html?id=${p.facility.id}`, text: p.facility.name }) : ''),
    districtText(p) ? el('p', {}, el('span', { class: 'muted', text: 'Địa bàn: ' }), districtText(p)) : null,
    el('p', {}, p.awards.map((a) => el('span', { class: 'badge', text: awardText(a) })),
      p.group ? el('span', { class: 'badge', text: p.group }) : null,
      p.sample ? el('span', { class: 'badge sample-tag', text: 'Dữ liệu mẫu' }) : null));
}

async function showList(s) {
  const me = ++view;
  $('detail').hidden = true;
  $('results').hidden = false;
  $('error').hidden = true;
  $('count').textContent = 'Đang tìm…';
  $('csv').href = `/api/products.csv${qs(filtersOf(s))}`;
  let data;
  try {
    data = await apiFetch(`/api/products${qs({ ...filtersOf(s), page: s.page, per_page: PER_PAGE })}`);
  } catch (e) {
    if (me !== view) return;
    $('count').textContent = '';
    $('error').textContent = e.message;
    $('error').hidden = false;
    return;
  }
  if (me !== view) return;
  const list = clear($('list'));
  for (const p of data.items) list.append(productCard(p, s));
  const pages = Math.max(1, Math.ceil(data.total / PER_PAGE));
  $('count').textContent = data.total === 0
    ? 'Không tìm thấy sản phẩm nào. Hãy thử bớt từ khoá hoặc bộ lọc.'
    : `Tìm thấy ${formatNumber(data.total)} sản phẩm${pages > 1 ? ` — trang ${formatNumber(s.page)}/${formatNumber(pages)}` : ''}.`;
  $('pageinfo').textContent = `Trang ${formatNumber(Math.min(s.page, pages))}/${formatNumber(pages)}`;
  $('prev').disabled = s.page <= 1;
  $('next').disabled = s.page >= pages;
  $('sample-note').hidden = !data.items.some((p) => p.sample);
}

async function showDetail(s) {
  const me = ++view;
  $('results').hidden = true;
  const box = $('detail');
  box.hidden = false;
  $('back').href = `/products.html${qs({ ...filtersOf(s), page: s.page > 1 ? s.page : '' })}`;
  const facts = clear($('detail-facts'));
  const awards = clear($('detail-awards'));
  $('detail-title').textContent = 'Đang tải…';
  let p;
  try {
    p = await apiFetch(`/api/products/${s.id}`);
  } catch (e) {
    if (me !== view) return;
    $('detail-title').textContent = e.status === 404 ? 'Không có sản phẩm này' : e.message;
    $('detail-sample').hidden = true;
    box.focus();
    return;
  }
  if (me !== view) return;
  document.title = `${p.name} — Sản phẩm CNNT tiêu biểu`;
  $('detail-title').textContent = p.name;
  $('detail-sample').hidden = !p.sample;
  const fact = (label, value) => { if (value) facts.append(el('dt', { text: label }), el('dd', { text: value })); };
  if (p.facility) facts.append(el('dt', { text: 'Cơ sở' }), el('dd', {}, el('a', { href: `/co-so.html?id=${p.facility.id}`, text: p.facility.name })));
  fact('Địa chỉ', p.facility && p.facility.address);
  fact('Địa bàn', districtText(p));
  fact('Nhóm sản phẩm', p.group);
  awards.append(table([
    { label: 'Năm', value: (a) => a.year, numeric: true },
    { label: 'Cấp', value: (a) => LEVELS[a.level] || a.level },
    { label: 'Số quyết định', value: (a) => a.decision_no || '' },
    { label: 'Ngày quyết định', value: (a) => a.decision_date || '', render: (a) => formatDate(a.decision_date) },
    { label: 'Địa bàn năm đó', value: (a) => districtNames.get(a.district) || a.district || '' },
  ], p.awards, { caption: `Các lần “${p.name}” được công nhận` }));
  box.focus();
}

function render() {
  const s = readUrl();
  fillForm(s);
  if (s.id) showDetail(s);
  else {
    document.title = 'Sản phẩm CNNT tiêu biểu — Khuyến công Hà Tĩnh';
    showList(s);
  }
}

async function loadOptions() {
  const year = $('year');
  for (let y = vnYear(); y >= 2000; y--) year.append(el('option', { value: y, text: y }));
  const [districts, groups] = await Promise.allSettled([
    apiFetch('/api/districts'), apiFetch('/api/products/groups')]);
  if (districts.status === 'fulfilled') {
    for (const d of districts.value.items) {
      districtNames.set(d.code, d.name);
      $('district').append(el('option', { value: d.code, text: d.valid_to ? `${d.name} (đến ${formatDate(d.valid_to)})` : d.name }));
    }
  }
  if (groups.status === 'fulfilled') {
    for (const g of groups.value.items) $('group').append(el('option', { value: g.id, text: `${g.name} (${formatNumber(g.products)})` }));
  }
}

$('search').addEventListener('submit', (e) => {
  e.preventDefault();
  const s = { page: 1, id: '' };
  for (const k of FILTERS) s[k] = $(k).value.trim();
  go(s);
});
$('prev').addEventListener('click', () => { const s = readUrl(); go({ ...s, page: Math.max(1, s.page - 1) }); });
$('next').addEventListener('click', () => { const s = readUrl(); go({ ...s, page: s.page + 1 }); });
$('back').addEventListener('click', (e) => { e.preventDefault(); go({ ...readUrl(), id: '' }); });
window.addEventListener('popstate', render);

loadOptions().finally(render);
