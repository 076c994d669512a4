import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApplicationReader } from '../applications/application-reader.js';
import { DomainError } from '../common/errors.js';
import { parsePence } from '../common/money.js';
import { RoundsService } from '../funds/rounds.service.js';
import { meanScore, rankBids, type RankedBid } from './assessment-rules.js';

export interface RankingView {
  roundId: string;
  potId: string | null;
  /** The round's pots, to choose one ranking from (a ranking is per round or per pot). */
  pots: { id: string; name: string }[];
  budgetPence: number;
  /** Already committed by approvals (the pots' ledgers), live. */
  committedPence: number;
  /** Budget minus committed: the money the ranked bids compete for (the funding line is drawn against it). */
  availablePence: number;
  items: Omit<RankedBid, 'submittedAt'>[];
}

/**
 * A round's (or one pot's) assessed bids in rank order with the running total against the budget:
 * final score = the moderated score if any, else the mean of the submitted weighted scores. The
 * funding line is drawn against what is still available (budget minus what approvals committed).
 * Four queries whatever the number of bids (bids with scores, their references, the pots, the round).
 */
@Injectable()
export class RankingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationReader,
    private readonly rounds: RoundsService,
  ) {}

  async ranking(roundId: string, potId?: string): Promise<RankingView> {
    await this.rounds.getRound(roundId);
    const roundPots = await this.rounds.listPots(roundId);
    const pots = potId ? roundPots.filter((p) => p.id === potId) : roundPots;
    if (potId && !pots.length) throw new DomainError('not_found', 'POT.NOT_FOUND', 'Pot was not found');
    const budgetPence = pots.reduce((sum, p) => sum + parsePence(p.budgetPence), 0);
    // The pots' committed amounts are their ledgers' net, kept so by PotLedger in every movement.
    const committedPence = pots.reduce((sum, p) => sum + parsePence(p.committedPence), 0);
    const availablePence = budgetPence - committedPence;
    const rows: { application_id: string; moderated_score: string | null; scores: string[] }[] = await this.dataSource.query(
      `SELECT b.application_id, b.moderated_score, array_remove(array_agg(a.weighted_score), NULL) AS scores
         FROM assessment_bids b LEFT JOIN assessments a ON a.application_id = b.application_id AND a.status = 'submitted'
        WHERE b.round_id = $1 AND b.state = 'assessed' AND ($2::uuid IS NULL OR b.pot_id = $2::uuid)
        GROUP BY b.application_id, b.moderated_score`,
      [roundId, potId ?? null],
    );
    const refs = new Map((await this.applications.refsByIds(rows.map((r) => r.application_id))).map((r) => [r.id, r]));
    const ranked = rankBids(
      rows.map((r) => {
        const ref = refs.get(r.application_id);
        return {
          applicationId: r.application_id,
          reference: ref?.reference ?? null,
          scorePercent: r.moderated_score !== null ? Number(r.moderated_score) : (meanScore(r.scores.map(Number)) ?? 0),
          amountRequestedPence: ref?.amountRequestedPence ?? 0,
          submittedAt: ref?.submittedAt ?? null,
        };
      }),
      availablePence,
    );
    return { roundId, potId: potId ?? null, pots: roundPots.map((p) => ({ id: p.id, name: p.name })), budgetPence, committedPence, availablePence, items: ranked.map(({ submittedAt: _s, ...rest }) => rest) };
  }

  /** The submitted assessments' recommendations per bid (for the panel's agenda pack), in one query; never who made them. */
  async recommendations(applicationIds: readonly string[]): Promise<Map<string, { recommendation: string; recommendedPence: number | null; weightedScore: number | null }[]>> {
    const out = new Map<string, { recommendation: string; recommendedPence: number | null; weightedScore: number | null }[]>();
    if (!applicationIds.length) return out;
    const rows: { application_id: string; recommendation: string | null; recommended_pence: string | null; weighted_score: string | null }[] = await this.dataSource.query(
      `SELECT application_id, recommendation, recommended_pence, weighted_score FROM assessments
        WHERE application_id = ANY($1::uuid[]) AND status = 'submitted' ORDER BY application_id, submitted_at, id`,
      [applicationIds],
    );
    for (const r of rows) {
      if (!r.recommendation) continue;
      const list = out.get(r.application_id) ?? [];
      list.push({ recommendation: r.recommendation, recommendedPence: r.recommended_pence === null ? null : parsePence(r.recommended_pence), weightedScore: r.weighted_score === null ? null : Number(r.weighted_score) });
      out.set(r.application_id, list);
    }
    return out;
  }
}
