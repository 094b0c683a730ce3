// /admin/budget.html: a plan year's content areas and activities with
// planned / allocated / disbursed / settled money; new activities and
// money lines (allocation, disbursement, settlement); a line corrected
// (PUT /api/admin/{kind}/{id}) or removed after a confirmation (DELETE).
// Finance users change; auditors read, with a «Lịch sử» link on every
// record to its audit trail.
import { apiFetch } from './api.js';
import { el, clear, table } from './dom.js';
import { formatVnd, formatDate } from './format.js';
import { requireSession, send, message, showError, can, formValues, historyLink } from './admin-common.js';

const yearSel = document.getElementById('b-year');
const actForm = document.getElementById('act-form');
const lineForm = document.getElementById('line-form');
const lineTitle = document.getElementById('line-form-title');
const submitBtn = document.getElementById('l-submit');
const cancelBtn = document.getElementById('l-cancel');
const confirmBox = document.getElementById('confirm');
const KIND = {
  allocations: { entity: 'allocation', label: 'Giao kinh phí', date: 'allocated_on', doc: 'decision_no', docLabel: 'Quyết định' },
  disbursements: { entity: 'disbursement', label: 'Giải ngân', date: 'paid_on', doc: 'voucher_no', docLabel: 'Chứng từ' },
  settlements: { entity: 'settlement', label: 'Quyết toán', date: 'settled_on', doc: 'document_no', docLabel: 'Chứng từ' },
};
let editing = null;	// {kind, id, activity} while a line is being corrected
let pendingDelete = null;

const describe = (kind, r) => `${KIND[kind].label.toLowerCase()} ${formatVnd(r.amount_vnd)} ngày ${formatDate(r[KIND[kind].date])}`;

function stopEditing() {
  editing = null;
  lineForm.reset();
  lineForm.activity.disabled = false;
  lineForm.kind.disabled = false;
  lineTitle.textContent = 'Ghi sổ cho một hoạt động';
  submitBtn.textContent = 'Ghi sổ';
  cancelBtn.hidden = true;
}

// Fill the line form with a line to correct it.
function startEditing(kind, r) {
  const k = KIND[kind];
  editing = { kind, id: r.id, activity: r.activity_id };
  lineForm.activity.value = String(r.activity_id);
  lineForm.kind.value = kind;
  lineForm.activity.disabled = true;
  lineForm.kind.disabled = true;
  lineForm.amount_vnd.value = String(r.amount_vnd);
  lineForm.date.value = r[k.date] || '';
  lineForm.document_no.value = r[k.doc] || '';
  lineForm.note.value = r.note || '';
  lineForm.facility_id.value = r.facility_id ?? '';
  lineForm.beneficiary.value = r.beneficiary || '';
  lineForm.unit_code.value = r.unit_code || '';
  lineForm.application_id.value = r.application_id ?? '';
  lineTitle.textContent = `Sửa ${describe(kind, r)}`;
  submitBtn.textContent = 'Lưu sửa đổi';
  cancelBtn.hidden = false;
  lineForm.amount_vnd.focus();
}

function askDelete(kind, r) {
  pendingDelete = { kind, id: r.id, activity: r.activity_id };
  document.getElementById('confirm-text').textContent = `Xoá ${describe(kind, r)}? Dòng sẽ bị xoá khỏi sổ; nhật ký thay đổi vẫn giữ nội dung của nó.`;
  confirmBox.hidden = false;
  document.getElementById('confirm-no').focus();
}

async function doDelete() {
  if (!pendingDelete) return;
  const { kind, id, activity } = pendingDelete;
  pendingDelete = null;
  confirmBox.hidden = true;
  try {
    await send(`/api/admin/${kind}/${id}`, 'DELETE');
    message(`Đã xoá dòng ${KIND[kind].label.toLowerCase()} số ${id}.`);
    if (editing && editing.id === id && editing.kind === kind) stopEditing();
    await loadPlan(); await showLines(activity);
  } catch (e) { showError(e); }
}

// The actions of one line: edit and delete (finance), its history (auditor).
function lineActions(kind, r) {
  const what = `${KIND[kind].label.toLowerCase()} số ${r.id}`;
  return el('span', { class: 'actions' },
    can(['finance']) ? el('button', { type: 'button', class: 'secondary', text: 'Sửa', 'aria-label': `Sửa ${what}`, onclick: () => startEditing(kind, r) }) : '',
    can(['finance']) ? el('button', { type: 'button', class: 'secondary', text: 'Xoá', 'aria-label': `Xoá ${what}`, onclick: () => askDelete(kind, r) }) : '',
    historyLink(KIND[kind].entity, r.id, what));
}

