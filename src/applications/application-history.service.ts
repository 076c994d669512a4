import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ApplicationStatus } from './application.types.js';

/** A bid decided before this service held it, as the round's records give it. */
export interface DecidedBidRecord {
  roundId: string;
  potId: string;
  formId: string;
  organisationId: string;
  /** The member who made it: creator, submitter and declarant. */
  createdBy: string;
  declarationName: string;
  reference: string;
  projectTitle: string;
  projectSummary: string;
  projectStartDate: string;
  projectEndDate: string;
  amountRequestedPence: number;
  districtIds: string[];
  priorityIds: string[];
  /** Every section with its answers (already checked against the form by the caller), all completed. */
  sections: { key: string; answers: Record<string, unknown> }[];
  budgetLines: { item: string; category: string; amountPence: number }[];
  /** The statuses it went through, from draft to its last (its status). */
  path: ApplicationStatus[];
  submittedAt: Date;
  /** Who recorded the moves (an actor label, e.g. "system:demo-history"). */
  recordedBy: string;
}

/**
 * Importing the records of decided bids of past rounds (the demo's history, or a funder's own
 * records): they cannot be made through the application journey, which rightly refuses a bid after
 * its round's deadline, and their decisions predate screening, assessment and panels here. The
 * moves are written as the records of what happened, not made through ApplicationTransitions:
 * nothing is emailed or queued. Writes applications' own tables only, in the caller's transaction.
 */
@Injectable()
export class ApplicationHistoryService {
  async importDecidedBid(m: EntityManager, bid: DecidedBidRecord): Promise<string> {
    const id = randomUUID();
    const status = bid.path[bid.path.length - 1];
    await m.query(
      `INSERT INTO applications (id, round_id, pot_id, organisation_id, form_id, reference, project_title, project_summary, project_start_date, project_end_date,
          amount_requested_pence, status, declaration_name, declaration_accepted_at, submitted_at, submitted_by, withdrawn_at, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $15, $14, $14)`,
      [
        id, bid.roundId, bid.potId, bid.organisationId, bid.formId, bid.reference, bid.projectTitle, bid.projectSummary, bid.projectStartDate, bid.projectEndDate,
        bid.amountRequestedPence, status, bid.declarationName, bid.submittedAt, bid.createdBy, status === 'withdrawn' ? bid.submittedAt : null,
      ],
    );
    for (const districtId of bid.districtIds) await m.query(`INSERT INTO application_districts (application_id, district_id) VALUES ($1, $2)`, [id, districtId]);
    for (const priorityId of bid.priorityIds) await m.query(`INSERT INTO application_priorities (application_id, priority_id) VALUES ($1, $2)`, [id, priorityId]);
    for (const s of bid.sections) {
      await m.query(`INSERT INTO application_sections (application_id, section_key, answers, status, updated_by) VALUES ($1, $2, $3, 'completed', $4)`, [
        id, s.key, JSON.stringify(s.answers), bid.createdBy,
      ]);
    }
    for (const [i, line] of bid.budgetLines.entries()) {
      await m.query(`INSERT INTO budget_lines (application_id, item, category, amount_pence, position, updated_by) VALUES ($1, $2, $3, $4, $5, $6)`, [
        id, line.item, line.category, line.amountPence, i, bid.createdBy,
      ]);
    }
    let from: ApplicationStatus | null = null;
    for (const to of bid.path) {
      const byApplicant = to === 'draft' || to === 'submitted' || to === 'withdrawn';
      await m.query(
        `INSERT INTO application_transitions (application_id, from_status, to_status, actor_user_id, actor_label, occurred_at, reason)
         VALUES ($1, $2, $3, $4, $5, $6, 'Imported from the records of the round')`,
        [id, from, to, byApplicant ? bid.createdBy : null, bid.recordedBy, bid.submittedAt],
      );
      from = to;
    }
    return id;
  }
}
