// register.html: the open calls, the application form (client checks that
// mirror the server's, every server error beside its field), the receipt.
// Without JavaScript the same form posts to /api/applications and the
// server answers with a page: the receipt, or the errors by field.
import { apiFetch, ApiError } from './api.js';
import { el, clear } from './dom.js';
import { formatDeadline, formatVnd } from './format.js';
import { KINDS, TAX_HINTS, checkApplication, normalPhone, parseVnd } from './apply-rules.js';

const $ = (id) => document.getElementById(id);
const form = $('apply-form');
let calls = [];

// The element id of a field the server names ("facility.name" → "facility-name").
const idOf = (key) => (key === 'products' ? 'products-1' : key.replace('.', '-'));
const errOf = (key) => `err-${key === 'products' ? 'products' : key.replace('.', '-')}`;

function clearErrors() {
  for (const s of form.querySelectorAll('.field-error')) s.textContent = '';
  for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  const box = $('form-error');
  clear(box);
  box.hidden = true;
}

// Show each message beside its field, a summary with links on top.
function showErrors(fields, message) {
  clearErrors();
  const box = $('form-error');
  box.append(el('p', { text: message || 'Hồ sơ chưa hợp lệ, vui lòng sửa các mục sau:' }));
  const list = el('ul');
  let first = null;
  for (const [key, msg] of Object.entries(fields || {})) {
    const input = $(idOf(key));
    const span = $(errOf(key));
    if (span) span.textContent = msg;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      first = first || input;
      const label = form.querySelector(`label[for="${input.id}"]`);
      list.append(el('li', {}, el('a', { href: `#${input.id}`, text: `${label ? label.textContent.replace(' *', '') : key}: ${msg}` })));
    } else {
      list.append(el('li', { text: msg }));
    }
  }
  if (list.children.length) box.append(list);
  box.hidden = false;
  (first || box).focus();
}

function selectFrom(inputId, options, placeholder) {
  const old = $(inputId);
  const sel = el('select', { id: old.id, name: old.name, required: true, 'aria-describedby': old.getAttribute('aria-describedby') },
    el('option', { value: '', text: placeholder }),
    options.map(([value, text]) => el('option', { value, text })));
  sel.value = old.value;
  old.replaceWith(sel);
  return sel;
}

function chooseCall(id) {
  const sel = $('call_id');
  sel.value = String(id);
  sel.focus();
  sel.scrollIntoView({ block: 'center' });
}

// A call with a capacity and no place left takes no application.
const full = (c) => c.remaining != null && c.remaining <= 0;
const placesText = (c) => (full(c) ? `Đã nhận đủ ${c.capacity} hồ sơ`
  : `Còn ${c.remaining} trên ${c.capacity} suất hỗ trợ`);

function renderCalls() {
  const list = clear($('calls-list'));
  const status = $('calls-status');
  if (!calls.length) {
    status.textContent = 'Hiện chưa có đợt hỗ trợ nào đang nhận hồ sơ.';
    return;
  }
  status.textContent = `${calls.length} đợt hỗ trợ đang nhận hồ sơ.`;
  for (const c of calls) {
    list.append(el('article', { class: 'card' },
      c.sample ? el('p', { class: 'sample', text: 'Dữ liệu mẫu' }) : null,
      el('h3', { text: c.title }),
      el('p', { class: 'muted', text: KINDS[c.kind] || c.kind }),
      c.description ? el('p', { text: c.description }) : null,
      el('p', { text: `Hỗ trợ tối đa: ${formatVnd(c.max_support_vnd)} mỗi cơ sở` }),
      el('p', { text: `Nhận hồ sơ đến ${formatDeadline(c)}` }),
      c.remaining != null ? el('p', { class: 'places', text: placesText(c) }) : null,
      full(c) ? null
        : el('button', { type: 'button', class: 'secondary', text: 'Đăng ký đợt này', 'aria-label': `Đăng ký: ${c.title}`, onclick: () => chooseCall(c.id) })));
  }
}

