// /admin/duplicates.html: the possible-duplicate queue (two products side
// by side: name, facility, district, years, awards), merged keeping the
// side chosen or dismissed with a reason; the facilities that may be one,
// merged the same way; the merges, each undone from the list; a product's,
// its facility's and its awards' corrections with their history.
import { apiFetch, qs } from './api.js';
import { el, clear, table } from './dom.js';
import { formatDate, formatDateTime, LEVELS } from './format.js';
import { requireSession, send, message, showError, can, formValues } from './admin-common.js';

const filter = document.getElementById('filter');
const edit = document.getElementById('edit');
let writer = false;
let current = null; // the product being corrected

const years = (awards) => [...new Set(awards.map((a) => a.year))].join(', ');
const awardText = (a) => `${a.year} · ${LEVELS[a.level] || a.level}${a.decision_no ? ` · QĐ ${a.decision_no}` : ''}`
  + `${a.decision_date ? ` (${formatDate(a.decision_date)})` : ''}`;

function say(text) {
  message(text);
  document.getElementById('msg').focus();
}

async function act(path, body, done) {
  try {
    await send(path, 'POST', body);
    say(done);
    await loadAll();
  } catch (e) { showError(e); document.getElementById('msg').focus(); }
}

function side(p, label) {
  return el('section', { 'aria-label': `${label}: ${p.name}` },
    el('h4', { text: `${label}: ${p.name}` }),
    el('p', { text: `Cơ sở: ${p.facility || ''}` }),
    el('p', { text: `Địa bàn: ${p.district || '—'}` }),
    el('p', { text: `Năm: ${years(p.awards) || '—'}` }),
    el('ul', {}, p.awards.map((a) => el('li', { text: awardText(a) }))),
    el('button', { type: 'button', class: 'secondary', text: 'Sửa, lịch sử', 'aria-label': `Sửa và xem lịch sử: ${p.name}`, onclick: () => openEdit(p.id) }));
}

function pairActions(d) {
  const { older: a, newer: b } = d;
  const reasonId = `reason-${d.id}`;
  const box = el('div', { class: 'actions' },
    el('button', { type: 'button', text: `Giữ «${a.name}», gộp bên kia vào`, onclick: () => act(`/api/admin/products/${b.id}/merge`, { into: a.id, pair_id: d.id }, `Đã gộp «${b.name}» vào «${a.name}».`) }),
    el('button', { type: 'button', text: `Giữ «${b.name}», gộp bên kia vào`, onclick: () => act(`/api/admin/products/${a.id}/merge`, { into: b.id, pair_id: d.id }, `Đã gộp «${a.name}» vào «${b.name}».`) }));
  const form = el('form', { class: 'actions', novalidate: true },
    el('div', { class: 'field' }, el('label', { for: reasonId, text: 'Lý do không trùng' }),
      el('input', { id: reasonId, name: 'reason', maxlength: 500, required: true })),
    el('button', { type: 'submit', class: 'secondary', text: 'Không trùng' }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(`/api/admin/duplicates/${d.id}/dismiss`, formValues(form), `Đã đánh dấu «${a.name}» và «${b.name}» không trùng.`);
  });
  return [box, form];
}

async function loadPairs() {
  const st = filter.elements.status.value;
  const data = await apiFetch(`/api/admin/duplicates${qs({ status: st })}`);
  const box = clear(document.getElementById('pairs'));
  if (!data.items.length) { box.append(el('p', { text: 'Không có cặp nào.' })); return; }
  for (const d of data.items) {
    const info = d.status === 'open' ? '' : `${d.status === 'merged' ? 'Đã gộp' : `Không trùng: ${d.reason || ''}`} — ${d.decided_by || ''}${d.decided_at ? `, ${formatDateTime(d.decided_at)}` : ''}`;
    box.append(el('article', { class: 'pair', 'aria-label': `Cặp ${d.older.name} và ${d.newer.name}` },
      el('div', { class: 'sides' }, side(d.older, 'Bên A'), side(d.newer, 'Bên B')),
      info ? el('p', { text: info }) : '',
      writer && d.status === 'open' ? pairActions(d) : ''));
  }
}

function fside(f, label) {
  return el('section', { 'aria-label': `${label}: ${f.name}` },
    el('h4', { text: `${label}: ${f.name}` }),
    el('p', { text: `Mã số thuế: ${f.tax_code || '—'}` }),
    el('p', { text: `Địa bàn: ${f.district || '—'}; địa chỉ: ${f.address || '—'}` }),
    el('ul', {}, f.products.map((p) => el('li', { text: `${p.name}${p.years ? ` (${p.years})` : ''}` }))));
}

