/**
 * Members and invitations over the JSON API: the invitation email through the real outbox, queue
 * and SMTP sink; accepting it; every way a link can no longer be used; cancelling invitations,
 * removing members and leaving; and the audit trail of each.
 */
import { hashSecret } from '../../src/auth/token-secrets.js';
import { createOrganisation, createUser, tokenFor, uniqueEmail, type TestUser } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { linkIn } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ApiClient;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
});
afterAll(async () => {
  await t?.close();
});

interface Person {
  user: TestUser;
  token: string;
}

async function person(email?: string): Promise<Person> {
  const user = await createUser(t.db, { email });
  return { user, token: await tokenFor(t, user) };
}

async function organisationOwnedBy(owner: Person) {
  return createOrganisation(t.db, owner.user);
}

/** Invites `email` and returns the token from the email that arrives in the SMTP sink. */
async function inviteAndReceive(owner: Person, organisationId: string, email: string): Promise<{ inviteId: string; token: string }> {
  const earlier = t.mailbox.to(email).length;
  const res = await api.post(`/api/v1/organisations/${organisationId}/invites`, { email }, { token: owner.token });
  expect(res.status).toBe(201);
  await t.settle();
  const mail = await t.mailbox.waitFor(email, (m) => t.mailbox.to(email).indexOf(m) >= earlier);
  return { inviteId: res.body.id, token: decodeURIComponent(linkIn(mail, '/invites/').split('/invites/')[1]) };
}

const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query(sql, params))[0].count);
const membership = (organisationId: string, userId: string) =>
  t.db.query(`SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`, [organisationId, userId]);
const auditActions = async (organisationId: string) =>
  (await t.db.query(`SELECT action FROM audit_events WHERE entity_type = 'organisation' AND entity_id = $1 ORDER BY id`, [organisationId])).map(
    (r: { action: string }) => r.action,
  );

