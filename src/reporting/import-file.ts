import ExcelJS from 'exceljs';
import { DomainError } from '../common/errors.js';
import { cellText } from './import-values.js';

/** The columns of a file of past awards, exactly as API.md names them. */
export const IMPORT_COLUMNS = [
  'round',
  'organisation',
  'charity_number',
  'company_number',
  'postcode',
  'district',
  'project',
  'priorities',
  'amount_awarded',
  'decision_date',
  'amount_paid',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** A file's table: the header as written and each data row with its spreadsheet row number (the header is row 1). */
export interface ImportTable {
  header: string[];
  rows: { row: number; cells: string[] }[];
}

/** The most data rows one file may hold. */
export const MAX_IMPORT_ROWS = 20_000;

const isXlsx = (bytes: Buffer) => bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** Reads a CSV (UTF-8, RFC 4180) or XLSX file (its first sheet), judged by its content, not its name. */
export async function readImportFile(bytes: Buffer): Promise<ImportTable> {
  const grid = isXlsx(bytes) ? await readXlsx(bytes) : readCsv(bytes.toString('utf8'));
  const [header = [], ...rest] = grid;
  const rows = rest.map((cells, i) => ({ row: i + 2, cells })).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new DomainError('validation', 'IMPORT.TOO_MANY_ROWS', `A file can hold at most ${MAX_IMPORT_ROWS} rows`, [
      { field: 'file', code: 'IMPORT.TOO_MANY_ROWS', message: `The file must have ${MAX_IMPORT_ROWS} rows or fewer` },
    ]);
  }
  return { header: header.map((h) => h.trim()), rows };
}

async function readXlsx(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw unreadable();
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const grid: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    grid[n - 1] = values.map(cellText);
  });
  return Array.from(grid, (r) => r ?? []);
}

const unreadable = () =>
  new DomainError('validation', 'IMPORT.UNREADABLE', 'The file could not be read', [{ field: 'file', code: 'IMPORT.UNREADABLE', message: 'The selected file must be a CSV or XLSX spreadsheet' }]);

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF ends a record. */
export function readCsv(text: string): string[][] {
  const input = text.replace(/^\uFEFF/, '');
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}
