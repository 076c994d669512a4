import { penceAsPounds } from '../common/money.js';

/**
 * One award as a 360Giving 1.4 grant (pure: rows in, JSON text out). Nothing personal is ever
 * read into an OpenDataRow (no contact names, emails, phones, signatories or bank details), so
 * nothing personal can be written out.
 */
export interface OpenDataRow {
  awardId: string;
  reference: string;
  projectTitle: string | null;
  projectSummary: string | null;
  amountPence: number;
  decidedAt: Date;
  startsOn: string | null;
  endsOn: string | null;
  updatedAt: Date;
  orgId: string;
  orgName: string;
  postcode: string | null;
  charityNumber: string | null;
  companyNumber: string | null;
  roundTitle: string;
  roundCode: string;
  /** Null unless only the location is withheld: then no beneficiaryLocation and no postal code. */
  withheld: 'location' | null;
  districts: { name: string; gssCode: string }[];
  priorities: { code: string; name: string }[];
}

export interface OpenDataPublisher {
  orgId: string;
  orgName: string;
  prefix: string;
  dataSource: string;
}

export const CLASSIFICATION_VOCABULARY = 'Police and Crime Plan priority';

export interface Grant {
  id: string;
  title: string;
  description: string;
  currency: 'GBP';
  /** Pounds with two decimals, exactly (from pence), written into the JSON as a number. */
  amountAwarded: string;
  awardDate: string;
  plannedDates?: { startDate?: string; endDate?: string }[];
  recipientOrganization: { id: string; name: string; postalCode?: string; charityNumber?: string; companyNumber?: string }[];
  fundingOrganization: { id: string; name: string }[];
  grantProgramme: { title: string; code: string }[];
  beneficiaryLocation?: { name: string; geoCode: string; geoCodeType: 'LAD' }[];
  classifications?: { vocabulary: string; code: string; title: string }[];
  dateModified: string;
  dataSource: string;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function toGrant(row: OpenDataRow, publisher: OpenDataPublisher): Grant {
  const located = row.withheld !== 'location';
  const recipient: Grant['recipientOrganization'][number] = { id: row.orgId, name: row.orgName };
  if (located && row.postcode) recipient.postalCode = row.postcode;
  if (row.charityNumber) recipient.charityNumber = row.charityNumber;
  if (row.companyNumber) recipient.companyNumber = row.companyNumber;
  const title = row.projectTitle?.trim() || row.reference;
  const dates = { ...(row.startsOn ? { startDate: row.startsOn } : {}), ...(row.endsOn ? { endDate: row.endsOn } : {}) };
  return {
    id: `${publisher.prefix}-${row.reference}`,
    title,
    description: row.projectSummary?.trim() || title,
    currency: 'GBP',
    amountAwarded: penceAsPounds(row.amountPence),
    awardDate: isoDay(row.decidedAt),
    ...(Object.keys(dates).length ? { plannedDates: [dates] } : {}),
    recipientOrganization: [recipient],
    fundingOrganization: [{ id: publisher.orgId, name: publisher.orgName }],
    grantProgramme: [{ title: row.roundTitle, code: row.roundCode }],
    ...(located && row.districts.length ? { beneficiaryLocation: row.districts.map((d) => ({ name: d.name, geoCode: d.gssCode, geoCodeType: 'LAD' as const })) } : {}),
    ...(row.priorities.length ? { classifications: row.priorities.map((p) => ({ vocabulary: CLASSIFICATION_VOCABULARY, code: p.code, title: p.name })) } : {}),
    dateModified: row.updatedAt.toISOString(),
    dataSource: publisher.dataSource,
  };
}

/** The grant as JSON text, its amount a number with exactly two decimals (1250.50, never 1250.5). */
export function grantJson(grant: Grant): string {
  const { amountAwarded, ...rest } = grant;
  // Every other value is a JSON string, so this key can appear only where we put it.
  return JSON.stringify({ ...rest, amountAwarded: '\u0000' }).replace('"amountAwarded":"\\u0000"', `"amountAwarded":${amountAwarded}`);
}

/** The CSV columns, as 360Giving's flattened template titles them. */
export const CSV_COLUMNS = [
  'Identifier',
  'Title',
  'Description',
  'Currency',
  'Amount Awarded',
  'Award Date',
  'Planned Dates:Start Date',
  'Planned Dates:End Date',
  'Recipient Org:Identifier',
  'Recipient Org:Name',
  'Recipient Org:Charity Number',
  'Recipient Org:Company Number',
  'Recipient Org:Postal Code',
  'Funding Org:Identifier',
  'Funding Org:Name',
  'Grant Programme:Title',
  'Grant Programme:Code',
  'Beneficiary Location:Name',
  'Beneficiary Location:Geographic Code',
  'Beneficiary Location:Geographic Code Type',
  'Classifications:Title',
  'Classifications:Code',
  'Last Modified',
  'Data Source',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 cell; text a spreadsheet would run as a formula is prefixed with a single quote. */
export function csvCell(value: string | undefined): string {
  let text = value ?? '';
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const joined = (values: string[] | undefined) => (values && values.length ? values.join('; ') : undefined);

export function grantCsvLine(g: Grant): string {
  const r = g.recipientOrganization[0];
  const cells = [
    g.id,
    g.title,
    g.description,
    g.currency,
    g.amountAwarded,
    g.awardDate,
    g.plannedDates?.[0]?.startDate,
    g.plannedDates?.[0]?.endDate,
    r.id,
    r.name,
    r.charityNumber,
    r.companyNumber,
    r.postalCode,
    g.fundingOrganization[0].id,
    g.fundingOrganization[0].name,
    g.grantProgramme[0].title,
    g.grantProgramme[0].code,
    joined(g.beneficiaryLocation?.map((l) => l.name)),
    joined(g.beneficiaryLocation?.map((l) => l.geoCode)),
    joined(g.beneficiaryLocation?.map((l) => l.geoCodeType)),
    joined(g.classifications?.map((c) => c.title)),
    joined(g.classifications?.map((c) => c.code)),
    g.dateModified,
    g.dataSource,
  ];
  return cells.map(csvCell).join(',') + '\r\n';
}
