import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { FormDefinition } from '../forms/form.types.js';
import { checkSectionAnswers } from './demo-rules.js';

/**
 * West Yorkshire's Safer Communities Fund as demo data: the Police and Crime Plan priorities, the
 * fund, past rounds from 2014 to 2018 with decided bids, one round open whenever the demo starts
 * (dates relative to today), and bids in several states. Amounts are integer pence.
 *
 * Everything a person could make is made through the domain services (./seed.ts). The one
 * exception is the history below: rounds that closed years ago and bids decided in them cannot be
 * made through services that (rightly) refuse a round closing in the past and a bid after its
 * deadline, and their decisions (screening, assessment, panel) have no services yet. They are
 * written by importHistory(), the same way records of past awards are imported, under rules
 * checked here: the bid's creator is a member of its organisation, every section of its form is
 * complete with answers the form's own rules accept, and its budget adds up to the amount asked.
 * (Their documents are not imported: a funder does not keep 2015's files in a new service.)
 */

export const DEMO_OUTCOMES = [
  { code: 'safeguard-vulnerable-people', name: 'Safeguard vulnerable people', priorities: [
    ['human-trafficking-modern-slavery', 'Human Trafficking and Modern Slavery'],
    ['child-sexual-exploitation', 'Child Sexual Exploitation'],
    ['domestic-sexual-abuse', 'Domestic and Sexual Abuse'],
    ['hate-crime', 'Hate Crime'],
    ['mental-health', 'Mental Health'],
  ] },
  { code: 'keep-people-safe', name: 'Keep people safe and improve community safety', priorities: [
    ['anti-social-behaviour', 'Anti-social Behaviour'],
    ['cyber-crime', 'Cyber Crime'],
    ['serious-organised-crime', 'Serious and Organised Crime'],
    ['drugs-alcohol', 'Drugs and Alcohol'],
    ['road-safety', 'Road Safety'],
  ] },
  { code: 'victims-witnesses', name: 'Support victims and witnesses', priorities: [
    ['supporting-victims', 'Supporting Victims and Witnesses'],
  ] },
] as const;

export const DEMO_FORM: FormDefinition = {
  sections: [
    {
      key: 'need',
      title: 'The need for your project',
      description: 'Tell us why your community needs this project and how you know.',
      questions: [
        { key: 'problem', type: 'text', label: 'What community safety problem will your project tackle?', hint: 'Use evidence if you have it, such as local crime figures or what residents have told you.', required: true, wordLimit: 300 },
        { key: 'evidence', type: 'choice', label: 'How do you know there is a need?', required: true, options: ['Residents or service users told us', 'Local police or council data', 'Our own records', 'Other'] },
        { key: 'people', type: 'number', label: 'How many people will take part or benefit?', required: true, min: 1, max: 1000000 },
      ],
    },
    {
      key: 'delivery',
      title: 'How you will deliver it',
      questions: [
        { key: 'activities', type: 'text', label: 'What will you do, and when?', required: true, wordLimit: 400 },
        { key: 'partners', type: 'text', label: 'Which partners, including the police, will you work with?', required: false, wordLimit: 200 },
        { key: 'firstActivity', type: 'date', label: 'When will the first activity take place?', required: true },
        { key: 'otherFundingTotal', type: 'money', label: 'How much other funding have you secured for this project?', hint: 'Enter 0 if none.', required: false, min: 0 },
      ],
    },
    {
      key: 'safeguarding',
      title: 'Safeguarding and governance',
      questions: [
        { key: 'hasPolicy', type: 'yes_no', label: 'Does your organisation have a safeguarding policy reviewed in the last 12 months?', required: true },
        { key: 'dbsChecks', type: 'choice', label: 'Will people working with children or vulnerable adults have DBS checks?', required: true, options: ['Yes, enhanced DBS checks', 'Yes, basic DBS checks', 'Not applicable: no such work'] },
        { key: 'safeguarding_policy', type: 'file', label: 'Your safeguarding policy', hint: 'It should name your safeguarding lead and say when it was last reviewed.', required: true },
      ],
    },
  ],
};

export const DEMO_ELIGIBILITY = [
  { question: 'Is your group a voluntary or community group, charity, not-for-profit organisation or local statutory partner?', passingAnswer: true, failureMessage: 'The fund cannot pay grants to individuals or businesses that distribute profits.' },
  { question: 'Will the project take place in West Yorkshire?', passingAnswer: true, failureMessage: 'The fund only supports projects in Bradford, Calderdale, Kirklees, Leeds and Wakefield.' },
  { question: 'Will the project last 12 months or less?', passingAnswer: true, failureMessage: 'Projects longer than 12 months cannot be funded. You could apply for the first 12 months.' },
  { question: 'Is the money for a general appeal, a statutory duty, food for a foodbank or refreshments?', passingAnswer: false, failureMessage: 'The fund does not pay for general appeals, statutory duties, food for foodbanks or refreshments.' },
];

