// co-so.html?id=N: a facility's public page: its awards (with their
// verification codes and QR labels), the support it received in published
// plans, its applications as counts per call and outcome, and its data as
// CSV. A facility merged into another: the API answers with the kept one
// (301), and the address changes to it.
import { apiFetch } from './api.js';
import { el, clear, table } from './dom.js';
import { formatDate, formatDateTime, formatVnd } from './format.js';
import { AWARD_LEVELS, APP_STATUSES, FACILITY_KINDS } from './values.js';

const $ = (id) => document.getElementById(id);
const printed = (c) => `${c.slice(0, 4)}-${c.slice(4)}`;

function awardCode(a) {
  const v = el('a', { href: `/xac-minh/${a.code}`, text: printed(a.code) });
  if (a.status !== 'valid') return el('span', {}, v, ' (đã thu hồi)');
  return el('span', {}, v, ' · ',
    el('a', { href: `/api/awards/${a.code}/qr.png`, download: true, 'aria-label': `Nhãn QR ${printed(a.code)} dạng PNG`, text: 'QR PNG' }), ' · ',
    el('a', { href: `/api/awards/${a.code}/qr.svg`, download: true, 'aria-label': `Nhãn QR ${printed(a.code)} dạng SVG`, text: 'SVG' }));
}

function render(f) {
  document.title = `${f.name} — Khuyến công Hà Tĩnh`;
  $('title').textContent = f.name;
  $('sample').hidden = !f.sample;
  const place = [f.commune && f.commune.name, f.district && f.district.name].filter(Boolean).join(', ');
  clear($('facts')).append(
    el('dt', { text: 'Loại hình' }), el('dd', { text: FACILITY_KINDS[f.kind] || 'Không rõ' }),
    el('dt', { text: 'Địa bàn' }), el('dd', { text: place || 'Không rõ' }),
    el('dt', { text: 'Tổng hỗ trợ đã nhận' }), el('dd', { text: formatVnd(f.support_vnd) }));
  clear($('awards')).append(f.awards.length ? table([
    { label: 'Sản phẩm', value: (a) => a.product.name, render: (a) => el('a', { href: `/products.html?id=${a.product.id}`, text: a.product.name }) },
    { label: 'Năm', value: (a) => a.year, numeric: true },
    { label: 'Cấp', value: (a) => AWARD_LEVELS[a.level] || a.level },
    { label: 'Quyết định', value: (a) => [a.decision_no, formatDate(a.decision_date)].filter(Boolean).join(', ') },
    { label: 'Mã xác minh', value: (a) => a.code, render: awardCode },
  ], f.awards, { caption: 'Các lần sản phẩm của cơ sở được công nhận' }) : el('p', { text: 'Chưa có danh hiệu.' }));
  clear($('support')).append(f.support.length ? table([
    { label: 'Năm kế hoạch', value: (s) => s.year, render: (s) => el('a', { href: `/?year=${s.year}`, text: String(s.year) }) },
    { label: 'Hoạt động', value: (s) => s.activity },
    { label: 'Số tiền', value: (s) => s.amount_vnd, render: (s) => formatVnd(s.amount_vnd), numeric: true },
    { label: 'Ngày chi', value: (s) => s.date, render: (s) => formatDate(s.date) },
  ], f.support, { caption: 'Các khoản hỗ trợ đã chi' }) : el('p', { text: 'Chưa có khoản hỗ trợ nào trong các kế hoạch đã công bố.' }));
  clear($('apps')).append(f.applications.length ? table([
    { label: 'Đợt', value: (a) => `${a.call.title} (${a.call.year})` },
    { label: 'Kết quả', value: (a) => APP_STATUSES[a.status] || a.status },
    { label: 'Số hồ sơ', value: (a) => a.count, numeric: true },
  ], f.applications, { caption: 'Số hồ sơ theo đợt và kết quả' }) : el('p', { text: 'Không có hồ sơ.' }));
  $('csv').href = `/api/facilities/${f.id}.csv`;
  $('asof').textContent = `Số liệu tính đến ${formatDateTime(f.data_as_of)} (giờ Việt Nam).`;
  $('status').textContent = '';
  $('facility').hidden = false;
}

async function main() {
  const id = new URLSearchParams(location.search).get('id') || '';
  if (!/^\d{1,18}$/.test(id)) {
    $('status').textContent = '';
    $('error').textContent = 'Địa chỉ không có mã cơ sở. Hãy mở cơ sở từ trang sản phẩm.';
    $('error').hidden = false;
    return;
  }
  try {
    const f = await apiFetch(`/api/facilities/${id}`);
    if (String(f.id) !== id) history.replaceState(null, '', `/co-so.html?id=${f.id}`);
    render(f);
  } catch (e) {
    $('status').textContent = '';
    $('error').textContent = e.message || 'Không tải được cơ sở.';
    $('error').hidden = false;
  }
}

main();
