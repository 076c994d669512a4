import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { FormDefinition } from '../funds/round-form.entity.js';

/**
 * West Yorkshire's Safer Communities Fund as demo data: the Police and Crime Plan priorities, the
 * fund, past rounds from 2014 to 2018 with decided bids, one round open whenever the demo starts
 * (dates relative to today), and bids in several states. Amounts are integer pence.
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
        { key: 'safeguarding_policy', type: 'file', label: 'Upload your safeguarding policy', hint: 'Add it on the attachments page as a "Safeguarding policy".', required: true },
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

type Ids = { districts: Map<string, string>; priorities: Map<string, string>; organisations: Map<string, string>; users: Map<string, string> };

async function loadIds(m: EntityManager): Promise<Ids> {
  const map = async (sql: string) => new Map<string, string>((await m.query(sql)).map((r: { k: string; id: string }) => [r.k, r.id]));
  return {
    districts: await map(`SELECT gss_code AS k, id FROM districts`),
    priorities: await map(`SELECT code AS k, id FROM priorities`),
    organisations: await map(`SELECT name AS k, id FROM organisations`),
    users: await map(`SELECT email AS k, id FROM users`),
  };
}

const pad = (n: number) => String(n).padStart(4, '0');

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
    [
      roundId, fundId, r.code, r.title, r.description,
      'Projects must make communities in West Yorkshire safer and support at least one priority of the Police and Crime Plan. Bids are scored on need, delivery, value for money and safeguarding.',
      'General appeals; projects longer than 12 months; projects outside West Yorkshire; individuals; statutory duties; food for foodbanks; refreshments.',
      r.opens, r.closes, r.budgetPence, r.status,
    ],
  );
  await m.query(`INSERT INTO round_forms (id, round_id, version, definition, frozen_at) VALUES ($1, $2, 1, $3, $4)`, [
    formId, roundId, JSON.stringify(DEMO_FORM), r.status === 'draft' ? null : r.opens,
  ]);
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
  p: { name: string; minPence: number; maxPence: number; budgetPence: number; priorities: readonly string[]; districts?: string[]; description?: string },
): Promise<string> {
  const potId = randomUUID();
  await m.query(
    `INSERT INTO pots (id, round_id, name, description, min_grant_pence, max_grant_pence, budget_pence, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [potId, roundId, p.name, p.description ?? null, p.minPence, p.maxPence, p.budgetPence, position],
  );
  for (const gss of p.districts ?? [...ids.districts.keys()]) {
    await m.query(`INSERT INTO pot_districts (pot_id, district_id) VALUES ($1, $2)`, [potId, ids.districts.get(gss)]);
  }
  for (const code of p.priorities) {
    await m.query(`INSERT INTO pot_priorities (pot_id, priority_id) VALUES ($1, $2)`, [potId, ids.priorities.get(code)]);
  }
  return potId;
}

interface DemoBid {
  roundId: string;
  potId: string;
  formId: string;
  organisation: string;
  createdBy: string;
  title: string;
  summary: string;
  amountPence: number;
  /** The path of statuses it went through, ending in its current one. */
  path: string[];
  priorities: string[];
  district: string;
  submittedAt: Date | null;
  reference: string | null;
  start: string;
  end: string;
  complete: boolean;
}

