import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { DEMO_PAST_AWARDS_CSV } from '../../src/demo/demo-reporting.js';
import { createDistrict } from './factories.js';
import type { TestApp } from './test-app.js';

/** The header of a file of past awards (API.md). */
export const IMPORT_HEADER = 'round,organisation,charity_number,company_number,postcode,district,project,priorities,amount_awarded,decision_date,amount_paid';

/** POSTs a spreadsheet to the import API as multipart/form-data. */
export async function uploadAwards(t: TestApp, token: string, file: string | Buffer, query: Record<string, string>, name = 'awards.csv'): Promise<{ status: number; body: any; text: string }> {
  const form = new FormData();
  const bytes = typeof file === 'string' ? Buffer.from(file, 'utf8') : file;
  form.append('file', new Blob([new Uint8Array(bytes)], { type: name.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv' }), name);
  const response = await fetch(`${t.url}/api/v1/imports/awards?${new URLSearchParams(query)}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, body: form });
  const text = await response.text();
  return { status: response.status, body: text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text, text };
}

/** The same rows as an XLSX workbook (numbers as number cells, dates as date cells where asked). */
export async function xlsxOf(rows: (string | number | Date | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Awards');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The text of a .docx (its word/document.xml, tags removed, paragraphs on their own lines). */
export async function docxText(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

/** The demo's five districts and the priorities its spreadsheet names, so the demo file can be imported into a test database. */
export async function demoReferenceData(t: TestApp): Promise<Map<string, string>> {
  for (const [gss, name] of [['E08000032', 'Bradford'], ['E08000033', 'Calderdale'], ['E08000034', 'Kirklees'], ['E08000035', 'Leeds'], ['E08000036', 'Wakefield']]) {
    await createDistrict(t.db, name, gss);
  }
  const [outcome] = await t.db.query(`INSERT INTO outcomes (code, name) VALUES ('demo-outcome-' || substr(md5(random()::text), 1, 6), 'Demo outcome') RETURNING id`);
  const codes = new Map<string, string>();
  for (const [code, name] of [
    ['human-trafficking-modern-slavery', 'Human Trafficking and Modern Slavery'],
    ['child-sexual-exploitation', 'Child Sexual Exploitation'],
    ['domestic-sexual-abuse', 'Domestic and Sexual Abuse'],
    ['anti-social-behaviour', 'Anti-social Behaviour'],
    ['cyber-crime', 'Cyber Crime'],
    ['drugs-alcohol', 'Drugs and Alcohol'],
    ['supporting-victims', 'Supporting Victims and Witnesses'],
  ]) {
    const [row] = await t.db.query(
      `INSERT INTO priorities (code, name, outcome_id) VALUES ($1, $2, $3) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [code, name, outcome.id],
    );
    codes.set(code, row.id);
  }
  return codes;
}

export const demoPastAwardsCsv = () => readFile(DEMO_PAST_AWARDS_CSV);

/** A fund of its own (the section's sentence names it). */
export async function createFund(t: TestApp, name: string): Promise<string> {
  const prefix = `F${Math.random().toString(36).slice(2, 7).toUpperCase()}`;
  const [fund] = await t.db.query(`INSERT INTO funds (name, funder_name, funding_source, reference_prefix) VALUES ($1, 'Test Commissioner', 'Proceeds of Crime Act', $2) RETURNING id`, [name, prefix]);
  return fund.id;
}