async function loadCalls() {
  try {
    const r = await apiFetch('/api/calls?open=1&per_page=100');
    calls = r.items;
    renderCalls();
    selectFrom('call_id', calls.filter((c) => !full(c)).map((c) => [String(c.id), `${c.title} (tối đa ${formatVnd(c.max_support_vnd)})`]), '— Chọn đợt hỗ trợ —');
    const want = new URLSearchParams(location.search).get('call');
    if (want && calls.some((c) => String(c.id) === want)) $('call_id').value = want;
  } catch (e) {
    $('calls-status').textContent = `Không tải được danh sách đợt hỗ trợ: ${e.message}`;
  }
}

async function loadUnits() {
  try {
    const r = await apiFetch('/api/units');
    selectFrom('facility-unit_code', r.items.map((u) => [u.code, u.name]), '— Chọn xã, phường —');
    $('hint-facility-unit_code').textContent = 'Nơi cơ sở hoạt động (đơn vị hành chính hiện hành).';
  } catch {
    /* the text input stays: the unit code can still be typed */
  }
}

function values() {
  const f = (id) => $(id).value;
  return {
    call_id: f('call_id'), name: f('facility-name'), tax_code: f('facility-tax_code'),
    owner_name: f('facility-owner_name'), phone: f('facility-phone'), email: f('facility-email'),
    address: f('facility-address'), unit_code: f('facility-unit_code'), kind: f('facility-kind'),
    products: ['products-1', 'products-2', 'products-3'].map(f).filter((p) => p.trim() !== ''),
    requested_vnd: f('requested_vnd'), note: f('note'),
  };
}

function showReceipt(res, v) {
  const call = calls.find((c) => String(c.id) === String(v.call_id));
  $('r-ref').textContent = res.ref_code;
  $('r-token').textContent = res.status_token;
  $('r-call').textContent = call ? call.title : `Đợt số ${v.call_id}`;
  $('r-facility').textContent = v.name.trim();
  $('r-status').href = `/status.html#ref=${encodeURIComponent(res.ref_code)}&token=${encodeURIComponent(res.status_token)}`;
  $('apply').hidden = true;
  $('calls').hidden = true;
  const rc = $('receipt');
  rc.hidden = false;
  rc.focus();
  document.title = `Đã nhận hồ sơ ${res.ref_code} — Khuyến công Hà Tĩnh`;
}

async function submit(ev) {
  ev.preventDefault();
  const v = values();
  const call = calls.find((c) => String(c.id) === String(v.call_id));
  const errors = checkApplication(v, call);
  if (Object.keys(errors).length) {
    showErrors(errors);
    return;
  }
  clearErrors();
  const facility = {
    name: v.name, owner_name: v.owner_name, phone: normalPhone(v.phone) || v.phone,
    address: v.address, unit_code: v.unit_code, kind: v.kind,
  };
  if (v.tax_code.trim()) facility.tax_code = v.tax_code.trim();
  if (v.email.trim()) facility.email = v.email.trim();
  const body = { call_id: Number(v.call_id), facility, products: v.products, requested_vnd: parseVnd(v.requested_vnd) };
  if (v.note.trim()) body.note = v.note;
  const btn = $('submit');
  btn.disabled = true;
  btn.textContent = 'Đang gửi…';
  try {
    const res = await apiFetch('/api/applications', { method: 'POST', body });
    showReceipt(res, v);
  } catch (e) {
    if (e instanceof ApiError && e.status === 422) showErrors(e.fields, e.message);
    else showErrors({}, e.message);
  } finally {
    btn.disabled = false;
    btn.textContent = 'Gửi hồ sơ';
  }
}

// The tax code's hint names the number the chosen kind of facility gives.
const taxHint = $('hint-facility-tax_code').textContent;
function kindChanged() {
  $('hint-facility-tax_code').textContent = TAX_HINTS[$('facility-kind').value] || taxHint;
}

form.noValidate = true;
form.addEventListener('submit', submit);
$('facility-kind').addEventListener('change', kindChanged);
$('r-print').addEventListener('click', () => window.print());
loadCalls();
loadUnits();
