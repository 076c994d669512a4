import { checkSchedule, DEFAULT_RETURN_SCHEDULE, periodLabel, returnsOwed } from './return-rules.js';

describe('return schedules', () => {
  it('accepts increasing months with one final return, last', () => {
    expect(checkSchedule([...DEFAULT_RETURN_SCHEDULE])).toEqual(DEFAULT_RETURN_SCHEDULE);
    expect(checkSchedule([{ monthsAfterStart: 3, final: false }, { monthsAfterStart: 9, final: false }, { monthsAfterStart: 24, final: true }])).toHaveLength(3);
  });

  it.each([
    ['no returns', [], 'returns'],
    ['no final', [{ monthsAfterStart: 6, final: false }], 'returns'],
    ['two finals', [{ monthsAfterStart: 6, final: true }, { monthsAfterStart: 12, final: true }], 'returns'],
    ['final not last', [{ monthsAfterStart: 6, final: true }, { monthsAfterStart: 12, final: false }], 'returns'],
    ['months not increasing', [{ monthsAfterStart: 6, final: false }, { monthsAfterStart: 6, final: true }], 'returns.1.monthsAfterStart'],
    ['months not whole', [{ monthsAfterStart: 6.5, final: true }], 'returns.0.monthsAfterStart'],
    ['months zero', [{ monthsAfterStart: 0, final: true }], 'returns.0.monthsAfterStart'],
    ['final missing', [{ monthsAfterStart: 6 }], 'returns.0.final'],
  ])('refuses %s (422, naming the field)', (_name, input, field) => {
    let error: { status?: number; errors?: { field: string }[] } = {};
    try {
      checkSchedule(input);
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.status).toBe(422);
    expect(error.errors?.map((e) => e.field)).toContain(field);
  });

  it('names periods in words and dates returns in calendar months from the start, clamped to the month’s end', () => {
    expect(periodLabel(6)).toBe('Six-month return');
    expect(periodLabel(24)).toBe('Twenty-four-month return');
    expect(returnsOwed(DEFAULT_RETURN_SCHEDULE, '2027-08-31')).toEqual([
      { number: 1, periodLabel: 'Six-month return', dueOn: '2028-02-29', final: false, monthsAfterStart: 6 },
      { number: 2, periodLabel: 'Twelve-month return', dueOn: '2028-08-31', final: true, monthsAfterStart: 12 },
    ]);
  });
});
