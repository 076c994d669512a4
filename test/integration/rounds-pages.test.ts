import { createDistrict, createUser, sessionCookieFor, tokenFor, type TestUser } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The public round pages and the staff set-up pages, through real HTTP with sessions and CSRF. */
let t: TestApp;
let api: ApiClient;
let officerToken: string;
let officer: TestUser;
let officerCookie: string;
let leedsId: string;
let priorityId: string;
let fundId: string;

const FORM = { sections: [{ key: 'project', title: 'Your project', questions: [{ key: 'need', type: 'text', label: 'What is the need?', wordLimit: 200 }] }] };

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  api = apiClient(t.url);
  officer = await createUser(t.db, { roles: ['grants_officer'], fullName: 'Olive Officer' });
  officerToken = await tokenFor(t, officer);
  officerCookie = await sessionCookieFor(t, officer);
  leedsId = (await createDistrict(t.db, 'Leeds', 'E08000035')).id;
  await createDistrict(t.db, 'Bradford', 'E08000032');
  const [outcome] = await t.db.query(`INSERT INTO outcomes (code, name) VALUES ('safeguard', 'Safeguard vulnerable people') RETURNING id`);
  [{ id: priorityId }] = await t.db.query(`INSERT INTO priorities (code, name, outcome_id) VALUES ('hts', 'Human Trafficking and Modern Slavery', $1) RETURNING id`, [outcome.id]);
  fundId = (await api.post('/api/v1/funds', { name: 'Safer Communities Fund', funderName: 'PCC', fundingSource: 'Proceeds of Crime Act', referencePrefix: 'SCF' }, { token: officerToken })).body.id;
});
afterAll(async () => {
  await t?.close();
});

