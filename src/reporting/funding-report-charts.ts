import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { FundingReport } from './funding-report.service.js';

export interface FundingChart {
  id: string;
  title: string;
  /** The chart as SVG markup, role="img" with its title: the table beside it is the accessible version. */
  svg: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Each row's label: its grouping values joined ("Leeds, 2017/18"), blanks as "None". */
export const rowLabel = (report: FundingReport, row: FundingReport['rows'][number]) => report.groupBy.map((g) => row[g] ?? 'None').join(', ');

async function render(id: string, title: string, spec: TopLevelSpec): Promise<FundingChart> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  // The chart is one image (its table is the accessible version): vega's own roles on marks go.
  const plain = svg.replace(/\s(role|aria-[a-z-]+)="[^"]*"/g, '');
  const labelled = plain.replace(/^<svg([^>]*)>/, (_m, attrs: string) => `<svg${attrs} role="img" aria-labelledby="${id}-title" focusable="false"><title id="${id}-title">${escapeXml(title)}</title>`);
  return { id, title, svg: labelled };
}

/**
 * The figures people compare, drawn on the server (vega-lite compiled, vega rendered to SVG): money
 * awarded, paid and returned by row, and bids received against awards made. Nothing without groupings.
 */
export async function fundingCharts(report: FundingReport): Promise<FundingChart[]> {
  if (!report.groupBy.length || !report.rows.length) return [];
  const labels = report.rows.map((r) => rowLabel(report, r));
  const money = report.rows.flatMap((r, i) => [
    { row: labels[i], figure: 'Awarded', pounds: r.awardedPence / 100 },
    { row: labels[i], figure: 'Paid', pounds: r.paidPence / 100 },
    { row: labels[i], figure: 'Returned', pounds: r.returnedPence / 100 },
  ]);
  const counts = report.rows.flatMap((r, i) => [
    { row: labels[i], figure: 'Bids received', number: r.bids },
    { row: labels[i], figure: 'Awards', number: r.awards },
  ]);
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', width: 480, config: { aria: false, font: 'Arial, sans-serif' } } as const;
  return [
    await render('chart-money', 'Amount awarded, paid and returned (£), by row of the table below', {
      ...base,
      data: { values: money },
      mark: 'bar',
      encoding: {
        y: { field: 'row', type: 'nominal', title: null, sort: labels },
        yOffset: { field: 'figure', type: 'nominal' },
        x: { field: 'pounds', type: 'quantitative', title: 'Pounds' },
        color: { field: 'figure', type: 'nominal', title: null, scale: { range: ['#1d70b8', '#00703c', '#d4351c'] } },
      },
    }),
    await render('chart-counts', 'Bids received and awards made, by row of the table below', {
      ...base,
      data: { values: counts },
      mark: 'bar',
      encoding: {
        y: { field: 'row', type: 'nominal', title: null, sort: labels },
        yOffset: { field: 'figure', type: 'nominal' },
        x: { field: 'number', type: 'quantitative', title: 'Number', axis: { tickMinStep: 1 } },
        color: { field: 'figure', type: 'nominal', title: null, scale: { range: ['#505a5f', '#1d70b8'] } },
      },
    }),
  ];
}
