// vi-VN formats: 2.080.000.000 đ, 2,08 tỷ đồng, 27/11/2026.
const num = new Intl.NumberFormat('vi-VN');
const dec2 = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const pct = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 });

export const formatNumber = (n) => num.format(n);
export const formatVnd = (n) => `${num.format(n)} đ`;
export const formatPercent = (x) => pct.format(x);

// A short spoken form: 2,08 tỷ đồng, 350 triệu đồng.
export function formatVndShort(n) {
  if (Math.abs(n) >= 1e9) return `${dec2.format(n / 1e9)} tỷ đồng`;
  if (Math.abs(n) >= 1e6) return `${dec2.format(n / 1e6)} triệu đồng`;
  return formatVnd(n);
}

// 'YYYY-MM-DD' (or an ISO time) → '27/11/2026'.
export function formatDate(s) {
  if (!s) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : s;
}

// ISO time → '27/11/2026 14:05' in Vietnam's time zone.
export function formatDateTime(s) {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export const LEVELS = {
  commune: 'Cấp xã', district: 'Cấp huyện', province: 'Cấp tỉnh', region: 'Cấp khu vực', national: 'Cấp quốc gia',
};
