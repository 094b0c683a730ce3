// /admin/: sign in (with the second factor when the account has one),
// enrolment of a second factor (required for admin and finance), then
// the menu of what this user may do.
import { apiFetch } from './api.js';
import { el, clear } from './dom.js';
import { loadSession, setSession, renderNav, PAGES, can, me, message, showError, send, logout, ROLE_NAMES } from './admin-common.js';

const loginBox = document.getElementById('login-box');
const menuBox = document.getElementById('menu-box');
const enrolBox = document.getElementById('enrol-box');
const recoveryBox = document.getElementById('recovery-box');
let session = null;

function only(box) {
  for (const b of [loginBox, menuBox, enrolBox, recoveryBox]) b.hidden = b !== box;
}

function showMenu() {
  only(menuBox);
  renderNav();
  const who = document.getElementById('whoami');
  who.textContent = `Xin chào ${me.display_name}. Vai trò: ${me.roles.map((r) => ROLE_NAMES[r] || r).join(', ')}.`;
  const ul = clear(document.getElementById('menu'));
  for (const p of PAGES) if (can(p.roles)) ul.append(el('li', {}, el('a', { href: p.href, text: p.label })));
  document.getElementById('enrol-offer').hidden = !!session?.two_factor;
}

// The QR code's modules ({size, rows of '0'/'1'}) as an SVG drawn with DOM methods.
function qrSvg(qr) {
  const NS = 'http://www.w3.org/2000/svg';
  const q = 4; // quiet zone
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${qr.size + 2 * q} ${qr.size + 2 * q}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Mã QR để quét bằng ứng dụng xác thực');
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = document.createElementNS(NS, 'rect');
  for (const [k, v] of [['width', '100%'], ['height', '100%'], ['fill', '#fff']]) bg.setAttribute(k, v);
  let d = '';
  qr.rows.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) if (row[x] === '1') d += `M${x + q} ${y + q}h1v1h-1z`;
  });
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}

async function startEnrol() {
  only(enrolBox);
  message('');
  document.getElementById('enrol-why').textContent = session?.enrol_required
    ? 'Vai trò của tài khoản này (quản trị, tài chính) bắt buộc xác thực hai bước. Hoàn tất bước này trước khi làm việc.'
    : 'Sau khi bật, mỗi lần đăng nhập cần thêm mã 6 chữ số trong ứng dụng.';
  try {
    const s = await send('/api/auth/2fa/setup', 'POST');
    clear(document.getElementById('enrol-qr')).append(qrSvg(s.qr));
    document.getElementById('enrol-secret').textContent = s.secret.replace(/(.{4})(?=.)/g, '$1 ');
    document.getElementById('enrol-title').focus();
  } catch (e) { showError(e); }
}

document.getElementById('enrol-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  message('');
  try {
    const r = await send('/api/auth/2fa/confirm', 'POST', { code: f.code.value.trim() });
    f.code.value = '';
    session = { ...session, two_factor: true, enrol_required: false };
    const ol = clear(document.getElementById('recovery-codes'));
    for (const c of r.recovery_codes) ol.append(el('li', { text: c }));
    only(recoveryBox);
    document.getElementById('recovery-title').focus();
  } catch (e) {
    showError(e, f);
    f.code.focus();
  }
});

document.getElementById('recovery-done').addEventListener('click', () => {
  clear(document.getElementById('recovery-codes'));
  message('Đã bật xác thực hai bước.');
  showMenu();
});
document.getElementById('enrol-start').addEventListener('click', startEnrol);
document.getElementById('enrol-logout').addEventListener('click', logout);

// What was typed in the code field: six digits are a one-time code, anything else a recovery code.
function secondFactor(v) {
  const t = v.trim();
  if (t === '') return {};
  return /^[0-9 ]+$/.test(t) ? { otp: t.replace(/ /g, '') } : { recovery_code: t };
}

document.getElementById('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  message('');
  try {
    const s = await apiFetch('/api/auth/login', { method: 'POST', body: { username: f.username.value.trim(), password: f.password.value, ...secondFactor(f.otp.value) } });
    f.password.value = '';
    f.otp.value = '';
    setSession(s);
    session = s;
    if (s.enrol_required) startEnrol(); else showMenu();
  } catch (e) {
    f.otp.value = '';
    if (e.code === 'second_factor_required' || e.code === 'second_factor_invalid') {
      message(e.message, 'error');
      f.otp.setAttribute('aria-invalid', 'true');
      f.otp.focus();
      return;
    }
    f.password.value = '';
    showError(e, f);
    f.password.focus();
  }
});

(async () => {
  try {
    session = await loadSession();
    if (session && session.enrol_required) startEnrol();
    else if (session) showMenu();
    else { loginBox.hidden = false; document.getElementById('username').focus(); }
  } catch (e) { showError(e); loginBox.hidden = false; }
})();
