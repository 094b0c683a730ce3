// /admin/activity.html?id=N: one activity's money book. Its figures
// (budget, allocated, disbursed, settled, and the room left under each
// limit), its lines with edit and delete (finance), and the forms: an
// allocation, a disbursement (its beneficiary by the application's
// reference code KC-…, by a facility picked from a search as you type, or
// a unit that is no facility), a settlement; payments in bulk from a CSV
// (admin-payments-import.js). Without ?id the page offers
// a year and an activity to open. Auditors read, with «Lịch sử» links.
import { apiFetch } from './api.js';
import { el, clear, table } from './dom.js';
import { formatVnd, formatDate } from './format.js';
import { requireSession, send, message, showError, can, formValues, historyLink } from './admin-common.js';
import { facilityPicker } from './facility-picker.js';
import { paymentsImport } from './admin-payments-import.js';

const $ = (id) => document.getElementById(id);
const lineForm = $('line-form');
const confirmBox = $('confirm');
const KIND = {
  allocations: { entity: 'allocation', label: 'Giao kinh phí', date: 'allocated_on', doc: 'decision_no' },
  disbursements: { entity: 'disbursement', label: 'Giải ngân', date: 'paid_on', doc: 'voucher_no' },
  settlements: { entity: 'settlement', label: 'Quyết toán', date: 'settled_on', doc: 'document_no' },
};
let actId = Number(new URLSearchParams(location.search).get('id')) || 0;
let activity = null;
let editing = null;	// {kind, id} while a line is being corrected
let pendingDelete = null;
const picker = facilityPicker($('l-fac'), $('l-fac-list'), $('l-fac-chosen'));

const describe = (kind, r) => `${KIND[kind].label.toLowerCase()} ${formatVnd(r.amount_vnd)} ngày ${formatDate(r[KIND[kind].date])}`;
const kindNow = () => (editing ? editing.kind : lineForm.kind.value);
const byNow = () => lineForm.by.value;

// Show the inputs of the chosen kind and beneficiary, and the room left.
function showInputs() {
  const kind = kindNow();
  $('disb-fields').hidden = kind !== 'disbursements';
  for (const b of ['ref', 'facility', 'other']) $(`by-${b}`).hidden = byNow() !== b;
  if (!activity) return;
  const a = activity;
  const room = {
    allocations: ['kinh phí kế hoạch', a.planned_vnd - a.allocated_vnd],
    disbursements: ['kinh phí đã giao', a.allocated_vnd - a.disbursed_vnd],
    settlements: ['số đã giải ngân', a.disbursed_vnd - a.settled_vnd],
  }[kind];
  $('l-room').textContent = editing ? '' : `Còn được ghi tối đa ${formatVnd(Math.max(room[1], 0))} (trong ${room[0]}).`;
}

function stopEditing() {
  editing = null;
  lineForm.reset();
  picker.set(null);
  for (const r of lineForm.querySelectorAll('[name=kind]')) r.disabled = false;
  $('line-form-title').textContent = 'Ghi sổ';
  $('l-submit').textContent = 'Ghi sổ';
  $('l-cancel').hidden = true;
  showInputs();
}

// Fill the line form with a line to correct it.
function startEditing(kind, r) {
  const k = KIND[kind];
  editing = { kind, id: r.id };
  lineForm.kind.value = kind;
  for (const x of lineForm.querySelectorAll('[name=kind]')) x.disabled = true;
  lineForm.amount_vnd.value = String(r.amount_vnd);
  lineForm.date.value = r[k.date] || '';
  lineForm.document_no.value = r[k.doc] || '';
  lineForm.note.value = r.note || '';
  if (kind === 'disbursements') {
    lineForm.by.value = r.ref_code ? 'ref' : r.facility_id ? 'facility' : 'other';
    lineForm.ref_code.value = r.ref_code || '';
    picker.set(r.facility_id ? { id: r.facility_id, name: r.facility_name } : null);
    lineForm.beneficiary.value = r.beneficiary || '';
    lineForm.unit_code.value = r.unit_code || '';
  }
  $('line-form-title').textContent = `Sửa ${describe(kind, r)}`;
  $('l-submit').textContent = 'Lưu sửa đổi';
  $('l-cancel').hidden = false;
  showInputs();
  lineForm.amount_vnd.focus();
}

function askDelete(kind, r) {
  pendingDelete = { kind, id: r.id };
  $('confirm-text').textContent = `Xoá ${describe(kind, r)}? Dòng sẽ bị xoá khỏi sổ; nhật ký thay đổi vẫn giữ nội dung của nó.`;
  confirmBox.hidden = false;
  $('confirm-no').focus();
}

