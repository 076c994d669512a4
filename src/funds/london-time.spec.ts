import { fromLondon, londonParts, parseRoundDateTime } from './london-time.js';

describe('London time for round dates', () => {
  it('reads a winter time without offset as GMT', () => {
    expect(parseRoundDateTime('2027-03-05T17:00')!.toISOString()).toBe('2027-03-05T17:00:00.000Z');
  });

  it('reads a summer time without offset as BST', () => {
    expect(parseRoundDateTime('2027-07-01T12:00:00')!.toISOString()).toBe('2027-07-01T11:00:00.000Z');
  });

  it('takes an explicit offset as given', () => {
    expect(parseRoundDateTime('2027-07-01T12:00:00Z')!.toISOString()).toBe('2027-07-01T12:00:00.000Z');
    expect(parseRoundDateTime('2027-07-01T12:00:00+02:00')!.toISOString()).toBe('2027-07-01T10:00:00.000Z');
    expect(parseRoundDateTime('2027-07-01T12:00:00.250-05:30')!.toISOString()).toBe('2027-07-01T17:30:00.250Z');
  });

  it('handles the clock changes', () => {
    // 30 March 2025: 01:00 GMT becomes 02:00 BST, so 01:30 does not exist and is read as 02:30 BST.
    expect(fromLondon({ year: 2025, month: 3, day: 30, hour: 1, minute: 30 }).toISOString()).toBe('2025-03-30T01:30:00.000Z');
    expect(fromLondon({ year: 2025, month: 3, day: 30, hour: 0, minute: 30 }).toISOString()).toBe('2025-03-30T00:30:00.000Z');
    expect(fromLondon({ year: 2025, month: 3, day: 30, hour: 3, minute: 0 }).toISOString()).toBe('2025-03-30T02:00:00.000Z');
    // 26 October 2025: 01:30 happens twice; the first (BST) is used.
    expect(fromLondon({ year: 2025, month: 10, day: 26, hour: 1, minute: 30 }).toISOString()).toBe('2025-10-26T00:30:00.000Z');
    expect(fromLondon({ year: 2025, month: 10, day: 26, hour: 2, minute: 30 }).toISOString()).toBe('2025-10-26T02:30:00.000Z');
  });

  it('refuses what is not a real ISO date-time', () => {
    for (const bad of ['', 'tomorrow', '2027-02-30T10:00', '2027-13-01T10:00', '2027-01-01', '2027-01-01T24:00', '2027-01-01T10:60', '2027-01-01T10:00+15:00', 42, null, '2027-01-01T10:00:00Zjunk']) {
      expect(parseRoundDateTime(bad)).toBeNull();
    }
  });

  it('shows an instant as London wall-clock parts', () => {
    expect(londonParts(new Date('2027-07-01T11:00:00Z'))).toMatchObject({ year: 2027, month: 7, day: 1, hour: 12, minute: 0 });
    expect(londonParts(new Date('2027-01-01T00:00:00Z'))).toMatchObject({ year: 2027, month: 1, day: 1, hour: 0, minute: 0 });
  });
});
