// status.html: reference code + token → the application's status and
// history. The token goes in the X-Status-Token header, never in a URL
// sent to the server; a link from the receipt carries both in the fragment.
// Without JavaScript the same form posts both fields to
// /api/applications/status, which answers with a page (with the answer
// and withdraw forms). With it, the applicant answers a request for
// information (text and up to three files, multipart), downloads the
// files sent and withdraws, the token again in the request, never a URL.
import { apiFetch } from './api.js';
import { el, clear } from './dom.js';
import { formatDateTime, formatVnd } from './format.js';
import { KINDS, STATUSES } from './apply-rules.js';

const $ = (id) => document.getElementById(id);
let cur = null; // { ref, token } of the application shown

// A file sent with an answer, fetched with the token and saved.
async function download(f) {
  const res = await fetch(`/api/applications/${encodeURIComponent(cur.ref)}/files/${f.id}`, { headers: { 'X-Status-Token': cur.token } });
  if (!res.ok) { stepError({ message: 'Không tải được tệp.' }); return; }
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: f.name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function stepError(e) {
  const err = $('step-error');
  const fields = Object.values(e.fields || {});
  err.textContent = [e.message, ...fields].join(' ');
  err.hidden = false;
  err.focus();
}

function showSteps(a) {
  const may = new Set(a.actions || []);
  $('s-req-box').hidden = !may.has('answer');
  $('s-request').textContent = a.request || '';
  $('withdraw-form').hidden = !may.has('withdraw');
  const ul = clear($('s-files'));
  for (const f of a.files || []) {
    ul.append(el('li', {}, el('button', { type: 'button', class: 'secondary', text: `Tải ${f.name}`, onclick: () => download(f) })));
  }
  $('s-files-box').hidden = !(a.files || []).length;
}

async function step(action, body) {
  $('step-error').hidden = true;
  try {
    show(await apiFetch(`/api/applications/${encodeURIComponent(cur.ref)}/${action}`, { method: 'POST', body }));
  } catch (e) { stepError(e); }
}

$('answer-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const fd = new FormData(ev.target);
  fd.append('token', cur.token);
  step('answer', fd);
});
$('withdraw-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (!ev.target.elements.confirm.checked) { stepError({ message: 'Đánh dấu xác nhận rút hồ sơ.' }); return; }
  step('withdraw', { token: cur.token, confirm: true });
});

function show(a) {
  $('s-status').textContent = STATUSES[a.status] || a.status;
  $('s-facility').textContent = a.facility.name;
  $('s-call').textContent = `${a.call.title} (${KINDS[a.call.kind] || a.call.kind})`;
  $('s-requested').textContent = formatVnd(a.requested_vnd);
  $('s-approved').textContent = a.approved_vnd == null ? 'Chưa có' : formatVnd(a.approved_vnd);
  $('s-created').textContent = formatDateTime(a.created_at);
  const ol = clear($('s-history'));
  for (const h of a.history) {
    ol.append(el('li', {},
      el('strong', { text: STATUSES[h.status] || h.status }), ` — ${formatDateTime(h.at)}`,
      h.amount_vnd != null ? el('div', { text: `Số tiền: ${formatVnd(h.amount_vnd)}` }) : null,
      h.reason ? el('div', { text: `Lý do: ${h.reason}` }) : null));
  }
  showSteps(a);
  $('result-title').textContent = `Hồ sơ ${a.ref_code}`;
  const r = $('result');
  r.hidden = false;
  r.focus();
}

async function lookup(ev) {
  if (ev) ev.preventDefault();
  const ref = $('ref').value.trim().toUpperCase();
  const token = $('token').value.trim();
  const err = $('status-error');
  err.hidden = true;
  $('result').hidden = true;
  if (!ref || !token) {
    err.textContent = 'Vui lòng nhập cả mã hồ sơ và mã tra cứu.';
    err.hidden = false;
    err.focus();
    return;
  }
  cur = { ref, token };
  try {
    show(await apiFetch(`/api/applications/${encodeURIComponent(ref)}`, { headers: { 'X-Status-Token': token } }));
  } catch (e) {
    err.textContent = e.status === 404 ? 'Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Vui lòng kiểm tra lại.' : e.message;
    err.hidden = false;
    err.focus();
  }
}

$('status-form').addEventListener('submit', lookup);
const h = new URLSearchParams(location.hash.slice(1));
if (h.get('ref')) $('ref').value = h.get('ref');
if (h.get('token')) $('token').value = h.get('token');
if (h.get('ref') && h.get('token')) lookup();
