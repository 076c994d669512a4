import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AwardView } from '../awards/award-reader.js';
import { AwardReader } from '../awards/award-reader.js';
import { DomainError, validationFailed } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { formatPence } from '../common/money.js';
import { FundsService } from '../funds/funds.service.js';
import { PotLedger } from '../funds/pot-ledger.service.js';
import { RoundsService } from '../funds/rounds.service.js';

export type ReconciliationCheck = 'outstanding' | 'ledger_committed' | 'ledger_paid' | 'pot_ledger' | 'pot_awards';

/** One thing that does not add up, with its figures. */
export interface ReconciliationDifference {
  scope: 'award' | 'pot';
  /** The award's or the pot's id. */
  id: string;
  /** The award's reference or the pot's name. */
  label: string;
  check: ReconciliationCheck;
  expectedPence: number;
  actualPence: number;
  differencePence: number;
  message: string;
}

export interface AwardReconciliation {
  awardId: string;
  reference: string;
  organisationName: string;
  roundId: string;
  potId: string;
  status: string;
  /** Its status counts in the pot's committed money (the totals are of these). */
  live: boolean;
  amountPence: number;
  paidPence: number;
  outstandingPence: number;
  releasedPence: number;
  ledgerCommittedPence: number;
  ledgerPaidPence: number;
  /** amount = paid + outstanding + released, with nothing negative. */
  balances: boolean;
  /** The ledger holds amount − released for a live award (nothing for one that ended before acceptance). */
  committedMatches: boolean;
  paidMatches: boolean;
}

export interface PotReconciliation {
  potId: string;
  name: string;
  roundId: string;
  budgetPence: number;
  /** The pots row's committed money. */
  committedPence: number;
  /** The ledger's commits − releases for the pot. */
  ledgerCommittedPence: number;
  /** The live awards' amount − released. */
  awardsCommittedPence: number;
  ledgerPaidPence: number;
  ledgerMatches: boolean;
  awardsMatch: boolean;
}

export interface Reconciliation {
  fundId: string;
  roundId: string | null;
  clean: boolean;
  differences: ReconciliationDifference[];
  awards: AwardReconciliation[];
  pots: PotReconciliation[];
  /** Of the live awards. */
  totals: { awards: number; amountPence: number; paidPence: number; outstandingPence: number; releasedPence: number; ledgerCommittedPence: number; ledgerPaidPence: number };
}

const diff = (scope: ReconciliationDifference['scope'], id: string, label: string, check: ReconciliationCheck, expectedPence: number, actualPence: number, what: string): ReconciliationDifference => ({
  scope,
  id,
  label,
  check,
  expectedPence,
  actualPence,
  differencePence: actualPence - expectedPence,
  message: `${label}: ${what} is ${formatPence(actualPence)}, expected ${formatPence(expectedPence)} (${actualPence > expectedPence ? '+' : '−'}${formatPence(Math.abs(actualPence - expectedPence))})`,
});

function checkAward(a: AwardView, ledger: { netCommittedPence: number; netPaidPence: number }): { row: AwardReconciliation; differences: ReconciliationDifference[] } {
  const expectedCommitted = a.capabilities.committed ? a.amountPence - a.releasedPence : 0;
  const row: AwardReconciliation = {
    awardId: a.id,
    reference: a.reference,
    organisationName: a.organisation.name,
    roundId: a.roundId,
    potId: a.potId,
    status: a.status,
    live: a.capabilities.committed,
    amountPence: a.amountPence,
    paidPence: a.paidPence,
    outstandingPence: a.outstandingPence,
    releasedPence: a.releasedPence,
    ledgerCommittedPence: ledger.netCommittedPence,
    ledgerPaidPence: ledger.netPaidPence,
    balances: a.paidPence >= 0 && a.releasedPence >= 0 && a.outstandingPence >= 0 && a.paidPence + a.outstandingPence + a.releasedPence === a.amountPence,
    committedMatches: ledger.netCommittedPence === expectedCommitted,
    paidMatches: ledger.netPaidPence === a.paidPence,
  };
  const differences: ReconciliationDifference[] = [];
  if (!row.balances) differences.push(diff('award', a.id, a.reference, 'outstanding', a.amountPence, a.paidPence + a.outstandingPence + a.releasedPence, 'paid + outstanding + released'));
  if (!row.committedMatches) differences.push(diff('award', a.id, a.reference, 'ledger_committed', expectedCommitted, ledger.netCommittedPence, 'the ledger’s committed money'));
  if (!row.paidMatches) differences.push(diff('award', a.id, a.reference, 'ledger_paid', a.paidPence, ledger.netPaidPence, 'the ledger’s paid money'));
  return { row, differences };
}

