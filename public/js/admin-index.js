// /admin/: sign in, then the menu of what this user may do.
import { apiFetch } from './api.js';
import { el, clear } from './dom.js';
import { loadSession, setSession, renderNav, PAGES, can, me, message, showError, ROLE_NAMES } from './admin-common.js';

const loginBox = document.getElementById('login-box');
const menuBox = document.getElementById('menu-box');

function showMenu() {
  loginBox.hidden = true;
  menuBox.hidden = false;
  renderNav();
  const who = document.getElementById('whoami');
  who.textContent = `Xin chào ${me.display_name}. Vai trò: ${me.roles.map((r) => ROLE_NAMES[r] || r).join(', ')}.`;
  const ul = clear(document.getElementById('menu'));
  for (const p of PAGES) if (can(p.roles)) ul.append(el('li', {}, el('a', { href: p.href, text: p.label })));
}

document.getElementById('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  message('');
  try {
    const s = await apiFetch('/api/auth/login', { method: 'POST', body: { username: f.username.value.trim(), password: f.password.value } });
    f.password.value = '';
    setSession(s);
    showMenu();
  } catch (e) {
    f.password.value = '';
    showError(e, f);
    f.password.focus();
  }
});

(async () => {
  try {
    if (await loadSession()) showMenu();
    else { loginBox.hidden = false; document.getElementById('username').focus(); }
  } catch (e) { showError(e); loginBox.hidden = false; }
})();
