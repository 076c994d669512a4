/**
 * Money is integer pence everywhere. These helpers are the only place pence meet pounds.
 * PostgreSQL bigint arrives as a string from node-postgres: parsePence takes that on purpose.
 */
export type Pence = number;

export function parsePence(value: string | number | bigint | null | undefined): Pence {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`Not a whole number of pence: ${String(value)}`);
  return n;
}

/** "£36,343" for whole pounds, "£200,658.86" otherwise; negative as "-£5". The one way money is written. */
export function formatPence(value: Pence | string | bigint): string {
  const pence = BigInt(typeof value === 'number' ? Math.trunc(value) : value);
  const negative = pence < 0n;
  const abs = negative ? -pence : pence;
  const pounds = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = abs % 100n;
  return `${negative ? '-' : ''}£${pounds}${rest !== 0n ? '.' + rest.toString().padStart(2, '0') : ''}`;
}

/** Pence as pounds with two decimals, exactly ("1234.50"), for spreadsheets and form fields. */
export function penceAsPounds(pence: Pence): string {
  const abs = Math.abs(pence);
  return `${pence < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses what a person types ("£1,250.50", "1250.5", "1250") into pence, exactly (no floats).
 * Returns null when it is not an amount of money.
 */
export function poundsToPence(input: string): Pence | null {
  const cleaned = input.trim().replace(/^£/, '').replace(/,/g, '');
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const pence = Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  return Number.isSafeInteger(pence) ? pence : null;
}
