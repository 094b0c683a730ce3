// /admin/plans.html: a year's plan drafted (content areas and activities,
// what is still unassigned), published (the refusal says by how much),
// amended once published, a draft deleted; the approving decision's PDF
// uploaded, replaced, removed from a draft and linked (the staff's copy,
// and the public one once published); «Lịch sử» of the plan, each
// content area and each activity. Finance changes; auditors read. Money
// fields are sent as typed ("2,08 tỷ", "150 triệu"): the server reads them.
import { apiFetch } from './api.js';
import { el, clear, table } from './dom.js';
import { formatVnd, formatDate } from './format.js';
import { requireSession, send, message, showError, can, formValues, historyLink } from './admin-common.js';
import { ACTIVITY_STATUSES, PLAN_STATUSES } from './values.js';

// The four content areas of the 2020 plan (sql/data/plan-2020.md), offered
// for a new draft.
const DEFAULT_CONTENTS = [
  ['1', 'Tư vấn, tập huấn, đào tạo'],
  ['2', 'Phát triển sản phẩm công nghiệp nông thôn tiêu biểu'],
  ['3', 'Mô hình trình diễn kỹ thuật, ứng dụng máy móc thiết bị tiên tiến'],
  ['4', 'Nâng cao năng lực quản lý và tổ chức thực hiện hoạt động khuyến công'],
];
const $ = (id) => document.getElementById(id);
const yearSel = $('p-year');
const planForm = $('plan-form');
const contentForm = $('content-form');
const actForm = $('act-form');
const amendForm = $('amend-form');
const docForm = $('doc-form');
let plan = null;
let editingAct = null;
let pendingDelete = null;
const NEW = 'new';

const money = (n) => (n === null || n === undefined ? '—' : formatVnd(n));
const left = (n) => (n < 0 ? `vượt ${formatVnd(-n)}` : formatVnd(n));

function fill(form, obj, names) {
  for (const n of names) if (form[n]) form[n].value = obj[n] ?? '';
}

function stopEditingAct() {
  editingAct = null;
  actForm.reset();
  $('act-title').textContent = 'Thêm hoạt động';
  $('af-submit').textContent = 'Thêm hoạt động';
  $('af-cancel').hidden = true;
}

function editAct(a) {
  editingAct = a.id;
  fill(actForm, a, ['content_code', 'planned_vnd', 'title', 'unit_name', 'description', 'quantity', 'unit_measure', 'beneficiaries', 'period_from', 'period_to', 'target', 'status', 'progress']);
  $('act-title').textContent = `Sửa hoạt động: ${a.title}`;
  $('af-submit').textContent = 'Lưu sửa đổi';
  $('af-cancel').hidden = false;
  actForm.title.focus();
}

function askDelete(what, path, after) {
  pendingDelete = { path, after };
  $('confirm-text').textContent = `Xoá ${what}? Nhật ký thay đổi vẫn giữ nội dung đã xoá.`;
  $('confirm').hidden = false;
  $('confirm-no').focus();
}

// The decision's document: a link to the staff's copy, and to the public
// one once the plan is published.
function documentLine(p) {
  const d = p.document || {};
  if (!d.sha256) return el('p', { id: 'plan-doc', text: 'Chưa có văn bản quyết định phê duyệt (PDF).' });
  const mb = (d.size / 1048576).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
  return el('p', { id: 'plan-doc' }, 'Văn bản quyết định: ',
    el('a', { href: `/api/admin/plans/${p.year}/decision`, text: `${d.name || 'quyết định'} (${mb} MB)` }),
    p.status === 'draft' ? ' — công khai khi kế hoạch được công bố.'
      : el('span', {}, ' — bản công khai: ', el('a', { href: `/api/plans/${p.year}/decision.pdf`, text: `quyết định kế hoạch năm ${p.year}` }), '.'));
}

