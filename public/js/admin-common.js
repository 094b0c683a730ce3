// Shared by the staff console pages: the session (who is signed in and
// the CSRF token), requests that change things (sent with X-CSRF-Token),
// the console's menu, and messages. Data goes in as text only.
import { apiFetch, ApiError, qs } from './api.js';
import { el, clear } from './dom.js';

let csrf = null;
export let me = null;

export const PAGES = [
  { href: '/admin/applications.html', label: 'Duyệt hồ sơ', roles: ['reviewer', 'auditor'] },
  { href: '/admin/outbox.html', label: 'Thông báo', roles: ['reviewer', 'auditor'] },
  { href: '/admin/calls.html', label: 'Đợt hỗ trợ', roles: ['reviewer', 'auditor'] },
  { href: '/admin/plans.html', label: 'Kế hoạch', roles: ['finance', 'auditor'] },
  { href: '/admin/activity.html', label: 'Sổ kinh phí', roles: ['finance', 'auditor'] },
  { href: '/admin/facilities.html', label: 'Cơ sở', roles: ['finance', 'reviewer', 'auditor'] },
  { href: '/admin/imports.html', label: 'Nhập danh sách', roles: ['importer', 'auditor'] },
  { href: '/admin/duplicates.html', label: 'Trùng lặp, sửa danh sách', roles: ['importer', 'auditor'] },
  { href: '/admin/users.html', label: 'Tài khoản', roles: ['auditor'] },
  { href: '/admin/audit.html', label: 'Nhật ký thay đổi', roles: ['auditor'] },
];

export { STAFF_ROLES as ROLE_NAMES } from './values.js';

export function can(roles) {
  return !!me && (me.roles.includes('admin') || roles.some((r) => me.roles.includes(r)));
}

// The current session, or null when signed out.
export async function loadSession() {
  try {
    const s = await apiFetch('/api/auth/session');
    csrf = s.csrf_token;
    me = s.user;
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function setSession(s) {
  csrf = s.csrf_token;
  me = s.user;
}

// A state-changing request with the session's CSRF token.
export function send(path, method, body) {
  return apiFetch(path, { method, body: body ?? {}, headers: { 'X-CSRF-Token': csrf || '' } });
}

// A CSV file sent to kc-imports (POST /api/admin/imports?params, with
// dry_run and the file's name) with the session's CSRF token, the page's
// two buttons (dry run, real import) disabled meanwhile and busy said:
// { res, data } (data: the JSON answer, or null), the error of a refusal
// said (its report first, by onReport, when it has one); null when the
// server was not reached (said too).
export async function sendImport(file, params, { dry, dryBtn, realBtn, busy, onReport }) {
  const query = qs({ ...params, dry_run: dry ? '1' : '0', filename: file.name.replace(/[/\\]/g, '_').slice(0, 200) });
  dryBtn.disabled = true; realBtn.disabled = true;
  message(dry ? 'Đang chạy thử…' : busy);
  let res; let data = null;
  try {
    res = await fetch(`/api/admin/imports${query}`, {
      method: 'POST', body: file, credentials: 'same-origin',
      headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': csrf || '', Accept: 'application/json' },
    });
    try { data = await res.json(); } catch { data = null; }
  } catch {
    message('Không kết nối được máy chủ.', 'error');
    return null;
  } finally { dryBtn.disabled = false; }
  if (!res.ok) {
    if (data?.report) onReport(data.report);
    showError({ status: res.status, message: data?.error?.message || `Lỗi ${res.status}`, fields: data?.error?.fields });
  }
  return { res, data };
}

export function message(text, kind = 'ok') {
  const box = document.getElementById('msg');
  clear(box);
  if (text) box.append(el('p', { class: kind === 'ok' ? 'ok-box' : 'error-box', text }));
}

// Show an API error, with the failing fields beside their inputs.
export function showError(e, form) {
  let text = e.message || 'Đã có lỗi.';
  const fields = e.fields || {};
  const parts = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
  if (parts.length) text += ` (${parts.join('; ')})`;
  message(text, 'error');
  if (form) {
    for (const input of form.querySelectorAll('[name]')) {
      input.setAttribute('aria-invalid', fields[input.name] ? 'true' : 'false');
    }
  }
  if (e.status === 401) setTimeout(() => { location.href = '/admin/'; }, 1500);
}

export async function logout() {
  try { await send('/api/auth/logout', 'POST'); } catch { /* already signed out */ }
  location.href = '/admin/';
}

function renderNav() {
  const nav = document.getElementById('admin-nav');
  clear(nav);
  if (!me) return;
  const ul = el('ul');
  ul.append(el('li', {}, el('a', { href: '/admin/', text: 'Bàn làm việc' })));
  for (const p of PAGES) {
    if (!can(p.roles)) continue;
    const a = el('a', { href: p.href, text: p.label });
    if (location.pathname === p.href) a.setAttribute('aria-current', 'page');
    ul.append(el('li', {}, a));
  }
  ul.append(el('li', {}, el('span', { text: `${me.display_name} (${me.username})` })));
  ul.append(el('li', {}, el('button', { type: 'button', class: 'secondary', text: 'Đăng xuất', onclick: logout })));
  nav.append(ul);
}

// For every page but the login page: signed in with one of roles, or back to /admin/.
export async function requireSession(roles) {
  const s = await loadSession();
  // No session, or one that may only enrol a second factor: the sign-in page.
  if (!s || s.enrol_required) { location.href = '/admin/'; return null; }
  renderNav();
  if (roles && !can(roles)) {
    message('Tài khoản của bạn không có quyền xem trang này.', 'error');
    return null;
  }
  return s;
}

export { renderNav };

// Form values as an object; empty fields left out; numeric names as numbers.
export function formValues(form, numeric = []) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) {
    if (typeof v !== 'string') continue;
    const t = v.trim();
    if (t === '') continue;
    out[k] = numeric.includes(k) ? Number(t.replace(/[.\s]/g, '')) : t;
  }
  return out;
}

export function dl(pairs) {
  const d = el('dl', { class: 'kv' });
  for (const [k, v] of pairs) d.append(el('dt', { text: k }), el('dd', { text: v ?? '' }));
  return d;
}

// «Lịch sử»: a link to the audit trail of one record (entity as the audit
// table names it, its id), for those who may read the trail; else ''.
export function historyLink(entity, id, what) {
  if (!can(['auditor'])) return '';
  const q = new URLSearchParams({ entity, entity_id: String(id) });
  return el('a', { href: `/admin/audit.html?${q}`, class: 'history', text: 'Lịch sử', 'aria-label': `Lịch sử thay đổi: ${what}` });
}
