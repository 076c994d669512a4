/**
 * Round dates are entered and shown in Europe/London. An ISO 8601 date-time with an offset ("Z",
 * "+01:00") is taken as given; one without is London wall-clock time (GMT or BST as it falls).
 */
const TZ = 'Europe/London';

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

export interface LondonParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The London wall-clock reading of an instant. */
export function londonParts(date: Date): LondonParts & { second: number } {
  const parts = partsFormat.formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** London's offset from UTC at an instant, in ms (0 in winter, 3,600,000 in summer). */
function offsetAt(ms: number): number {
  const p = londonParts(new Date(ms));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** True when the numbers make a real calendar date and clock time. */
export function isRealDateTime(p: LondonParts): boolean {
  return (
    Number.isInteger(p.year) && p.year >= 1900 && p.year <= 9999 &&
    Number.isInteger(p.month) && p.month >= 1 && p.month <= 12 &&
    Number.isInteger(p.day) && p.day >= 1 && p.day <= daysIn(p.year, p.month) &&
    Number.isInteger(p.hour) && p.hour >= 0 && p.hour <= 23 &&
    Number.isInteger(p.minute) && p.minute >= 0 && p.minute <= 59
  );
}

/**
 * The instant of a London wall-clock time. In the spring-forward gap (01:00–02:00 on the last
 * Sunday of March) the time does not exist and is read one hour later; in the autumn overlap the
 * earlier (BST) reading is used.
 */
export function fromLondon(p: LondonParts): Date {
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  const before = offsetAt(asUtc - 3 * 3_600_000);
  const after = offsetAt(asUtc + 3 * 3_600_000);
  const valid = [asUtc - before, asUtc - after].filter((t) => offsetAt(t) === asUtc - t).sort((a, b) => a - b);
  return new Date(valid[0] ?? asUtc - before);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO 8601 date-time (London time when it has no offset); null when it is not one. */
export function parseRoundDateTime(input: unknown): Date | null {
  if (typeof input !== 'string' || input.length > 40) return null;
  const m = ISO.exec(input.trim());
  if (!m) return null;
  const parts = { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5] };
  const seconds = m[6] ? +m[6] : 0;
  if (!isRealDateTime(parts) || seconds > 59) return null;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (m[8]) {
    const zone = m[8].toUpperCase();
    let offsetMinutes = 0;
    if (zone !== 'Z') {
      const digits = zone.replace(':', '');
      const hours = Number(digits.slice(1, 3));
      const minutes = Number(digits.slice(3, 5));
      if (hours > 14 || minutes > 59) return null;
      offsetMinutes = (digits[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
    }
    return new Date(Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, seconds, millis) - offsetMinutes * 60_000);
  }
  return new Date(fromLondon(parts).getTime() + seconds * 1000 + millis);
}