describe('inviting a colleague', () => {
  it('emails a single-use link; the invited person accepts it and becomes a member; all audited', async () => {
    const owner = await person();
    const org = await organisationOwnedBy(owner);
    const colleague = await person(uniqueEmail('colleague'));

    const res = await api.post(`/api/v1/organisations/${org.id}/invites`, { email: `  ${colleague.user.email.toUpperCase()} ` }, { token: owner.token });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ organisationId: org.id, email: colleague.user.email, status: 'pending', invitedBy: { userId: owner.user.id } });
    const expiresInDays = (new Date(res.body.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(expiresInDays).toBeGreaterThan(13.9);
    expect(expiresInDays).toBeLessThanOrEqual(14);

    await t.settle();
    const mail = await t.mailbox.waitFor(colleague.user.email);
    expect(mail.subject).toBe(`You have been invited to join ${org.name}`);
    expect(mail.text).toContain('Test Person has invited you to join');
    const link = linkIn(mail, '/invites/');
    expect(link.startsWith(`${t.url}/invites/`)).toBe(true);
    expect(mail.html).toContain(link);
    const token = decodeURIComponent(link.split('/invites/')[1]);

    // Only the hash of the token is stored.
    const [stored] = await t.db.query(`SELECT token_hash FROM organisation_invites WHERE id = $1`, [res.body.id]);
    expect(stored.token_hash).toBe(hashSecret(token));
    expect(JSON.stringify(await t.db.query(`SELECT * FROM organisation_invites`))).not.toContain(token);

    const landing = await api.get(`/api/v1/invites/${token}`, { token: colleague.token });
    expect(landing.status).toBe(200);
    expect(landing.body).toMatchObject({ organisation: { id: org.id, name: org.name }, status: 'pending', forYou: true, alreadyMember: false });

    const accepted = await api.post(`/api/v1/invites/${token}/accept`, undefined, { token: colleague.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ id: org.id, myRole: 'member' });
    expect(await membership(org.id, colleague.user.id)).toEqual([{ role: 'member' }]);

    const members = await api.get(`/api/v1/organisations/${org.id}/members`, { token: colleague.token });
    expect(members.body.items.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [owner.user.email, 'owner'],
      [colleague.user.email, 'member'],
    ]);
    const invites = await api.get(`/api/v1/organisations/${org.id}/invites`, { token: owner.token });
    expect(invites.body.items[0]).toMatchObject({ id: res.body.id, status: 'accepted' });
    expect(await auditActions(org.id)).toEqual(['organisation.member_invited', 'organisation.member_joined']);
    const [joined] = await t.db.query(`SELECT actor_user_id, after FROM audit_events WHERE entity_id = $1 AND action = 'organisation.member_joined'`, [org.id]);
    expect(joined).toMatchObject({ actor_user_id: colleague.user.id, after: { userId: colleague.user.id, role: 'member', inviteId: res.body.id } });
    // The new member now reaches the organisation's data.
    expect((await api.get(`/api/v1/organisations/${org.id}`, { token: colleague.token })).status).toBe(200);
  });

  it('refuses invalid addresses and people who are already members, and sends nothing', async () => {
    const owner = await person();
    const org = await organisationOwnedBy(owner);
    const cases: [unknown, number, string, string][] = [
      [{ email: 'not-an-email' }, 422, 'email', 'FIELD.INVALID_EMAIL'],
      [{ email: 42 }, 422, 'email', 'FIELD.NOT_A_STRING'],
      [{}, 422, 'email', 'FIELD.REQUIRED'],
      [{ email: 'a@example.org', role: 'owner' }, 422, 'role', 'FIELD.UNKNOWN_FIELD'],
      [{ email: `${'x'.repeat(250)}@example.org` }, 422, 'email', 'FIELD.TOO_LONG'],
      [{ email: owner.user.email }, 409, 'email', 'ORGANISATION.ALREADY_MEMBER'],
    ];
    for (const [payload, status, field, code] of cases) {
      const res = await api.post(`/api/v1/organisations/${org.id}/invites`, payload, { token: owner.token });
      expect([res.status, res.body.errors]).toEqual([status, expect.arrayContaining([expect.objectContaining({ field, code })])]);
    }
    const malformed = await api.request('POST', `/api/v1/organisations/${org.id}/invites`, { token: owner.token, raw: '{"email":' });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'REQUEST.MALFORMED_JSON']);
    expect(await count(`SELECT count(*) FROM organisation_invites WHERE organisation_id = $1`, [org.id])).toBe(0);
    expect(await count(`SELECT count(*) FROM email_messages WHERE organisation_id = $1`, [org.id])).toBe(0);
    expect(await auditActions(org.id)).toEqual([]);
  });

  it('inviting the same address again replaces the earlier link', async () => {
    const owner = await person();
    const org = await organisationOwnedBy(owner);
    const invitee = await person(uniqueEmail('again'));
    const first = await inviteAndReceive(owner, org.id, invitee.user.email);
    const second = await inviteAndReceive(owner, org.id, invitee.user.email);
    expect(second.token).not.toBe(first.token);
    expect(t.mailbox.to(invitee.user.email)).toHaveLength(2);

    const old = await api.post(`/api/v1/invites/${first.token}/accept`, undefined, { token: invitee.token });
    expect([old.status, old.body.code]).toEqual([410, 'ORGANISATION.INVITE_REVOKED']);
    const current = await api.post(`/api/v1/invites/${second.token}/accept`, undefined, { token: invitee.token });
    expect(current.status).toBe(200);
    const [audit] = await t.db.query(`SELECT after FROM audit_events WHERE entity_id = $1 AND action = 'organisation.member_invited' ORDER BY id DESC LIMIT 1`, [org.id]);
    expect(audit.after.replacedInviteIds).toEqual([first.inviteId]);
  });
});