interface PastRound {
  code: string;
  title: string;
  opens: string;
  closes: string;
  budgetPence: number;
  status: 'archived' | 'decided';
  pots: { name: string; minPence: number; maxPence: number; budgetPence: number; priorities: string[] }[];
  /** [organisation name, project title, amount asked (pence), status, priority codes, district GSS] */
  bids: [string, string, number, 'approved' | 'rejected' | 'withdrawn', string[], string][];
}

const ALL_PRIORITIES = DEMO_OUTCOMES.flatMap((o) => o.priorities.map(([code]) => code));

export const DEMO_PAST_ROUNDS: PastRound[] = [
  {
    code: 'R8', title: 'Safer Communities Fund round 8', opens: '2015-01-05T09:00:00Z', closes: '2015-02-13T17:00:00Z', budgetPence: 15000000, status: 'archived',
    pots: [{ name: 'Community grants', minPence: 100000, maxPence: 500000, budgetPence: 15000000, priorities: ALL_PRIORITIES }],
    bids: [
      ['Holbeck Neighbourhood Watch Association', 'Street watch volunteers for Holbeck', 480000, 'approved', ['anti-social-behaviour'], 'E08000035'],
      ['Wakefield Street Angels', 'Night-time economy street pastors', 500000, 'approved', ['drugs-alcohol', 'supporting-victims'], 'E08000036'],
      ['Calder Valley Youth Outreach', 'Detached youth work in Todmorden', 450000, 'rejected', ['anti-social-behaviour'], 'E08000033'],
    ],
  },
  {
    code: 'R11', title: 'Safer Communities Fund round 11', opens: '2016-06-01T09:00:00Z', closes: '2016-07-29T16:00:00Z', budgetPence: 20000000, status: 'archived',
    pots: [{ name: 'Community grants', minPence: 100000, maxPence: 500000, budgetPence: 20000000, priorities: ALL_PRIORITIES }],
    bids: [
      ['Bradford Women’s Safety Network', 'Safe spaces for women in Manningham', 499950, 'approved', ['domestic-sexual-abuse'], 'E08000032'],
      ['Holbeck Neighbourhood Watch Association', 'Cyber safety sessions for older residents', 312575, 'approved', ['cyber-crime'], 'E08000035'],
      ['Calder Valley Youth Outreach', 'Knife crime awareness workshops', 500000, 'rejected', ['serious-organised-crime'], 'E08000033'],
    ],
  },
  {
    code: 'R15', title: 'Safer Communities Fund round 15', opens: '2017-09-04T09:00:00Z', closes: '2017-10-13T16:00:00Z', budgetPence: 30000000, status: 'archived',
    pots: [
      { name: 'Small grants', minPence: 100000, maxPence: 800000, budgetPence: 20000000, priorities: ALL_PRIORITIES },
      { name: 'Larger projects', minPence: 1500000, maxPence: 2000000, budgetPence: 10000000, priorities: ['human-trafficking-modern-slavery', 'child-sexual-exploitation', 'domestic-sexual-abuse'] },
    ],
    bids: [
      ['Bradford Women’s Safety Network', 'Modern slavery awareness for nail bar and car wash workers', 612300, 'approved', ['human-trafficking-modern-slavery'], 'E08000032'],
      ['Wakefield Street Angels', 'Spotting the signs of exploitation: training for volunteers', 387050, 'approved', ['human-trafficking-modern-slavery', 'child-sexual-exploitation'], 'E08000036'],
      ['Holbeck Neighbourhood Watch Association', 'Alley-gating consultation', 250000, 'withdrawn', ['anti-social-behaviour'], 'E08000035'],
    ],
  },
  {
    code: 'R17', title: 'Safer Communities Fund round 17', opens: '2018-01-08T09:00:00Z', closes: '2018-02-16T16:00:00Z', budgetPence: 25000000, status: 'decided',
    pots: [{ name: 'Community grants', minPence: 100000, maxPence: 600000, budgetPence: 25000000, priorities: ALL_PRIORITIES }],
    bids: [
      ['Calder Valley Youth Outreach', 'Online safety champions in secondary schools', 598800, 'approved', ['cyber-crime', 'child-sexual-exploitation'], 'E08000033'],
      ['Bradford Women’s Safety Network', 'Forced marriage helpline outreach', 415000, 'rejected', ['domestic-sexual-abuse'], 'E08000032'],
    ],
  },
];

type Ids = { districts: Map<string, string>; priorities: Map<string, string>; organisations: Map<string, string>; owners: Map<string, string> };

