import { conditionFromText, dateFromText, instalmentsFromRows, scheduleRows } from './finance-page-input.js';

describe('finance page input', () => {
  it('reads dates as people type them', () => {
    expect(dateFromText('2027-05-01')).toBe('2027-05-01');
    expect(dateFromText('1/5/2027')).toBe('2027-05-01');
    expect(dateFromText(' 31 12 2027 ')).toBe('2027-12-31');
    expect(dateFromText('31/2/2027')).toBeNull();
    expect(dateFromText('soon')).toBeNull();
  });

  it('reads conditions back from their words', () => {
    expect(conditionFromText('Monitoring return 2 accepted')).toEqual({ kind: 'return_accepted', returnNumber: 2 });
    expect(conditionFromText('A safeguarding policy')).toEqual({ kind: 'offer_condition', text: 'A safeguarding policy' });
    expect(conditionFromText('  ')).toBeNull();
  });

  it('turns the form rows into instalments, dropping empty rows and naming bad inputs', () => {
    const rows = scheduleRows({ dueOn_0: '1/5/2027', amount_0: '£1,000.50', id_0: 'x', dueOn_1: '', amount_1: '', dueOn_2: 'never', amount_2: 'lots' });
    const { instalments, errors } = instalmentsFromRows(rows);
    expect(instalments[0]).toEqual({ id: 'x', dueOn: '2027-05-01', amountPence: 100050, condition: null });
    expect(instalments).toHaveLength(2);
    expect(errors.map((e) => e.field)).toEqual(['dueOn_2', 'amount_2']);
  });
});