describe('links that can no longer be used are refused, and nothing changes', () => {
  let owner: Person;
  let org: { id: string };

  beforeAll(async () => {
    owner = await person();
    org = await organisationOwnedBy(owner);
  });

  async function expectRefused(token: string, caller: Person, status: number, code: string) {
    const members = await count(`SELECT count(*) FROM organisation_members WHERE organisation_id = $1`, [org.id]);
    const invites = JSON.stringify(await t.db.query(`SELECT * FROM organisation_invites WHERE organisation_id = $1 ORDER BY id`, [org.id]));
    const audit = await count(`SELECT count(*) FROM audit_events WHERE entity_id = $1`, [org.id]);
    const callerMembership = await membership(org.id, caller.user.id);
    const res = await api.post(`/api/v1/invites/${encodeURIComponent(token)}/accept`, undefined, { token: caller.token });
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(res.body.detail).toEqual(expect.any(String));
    expect(await count(`SELECT count(*) FROM organisation_members WHERE organisation_id = $1`, [org.id])).toBe(members);
    expect(JSON.stringify(await t.db.query(`SELECT * FROM organisation_invites WHERE organisation_id = $1 ORDER BY id`, [org.id]))).toBe(invites);
    expect(await count(`SELECT count(*) FROM audit_events WHERE entity_id = $1`, [org.id])).toBe(audit);
    expect(await membership(org.id, caller.user.id)).toEqual(callerMembership);
  }

  it('an expired link', async () => {
    const invitee = await person(uniqueEmail('late'));
    const { inviteId, token } = await inviteAndReceive(owner, org.id, invitee.user.email);
    await t.db.query(`UPDATE organisation_invites SET expires_at = now() - interval '1 second' WHERE id = $1`, [inviteId]);
    await expectRefused(token, invitee, 410, 'ORGANISATION.INVITE_EXPIRED');
    expect((await api.get(`/api/v1/invites/${token}`, { token: invitee.token })).body.status).toBe('expired');
  });

  it('a link used a second time', async () => {
    const invitee = await person(uniqueEmail('twice'));
    const { token } = await inviteAndReceive(owner, org.id, invitee.user.email);
    expect((await api.post(`/api/v1/invites/${token}/accept`, undefined, { token: invitee.token })).status).toBe(200);
    await expectRefused(token, invitee, 409, 'ORGANISATION.INVITE_ALREADY_USED');
    // Leaving and trying the old link again does not bring them back.
    expect((await api.delete(`/api/v1/organisations/${org.id}/members/${invitee.user.id}`, { token: invitee.token })).status).toBe(204);
    await expectRefused(token, invitee, 409, 'ORGANISATION.INVITE_ALREADY_USED');
  });

  it('a link used by someone signed in with a different email', async () => {
    const invitee = await person(uniqueEmail('right'));
    const someoneElse = await person(uniqueEmail('wrong'));
    const { token } = await inviteAndReceive(owner, org.id, invitee.user.email);
    await expectRefused(token, someoneElse, 403, 'ORGANISATION.INVITE_WRONG_ACCOUNT');
    const landing = await api.get(`/api/v1/invites/${token}`, { token: someoneElse.token });
    expect(landing.body).toMatchObject({ status: 'pending', forYou: false, invitedEmail: null });
    // It still works for the person it was sent to.
    expect((await api.post(`/api/v1/invites/${token}/accept`, undefined, { token: invitee.token })).status).toBe(200);
  });

  it('a cancelled link', async () => {
    const invitee = await person(uniqueEmail('cancelled'));
    const { inviteId, token } = await inviteAndReceive(owner, org.id, invitee.user.email);
    const revoked = await api.delete(`/api/v1/organisations/${org.id}/invites/${inviteId}`, { token: owner.token });
    expect(revoked.status).toBe(204);
    await expectRefused(token, invitee, 410, 'ORGANISATION.INVITE_REVOKED');
  });

  it('a link that does not exist, or is not a token at all', async () => {
    const invitee = await person();
    await expectRefused('not-a-real-token', invitee, 404, 'ORGANISATION.INVITE_NOT_FOUND');
    await expectRefused('x'.repeat(95), invitee, 404, 'ORGANISATION.INVITE_NOT_FOUND');
    // Far longer than any token: refused by the router before it reaches us, still a client error.
    const huge = await api.post(`/api/v1/invites/${'x'.repeat(500)}/accept`, undefined, { token: invitee.token });
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    expect((await api.get('/api/v1/invites/not-a-real-token', { token: invitee.token })).status).toBe(404);
  });

  it('a person who is already a member', async () => {
    const invitee = await person(uniqueEmail('member'));
    const { token } = await inviteAndReceive(owner, org.id, invitee.user.email);
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [org.id, invitee.user.id]);
    await expectRefused(token, invitee, 409, 'ORGANISATION.ALREADY_MEMBER');
    await t.db.query(`DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`, [org.id, invitee.user.id]);
  });
});