async function doDelete() {
  if (!pendingDelete) return;
  const { kind, id } = pendingDelete;
  pendingDelete = null;
  confirmBox.hidden = true;
  try {
    await send(`/api/admin/${kind}/${id}`, 'DELETE');
    message(`Đã xoá dòng ${KIND[kind].label.toLowerCase()} số ${id}.`);
    if (editing && editing.id === id && editing.kind === kind) stopEditing();
    await load();
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

function showFigures(a) {
  $('act-title').textContent = `Sổ kinh phí: ${a.title}`;
  document.title = `${a.title} — Sổ kinh phí — Cán bộ — Khuyến công Hà Tĩnh`;
  const box = clear($('act-box'));
  box.append(el('p', {}, `Năm ${a.year}, nội dung ${a.content_code} — đơn vị thực hiện: ${a.unit_name} `,
    el('a', { href: `/admin/plans.html?year=${a.year}`, text: 'Về kế hoạch năm' }), ' ', historyLink('activity', a.id, `hoạt động ${a.title}`)));
  const d = el('dl', { class: 'kv' });
  for (const [k, v] of [['Kinh phí kế hoạch', a.planned_vnd], ['Đã giao', a.allocated_vnd], ['Đã giải ngân', a.disbursed_vnd], ['Đã quyết toán', a.settled_vnd]]) {
    d.append(el('dt', { text: k }), el('dd', { text: formatVnd(v) }));
  }
  box.append(d);
}

function showLines(a) {
  const box = clear($('lines'));
  const money = { label: 'Số tiền', value: (r) => r.amount_vnd, numeric: true, render: (r) => formatVnd(r.amount_vnd) };
  const date = (k) => ({ label: 'Ngày', value: (r) => r[k], render: (r) => formatDate(r[k]) });
  const acts = (kind) => ({ label: 'Thao tác', value: () => '', render: (r) => lineActions(kind, r) });
  const who = (r) => [r.facility_name || r.beneficiary || '', r.ref_code ? ` (hồ sơ ${r.ref_code})` : ''].join('');
  box.append(el('div', { class: 'table-wrap' }, table([date('allocated_on'), money, { label: 'Quyết định', value: (r) => r.decision_no || '' }, { label: 'Ghi chú', value: (r) => r.note || '' }, acts('allocations')], a.allocations, { caption: 'Giao kinh phí' })));
  box.append(el('div', { class: 'table-wrap' }, table([date('paid_on'), money, { label: 'Chứng từ', value: (r) => r.voucher_no || '' }, { label: 'Thụ hưởng', value: who }, { label: 'Địa bàn', value: (r) => r.unit_name || '' }, acts('disbursements')], a.disbursements, { caption: 'Giải ngân' })));
  box.append(el('div', { class: 'table-wrap' }, table([date('settled_on'), money, { label: 'Chứng từ', value: (r) => r.document_no || '' }, { label: 'Ghi chú', value: (r) => r.note || '' }, acts('settlements')], a.settlements, { caption: 'Quyết toán' })));
}

async function load() {
  const a = await apiFetch(`/api/admin/activities/${actId}`);
  const sum = (xs) => xs.reduce((s, x) => s + x.amount_vnd, 0);
  a.allocated_vnd = sum(a.allocations); a.disbursed_vnd = sum(a.disbursements); a.settled_vnd = sum(a.settlements);
  activity = a;
  showFigures(a);
  showLines(a);
  $('line-box').hidden = !can(['finance']);
  showInputs();
}

// The body of the line form for kind: only what the chosen beneficiary needs.
function lineBody(kind) {
  const body = formValues(lineForm);	// the amount as typed: the server reads 2.080.000.000 đ, 150 triệu...
  delete body.kind; delete body.by;
  if (kind !== 'disbursements') {
    for (const k of ['ref_code', 'beneficiary', 'unit_code']) delete body[k];
    return body;
  }
  const by = byNow();
  if (by !== 'ref') delete body.ref_code;
  if (by !== 'other') delete body.beneficiary;
  if (by === 'facility') {
    if (!picker.value) throw Object.assign(new Error('Hãy tìm và chọn một cơ sở trong danh sách.'), { fields: { facility: 'Chưa chọn cơ sở' } });
    body.facility_id = picker.value.id;
  }
  return body;
}

lineForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const kind = kindNow();
  try {
    const body = lineBody(kind);
    if (editing) {
      await send(`/api/admin/${kind}/${editing.id}`, 'PUT', body);
      message(`Đã sửa dòng ${KIND[kind].label.toLowerCase()} số ${editing.id}.`);
      stopEditing();
    } else {
      const line = await send(`/api/admin/activities/${actId}/${kind}`, 'POST', body);
      message(`Đã ghi sổ ${KIND[kind].label.toLowerCase()} ${formatVnd(line.amount_vnd)}.`);
      lineForm.amount_vnd.value = '';
    }
    await load();
  } catch (e) { showError(e, lineForm); }
});
lineForm.addEventListener('change', (ev) => { if (ev.target.name === 'kind' || ev.target.name === 'by') showInputs(); });
$('l-cancel').addEventListener('click', () => { stopEditing(); message(''); });
$('confirm-yes').addEventListener('click', doDelete);
$('confirm-no').addEventListener('click', () => { pendingDelete = null; confirmBox.hidden = true; message('Không xoá.'); });

// Without ?id: choose a year and one of its activities.
async function offerPick() {
  const form = $('pick-form');
  const plans = await apiFetch('/api/admin/plans');
  for (const p of plans.items) form.year.append(el('option', { value: String(p.year), text: String(p.year) }));
  const fill = async () => {
    clear(form.activity);
    if (!form.year.value) return;
    const p = await apiFetch(`/api/admin/plans/${form.year.value}`);
    for (const a of p.activities) form.activity.append(el('option', { value: String(a.id), text: `${a.content_code}. ${a.title}` }));
  };
  form.year.addEventListener('change', () => fill().catch(showError));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (form.activity.value) location.search = `?id=${form.activity.value}`;
  });
  await fill();
}

(async () => {
  const s = await requireSession(['finance', 'auditor']);
  if (!s) return;
  try {
    if (!actId) { await offerPick(); return; }
    $('pick-form').hidden = true;
    await load();
    if (can(['finance'])) paymentsImport($('pay-import'), { activityId: actId, onDone: load });
  } catch (e) { showError(e); }
})();
