import ExcelJS from 'exceljs';
import { FUNDING_MEASURES, type FundingReport } from './funding-report.service.js';

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const HEADINGS: Record<string, string> = {
  priority: 'Priority',
  district: 'District',
  round: 'Round',
  pot: 'Pot',
  financialYear: 'Financial year',
  organisationType: 'Organisation type',
  bids: 'Bids received',
  requestedPence: 'Amount asked (pence)',
  awards: 'Awards',
  organisations: 'Organisations funded',
  awardedPence: 'Amount awarded (pence)',
  paidPence: 'Paid (pence)',
  returnedPence: 'Returned or clawed back (pence)',
};

/** The report as a table: a heading row, its rows, then a Total row (first column "Total"). */
export function fundingTable(report: FundingReport): (string | number)[][] {
  const columns = [...report.groupBy, ...FUNDING_MEASURES];
  const head = columns.map((c) => HEADINGS[c]);
  const body = report.rows.map((r) => columns.map((c) => (r as Record<string, string | number | null>)[c] ?? ''));
  const total = [...report.groupBy.map((_, i) => (i === 0 ? 'Total' : '')), ...FUNDING_MEASURES.map((k) => report.totals[k])];
  return [head, ...body, total];
}

const cell = (v: string | number) => {
  const s = String(v);
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function fundingCsv(report: FundingReport): string {
  return fundingTable(report).map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

export async function fundingXlsx(report: FundingReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Funding report');
  for (const row of fundingTable(report)) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  const notes = book.addWorksheet('Notes');
  notes.addRow([`${report.fund.name}: ${report.from ?? 'from the start'} to ${report.to ?? 'date'}`]);
  for (const n of report.notes) notes.addRow([n]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const fundingFileName = (report: FundingReport, ext: 'csv' | 'xlsx') =>
  `funding-report${report.from ? `-${report.from.replace('/', '-')}` : ''}${report.to ? `-to-${report.to.replace('/', '-')}` : ''}.${ext}`;