function summary(p) {
  const draft = p.status === 'draft';
  const box = el('div');
  box.append(el('h2', { text: `${p.title} (${PLAN_STATUSES[p.status] || p.status})` }));
  box.append(el('p', {}, `Tổng kinh phí ${formatVnd(p.total_vnd)}; đã chia cho các nội dung ${formatVnd(p.assigned_vnd)}; chưa chia `,
    el('strong', { text: left(p.unassigned_vnd) }), '. ',
    p.decision_no ? `Quyết định ${p.decision_no}${p.decision_date ? ` ngày ${formatDate(p.decision_date)}` : ''}. ` : '',
    historyLink('plan', p.year, `kế hoạch năm ${p.year}`)));
  box.append(documentLine(p));
  if (draft) box.append(el('p', { class: 'hint', text: 'Bản nháp: chưa công khai. Công bố khi các nội dung cộng lại bằng tổng kinh phí và hoạt động của mỗi nội dung không vượt kinh phí của nội dung.' }));
  const ccols = [
    { label: 'Mã', value: (c) => c.code },
    { label: 'Nội dung', value: (c) => c.title },
    { label: 'Kinh phí', value: (c) => c.planned_vnd ?? -1, render: (c) => `${money(c.planned_vnd)}${c.sample ? ' (mẫu)' : ''}`, numeric: true },
    { label: 'Hoạt động', value: (c) => c.assigned_vnd, render: (c) => `${formatVnd(c.assigned_vnd)} (${c.activities})`, numeric: true },
    { label: 'Chưa giao', value: (c) => c.unassigned_vnd, render: (c) => left(c.unassigned_vnd), numeric: true },
    { label: 'Thao tác', value: () => '', render: (c) => el('span', {},
      can(['finance']) ? el('button', { type: 'button', class: 'secondary', text: 'Sửa', 'aria-label': `Sửa nội dung ${c.code}`, onclick: () => { fill(contentForm, c, ['code', 'title', 'description', 'planned_vnd', 'sort_order']); contentForm.title.focus(); } }) : '',
      can(['finance']) && draft ? el('button', { type: 'button', class: 'secondary', text: 'Xoá', 'aria-label': `Xoá nội dung ${c.code}`, onclick: () => askDelete(`nội dung ${c.code}`, `/api/admin/plans/${p.year}/contents/${encodeURIComponent(c.code)}`) }) : '',
      historyLink('plan_content', `${p.year}/${c.code}`, `nội dung ${c.code}`)) },
  ];
  box.append(el('div', { class: 'table-wrap' }, table(ccols, p.contents, { caption: `${p.contents.length} nội dung` })));
  const acols = [
    { label: 'Nội dung', value: (a) => a.content_code },
    { label: 'Hoạt động', value: (a) => a.title, render: (a) => el('a', { href: `/admin/activity.html?id=${a.id}`, text: a.title }) },
    { label: 'Đơn vị thực hiện', value: (a) => a.unit_name },
    { label: 'Kinh phí', value: (a) => a.planned_vnd, render: (a) => formatVnd(a.planned_vnd), numeric: true },
    { label: 'Khối lượng', value: (a) => a.quantity ?? 0, render: (a) => (a.quantity !== null ? `${a.quantity} ${a.unit_measure || ''}` : '') },
    { label: 'Thời gian', value: (a) => a.period_from || '', render: (a) => [a.period_from, a.period_to].filter(Boolean).map(formatDate).join(' – ') },
    { label: 'Trạng thái', value: (a) => ACTIVITY_STATUSES[a.status] || a.status },
    { label: 'Tiến độ', value: (a) => a.progress, render: (a) => `${a.progress}%`, numeric: true },
    { label: 'Thao tác', value: () => '', render: (a) => el('span', {},
      can(['finance']) ? el('button', { type: 'button', class: 'secondary', text: 'Sửa', 'aria-label': `Sửa hoạt động ${a.title}`, onclick: () => editAct(a) }) : '',
      can(['finance']) && draft ? el('button', { type: 'button', class: 'secondary', text: 'Xoá', 'aria-label': `Xoá hoạt động ${a.title}`, onclick: () => askDelete(`hoạt động «${a.title}»`, `/api/admin/activities/${a.id}`) }) : '',
      historyLink('activity', a.id, `hoạt động ${a.title}`)) },
  ];
  box.append(el('div', { class: 'table-wrap' }, table(acols, p.activities, { caption: `${p.activities.length} hoạt động` })));
  if (p.amendments.length) {
    box.append(el('h3', { text: 'Các lần điều chỉnh' }));
    box.append(el('ul', {}, p.amendments.map((m) => el('li', { text: `Quyết định ${m.decision_no} ngày ${formatDate(m.decision_date)}: ${m.reason}${m.changes.total_vnd ? ` — tổng ${formatVnd(m.changes.total_vnd[0])} → ${formatVnd(m.changes.total_vnd[1])}` : ''}` }))));
  }
  return box;
}

function showForms(p) {
  const draft = p.status === 'draft';
  const write = can(['finance']);
  $('edit-box').hidden = !write;
  fill(planForm, p, ['title', 'total_vnd', 'decision_no', 'decision_date', 'approved_by', 'source', 'notes']);
  planForm.total_vnd.readOnly = !draft;
  $('publish').hidden = !draft;
  $('delete-plan').hidden = !draft;
  $('doc-delete').hidden = !draft || !(p.document && p.document.sha256);
  amendForm.hidden = draft;
  const sel = actForm.content_code;
  clear(sel);
  for (const c of p.contents) sel.append(el('option', { value: c.code, text: `${c.code}. ${c.title}` }));
  const fs = $('am-contents');
  for (const n of [...fs.querySelectorAll('.field')]) n.remove();
  for (const c of p.contents) {
    const id = `am-c-${c.code}`;
    fs.append(el('div', { class: 'field' }, el('label', { for: id, text: `Nội dung ${c.code} (hiện ${money(c.planned_vnd)})` }), el('input', { id, 'data-code': c.code })));
  }
}

let loads = 0; // the latest loadPlan() wins over slower earlier ones
async function loadPlan() {
  const box = $('plan-box');
  const n = ++loads;
  clear(box);
  $('new-box').hidden = yearSel.value !== NEW || !can(['finance']);
  if (yearSel.value === NEW) { $('edit-box').hidden = true; plan = null; return; }
  const p = await apiFetch(`/api/admin/plans/${yearSel.value}`);
  if (n !== loads) return;
  plan = p;
  clear(box).append(summary(plan));
  showForms(plan);
}

