/**
 * The organisation pages through real HTTP with a real session cookie and CSRF token: the
 * one-question-per-page registration journey and check your answers, the organisation's page,
 * editing, inviting and accepting by email, removing and leaving, and the staff views.
 */
import type { StaffRole } from '../../src/auth/roles.js';
import { createDistrict, createOrganisation, createUser, TEST_PASSWORD, uniqueEmail, type TestUser } from '../support/factories.js';
import { FormClient, textOf } from '../support/form-client.js';
import { browserAs, browserWith, signInAs, type Browser } from '../support/sessions.js';
import { linkIn } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let leeds: { id: string };
let kirklees: { id: string };

beforeAll(async () => {
  t = await startTestApp();
  leeds = await createDistrict(t.db, 'Leeds');
  kirklees = await createDistrict(t.db, 'Kirklees');
});
afterAll(async () => {
  await t?.close();
});

const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query(sql, params))[0].count);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&rsquo;/g, '’').replace(/\s+/g, ' ');

async function person(email?: string, roles: StaffRole[] = []): Promise<{ user: TestUser; browser: Browser }> {
  const user = await createUser(t.db, { email, roles });
  return { user, browser: await browserAs(t, user) };
}

let serial = 200000;
const charityNumber = () => String(1200000 + ++serial);

/** Answers every page of the journey with valid answers, ending on check your answers. */
async function answerEverything(b: Browser, answers: { name?: string; charityNumber?: string } = {}) {
  const steps: [string, Record<string, string>][] = [
    ['/organisations/new', { name: answers.name ?? 'Wakefield Street Angels' }],
    ['/organisations/new/legal-form', { legalForm: 'charitable_incorporated_organisation' }],
    ['/organisations/new/registration-numbers', { charityNumber: answers.charityNumber ?? charityNumber(), companyNumber: '' }],
    ['/organisations/new/address', { addressLine1: '1 High Street', addressLine2: '', town: 'Wakefield', postcode: 'wf1 1aa' }],
    ['/organisations/new/district', { districtId: leeds.id }],
    ['/organisations/new/contact', { contactName: 'Jo Bloggs', contactEmail: 'jo@example.org', contactPhone: '' }],
  ];
  for (const [path, form] of steps) {
    const res = await b.post(path, form);
    expect([path, res.status]).toEqual([path, 303]);
  }
}

