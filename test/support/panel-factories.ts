import { randomBytes } from 'node:crypto';
import { createOrganisation, createUser, tokenFor, type TestUser } from './factories.js';
import { createOpenRound, type TestRound } from './funding-factories.js';
import type { ApiClient } from './http.js';
import type { TestApp } from './test-app.js';

export interface PanelCast {
  round: TestRound;
  potId: string;
  officer: TestUser;
  officerToken: string;
  members: TestUser[];
  memberTokens: string[];
  organisations: { id: string; name: string; owner: TestUser }[];
}

export interface AssessedBid {
  id: string;
  reference: string;
  organisationId: string;
  amountPence: number;
}

/**
 * A round whose first pot has `budgetPence`, a grants officer and `members` panel members, and
 * `organisations` applicant organisations. Bids come from assessedBids (direct SQL, for speed).
 */
export async function panelCast(t: TestApp, options: { budgetPence?: number; members?: number; organisations?: number } = {}): Promise<PanelCast> {
  const round = await createOpenRound(t.db);
  const potId = round.pots[0].id;
  await t.db.query(`UPDATE pots SET budget_pence = $2, max_grant_pence = GREATEST(max_grant_pence, $2) WHERE id = $1`, [potId, options.budgetPence ?? 100_000_00]);
  const officer = await createUser(t.db, { roles: ['grants_officer'], fullName: 'Olive Officer' });
  const members: TestUser[] = [];
  for (let i = 0; i < (options.members ?? 3); i++) members.push(await createUser(t.db, { roles: ['panel_member'], fullName: `Panel Member ${i + 1}` }));
  const organisations: PanelCast['organisations'] = [];
  for (let i = 0; i < (options.organisations ?? 2); i++) {
    const owner = await createUser(t.db, { fullName: `Owner ${i + 1}` });
    organisations.push({ ...(await createOrganisation(t.db, owner)), owner });
  }
  return { round, potId, officer, officerToken: await tokenFor(t, officer), members, memberTokens: await Promise.all(members.map((m) => tokenFor(t, m))), organisations };
}

/**
 * `count` submitted, assessed bids of the cast's round and pot (organisations in turn), written
 * straight to the database as if screened and assessed: the application row in `assessed` with its
 * history, and assessment's bid row in `assessed` with a moderated score (so the ranking has it).
 */
export async function assessedBids(t: TestApp, cast: PanelCast, count: number, amountPence = 3_000_00, options: { potId?: string } = {}): Promise<AssessedBid[]> {
  const potId = options.potId ?? cast.potId;
  const bids: AssessedBid[] = [];
  for (let i = 0; i < count; i++) {
    const org = cast.organisations[i % cast.organisations.length];
    const reference = `${cast.round.prefix}-P${randomBytes(4).toString('hex').toUpperCase()}`;
    const [app] = await t.db.query(
      `INSERT INTO applications (round_id, pot_id, organisation_id, form_id, reference, project_title, project_summary, amount_requested_pence, status, declaration_name, declaration_accepted_at, submitted_at, submitted_by, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'A test project', $7, 'assessed', 'Test Owner', now(), now() - make_interval(secs => $8), $9, $9) RETURNING id`,
      [cast.round.roundId, potId, org.id, cast.round.formId, reference, `Project ${i + 1}`, amountPence, count - i, org.owner.id],
    );
    await t.db.query(`INSERT INTO application_transitions (application_id, from_status, to_status, actor_label, reason) VALUES ($1, 'in_assessment', 'assessed', 'test:factory', NULL)`, [app.id]);
    await t.db.query(`INSERT INTO assessment_bids (application_id, round_id, pot_id, organisation_id, state, moderated_score, moderation_reason) VALUES ($1, $2, $3, $4, 'assessed', $5, 'test')`, [
      app.id,
      cast.round.roundId,
      potId,
      org.id,
      90 - (i % 50),
    ]);
    bids.push({ id: app.id, reference, organisationId: org.id, amountPence });
  }
  return bids;
}

/** A panel meeting of the cast's round with all its members (the first chairs) and these bids on its agenda. */
export async function panelWithAgenda(api: ApiClient, cast: PanelCast, bids: { id: string }[], title = 'Test panel'): Promise<string> {
  const created = await api.post(
    '/api/v1/panels',
    { roundId: cast.round.roundId, title, meetingAt: new Date(Date.now() + 86400_000).toISOString(), memberIds: cast.members.map((m) => m.id), chairId: cast.members[0].id },
    { token: cast.officerToken },
  );
  if (created.status !== 201) throw new Error(`panel: ${created.status} ${created.text}`);
  if (bids.length) {
    const agenda = await api.post(`/api/v1/panels/${created.body.id}/agenda`, { applicationIds: bids.map((b) => b.id) }, { token: cast.officerToken });
    if (agenda.status !== 200) throw new Error(`agenda: ${agenda.status} ${agenda.text}`);
  }
  return created.body.id;
}