/**
 * Reconciliation of a fund, or one of its rounds: every award's figures against the pot ledger's
 * entries for its application, and every pot's committed money against its ledger and its live
 * awards. Every difference is listed with its figures. A fixed number of queries whatever the
 * number of awards: the rounds, the awards (and their organisations), the pots, the pots' money,
 * and the ledger's sums per pot and per application.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly funds: FundsService,
    private readonly rounds: RoundsService,
    private readonly awards: AwardReader,
    private readonly ledger: PotLedger,
  ) {}

  async reconcile(scope: { roundId?: string; fundId?: string }): Promise<Reconciliation> {
    if (!!scope.roundId === !!scope.fundId) throw validationFailed([{ field: 'roundId', code: 'RECONCILIATION.SCOPE', message: 'Choose a fund or a round (one of them)' }], 'Choose a fund or a round');
    let fundId: string;
    let roundIds: string[];
    if (scope.roundId) {
      const round = isUuid(scope.roundId) ? await this.rounds.findRound(scope.roundId) : null;
      if (!round) throw new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
      fundId = round.fundId;
      roundIds = [round.id];
    } else {
      if (!isUuid(scope.fundId!)) throw new DomainError('not_found', 'FUND.NOT_FOUND', 'Fund was not found');
      fundId = (await this.funds.getFund(scope.fundId!)).id;
      roundIds = (await this.rounds.roundsOfFund(fundId)).map((r) => r.id);
    }
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const awards = await this.awards.inRounds(roundIds, m);
      const pots = await this.rounds.potsOfRounds(roundIds, m);
      const potIds = pots.map((p) => p.id);
      const money = await this.ledger.money(potIds, m);
      const potSums = await this.ledger.potSums(potIds, m);
      const appSums = await this.ledger.applicationSums(awards.map((a) => a.applicationId), m);

      const differences: ReconciliationDifference[] = [];
      const awardRows = awards.map((a) => {
        const checked = checkAward(a, appSums.get(a.applicationId) ?? { netCommittedPence: 0, netPaidPence: 0 });
        differences.push(...checked.differences);
        return checked.row;
      });
      const potRows = pots.map((p): PotReconciliation => {
        const potMoney = money.get(p.id);
        const sums = potSums.get(p.id) ?? { netCommittedPence: 0, netPaidPence: 0 };
        const committedPence = potMoney?.committedPence ?? 0;
        const awardsCommittedPence = awards.filter((a) => a.potId === p.id && a.capabilities.committed).reduce((s, a) => s + a.amountPence - a.releasedPence, 0);
        const row = {
          potId: p.id,
          name: p.name,
          roundId: p.roundId,
          budgetPence: potMoney?.budgetPence ?? 0,
          committedPence,
          ledgerCommittedPence: sums.netCommittedPence,
          awardsCommittedPence,
          ledgerPaidPence: sums.netPaidPence,
          ledgerMatches: committedPence === sums.netCommittedPence,
          awardsMatch: committedPence === awardsCommittedPence,
        };
        if (!row.ledgerMatches) differences.push(diff('pot', p.id, p.name, 'pot_ledger', committedPence, sums.netCommittedPence, 'the ledger’s commits less releases'));
        if (!row.awardsMatch) differences.push(diff('pot', p.id, p.name, 'pot_awards', committedPence, awardsCommittedPence, 'its live awards less what they released'));
        return row;
      });
      const live = awardRows.filter((a) => a.live);
      const sum = (f: (a: AwardReconciliation) => number) => live.reduce((s, a) => s + f(a), 0);
      return {
        fundId,
        roundId: scope.roundId ?? null,
        clean: differences.length === 0,
        differences,
        awards: awardRows,
        pots: potRows,
        totals: {
          awards: live.length,
          amountPence: sum((a) => a.amountPence),
          paidPence: sum((a) => a.paidPence),
          outstandingPence: sum((a) => a.outstandingPence),
          releasedPence: sum((a) => a.releasedPence),
          ledgerCommittedPence: sum((a) => a.ledgerCommittedPence),
          ledgerPaidPence: sum((a) => a.ledgerPaidPence),
        },
      };
    });
  }
}