async function showLines(id) {
  const a = await apiFetch(`/api/admin/activities/${id}`);
  const box = clear(document.getElementById('lines'));
  box.append(el('h2', { text: `Sổ kinh phí: ${a.title}` }));
  const money = { label: 'Số tiền', value: (r) => r.amount_vnd, numeric: true, render: (r) => formatVnd(r.amount_vnd) };
  const date = (k) => ({ label: 'Ngày', value: (r) => r[k], render: (r) => formatDate(r[k]) });
  const acts = (kind) => ({ label: 'Thao tác', value: () => '', render: (r) => lineActions(kind, r) });
  box.append(el('div', { class: 'table-wrap' }, table([date('allocated_on'), money, { label: 'Quyết định', value: (r) => r.decision_no || '' }, { label: 'Ghi chú', value: (r) => r.note || '' }, acts('allocations')], a.allocations, { caption: 'Giao kinh phí' })));
  box.append(el('div', { class: 'table-wrap' }, table([date('paid_on'), money, { label: 'Chứng từ', value: (r) => r.voucher_no || '' }, { label: 'Thụ hưởng', value: (r) => r.facility_name || r.beneficiary || '' }, { label: 'Địa bàn', value: (r) => r.unit_name || '' }, acts('disbursements')], a.disbursements, { caption: 'Giải ngân' })));
  box.append(el('div', { class: 'table-wrap' }, table([date('settled_on'), money, { label: 'Chứng từ', value: (r) => r.document_no || '' }, { label: 'Ghi chú', value: (r) => r.note || '' }, acts('settlements')], a.settlements, { caption: 'Quyết toán' })));
}

let loads = 0;	// the latest loadPlan() wins over slower earlier ones
async function loadPlan() {
  const year = yearSel.value;
  const n = ++loads;
  if (!year) { clear(document.getElementById('plan-box')).append(el('p', { text: 'Chưa có kế hoạch nào.' })); return; }
  const p = await apiFetch(`/api/admin/plans/${year}`);
  if (n !== loads) return;
  const box = clear(document.getElementById('plan-box'));
  box.append(el('p', {}, `${p.title} — tổng kinh phí ${formatVnd(p.total_vnd)}${p.decision_no ? ` — Quyết định ${p.decision_no}` : ''}${p.decision_date ? ` ngày ${formatDate(p.decision_date)}` : ''} `,
    historyLink('plan', p.year, `kế hoạch năm ${p.year}`)));
  const contents = Object.fromEntries(p.contents.map((c) => [c.code, c.title]));
  const vnd = (k, label) => ({ label, value: (r) => r[k], numeric: true, render: (r) => formatVnd(r[k]) });
  const cols = [
    { label: 'Nội dung', value: (r) => `${r.content_code}. ${contents[r.content_code] || ''}` },
    { label: 'Hoạt động', value: (r) => r.title, render: (r) => el('button', { type: 'button', class: 'secondary', text: r.title, onclick: () => showLines(r.id).catch(showError) }) },
    { label: 'Đơn vị thực hiện', value: (r) => r.unit_name },
    vnd('planned_vnd', 'Kế hoạch'), vnd('allocated_vnd', 'Đã giao'), vnd('disbursed_vnd', 'Đã giải ngân'), vnd('settled_vnd', 'Đã quyết toán'),
  ];
  if (can(['auditor'])) cols.push({ label: 'Lịch sử', value: () => '', render: (r) => historyLink('activity', r.id, `hoạt động ${r.title}`) });
  box.append(el('div', { class: 'table-wrap' }, table(cols, p.activities, { caption: `${p.activities.length} hoạt động` })));
  const sel = lineForm.activity;
  const keep = sel.value;
  clear(sel);
  for (const a of p.activities) sel.append(el('option', { value: String(a.id), text: a.title }));
  if (keep && p.activities.some((a) => String(a.id) === keep)) sel.value = keep;
}

actForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = formValues(actForm, ['planned_vnd']);
  body.year = Number(yearSel.value);
  try { const a = await send('/api/admin/activities', 'POST', body); actForm.reset(); message(`Đã thêm hoạt động ${a.title}.`); await loadPlan(); } catch (e) { showError(e, actForm); }
});

lineForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = formValues(lineForm, ['amount_vnd', 'facility_id', 'application_id']);
  const kind = editing ? editing.kind : body.kind;
  const activity = editing ? editing.activity : body.activity;
  delete body.activity; delete body.kind;
  if (kind !== 'disbursements') { delete body.facility_id; delete body.beneficiary; delete body.unit_code; delete body.application_id; }
  try {
    if (editing) {
      await send(`/api/admin/${kind}/${editing.id}`, 'PUT', body);
      message(`Đã sửa dòng ${KIND[kind].label.toLowerCase()} số ${editing.id}.`);
      stopEditing();
    } else {
      await send(`/api/admin/activities/${activity}/${kind}`, 'POST', body);
      message('Đã ghi sổ.');
      lineForm.amount_vnd.value = '';
    }
    await loadPlan(); await showLines(activity);
  } catch (e) { showError(e, lineForm); }
});
cancelBtn.addEventListener('click', () => { stopEditing(); message(''); });
document.getElementById('confirm-yes').addEventListener('click', doDelete);
document.getElementById('confirm-no').addEventListener('click', () => { pendingDelete = null; confirmBox.hidden = true; message('Không xoá.'); });

(async () => {
  if (!(await requireSession(['finance', 'auditor']))) return;
  if (!can(['finance'])) { for (const f of [actForm, lineForm]) { f.hidden = true; f.previousElementSibling.hidden = true; } }
  try {
    const plans = await apiFetch('/api/admin/plans');
    for (const p of plans.items) yearSel.append(el('option', { value: String(p.year), text: String(p.year) }));
    yearSel.addEventListener('change', () => { stopEditing(); clear(document.getElementById('lines')); loadPlan().catch(showError); });
    await loadPlan();
  } catch (e) { showError(e); }
})();
