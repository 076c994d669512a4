import { formatPence, parsePence, penceAsPounds, poundsToPence } from './money.js';

describe('money', () => {
  it('formats pence as people read it', () => {
    expect(formatPence(3634300)).toBe('£36,343');
    expect(formatPence(20065886)).toBe('£200,658.86');
    expect(formatPence(-500)).toBe('-£5');
    expect(formatPence('377169794')).toBe('£3,771,697.94');
  });

  it('writes pence as exact pounds for forms and spreadsheets', () => {
    expect(penceAsPounds(20065886)).toBe('200658.86');
    expect(penceAsPounds(7)).toBe('0.07');
    expect(penceAsPounds(-150)).toBe('-1.50');
    expect(penceAsPounds(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('reads what people type without floating point', () => {
    expect(poundsToPence('£1,250.50')).toBe(125050);
    expect(poundsToPence('0.1')).toBe(10);
    expect(poundsToPence('6000')).toBe(600000);
    for (const bad of ['', '1.234', '-5', 'abc', '1e3', '£', '12,34.5.6']) expect(poundsToPence(bad)).toBeNull();
  });

  it('parses bigint strings from PostgreSQL on purpose', () => {
    expect(parsePence('20065886')).toBe(20065886);
    expect(parsePence(null)).toBe(0);
    expect(() => parsePence('1.5')).toThrow();
    expect(() => parsePence('99999999999999999999')).toThrow();
  });
});
