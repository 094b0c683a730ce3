// A facility picked from a staff search as you type (GET
// /api/admin/facilities?q=): an ARIA combobox. Arrow keys move through the
// list, Enter picks, Escape closes; a click picks too. The facility's id
// is the picker's result: nobody types it.
import { apiFetch, qs } from './api.js';
import { el, clear } from './dom.js';

export function facilityText(f) {
  const where = [f.unit_name, f.district_name].filter(Boolean).join(', ');
  return `${f.name}${f.tax_code ? ` — MST ${f.tax_code}` : ''}${where ? ` — ${where}` : ''}`;
}

export function facilityPicker(input, list, chosen) {
  let items = [];
  let active = -1;
  let timer = null;
  let asked = 0;
  const state = { value: null };

  const close = () => {
    list.hidden = true; active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const mark = () => {
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', i === active ? 'true' : 'false'));
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', list.children[active].id);
      list.children[active].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const set = (f) => {
    state.value = f;
    chosen.textContent = f ? `Đã chọn: ${facilityText(f)}` : '';
    if (f) input.value = f.name;
    close();
  };
  const show = () => {
    clear(list);
    items.forEach((f, i) => {
      list.append(el('li', { id: `${list.id}-${i}`, role: 'option', 'aria-selected': 'false', text: facilityText(f), onmousedown: (ev) => { ev.preventDefault(); set(f); } }));
    });
    if (!items.length) list.append(el('li', { class: 'none', text: 'Không tìm thấy cơ sở nào.' }));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1; mark();
  };
  const search = async () => {
    const q = input.value.trim();
    const n = ++asked;
    if (q.length < 2) { close(); return; }
    const r = await apiFetch(`/api/admin/facilities${qs({ q, per_page: 10 })}`);
    if (n !== asked) return;
    items = r.items;
    show();
  };

  input.addEventListener('input', () => {
    state.value = null; chosen.textContent = '';
    clearTimeout(timer);
    timer = setTimeout(() => search().catch(() => close()), 200);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (list.hidden) { search().catch(() => close()); ev.preventDefault(); return; }
      if (!items.length) return;
      active = ev.key === 'ArrowDown' ? (active + 1) % items.length : (active <= 0 ? items.length - 1 : active - 1);
      mark(); ev.preventDefault();
    } else if (ev.key === 'Enter' && !list.hidden && active >= 0) {
      set(items[active]); ev.preventDefault();
    } else if (ev.key === 'Escape' && !list.hidden) {
      close(); ev.preventDefault();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  return {
    get value() { return state.value; },
    set,
  };
}