async function insertBid(m: EntityManager, ids: Ids, bid: DemoBid): Promise<void> {
  const id = randomUUID();
  const organisationId = ids.organisations.get(bid.organisation)!;
  const status = bid.path[bid.path.length - 1];
  const userId = ids.users.get(bid.createdBy) ?? null;
  const creator = userId ?? ids.users.get('applicant@demo.test')!;
  await m.query(
    `INSERT INTO applications (id, round_id, pot_id, organisation_id, form_id, reference, project_title, project_summary, project_start_date, project_end_date,
        amount_requested_pence, status, declaration_name, declaration_accepted_at, submitted_at, submitted_by, withdrawn_at, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)`,
    [
      id, bid.roundId, bid.potId, organisationId, bid.formId, bid.reference, bid.title, bid.summary, bid.start, bid.end,
      bid.amountPence, status, bid.submittedAt ? 'Demo Applicant' : null, bid.submittedAt, bid.submittedAt, bid.submittedAt ? creator : null,
      status === 'withdrawn' ? bid.submittedAt : null, creator, bid.submittedAt ?? new Date(),
    ],
  );
  await m.query(`INSERT INTO application_districts (application_id, district_id) VALUES ($1, $2)`, [id, ids.districts.get(bid.district)]);
  for (const code of bid.priorities) {
    await m.query(`INSERT INTO application_priorities (application_id, priority_id) VALUES ($1, $2)`, [id, ids.priorities.get(code)]);
  }
  const sectionStatus = bid.complete ? 'completed' : 'in_progress';
  await m.query(`INSERT INTO application_sections (application_id, section_key, answers, status, updated_by) VALUES ($1, '_project', '{}', $2, $3)`, [id, sectionStatus, creator]);
  await m.query(`INSERT INTO application_sections (application_id, section_key, answers, status, updated_by) VALUES ($1, 'need', $2, $3, $4)`, [
    id,
    JSON.stringify({ problem: `${bid.summary} Residents and local officers have raised this repeatedly at community meetings.`, evidence: 'Local police or council data', people: 120 }),
    sectionStatus,
    creator,
  ]);
  if (bid.complete) {
    await m.query(`INSERT INTO application_sections (application_id, section_key, answers, status, updated_by) VALUES ($1, 'delivery', $2, 'completed', $3)`, [
      id, JSON.stringify({ activities: 'Weekly sessions run by trained volunteers, with a review each quarter.', firstActivity: bid.start, otherFundingTotal: 0 }), creator,
    ]);
    await m.query(`INSERT INTO application_sections (application_id, section_key, answers, status, updated_by) VALUES ($1, 'safeguarding', $2, 'completed', $3)`, [
      id, JSON.stringify({ hasPolicy: true, dbsChecks: 'Yes, enhanced DBS checks' }), creator,
    ]);
    await m.query(`INSERT INTO application_sections (application_id, section_key, answers, status, updated_by) VALUES ($1, '_budget', '{}', 'completed', $2)`, [id, creator]);
  }
  // Budget: two lines that add up to the amount asked.
  const staff = Math.round((bid.amountPence * 0.6) / 100) * 100;
  const lines: [string, string, number][] = [
    ['Sessional worker, 6 hours a week', 'staff', staff],
    ['Venue hire and materials', 'activities', bid.amountPence - staff],
  ];
  for (const [i, [item, category, amount]] of lines.entries()) {
    await m.query(`INSERT INTO budget_lines (application_id, item, category, amount_pence, position, updated_by) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id, item, category, amount, i, creator,
    ]);
  }
  let from: string | null = null;
  for (const to of bid.path) {
    await m.query(
      `INSERT INTO application_transitions (application_id, from_status, to_status, actor_user_id, actor_label, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, from, to, to === 'draft' || to === 'submitted' || to === 'withdrawn' ? creator : ids.users.get('officer@demo.test'), to === 'draft' || to === 'submitted' || to === 'withdrawn' ? bid.createdBy : 'officer@demo.test', bid.submittedAt ?? new Date()],
    );
    from = to;
  }
}

