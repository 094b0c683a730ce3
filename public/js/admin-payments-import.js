// The money book's bulk payments (admin/activity.html, finance): a CSV or
// the office's Excel sheet saved as CSV goes to kc-imports
// (POST /api/admin/imports?kind=payments&activity_id=N, the file as the
// body, the same engine as the award lists): first a dry run, whose
// report (counts, encoding, header line, refused lines with their column
// and reason, lines already in the book) is shown; then «Nhập thật» of the
// same file. The report's CSV is GET /api/admin/imports/{id}/errors.csv.
import { el, clear, table } from './dom.js';
import { formatNumber } from './format.js';
import { message, showError, dl, sendImport } from './admin-common.js';

// The report's column names (import_issue.col) as the file's headings.
const COLUMN = {
  date: 'Ngày chi', amount_vnd: 'Số tiền', document_no: 'Số chứng từ', ref_code: 'Mã hồ sơ',
  facility: 'Tên cơ sở', tax_code: 'Mã số thuế', district: 'Huyện', activity: 'Hoạt động', note: 'Ghi chú',
};
const STATUS = { done: 'Xong', rejected: 'Từ chối cả tệp', failed: 'Không đọc được tệp' };
const DELIM = { ',': 'dấu phẩy (,)', ';': 'dấu chấm phẩy (;)', '\t': 'dấu tab' };

function showReport(box, r) {
  clear(box);
  const id = r.import_id;
  box.append(el('h3', { id: 'pi-report-title', tabindex: '-1', text: `Báo cáo ${r.dry_run ? 'chạy thử' : 'nhập'}${id ? ` số ${id}` : ''}: ${r.file || ''}` }));
  box.append(dl([
    ['Trạng thái', STATUS[r.status] || r.status || ''],
    ['Chế độ', r.dry_run ? 'Chạy thử (không thay đổi dữ liệu)' : 'Nhập thật'],
    ['Mã hoá', r.encoding || '—'],
    ['Dấu phân cách', r.delimiter != null ? (DELIM[r.delimiter] || r.delimiter) : '—'],
    ['Dòng tiêu đề', r.header_line != null ? String(r.header_line) : '—'],
    ['Số dòng', formatNumber(r.rows_total ?? 0)],
    [r.dry_run ? 'Sẽ ghi sổ' : 'Đã ghi sổ', formatNumber(r.rows_inserted ?? 0)],
    ['Đã có trong sổ (không ghi lại)', formatNumber(r.rows_unchanged ?? 0)],
    ['Bị từ chối', formatNumber(r.rows_rejected ?? 0)],
    ['Cột bỏ qua', r.ignored_columns?.length ? r.ignored_columns.join(', ') : 'không có'],
    ...(r.message ? [['Thông báo', r.message]] : []),
  ]));
  const lines = [...(r.errors || []).map((e) => ({ ...e, kind: 'Từ chối' })),
    ...(r.warnings || []).map((e) => ({ ...e, kind: 'Đã có' }))].sort((a, b) => a.line - b.line);
  if (lines.length) {
    box.append(el('div', { class: 'table-wrap' }, Object.assign(table([
      { label: 'Dòng', value: (e) => e.line, numeric: true },
      { label: 'Kết quả', value: (e) => e.kind },
      { label: 'Cột', value: (e) => COLUMN[e.column] || e.column || '' },
      { label: 'Lý do', value: (e) => e.message },
    ], lines, { caption: `Các dòng không ghi sổ: ${formatNumber(lines.length)}` }), { id: 'pi-lines' })));
  } else {
    box.append(el('p', { text: 'Mọi dòng đều hợp lệ.' }));
  }
  if (id) box.append(el('p', {}, el('a', { href: `/api/admin/imports/${id}/errors.csv`, download: `import-${id}-errors.csv`, text: `Tải báo cáo từng dòng (CSV) của lần nhập ${id}` })));
}

// Wire the form of section sec for activity id; onDone() after a real import.
export function paymentsImport(sec, { activityId, onDone }) {
  const form = sec.querySelector('form');
  const dryBtn = sec.querySelector('#pi-dry');
  const realBtn = sec.querySelector('#pi-real');
  const box = sec.querySelector('#pi-report');
  let checked = null;	// the File whose dry run passed
  sec.hidden = false;

  async function upload(dry) {
    const file = form.file.files[0];
    if (!file) { message('Hãy chọn tệp CSV các khoản chi.', 'error'); form.file.focus(); return; }
    if (!dry && file !== checked) { message('Hãy chạy thử tệp này trước khi nhập thật.', 'error'); return; }
    const sent = await sendImport(file, { kind: 'payments', activity_id: activityId },
      { dry, dryBtn, realBtn, busy: 'Đang ghi sổ…', onReport: (r) => showReport(box, r) });
    if (!sent) return;
    const { res, data } = sent;
    if (!res.ok) {
      checked = null;
      return;
    }
    showReport(box, data);
    if (dry) {
      checked = data.status === 'done' ? file : null;
      realBtn.disabled = !checked;
      message(`Đã chạy thử: ${formatNumber(data.rows_inserted)} dòng sẽ được ghi sổ, ${formatNumber(data.rows_rejected)} dòng bị từ chối, ${formatNumber(data.rows_unchanged)} dòng đã có. Xem báo cáo, rồi bấm «Nhập thật» nếu ổn.`, data.rows_rejected ? 'error' : 'ok');
    } else {
      checked = null;
      message(`Đã ghi sổ ${formatNumber(data.rows_inserted)} khoản giải ngân; ${formatNumber(data.rows_unchanged)} dòng đã có, ${formatNumber(data.rows_rejected)} dòng bị từ chối.`);
      await onDone();
    }
    document.getElementById('pi-report-title')?.focus();
  }

  form.addEventListener('submit', (ev) => { ev.preventDefault(); upload(true).catch(showError); });
  realBtn.addEventListener('click', () => upload(false).catch(showError));
  form.file.addEventListener('change', () => { checked = null; realBtn.disabled = true; });
}
