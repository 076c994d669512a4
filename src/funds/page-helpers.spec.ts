import { isoFromInput, parseTime, penceFromInput, poundsText, dateTimeInputOf } from './page-helpers.js';

describe('page inputs for rounds and pots', () => {
  it('reads times as people type them', () => {
    expect(parseTime('17:00')).toEqual({ hour: 17, minute: 0 });
    expect(parseTime('5pm')).toEqual({ hour: 17, minute: 0 });
    expect(parseTime('5:30 PM')).toEqual({ hour: 17, minute: 30 });
    expect(parseTime('9.15am')).toEqual({ hour: 9, minute: 15 });
    expect(parseTime('12am')).toEqual({ hour: 0, minute: 0 });
    expect(parseTime('12pm')).toEqual({ hour: 12, minute: 0 });
    expect(parseTime('midday')).toEqual({ hour: 12, minute: 0 });
    for (const bad of ['17', '25:00', '13pm', '10:60', 'soon', '']) expect(parseTime(bad)).toBeNull();
  });

  it('turns date inputs into a London ISO date-time, or a field error', () => {
    expect(isoFromInput({ day: '5', month: '3', year: '2027', time: '5pm' }, 'closesAt', 'closing')).toEqual({ value: '2027-03-05T17:00' });
    expect(isoFromInput({ day: '', month: '', year: '', time: '' }, 'closesAt', 'closing').error).toMatchObject({ field: 'closesAt', code: 'FIELD.REQUIRED' });
    expect(isoFromInput({ day: '30', month: '2', year: '2027', time: '10:00' }, 'opensAt', 'opening').error).toMatchObject({ code: 'ROUND.INVALID_DATE' });
    expect(isoFromInput({ day: '1', month: '2', year: '27', time: '10:00' }, 'opensAt', 'opening').error).toMatchObject({ code: 'ROUND.INVALID_DATE' });
    expect(isoFromInput({ day: '1', month: '2', year: '2027', time: 'noonish' }, 'opensAt', 'opening').error).toMatchObject({ code: 'ROUND.INVALID_TIME' });
  });

  it('shows an instant back in the inputs, in London time', () => {
    expect(dateTimeInputOf('2027-07-01T16:00:00Z')).toEqual({ day: '1', month: '7', year: '2027', time: '17:00' });
  });

  it('takes pounds and gives pence, exactly', () => {
    expect(penceFromInput('6,000', 'maxGrant', 'the largest grant')).toEqual({ value: 600000 });
    expect(penceFromInput('£6000.50', 'maxGrant', 'the largest grant')).toEqual({ value: 600050 });
    expect(penceFromInput('6000.505', 'maxGrant', 'the largest grant').error).toMatchObject({ field: 'maxGrant', code: 'FIELD.NOT_MONEY' });
    expect(penceFromInput('', 'maxGrant', 'the largest grant').error).toMatchObject({ code: 'FIELD.REQUIRED', message: 'Enter the largest grant' });
    expect(poundsText(600050)).toBe('6,000.50');
    expect(poundsText('600000')).toBe('6,000');
  });
});
