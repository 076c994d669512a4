import { createOrganisation, createUser, TEST_PASSWORD } from '../support/factories.js';
import { errorSummaryOf, FormClient, textOf } from '../support/form-client.js';
import { createOpenRound, daysFromNow, type TestRound } from '../support/funding-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let round: TestRound;

beforeAll(async () => {
  t = await startTestApp();
  round = await createOpenRound(t.db);
});
afterAll(async () => {
  await t?.close();
});

const count = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params))[0].n as number;

async function signedIn(user: { email: string }): Promise<FormClient> {
  const client = new FormClient(t.url);
  await client.signIn(user.email, TEST_PASSWORD);
  return client;
}

function dateFields(name: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y };
}

describe('eligibility pages (no sign-in needed)', () => {
  it('one question per page; a failing answer explains why and creates nothing', async () => {
    const visitor = new FormClient(t.url);
    const start = await visitor.get(`/rounds/${round.roundId}/eligibility`);
    expect(start.status).toBe(200);
    expect(textOf(start.html)).toContain('Check if your group can apply');
    const q1 = await visitor.get(`/rounds/${round.roundId}/eligibility/1`);
    expect(textOf(q1.html)).toContain(round.eligibility[0].question);
    expect(textOf(q1.html)).toContain('Question 1 of 2');

    const missing = await visitor.submit(`/rounds/${round.roundId}/eligibility/1`, {});
    expect(missing.status).toBe(422);
    expect(errorSummaryOf(missing.html)).toEqual(['Select yes or no']);

    const next = await visitor.submit(`/rounds/${round.roundId}/eligibility/1`, { answer: 'yes' });
    expect([next.status, next.location]).toEqual([303, `/rounds/${round.roundId}/eligibility/2`]);
    const before = await count(`SELECT count(*)::int AS n FROM applications`);
    const fail = await visitor.submit(`/rounds/${round.roundId}/eligibility/2`, { answer: 'yes' });
    expect(fail.status).toBe(303);
    const page = await visitor.follow(fail);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Your group cannot apply to this round');
    expect(textOf(page.html)).toContain(round.eligibility[1].failureMessage);
    expect(await count(`SELECT count(*)::int AS n FROM applications`)).toBe(before);
    // the result page does not let someone skip past a failing answer
    const result = await visitor.get(`/rounds/${round.roundId}/eligibility/result`);
    expect(result.status).toBe(303);
    expect(result.location).toContain('not-eligible');
  });

  it('passing every question says "You can apply"; starting then needs sign-in', async () => {
    const visitor = new FormClient(t.url);
    await visitor.submit(`/rounds/${round.roundId}/eligibility/1`, { answer: 'yes' });
    const last = await visitor.submit(`/rounds/${round.roundId}/eligibility/2`, { answer: 'no' });
    expect(last.location).toBe(`/rounds/${round.roundId}/eligibility/result`);
    const result = await visitor.follow(last);
    expect(textOf(result.html)).toContain('You can apply');
    expect(result.html).toContain(`/rounds/${round.roundId}/apply`);
    const apply = await visitor.get(`/rounds/${round.roundId}/apply`);
    expect([apply.status, apply.location]).toEqual([303, '/sign-in']);
    expect((await visitor.get('/rounds/00000000-0000-4000-8000-000000000000/eligibility')).status).toBe(404);
    expect((await visitor.get(`/rounds/${round.roundId}/eligibility/9`)).status).toBe(404);
  });
});

