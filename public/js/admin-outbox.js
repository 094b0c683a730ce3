// /admin/outbox.html: the messages to applicants (e-mail, SMS) with their
// delivery state, filtered by status or application (?status=&application=
// from the address too: the application page links here); an admin sends
// a failed one again.
import { apiFetch, qs } from './api.js';
import { el, clear, table } from './dom.js';
import { formatDateTime } from './format.js';
import { requireSession, send, message, showError, can, formValues } from './admin-common.js';

const filter = document.getElementById('filter');
const STATUS = { queued: 'Đang chờ gửi', sent: 'Đã gửi', failed: 'Không gửi được' };
const CHANNEL = { email: 'Thư điện tử', sms: 'Tin nhắn' };
const EVENT = { received: 'Đã nhận hồ sơ', status: 'Đổi trạng thái', token: 'Cấp lại mã tra cứu' };
let page = 1;

function fromAddress() {
  const p = new URLSearchParams(location.search);
  for (const n of ['status', 'application']) if (p.has(n)) filter.elements[n].value = p.get(n);
}

async function retry(row) {
  try {
    await send(`/api/admin/outbox/${row.id}/retry`, 'POST');
    message(`Đã đưa thông báo ${row.id} (hồ sơ ${row.ref_code}) vào hàng chờ gửi lại.`);
    await load();
  } catch (e) { showError(e); }
}

async function load() {
  const f = formValues(filter, ['application']);
  history.replaceState(null, '', `${location.pathname}${qs(f)}`);
  document.getElementById('csv').href = `/api/admin/outbox.csv${qs(f)}`;
  const data = await apiFetch(`/api/admin/outbox${qs({ ...f, page, per_page: 50 })}`);
  const admin = can(['admin']);
  clear(document.getElementById('outbox')).append(table([
    { label: 'Tạo lúc', value: (r) => r.created_at, render: (r) => formatDateTime(r.created_at) },
    { label: 'Hồ sơ', value: (r) => r.ref_code },
    { label: 'Việc', value: (r) => EVENT[r.event] || r.event },
    { label: 'Kênh', value: (r) => CHANNEL[r.channel] || r.channel },
    { label: 'Người nhận', value: (r) => r.recipient },
    { label: 'Trạng thái', value: (r) => STATUS[r.status] || r.status },
    { label: 'Số lần gửi', value: (r) => String(r.attempts) },
    { label: 'Lỗi gần nhất', value: (r) => r.last_error || '' },
    { label: 'Gửi lúc', value: (r) => r.sent_at || '', render: (r) => (r.sent_at ? formatDateTime(r.sent_at) : '—') },
    { label: 'Thao tác', value: () => '', render: (r) => (admin && r.status === 'failed'
      ? el('button', { type: 'button', class: 'secondary', text: 'Gửi lại', 'aria-label': `Gửi lại thông báo ${r.id} của hồ sơ ${r.ref_code}`, onclick: () => retry(r) })
      : '') },
  ], data.items, { caption: `${data.total} thông báo` }));
  const pager = clear(document.getElementById('pager'));
  if (page > 1) pager.append(el('button', { type: 'button', class: 'secondary', text: 'Trang trước', onclick: () => { page--; load().catch(showError); } }));
  if (page * data.per_page < data.total) pager.append(el('button', { type: 'button', class: 'secondary', text: 'Trang sau', onclick: () => { page++; load().catch(showError); } }));
}

filter.addEventListener('submit', (ev) => { ev.preventDefault(); page = 1; load().catch(showError); });
(async () => {
  if (!(await requireSession(['reviewer', 'auditor']))) return;
  fromAddress();
  try { await load(); } catch (e) { showError(e); }
})();