/** Adds days to today (UTC midnight) and sets the London office hour given. */
function daysFromToday(days: number, hourUtc: number): Date {
  const d = new Date();
  d.setUTCHours(hourUtc, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export async function seedDemoFunding(m: EntityManager): Promise<void> {
  for (const [i, o] of DEMO_OUTCOMES.entries()) {
    const [{ id }] = await m.query(`INSERT INTO outcomes (code, name, position) VALUES ($1, $2, $3) RETURNING id`, [o.code, o.name, i + 1]);
    for (const [j, [code, name]] of o.priorities.entries()) {
      await m.query(`INSERT INTO priorities (code, name, outcome_id, position) VALUES ($1, $2, $3, $4)`, [code, name, id, j + 1]);
    }
  }
  const ids = await loadIds(m);
  const fundId = randomUUID();
  await m.query(
    `INSERT INTO funds (id, name, funder_name, funding_source, description, reference_prefix) VALUES ($1, $2, $3, $4, $5, 'SCF')`,
    [
      fundId,
      'Safer Communities Fund',
      'Police and Crime Commissioner for West Yorkshire',
      'Proceeds of Crime Act',
      'Small grants, paid from money recovered from criminals, to voluntary and community groups, charities, not-for-profits and local statutory partners for projects that make communities safer.',
    ],
  );

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
      const submittedAt = new Date(closes.getTime() - (n + 2) * 86400000);
      const start = new Date(closes.getTime() + 60 * 86400000);
      await insertBid(m, ids, {
        roundId, potId: potIds[Math.max(0, pot)], formId, organisation, createdBy: 'applicant@demo.test', title,
        summary: `${title}: a project to make the local community safer.`, amountPence: amount,
        path: outcome === 'withdrawn' ? ['draft', 'submitted', 'withdrawn'] : ['draft', 'submitted', 'screening', 'in_assessment', 'assessed', 'at_panel', outcome],
        priorities, district, submittedAt, reference: `SCF-${past.code}-${pad(n + 1)}`,
        start: isoDate(start), end: isoDate(new Date(start.getTime() + 300 * 86400000)), complete: true,
      });
    }
    await m.query(`UPDATE rounds SET last_reference_number = $2 WHERE id = $1`, [roundId, past.bids.length]);
  }

  // The round that is open whenever the demo starts: opened a week ago, closes in four weeks at 5pm.
  const opens = daysFromToday(-7, 9);
  const closes = daysFromToday(28, 17);
  const open = await insertRound(m, fundId, {
    code: 'R22', title: 'Safer Communities Fund round 22', opens, closes, budgetPence: 25000000, status: 'open',
    description: 'Grants for community projects that make West Yorkshire safer, from money recovered from criminals under the Proceeds of Crime Act.',
  });
  const smallPot = await insertPot(m, ids, open.roundId, 0, {
    name: 'Community grants', minPence: 100000, maxPence: 600000, budgetPence: 15000000, priorities: ALL_PRIORITIES,
    description: 'Grants of £1,000 to £6,000 for projects anywhere in West Yorkshire.',
  });
  const largePot = await insertPot(m, ids, open.roundId, 1, {
    name: 'Tackling exploitation', minPence: 1500000, maxPence: 2000000, budgetPence: 10000000,
    priorities: ['human-trafficking-modern-slavery', 'child-sexual-exploitation', 'domestic-sexual-abuse'], districts: ['E08000032', 'E08000035'],
    description: 'Grants of £15,000 to £20,000 for projects in Bradford and Leeds tackling exploitation and abuse.',
  });
  await m.query(
    `INSERT INTO outbox (job_name, payload, available_at, job_key) VALUES ('round.close', $1, $2, $3)`,
    [JSON.stringify({ roundId: open.roundId, at: closes.toISOString() }), closes, `round-close-${open.roundId}-${closes.getTime()}`],
  );
  const start = isoDate(daysFromToday(60, 0));
  const end = isoDate(daysFromToday(300, 0));
  const bids: Omit<DemoBid, 'roundId' | 'formId' | 'start' | 'end'>[] = [
    { potId: smallPot, organisation: 'Holbeck Neighbourhood Watch Association', createdBy: 'applicant@demo.test', title: 'Safer streets walkabouts in Holbeck',
      summary: 'Monthly walkabouts with residents, police community support officers and the council to find and fix places that feel unsafe.', amountPence: 425000,
      path: ['draft'], priorities: ['anti-social-behaviour'], district: 'E08000035', submittedAt: null, reference: null, complete: false },
    { potId: smallPot, organisation: 'Calder Valley Youth Outreach', createdBy: 'applicant2@demo.test', title: 'Friday night youth club in Hebden Bridge',
      summary: 'A weekly youth club with detached youth workers to reduce anti-social behaviour on Friday nights.', amountPence: 575050,
      path: ['draft', 'submitted'], priorities: ['anti-social-behaviour', 'drugs-alcohol'], district: 'E08000033', submittedAt: daysFromToday(-2, 14), reference: 'SCF-R22-0001', complete: true },
    { potId: largePot, organisation: 'Bradford Women’s Safety Network', createdBy: 'applicant@demo.test', title: 'Exploitation outreach in Bradford nail bars',
      summary: 'Trained outreach workers visiting nail bars and car washes to spot and support victims of modern slavery.', amountPence: 1875000,
      path: ['draft', 'submitted', 'screening'], priorities: ['human-trafficking-modern-slavery'], district: 'E08000032', submittedAt: daysFromToday(-4, 11), reference: 'SCF-R22-0002', complete: true },
    { potId: smallPot, organisation: 'Wakefield Street Angels', createdBy: 'applicant@demo.test', title: 'Winter night patrols',
      summary: 'Volunteer patrols supporting vulnerable people in Wakefield city centre on winter weekends.', amountPence: 310000,
      path: ['draft', 'submitted', 'withdrawn'], priorities: ['supporting-victims'], district: 'E08000036', submittedAt: daysFromToday(-5, 10), reference: 'SCF-R22-0003', complete: true },
  ];
  for (const bid of bids) await insertBid(m, ids, { ...bid, roundId: open.roundId, formId: open.formId, start, end });
  await m.query(`UPDATE rounds SET last_reference_number = 3 WHERE id = $1`, [open.roundId]);
}