describe('registering an organisation, one question per page', () => {
  it('walks every question to check your answers, then registers it with the person as owner', async () => {
    const { user, browser: b } = await person();

    const first = await b.get('/organisations/new');
    expect(first.status).toBe(200);
    expect(text(first.html)).toContain('What is the organisation’s name?');
    expect(first.html).toContain('name="_csrf"');

    const blank = await b.post('/organisations/new', { name: '  ' });
    expect(blank.status).toBe(422);
    expect(blank.html).toContain('govuk-error-summary');
    expect(blank.html).toContain('href="#name"');
    expect(text(blank.html)).toContain('Enter the organisation’s name');
    expect(blank.html).toMatch(/<title>\s*Error: /);

    let res = await b.post('/organisations/new', { name: 'Wakefield Street Angels' });
    expect([res.status, res.location]).toEqual([303, '/organisations/new/legal-form']);

    const legal = await b.get('/organisations/new/legal-form');
    expect(legal.html).toContain('Charitable incorporated organisation (CIO)');
    expect(legal.html).toContain('Unincorporated association or community group');
    expect(legal.html).toContain('href="/organisations/new"'); // back link
    res = await b.post('/organisations/new/legal-form', { legalForm: 'charitable_incorporated_organisation' });
    expect(res.location).toBe('/organisations/new/registration-numbers');

    const numbers = await b.get('/organisations/new/registration-numbers');
    expect(numbers.html).toMatch(/Charity number\s*</);
    expect(numbers.html).toContain('Company number (optional)');
    const badNumber = await b.post('/organisations/new/registration-numbers', { charityNumber: '12345', companyNumber: '' });
    expect(badNumber.status).toBe(422);
    expect(badNumber.html).toContain('Enter a charity number in the correct format, like 1123456 or SC012345');
    expect(badNumber.html).toContain('value="12345"'); // what they typed stays in the box
    const number = charityNumber();
    res = await b.post('/organisations/new/registration-numbers', { charityNumber: number.replace(/(\d{3})$/, ' $1'), companyNumber: '' });
    expect(res.location).toBe('/organisations/new/address');

    const badPostcode = await b.post('/organisations/new/address', { addressLine1: '1 High Street', town: 'Wakefield', postcode: 'WF1' });
    expect(badPostcode.status).toBe(422);
    expect(badPostcode.html).toContain('href="#postcode"');
    res = await b.post('/organisations/new/address', { addressLine1: '1 High Street', addressLine2: '', town: 'Wakefield', postcode: 'wf1 1aa' });
    expect(res.location).toBe('/organisations/new/district');

    const district = await b.get('/organisations/new/district');
    expect(district.html).toContain(`value="${leeds.id}"`);
    expect(district.html).toContain(`value="${kirklees.id}"`);
    const noDistrict = await b.post('/organisations/new/district', {});
    expect(noDistrict.status).toBe(422);
    expect(noDistrict.html).toContain('href="#districtId"');
    res = await b.post('/organisations/new/district', { districtId: leeds.id });
    expect(res.location).toBe('/organisations/new/contact');

    res = await b.post('/organisations/new/contact', { contactName: 'Jo Bloggs', contactEmail: 'Jo@Example.org', contactPhone: '' });
    expect(res.location).toBe('/organisations/new/check');

    const check = await b.get('/organisations/new/check');
    expect(check.status).toBe(200);
    const checkText = text(check.html);
    for (const shown of ['Wakefield Street Angels', 'Charitable incorporated organisation (CIO)', number, 'WF1 1AA', 'Leeds', 'jo@example.org']) {
      expect(checkText).toContain(shown);
    }
    expect(check.html).toContain('href="/organisations/new/address?change=true"');

    // Change an answer from check your answers and come straight back.
    const change = await b.get('/organisations/new/address?change=true');
    expect(change.html).toContain('name="change" value="true"');
    expect(change.html).toContain('href="/organisations/new/check"');
    res = await b.post('/organisations/new/address', { change: 'true', addressLine1: '2 High Street', addressLine2: '', town: 'Wakefield', postcode: 'WF1 1AA' });
    expect(res.location).toBe('/organisations/new/check');

    res = await b.post('/organisations/new/check');
    expect(res.status).toBe(303);
    const id = /^\/organisations\/([0-9a-f-]{36})$/.exec(res.location ?? '')?.[1];
    expect(id).toBeDefined();

    const page = await b.get(`/organisations/${id}`);
    expect(page.status).toBe(200);
    const pageText = text(page.html);
    expect(pageText).toContain('Wakefield Street Angels is registered');
    expect(pageText).toContain(`GB-CHC-${number}`);
    expect(pageText).toContain('2 High Street');
    expect(pageText).toContain('You are an owner');

    const [row] = await t.db.query(`SELECT org_id, address_line1, contact_email FROM organisations WHERE id = $1`, [id]);
    expect(row).toEqual({ org_id: `GB-CHC-${number}`, address_line1: '2 High Street', contact_email: 'jo@example.org' });
    expect(await t.db.query(`SELECT user_id, role FROM organisation_members WHERE organisation_id = $1`, [id])).toEqual([{ user_id: user.id, role: 'owner' }]);
    expect(await count(`SELECT count(*) FROM audit_events WHERE entity_id = $1 AND action = 'organisation.registered'`, [id])).toBe(1);

    // The answers are gone: a second submission cannot register it twice.
    const again = await b.post('/organisations/new/check');
    expect([again.status, again.location]).toEqual([303, '/organisations/new']);
    expect(await count(`SELECT count(*) FROM organisations WHERE name = 'Wakefield Street Angels'`)).toBe(1);
  });

  it('registers an unregistered group once when its check page is submitted twice at the same moment', async () => {
    const { browser: b } = await person();
    const name = `Holme Valley Walkers ${Date.now()}`;
    await b.post('/organisations/new', { name });
    await b.post('/organisations/new/legal-form', { legalForm: 'unincorporated_association' });
    await b.post('/organisations/new/registration-numbers', { charityNumber: '', companyNumber: '' });
    await b.post('/organisations/new/address', { addressLine1: '3 Station Road', addressLine2: '', town: 'Holmfirth', postcode: 'HD9 3AB' });
    await b.post('/organisations/new/district', { districtId: leeds.id });
    await b.post('/organisations/new/contact', { contactName: 'Jo Bloggs', contactEmail: 'jo@example.org', contactPhone: '' });
    expect((await b.get('/organisations/new/check')).status).toBe(200);
    const [one, two] = await Promise.all([b.post('/organisations/new/check'), b.post('/organisations/new/check')]);
    expect([one.status, two.status]).toEqual([303, 303]);
    expect(one.location).toMatch(/^\/organisations\/[0-9a-f-]{36}$/);
    expect(two.location).toBe(one.location);
    expect(await count(`SELECT count(*) FROM organisations WHERE name = $1`, [name])).toBe(1);
  });

  it('sends check your answers back to the first question not yet answered', async () => {
    const { browser: b } = await person();
    const before = await count(`SELECT count(*) FROM organisations`);
    expect((await b.get('/organisations/new/check')).location).toBe('/organisations/new');
    expect((await b.post('/organisations/new/check')).location).toBe('/organisations/new');
    await b.post('/organisations/new', { name: 'Half Done Group' });
    expect((await b.get('/organisations/new/check')).location).toBe('/organisations/new/legal-form');
    expect((await b.get('/organisations/new/registration-numbers')).location).toBe('/organisations/new/legal-form');
    expect(await count(`SELECT count(*) FROM organisations`)).toBe(before);
  });

  it('asks for registration numbers again when the legal form changes', async () => {
    const { browser: b } = await person();
    await answerEverything(b);
    const res = await b.post('/organisations/new/legal-form', { change: 'true', legalForm: 'company_limited_by_guarantee' });
    expect(res.location).toBe('/organisations/new/registration-numbers?change=true');
    const numbers = await b.get('/organisations/new/registration-numbers?change=true');
    expect(numbers.html).toMatch(/Company number\s*</);
    const missing = await b.post('/organisations/new/registration-numbers', { change: 'true', charityNumber: '', companyNumber: '' });
    expect(missing.status).toBe(422);
    expect(missing.html).toContain('Enter a company number');
    const ok = await b.post('/organisations/new/registration-numbers', { change: 'true', charityNumber: '', companyNumber: '9876543' });
    expect(ok.location).toBe('/organisations/new/check');
    expect(text((await b.get('/organisations/new/check')).html)).toContain('09876543');
  });

  it('explains that an organisation is already registered and to ask for an invitation', async () => {
    const number = charityNumber();
    await answerEverything((await person()).browser, { charityNumber: number });
    const first = (await person()).browser;
    await answerEverything(first, { charityNumber: number, name: 'First Registration' });
    expect((await first.post('/organisations/new/check')).status).toBe(303);

    const { browser: b } = await person();
    await answerEverything(b, { charityNumber: number, name: 'Second Registration' });
    const res = await b.post('/organisations/new/check');
    expect(res.status).toBe(409);
    expect(res.html).toContain('govuk-error-summary');
    expect(text(res.html)).toMatch(/already registered.*invite you/);
    expect(await count(`SELECT count(*) FROM organisations WHERE name = 'Second Registration'`)).toBe(0);
  });

  it('refuses a form posted without the CSRF token, and stores nothing', async () => {
    const { user } = await person();
    const cookie = await signInAs(t, user);
    const forged = browserWith(t, cookie, 'forged-token');
    const res = await forged.post('/organisations/new', { name: 'Forged Group' });
    expect(res.status).toBe(403);
    const answers = await t.db.query(`SELECT data FROM sessions WHERE user_id = $1`, [user.id]);
    expect(JSON.stringify(answers)).not.toContain('Forged Group');
  });

  it('sends people who are not signed in to sign in', async () => {
    for (const path of ['/organisations', '/organisations/new', '/organisations/new/check']) {
      const res = await fetch(t.url + path, { redirect: 'manual' });
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 303, '/sign-in']);
    }
  });
});

