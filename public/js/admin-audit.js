// /admin/audit.html: the audit trail with filters (auditors, admin).
import { apiFetch, qs } from './api.js';
import { el, clear, table } from './dom.js';
import { formatDateTime } from './format.js';
import { requireSession, showError, formValues } from './admin-common.js';

const filter = document.getElementById('filter');
let page = 1;
const pre = (o) => el('pre', { class: 'json', text: o == null ? '' : JSON.stringify(o, null, 1) });

async function load() {
  const f = formValues(filter);
  document.getElementById('csv').href = `/api/admin/audit.csv${qs(f)}`;
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
  try { await load(); } catch (e) { showError(e); }
})();