async function loadYears(select) {
  const plans = await apiFetch('/api/admin/plans');
  clear(yearSel);
  for (const p of plans.items) yearSel.append(el('option', { value: String(p.year), text: `${p.year} — ${PLAN_STATUSES[p.status] || p.status}` }));
  if (can(['finance'])) yearSel.append(el('option', { value: NEW, text: 'Lập kế hoạch mới…' }));
  if (select) yearSel.value = String(select);
  await loadPlan();
}

const act = (fn) => async (ev) => { ev.preventDefault(); try { await fn(); } catch (e) { showError(e, ev.target.tagName === 'FORM' ? ev.target : undefined); } };

$('new-form').addEventListener('submit', act(async () => {
  const f = $('new-form');
  const body = formValues(f, ['year']);
  const defaults = f.defaults.checked;
  delete body.defaults;
  const p = await send('/api/admin/plans', 'POST', body);
  if (defaults) for (const [code, title] of DEFAULT_CONTENTS) await send(`/api/admin/plans/${p.year}/contents/${code}`, 'PUT', { title });
  f.reset();
  message(`Đã tạo bản nháp kế hoạch năm ${p.year}.`);
  await loadYears(p.year);
}));
planForm.addEventListener('submit', act(async () => {
  await send(`/api/admin/plans/${plan.year}`, 'PUT', formValues(planForm));
  message('Đã lưu thông tin kế hoạch.');
  await loadPlan();
}));
contentForm.addEventListener('submit', act(async () => {
  const body = formValues(contentForm, ['sort_order']);
  const code = body.code;
  delete body.code;
  await send(`/api/admin/plans/${plan.year}/contents/${encodeURIComponent(code || '')}`, 'PUT', body);
  contentForm.reset();
  message(`Đã lưu nội dung ${code}.`);
  await loadPlan();
}));
actForm.addEventListener('submit', act(async () => {
  const body = formValues(actForm, ['quantity', 'beneficiaries', 'progress']);
  body.year = plan.year;
  if (editingAct) await send(`/api/admin/activities/${editingAct}`, 'PUT', body);
  else await send('/api/admin/activities', 'POST', body);
  message(editingAct ? `Đã sửa hoạt động ${body.title}.` : `Đã thêm hoạt động ${body.title}.`);
  stopEditingAct();
  await loadPlan();
}));
amendForm.addEventListener('submit', act(async () => {
  const body = formValues(amendForm);
  const contents = [...$('am-contents').querySelectorAll('input')].filter((i) => i.value.trim()).map((i) => ({ code: i.dataset.code, planned_vnd: i.value.trim() }));
  if (contents.length) body.contents = contents;
  await send(`/api/admin/plans/${plan.year}/amendments`, 'POST', body);
  amendForm.reset();
  message('Đã ghi điều chỉnh kế hoạch.');
  await loadPlan();
}));
docForm.addEventListener('submit', act(async () => {
  const file = docForm.file.files[0];
  if (!file) { message('Chọn tệp PDF của quyết định.', 'error'); docForm.file.focus(); return; }
  const fd = new FormData();
  fd.append('file', file, file.name);
  await send(`/api/admin/plans/${plan.year}/decision`, 'POST', fd);
  docForm.reset();
  message(`Đã lưu văn bản quyết định «${file.name}».`);
  await loadPlan();
}));
$('doc-delete').addEventListener('click', () => askDelete(`văn bản quyết định của kế hoạch năm ${plan.year}`, `/api/admin/plans/${plan.year}/decision`));
$('publish').addEventListener('click', act(async () => {
  await send(`/api/admin/plans/${plan.year}/publish`, 'POST', {});
  message(`Đã công bố kế hoạch năm ${plan.year}.`);
  await loadYears(plan.year);
}));
$('delete-plan').addEventListener('click', () => askDelete(`bản nháp kế hoạch năm ${plan.year} cùng các nội dung và hoạt động`, `/api/admin/plans/${plan.year}`, () => loadYears()));
$('af-cancel').addEventListener('click', () => { stopEditingAct(); message(''); });
$('confirm-yes').addEventListener('click', act(async () => {
  const d = pendingDelete;
  pendingDelete = null;
  $('confirm').hidden = true;
  if (!d) return;
  await send(d.path, 'DELETE');
  message('Đã xoá.');
  if (d.after) await d.after(); else await loadPlan();
}));
$('confirm-no').addEventListener('click', () => { pendingDelete = null; $('confirm').hidden = true; message('Không xoá.'); });

(async () => {
  if (!(await requireSession(['finance', 'auditor']))) return;
  for (const [code, label] of Object.entries(ACTIVITY_STATUSES)) actForm.status.append(el('option', { value: code, text: label }));
  yearSel.addEventListener('change', () => { stopEditingAct(); loadPlan().catch(showError); });
  try { await loadYears(new URLSearchParams(location.search).get('year')); } catch (e) { showError(e); }
})();