describe("an organisation's pages", () => {
  let owner: { user: TestUser; browser: Browser };
  let org: { id: string; name: string };

  beforeAll(async () => {
    owner = await person();
    org = await createOrganisation(t.db, owner.user, { name: 'Batley Bulldogs Youth', districtId: kirklees.id });
  });

  it("lists the person's organisations and no one else's", async () => {
    const other = await person();
    const theirs = await createOrganisation(t.db, other.user, { name: 'Somebody Else Entirely' });
    const page = await owner.browser.get('/organisations');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`href="/organisations/${org.id}"`);
    expect(page.html).toContain('Batley Bulldogs Youth');
    expect(page.html).not.toContain(theirs.id);
    expect(page.html).not.toContain('Somebody Else Entirely');
  });

  it("gives someone from another organisation 'page not found' for every page and form, and changes nothing", async () => {
    const intruder = await person();
    const before = JSON.stringify(await t.db.query(`SELECT * FROM organisations WHERE id = $1`, [org.id]));
    for (const path of [`/organisations/${org.id}`, `/organisations/${org.id}/edit`, `/organisations/${org.id}/invites/new`, `/organisations/${org.id}/members/${owner.user.id}/remove`]) {
      const res = await intruder.browser.get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.html).not.toContain('Batley Bulldogs Youth');
    }
    const posts: [string, Record<string, string>][] = [
      [`/organisations/${org.id}/edit`, { name: 'Hijacked' }],
      [`/organisations/${org.id}/invites`, { email: 'intruder@example.org' }],
      [`/organisations/${org.id}/members/${owner.user.id}/remove`, {}],
      [`/organisations/${org.id}/invites/00000000-0000-4000-8000-000000000000/revoke`, {}],
    ];
    for (const [path, form] of posts) {
      const res = await intruder.browser.post(path, form);
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect(JSON.stringify(await t.db.query(`SELECT * FROM organisations WHERE id = $1`, [org.id]))).toBe(before);
    expect(await count(`SELECT count(*) FROM organisation_invites WHERE organisation_id = $1`, [org.id])).toBe(0);
    expect(await count(`SELECT count(*) FROM organisation_members WHERE organisation_id = $1`, [org.id])).toBe(1);
  });

  it('lets the owner change details, showing errors beside the fields', async () => {
    const edit = await owner.browser.get(`/organisations/${org.id}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.html).toContain('value="Batley Bulldogs Youth"');
    expect(edit.html).toMatch(new RegExp(`value="${kirklees.id}"\\s+checked`));
    const form = {
      name: 'Batley Bulldogs Youth Club',
      legalForm: 'unincorporated_association',
      charityNumber: '',
      companyNumber: '',
      addressLine1: '1 Test Street',
      addressLine2: '',
      town: 'Batley',
      postcode: 'WF17 5AA',
      districtId: kirklees.id,
      contactName: 'Test Contact',
      contactEmail: 'contact@example.test',
      contactPhone: '',
    };
    const bad = await owner.browser.post(`/organisations/${org.id}/edit`, { ...form, postcode: 'nowhere', companyNumber: 'AB123456' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#postcode"');
    expect(bad.html).toContain('href="#companyNumber"');
    expect(bad.html).toContain('value="nowhere"');
    expect(bad.html).toContain('value="Batley Bulldogs Youth Club"');
    expect((await t.db.query(`SELECT name FROM organisations WHERE id = $1`, [org.id]))[0].name).toBe('Batley Bulldogs Youth');

    const ok = await owner.browser.post(`/organisations/${org.id}/edit`, form);
    expect([ok.status, ok.location]).toEqual([303, `/organisations/${org.id}`]);
    const page = await owner.browser.get(`/organisations/${org.id}`);
    expect(text(page.html)).toContain('details have been saved');
    expect(page.html).toContain('WF17 5AA');
    const [audit] = await t.db.query(`SELECT before, after FROM audit_events WHERE entity_id = $1 AND action = 'organisation.updated'`, [org.id]);
    expect(audit.before).toMatchObject({ name: 'Batley Bulldogs Youth', town: 'Leeds', postcode: 'LS1 4AB' });
    expect(audit.after).toMatchObject({ name: 'Batley Bulldogs Youth Club', town: 'Batley', postcode: 'WF17 5AA' });
  });

  it('does not let a member who is not an owner edit, invite or remove people', async () => {
    const member = await person();
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [org.id, member.user.id]);
    const page = await member.browser.get(`/organisations/${org.id}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(`href="/organisations/${org.id}/edit"`);
    expect(page.html).not.toContain('Invite someone');
    expect(page.html).toContain(`href="/organisations/${org.id}/members/${member.user.id}/remove"`); // leave
    for (const path of [`/organisations/${org.id}/edit`, `/organisations/${org.id}/invites/new`, `/organisations/${org.id}/members/${owner.user.id}/remove`]) {
      expect([path, (await member.browser.get(path)).status]).toEqual([path, 403]);
    }
    expect((await member.browser.post(`/organisations/${org.id}/invites`, { email: 'friend@example.org' })).status).toBe(403);
    expect((await member.browser.post(`/organisations/${org.id}/edit`, { name: 'Renamed' })).status).toBe(403);
    await t.db.query(`DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`, [org.id, member.user.id]);
  });
});

