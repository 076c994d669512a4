import { offerLetterPdf } from '../../src/awards/offer-letter-pdf.js';
import { AwardReader } from '../../src/awards/award-reader.js';
import { approvedAward, ledgerOf, type TestAward } from '../support/award-factories.js';
import { createUser, tokenFor } from '../support/factories.js';
import { errorSummaryOf, textOf } from '../support/form-client.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { pdfText } from '../support/pdf-text.js';
import { browserAs, type Browser } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The offer letter as a page and as a PDF (its text read back: organisation, amount in pounds,
 * every condition), and the applicant's pages: their grants, accepting with the declaration,
 * declining with a reason, each confirmation; the officer's awards list with its status filter.
 */

let t: TestApp;
let api: ApiClient;
const CONDITIONS = ['Provide an up-to-date safeguarding policy before the first payment', 'Send us the youth worker’s DBS certificate number'];

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
});

afterAll(async () => {
  await t?.close();
});

const orgName = async (a: TestAward) => (await t.db.query(`SELECT name FROM organisations WHERE id = $1`, [a.organisationId]))[0].name as string;

describe('the offer letter PDF', () => {
  it('says the organisation, the amount in pounds, each condition and the agreement version', async () => {
    const a = await approvedAward(t, api, { amountPence: 1234567, conditions: CONDITIONS });
    const owner = await t.db.query(`SELECT id, email, full_name AS "fullName", roles FROM users WHERE id = $1`, [a.owner.id]);
    const letter = await t.app.get(AwardReader).letter({ ...owner[0], emailVerified: true, via: 'token' }, a.awardId);
    const text = pdfText(await offerLetterPdf(letter, { compress: false }));
    expect(text).toContain(await orgName(a));
    expect(text).toContain('£12,345.67');
    for (const c of CONDITIONS) expect(text).toContain(c);
    expect(text).toContain('Grant agreement terms (version 1)');
    expect(text).toContain(a.reference);

    // The download itself, through the API and the page: a PDF for the owner, 404 for a stranger.
    const res = await fetch(`${t.url}/api/v1/awards/${a.awardId}/offer-letter.pdf`, { headers: { authorization: `Bearer ${a.ownerToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const stranger = await tokenFor(t, await createUser(t.db));
    expect((await fetch(`${t.url}/api/v1/awards/${a.awardId}/offer-letter.pdf`, { headers: { authorization: `Bearer ${stranger}` } })).status).toBe(404);
  });
});

describe('the applicant’s pages', () => {
  let a: TestAward;
  let owner: Browser;

  beforeAll(async () => {
    a = await approvedAward(t, api, { amountPence: 480000, conditions: CONDITIONS });
    owner = await browserAs(t, a.owner);
  });

  it('lists their grants and shows the offer letter with the terms, payment plan and monitoring', async () => {
    const list = await owner.get('/awards');
    expect(list.status).toBe(200);
    expect(list.html).toContain(`/awards/${a.awardId}`);
    // The deadline reads as on the offer itself: the end of a day, never "midnight" (which day would that be?).
    const [{ last_day }] = await t.db.query(`SELECT to_char((offer_expires_at - interval '1 millisecond') AT TIME ZONE 'Europe/London', 'FMDD FMMonth YYYY') AS last_day FROM awards WHERE id = $1`, [a.awardId]);
    expect(textOf(list.html)).toContain(`the end of ${last_day}`);
    expect(textOf(list.html)).not.toContain('midnight');
    const page = await owner.get(`/awards/${a.awardId}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Offer of a grant of £4,800');
    for (const c of CONDITIONS) expect(text).toContain(c);
    expect(text).toContain('Grant agreement (version 1)');
    // The payment plan and the returns come from the round's plan and return schedule (the defaults here).
    expect(text).toContain('£4,800 when the offer is accepted.');
    expect(text).toContain('once the organisation’s bank details have been checked');
    expect(text).toMatch(/Six-month return, due (on \d{1,2} \w+ \d{4}|6 months after the project starts)\./);
    expect(text).toMatch(/Twelve-month return, due .* \(the final return/);
    expect(page.html).toContain(`/awards/${a.awardId}/accept`);
    expect(page.html).toContain(`/awards/${a.awardId}/offer-letter.pdf`);
    expect((await owner.get('/dashboard')).html).toContain('href="/awards"');
  });

  it('accepting needs the name, the role and the declaration; then the confirmation', async () => {
    const form = await owner.get(`/awards/${a.awardId}/accept`);
    expect(form.status).toBe(200);
    const empty = await owner.post(`/awards/${a.awardId}/accept`, { signatoryName: '', signatoryRole: '', agreementVersion: '1' });
    expect(empty.status).toBe(422);
    expect(errorSummaryOf(empty.html)).toEqual(['Enter your full name', 'Enter your role in the organisation', 'Confirm that you have read and accept the grant agreement and the conditions']);
    const wrongVersion = await owner.post(`/awards/${a.awardId}/accept`, { signatoryName: 'Ada Owner', signatoryRole: 'Treasurer', acceptTerms: 'yes', agreementVersion: '7' });
    expect(wrongVersion.status).toBe(409);
    expect((await t.db.query(`SELECT status FROM awards WHERE id = $1`, [a.awardId]))[0].status).toBe('offered');
    const done = await owner.post(`/awards/${a.awardId}/accept`, { signatoryName: 'Ada Owner', signatoryRole: 'Treasurer', acceptTerms: 'yes', agreementVersion: '1' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/awards/${a.awardId}/accepted`);
    const confirmation = textOf((await owner.get(done.location!)).html);
    expect(confirmation).toContain('Offer accepted');
    expect(confirmation).toContain('signed by Ada Owner (Treasurer)');
    expect(textOf((await owner.get(`/awards/${a.awardId}`)).html)).toContain('Accepted by Ada Owner (Treasurer)');
    expect((await owner.get(`/awards/${a.awardId}/decline`)).html).not.toContain('<form method="post" action="/awards/');
  });

  it('declining needs a reason; the money goes back; the confirmation', async () => {
    const b = await approvedAward(t, api, { amountPence: 90000 });
    const browser = await browserAs(t, b.owner);
    const empty = await browser.post(`/awards/${b.awardId}/decline`, { reason: ' ' });
    expect(empty.status).toBe(422);
    expect(errorSummaryOf(empty.html)).toEqual(['Tell us why you are declining the offer']);
    const done = await browser.post(`/awards/${b.awardId}/decline`, { reason: 'The project cannot go ahead' });
    expect(done.status).toBe(303);
    expect(textOf((await browser.get(done.location!)).html)).toContain('Offer declined');
    expect((await ledgerOf(t, b.potId)).filter((e) => e.kind === 'release').map((e) => e.amount)).toEqual([90000]);
  });

  it('a member who is not an owner reads the offer but is not offered the buttons, and is refused (403)', async () => {
    const c = await approvedAward(t, api);
    const member = await createUser(t.db);
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [c.organisationId, member.id]);
    const browser = await browserAs(t, member);
    const page = await browser.get(`/awards/${c.awardId}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(`href="/awards/${c.awardId}/accept"`);
    expect(textOf(page.html)).toContain('Only an owner of the organisation can accept or decline the offer');
    expect((await browser.post(`/awards/${c.awardId}/accept`, { signatoryName: 'M', signatoryRole: 'R', acceptTerms: 'yes', agreementVersion: '1' })).status).toBe(403);
    const stranger = await browserAs(t, await createUser(t.db));
    expect((await stranger.get(`/awards/${c.awardId}`)).status).toBe(404);
  });
});

describe('the officer’s awards list', () => {
  it('lists awards with a status filter', async () => {
    const offered = await approvedAward(t, api);
    const provisional = await approvedAward(t, api, { offered: false });
    const officer = await browserAs(t, await createUser(t.db, { roles: ['grants_officer'] }));
    const all = await officer.get('/staff/awards');
    expect(all.status).toBe(200);
    const filtered = await officer.get('/staff/awards?status=provisional');
    expect(filtered.html).toContain(provisional.reference);
    expect(filtered.html).not.toContain(offered.reference);
    expect((await officer.get('/staff/awards?status=offered')).html).toContain(offered.reference);
    expect((await officer.get(`/awards/${provisional.awardId}`)).status).toBe(200);
    const applicant = await browserAs(t, offered.owner);
    expect((await applicant.get('/staff/awards')).status).toBe(403);
  });
});