async function loadFacilityPairs() {
  const data = await apiFetch('/api/admin/facility-duplicates');
  const box = clear(document.getElementById('fpairs'));
  if (!data.items.length) { box.append(el('p', { text: 'Không có cặp nào.' })); return; }
  for (const d of data.items) {
    const { a, b } = d;
    box.append(el('article', { class: 'pair', 'aria-label': `Cơ sở ${a.name} và ${b.name}` },
      el('p', { text: d.rule === 'tax_code' ? 'Cùng mã số thuế.' : 'Cùng tên trong cùng đơn vị hành chính.' }),
      el('div', { class: 'sides' }, fside(a, 'Cơ sở A'), fside(b, 'Cơ sở B')),
      writer ? el('div', { class: 'actions' },
        el('button', { type: 'button', text: `Giữ cơ sở «${a.name}» (A), gộp B vào`, onclick: () => act(`/api/admin/facilities/${b.id}/merge`, { into: a.id }, `Đã gộp cơ sở «${b.name}» vào «${a.name}».`) }),
        el('button', { type: 'button', text: `Giữ cơ sở «${b.name}» (B), gộp A vào`, onclick: () => act(`/api/admin/facilities/${a.id}/merge`, { into: b.id }, `Đã gộp cơ sở «${a.name}» vào «${b.name}».`) })) : ''));
  }
}

const undoButton = (path, label) => (writer
  ? el('button', { type: 'button', class: 'secondary', text: 'Hoàn tác', 'aria-label': label, onclick: () => act(path, {}, 'Đã hoàn tác lần gộp.') })
  : '');

async function loadMerges() {
  const [pm, fm] = await Promise.all([apiFetch('/api/admin/merges'), apiFetch('/api/admin/facility-merges')]);
  clear(document.getElementById('merges')).append(table([
    { label: 'Lúc', value: (r) => r.at, render: (r) => formatDateTime(r.at) },
    { label: 'Sản phẩm giữ', value: (r) => r.kept_id },
    { label: 'Sản phẩm gộp vào', value: (r) => r.merged_id },
    { label: 'Giải chuyển', value: (r) => r.awards_moved },
    { label: 'Người gộp', value: (r) => r.username || '' },
    { label: 'Hoàn tác', value: (r) => r.undone_at || '', render: (r) => (r.undone_at ? `Đã hoàn tác ${formatDateTime(r.undone_at)}` : undoButton(`/api/admin/merges/${r.id}/undo`, `Hoàn tác lần gộp sản phẩm ${r.id}`)) },
  ], pm.items, { caption: `Gộp sản phẩm: ${pm.items.length} lần` }));
  clear(document.getElementById('fmerges')).append(table([
    { label: 'Lúc', value: (r) => r.at, render: (r) => formatDateTime(r.at) },
    { label: 'Cơ sở giữ', value: (r) => r.kept_name || '' },
    { label: 'Cơ sở gộp vào', value: (r) => r.merged_name || '' },
    { label: 'Sản phẩm chuyển', value: (r) => r.products_moved },
    { label: 'Sản phẩm gộp', value: (r) => r.products_merged },
    { label: 'Người gộp', value: (r) => r.username || '' },
    { label: 'Hoàn tác', value: (r) => r.undone_at || '', render: (r) => (r.undone_at ? `Đã hoàn tác ${formatDateTime(r.undone_at)}` : undoButton(`/api/admin/facility-merges/${r.id}/undo`, `Hoàn tác lần gộp cơ sở ${r.id}`)) },
  ], fm.items, { caption: `Gộp cơ sở: ${fm.items.length} lần` }));
}

// ---- Corrections and history ----
const ACTIONS = { 'product.correct': 'Sửa sản phẩm', 'facility.correct': 'Sửa cơ sở', 'award.correct': 'Sửa giải',
  'product.merge': 'Gộp sản phẩm', 'product.unmerge': 'Hoàn tác gộp', 'facility.merge': 'Gộp cơ sở', 'facility.unmerge': 'Hoàn tác gộp cơ sở' };
const KEYS = ['name', 'group', 'tax_code', 'address', 'unit_code', 'year', 'level', 'decision_no', 'decision_date'];
function changes(b, a) {
  if (!b || !a) return '';
  return KEYS.filter((k) => k in a && JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => `${k}: ${b[k] ?? '—'} → ${a[k] ?? '—'}`).join('; ');
}

