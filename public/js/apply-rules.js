// The application form's rules, mirroring the server's (cgi/lib/valid.c,
// cgi/register.c) so that a person sees a mistake before sending; the
// server checks everything again.
import { vnYear } from './format.js';
// The call kinds and application statuses, from the one list.
export { CALL_KINDS as KINDS, APP_STATUSES as STATUSES } from './values.js';

// Tax code (cgi/lib/valid.c, the same messages): 10 digits, or 10 + '-'
// + 3 for a branch, the 10th digit being 10 - (sum of the first nine
// weighted 31 29 23 19 17 13 7 5 3) mod 11; or a household's 12-digit
// personal identification number (số CCCD): province-of-birth code (3
// digits), century-and-sex digit (0/1: born 1900s, 2/3: 2000s, 4/5:
// 2100s, ...), the birth year's last two digits, not after this year.
// The province code is checked by the server only (its list is kept in
// one place, cgi/lib/idcode.c); its refusal is shown beside the field.
export const TAX_MESSAGES = {
  length: 'Sai độ dài: doanh nghiệp, hợp tác xã nhập mã số thuế 10 chữ số (chi nhánh: 10 chữ số, dấu - và 3 chữ số); hộ kinh doanh nhập số định danh cá nhân (số CCCD) 12 chữ số của người đại diện',
  chars: 'Chỉ nhập chữ số: mã số thuế 10 chữ số (chi nhánh: 10 chữ số, dấu - và 3 chữ số) hoặc số định danh cá nhân (số CCCD) 12 chữ số',
  check: 'Mã số thuế không hợp lệ: chữ số thứ 10 (chữ số kiểm tra) không khớp với 9 chữ số đầu; hãy xem lại từng chữ số',
  century: 'Số định danh cá nhân không hợp lệ: chữ số thứ 4 (mã thế kỷ và giới tính) chỉ dùng cho người sinh từ năm 2100 trở đi; người sinh 1900-1999 có 0 hoặc 1, sinh từ 2000 có 2 hoặc 3',
  future: 'Số định danh cá nhân không hợp lệ: năm sinh (chữ số thứ 4 đến 6) ở sau năm nay',
};

// The message for a refused tax code, or null when it may be sent.
export function taxCodeError(s, year = vnYear()) {
  const t = s.replace(/^ +| +$/g, '');
  if (/[^\d-]/.test(t)) return TAX_MESSAGES.chars;
  if (![10, 12, 14].includes(t.length)) return TAX_MESSAGES.length;
  if (!/^\d{10}(-\d{3})?$|^\d{12}$/.test(t)) return TAX_MESSAGES.chars;
  if (t.length === 12) {
    const century = 1900 + Math.floor(Number(t[3]) / 2) * 100;
    if (century > year) return TAX_MESSAGES.century;
    if (century + Number(t.slice(4, 6)) > year) return TAX_MESSAGES.future;
    return null;
  }
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(t[i]) * w[i];
  const c = 10 - (sum % 11);
  return c <= 9 && c === Number(t[9]) ? null : TAX_MESSAGES.check;
}

// Which number a facility of each kind gives (the form's hint).
export const TAX_HINTS = {
  household: 'Hộ kinh doanh, hộ gia đình: số định danh cá nhân (số CCCD, 12 chữ số) của người đại diện; số này chỉ cán bộ Sở Công Thương xem được. Bỏ trống nếu chưa có.',
  cooperative: 'Hợp tác xã: mã số thuế 10 chữ số (chi nhánh: 10 chữ số, dấu gạch và 3 chữ số). Bỏ trống nếu chưa có.',
  enterprise: 'Doanh nghiệp: mã số thuế 10 chữ số (chi nhánh: 10 chữ số, dấu gạch và 3 chữ số, ví dụ 0100109106-001). Bỏ trống nếu chưa có.',
};

