import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxEntry } from './outbox-entry.entity.js';
import type { EnqueueOptions, JobName, JobPayloads } from './jobs.js';

/**
 * Producers ask for jobs here, inside their own transaction. The row commits or rolls back with
 * the change that asked for it; OutboxRelay moves committed rows into BullMQ.
 */
@Injectable()
export class OutboxService {
  constructor(private readonly dataSource: DataSource) {}

  async enqueue<N extends JobName>(
    manager: EntityManager,
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Outbox enqueue of "${name}" outside a transaction: pass the use case's transaction manager`);
    }
    await manager.query(
      `INSERT INTO outbox (job_name, payload, available_at, job_key) VALUES ($1, $2, COALESCE($3, now()), $4)`,
      [name, JSON.stringify(payload), options.runAt ?? null, options.key ?? null],
    );
    // Delivered to listeners only if, and when, the transaction commits.
    await manager.query(`SELECT pg_notify('outbox', '')`);
  }

  /** Deletes rows handed to BullMQ more than `days` days ago (housekeeping); returns how many. */
  async purgeDispatched(days: number): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(OutboxEntry)
      .where('dispatched_at < now() - make_interval(days => :days)', { days })
      .execute();
    return result.affected ?? 0;
  }
}