async function page(path: string, cookie?: string) {
  const res = await fetch(t.url + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
/** Loads the form page for its CSRF token, then posts the fields (repeat a name with an array). */
async function submit(formPath: string, fields: Record<string, string | string[]>, cookie = officerCookie, postPath = formPath) {
  const form = await page(formPath, cookie);
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  body.append('_csrf', csrfOf(form.html));
  const res = await fetch(t.url + postPath, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

async function apiRound(code: string, opensAt: string, closesAt: string, open: boolean) {
  const round = (await api.post(`/api/v1/funds/${fundId}/rounds`, { code, title: `Round ${code}`, criteria: 'Community groups in West Yorkshire', exclusions: 'General appeals\nRefreshments', opensAt, closesAt, totalBudgetPence: 50_000_000 }, { token: officerToken })).body;
  await api.post(`/api/v1/rounds/${round.id}/pots`, { name: 'Small grants', minGrantPence: 100_000, maxGrantPence: 600_000, budgetPence: 20_000_000, districtIds: [leedsId], priorityIds: [priorityId] }, { token: officerToken });
  await api.put(`/api/v1/rounds/${round.id}/form`, FORM, { token: officerToken });
  if (open) expect((await api.post(`/api/v1/rounds/${round.id}/open`, {}, { token: officerToken })).status).toBe(200);
  return round as { id: string };
}

describe('public round pages', () => {
  let open: { id: string };
  let draft: { id: string };
  let upcoming: { id: string };
  beforeAll(async () => {
    open = await apiRound('R17', new Date(Date.now() - 86_400_000).toISOString(), '2037-03-05T17:00', true);
    draft = await apiRound('R18', '2037-01-01T09:00', '2037-02-01T17:00', false);
    upcoming = await apiRound('R19', '2037-06-01T09:00', '2037-07-01T17:00', false);
    expect((await api.post(`/api/v1/rounds/${upcoming.id}/transitions`, { to: 'scheduled' }, { token: officerToken })).status).toBe(200);
  });

  it('lists open rounds with pots, money and dates, and upcoming ones, without signing in', async () => {
    const res = await page('/rounds');
    expect(res.status).toBe(200);
    expect(res.html).toContain('Round R17');
    expect(res.html).toContain('Closes 5 March 2037 at 5:00pm');
    expect(res.html).toContain('£1,000 to £6,000');
    expect(res.html).toContain('Leeds');
    expect(res.html).toContain('Human Trafficking and Modern Slavery');
    expect(res.html).toContain('Opening soon');
    expect(res.html).toContain('Round R19');
    expect(res.html).not.toContain('Round R18');
  });

  it("shows a round's details and the start button to the eligibility check", async () => {
    const res = await page(`/rounds/${open.id}`);
    expect(res.status).toBe(200);
    expect(res.html).toContain('Who and what we fund');
    expect(res.html).toContain('Community groups in West Yorkshire');
    expect(res.html).toContain('<p class="govuk-body">Refreshments</p>');
    expect(res.html).toContain(`href="/rounds/${open.id}/eligibility"`);
    expect(res.html).toContain('Check if you can apply');
    const soon = await page(`/rounds/${upcoming.id}`);
    expect(soon.html).toContain('This round opens for applications on 1 June 2037 at 9:00am');
    expect(soon.html).not.toContain('Check if you can apply');
  });

  it('hides draft rounds from the public and applicants (404) but lets staff preview them', async () => {
    expect((await page(`/rounds/${draft.id}`)).status).toBe(404);
    expect((await page(`/rounds/${draft.id}`, await sessionCookieFor(t, await createUser(t.db)))).status).toBe(404);
    expect((await page('/rounds/not-a-round')).status).toBe(404);
    const preview = await page(`/rounds/${draft.id}`, officerCookie);
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('the public cannot see this page yet');
  });
});

describe('staff round pages', () => {
  let roundId: string;

  it('lists rounds for grants officers and the auditor; refuses applicants and asks others to sign in', async () => {
    const res = await page('/staff/rounds', officerCookie);
    expect(res.status).toBe(200);
    expect(res.html).toContain('R17: Round R17');
    expect(res.html).toContain('£500,000');
    expect(res.html).toContain('Set up a round');
    const auditor = await page('/staff/rounds', await sessionCookieFor(t, await createUser(t.db, { roles: ['auditor'] })));
    expect(auditor.status).toBe(200);
    expect(auditor.html).not.toContain('Set up a round');
    expect((await page('/staff/rounds', await sessionCookieFor(t, await createUser(t.db)))).status).toBe(403);
    const anonymous = await page('/staff/rounds');
    expect([anonymous.status, anonymous.location]).toEqual([303, '/sign-in']);
  });

  it('sets up a round from the form, in pounds and UK time, with errors shown in the summary', async () => {
    const fields = {
      fundId,
      code: 'r30',
      title: 'Round thirty',
      description: 'Small grants',
      criteria: '',
      exclusions: '',
      'opensAt-day': '1',
      'opensAt-month': '7',
      'opensAt-year': '2037',
      'opensAt-time': '9am',
      'closesAt-day': '1',
      'closesAt-month': '6',
      'closesAt-year': '2037',
      'closesAt-time': '17:00',
      totalBudget: 'lots',
    };
    const bad = await submit('/staff/rounds/new', fields);
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('href="#totalBudget"');
    expect(bad.html).toContain('value="Round thirty"');

    const closesBeforeOpens = await submit('/staff/rounds/new', { ...fields, totalBudget: '250,000.50' });
    expect(closesBeforeOpens.status).toBe(422);
    expect(closesBeforeOpens.html).toContain('href="#closesAt-day"');
    expect(closesBeforeOpens.html).toContain('The closing date must be after the opening date');

    const good = await submit('/staff/rounds/new', { ...fields, 'closesAt-month': '8', totalBudget: '250,000.50' });
    expect(good.status).toBe(303);
    roundId = good.location!.split('/').pop()!;
    const [row] = await t.db.query(`SELECT code, total_budget_pence, opens_at, status FROM rounds WHERE id = $1`, [roundId]);
    expect(row).toMatchObject({ code: 'R30', total_budget_pence: '25000050', status: 'draft' });
    expect(new Date(row.opens_at).toISOString()).toBe('2037-07-01T08:00:00.000Z');
    const show = await page(good.location!, officerCookie);
    expect(show.html).toContain('Add at least one pot before the round opens');
  });

  it('adds a pot in pounds with districts and priorities, refusing min over max', async () => {
    const fields = { name: 'Small grants', description: '', minGrant: '7,000', maxGrant: '6,000.50', budget: '20,000', districtIds: [leedsId], priorityIds: [priorityId], wards: '', postcodeDistricts: 'ls9, BD3' };
    const bad = await submit(`/staff/rounds/${roundId}/pots/new`, fields);
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#minGrant"');
    expect(bad.html).toContain('The smallest grant must not be more than the largest grant');
    const good = await submit(`/staff/rounds/${roundId}/pots/new`, { ...fields, minGrant: '1,000' });
    expect([good.status, good.location]).toEqual([303, `/staff/rounds/${roundId}`]);
    const [pot] = await t.db.query(`SELECT min_grant_pence, max_grant_pence, budget_pence, postcode_districts FROM pots WHERE round_id = $1`, [roundId]);
    expect(pot).toEqual({ min_grant_pence: '100000', max_grant_pence: '600050', budget_pence: '2000000', postcode_districts: ['LS9', 'BD3'] });
  });

  it('saves eligibility questions from the structured form', async () => {
    const bad = await submit(`/staff/rounds/${roundId}/eligibility`, { count: '2', 'question-0': 'Are you based in West Yorkshire?', 'failureMessage-0': 'Only West Yorkshire groups can apply.', 'question-1': '', 'failureMessage-1': '' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#passingAnswer-0"');
    const good = await submit(`/staff/rounds/${roundId}/eligibility`, {
      count: '3',
      'question-0': 'Are you based in West Yorkshire?',
      'passingAnswer-0': 'yes',
      'failureMessage-0': 'Only West Yorkshire groups can apply.',
      'question-1': '',
      'failureMessage-1': '',
      'question-2': 'Is this a general appeal?',
      'passingAnswer-2': 'no',
      'failureMessage-2': 'We do not fund general appeals.',
    });
    expect(good.status).toBe(303);
    const rows = await t.db.query(`SELECT position, question, passing_answer FROM eligibility_questions WHERE round_id = $1 ORDER BY position`, [roundId]);
    expect(rows).toEqual([
      { position: 0, question: 'Are you based in West Yorkshire?', passing_answer: true },
      { position: 1, question: 'Is this a general appeal?', passing_answer: false },
    ]);
  });

  it('saves the form from JSON, showing JSON and rule errors in the summary', async () => {
    const notJson = await submit(`/staff/rounds/${roundId}/form/edit`, { definition: '{ "sections": [' });
    expect(notJson.status).toBe(422);
    expect(notJson.html).toContain('The form is not valid JSON');
    expect(notJson.html).toContain('href="#definition"');
    const badRules = await submit(`/staff/rounds/${roundId}/form/edit`, { definition: JSON.stringify({ sections: [{ key: 'a', title: 'A', questions: [{ key: 'q', type: 'choice', label: 'Q' }] }] }) });
    expect(badRules.status).toBe(422);
    expect(badRules.html).toContain('a choice question needs at least 2 options');
    const good = await submit(`/staff/rounds/${roundId}/form/edit`, { definition: JSON.stringify(FORM) });
    expect([good.status, good.location]).toEqual([303, `/staff/rounds/${roundId}/form`]);
    const view = await page(good.location!, officerCookie);
    expect(view.html).toContain('What is the need?');
    expect(view.html).toContain('up to 200 words');
  });

  it('opens the round with its button (CSRF checked), after which set-up is locked', async () => {
    const noCsrf = await fetch(`${t.url}/staff/rounds/${roundId}/status`, {
      method: 'POST',
      headers: { cookie: officerCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'to=open',
      redirect: 'manual',
    });
    expect(noCsrf.status).toBe(403);
    const opened = await submit(`/staff/rounds/${roundId}`, { to: 'open', reason: 'Launch' }, officerCookie, `/staff/rounds/${roundId}/status`);
    expect(opened.status).toBe(303);
    expect((await t.db.query(`SELECT status FROM rounds WHERE id = $1`, [roundId]))[0].status).toBe('open');
    const show = await page(`/staff/rounds/${roundId}`, officerCookie);
    expect(show.html).toContain('Close now');
    expect(show.html).not.toContain('Add a pot');
    const illegal = await submit(`/staff/rounds/${roundId}`, { to: 'archived' }, officerCookie, `/staff/rounds/${roundId}/status`);
    expect(illegal.status).toBe(409);
    expect(illegal.html).toContain('govuk-error-summary');
    // The edit page offers only what may still change.
    const edit = await page(`/staff/rounds/${roundId}/edit`, officerCookie);
    expect(edit.html).not.toContain('name="totalBudget"');
    expect(edit.html).toContain('name="closesAt-day"');
  });

  it('refuses changes from the auditor, and 404s pots of another round', async () => {
    const auditorCookie = await sessionCookieFor(t, await createUser(t.db, { roles: ['auditor'] }));
    expect((await page(`/staff/rounds/${roundId}`, auditorCookie)).status).toBe(200);
    expect((await page(`/staff/rounds/${roundId}/edit`, auditorCookie)).status).toBe(403);
    const other = await apiRound('R40', '2037-01-01T09:00', '2037-02-01T17:00', false);
    const [otherPot] = await t.db.query(`SELECT id FROM pots WHERE round_id = $1`, [other.id]);
    expect((await page(`/staff/rounds/${roundId}/pots/${otherPot.id}`, officerCookie)).status).toBe(404);
  });
});

describe('every error at once, in page order (issue 13, item 14)', () => {
  /** The error summary's links, top to bottom. */
  const summaryLinks = (html: string) => [...(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '').matchAll(/<a href="#([^"]*)"/g)].map((m) => m[1]);

  it('shows a missing title with the date and money errors, not after them', async () => {
    const res = await submit('/staff/rounds/new', {
      fundId: '',
      code: 'r50',
      title: '',
      'opensAt-day': '31',
      'opensAt-month': '2',
      'opensAt-year': '2037',
      'opensAt-time': '9am',
      'closesAt-day': '1',
      'closesAt-month': '3',
      'closesAt-year': '2037',
      'closesAt-time': 'teatime',
      totalBudget: 'lots',
    });
    expect(res.status).toBe(422);
    expect(summaryLinks(res.html)).toEqual(['fundId', 'title', 'opensAt-day', 'closesAt-day', 'totalBudget']);
    expect(res.html).toContain('Choose the fund');
    expect(res.html).toContain('Enter a title');
    expect(res.html).toContain('The closing time must be a time, like 17:00 or 5pm');
  });

  it('shows the date rules with the other fields’ errors', async () => {
    const res = await submit('/staff/rounds/new', {
      fundId,
      code: 'r51',
      title: '',
      'opensAt-day': '1',
      'opensAt-month': '7',
      'opensAt-year': '2037',
      'opensAt-time': '9am',
      'closesAt-day': '1',
      'closesAt-month': '6',
      'closesAt-year': '2037',
      'closesAt-time': '17:00',
      totalBudget: '£-',
    });
    expect(summaryLinks(res.html)).toEqual(['title', 'closesAt-day', 'totalBudget']);
    expect(res.html).toContain('The closing date must be after the opening date');
  });

  it('shows the eligibility rows’ errors together, row by row', async () => {
    const round = await apiRound('R53', '2037-01-01T09:00', '2037-02-01T17:00', false);
    const res = await submit(`/staff/rounds/${round.id}/eligibility`, {
      count: '3',
      'question-0': 'Are you based in West Yorkshire?',
      'failureMessage-0': '',
      'question-1': '',
      'failureMessage-1': '',
      'question-2': '',
      'passingAnswer-2': 'yes',
      'failureMessage-2': 'Only West Yorkshire groups can apply.',
    });
    expect(res.status).toBe(422);
    expect(summaryLinks(res.html)).toEqual(['passingAnswer-0', 'failureMessage-0', 'question-2']);
    expect(res.html).toContain('Question 1: choose the answer that passes');
    expect(res.html).toContain('Question 3: Enter the question');
  });

  it('shows the pot’s type errors and its business rules together', async () => {
    const round = await apiRound('R52', '2037-01-01T09:00', '2037-02-01T17:00', false);
    const res = await submit(`/staff/rounds/${round.id}/pots/new`, {
      name: 'small grants',
      minGrant: 'a thousand',
      maxGrant: '30,000',
      budget: '20,000',
      districtIds: [],
      priorityIds: [priorityId],
      postcodeDistricts: 'nowhere',
    });
    expect(res.status).toBe(422);
    expect(summaryLinks(res.html)).toEqual(['name', 'minGrant', 'maxGrant', 'districtIds', 'postcodeDistricts']);
    expect(res.html).toContain('The round already has a pot with this name');
    expect(res.html).toContain('The smallest grant must be an amount in pounds');
    expect(res.html).toContain('The largest grant must not be more than the pot’s budget');
    expect(res.html).toContain('Choose at least one district');
  });
});

describe('staff fund pages', () => {
  it('sets up a fund, refusing a taken prefix', async () => {
    const taken = await submit('/staff/funds/new', { name: 'Another', funderName: 'PCC', fundingSource: 'POCA', referencePrefix: 'scf' });
    expect(taken.status).toBe(409);
    expect(taken.html).toContain('A fund already uses this reference prefix');
    const good = await submit('/staff/funds/new', { name: 'Community Safety Fund', funderName: 'PCC', fundingSource: 'POCA', referencePrefix: 'csf' });
    expect([good.status, good.location]).toEqual([303, '/staff/funds']);
    expect((await page('/staff/funds', officerCookie)).html).toContain('Community Safety Fund');
  });
});
