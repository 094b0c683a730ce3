// /admin/applications.html: the review queue (filters: call, status,
// unit), an application's detail and history, approve or reject.
import { apiFetch, qs } from './api.js';
import { el, clear, table } from './dom.js';
import { formatVnd, formatDateTime } from './format.js';
import { requireSession, send, message, showError, can, formValues, dl, historyLink } from './admin-common.js';
import { APP_STATUSES } from './values.js';

const filter = document.getElementById('filter');
let page = 1;
let current = null;

async function loadCalls() {
  const sel = document.getElementById('f-call');
  const data = await apiFetch('/api/admin/calls?per_page=100');
  for (const c of data.items) sel.append(el('option', { value: String(c.id), text: `${c.title} (${c.year})` }));
}

async function loadQueue() {
  const f = formValues(filter);
  const data = await apiFetch(`/api/admin/applications${qs({ ...f, page, per_page: 20 })}`);
  const box = clear(document.getElementById('queue'));
  if (!data.items.length) { box.append(el('p', { text: 'Không có hồ sơ nào.' })); }
  else {
    const cols = [
      { label: 'Mã hồ sơ', value: (r) => r.ref_code, render: (r) => el('button', { type: 'button', class: 'secondary', text: r.ref_code, 'aria-label': `Xem hồ sơ ${r.ref_code}`, onclick: () => openDetail(r.id) }) },
      { label: 'Cơ sở', value: (r) => r.facility_name },
      { label: 'Đợt', value: (r) => r.call_title },
      { label: 'Địa bàn', value: (r) => r.unit_name },
      { label: 'Đề nghị', value: (r) => r.requested_vnd, numeric: true, render: (r) => formatVnd(r.requested_vnd) },
      { label: 'Trạng thái', value: (r) => APP_STATUSES[r.status] || r.status },
      { label: 'Ngày nộp', value: (r) => r.created_at, render: (r) => formatDateTime(r.created_at) },
    ];
    if (can(['auditor'])) cols.push({ label: 'Lịch sử', value: () => '', render: (r) => historyLink('application', r.id, `hồ sơ ${r.ref_code}`) });
    box.append(table(cols, data.items, { caption: `${data.total} hồ sơ` }));
  }
  const pager = clear(document.getElementById('pager'));
  if (page > 1) pager.append(el('button', { type: 'button', class: 'secondary', text: 'Trang trước', onclick: () => { page--; loadQueue(); } }));
  if (page * data.per_page < data.total) pager.append(el('button', { type: 'button', class: 'secondary', text: 'Trang sau', onclick: () => { page++; loadQueue(); } }));
}

async function openDetail(id) {
  try {
    const a = await apiFetch(`/api/admin/applications/${id}`);
    current = a;
    const sec = document.getElementById('detail');
    sec.hidden = false;
    document.getElementById('detail-title').textContent = `Hồ sơ ${a.ref_code} — ${APP_STATUSES[a.status] || a.status}`;
    const fields = document.getElementById('detail-fields');
    fields.replaceWith(Object.assign(dl([
      ['Cơ sở', a.facility_name], ['Chủ cơ sở', a.owner_name], ['Mã số thuế / số định danh (CCCD)', a.tax_code],
      ['Điện thoại', a.phone], ['Thư điện tử', a.email], ['Địa chỉ', a.address],
      ['Địa bàn', `${a.unit_name} (${a.unit_code})`], ['Đợt hỗ trợ', a.call_title],
      ['Sản phẩm', (a.products || []).join('; ')], ['Đề nghị hỗ trợ', formatVnd(a.requested_vnd)],
      ['Mức tối đa của đợt', formatVnd(a.max_support_vnd)],
      ['Số tiền được duyệt', a.approved_vnd != null ? formatVnd(a.approved_vnd) : '—'], ['Ghi chú', a.note],
    ]), { id: 'detail-fields' }));
    const links = clear(document.getElementById('detail-history'));
    if (can(['auditor'])) {
      const ha = historyLink('application', a.id, `hồ sơ ${a.ref_code}`);
      const hc = historyLink('support_call', a.call_id, `đợt ${a.call_title}`);
      ha.textContent = 'Lịch sử hồ sơ';
      hc.textContent = 'Lịch sử đợt hỗ trợ';
      links.append(ha, ' ', hc);
    }
    const ev = clear(document.getElementById('events'));
    for (const e of a.events) {
      ev.append(el('li', {}, `${formatDateTime(e.at)} — ${APP_STATUSES[e.status] || e.status}`,
        e.amount_vnd != null ? ` — ${formatVnd(e.amount_vnd)}` : '', e.reason ? ` — ${e.reason}` : '', e.by ? ` (${e.by})` : ''));
    }
    document.getElementById('token-box').hidden = !can(['reviewer']);
    document.getElementById('token-new').hidden = true;
    document.getElementById('token-outbox').href = `/admin/outbox.html?application=${a.id}`;
    const open = a.status === 'submitted' || a.status === 'under_review';
    document.getElementById('decide').hidden = !open || !can(['reviewer']);
    document.getElementById('approved_vnd').value = String(Math.min(a.requested_vnd, a.max_support_vnd));
    document.getElementById('detail-title').focus();
  } catch (e) { showError(e); }
}

async function decide(kind, form) {
  if (!current) return;
  const body = formValues(form, ['approved_vnd']);
  try {
    const r = await send(`/api/admin/applications/${current.id}/${kind}`, 'POST', body);
    message(`Đã ghi quyết định: hồ sơ ${r.ref_code} ${APP_STATUSES[r.status] || r.status}.`);
    form.reset();
    await openDetail(current.id);
    await loadQueue();
  } catch (e) { showError(e, form); }
}

// A new status token: the old one stops working; the applicant is told by
// e-mail (with the new link) and SMS; the token is shown here once, for an
// applicant without e-mail.
async function reissue() {
  if (!current || !window.confirm(`Cấp mã tra cứu mới cho hồ sơ ${current.ref_code}? Mã cũ sẽ không dùng được nữa.`)) return;
  try {
    const r = await send(`/api/admin/applications/${current.id}/token`, 'POST');
    const how = [r.notified.email ? 'thư điện tử' : '', r.notified.sms ? 'tin nhắn' : ''].filter(Boolean).join(' và ');
    message(`Đã cấp mã tra cứu mới cho hồ sơ ${r.ref_code}${how ? `; người nộp được báo qua ${how}` : '; hồ sơ không có thư điện tử: vui lòng báo mã cho người nộp'}.`);
    const box = clear(document.getElementById('token-new'));
    box.append('Mã tra cứu mới (chỉ hiện một lần): ', el('code', { text: r.status_token }));
    box.hidden = false;
  } catch (e) { showError(e); }
}

document.getElementById('token-reissue').addEventListener('click', reissue);
document.getElementById('approve-form').addEventListener('submit', (ev) => { ev.preventDefault(); decide('approve', ev.target); });
document.getElementById('reject-form').addEventListener('submit', (ev) => { ev.preventDefault(); decide('reject', ev.target); });
filter.addEventListener('submit', (ev) => { ev.preventDefault(); page = 1; loadQueue().catch(showError); });

(async () => {
  if (!(await requireSession(['reviewer', 'auditor']))) return;
  try { await loadCalls(); await loadQueue(); } catch (e) { showError(e); }
})();