describe('inviting someone through the pages', () => {
  it('owner invites; the email link shows the organisation; signing in brings them back; they accept and join', async () => {
    const owner = await person();
    const org = await createOrganisation(t.db, owner.user, { name: 'Dewsbury Community Watch' });
    const inviteeEmail = uniqueEmail('invitee');

    const form = await owner.browser.get(`/organisations/${org.id}/invites/new`);
    expect(form.status).toBe(200);
    const bad = await owner.browser.post(`/organisations/${org.id}/invites`, { email: 'nope' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#email"');
    const self = await owner.browser.post(`/organisations/${org.id}/invites`, { email: owner.user.email });
    expect(self.status).toBe(409);
    expect(self.html).toContain('is already a member of this organisation');

    const sent = await owner.browser.post(`/organisations/${org.id}/invites`, { email: inviteeEmail });
    expect([sent.status, sent.location]).toEqual([303, `/organisations/${org.id}`]);
    const orgPage = await owner.browser.get(`/organisations/${org.id}`);
    expect(text(orgPage.html)).toContain(`We have sent an invitation to ${inviteeEmail}`);
    expect(orgPage.html).toContain('Cancel invitation');

    await t.settle();
    const mail = await t.mailbox.waitFor(inviteeEmail);
    const link = linkIn(mail, '/invites/');
    const path = link.slice(t.url.length);

    // Not signed in: the page names the organisation, offers sign in and create account, and remembers where to come back.
    const anonymous = await fetch(link, { redirect: 'manual' });
    expect(anonymous.status).toBe(200);
    const anonymousHtml = await anonymous.text();
    expect(anonymousHtml).toContain('Join Dewsbury Community Watch');
    expect(anonymousHtml).toContain('href="/sign-in"');
    expect(anonymousHtml).toContain('Create an account');
    expect(anonymousHtml).not.toContain('Accept invitation');
    const setCookie = anonymous.headers.get('set-cookie') ?? '';
    const sid = decodeURIComponent(/scf\.sid=([^;]+)/.exec(setCookie)?.[1] ?? '').replace(/\.[^.]*$/, '');
    const [session] = await t.db.query(`SELECT data FROM sessions WHERE sid = $1`, [sid]);
    expect(session.data.returnTo).toBe(path);

    // Signed in as somebody else: told so, no button, and accepting is refused.
    const stranger = await person();
    const wrong = await stranger.browser.get(path);
    expect(text(wrong.html)).toContain('sent to a different email address');
    expect(wrong.html).not.toContain('Accept invitation');
    const refused = await stranger.browser.post(`${path}/accept`);
    expect(refused.status).toBe(403);
    expect(text(refused.html)).toContain('This invitation is for someone else');
    expect(await count(`SELECT count(*) FROM organisation_members WHERE organisation_id = $1`, [org.id])).toBe(1);

    // The invited person accepts.
    const invitee = await person(inviteeEmail);
    const landing = await invitee.browser.get(path);
    expect(landing.html).toContain('Accept invitation');
    const accepted = await invitee.browser.post(`${path}/accept`);
    expect([accepted.status, accepted.location]).toEqual([303, `/organisations/${org.id}`]);
    const joined = await invitee.browser.get(`/organisations/${org.id}`);
    expect(text(joined.html)).toContain('You have joined Dewsbury Community Watch');
    expect(text(joined.html)).toContain('You are a member');

    // The link cannot be used again.
    const reused = await invitee.browser.get(path);
    expect(reused.status).toBe(409);
    expect(text(reused.html)).toContain('This invitation has already been used');
    expect((await invitee.browser.post(`${path}/accept`)).status).toBe(409);
  });

  it('brings a person who signs in through the real sign-in page back to the invitation, to accept it', async () => {
    const owner = await person();
    const org = await createOrganisation(t.db, owner.user, { name: 'Mirfield Memorial Trust' });
    const invitee = await createUser(t.db, { email: uniqueEmail('returning') });
    await owner.browser.post(`/organisations/${org.id}/invites`, { email: invitee.email });
    await t.settle();
    const path = linkIn(await t.mailbox.waitFor(invitee.email), '/invites/').slice(t.url.length);

    const browser = new FormClient(t.url);
    expect((await browser.get(path)).status).toBe(200);
    const signedIn = await browser.signIn(invitee.email, TEST_PASSWORD);
    expect(signedIn.location).toBe(path);
    const landing = await browser.follow(signedIn);
    expect(landing.html).toContain('Accept invitation');
    const accepted = await browser.submit(`${path}/accept`, {}, { form: path });
    expect([accepted.status, accepted.location]).toEqual([303, `/organisations/${org.id}`]);
    expect(textOf((await browser.follow(accepted)).html)).toContain('You have joined Mirfield Memorial Trust');
    expect(await t.db.query(`SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`, [org.id, invitee.id])).toEqual([{ role: 'member' }]);
  });

  it('explains expired, cancelled and unknown links', async () => {
    const owner = await person();
    const org = await createOrganisation(t.db, owner.user);
    const expiredEmail = uniqueEmail('expired');
    const cancelledEmail = uniqueEmail('cancelled');
    await owner.browser.post(`/organisations/${org.id}/invites`, { email: expiredEmail });
    await owner.browser.post(`/organisations/${org.id}/invites`, { email: cancelledEmail });
    await t.settle();
    const expiredPath = linkIn(await t.mailbox.waitFor(expiredEmail), '/invites/').slice(t.url.length);
    const cancelledPath = linkIn(await t.mailbox.waitFor(cancelledEmail), '/invites/').slice(t.url.length);

    await t.db.query(`UPDATE organisation_invites SET expires_at = now() - interval '1 minute' WHERE email = $1`, [expiredEmail]);
    const expired = await fetch(t.url + expiredPath, { redirect: 'manual' });
    expect(expired.status).toBe(410);
    expect(text(await expired.text())).toContain('This invitation has expired');

    const [{ id: cancelledId }] = await t.db.query(`SELECT id FROM organisation_invites WHERE email = $1`, [cancelledEmail]);
    const revoke = await owner.browser.post(`/organisations/${org.id}/invites/${cancelledId}/revoke`);
    expect([revoke.status, revoke.location]).toEqual([303, `/organisations/${org.id}`]);
    expect(text((await owner.browser.get(`/organisations/${org.id}`)).html)).toContain(`The invitation to ${cancelledEmail} has been cancelled`);
    const cancelled = await fetch(t.url + cancelledPath, { redirect: 'manual' });
    expect(cancelled.status).toBe(410);
    expect(text(await cancelled.text())).toContain('This invitation has been cancelled');
    const invitee = await person(cancelledEmail);
    expect((await invitee.browser.post(`${cancelledPath}/accept`)).status).toBe(410);
    expect(await count(`SELECT count(*) FROM organisation_members WHERE organisation_id = $1`, [org.id])).toBe(1);

    const unknown = await fetch(t.url + '/invites/not-a-token', { redirect: 'manual' });
    expect(unknown.status).toBe(404);
    expect(text(await unknown.text())).toContain('Invitation not found');
  });
});

describe('removing members and leaving through the pages', () => {
  it('confirms before removing; a member can leave; the only owner is told they cannot leave', async () => {
    const owner = await person();
    const org = await createOrganisation(t.db, owner.user, { name: 'Heckmondwike Helpers' });
    const a = await person();
    const b = await person();
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member'), ($1, $3, 'member')`, [org.id, a.user.id, b.user.id]);

    const confirm = await owner.browser.get(`/organisations/${org.id}/members/${a.user.id}/remove`);
    expect(confirm.status).toBe(200);
    expect(text(confirm.html)).toContain('Are you sure you want to remove Test Person?');
    const removed = await owner.browser.post(`/organisations/${org.id}/members/${a.user.id}/remove`);
    expect([removed.status, removed.location]).toEqual([303, `/organisations/${org.id}`]);
    expect((await a.browser.get(`/organisations/${org.id}`)).status).toBe(404);

    const leave = await b.browser.get(`/organisations/${org.id}/members/${b.user.id}/remove`);
    expect(text(leave.html)).toContain('Are you sure you want to leave Heckmondwike Helpers?');
    const left = await b.browser.post(`/organisations/${org.id}/members/${b.user.id}/remove`);
    expect([left.status, left.location]).toEqual([303, '/organisations']);
    expect(text((await b.browser.get('/organisations')).html)).toContain('You are no longer a member of Heckmondwike Helpers');

    // The only owner is not offered "Leave", and is told why if they try anyway.
    expect((await owner.browser.get(`/organisations/${org.id}`)).html).not.toContain(`/members/${owner.user.id}/remove`);
    const lastOwner = await owner.browser.post(`/organisations/${org.id}/members/${owner.user.id}/remove`);
    expect([lastOwner.status, lastOwner.location]).toEqual([303, `/organisations/${org.id}`]);
    expect(text((await owner.browser.get(`/organisations/${org.id}`)).html)).toContain('You are the only owner of this organisation, so you cannot leave it');
    expect(await t.db.query(`SELECT user_id FROM organisation_members WHERE organisation_id = $1`, [org.id])).toEqual([{ user_id: owner.user.id }]);
    expect(
      (await t.db.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [org.id])).map((r: { action: string }) => r.action),
    ).toEqual(['organisation.member_removed', 'organisation.member_left']);
  });
});

describe('staff pages', () => {
  const prefix = `Staffsearch ${Date.now()}`;
  let orgs: { id: string; name: string }[];

  beforeAll(async () => {
    const owner = await createUser(t.db);
    orgs = [];
    for (let i = 0; i < 26; i++) {
      orgs.push(await createOrganisation(t.db, owner, { name: `${prefix} ${String(i).padStart(2, '0')}`, districtId: i === 0 ? leeds.id : kirklees.id }));
    }
  });

  it('lists, searches, filters and pages every organisation for grants officers, finance officers and auditors', async () => {
    for (const role of ['grants_officer', 'finance_officer', 'auditor'] as const) {
      const { browser: b } = await person(uniqueEmail(role), [role]);
      const page1 = await b.get(`/staff/organisations?name=${encodeURIComponent(prefix)}`);
      expect([role, page1.status]).toEqual([role, 200]);
      expect(text(page1.html)).toContain('26 organisations match');
      expect(page1.html).toContain(`href="/staff/organisations/${orgs[24].id}"`);
      expect(page1.html).not.toContain(`href="/staff/organisations/${orgs[25].id}"`);
      expect(page1.html).toContain('govuk-pagination');
      const page2 = await b.get(`/staff/organisations?name=${encodeURIComponent(prefix)}&page=2`);
      expect(page2.html).toContain(`href="/staff/organisations/${orgs[25].id}"`);
      const byDistrict = await b.get(`/staff/organisations?name=${encodeURIComponent(prefix)}&districtId=${leeds.id}`);
      expect(text(byDistrict.html)).toContain('1 organisation matches');
      expect(byDistrict.html).toContain(`href="/staff/organisations/${orgs[0].id}"`);
    }
  });

  it('shows an organisation with its members, invitations and history', async () => {
    const owner = await person();
    const org = await createOrganisation(t.db, owner.user, { name: 'Morley Lights' });
    const invitee = uniqueEmail('history');
    await owner.browser.post(`/organisations/${org.id}/invites`, { email: invitee });
    await owner.browser.post(`/organisations/${org.id}/edit`, {
      name: 'Morley Lights CIC',
      legalForm: 'community_interest_company',
      companyNumber: '12345678',
      charityNumber: '',
      addressLine1: '1 Test Street',
      town: 'Morley',
      postcode: 'LS27 9AA',
      districtId: leeds.id,
      contactName: 'Test Contact',
      contactEmail: 'contact@example.test',
    });

    const officer = await person(uniqueEmail('officer-view'), ['grants_officer']);
    const page = await officer.browser.get(`/staff/organisations/${org.id}`);
    expect(page.status).toBe(200);
    const shown = text(page.html);
    expect(shown).toContain('Morley Lights CIC');
    expect(shown).toContain('GB-COH-12345678');
    expect(shown).toContain(owner.user.email);
    expect(shown).toContain(invitee);
    expect(shown).toContain('Invitation sent');
    expect(shown).toContain('Details changed');
    expect(shown).toContain('Name: Morley Lights → Morley Lights CIC');
    expect(shown).toContain('Type of organisation: Unincorporated association or community group → Community interest company (CIC)');
    expect(shown).toContain('District: Leeds');
    expect(page.html).toContain(`href="/organisations/${org.id}/edit"`); // grants officers may correct details

    const auditor = await person(uniqueEmail('auditor-view'), ['auditor']);
    const readOnly = await auditor.browser.get(`/staff/organisations/${org.id}`);
    expect(readOnly.status).toBe(200);
    expect(readOnly.html).not.toContain(`href="/organisations/${org.id}/edit"`);
    expect((await auditor.browser.post(`/organisations/${org.id}/edit`, { name: 'Auditor was here' })).status).toBe(403);

    expect((await officer.browser.get('/staff/organisations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('is not for applicants or anonymous visitors', async () => {
    const { browser: b } = await person();
    expect((await b.get('/staff/organisations')).status).toBe(403);
    expect((await b.get(`/staff/organisations/${orgs[0].id}`)).status).toBe(403);
    const anonymous = await fetch(`${t.url}/staff/organisations`, { redirect: 'manual' });
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, '/sign-in']);
  });
});
