import type { EntityManager } from 'typeorm';
import type { ApplicationHistoryService } from '../applications/application-history.service.js';
import type { FormDefinition } from '../forms/form.types.js';
import type { RoundHistoryService } from '../funds/round-history.service.js';
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
 * imported by importHistory() through the funds and applications modules' import doors
 * (RoundHistoryService, ApplicationHistoryService), as records of past awards are, under rules
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

/** The ids the history is made against: made by the seed through the services before it. */
export interface HistoryIds {
  /** District ids by GSS code. */
  districts: Map<string, string>;
  /** Priority ids by code. */
  priorities: Map<string, string>;
  /** Organisations by name: their id, and their owner (id and name) who made their bids. */
  organisations: Map<string, { id: string; ownerId: string; ownerName: string }>;
}

/** The funds and applications doors the history is imported through (each writes only its own tables). */
export interface HistoryDoors {
  rounds: RoundHistoryService;
  applications: ApplicationHistoryService;
}

const pad = (n: number) => String(n).padStart(4, '0');

const CRITERIA =
  'Projects must make communities in West Yorkshire safer and support at least one priority of the Police and Crime Plan. Bids are scored on need, delivery, value for money and safeguarding.';
export const DEMO_EXCLUSIONS = 'General appeals; projects longer than 12 months; projects outside West Yorkshire; individuals; statutory duties; food for foodbanks; refreshments.';
export const DEMO_CRITERIA = CRITERIA;

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

/** The priorities of the Police and Crime Plan are reference data the services read. */
export { ALL_PRIORITIES };

/** The rounds of 2015 to 2018 and their decided bids, imported as records (see the note at the top). */
export async function importHistory(m: EntityManager, doors: HistoryDoors, fundId: string, ids: HistoryIds): Promise<void> {
  const known = (map: Map<string, string>, key: string) => {
    const id = map.get(key);
    if (!id) throw new Error(`demo history: no reference data "${key}"`);
    return id;
  };
  for (const past of DEMO_PAST_ROUNDS) {
    const { roundId, formId, potIds } = await doors.rounds.importPastRound(m, {
      fundId, code: past.code, title: past.title, description: `Round ${past.code.slice(1)} of the Safer Communities Fund.`, criteria: CRITERIA, exclusions: DEMO_EXCLUSIONS,
      opensAt: new Date(past.opens), closesAt: new Date(past.closes), totalBudgetPence: past.budgetPence, status: past.status, form: DEMO_FORM, eligibility: DEMO_ELIGIBILITY,
      pots: past.pots.map((p) => ({
        name: p.name, minGrantPence: p.minPence, maxGrantPence: p.maxPence, budgetPence: p.budgetPence,
        districtIds: [...ids.districts.values()], priorityIds: p.priorities.map((code) => known(ids.priorities, code)),
      })),
      lastReferenceNumber: past.bids.length,
    });
    const closes = new Date(past.closes);
    for (const [n, [organisation, title, amount, outcome, priorities, district]] of past.bids.entries()) {
      const pot = past.pots.findIndex((p) => amount >= p.minPence && amount <= p.maxPence);
      if (pot < 0) throw new Error(`demo history: ${title} asks for an amount no pot of ${past.code} allows`);
      const org = ids.organisations.get(organisation);
      if (!org) throw new Error(`demo history: ${organisation} has no owner to have made "${title}"`);
      const start = isoDate(new Date(closes.getTime() + 60 * 86400000));
      const summary = `${title}: a project to make the local community safer.`;
      await doors.applications.importDecidedBid(m, {
        roundId, potId: potIds[pot], formId, organisationId: org.id, createdBy: org.ownerId, declarationName: org.ownerName, reference: `SCF-${past.code}-${pad(n + 1)}`,
        projectTitle: title, projectSummary: summary, projectStartDate: start, projectEndDate: isoDate(new Date(closes.getTime() + 360 * 86400000)), amountRequestedPence: amount,
        districtIds: [known(ids.districts, district)], priorityIds: priorities.map((code) => known(ids.priorities, code)),
        sections: [
          { key: '_project', answers: {} },
          ...DEMO_FORM.sections.map((sec) => ({ key: sec.key, answers: checkSectionAnswers(DEMO_FORM, sec.key, demoAnswers(sec.key, { summary, start })) })),
          { key: '_budget', answers: {} },
        ],
        budgetLines: demoBudget(amount),
        path: outcome === 'withdrawn' ? ['draft', 'submitted', 'withdrawn'] : ['draft', 'submitted', 'screening', 'in_assessment', 'assessed', 'at_panel', outcome],
        submittedAt: new Date(closes.getTime() - (n + 2) * 86400000),
        recordedBy: 'system:demo-history',
      });
    }
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
