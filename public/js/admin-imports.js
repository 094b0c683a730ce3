// /admin/imports.html: award-list import from the browser, served by
// kc-imports (cgi/imports.c): POST /api/admin/imports?dry_run=&strict=
// &filename= with the file as the body → the report (counts, encoding,
// delimiter, header line, ignored columns, errors and warnings by line);
// then the real import of the same file; the history of imports
// (GET /api/admin/imports), one import's report (GET .../{id}) and its
// errors as CSV (GET .../{id}/errors.csv). Data goes in as text only.
import { apiFetch, qs } from './api.js';
import { el, clear, table } from './dom.js';
import { formatDateTime, formatNumber } from './format.js';
import { requireSession, message, showError, dl, can, sendImport } from './admin-common.js';

const form = document.getElementById('import-form');
const dryBtn = document.getElementById('i-dry');
const realBtn = document.getElementById('i-real');
const STATUS = { running: 'Đang chạy', done: 'Xong', rejected: 'Từ chối cả tệp', failed: 'Không đọc được tệp', interrupted: 'Bị gián đoạn' };
const DELIM = { ',': 'dấu phẩy (,)', ';': 'dấu chấm phẩy (;)', '\t': 'dấu tab' };
let checked = null;	// the File whose dry run passed, for «Nhập thật»
let page = 1;

// Send the chosen file; dry = a dry run. Shows the report (or the error).
async function upload(dry) {
  const file = form.file.files[0];
  if (!file) { message('Hãy chọn một tệp CSV.', 'error'); form.file.focus(); return; }
  if (!dry && file !== checked) { message('Hãy chạy thử tệp này trước khi nhập thật.', 'error'); return; }
  const sent = await sendImport(file, { strict: form.strict.checked ? '1' : '0', ...(form.encoding.value ? { encoding: form.encoding.value } : {}) },
    { dry, dryBtn, realBtn, busy: 'Đang nhập…', onReport: showReport });
  if (!sent) return;
  const { res, data } = sent;
  if (!res.ok) {
    checked = null;
    await history().catch(() => {});
    return;
  }
  showReport(data);
  const cols = unrecognised(data);
  if (dry) {
    checked = data.status === 'done' ? file : null;
    realBtn.disabled = !checked;
    message(checked ? `Đã chạy thử: ${formatNumber(data.rows_rejected)} dòng bị từ chối.${cols} Xem báo cáo, rồi bấm «Nhập thật» nếu ổn.`
      : `Chạy thử: tệp bị từ chối (chế độ nghiêm ngặt).${cols} Sửa các dòng lỗi${cols ? ' và tên cột' : ''} rồi chạy thử lại.`, checked && !cols ? 'ok' : 'error');
  } else {
    checked = null;
    message(data.status === 'done' ? `Đã nhập: thêm ${formatNumber(data.rows_inserted)}, cập nhật ${formatNumber(data.rows_updated)}, không đổi ${formatNumber(data.rows_unchanged)}, từ chối ${formatNumber(data.rows_rejected)} dòng.`
      : 'Tệp bị từ chối: không có gì thay đổi.', data.status === 'done' ? 'ok' : 'error');
  }
  page = 1;
  await history().catch(showError);
}

// The columns the import did not recognise though they look like known
// ones (warning unrecognised_column), as a sentence; '' if none.
function unrecognised(r) {
  const w = (r.warnings || []).filter((e) => e.code === 'unrecognised_column');
  return w.length ? ` Có ${formatNumber(w.length)} cột không nhận ra, giá trị của chúng không được nhập (xem cảnh báo ở dòng ${w[0].line}).` : '';
}

// One import's report as a definition list and tables of errors and warnings by line.
function showReport(r) {
  const box = clear(document.getElementById('report'));
  const id = r.import_id;
  box.append(el('h2', { id: 'report-title', tabindex: '-1', text: `Báo cáo ${r.dry_run ? 'chạy thử' : 'nhập'}${id ? ` số ${id}` : ''}: ${r.file || ''}` }));
  box.append(dl([
    ['Trạng thái', STATUS[r.status] || r.status || ''],
    ['Chế độ', `${r.dry_run ? 'Chạy thử (không thay đổi dữ liệu)' : 'Nhập thật'}${r.strict ? ', nghiêm ngặt' : ''}`],
    ['Mã hoá', r.encoding || '—'],
    ['Dấu phân cách', r.delimiter != null ? (DELIM[r.delimiter] || r.delimiter) : '—'],
    ['Dòng tiêu đề', r.header_line != null ? String(r.header_line) : '—'],
    ['Số dòng dữ liệu', formatNumber(r.rows_total ?? 0)],
    ['Thêm mới', formatNumber(r.rows_inserted ?? 0)],
    ['Cập nhật', formatNumber(r.rows_updated ?? 0)],
    ['Không đổi', formatNumber(r.rows_unchanged ?? 0)],
    ['Bị từ chối', formatNumber(r.rows_rejected ?? 0)],
    ['Cột bỏ qua', r.ignored_columns?.length ? r.ignored_columns.join(', ') : 'không có'],
    ...(r.user ? [['Người nhập', r.user]] : []),
    ...(r.started_at ? [['Bắt đầu', formatDateTime(r.started_at)]] : []),
    ...(r.message ? [['Thông báo', r.message]] : []),
  ]));
  const errors = (r.errors || []).slice().sort((a, b) => a.line - b.line);
  if (errors.length) {
    box.append(el('div', { class: 'table-wrap' }, Object.assign(table([
      { label: 'Dòng', value: (e) => e.line, numeric: true },
      { label: 'Cột', value: (e) => e.column || '' },
      { label: 'Mã lỗi', value: (e) => e.code },
      { label: 'Lỗi', value: (e) => e.message },
    ], errors, { caption: `Dòng bị từ chối: ${formatNumber(errors.length)}${r.errors_truncated ? ' (chỉ những dòng đầu; tệp CSV có đủ)' : ''}` }), { id: 'errors' })));
  } else if (r.status) {
    box.append(el('p', { text: 'Không có dòng nào bị từ chối.' }));
  }
  const warnings = (r.warnings || []).slice().sort((a, b) => a.line - b.line);
  if (warnings.length) {
    box.append(el('div', { class: 'table-wrap' }, Object.assign(table([
      { label: 'Dòng', value: (e) => e.line, numeric: true },
      { label: 'Mã', value: (e) => e.code },
      { label: 'Cảnh báo', value: (e) => e.message },
      { label: 'Bản ghi', value: (e) => e.record_id ?? '' },
    ], warnings, { caption: `Cảnh báo: ${formatNumber(r.warnings_total ?? warnings.length)}` }), { id: 'warnings' })));
  }
  if (id) box.append(el('p', {}, el('a', { href: `/api/admin/imports/${id}/errors.csv`, download: `import-${id}-errors.csv`, text: `Tải danh sách lỗi và cảnh báo (CSV) của lần nhập ${id}` })));
}

