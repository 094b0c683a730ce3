// receipt.html#ref=..&token=..: a receipt from its address (kept for
// addresses saved before a plain form post got its receipt as a page from
// the server). The codes travel in the fragment, which browsers never
// send to a server.
const $ = (id) => document.getElementById(id);
const h = new URLSearchParams(location.hash.slice(1));
const ref = h.get('ref') || '';
const token = h.get('token') || '';
if (/^KC-\d{4}-\d{6,}$/.test(ref) && /^[A-Za-z0-9_-]{20,}$/.test(token)) {
  $('r-ref').textContent = ref;
  $('r-token').textContent = token;
  $('codes').hidden = false;
  $('r-print').hidden = false;
  $('r-print').addEventListener('click', () => window.print());
  $('r-status').href = `/status.html#ref=${encodeURIComponent(ref)}&token=${encodeURIComponent(token)}`;
  document.title = `Phiếu nhận hồ sơ ${ref} — Khuyến công Hà Tĩnh`;
} else {
  $('r-missing').hidden = false;
}
