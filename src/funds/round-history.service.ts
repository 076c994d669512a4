import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { FormDefinition } from '../forms/form.types.js';
import type { RoundStatus } from './round.entity.js';

/** A round that closed before this service held it, with its form, eligibility questions and pots. */
export interface PastRoundRecord {
  fundId: string;
  code: string;
  title: string;
  description: string;
  criteria: string;
  exclusions: string;
  opensAt: Date;
  closesAt: Date;
  totalBudgetPence: number;
  status: Extract<RoundStatus, 'archived' | 'decided'>;
  /** The form bids were made on: stored as version 1, frozen when the round opened. */
  form: FormDefinition;
  eligibility: { question: string; passingAnswer: boolean; failureMessage: string }[];
  pots: { name: string; minGrantPence: number; maxGrantPence: number; budgetPence: number; districtIds: string[]; priorityIds: string[] }[];
  /** How many references the round gave out (its bids' numbers continue from here). */
  lastReferenceNumber: number;
}

/**
 * Importing the records of past rounds (the demo's history of 2015 to 2018, or a funder's own
 * records): a round that closed years ago cannot be made through round setup, which rightly
 * refuses a closing date in the past. Writes funds' own tables only, in the caller's transaction.
 */
@Injectable()
export class RoundHistoryService {
  async importPastRound(m: EntityManager, r: PastRoundRecord): Promise<{ roundId: string; formId: string; potIds: string[] }> {
    const roundId = randomUUID();
    const formId = randomUUID();
    await m.query(
      `INSERT INTO rounds (id, fund_id, code, title, description, criteria, exclusions, opens_at, closes_at, total_budget_pence, status, last_reference_number)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [roundId, r.fundId, r.code, r.title, r.description, r.criteria, r.exclusions, r.opensAt, r.closesAt, r.totalBudgetPence, r.status, r.lastReferenceNumber],
    );
    await m.query(`INSERT INTO round_forms (id, round_id, version, definition, frozen_at) VALUES ($1, $2, 1, $3, $4)`, [formId, roundId, JSON.stringify(r.form), r.opensAt]);
    await m.query(`UPDATE rounds SET current_form_id = $2 WHERE id = $1`, [roundId, formId]);
    for (const [i, q] of r.eligibility.entries()) {
      await m.query(`INSERT INTO eligibility_questions (round_id, position, question, passing_answer, failure_message) VALUES ($1, $2, $3, $4, $5)`, [
        roundId,
        i + 1,
        q.question,
        q.passingAnswer,
        q.failureMessage,
      ]);
    }
    const potIds: string[] = [];
    for (const [position, p] of r.pots.entries()) {
      const potId = randomUUID();
      await m.query(`INSERT INTO pots (id, round_id, name, min_grant_pence, max_grant_pence, budget_pence, position) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        potId,
        roundId,
        p.name,
        p.minGrantPence,
        p.maxGrantPence,
        p.budgetPence,
        position,
      ]);
      for (const id of p.districtIds) await m.query(`INSERT INTO pot_districts (pot_id, district_id) VALUES ($1, $2)`, [potId, id]);
      for (const id of p.priorityIds) await m.query(`INSERT INTO pot_priorities (pot_id, priority_id) VALUES ($1, $2)`, [potId, id]);
      potIds.push(potId);
    }
    return { roundId, formId, potIds };
  }
}
