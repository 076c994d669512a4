import { seedDemoIfEmpty } from '../../src/demo/seed.js';
import { tokenFor } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The demo tells the seed's story (issue 10): on a fresh start, the Human Trafficking and Modern
 * Slavery section reads as the Panel report of 9 March 2018, from the demo's spreadsheet of past
 * awards (loaded through the import) and its other funding records. What it counts: every award
 * tagged with the priority, cumulatively; the demo's awards made in the service are tagged with
 * other priorities, so only the imported past awards count here. Other priorities have their own figures.
 */
let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp({ workers: false, smtp: false });
  expect(await seedDemoIfEmpty(t.config)).toBe(true);
  const [officer] = await t.db.query(`SELECT id FROM users WHERE email = 'officer@demo.test'`);
  token = await tokenFor(t, officer);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

it('reads exactly as the seed report’s Resources and Funding section', async () => {
  const api = apiClient(t.url);
  const res = await api.get('/api/v1/reports/priorities/human-trafficking-modern-slavery', { token });
  expect(res.status).toBe(200);
  expect(res.body.sentence).toBe('Safer Communities Fund has awarded a total of £36,343, between 8 organisations, to support projects which are tackling Human Trafficking and Modern Slavery.');
  expect(res.body.projects.every((p: { source: string }) => p.source === 'past_award')).toBe(true);
  expect(res.body.otherFunding.map((y: { financialYear: string; items: unknown[] }) => [y.financialYear, y.items.length])).toEqual([
    ['2014/15', 3],
    ['2016/17', 1],
    ['2017/18', 5],
  ]);
  const [y1415, y1617, y1718] = res.body.otherFunding;
  expect(y1415.items[0]).toMatchObject({ amountPence: 350000000 });
  expect(y1415.items[1].description).toBe('£200,000 funding secured from Ministry of Justice for a West Yorkshire network.');
  expect(y1415.items[2]).not.toHaveProperty('amountPence');
  expect(y1617.items[0]).toMatchObject({ amountPence: 850000000 });
  expect(y1718.items[4]).toMatchObject({ description: '£1,000 made available to all PCCs through the MS PTP for awareness raising activities', amountPence: 100000 });
});

it('gives another priority its own figures', async () => {
  const api = apiClient(t.url);
  const cyber = await api.get('/api/v1/reports/priorities/cyber-crime', { token });
  expect(cyber.body.sentence).toBe('Safer Communities Fund has awarded a total of £9,113.75, between 2 organisations, to support projects which are tackling Cyber Crime.');
  // Child sexual exploitation: two past awards and the offer made in the demo's current round.
  const cse = await api.get('/api/v1/reports/priorities/child-sexual-exploitation', { token });
  expect(cse.body).toMatchObject({ awardedPence: 387050 + 598800 + 1950000, organisations: 3 });
});