describe('cancelling invitations', () => {
  it('is audited once; cancelling again changes nothing; a used invitation cannot be cancelled', async () => {
    const owner = await person();
    const org = await organisationOwnedBy(owner);
    const invitee = await person(uniqueEmail('revoke'));
    const { inviteId } = await inviteAndReceive(owner, org.id, invitee.user.email);

    expect((await api.delete(`/api/v1/organisations/${org.id}/invites/${inviteId}`, { token: owner.token })).status).toBe(204);
    expect((await api.delete(`/api/v1/organisations/${org.id}/invites/${inviteId}`, { token: owner.token })).status).toBe(204);
    expect(await auditActions(org.id)).toEqual(['organisation.member_invited', 'organisation.invite_revoked']);
    const [row] = await t.db.query(`SELECT before, after FROM audit_events WHERE entity_id = $1 AND action = 'organisation.invite_revoked'`, [org.id]);
    expect(row).toEqual({ before: { inviteId, email: invitee.user.email, status: 'pending' }, after: { inviteId, email: invitee.user.email, status: 'revoked' } });

    const used = await inviteAndReceive(owner, org.id, invitee.user.email);
    expect((await api.post(`/api/v1/invites/${used.token}/accept`, undefined, { token: invitee.token })).status).toBe(200);
    const res = await api.delete(`/api/v1/organisations/${org.id}/invites/${used.inviteId}`, { token: owner.token });
    expect([res.status, res.body.code]).toEqual([409, 'ORGANISATION.INVITE_ALREADY_USED']);
  });

  it("answers 404 for an invitation id that is unknown or belongs to another organisation", async () => {
    const owner = await person();
    const org = await organisationOwnedBy(owner);
    const other = await person();
    const otherOrg = await organisationOwnedBy(other);
    const { inviteId: othersInvite } = await inviteAndReceive(other, otherOrg.id, uniqueEmail('theirs'));
    for (const id of [othersInvite, '00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await api.delete(`/api/v1/organisations/${org.id}/invites/${id}`, { token: owner.token });
      expect([res.status, res.body.code]).toEqual([404, 'ORGANISATION.INVITE_NOT_FOUND']);
    }
    expect(await count(`SELECT count(*) FROM organisation_invites WHERE id = $1 AND revoked_at IS NULL`, [othersInvite])).toBe(1);
  });
});

describe('removing members and leaving', () => {
  let owner: Person;
  let member: Person;
  let org: { id: string };

  beforeEach(async () => {
    owner = await person();
    member = await person();
    org = await organisationOwnedBy(owner);
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [org.id, member.user.id]);
  });

  it('an owner removes a member, who then gets 404 for the organisation; audited', async () => {
    const res = await api.delete(`/api/v1/organisations/${org.id}/members/${member.user.id}`, { token: owner.token });
    expect(res.status).toBe(204);
    expect(await membership(org.id, member.user.id)).toEqual([]);
    expect((await api.get(`/api/v1/organisations/${org.id}`, { token: member.token })).status).toBe(404);
    const [row] = await t.db.query(`SELECT action, actor_user_id, before, after FROM audit_events WHERE entity_id = $1`, [org.id]);
    expect(row).toMatchObject({ action: 'organisation.member_removed', actor_user_id: owner.user.id, before: { userId: member.user.id, role: 'member' }, after: null });
  });

  it('a member leaves; audited as leaving', async () => {
    const res = await api.delete(`/api/v1/organisations/${org.id}/members/${member.user.id}`, { token: member.token });
    expect(res.status).toBe(204);
    expect(await membership(org.id, member.user.id)).toEqual([]);
    expect(await auditActions(org.id)).toEqual(['organisation.member_left']);
  });

  it('the only owner can neither leave nor be removed; with a second owner they can', async () => {
    const alone = await api.delete(`/api/v1/organisations/${org.id}/members/${owner.user.id}`, { token: owner.token });
    expect([alone.status, alone.body.code]).toEqual([409, 'ORGANISATION.LAST_OWNER']);
    expect(await membership(org.id, owner.user.id)).toEqual([{ role: 'owner' }]);

    const second = await person();
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [org.id, second.user.id]);
    expect((await api.delete(`/api/v1/organisations/${org.id}/members/${owner.user.id}`, { token: second.token })).status).toBe(204);
    const last = await api.delete(`/api/v1/organisations/${org.id}/members/${second.user.id}`, { token: second.token });
    expect([last.status, last.body.code]).toEqual([409, 'ORGANISATION.LAST_OWNER']);
  });

  it('two owners leaving at the same moment cannot leave the organisation without an owner', async () => {
    const second = await person();
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [org.id, second.user.id]);
    const results = await Promise.all([
      api.delete(`/api/v1/organisations/${org.id}/members/${owner.user.id}`, { token: owner.token }),
      api.delete(`/api/v1/organisations/${org.id}/members/${second.user.id}`, { token: second.token }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
    expect(await count(`SELECT count(*) FROM organisation_members WHERE organisation_id = $1 AND role = 'owner'`, [org.id])).toBe(1);
  });

  it('removing someone who is not a member is 404', async () => {
    const stranger = await person();
    for (const id of [stranger.user.id, 'not-a-uuid']) {
      const res = await api.delete(`/api/v1/organisations/${org.id}/members/${id}`, { token: owner.token });
      expect([res.status, res.body.code]).toEqual([404, 'ORGANISATION.MEMBER_NOT_FOUND']);
    }
    expect(await auditActions(org.id)).toEqual([]);
  });
});
