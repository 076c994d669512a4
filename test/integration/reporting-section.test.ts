import { approvedAward } from '../support/award-factories.js';
import { createUser, tokenFor } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { IMPORT_HEADER, demoPastAwardsCsv, demoReferenceData, docxText, uploadAwards, xlsxOf } from '../support/reporting-factories.js';
import { signInAs } from '../support/sessions.js';
import { textOf } from '../support/form-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The Resources and Funding section (issue 10): the seed's Human Trafficking and Modern Slavery
 * figures reproduced from imported rows (the demo's spreadsheet: 8 organisations, £36,343), next to
 * a decoy priority in the same fund (7 organisations, £28,911.50: imported rows plus an award made
 * in the service; a provisional award that does not count), each sentence exact to the character;
 * by financial year; with the other funding by year; as JSON, page and Word document.
 */
const SEED = 'Safer Communities Fund has awarded a total of £36,343, between 8 organisations, to support projects which are tackling Human Trafficking and Modern Slavery.';

let t: TestApp;
let api: ApiClient;
let token: string;
let round: TestRound;
let decoy: { code: string; name: string };

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  token = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
  round = await createOpenRound(t.db);
  // The round's fund is the Safer Communities Fund here; its own priorities get names of their own (the demo file names priorities by name).
  await t.db.query(`UPDATE funds SET name = 'Safer Communities Fund' WHERE id = $1`, [round.fundId]);
  await t.db.query(`UPDATE priorities SET name = 'Decoy ' || name WHERE id = ANY($1)`, [round.priorities.map((p) => p.id)]);
  decoy = { code: round.priorities[1].code, name: `Decoy ${round.priorities[1].name}` };
  await demoReferenceData(t);
  const seeded = await uploadAwards(t, token, await demoPastAwardsCsv(), { fundId: round.fundId }, 'past-awards.csv');
  expect([seeded.status, seeded.body.errors]).toEqual([200, []]);
  expect(seeded.body).toMatchObject({ rows: 14, imported: 14 });
  // The decoy: an award made in the service (£2,500, tagged with the decoy priority through its bid) and imported rows, 7 organisations in all.
  await approvedAward(t, api, { round, amountPence: 250000 });
  await approvedAward(t, api, { round, amountPence: 400000, offered: false });
  const rows = [
    ['R1', 'Aire Valley Youth Trust', '1170101', '', 'LS21 1AA', 'Leeds', 'Detached youth work', decoy.code, '£5,000.00', '01/06/2016', ''],
    ['R1', 'Otley Road Safety Group', '', '', 'LS21 3BB', 'Leeds', 'Speed watch', decoy.code, '4,411.50', '01/06/2016', ''],
    ['R2', 'Castleford Tigers Community Trust', '', '07654321', 'WF10 4SF', 'Wakefield', 'Friday night football', decoy.code, '3000', '2017-05-02', ''],
    ['R2', 'Dewsbury Moor Residents', '', '', 'WF13 3RR', 'Kirklees', 'Alley gates', decoy.code, ' £6,000 ', '2017-05-02', ''],
    ['R2', 'Halifax Street Pastors', '1170102', '', 'HX1 1AA', 'Calderdale', 'Weekend patrols', decoy.code, '2000', '2017-05-02', ''],
    ['R3', 'Keighley Young Carers', '1170103', '', 'BD21 3AA', 'Bradford', 'Safe journeys home', decoy.code, '£4,000', '2018-01-10', ''],
    ['R3', 'Aire Valley Youth Trust', '1170101', '', 'LS21 1AA', 'Leeds', 'Summer youth work', decoy.code, '2,000', '2018-01-10', '£1,000'],
  ];
  const decoyFile = [IMPORT_HEADER, ...rows.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(','))].join('\r\n');
  const imported = await uploadAwards(t, token, decoyFile, { fundId: round.fundId });
  expect([imported.status, imported.body.errors, imported.body.imported]).toEqual([200, [], 7]);
});

afterAll(async () => {
  await t?.close();
});

