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

// Dates and times are shown as they are in Hà Tĩnh (Asia/Ho_Chi_Minh, UTC+7),
// whatever the browser's own time zone.
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
// Read part by part: a locale's own order (en-CA's changed between ICU
// versions: Debian 12's Node.js 18 writes 12/6/2026) is never relied on.
const ymd = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const hms = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

// The day in Vietnam of an instant (default now), 'YYYY-MM-DD'.
export const vnDay = (d = new Date()) => {
  const p = Object.fromEntries(ymd.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
};
// The current year in Vietnam.
export const vnYear = () => Number(vnDay().slice(0, 4));

// 'YYYY-MM-DD' → '27/11/2026'; an ISO time → its day in Vietnam.
export function formatDate(s) {
  if (!s) return '';
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const d = new Date(s);
    if (!Number.isNaN(d.getTime())) s = vnDay(d);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : s;
}

// ISO time → '27/11/2026 14:05' in Vietnam's time zone.
export function formatDateTime(s) {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return dateTime.format(d);
}

// A call's end as a person reads it: 'hết ngày 30/11/2026' when it ends at
// a midnight in Vietnam (the call's last day is closes_on), else the time.
export function formatDeadline(call) {
  const d = new Date(call.closes_at);
  if (Number.isNaN(d.getTime())) return call.closes_at || '';
  if (call.closes_on && hms.format(d) === '00:00:00') return `hết ngày ${formatDate(call.closes_on)}`;
  return formatDateTime(call.closes_at);
}

// Award levels, from the one list.
export { AWARD_LEVELS as LEVELS } from './values.js';