async function loadIds(m: EntityManager): Promise<Ids> {
  const map = async (sql: string) => new Map<string, string>((await m.query(sql)).map((r: { k: string; id: string }) => [r.k, r.id]));
  return {
    districts: await map(`SELECT gss_code AS k, id FROM districts`),
    priorities: await map(`SELECT code AS k, id FROM priorities`),
    organisations: await map(`SELECT name AS k, id FROM organisations`),
    owners: await map(`SELECT o.name AS k, m.user_id AS id FROM organisations o JOIN organisation_members m ON m.organisation_id = o.id AND m.role = 'owner'`),
  };
}

const pad = (n: number) => String(n).padStart(4, '0');

const CRITERIA =
  'Projects must make communities in West Yorkshire safer and support at least one priority of the Police and Crime Plan. Bids are scored on need, delivery, value for money and safeguarding.';
export const DEMO_EXCLUSIONS = 'General appeals; projects longer than 12 months; projects outside West Yorkshire; individuals; statutory duties; food for foodbanks; refreshments.';
export const DEMO_CRITERIA = CRITERIA;

async function insertRound(
  m: EntityManager,
  fundId: string,
  r: { code: string; title: string; opens: Date; closes: Date; budgetPence: number; status: string; description: string },
): Promise<{ roundId: string; formId: string }> {
  const roundId = randomUUID();
  const formId = randomUUID();
  await m.query(
    `INSERT INTO rounds (id, fund_id, code, title, description, criteria, exclusions, opens_at, closes_at, total_budget_pence, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [roundId, fundId, r.code, r.title, r.description, CRITERIA, DEMO_EXCLUSIONS, r.opens, r.closes, r.budgetPence, r.status],
  );
  await m.query(`INSERT INTO round_forms (id, round_id, version, definition, frozen_at) VALUES ($1, $2, 1, $3, $4)`, [formId, roundId, JSON.stringify(DEMO_FORM), r.opens]);
  await m.query(`UPDATE rounds SET current_form_id = $2 WHERE id = $1`, [roundId, formId]);
  for (const [i, q] of DEMO_ELIGIBILITY.entries()) {
    await m.query(
      `INSERT INTO eligibility_questions (round_id, position, question, passing_answer, failure_message) VALUES ($1, $2, $3, $4, $5)`,
      [roundId, i + 1, q.question, q.passingAnswer, q.failureMessage],
    );
  }
  return { roundId, formId };
}

async function insertPot(
  m: EntityManager,
  ids: Ids,
  roundId: string,
  position: number,
  p: { name: string; minPence: number; maxPence: number; budgetPence: number; priorities: readonly string[] },
): Promise<string> {
  const potId = randomUUID();
  await m.query(
    `INSERT INTO pots (id, round_id, name, min_grant_pence, max_grant_pence, budget_pence, position) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [potId, roundId, p.name, p.minPence, p.maxPence, p.budgetPence, position],
  );
  for (const id of ids.districts.values()) await m.query(`INSERT INTO pot_districts (pot_id, district_id) VALUES ($1, $2)`, [potId, id]);
  for (const code of p.priorities) await m.query(`INSERT INTO pot_priorities (pot_id, priority_id) VALUES ($1, $2)`, [potId, ids.priorities.get(code)]);
  return potId;
}

/** Answers to every question of DEMO_FORM that its rules accept (the file question is answered by an attachment). */
export function demoAnswers(section: string, project: { summary: string; start: string }): Record<string, unknown> {
  switch (section) {
    case 'need':
      return { problem: `${project.summary} Residents and local officers have raised this repeatedly at community meetings.`, evidence: 'Local police or council data', people: 120 };
    case 'delivery':
      return { activities: 'Weekly sessions run by trained volunteers, with a review each quarter.', partners: 'The local neighbourhood policing team and the council’s community safety team.', firstActivity: project.start, otherFundingTotal: 0 };
    case 'safeguarding':
      return { hasPolicy: true, dbsChecks: 'Yes, enhanced DBS checks' };
    default:
      return {};
  }
}

/** Two budget lines that add up to the amount asked. */
export function demoBudget(amountPence: number): { item: string; category: string; amountPence: number }[] {
  const staff = Math.round((amountPence * 0.6) / 100) * 100;
  return [
    { item: 'Sessional worker, 6 hours a week', category: 'staff', amountPence: staff },
    { item: 'Venue hire and materials', category: 'activities', amountPence: amountPence - staff },
  ];
}

interface HistoricBid {
  roundId: string;
  potId: string;
  formId: string;
  organisation: string;
  title: string;
  amountPence: number;
  path: string[];
  priorities: string[];
  district: string;
  submittedAt: Date;
  reference: string;
  start: string;
  end: string;
}

