// /admin/calls.html: calls for support: list, create, edit, open, close.
import { apiFetch } from './api.js';
import { el, clear, table } from './dom.js';
import { formatVnd, formatDateTime, formatDeadline } from './format.js';
import { requireSession, send, message, showError, can, formValues, historyLink } from './admin-common.js';
import { CALL_KINDS } from './values.js';

const form = document.getElementById('call-form');
let editing = null;
let editingCall = null;

// Staff give a call's first and last days (Vietnam's days; the server
// turns them into instants). Editing, a day left as it was keeps the
// call's exact time (a call opened or closed with the buttons).
const dayOrTime = (day, shown, iso) => (day && day === shown ? iso : day || undefined);
function edit(c) {
  editing = c.id;
  editingCall = c;
  document.getElementById('form-title').textContent = `Sửa đợt: ${c.title}`;
  form.year.value = String(c.year); form.kind.value = c.kind; form.title.value = c.title;
  form.description.value = c.description || ''; form.opens_at.value = c.opens_on; form.closes_at.value = c.closes_on;
  form.max_support_vnd.value = String(c.max_support_vnd); form.capacity.value = c.capacity ?? ''; form.activity_id.value = c.activity_id ?? '';
  form.title.focus();
}

async function act(c, what) {
  try { await send(`/api/admin/calls/${c.id}/${what}`, 'POST', {}); message(`Đã ${what === 'open' ? 'mở' : 'đóng'} đợt ${c.title}.`); await load(); } catch (e) { showError(e); }
}

async function load() {
  const data = await apiFetch('/api/admin/calls?per_page=100');
  const rw = can(['reviewer']);
  clear(document.getElementById('calls')).append(table([
    { label: 'Đợt', value: (c) => c.title },
    { label: 'Loại', value: (c) => CALL_KINDS[c.kind] || c.kind },
    { label: 'Nhận hồ sơ từ', value: (c) => c.opens_at, render: (c) => formatDateTime(c.opens_at) },
    { label: 'Đến', value: (c) => c.closes_at, render: (c) => formatDeadline(c) },
    { label: 'Tối đa', value: (c) => c.max_support_vnd, numeric: true, render: (c) => formatVnd(c.max_support_vnd) },
    { label: 'Hồ sơ', value: (c) => c.applications, numeric: true },
    { label: 'Trạng thái', value: (c) => (c.open ? 'Đang mở' : 'Không mở') },
    { label: 'Thao tác', value: () => '', render: (c) => el('span', { class: 'actions' },
      rw ? el('button', { type: 'button', class: 'secondary', text: 'Sửa', 'aria-label': `Sửa ${c.title}`, onclick: () => edit(c) }) : '',
      !rw ? '' : c.open ? el('button', { type: 'button', class: 'secondary', text: 'Đóng', 'aria-label': `Đóng ${c.title}`, onclick: () => act(c, 'close') })
        : el('button', { type: 'button', class: 'secondary', text: 'Mở', 'aria-label': `Mở ${c.title}`, onclick: () => act(c, 'open') }),
      historyLink('support_call', c.id, `đợt ${c.title}`)) },
  ], data.items, { caption: `${data.total} đợt hỗ trợ` }));
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = formValues(form, ['year', 'max_support_vnd', 'capacity', 'activity_id']);
  delete body.id;
  const was = editing ? editingCall : {};
  body.opens_at = dayOrTime(form.opens_at.value, was.opens_on, was.opens_at);
  body.closes_at = dayOrTime(form.closes_at.value, was.closes_on, was.closes_at);
  try {
    const c = editing ? await send(`/api/admin/calls/${editing}`, 'PUT', body) : await send('/api/admin/calls', 'POST', body);
    message(`Đã lưu đợt ${c.title}.`);
    editing = null; form.reset();
    document.getElementById('form-title').textContent = 'Tạo đợt hỗ trợ mới';
    await load();
  } catch (e) { showError(e, form); }
});
document.getElementById('c-new').addEventListener('click', () => { editing = null; form.reset(); document.getElementById('form-title').textContent = 'Tạo đợt hỗ trợ mới'; });

(async () => {
  if (!(await requireSession(['reviewer', 'auditor']))) return;
  if (!can(['reviewer'])) { form.hidden = true; document.getElementById('form-title').hidden = true; }
  try { await load(); } catch (e) { showError(e); }
})();
