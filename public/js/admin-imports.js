// /admin/imports.html: award-list import from the browser (kc-imports):
// dry run, the report's errors as a table by line, the real import, the
// history, and each report's errors as CSV.
import { apiFetch } from './api.js';
import { el, clear, table } from './dom.js';
import { formatDateTime, formatNumber } from './format.js';
import { requireSession, message, showError } from './admin-common.js';

const form = document.getElementById('import-form');
const realBtn = document.getElementById('i-real');
let csrf = null;

async function upload(dry) {
  const file = form.file.files[0];
  if (!file) { message('Hãy chọn một tệp CSV.', 'error'); return; }
  const params = new URLSearchParams({ dry_run: dry ? '1' : '0', strict: form.strict.checked ? '1' : '0', name: file.name });
  let res;
  try {
    res = await fetch(`/api/admin/imports?${params}`, { method: 'POST', body: file, credentials: 'same-origin', headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': csrf, Accept: 'application/json' } });
  } catch { message('Không kết nối được máy chủ.', 'error'); return; }
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (!res.ok) { showError({ status: res.status, message: data?.error?.message || `Lỗi ${res.status}`, fields: data?.error?.fields }); return; }
  showReport(data);
  realBtn.disabled = !dry;
  message(dry ? 'Đã chạy thử: xem báo cáo, rồi bấm «Nhập thật» nếu ổn.' : 'Đã nhập xong.');
  await history();
}

function showReport(r) {
  const box = clear(document.getElementById('report'));
  box.append(el('h2', { text: `Báo cáo${r.dry_run ? ' chạy thử' : ''}: ${r.file || ''}` }));
  box.append(el('p', { text: `Tổng ${formatNumber(r.rows_total)} dòng — thêm ${formatNumber(r.rows_inserted)}, cập nhật ${formatNumber(r.rows_updated)}, không đổi ${formatNumber(r.rows_unchanged)}, từ chối ${formatNumber(r.rows_rejected)}. Mã hoá ${r.encoding || '?'}, dấu phân cách «${r.delimiter || '?'}», dòng tiêu đề ${r.header_line ?? '?'}.` }));
  if (r.ignored_columns?.length) box.append(el('p', { text: `Cột bỏ qua: ${r.ignored_columns.join(', ')}` }));
  if (r.errors?.length) {
    box.append(el('div', { class: 'table-wrap' }, table([
      { label: 'Dòng', value: (e) => e.line, numeric: true }, { label: 'Cột', value: (e) => e.column || '' },
      { label: 'Mã lỗi', value: (e) => e.code }, { label: 'Lỗi', value: (e) => e.message },
    ], r.errors, { caption: `${r.errors.length} lỗi` })));
  }
  if (r.warnings?.length) {
    box.append(el('div', { class: 'table-wrap' }, table([
      { label: 'Dòng', value: (e) => e.line, numeric: true }, { label: 'Mã', value: (e) => e.code }, { label: 'Cảnh báo', value: (e) => e.message },
    ], r.warnings, { caption: `${r.warnings.length} cảnh báo` })));
  }
  if (r.import_id) box.append(el('p', {}, el('a', { href: `/api/admin/imports/${r.import_id}/errors.csv`, text: 'Tải lỗi về dạng CSV' })));
}

async function history() {
  const data = await apiFetch('/api/admin/imports');
  clear(document.getElementById('history')).append(table([
    { label: 'Thời điểm', value: (r) => r.started_at || r.created_at || '', render: (r) => formatDateTime(r.started_at || r.created_at) },
    { label: 'Tệp', value: (r) => r.file || '' },
    { label: 'Chạy thử', value: (r) => (r.dry_run ? 'Có' : 'Không') },
    { label: 'Dòng', value: (r) => r.rows_total ?? '', numeric: true },
    { label: 'Từ chối', value: (r) => r.rows_rejected ?? '', numeric: true },
    { label: 'Báo cáo', value: () => '', render: (r) => el('span', {},
      el('button', { type: 'button', class: 'secondary', text: 'Xem', onclick: async () => { try { showReport(await apiFetch(`/api/admin/imports/${r.import_id ?? r.id}`)); } catch (e) { showError(e); } } }),
      el('a', { href: `/api/admin/imports/${r.import_id ?? r.id}/errors.csv`, text: 'Lỗi (CSV)' })) },
  ], data.items || [], { caption: 'Các lần nhập' }));
}

form.addEventListener('submit', (ev) => { ev.preventDefault(); upload(true); });
realBtn.addEventListener('click', () => upload(false));
form.file.addEventListener('change', () => { realBtn.disabled = true; });

(async () => {
  const s = await requireSession(['importer']);
  if (!s) return;
  csrf = s.csrf_token;
  try { await history(); } catch (e) { if (e.status !== 404) showError(e); }
})();
