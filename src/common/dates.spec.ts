import {
  addCalendarDays,
  addCalendarMonths,
  financialYear,
  financialYearOf,
  financialYearStarting,
  formatDate,
  formatDateTime,
  fromLondon,
  isIsoDate,
  isRealDateTime,
  lastDayOfMonths,
  londonDate,
  londonParts,
  parseLondonDateTime,
} from './dates.js';
import { FixedClock, SystemClock } from './clock.js';

describe('dates in GOV.UK style, in London time', () => {
  it('writes dates and times as GOV.UK does', () => {
    expect(formatDate('2018-03-09T17:00:00Z')).toBe('9 March 2018');
    expect(formatDateTime('2018-03-09T17:00:00Z')).toBe('9 March 2018 at 5:00pm');
    expect(formatDateTime('2018-07-09T16:30:00Z')).toBe('9 July 2018 at 5:30pm'); // BST
    expect(formatDateTime('2018-07-09T11:00:00Z')).toBe('9 July 2018 at midday');
    expect(formatDateTime('2018-01-09T00:00:00Z')).toBe('9 January 2018 at midnight');
    expect(formatDateTime(new Date('2018-01-09T09:05:00Z'))).toBe('9 January 2018 at 9:05am');
    expect(formatDate(null)).toBe('');
    expect(formatDateTime(undefined)).toBe('');
  });

  it('takes the London date, not the UTC one, either side of midnight', () => {
    expect(formatDate('2030-06-30T23:30:00Z')).toBe('1 July 2030');
    expect(londonDate(new Date('2030-06-30T23:30:00Z'))).toBe('2030-07-01');
    expect(londonDate(new Date('2030-12-31T23:30:00Z'))).toBe('2030-12-31');
  });
});

describe('clock changes', () => {
  it('reads a time in the spring gap one hour later, and a repeated autumn time as BST', () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST.
    expect(fromLondon({ year: 2026, month: 3, day: 29, hour: 0, minute: 59 }).toISOString()).toBe('2026-03-29T00:59:00.000Z');
    expect(fromLondon({ year: 2026, month: 3, day: 29, hour: 1, minute: 0 }).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(fromLondon({ year: 2026, month: 3, day: 29, hour: 2, minute: 0 }).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:00-01:59 happens twice.
    expect(fromLondon({ year: 2026, month: 10, day: 25, hour: 0, minute: 59 }).toISOString()).toBe('2026-10-24T23:59:00.000Z');
    expect(fromLondon({ year: 2026, month: 10, day: 25, hour: 1, minute: 0 }).toISOString()).toBe('2026-10-25T00:00:00.000Z');
    expect(fromLondon({ year: 2026, month: 10, day: 25, hour: 1, minute: 59 }).toISOString()).toBe('2026-10-25T00:59:00.000Z');
    expect(fromLondon({ year: 2026, month: 10, day: 25, hour: 2, minute: 0 }).toISOString()).toBe('2026-10-25T02:00:00.000Z');
  });

  it('shows both readings of the repeated hour as London parts', () => {
    expect(londonParts(new Date('2026-10-25T00:30:00Z'))).toMatchObject({ hour: 1, minute: 30 });
    expect(londonParts(new Date('2026-10-25T01:30:00Z'))).toMatchObject({ hour: 1, minute: 30 });
    expect(formatDateTime('2026-03-29T01:00:00Z')).toBe('29 March 2026 at 2:00am');
  });

  it('round-trips every quarter hour across both changes of a year', () => {
    for (const [from, to] of [
      ['2026-03-28T22:00:00Z', '2026-03-29T04:00:00Z'],
      ['2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z'],
    ]) {
      for (let ms = Date.parse(from); ms <= Date.parse(to); ms += 15 * 60_000) {
        const parts = londonParts(new Date(ms));
        const back = fromLondon(parts).getTime();
        // The second reading of the repeated hour comes back as the first; everything else exactly.
        expect([ms, ms - 3_600_000]).toContain(back);
      }
    }
  });

  it('parses London ISO date-times on the change days', () => {
    expect(parseLondonDateTime('2026-03-29T01:30')!.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(parseLondonDateTime('2026-10-25T01:30')!.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(parseLondonDateTime('2026-10-25T01:30Z')!.toISOString()).toBe('2026-10-25T01:30:00.000Z');
  });
});

describe('calendar dates', () => {
  it('knows real dates', () => {
    expect(isIsoDate('2032-02-29')).toBe(true);
    expect(isIsoDate('2031-02-29')).toBe(false);
    expect(isIsoDate('2031-04-31')).toBe(false);
    expect(isIsoDate('1899-12-31')).toBe(false);
    expect(isIsoDate('31/03/2031')).toBe(false);
    expect(isRealDateTime({ year: 2031, month: 2, day: 29, hour: 10, minute: 0 })).toBe(false);
    expect(isRealDateTime({ year: 2032, month: 2, day: 29, hour: 23, minute: 59 })).toBe(true);
  });

  it('adds months clamped to the month end, and days across month and year ends', () => {
    expect(addCalendarMonths('2031-01-31', 1)).toBe('2031-02-28');
    expect(addCalendarMonths('2032-01-31', 1)).toBe('2032-02-29');
    expect(addCalendarMonths('2031-11-30', 3)).toBe('2032-02-29');
    expect(addCalendarDays('2031-12-31', 1)).toBe('2032-01-01');
    expect(addCalendarDays('2032-03-01', -1)).toBe('2032-02-29');
    // A change of clocks is not a change of date.
    expect(addCalendarDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addCalendarDays('2026-10-25', 1)).toBe('2026-10-26');
  });

  it('gives the last day of a 12-month project', () => {
    expect(lastDayOfMonths('2031-04-01', 12)).toBe('2032-03-31');
    expect(lastDayOfMonths('2031-02-28', 12)).toBe('2032-02-27');
    expect(lastDayOfMonths('2032-02-29', 12)).toBe('2033-02-27');
    expect(lastDayOfMonths('2031-01-31', 1)).toBe('2031-02-27');
  });
});

describe('financial years', () => {
  it('runs April to March in London and is written 2017/18', () => {
    expect(financialYearOf('2018-03-31T22:59:59Z')).toBe('2017/18'); // 23:59:59 BST on 31 March
    expect(financialYearOf('2018-03-31T23:00:00Z')).toBe('2018/19'); // midnight BST on 1 April
    expect(financialYearOf(new Date('2018-01-15T12:00:00Z'))).toBe('2017/18');
    expect(financialYearOf('2099-04-01')).toBe('2099/00');
    expect(financialYearOf('2018-03-31')).toBe('2017/18');
    expect(financialYearOf('2018-04-01')).toBe('2018/19');
  });

  it('knows where a year starts and ends', () => {
    expect(financialYearStarting(2017)).toEqual({
      label: '2017/18',
      startYear: 2017,
      start: new Date('2017-03-31T23:00:00Z'),
      end: new Date('2018-03-31T23:00:00Z'),
      firstDay: '2017-04-01',
      lastDay: '2018-03-31',
    });
    expect(financialYear('2026-12-25').label).toBe('2026/27');
  });
});

describe('the clock', () => {
  it('tells the time, or stays where a test puts it', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    const fixed = new FixedClock('2027-03-05T17:00:00Z');
    expect(fixed.now().toISOString()).toBe('2027-03-05T17:00:00.000Z');
    fixed.advance(1000);
    expect(fixed.now().toISOString()).toBe('2027-03-05T17:00:01.000Z');
    fixed.now().setTime(0);
    expect(fixed.now().toISOString()).toBe('2027-03-05T17:00:01.000Z');
  });
});
