import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler, JobPayloads } from '../queue/jobs.js';
import { OutboxService } from '../queue/outbox.service.js';
import { affectedRows, applicationNotFound } from './application-access.js';
import { applicationCan, assertTransition, type TransitionActor } from './application-lifecycle.js';
import { Application, type ApplicationStatus } from './application.entity.js';

export interface TransitionOptions {
  reason?: string | null;
  /** Refuse unless the bid is still in this status (what the person saw). */
  expectedFrom?: ApplicationStatus;
  /** Audit details of the move beyond from/to (e.g. the reference issued). */
  auditAfter?: Record<string, unknown>;
  /**
   * Required by a move into a status where only reopened parts may change (more information
   * requested): what is reopened and what the applicant is told. Any other move clears them.
   */
  reopen?: Reopening;
}

/** The parts of a bid reopened for more information, with the officer's message and date. */
export interface Reopening {
  sections: string[];
  attachmentKinds: string[];
  message: string;
  respondBy: string;
}

export interface TransitionMade {
  application: Application;
  from: ApplicationStatus;
  to: ApplicationStatus;
  transitionId: string;
}

/**
 * THE one door that moves a bid to another status (submit, withdraw, and screening, assessment
 * and panels as they are built). In the caller's transaction it locks the bid, asks the lifecycle
 * table, changes the status, records the history row and the audit event, and emits
 * `application.status_changed` through the outbox (delivered only if the transaction commits).
 */
@Injectable()
export class ApplicationTransitions {
  constructor(
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async move(m: EntityManager, applicationId: string, to: ApplicationStatus, by: TransitionActor, actor: Actor, options: TransitionOptions = {}): Promise<TransitionMade> {
    if (!m.queryRunner?.isTransactionActive) throw new Error('ApplicationTransitions.move needs the use case transaction');
    if (!isUuid(applicationId)) throw applicationNotFound();
    const app = await m.findOne(Application, { where: { id: applicationId }, lock: { mode: 'pessimistic_write' } });
    if (!app) throw applicationNotFound();
    const from = app.status;
    if (options.expectedFrom && options.expectedFrom !== from) {
      throw new DomainError('conflict', 'APPLICATION.STATE_CHANGED', 'The application changed while you were working on it: reload it and try again');
    }
    assertTransition(from, to, by);
    const reopens = applicationCan(to).partsReopened;
    if (reopens && !options.reopen) throw new Error(`A move to ${to} needs the parts it reopens`);
    const reopen = reopens ? options.reopen! : { sections: [], attachmentKinds: [], message: null, respondBy: null };
    // Leaving "more information requested" is a resubmission: the screening queue puts it first.
    const resubmitted = applicationCan(from).partsReopened && !reopens;
    const affected = await affectedRows(
      m,
      `UPDATE applications SET status = $3, version = version + 1, updated_at = now(),
              reopened_sections = $4, reopened_attachment_kinds = $5, more_info_message = $6, respond_by = $7,
              resubmitted_at = CASE WHEN $8 THEN now() ELSE resubmitted_at END
        WHERE id = $1 AND status = $2`,
      [app.id, from, to, reopen.sections, reopen.attachmentKinds, reopen.message, reopen.respondBy, resubmitted],
    );
    if (affected !== 1) {
      throw new DomainError('conflict', 'APPLICATION.STATE_CHANGED', 'The application changed while you were working on it: reload it and try again');
    }
    const reason = options.reason ?? null;
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO application_transitions (application_id, from_status, to_status, actor_user_id, actor_label, reason) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [app.id, from, to, actor.userId, actor.label, reason],
    );
    await this.audit.record(m, actor, {
      action: `application.${to}`,
      entityType: 'application',
      entityId: app.id,
      before: { status: from },
      after: { status: to, by, ...options.auditAfter },
      reason,
    });
    const transitionId = String(row.id);
    await this.outbox.enqueue(m, 'application.status_changed', { applicationId: app.id, transitionId, from, to });
    const reopened = { reopenedSections: reopen.sections, reopenedAttachmentKinds: reopen.attachmentKinds, moreInfoMessage: reopen.message, respondBy: reopen.respondBy };
    return { application: Object.assign(app, { status: to, version: app.version + 1 }, reopened), from, to, transitionId };
  }

  /** Records a bid's first status (a new draft): the history starts with it. */
  async started(m: EntityManager, applicationId: string, actor: Actor): Promise<void> {
    await m.query(
      `INSERT INTO application_transitions (application_id, from_status, to_status, actor_user_id, actor_label, reason) VALUES ($1, NULL, 'draft', $2, $3, 'Application started')`,
      [applicationId, actor.userId, actor.label],
    );
  }
}

/** A subscriber to bids' moves (assessment, panels). It must be idempotent: delivery is at least once. */
export interface ApplicationStatusSubscriber {
  onStatusChanged(event: JobPayloads['application.status_changed']): Promise<void>;
}

/**
 * The door through which other domains react to a bid's move: they register in onModuleInit and
 * the `application.status_changed` job calls each in turn (a failure fails the job, which retries;
 * so every subscriber keys on the transition or the state it finds).
 */
@Injectable()
export class ApplicationEvents {
  private readonly subscribers: ApplicationStatusSubscriber[] = [];

  subscribe(subscriber: ApplicationStatusSubscriber): void {
    if (!this.subscribers.includes(subscriber)) this.subscribers.push(subscriber);
  }

  async publish(event: JobPayloads['application.status_changed']): Promise<void> {
    for (const subscriber of this.subscribers) await subscriber.onStatusChanged(event);
  }
}

/** The event of a bid's move, handed to every subscriber of ApplicationEvents. Delivery is at least once. */
@Injectable()
@HandlesJob('application.status_changed')
export class ApplicationStatusChangedJob implements JobHandler<'application.status_changed'> {
  private readonly logger = new Logger('ApplicationStatusChanged');

  constructor(private readonly events: ApplicationEvents) {}

  async handle(payload: JobPayloads['application.status_changed']): Promise<void> {
    this.logger.debug(`Application ${payload.applicationId}: ${payload.from} -> ${payload.to} (transition ${payload.transitionId})`);
    await this.events.publish(payload);
  }
}