const section = (code: string, query: Record<string, string> = {}) =>
  api.get(`/api/v1/reports/priorities/${code}?${new URLSearchParams({ fundId: round.fundId, ...query })}`, { token });

describe('the Resources and Funding section', () => {
  it('reproduces the seed’s sentence from the imported rows: £36,343 between 8 organisations (9 awards, one organisation twice)', async () => {
    const res = await section('human-trafficking-modern-slavery');
    expect(res.status).toBe(200);
    expect(res.body.sentence).toBe(SEED);
    expect(res.body).toMatchObject({ priority: 'Human Trafficking and Modern Slavery', awardedPence: 3634300, organisations: 8, awards: 9, financialYear: null, fund: { id: round.fundId, name: 'Safer Communities Fund' } });
    expect(res.body.projects.map((p: { organisation: string }) => p.organisation)).not.toContain('Aire Valley Youth Trust');
    expect(res.body.projects[0]).toMatchObject({ source: 'past_award', organisation: 'Leeds Nightlight Outreach', amountPence: 599950, decisionDate: '2015-03-20', financialYear: '2014/15', round: 'R8' });
  });

  it('writes the decoy’s own sentence, with pence, counting the award offered in the service and not the provisional one', async () => {
    const res = await section(decoy.code);
    expect(res.body.sentence).toBe(`Safer Communities Fund has awarded a total of £28,911.50, between 7 organisations, to support projects which are tackling ${decoy.name}.`);
    expect(res.body).toMatchObject({ awardedPence: 2891150, organisations: 7, awards: 8 });
    expect(res.body.projects.filter((p: { source: string }) => p.source === 'award')).toHaveLength(1);
  });

  it('counts an award in the financial year of its decision (April to March), with "between 1 organisation" when there is one', async () => {
    const y1718 = await section('human-trafficking-modern-slavery', { financialYear: '2017/18' });
    expect(y1718.body.sentence).toBe('Safer Communities Fund has awarded a total of £21,493.50, between 5 organisations, to support projects which are tackling Human Trafficking and Modern Slavery.');
    const y1415 = await section('human-trafficking-modern-slavery', { financialYear: '2014/15' });
    expect(y1415.body.sentence).toBe('Safer Communities Fund has awarded a total of £5,999.50, between 1 organisation, to support projects which are tackling Human Trafficking and Modern Slavery.');
    const y1516 = await section('human-trafficking-modern-slavery', { financialYear: '2015/16' });
    expect(y1516.body.sentence).toBe('Safer Communities Fund has not yet awarded any money to projects which are tackling Human Trafficking and Modern Slavery.');
    expect((await section('human-trafficking-modern-slavery', { financialYear: '2017/19' })).status).toBe(422);
    expect((await section('no-such-priority')).status).toBe(404);
  });

  it('a row tagged with two priorities counts in both', async () => {
    const cse = await section('child-sexual-exploitation');
    // Wakefield Street Angels' training (£3,870.50, also HT/MS) and Calder Valley's online safety champions (£5,988, also cyber crime).
    expect(cse.body).toMatchObject({ awardedPence: 985850, organisations: 2 });
  });

  it('uses the priority’s wording when staff set one, and its name again when they clear it', async () => {
    const set = await api.put(`/api/v1/reports/priorities/${decoy.code}/wording`, { tackling: 'anti-social behaviour in town centres' }, { token });
    expect(set.status).toBe(200);
    expect((await section(decoy.code)).body.sentence).toBe('Safer Communities Fund has awarded a total of £28,911.50, between 7 organisations, to support projects which are tackling anti-social behaviour in town centres.');
    await api.put(`/api/v1/reports/priorities/${decoy.code}/wording`, { tackling: '' }, { token });
    expect((await section(decoy.code)).body.tackling).toBe(decoy.name);
  });

  it('lists other funding by financial year, never as awards, in the JSON, the page and the Word document', async () => {
    const streams = [
      { financialYear: '2014/15', description: '£200,000 funding secured from Ministry of Justice for a West Yorkshire network.', amountPence: 20000000, source: 'Ministry of Justice', priorityCodes: ['human-trafficking-modern-slavery'] },
      { financialYear: '2014/15', description: 'Funding through Partnership Executive Group for a Safeguarding Co-ordinator/Advisor (wider safeguarding remit).', priorityCodes: ['human-trafficking-modern-slavery'] },
      { financialYear: '2016/17', description: 'Supported proposal to the Police Transformation Fund and £8.5million secured.', amountPence: 850000000, priorityCodes: ['human-trafficking-modern-slavery', decoy.code] },
    ];
    for (const s of streams) expect((await api.post('/api/v1/funding-streams', s, { token })).status).toBe(201);
    const res = await section('human-trafficking-modern-slavery');
    expect(res.body.sentence).toBe(SEED);
    expect(res.body.otherFunding).toEqual([
      {
        financialYear: '2014/15',
        items: [
          { description: streams[0].description, amountPence: 20000000, source: 'Ministry of Justice' },
          { description: streams[1].description },
        ],
      },
      { financialYear: '2016/17', items: [{ description: streams[2].description, amountPence: 850000000 }] },
    ]);
    expect((await section('human-trafficking-modern-slavery', { financialYear: '2016/17' })).body.otherFunding).toHaveLength(1);

    const docx = await fetch(`${t.url}/api/v1/reports/priorities/human-trafficking-modern-slavery/section.docx?fundId=${round.fundId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toContain('wordprocessingml');
    const text = await docxText(Buffer.from(await docx.arrayBuffer()));
    expect(text).toContain('Resources and Funding');
    expect(text).toContain(SEED);
    expect(text).toContain('2014/15\n');
    expect(text).toContain(streams[0].description);
    expect(text).toContain(streams[1].description);
    expect(text).toContain('2016/17\n');
    expect(text).toContain('Leeds Nightlight Outreach: Outreach to women at risk of trafficking in Leeds city centre, £5,999.50');
  });

  it('shows the section as a page with its Word document', async () => {
    const cookie = await signInAs(t, await createUser(t.db, { roles: ['auditor'] }));
    const page = await fetch(`${t.url}/staff/reports/priorities?priority=human-trafficking-modern-slavery&fundId=${round.fundId}`, { headers: { cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(textOf(html)).toContain(SEED);
    const href = /href="(\/staff\/reports\/priorities\/[^"]+section\.docx[^"]*)"/.exec(html)![1].replace(/&amp;/g, '&');
    const docx = await fetch(t.url + href, { headers: { cookie } });
    expect(docx.status).toBe(200);
    expect(await docxText(Buffer.from(await docx.arrayBuffer()))).toContain(SEED);
  });
});

describe('importing an XLSX file', () => {
  it('reads number and date cells exactly and counts them in the section', async () => {
    const before = (await section(decoy.code)).body;
    const file = await xlsxOf([
      IMPORT_HEADER.split(','),
      ['R4', 'Pudsey Neighbourhood Forum', '', '', 'LS28 7BE', 'Leeds', 'Safer parks', decoy.code, 1234.56, new Date(Date.UTC(2018, 2, 31)), null],
      ['R4', 'Batley Community Watch', '', '', 'WF17 5AA', 'E08000034', 'Street watch', decoy.name, '£765.44', '01/04/2018', 100],
    ]);
    const res = await uploadAwards(t, token, file, { fundId: round.fundId }, 'awards.xlsx');
    expect([res.status, res.body.errors, res.body.imported]).toEqual([200, [], 2]);
    const after = (await section(decoy.code)).body;
    expect(after.awardedPence - before.awardedPence).toBe(200000);
    expect(after.organisations - before.organisations).toBe(2);
    const march = after.projects.find((p: { organisation: string }) => p.organisation === 'Pudsey Neighbourhood Forum');
    expect(march).toMatchObject({ decisionDate: '2018-03-31', financialYear: '2017/18', amountPence: 123456 });
    const april = after.projects.find((p: { organisation: string }) => p.organisation === 'Batley Community Watch');
    expect(april).toMatchObject({ decisionDate: '2018-04-01', financialYear: '2018/19' });
  });
});