describe('writing a bid in the pages, over two sittings with a colleague', () => {
  let amina: { id: string; email: string };
  let ben: { id: string; email: string };
  let org: { id: string; name: string };
  let appId: string;

  beforeAll(async () => {
    amina = await createUser(t.db, { fullName: 'Amina Khan' });
    ben = await createUser(t.db, { fullName: 'Ben Colleague' });
    org = await createOrganisation(t.db, amina);
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [org.id, ben.id]);
  });

  it('starts a draft and shows the task list', async () => {
    const browser = await signedIn(amina);
    const form = await browser.get(`/rounds/${round.roundId}/apply`);
    expect(form.status).toBe(200);
    expect(textOf(form.html)).toContain(org.name);
    const started = await browser.submit(`/rounds/${round.roundId}/apply`, { organisationId: org.id, potId: round.pots[0].id });
    expect(started.status).toBe(303);
    appId = started.location!.split('/').pop()!;
    const tasks = await browser.follow(started);
    expect(tasks.status).toBe(200);
    const text = textOf(tasks.html);
    expect(text).toContain('Project details');
    expect(text).toContain('The need for your project');
    expect(text).toContain('Budget');
    expect(text).toContain('Attachments');
    expect(tasks.html).toContain(`/applications/${appId}/attachments`);
    expect(text).toContain('You have completed 0 of 4 sections');
    expect(tasks.html).toContain('govuk-task-list');
    // One count from one source: as many rows in the task list as the sentence counts.
    expect(tasks.html.match(/class="govuk-task-list__item/g)).toHaveLength(4);
    expect(text).toContain('Application incomplete');
  });

  it("project details: a date the page cannot read and the pot's rules are shown at once, in page order", async () => {
    const browser = await signedIn(amina);
    const page = await browser.get(`/applications/${appId}/project`);
    const version = /name="version" value="(\d+)"/.exec(page.html)![1];
    const bad = await browser.submit(`/applications/${appId}/project`, {
      version,
      projectTitle: '',
      projectSummary: '',
      'projectStartDate-day': '31',
      'projectStartDate-month': '2',
      'projectStartDate-year': '2031',
      completed: 'yes',
    });
    expect(bad.status).toBe(422);
    const errors = errorSummaryOf(bad.html);
    expect(errors[0]).toMatch(/Enter the project title/);
    expect(errors[1]).toMatch(/summary/i);
    expect(errors[2]).toMatch(/start date must be a real date/);
    expect(errors.some((e) => /date the project ends/.test(e))).toBe(true);
  });

  it('project details: errors are shown on the page, then saved as complete', async () => {
    const browser = await signedIn(amina);
    const page = await browser.get(`/applications/${appId}/project`);
    const version = /name="version" value="(\d+)"/.exec(page.html)![1];
    const bad = await browser.submit(`/applications/${appId}/project`, {
      version,
      projectTitle: 'Safe evenings',
      projectSummary: 'word '.repeat(251),
      ...dateFields('projectStartDate', '2031-04-01'),
      ...dateFields('projectEndDate', '2032-06-01'),
      completed: 'yes',
    });
    expect(bad.status).toBe(422);
    const errors = errorSummaryOf(bad.html);
    expect(errors.some((e) => /250 words or fewer/.test(e))).toBe(true);
    expect(errors.some((e) => /12 months or less/.test(e))).toBe(true);
    expect(bad.html).toContain('value="Safe evenings"');

    const ok = await browser.submit(`/applications/${appId}/project`, {
      version,
      projectTitle: 'Safe evenings',
      projectSummary: 'Weekly youth sessions with the neighbourhood policing team.',
      ...dateFields('projectStartDate', daysFromNow(30)),
      ...dateFields('projectEndDate', daysFromNow(200)),
      districtIds: [round.districts[0].id, round.districts[1].id],
      priorityIds: round.priorities[0].id,
      completed: 'yes',
    });
    expect([ok.status, ok.location]).toEqual([303, `/applications/${appId}`]);
    const [row] = await t.db.query(`SELECT project_title, project_start_date FROM applications WHERE id = $1`, [appId]);
    expect(row.project_title).toBe('Safe evenings');
    expect(await count(`SELECT count(*)::int AS n FROM application_districts WHERE application_id = $1`, [appId])).toBe(2);
  });

  it('a section saved in progress; the colleague continues it another day; money in pounds is stored in pence', async () => {
    const amBrowser = await signedIn(amina);
    const page = await amBrowser.get(`/applications/${appId}/sections/need`);
    expect(page.status).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(page.html)![1];
    const partial = await amBrowser.submit(`/applications/${appId}/sections/need`, { version, 'answers.need': 'Nowhere safe to go', completed: 'no' });
    expect(partial.status).toBe(303);

    const benBrowser = await signedIn(ben);
    const resumed = await benBrowser.get(`/applications/${appId}/sections/need`);
    expect(resumed.html).toContain('Nowhere safe to go');
    const v2 = /name="version" value="(\d+)"/.exec(resumed.html)![1];
    const incomplete = await benBrowser.submit(`/applications/${appId}/sections/need`, {
      version: v2,
      'answers.need': 'Nowhere safe to go',
      'answers.matchFunding': 'lots',
      completed: 'yes',
    });
    expect(incomplete.status).toBe(422);
    const errors = errorSummaryOf(incomplete.html);
    expect(errors).toEqual(expect.arrayContaining([expect.stringContaining('amount in pounds')]));
    expect(incomplete.html).toContain('href="#answers-matchFunding"');

    const done = await benBrowser.submit(`/applications/${appId}/sections/need`, {
      version: v2,
      'answers.need': 'Nowhere safe to go',
      'answers.beneficiaries': '40',
      'answers.approach': 'Group sessions',
      'answers.safeguarding': 'yes',
      'answers.matchFunding': '£1,250.50',
      ...dateFields('answers.launchDate', '2030-05-01'),
      completed: 'yes',
    });
    expect(done.status).toBe(303);
    const [section] = await t.db.query(`SELECT answers, status, updated_by FROM application_sections WHERE application_id = $1 AND section_key = 'need'`, [appId]);
    expect(section.status).toBe('completed');
    expect(section.answers).toEqual({ need: 'Nowhere safe to go', beneficiaries: 40, approach: 'Group sessions', safeguarding: true, matchFunding: 125050, launchDate: '2030-05-01' });
    expect(section.updated_by).toBe(ben.id);
    const reread = await amBrowser.get(`/applications/${appId}/sections/need`);
    expect(reread.html).toContain('value="1250.50"');
  });

  it('two people saving the same section: the second sees the first one’s answers instead of overwriting them', async () => {
    const amBrowser = await signedIn(amina);
    const benBrowser = await signedIn(ben);
    const amPage = await amBrowser.get(`/applications/${appId}/sections/documents`);
    const benPage = await benBrowser.get(`/applications/${appId}/sections/documents`);
    const amCsrf = /name="_csrf" value="([^"]+)"/.exec(amPage.html)![1];
    const benCsrf = /name="_csrf" value="([^"]+)"/.exec(benPage.html)![1];
    const version = /name="version" value="(\d+)"/.exec(amPage.html)![1];
    const first = await benBrowser.post(`/applications/${appId}/sections/documents`, { _csrf: benCsrf, version, completed: 'yes' });
    expect(first.status).toBe(303);
    const second = await amBrowser.post(`/applications/${appId}/sections/documents`, { _csrf: amCsrf, version, completed: 'no' });
    expect(second.status).toBe(409);
    const text = textOf(second.html);
    expect(text).toContain('Ben Colleague saved this');
    expect(text).toContain('Your changes have not been saved');
    const [row] = await t.db.query(`SELECT status FROM application_sections WHERE application_id = $1 AND section_key = 'documents'`, [appId]);
    expect(row.status).toBe('completed');
    // the page now carries the current version: saving again deliberately replaces theirs
    const newVersion = /name="version" value="(\d+)"/.exec(second.html)![1];
    expect(Number(newVersion)).toBe(Number(version) + 1);
  });

  it('budget lines in pounds: add, change, remove, then complete within the pot’s limits', async () => {
    const browser = await signedIn(amina);
    // Every problem at once, listed in the order of the fields on the page.
    const empty = await browser.submit(`/applications/${appId}/budget/add`, { item: '', category: '', amount: 'lots', otherFunding: 'some' });
    expect(empty.status).toBe(422);
    expect(errorSummaryOf(empty.html)).toEqual([
      'Enter what the money is for',
      'Select a category',
      'Enter the amount in pounds, like 1250 or 1250.50',
      'Enter other funding in pounds, like 500 or 500.00',
    ]);
    const bad = await browser.submit(`/applications/${appId}/budget/add`, { item: 'Venue', category: 'venue', amount: '12.345' });
    expect(bad.status).toBe(422);
    expect(errorSummaryOf(bad.html)).toEqual(['Enter the amount in pounds, like 1250 or 1250.50']);
    const added = await browser.submit(`/applications/${appId}/budget/add`, { item: 'Youth worker', category: 'staff', amount: '2,400.50', otherFunding: '100', otherFundingSource: 'Parish council' });
    expect([added.status, added.location]).toEqual([303, `/applications/${appId}/budget`]);
    await browser.submit(`/applications/${appId}/budget/add`, { item: 'Leaflets', category: 'publicity', amount: '99' });
    const [line] = await t.db.query(`SELECT id, amount_pence, other_funding_pence FROM budget_lines WHERE application_id = $1 AND item = 'Youth worker'`, [appId]);
    expect([Number(line.amount_pence), Number(line.other_funding_pence)]).toEqual([240050, 10000]);
    const budget = await browser.get(`/applications/${appId}/budget`);
    expect(textOf(budget.html)).toContain('£2,499.50');
    const edit = await browser.get(`/applications/${appId}/budget/${line.id}/edit`);
    expect(edit.html).toContain('value="2400.50"');
    const changed = await browser.submit(`/applications/${appId}/budget/${line.id}/edit`, {
      item: 'Youth worker',
      category: 'staff',
      amount: '2500',
      otherFunding: '',
      otherFundingSource: '',
      version: '1',
    });
    expect(changed.status).toBe(303);
    const [leaflets] = await t.db.query(`SELECT id FROM budget_lines WHERE application_id = $1 AND item = 'Leaflets'`, [appId]);
    const confirm = await browser.get(`/applications/${appId}/budget/${leaflets.id}/remove`);
    expect(textOf(confirm.html)).toContain('Are you sure you want to remove “Leaflets”?');
    const removed = await browser.submit(`/applications/${appId}/budget/${leaflets.id}/remove`, { version: '1' }, { form: `/applications/${appId}/budget/${leaflets.id}/remove` });
    expect(removed.status).toBe(303);
    const [{ amount_requested_pence }] = await t.db.query(`SELECT amount_requested_pence FROM applications WHERE id = $1`, [appId]);
    expect(Number(amount_requested_pence)).toBe(250000);
    const page = await browser.get(`/applications/${appId}/budget`);
    const version = /name="version" value="(\d+)"/.exec(page.html)![1];
    const complete = await browser.submit(`/applications/${appId}/budget`, { version, completed: 'yes' });
    expect(complete.status).toBe(303);
  });

  it('budget line errors the service finds (a stale version, a full budget) come with the field errors, at once, in field order', async () => {
    const browser = await signedIn(amina);
    const [line] = await t.db.query(`SELECT id, version FROM budget_lines WHERE application_id = $1 AND item = 'Youth worker'`, [appId]);
    // Someone saved the line after this form was opened, and the form has a field error of its own.
    const stale = await browser.submit(`/applications/${appId}/budget/${line.id}/edit`, {
      item: '',
      category: 'staff',
      amount: 'lots',
      otherFunding: '',
      otherFundingSource: '',
      version: String(line.version - 1),
    });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('id="conflict"');
    expect(errorSummaryOf(stale.html)).toEqual([
      'Amina Khan changed this budget line since you opened it. Check it before saving again.',
      'Enter what the money is for',
      'Enter the amount in pounds, like 1250 or 1250.50',
    ]);
    // A budget already at its limit of lines, and a line with errors: both in one answer.
    await t.db.query(
      `INSERT INTO budget_lines (application_id, item, category, amount_pence, other_funding_pence, position)
       SELECT $1, 'Filler ' || n, 'other', 1, 0, 100 + n FROM generate_series(1, 99) AS n`,
      [appId],
    );
    try {
      const full = await browser.submit(`/applications/${appId}/budget/add`, { item: '', category: 'venue', amount: '10', otherFunding: 'some' });
      expect(full.status).toBe(422);
      expect(errorSummaryOf(full.html)).toEqual(['A budget can have at most 100 lines', 'Enter what the money is for', 'Enter other funding in pounds, like 500 or 500.00']);
    } finally {
      await t.db.query(`DELETE FROM budget_lines WHERE application_id = $1 AND item LIKE 'Filler %'`, [appId]);
    }
  });

  it('check answers, declaration, submit: confirmation panel with the reference, and the email', async () => {
    const browser = await signedIn(amina);
    const tasks = await browser.get(`/applications/${appId}`);
    expect(textOf(tasks.html)).toContain('You have completed 4 of 4 sections');
    expect(textOf(tasks.html)).not.toContain('Application incomplete');
    expect(textOf(tasks.html)).toContain('Every section is complete');
    const check = await browser.get(`/applications/${appId}/check-answers`);
    const text = textOf(check.html);
    expect(text).toContain('Check your answers before sending your application');
    expect(text).toContain('Safe evenings');
    expect(text).toContain('£1,250.50');
    expect(text).toContain('Group sessions');
    expect(check.html).toContain(`href="/applications/${appId}/sections/need"`);
    const noDeclaration = await browser.submit(`/applications/${appId}/check-answers`, { name: 'Amina Khan' });
    expect(noDeclaration.status).toBe(422);
    expect(errorSummaryOf(noDeclaration.html)).toEqual(['Confirm that the information you have given is true and complete']);
    // Amina is also the organisation's contact: the confirmation names one recipient, once.
    await t.db.query(`UPDATE organisations SET contact_email = $2 WHERE id = $1`, [org.id, amina.email]);
    const sent = await browser.submit(`/applications/${appId}/check-answers`, { name: 'Amina Khan', confirmed: 'yes' });
    expect([sent.status, sent.location]).toEqual([303, `/applications/${appId}/confirmation`]);
    const confirmation = await browser.follow(sent);
    const [{ reference }] = await t.db.query(`SELECT reference FROM applications WHERE id = $1`, [appId]);
    expect(confirmation.html).toContain('govuk-panel--confirmation');
    expect(textOf(confirmation.html)).toContain(`Your reference number ${reference}`);
    expect(textOf(confirmation.html)).toContain(`We have sent a confirmation email to you at ${amina.email}.`);
    expect(textOf(confirmation.html)).not.toContain('you and to');
    await t.settle();
    const mail = await t.mailbox.waitFor(amina.email, (m) => m.subject.includes(reference));
    expect(mail.text).toContain('Safe evenings');
    // after submitting, sections cannot be changed through the pages either
    const section = await browser.get(`/applications/${appId}/sections/need`);
    expect([section.status, section.location]).toEqual([303, `/applications/${appId}/check-answers`]);
  });

  it('the dashboard lists the bid with its status; the history page shows each change; another organisation sees none of it', async () => {
    const browser = await signedIn(ben);
    const dashboard = await browser.get('/dashboard');
    const text = textOf(dashboard.html);
    expect(text).toContain('Safe evenings');
    expect(text).toContain('Submitted');
    expect(text).toContain('£2,500');
    const history = await browser.get(`/applications/${appId}/history`);
    expect(textOf(history.html)).toMatch(/Started.*Submitted/);
    // People by name, not by email address.
    expect(textOf(history.html)).toContain('Amina Khan');
    expect(history.html).not.toContain(amina.email);

    const stranger = await createUser(t.db);
    await createOrganisation(t.db, stranger);
    const theirs = await signedIn(stranger);
    const theirDashboard = await theirs.get('/dashboard');
    expect(theirDashboard.status).toBe(200);
    expect(textOf(theirDashboard.html)).not.toContain('Safe evenings');
    for (const path of ['', '/project', '/sections/need', '/budget', '/check-answers', '/history', '/withdraw', '/confirmation']) {
      expect([path, (await theirs.get(`/applications/${appId}${path}`)).status]).toEqual([path, 404]);
    }
  });

  it('withdraws with a reason after confirming', async () => {
    const browser = await signedIn(amina);
    const empty = await browser.submit(`/applications/${appId}/withdraw`, { reason: '' });
    expect(empty.status).toBe(422);
    const done = await browser.submit(`/applications/${appId}/withdraw`, { reason: 'The venue closed' });
    expect([done.status, done.location]).toEqual([303, '/dashboard']);
    const dashboard = await browser.follow(done);
    expect(textOf(dashboard.html)).toContain('Withdrawn');
    const again = await browser.get(`/applications/${appId}/withdraw`);
    expect(textOf(again.html)).toContain('can no longer be withdrawn');
  });
});

