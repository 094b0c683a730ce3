// /admin/budget.html: a plan year's content areas and activities with
// planned / allocated / disbursed / settled money; new activities and
// money lines (allocation, disbursement, settlement).
import { apiFetch } from './api.js';
import { el, clear, table } from './dom.js';
import { formatVnd, formatDate } from './format.js';
import { requireSession, send, message, showError, can, formValues } from './admin-common.js';

const yearSel = document.getElementById('b-year');
const actForm = document.getElementById('act-form');
const lineForm = document.getElementById('line-form');

async function showLines(id) {
  const a = await apiFetch(`/api/admin/activities/${id}`);
  const box = clear(document.getElementById('lines'));
  box.append(el('h2', { text: `Sổ kinh phí: ${a.title}` }));
  const money = { label: 'Số tiền', value: (r) => r.amount_vnd, numeric: true, render: (r) => formatVnd(r.amount_vnd) };
  box.append(el('div', { class: 'table-wrap' }, table([{ label: 'Ngày', value: (r) => r.allocated_on, render: (r) => formatDate(r.allocated_on) }, money, { label: 'Quyết định', value: (r) => r.decision_no || '' }], a.allocations, { caption: 'Giao kinh phí' })));
  box.append(el('div', { class: 'table-wrap' }, table([{ label: 'Ngày', value: (r) => r.paid_on, render: (r) => formatDate(r.paid_on) }, money, { label: 'Chứng từ', value: (r) => r.voucher_no || '' }, { label: 'Thụ hưởng', value: (r) => r.facility_name || r.beneficiary || '' }, { label: 'Địa bàn', value: (r) => r.unit_name || '' }], a.disbursements, { caption: 'Giải ngân' })));
  box.append(el('div', { class: 'table-wrap' }, table([{ label: 'Ngày', value: (r) => r.settled_on, render: (r) => formatDate(r.settled_on) }, money, { label: 'Chứng từ', value: (r) => r.document_no || '' }], a.settlements, { caption: 'Quyết toán' })));
}

async function loadPlan() {
  const year = yearSel.value;
  const box = clear(document.getElementById('plan-box'));
  if (!year) { box.append(el('p', { text: 'Chưa có kế hoạch nào.' })); return; }
  const p = await apiFetch(`/api/admin/plans/${year}`);
  box.append(el('p', { text: `${p.title} — tổng kinh phí ${formatVnd(p.total_vnd)}${p.decision_no ? ` — Quyết định ${p.decision_no}` : ''}${p.decision_date ? ` ngày ${formatDate(p.decision_date)}` : ''}` }));
  const contents = Object.fromEntries(p.contents.map((c) => [c.code, c.title]));
  const vnd = (k, label) => ({ label, value: (r) => r[k], numeric: true, render: (r) => formatVnd(r[k]) });
  box.append(el('div', { class: 'table-wrap' }, table([
    { label: 'Nội dung', value: (r) => `${r.content_code}. ${contents[r.content_code] || ''}` },
    { label: 'Hoạt động', value: (r) => r.title, render: (r) => el('button', { type: 'button', class: 'secondary', text: r.title, onclick: () => showLines(r.id).catch(showError) }) },
    { label: 'Đơn vị thực hiện', value: (r) => r.unit_name },
    vnd('planned_vnd', 'Kế hoạch'), vnd('allocated_vnd', 'Đã giao'), vnd('disbursed_vnd', 'Đã giải ngân'), vnd('settled_vnd', 'Đã quyết toán'),
  ], p.activities, { caption: `${p.activities.length} hoạt động` })));
  const sel = clear(document.getElementById('l-act'));
  for (const a of p.activities) sel.append(el('option', { value: String(a.id), text: a.title }));
}

actForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = formValues(actForm, ['planned_vnd']);
  body.year = Number(yearSel.value);
  try { const a = await send('/api/admin/activities', 'POST', body); actForm.reset(); message(`Đã thêm hoạt động ${a.title}.`); await loadPlan(); } catch (e) { showError(e, actForm); }
});

lineForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = formValues(lineForm, ['amount_vnd', 'facility_id']);
  const { activity, kind } = body;
  delete body.activity; delete body.kind;
  if (kind !== 'disbursements') { delete body.facility_id; delete body.beneficiary; delete body.unit_code; }
  try {
    await send(`/api/admin/activities/${activity}/${kind}`, 'POST', body);
    message('Đã ghi sổ.');
    lineForm.amount_vnd.value = '';
    await loadPlan(); await showLines(activity);
  } catch (e) { showError(e, lineForm); }
});

(async () => {
  if (!(await requireSession(['finance', 'auditor']))) return;
  if (!can(['finance'])) { for (const f of [actForm, lineForm]) { f.hidden = true; f.previousElementSibling.hidden = true; } }
  try {
    const plans = await apiFetch('/api/admin/plans');
    for (const p of plans.items) yearSel.append(el('option', { value: String(p.year), text: String(p.year) }));
    yearSel.addEventListener('change', () => loadPlan().catch(showError));
    await loadPlan();
  } catch (e) { showError(e); }
})();
