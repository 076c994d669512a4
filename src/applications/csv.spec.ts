import { csvCell, penceAsPounds, toCsv } from './csv.js';

describe('CSV export cells', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+44 113')).toBe("'+44 113");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('Leeds = good')).toBe('Leeds = good');
  });

  it('writes numbers as numbers and pence as exact pounds', () => {
    expect(csvCell(123456)).toBe('123456');
    expect(penceAsPounds(20065886)).toBe('200658.86');
    expect(penceAsPounds(500)).toBe('5.00');
    expect(penceAsPounds(7)).toBe('0.07');
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
  });
});
