// /admin/budget.html: a plan year's content areas and activities with
// planned / allocated / disbursed / settled money, and new activities.
// An activity's money lines are on its own page, /admin/activity.html.
// Finance users change; auditors read, with a «Lịch sử» link on every
// record to its audit trail.
import { apiFetch } from './api.js';
import { el, clear, table } from './dom.js';
import { formatVnd, formatDate } from './format.js';
import { requireSession, send, message, showError, can, formValues, historyLink } from './admin-common.js';

const yearSel = document.getElementById('b-year');
const actForm = document.getElementById('act-form');
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
    { label: 'Hoạt động', value: (r) => r.title, render: (r) => el('a', { href: `/admin/activity.html?id=${r.id}`, text: r.title }) },
    { label: 'Đơn vị thực hiện', value: (r) => r.unit_name },
    vnd('planned_vnd', 'Kế hoạch'), vnd('allocated_vnd', 'Đã giao'), vnd('disbursed_vnd', 'Đã giải ngân'), vnd('settled_vnd', 'Đã quyết toán'),
  ];
  if (can(['auditor'])) cols.push({ label: 'Lịch sử', value: () => '', render: (r) => historyLink('activity', r.id, `hoạt động ${r.title}`) });
  box.append(el('div', { class: 'table-wrap' }, table(cols, p.activities, { caption: `${p.activities.length} hoạt động` })));
}

actForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = formValues(actForm, ['planned_vnd']);
  body.year = Number(yearSel.value);
  try { const a = await send('/api/admin/activities', 'POST', body); actForm.reset(); message(`Đã thêm hoạt động ${a.title}.`); await loadPlan(); } catch (e) { showError(e, actForm); }
});

(async () => {
  if (!(await requireSession(['finance', 'auditor']))) return;
  if (!can(['finance'])) { actForm.hidden = true; actForm.previousElementSibling.hidden = true; }
  try {
    const plans = await apiFetch('/api/admin/plans');
    for (const p of plans.items) yearSel.append(el('option', { value: String(p.year), text: String(p.year) }));
    yearSel.addEventListener('change', () => { loadPlan().catch(showError); });
    await loadPlan();
  } catch (e) { showError(e); }
})();