// Phone: '0912 345 678', '+84 912345678', '84912345678' → '0912345678';
// null when it is not a Vietnamese mobile (10 digits) or landline (11).
export function normalPhone(s) {
  let t = s.trim();
  const plus = t.startsWith('+');
  if (plus) t = t.slice(1);
  if (!/^[\d .()-]+$/.test(t)) return null;
  let d = t.replace(/[ .()-]/g, '');
  if (plus && !d.startsWith('84')) return null;
  if (d.startsWith('0084')) d = `0${d.slice(4)}`;
  else if (d.startsWith('84') && (d.length === 11 || d.length === 12)) d = `0${d.slice(2)}`;
  else if (plus) return null;
  if (d.startsWith('00')) return null;
  if (/^0[35789]\d{8}$/.test(d) || /^02\d{9}$/.test(d)) return d;
  return null;
}

export function validEmail(s) {
  return s.length <= 254 && /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/.test(s)
    && s.indexOf('@') <= 64;
}

// '10.000.000' or '10 000 000' → 10000000; NaN when not a whole number.
export function parseVnd(s) {
  const t = s.trim().replace(/[.\s,]/g, '');
  return /^\d{1,13}$/.test(t) ? Number(t) : NaN;
}

const chars = (s) => [...s].length;

// Check the values (keys as the server names them); returns {key: message}.
export function checkApplication(v, call) {
  const e = {};
  const text = (key, value, { required = false, min = 0, max }) => {
    const s = (value || '').trim().replace(/\s+/g, ' ');
    if (!s) { if (required) e[key] = 'Bắt buộc'; return; }
    if (/[<>]/.test(s)) e[key] = 'Không được chứa ký tự < hoặc >';
    else if (chars(s) < min) e[key] = `Quá ngắn (tối thiểu ${min} ký tự)`;
    else if (chars(s) > max) e[key] = `Quá dài (tối đa ${max} ký tự)`;
  };
  if (!v.call_id) e.call_id = 'Chọn một đợt hỗ trợ';
  text('facility.name', v.name, { required: true, min: 2, max: 255 });
  if (v.tax_code.trim()) {
    const why = taxCodeError(v.tax_code);
    if (why) e['facility.tax_code'] = why;
  }
  text('facility.owner_name', v.owner_name, { required: true, min: 2, max: 120 });
  if (!v.phone.trim()) e['facility.phone'] = 'Bắt buộc';
  else if (!normalPhone(v.phone)) e['facility.phone'] = 'Số điện thoại không hợp lệ (ví dụ 0912 345 678 hoặc +84 912 345 678)';
  if (v.email.trim() && !validEmail(v.email.trim())) e['facility.email'] = 'Địa chỉ e-mail không hợp lệ (ví dụ ten@gmail.com)';
  text('facility.address', v.address, { required: true, min: 5, max: 500 });
  if (!v.unit_code.trim()) e['facility.unit_code'] = 'Bắt buộc';
  if (!v.kind) e['facility.kind'] = 'Bắt buộc';
  v.products.forEach((p, i) => {
    if (chars(p.trim()) > 200) e.products = `Mục ${i + 1}: Quá dài (tối đa 200 ký tự)`;
    else if (/[<>]/.test(p)) e.products = `Mục ${i + 1}: không được chứa ký tự < hoặc >`;
  });
  const n = parseVnd(v.requested_vnd);
  if (!v.requested_vnd.trim()) e.requested_vnd = 'Bắt buộc';
  else if (Number.isNaN(n)) e.requested_vnd = 'Phải là một số nguyên (chỉ nhập chữ số)';
  else if (n < 1) e.requested_vnd = 'Phải lớn hơn 0';
  else if (call && n > call.max_support_vnd) {
    e.requested_vnd = `Vượt mức hỗ trợ tối đa của đợt này (${new Intl.NumberFormat('vi-VN').format(call.max_support_vnd)} đ)`;
  }
  text('note', v.note, { max: 2000 });
  return e;
}
