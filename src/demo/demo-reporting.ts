import type { INestApplicationContext } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Actor } from '../auth/actor.js';
import { PROJECT_ROOT } from '../common/paths.js';
import { FundingStreamsService } from '../reporting/funding-streams.service.js';
import { PastAwardImportService } from '../reporting/past-award-import.service.js';

/** The spreadsheet of awards the fund made before it used the service (2015 to 2018), kept with the demo data. */
export const DEMO_PAST_AWARDS_CSV = join(PROJECT_ROOT, 'src', 'demo', 'past-awards.csv');

const HTMS = 'human-trafficking-modern-slavery';

/** Other funding for priorities, as the Panel report of 9 March 2018 lists it for Human Trafficking and Modern Slavery (and one for another priority). */
export const DEMO_FUNDING_STREAMS: { financialYear: string; description: string; amountPence?: number; source?: string; priorityCodes: string[] }[] = [
  { financialYear: '2014/15', description: '£3.5 million was made available to WYP for increased capability to deal with Child Sexual Exploitation, Human Trafficking and Cyber Crime.', amountPence: 350000000, source: 'West Yorkshire Police', priorityCodes: [HTMS, 'child-sexual-exploitation', 'cyber-crime'] },
  { financialYear: '2014/15', description: '£200,000 funding secured from Ministry of Justice for a West Yorkshire network.', amountPence: 20000000, source: 'Ministry of Justice', priorityCodes: [HTMS] },
  { financialYear: '2014/15', description: 'Funding through Partnership Executive Group for a Safeguarding Co-ordinator/Advisor (wider safeguarding remit).', source: 'Partnership Executive Group', priorityCodes: [HTMS] },
  { financialYear: '2016/17', description: 'Supported proposal to the Police Transformation Fund and £8.5million secured to assist the police across England and Wales to assess the threat of modern slavery crime and improve response.', amountPence: 850000000, source: 'Police Transformation Fund', priorityCodes: [HTMS] },
  { financialYear: '2017/18', description: 'The Modern Slavery Police Transformation Programme (MS PTP) was launched to ensure a coordinated and embedded approach to tackling human trafficking can develop across England and Wales.', source: 'Police Transformation Fund', priorityCodes: [HTMS] },
  { financialYear: '2017/18', description: 'NATMSN Co-ordinator appointed to the PCC’s office.', priorityCodes: [HTMS] },
  { financialYear: '2017/18', description: 'Senior Safeguarding Analyst appointed to work across wider safeguarding remit appointed to PCC’s office.', priorityCodes: [HTMS] },
  { financialYear: '2017/18', description: 'New Partnerships and Training Officer post within WYP Human Trafficking Team – first role of this type in the UK.', source: 'West Yorkshire Police', priorityCodes: [HTMS] },
  { financialYear: '2017/18', description: '£1,000 made available to all PCCs through the MS PTP for awareness raising activities', amountPence: 100000, source: 'Modern Slavery Police Transformation Programme', priorityCodes: [HTMS] },
  { financialYear: '2017/18', description: 'Cyber crime prevention officers in every district, funded by the force.', source: 'West Yorkshire Police', priorityCodes: ['cyber-crime'] },
];

/**
 * The fund's past awards, loaded through the import as a person would load them (the file is
 * checked row by row, then imported in one transaction), and the other funding streams, through
 * their service: so the Human Trafficking and Modern Slavery section reads as the Panel report of
 * March 2018 does (£36,343 between 8 organisations, and its other funding by year).
 */
export async function loadDemoReporting(app: INestApplicationContext, officer: Actor, fundId: string): Promise<void> {
  const imported = await app.get(PastAwardImportService).importFile(officer, fundId, 'past-awards.csv', await readFile(DEMO_PAST_AWARDS_CSV));
  if (imported.errors.length) throw new Error(`demo past awards: ${imported.errors.map((e) => `row ${e.row} ${e.column ?? ''}: ${e.message}`).join('; ')}`);
  const streams = app.get(FundingStreamsService);
  for (const s of DEMO_FUNDING_STREAMS) await streams.create(officer, s);
}