async function importBid(m: EntityManager, ids: Ids, bid: HistoricBid): Promise<void> {
  const id = randomUUID();
  const organisationId = ids.organisations.get(bid.organisation);
  const creator = ids.owners.get(bid.organisation);
  if (!organisationId || !creator) throw new Error(`demo history: ${bid.organisation} has no owner to have made "${bid.title}"`);
  const status = bid.path[bid.path.length - 1];
  const summary = `${bid.title}: a project to make the local community safer.`;
  const [{ full_name: declarant }] = await m.query(`SELECT full_name FROM users WHERE id = $1`, [creator]);
  await m.query(
    `INSERT INTO applications (id, round_id, pot_id, organisation_id, form_id, reference, project_title, project_summary, project_start_date, project_end_date,
        amount_requested_pence, status, declaration_name, declaration_accepted_at, submitted_at, submitted_by, withdrawn_at, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $15, $14, $14)`,
    [id, bid.roundId, bid.potId, organisationId, bid.formId, bid.reference, bid.title, summary, bid.start, bid.end, bid.amountPence, status, declarant, bid.submittedAt, creator,
      status === 'withdrawn' ? bid.submittedAt : null],
  );
  await m.query(`INSERT INTO application_districts (application_id, district_id) VALUES ($1, $2)`, [id, ids.districts.get(bid.district)]);
  for (const code of bid.priorities) await m.query(`INSERT INTO application_priorities (application_id, priority_id) VALUES ($1, $2)`, [id, ids.priorities.get(code)]);
  const sections: [string, Record<string, unknown>][] = [
    ['_project', {}],
    ...DEMO_FORM.sections.map((s): [string, Record<string, unknown>] => [s.key, checkSectionAnswers(DEMO_FORM, s.key, demoAnswers(s.key, { summary, start: bid.start }))]),
    ['_budget', {}],
  ];
  for (const [key, answers] of sections) {
    await m.query(`INSERT INTO application_sections (application_id, section_key, answers, status, updated_by) VALUES ($1, $2, $3, 'completed', $4)`, [id, key, JSON.stringify(answers), creator]);
  }
  for (const [i, line] of demoBudget(bid.amountPence).entries()) {
    await m.query(`INSERT INTO budget_lines (application_id, item, category, amount_pence, position, updated_by) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id, line.item, line.category, line.amountPence, i, creator,
    ]);
  }
  let from: string | null = null;
  for (const to of bid.path) {
    const byApplicant = to === 'draft' || to === 'submitted' || to === 'withdrawn';
    await m.query(
      `INSERT INTO application_transitions (application_id, from_status, to_status, actor_user_id, actor_label, occurred_at, reason) VALUES ($1, $2, $3, $4, $5, $6, 'Imported from the records of the round')`,
      [id, from, to, byApplicant ? creator : null, byApplicant ? 'system:demo-history' : 'system:demo-history', bid.submittedAt],
    );
    from = to;
  }
}

/** The priorities of the Police and Crime Plan are reference data the services read. */
export { ALL_PRIORITIES };

/** The rounds of 2015 to 2018 and their decided bids, imported as records (see the note at the top). */
export async function importHistory(m: EntityManager, fundId: string): Promise<void> {
  const ids = await loadIds(m);
  for (const past of DEMO_PAST_ROUNDS) {
    const { roundId, formId } = await insertRound(m, fundId, {
      code: past.code, title: past.title, opens: new Date(past.opens), closes: new Date(past.closes), budgetPence: past.budgetPence, status: past.status,
      description: `Round ${past.code.slice(1)} of the Safer Communities Fund.`,
    });
    const potIds: string[] = [];
    for (const [i, p] of past.pots.entries()) potIds.push(await insertPot(m, ids, roundId, i, p));
    const closes = new Date(past.closes);
    for (const [n, [organisation, title, amount, outcome, priorities, district]] of past.bids.entries()) {
      const pot = past.pots.findIndex((p) => amount >= p.minPence && amount <= p.maxPence);
      if (pot < 0) throw new Error(`demo history: ${title} asks for an amount no pot of ${past.code} allows`);
      const start = new Date(closes.getTime() + 60 * 86400000);
      await importBid(m, ids, {
        roundId, potId: potIds[pot], formId, organisation, title, amountPence: amount,
        path: outcome === 'withdrawn' ? ['draft', 'submitted', 'withdrawn'] : ['draft', 'submitted', 'screening', 'in_assessment', 'assessed', 'at_panel', outcome],
        priorities, district, submittedAt: new Date(closes.getTime() - (n + 2) * 86400000), reference: `SCF-${past.code}-${pad(n + 1)}`,
        start: isoDate(start), end: isoDate(new Date(start.getTime() + 300 * 86400000)),
      });
    }
    await m.query(`UPDATE rounds SET last_reference_number = $2 WHERE id = $1`, [roundId, past.bids.length]);
  }
}

/** Adds days to today (UTC midnight) and sets the hour given (UTC). */
export function daysFromToday(days: number, hourUtc: number): Date {
  const d = new Date();
  d.setUTCHours(hourUtc, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}

export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
