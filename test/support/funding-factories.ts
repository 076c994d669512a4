import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { FormDefinition } from '../../src/forms/form.types.js';
import { createDistrict } from './factories.js';
import type { ApiClient } from './http.js';

/**
 * Funds, rounds, pots, forms and eligibility questions written straight to the database, for the
 * applications tests. Every call makes fresh codes so tests in one database never collide.
 */

/** The built-in budget section's key in the API (form section keys never start with "_"). */
export const BUDGET_KEY = '_budget';

const hex = (n: number) => randomBytes(n).toString('hex');

/** A form with a section of every question type (the file question is optional unless asked). */
export function testFormDefinition(options: { requiredFile?: boolean } = {}): FormDefinition {
  return {
    sections: [
      {
        key: 'need',
        title: 'The need for your project',
        description: 'Tell us who the project helps and why.',
        questions: [
          { key: 'need', type: 'text', label: 'What problem will the project tackle?', required: true, wordLimit: 50 },
          { key: 'beneficiaries', type: 'number', label: 'How many people will take part?', required: true, min: 1, max: 100000 },
          { key: 'approach', type: 'choice', label: 'How will you work with people?', required: true, options: ['Group sessions', 'One-to-one', 'Online'] },
          { key: 'safeguarding', type: 'yes_no', label: 'Do you have a safeguarding lead?', required: true },
          { key: 'matchFunding', type: 'money', label: 'How much match funding do you have?', required: false, min: 0 },
          { key: 'launchDate', type: 'date', label: 'When will the first session be?', required: false },
        ],
      },
      {
        key: 'documents',
        title: 'Supporting documents',
        questions: [{ key: 'constitution', type: 'file', label: 'Your constitution', required: options.requiredFile ?? false }],
      },
    ],
  };
}

/** Answers that complete the "need" section of testFormDefinition. */
export const COMPLETE_NEED_ANSWERS = {
  need: 'Young people in the area have nowhere safe to go in the evenings.',
  beneficiaries: 40,
  approach: 'Group sessions',
  safeguarding: true,
  matchFunding: 50000,
  launchDate: '2030-05-01',
};

export interface TestRound {
  fundId: string;
  roundId: string;
  roundCode: string;
  prefix: string;
  formId: string;
  pots: { id: string; name: string; districtIds: string[]; priorityIds: string[]; minGrantPence: number; maxGrantPence: number }[];
  districts: { id: string; name: string }[];
  priorities: { id: string; name: string; code: string }[];
  outsideDistrict: { id: string; name: string };
  eligibility: { id: string; question: string; passingAnswer: boolean; failureMessage: string }[];
}

export interface TestRoundOptions {
  /** Defaults: opened yesterday, closes in 30 days, status open. */
  opensAt?: Date;
  closesAt?: Date;
  status?: string;
  minGrantPence?: number;
  maxGrantPence?: number;
  potPostcodeDistricts?: string[];
  requiredFile?: boolean;
  /** Two pots instead of one. */
  twoPots?: boolean;
  title?: string;
}

