import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { formatDate, londonDate } from '../common/dates.js';
import { FundsService } from '../funds/funds.service.js';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler } from '../queue/jobs.js';
import { FinanceMail } from './finance-mail.js';
import { ReconciliationService, type Reconciliation } from './reconciliation.service.js';

/** How many differences of each fund the email lists (the page lists them all). */
const LISTED = 20;

/**
 * The nightly reconciliation of every fund. It records the day's run; when anything does not add
 * up it emails the finance officers, at most once a day (the first run of the day that finds a
 * difference claims the day's email in the same statement), however often the job is delivered.
 */
@Injectable()
@HandlesJob('finance.reconciliation')
export class ReconciliationJob implements JobHandler<'finance.reconciliation'> {
  private readonly logger = new Logger(ReconciliationJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly reconciliation: ReconciliationService,
    private readonly funds: FundsService,
    private readonly mail: FinanceMail,
    private readonly clock: Clock,
  ) {}

  async handle(): Promise<void> {
    const funds = await this.funds.all();
    const results: { name: string; result: Reconciliation }[] = [];
    for (const fund of funds) results.push({ name: fund.name, result: await this.reconciliation.reconcile({ fundId: fund.id }) });
    const off = results.filter((r) => !r.result.clean);
    const differences = off.reduce((n, r) => n + r.result.differences.length, 0);
    const today = londonDate(this.clock.now());
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO reconciliation_runs (run_on, funds, differences) VALUES ($1, $2, $3)
         ON CONFLICT (run_on) DO UPDATE SET funds = EXCLUDED.funds, differences = EXCLUDED.differences, updated_at = now()`,
        [today, funds.length, differences],
      );
      if (differences === 0) return;
      const [claimed]: [unknown[], number] = await m.query(`UPDATE reconciliation_runs SET emailed_at = now() WHERE run_on = $1 AND emailed_at IS NULL RETURNING run_on`, [today]);
      if (!claimed.length) return;
      await this.mail.toRole(m, 'finance_officer', 'reconciliation-differences', {
        date: formatDate(today),
        count: differences,
        funds: off.map((r) => ({
          name: r.name,
          count: r.result.differences.length,
          lines: r.result.differences.slice(0, LISTED).map((d) => d.message),
          more: Math.max(0, r.result.differences.length - LISTED),
          path: `/staff/finance/reconciliation?fundId=${r.result.fundId}`,
        })),
      });
    });
    this.logger.log({ funds: funds.length, differences }, 'reconciled');
  }
}
