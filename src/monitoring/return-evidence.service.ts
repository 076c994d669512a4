import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource, type EntityManager } from 'typeorm';
import { EvidenceFilesService, type EvidenceFileView } from '../attachments/evidence-files.service.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { MonitoringPolicy, type MonitoringAction } from '../auth/policies/monitoring.policy.js';
import { AwardReader } from '../awards/award-reader.js';
import { isUuid } from '../common/ids.js';
import { MonitoringReturn } from './monitoring.entity.js';
import { returnCan } from './return-lifecycle.js';
import { returnMissing } from './return-moves.js';

/** The evidence files of returns are attachments' EvidenceFiles owned by this type. */
export const RETURN_EVIDENCE = 'monitoring_return';

/**
 * Evidence uploaded with a return (receipts, photos, registers), stored through the attachments
 * module's EvidenceFilesService. The monitoring policy decides: members and owners add and remove
 * files while the return is editable; whoever reads the return downloads them.
 */
@Injectable()
export class ReturnEvidenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly awards: AwardReader,
    private readonly policy: MonitoringPolicy,
    private readonly files: EvidenceFilesService,
  ) {}

  async upload(user: AuthenticatedUser, actor: Actor, returnId: string, request: FastifyRequest): Promise<EvidenceFileView> {
    // Asked before the body is read (a stranger's upload is never received), and again in the write.
    await this.assert(this.dataSource.manager, user, returnId, 'write');
    return this.files.upload(actor, { type: RETURN_EVIDENCE, id: returnId }, user.id, request, (m) => this.assert(m, user, returnId, 'write', true));
  }

  async send(user: AuthenticatedUser, reply: FastifyReply, returnId: string, fileId: string): Promise<void> {
    await this.assert(this.dataSource.manager, user, returnId, 'read');
    await this.files.send(reply, { type: RETURN_EVIDENCE, id: returnId }, fileId);
  }

  async remove(user: AuthenticatedUser, actor: Actor, returnId: string, fileId: string): Promise<void> {
    await this.files.remove(actor, { type: RETURN_EVIDENCE, id: returnId }, fileId, (m) => this.assert(m, user, returnId, 'write', true));
  }

  /** The return's evidence files, by return id (one query). */
  async of(returnIds: readonly string[], m?: EntityManager): Promise<Map<string, EvidenceFileView[]>> {
    const out = new Map<string, EvidenceFileView[]>();
    for (const f of await this.files.list(RETURN_EVIDENCE, returnIds, m)) out.set(f.ownerId, [...(out.get(f.ownerId) ?? []), f]);
    return out;
  }

  private async assert(m: EntityManager, user: AuthenticatedUser, returnId: string, action: MonitoringAction, lock = false): Promise<void> {
    const ret = isUuid(returnId) ? await m.findOne(MonitoringReturn, { where: { id: returnId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) }) : null;
    const award = ret ? await this.awards.viewById(ret.awardId, m) : null;
    if (!ret || !award) throw returnMissing();
    await this.policy.assert(user, { organisationId: award.organisation.id, awardVisible: award.visibleToApplicant, editable: returnCan(ret.status).editable }, action, 'return', m);
  }
}
