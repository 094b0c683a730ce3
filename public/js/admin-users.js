// /admin/users.html: staff accounts (admin changes, auditors read).
import { apiFetch } from './api.js';
import { el, clear, table } from './dom.js';
import { formatDateTime } from './format.js';
import { requireSession, send, message, showError, can, ROLE_NAMES, me } from './admin-common.js';

async function load() {
  const data = await apiFetch('/api/admin/users');
  const admin = can(['admin']);
  clear(document.getElementById('users')).append(table([
    { label: 'Tên đăng nhập', value: (u) => u.username },
    { label: 'Họ tên', value: (u) => u.display_name },
    { label: 'Vai trò', value: (u) => u.roles.map((r) => ROLE_NAMES[r] || r).join(', ') },
    { label: 'Trạng thái', value: (u) => (u.disabled ? 'Đã khoá' : 'Đang dùng') },
    { label: 'Đăng nhập gần nhất', value: (u) => u.last_login_at || '', render: (u) => formatDateTime(u.last_login_at) },
    { label: 'Thao tác', value: () => '', render: (u) => (admin && u.id !== me.id ? el('button', {
      type: 'button', class: 'secondary', text: u.disabled ? `Mở khoá ${u.username}` : `Khoá ${u.username}`,
      onclick: async () => {
        try { await send(`/api/admin/users/${u.id}`, 'PATCH', { disabled: !u.disabled }); message(`Đã cập nhật ${u.username}.`); await load(); } catch (e) { showError(e); }
      },
    }) : '') },
  ], data.items, { caption: `${data.total} tài khoản` }));
}

const form = document.getElementById('user-form');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const roles = [...form.querySelectorAll('input[name=roles]:checked')].map((x) => x.value);
  try {
    const u = await send('/api/admin/users', 'POST', { username: form.username.value.trim(), display_name: form.display_name.value.trim(), password: form.password.value, roles });
    form.reset();
    message(`Đã thêm tài khoản ${u.username}.`);
    await load();
  } catch (e) { form.password.value = ''; showError(e, form); }
});

(async () => {
  if (!(await requireSession(['auditor']))) return;
  form.hidden = !can(['admin']);
  form.previousElementSibling.hidden = !can(['admin']);
  try { await load(); } catch (e) { showError(e); }
})();
