// /admin/calls.html: calls for support: list, create, edit, open, close.
import { apiFetch } from './api.js';
import { el, clear, table } from './dom.js';
import { formatVnd, formatDateTime } from './format.js';
import { requireSession, send, message, showError, can, formValues, historyLink } from './admin-common.js';

const KIND = { trade_fair: 'Hội chợ, triển lãm', brand_registration: 'Đăng ký nhãn hiệu', label_printing: 'In nhãn mác', demo_model: 'Mô hình trình diễn', training: 'Tập huấn' };
const form = document.getElementById('call-form');
let editing = null;

// datetime-local (Vietnam time) <-> UTC ISO
const toUtc = (v) => (v ? new Date(`${v}:00+07:00`).toISOString().replace(/\.\d+Z$/, 'Z') : undefined);
const toLocal = (iso) => {
  const d = new Date(new Date(iso).getTime() + 7 * 3600 * 1000);
  return d.toISOString().slice(0, 16);
};

function edit(c) {
  editing = c.id;
  document.getElementById('form-title').textContent = `Sửa đợt: ${c.title}`;
  form.year.value = String(c.year); form.kind.value = c.kind; form.title.value = c.title;
  form.description.value = c.description || ''; form.opens_at.value = toLocal(c.opens_at); form.closes_at.value = toLocal(c.closes_at);
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
    { label: 'Loại', value: (c) => KIND[c.kind] || c.kind },
    { label: 'Mở', value: (c) => c.opens_at, render: (c) => formatDateTime(c.opens_at) },
    { label: 'Đóng', value: (c) => c.closes_at, render: (c) => formatDateTime(c.closes_at) },
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
  body.opens_at = toUtc(form.opens_at.value);
  body.closes_at = toUtc(form.closes_at.value);
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