/** A fund with an open round, its pots (districts, priorities), a form and eligibility questions. */
export async function createOpenRound(db: DataSource, options: TestRoundOptions = {}): Promise<TestRound> {
  const prefix = `T${hex(3).toUpperCase()}`.slice(0, 7);
  const [fund] = await db.query(
    `INSERT INTO funds (name, funder_name, funding_source, reference_prefix) VALUES ($1, 'Test Police and Crime Commissioner', 'Proceeds of Crime Act', $2) RETURNING id`,
    [`Test Fund ${prefix}`, prefix],
  );
  const roundCode = `R${Math.floor(Math.random() * 90 + 10)}`;
  const opensAt = options.opensAt ?? new Date(Date.now() - 86400_000);
  const closesAt = options.closesAt ?? new Date(Date.now() + 30 * 86400_000);
  const [round] = await db.query(
    `INSERT INTO rounds (fund_id, code, title, opens_at, closes_at, total_budget_pence, status) VALUES ($1, $2, $3, $4, $5, 50000000, $6) RETURNING id`,
    [fund.id, roundCode, options.title ?? `Test round ${roundCode} ${prefix}`, opensAt, closesAt, options.status ?? 'open'],
  );
  const [form] = await db.query(`INSERT INTO round_forms (round_id, version, definition, frozen_at) VALUES ($1, 1, $2, now()) RETURNING id`, [
    round.id,
    JSON.stringify(testFormDefinition({ requiredFile: options.requiredFile })),
  ]);
  await db.query(`UPDATE rounds SET current_form_id = $2 WHERE id = $1`, [round.id, form.id]);

  const districts = [await createDistrict(db, `Leeds ${prefix}`), await createDistrict(db, `Bradford ${prefix}`)];
  const outsideDistrict = await createDistrict(db, `Elsewhere ${prefix}`);
  const [outcome] = await db.query(`INSERT INTO outcomes (code, name) VALUES ($1, 'Safeguard vulnerable people') RETURNING id`, [`safeguard-${hex(3)}`]);
  const priorities: TestRound['priorities'] = [];
  for (const name of ['Human Trafficking and Modern Slavery', 'Anti-social Behaviour']) {
    const code = `${name.toLowerCase().replace(/[^a-z]+/g, '-')}-${hex(3)}`;
    const [p] = await db.query(`INSERT INTO priorities (code, name, outcome_id) VALUES ($1, $2, $3) RETURNING id`, [code, name, outcome.id]);
    priorities.push({ id: p.id, name, code });
  }
  const pots: TestRound['pots'] = [];
  const potSpecs = [{ name: 'Small grants', min: options.minGrantPence ?? 50000, max: options.maxGrantPence ?? 500000 }];
  if (options.twoPots) potSpecs.push({ name: 'Larger grants', min: 1500000, max: 2000000 });
  for (const [i, spec] of potSpecs.entries()) {
    const [pot] = await db.query(
      `INSERT INTO pots (round_id, name, min_grant_pence, max_grant_pence, budget_pence, postcode_districts, position) VALUES ($1, $2, $3, $4, 20000000, $5, $6) RETURNING id`,
      [round.id, spec.name, spec.min, spec.max, options.potPostcodeDistricts ?? [], i],
    );
    for (const d of districts) await db.query(`INSERT INTO pot_districts (pot_id, district_id) VALUES ($1, $2)`, [pot.id, d.id]);
    for (const p of priorities) await db.query(`INSERT INTO pot_priorities (pot_id, priority_id) VALUES ($1, $2)`, [pot.id, p.id]);
    pots.push({ id: pot.id, name: spec.name, districtIds: districts.map((d) => d.id), priorityIds: priorities.map((p) => p.id), minGrantPence: spec.min, maxGrantPence: spec.max });
  }
  const eligibility: TestRound['eligibility'] = [];
  const questions = [
    { question: 'Is your group based in West Yorkshire?', passingAnswer: true, failureMessage: 'The fund only supports groups working in West Yorkshire.' },
    { question: 'Is your project for an individual?', passingAnswer: false, failureMessage: 'The fund does not support individuals.' },
  ];
  for (const [i, q] of questions.entries()) {
    const [row] = await db.query(
      `INSERT INTO eligibility_questions (round_id, position, question, passing_answer, failure_message) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [round.id, i + 1, q.question, q.passingAnswer, q.failureMessage],
    );
    eligibility.push({ id: row.id, ...q });
  }
  return { fundId: fund.id, roundId: round.id, roundCode, prefix, formId: form.id, pots, districts, priorities, outsideDistrict, eligibility };
}

/** A date n days from today, YYYY-MM-DD. */
export function daysFromNow(n: number): string {
  const d = new Date(Date.now() + n * 86400_000);
  return d.toISOString().slice(0, 10);
}

/** Starts a draft through the API and returns its detail. */
export async function startApplication(api: ApiClient, token: string, round: TestRound, organisationId: string, potIndex = 0): Promise<any> {
  const res = await api.post('/api/v1/applications', { roundId: round.roundId, potId: round.pots[potIndex].id, organisationId }, { token });
  if (res.status !== 201) throw new Error(`Could not start an application: ${res.status} ${res.text}`);
  return res.body;
}

/** Fills every section of a draft through the API so that it can be submitted. */
export async function completeApplication(api: ApiClient, token: string, round: TestRound, applicationId: string, amountPence = 250050): Promise<void> {
  const detail = (await api.get(`/api/v1/applications/${applicationId}`, { token })).body;
  const project = await api.patch(
    `/api/v1/applications/${applicationId}`,
    {
      version: detail.version,
      projectTitle: 'Safe evenings for young people',
      projectSummary: 'Weekly youth sessions in the community centre, run with the local police team.',
      projectStartDate: daysFromNow(30),
      projectEndDate: daysFromNow(300),
      districtIds: [round.districts[0].id],
      priorityIds: [round.priorities[1].id],
      completed: true,
    },
    { token },
  );
  if (project.status !== 200) throw new Error(`Project details: ${project.status} ${project.text}`);
  const need = detail.sections.find((s: any) => s.key === 'need');
  const saved = await api.put(`/api/v1/applications/${applicationId}/sections/need`, { answers: COMPLETE_NEED_ANSWERS, version: need.version, completed: true }, { token });
  if (saved.status !== 200) throw new Error(`Need section: ${saved.status} ${saved.text}`);
  const docs = project.body.sections.find((s: any) => s.key === 'documents');
  const docsSaved = await api.put(`/api/v1/applications/${applicationId}/sections/documents`, { answers: {}, version: docs.version, completed: true }, { token });
  if (docsSaved.status !== 200) throw new Error(`Documents section: ${docsSaved.status} ${docsSaved.text}`);
  const line = await api.post(`/api/v1/applications/${applicationId}/budget-lines`, { item: 'Youth worker sessions', category: 'staff', amountPence }, { token });
  if (line.status !== 201) throw new Error(`Budget line: ${line.status} ${line.text}`);
  const fresh = (await api.get(`/api/v1/applications/${applicationId}`, { token })).body;
  const budget = fresh.sections.find((s: any) => s.key === '_budget');
  const done = await api.put(`/api/v1/applications/${applicationId}/sections/${BUDGET_KEY}`, { answers: {}, version: budget.version, completed: true }, { token });
  if (done.status !== 200) throw new Error(`Budget section: ${done.status} ${done.text}`);
}
