/** Dates are shown in Europe/London, as GOV.UK writes them: "9 March 2018", "9 March 2018 at 5:00pm". */
const TZ = 'Europe/London';

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, day: 'numeric', month: 'long', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: 'numeric', minute: '2-digit', hour12: true });

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return '';
  return dateFormat.format(new Date(value));
}

export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  const time = timeFormat.format(d).replace(' ', '').toLowerCase();
  return `${dateFormat.format(d)} at ${time === '12:00pm' ? 'midday' : time === '12:00am' ? 'midnight' : time}`;
}

/** Financial years run April to March and are written "2017/18". */
export function financialYearOf(value: Date | string): string {
  const d = new Date(value);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, year: 'numeric', month: 'numeric' }).formatToParts(d);
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  const start = month >= 4 ? year : year - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}