describe('staff pages', () => {
  it('grants officers filter the list and see a bid in full; the auditor reads; applicants are refused', async () => {
    const applicant = await createUser(t.db, { fullName: 'Chris Applicant' });
    const org = await createOrganisation(t.db, applicant, { name: '=Dangerous Name Ltd' });
    const browser = await signedIn(applicant);
    const started = await browser.submit(`/rounds/${round.roundId}/apply`, { organisationId: org.id, potId: round.pots[0].id });
    const id = started.location!.split('/').pop()!;
    await t.db.query(`UPDATE applications SET status = 'submitted', reference = 'STAFF-TEST-0001', project_title = 'Street safety', submitted_at = now() WHERE id = $1`, [id]);
    await t.db.query(`INSERT INTO application_districts (application_id, district_id) VALUES ($1, $2)`, [id, round.districts[1].id]);

    const officer = await signedIn(await createUser(t.db, { roles: ['grants_officer'] }));
    const list = await officer.get(`/staff/applications?roundId=${round.roundId}`);
    expect(list.status).toBe(200);
    expect(textOf(list.html)).toContain('STAFF-TEST-0001');
    expect(list.html).toContain(`/staff/rounds/${round.roundId}/applications.csv`);
    const filtered = await officer.get(`/staff/applications?roundId=${round.roundId}&districtId=${round.districts[0].id}&status=submitted`);
    expect(textOf(filtered.html)).not.toContain('STAFF-TEST-0001');
    const bogus = await officer.get(`/staff/applications?status=nonsense&roundId=not-a-uuid`);
    expect(bogus.status).toBe(200);
    const show = await officer.get(`/staff/applications/${id}`);
    expect(show.status).toBe(200);
    expect(textOf(show.html)).toContain('Street safety');
    expect(textOf(show.html)).toContain('History');

    const csv = await officer.get(`/staff/rounds/${round.roundId}/applications.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.html).toContain(`STAFF-TEST-0001,'=Dangerous Name Ltd,`);

    const auditor = await signedIn(await createUser(t.db, { roles: ['auditor'] }));
    expect((await auditor.get(`/staff/applications/${id}`)).status).toBe(200);
    for (const path of ['/staff/applications', `/staff/applications/${id}`, `/staff/rounds/${round.roundId}/applications.csv`]) {
      expect((await browser.get(path)).status).toBe(403);
    }
  });
});
