// /admin/facilities.html: the facilities as staff find them (by name
// without diacritics, tax code or district), and a facility created for a
// paper application (finance, reviewer) with the application form's
// checks. Auditors read.
import { apiFetch, qs } from './api.js';
import { el, clear, table } from './dom.js';
import { FACILITY_KINDS } from './values.js';
import { requireSession, send, message, showError, can, formValues, historyLink } from './admin-common.js';

const $ = (id) => document.getElementById(id);
const searchForm = $('search-form');
const facForm = $('fac-form');

async function search() {
  const p = formValues(searchForm);
  const r = await apiFetch(`/api/admin/facilities${qs({ ...p, per_page: 50 })}`);
  const cols = [
    { label: 'Tên cơ sở', value: (f) => f.name },
    { label: 'Loại hình', value: (f) => FACILITY_KINDS[f.kind] || '' },
    { label: 'Mã số thuế', value: (f) => f.tax_code || '' },
    { label: 'Người đại diện', value: (f) => f.owner_name || '' },
    { label: 'Địa bàn', value: (f) => [f.unit_name, f.district_name].filter(Boolean).join(', ') },
    { label: 'Lịch sử', value: () => '', render: (f) => historyLink('facility', f.id, `cơ sở ${f.name}`) },
  ];
  clear($('results')).append(table(cols, r.items, { caption: `${r.total} cơ sở` }));
}

searchForm.addEventListener('submit', (ev) => { ev.preventDefault(); search().catch(showError); });

facForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const f = await send('/api/admin/facilities', 'POST', formValues(facForm));
    message(`Đã tạo cơ sở ${f.name}.`);
    facForm.reset();
    searchForm.q.value = f.name;
    await search();
  } catch (e) { showError(e, facForm); }
});

(async () => {
  if (!(await requireSession(['finance', 'reviewer', 'auditor']))) return;
  for (const [k, v] of Object.entries(FACILITY_KINDS)) facForm.kind.append(el('option', { value: k, text: v }));
  $('create-box').hidden = !can(['finance', 'reviewer']);
  try {
    const u = await apiFetch('/api/units');
    facForm.unit_code.append(el('option', { value: '', text: '— Chọn xã, phường —' }));
    for (const x of u.items) facForm.unit_code.append(el('option', { value: x.code, text: x.name }));
    await search();
  } catch (e) { showError(e); }
})();