async function loadHistory(p) {
  const [h, fh] = await Promise.all([apiFetch(`/api/admin/history${qs({ entity: 'product', id: p.id })}`),
    apiFetch(`/api/admin/history${qs({ entity: 'facility', id: p.facility.id })}`)]);
  const rows = [...h.items, ...fh.items].sort((x, y) => y.id - x.id);
  clear(document.getElementById('history')).append(rows.length ? table([
    { label: 'Lúc', value: (r) => r.at, render: (r) => formatDateTime(r.at) },
    { label: 'Việc', value: (r) => ACTIONS[r.action] || r.action },
    { label: 'Người sửa', value: (r) => r.username || '' },
    { label: 'Thay đổi', value: (r) => changes(r.before, r.after) },
  ], rows, { caption: 'Lịch sử' }) : el('p', { text: 'Chưa có thay đổi nào.' }));
}

function awardForm(a) {
  const id = (n) => `a-${a.id}-${n}`;
  const f = el('form', { class: 'row', novalidate: true, 'aria-label': `Giải ${awardText(a)}` },
    el('div', { class: 'field' }, el('label', { for: id('year'), text: 'Năm' }), el('input', { id: id('year'), name: 'year', inputmode: 'numeric', maxlength: 4, value: a.year })),
    el('div', { class: 'field' }, el('label', { for: id('level'), text: 'Cấp' }),
      el('select', { id: id('level'), name: 'level' }, Object.entries(LEVELS).map(([k, v]) => el('option', { value: k, text: v, selected: k === a.level })))),
    el('div', { class: 'field' }, el('label', { for: id('dno'), text: 'Số quyết định' }), el('input', { id: id('dno'), name: 'decision_no', maxlength: 60, value: a.decision_no || '' })),
    el('div', { class: 'field' }, el('label', { for: id('date'), text: 'Ngày quyết định' }), el('input', { id: id('date'), name: 'decision_date', type: 'date', value: a.decision_date || '' })),
    el('div', { class: 'field' }, el('button', { type: 'submit', text: 'Lưu giải', 'aria-label': `Lưu giải năm ${a.year}` })));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = Object.fromEntries(new FormData(f).entries());
    save(`/api/admin/awards/${a.id}`, { ...v, year: Number(v.year) }, `Đã sửa giải năm ${v.year}.`, f);
  });
  return f;
}

async function save(path, body, done, form) {
  try {
    await send(path, 'PATCH', body);
    say(done);
    await openEdit(current.id, false);
    loadAll().catch(showError);
  } catch (e) { showError(e, form); document.getElementById('msg').focus(); }
}

async function openEdit(id, focus = true) {
  try {
    current = await apiFetch(`/api/admin/products/${id}`);
  } catch (e) { showError(e); return; }
  const p = current;
  edit.hidden = false;
  document.getElementById('edit-title').textContent = `Sửa: ${p.name}`;
  const pf = document.getElementById('p-form');
  pf.elements.name.value = p.name;
  pf.elements.group.value = p.group || '';
  const ff = document.getElementById('f-form');
  ff.elements.name.value = p.facility.name;
  ff.elements.unit_code.value = p.facility.unit_code || '';
  ff.elements.address.value = p.facility.address || '';
  ff.elements.tax_code.value = p.facility.tax_code || '';
  for (const b of edit.querySelectorAll('form button, form input, form select')) b.disabled = !writer;
  clear(document.getElementById('awards')).append(...p.awards.map(awardForm));
  if (!writer) for (const b of edit.querySelectorAll('#awards input, #awards select, #awards button')) b.disabled = true;
  await loadHistory(p);
  if (focus) document.getElementById('edit-title').focus();
}

document.getElementById('p-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = ev.target;
  save(`/api/admin/products/${current.id}`, { name: f.elements.name.value, group: f.elements.group.value }, 'Đã sửa sản phẩm.', f);
});
document.getElementById('f-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = ev.target;
  const v = Object.fromEntries(new FormData(f).entries());
  if (v.unit_code === (current.facility.unit_code || '')) delete v.unit_code;
  if (v.tax_code === (current.facility.tax_code || '')) delete v.tax_code;
  save(`/api/admin/facilities/${current.facility.id}`, v, 'Đã sửa cơ sở.', f);
});
document.getElementById('edit-close').addEventListener('click', () => { edit.hidden = true; current = null; });

async function loadAll() {
  await Promise.all([loadPairs(), loadFacilityPairs(), loadMerges()]);
}

filter.addEventListener('submit', (ev) => { ev.preventDefault(); loadPairs().catch(showError); });
(async () => {
  if (!(await requireSession(['importer', 'auditor']))) return;
  writer = can(['importer']);
  try { await loadAll(); } catch (e) { showError(e); }
})();
