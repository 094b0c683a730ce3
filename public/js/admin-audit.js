// /admin/audit.html: the audit trail with filters (auditors, admin). The
// filters come from the address too (?entity=&entity_id=&user=&action=
// &from=&to=): the «Lịch sử» links of the other pages open one record's
// history this way.
import { apiFetch, qs } from './api.js';
import { el, clear, table } from './dom.js';
import { formatDateTime } from './format.js';
import { requireSession, showError, formValues } from './admin-common.js';

const filter = document.getElementById('filter');
const NAMES = ['entity', 'entity_id', 'user', 'action', 'from', 'to'];
const ENTITY = {
  plan: 'kế hoạch năm', plan_content: 'nội dung kế hoạch', activity: 'hoạt động', allocation: 'giao kinh phí',
  disbursement: 'giải ngân', settlement: 'quyết toán', application: 'hồ sơ', support_call: 'đợt hỗ trợ',
  staff_user: 'tài khoản', staff_session: 'phiên đăng nhập', import_run: 'lần nhập',
};
let page = 1;
const pre = (o) => el('pre', { class: 'json', text: o == null ? '' : JSON.stringify(o, null, 1) });

function fromAddress() {
  const p = new URLSearchParams(location.search);
  for (const n of NAMES) if (p.has(n)) filter.elements[n].value = p.get(n);
  const pg = Number(p.get('page'));
  page = Number.isInteger(pg) && pg > 0 ? pg : 1;
}

async function load() {
  const f = formValues(filter);
  history.replaceState(null, '', `${location.pathname}${qs({ ...f, page: page > 1 ? page : '' })}`);
  document.getElementById('csv').href = `/api/admin/audit.csv${qs(f)}`;
  const title = document.getElementById('audit-title');
  title.textContent = f.entity && f.entity_id ? `Lịch sử của ${ENTITY[f.entity] || f.entity} ${f.entity_id}` : 'Nhật ký thay đổi';
  document.title = `${title.textContent} — Cán bộ — Khuyến công Hà Tĩnh`;
  const data = await apiFetch(`/api/admin/audit${qs({ ...f, page, per_page: 50 })}`);
  clear(document.getElementById('audit')).append(table([
    { label: 'Thời điểm', value: (r) => r.at, render: (r) => formatDateTime(r.at) },
    { label: 'Người', value: (r) => r.username || '' },
    { label: 'IP', value: (r) => r.ip || '' },
    { label: 'Thao tác', value: (r) => r.action },
    { label: 'Đối tượng', value: (r) => `${r.entity} ${r.entity_id || ''}` },
    { label: 'Trước', value: () => '', render: (r) => pre(r.before) },
    { label: 'Sau', value: () => '', render: (r) => pre(r.after) },
  ], data.items, { caption: `${data.total} dòng nhật ký` }));
  const pager = clear(document.getElementById('pager'));
  if (page > 1) pager.append(el('button', { type: 'button', class: 'secondary', text: 'Trang trước', onclick: () => { page--; load().catch(showError); } }));
  if (page * data.per_page < data.total) pager.append(el('button', { type: 'button', class: 'secondary', text: 'Trang sau', onclick: () => { page++; load().catch(showError); } }));
}

filter.addEventListener('submit', (ev) => { ev.preventDefault(); page = 1; load().catch(showError); });
(async () => {
  if (!(await requireSession(['auditor']))) return;
  fromAddress();
  try { await load(); } catch (e) { showError(e); }
})();