async function openReport(id) {
  try {
    showReport(await apiFetch(`/api/admin/imports/${id}`));
    document.getElementById('report-title').focus();
  } catch (e) { showError(e); }
}

// The history of imports, newest first, 20 a page.
async function history() {
  const data = await apiFetch(`/api/admin/imports${qs({ page, per_page: 20 })}`);
  const box = clear(document.getElementById('history'));
  if (!data.items.length) { box.append(el('p', { text: 'Chưa có lần nhập nào.' })); }
  else {
    box.append(table([
      { label: 'Số', value: (r) => r.id, numeric: true },
      { label: 'Thời điểm', value: (r) => r.started_at || '', render: (r) => formatDateTime(r.started_at) },
      { label: 'Tệp', value: (r) => r.file || '' },
      { label: 'Chế độ', value: (r) => `${r.dry_run ? 'Chạy thử' : 'Nhập thật'}${r.strict ? ', nghiêm ngặt' : ''}${r.source === 'cli' ? ' (dòng lệnh)' : ''}` },
      { label: 'Trạng thái', value: (r) => STATUS[r.status] || r.status },
      { label: 'Người nhập', value: (r) => r.user || '' },
      { label: 'Dòng', value: (r) => r.rows_total, numeric: true, render: (r) => formatNumber(r.rows_total) },
      { label: 'Thêm', value: (r) => r.rows_inserted, numeric: true, render: (r) => formatNumber(r.rows_inserted) },
      { label: 'Cập nhật', value: (r) => r.rows_updated, numeric: true, render: (r) => formatNumber(r.rows_updated) },
      { label: 'Không đổi', value: (r) => r.rows_unchanged, numeric: true, render: (r) => formatNumber(r.rows_unchanged) },
      { label: 'Từ chối', value: (r) => r.rows_rejected, numeric: true, render: (r) => formatNumber(r.rows_rejected) },
      { label: 'Cảnh báo', value: (r) => r.warnings, numeric: true, render: (r) => formatNumber(r.warnings) },
      { label: 'Báo cáo', value: () => '', render: (r) => el('span', {},
        el('button', { type: 'button', class: 'secondary', text: 'Xem', 'aria-label': `Xem báo cáo lần nhập ${r.id}`, onclick: () => openReport(r.id) }),
        ' ', el('a', { href: `/api/admin/imports/${r.id}/errors.csv`, download: `import-${r.id}-errors.csv`, 'aria-label': `Tải lỗi lần nhập ${r.id} (CSV)`, text: 'Lỗi (CSV)' })) },
    ], data.items, { caption: `${formatNumber(data.total)} lần nhập` }));
  }
  const pager = clear(document.getElementById('history-pager'));
  if (page > 1) pager.append(el('button', { type: 'button', class: 'secondary', text: 'Trang trước', onclick: () => { page--; history().catch(showError); } }));
  if (page * data.per_page < data.total) pager.append(el('button', { type: 'button', class: 'secondary', text: 'Trang sau', onclick: () => { page++; history().catch(showError); } }));
}

form.addEventListener('submit', (ev) => { ev.preventDefault(); upload(true); });
realBtn.addEventListener('click', () => upload(false));
form.file.addEventListener('change', () => { checked = null; realBtn.disabled = true; });
form.strict.addEventListener('change', () => { checked = null; realBtn.disabled = true; });
form.encoding.addEventListener('change', () => { checked = null; realBtn.disabled = true; });

(async () => {
  const s = await requireSession(['importer', 'auditor']);
  if (!s) { form.hidden = true; return; }
  form.hidden = !can(['importer']);	// auditors read the history and the reports
  document.getElementById('history-h').hidden = false;
  try { await history(); } catch (e) { showError(e); }
})();
