import { cellText, readDate, readPostcode, readPounds, splitList } from './import-values.js';

describe('readPounds', () => {
  it.each([
    ['£6,123.00', 612300],
    ['6123', 612300],
    ['6,123.5', 612350],
    [' £1,000 ', 100000],
    ['£28,911.50', 2891150],
    ['0.07', 7],
    ['1234567.89', 123456789],
    ['£ 250', 25000],
  ])('reads %p as %p pence', (input, pence) => {
    expect(readPounds(input)).toBe(pence);
  });

  it.each(['', '£', 'abc', '6,12', '6,1234', '1.234', '-5', '£-5', '12,,000', '1e3', '6 123', '0x10', '£6,123.00p'])('refuses %p', (input) => {
    expect(readPounds(input)).toBeNull();
  });

  it('reads large amounts exactly, without a float', () => {
    expect(readPounds('90,071,992,547,409.91')).toBeNull();
    expect(readPounds('9,999,999,999.99')).toBe(999999999999);
  });
});

describe('readDate', () => {
  it.each([
    ['2017-11-03', '2017-11-03'],
    ['03/11/2017', '2017-11-03'],
    ['3/1/2018', '2018-01-03'],
    [' 29/02/2016 ', '2016-02-29'],
  ])('reads %p as %p', (input, iso) => {
    expect(readDate(input)).toBe(iso);
  });

  it.each(['', '31/02/2017', '2017-13-01', '11/3/17', '2017/11/03', 'yesterday', '29/02/2017'])('refuses %p', (input) => {
    expect(readDate(input)).toBeNull();
  });
});

describe('cellText', () => {
  it('gives a spreadsheet number its shortest decimal form and a date its calendar day', () => {
    expect(cellText(6123.5)).toBe('6123.5');
    expect(cellText(new Date(Date.UTC(2017, 10, 3)))).toBe('2017-11-03');
    expect(cellText({ richText: [{ text: 'Leeds ' }, { text: 'Trust' }] })).toBe('Leeds Trust');
    expect(cellText({ formula: 'A1', result: 12 })).toBe('12');
    expect(cellText(null)).toBe('');
  });
});

describe('splitList and readPostcode', () => {
  it('splits priorities on semicolons', () => {
    expect(splitList(' a ;b;; c ')).toEqual(['a', 'b', 'c']);
  });
  it('normalises postcodes', () => {
    expect(readPostcode('ls119rt')).toBe('LS11 9RT');
    expect(readPostcode('BD8 8BD')).toBe('BD8 8BD');
    expect(readPostcode('nope')).toBeNull();
  });
});
