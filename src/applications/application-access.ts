import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { hasRole } from '../auth/authenticated-user.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { Application } from './application.entity.js';

export const applicationNotFound = () => new DomainError('not_found', 'APPLICATION.NOT_FOUND', 'Application was not found');

/** Staff who may read every bid (the auditor only reads). */
export const readsAllApplications = (user: AuthenticatedUser) => hasRole(user, 'grants_officer', 'auditor');

/**
 * Who may see and change a bid. Members of the bid's organisation read and edit it; grants officers
 * and auditors read every bid; anyone else is told it does not exist (404), so ids are not confirmed.
 */
@Injectable()
export class ApplicationAccess {
  constructor(private readonly dataSource: DataSource) {}

  async isMember(userId: string, organisationId: string, manager?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (manager ?? this.dataSource.manager).query(
      `SELECT 1 FROM organisation_members WHERE user_id = $1 AND organisation_id = $2`,
      [userId, organisationId],
    );
    return rows.length > 0;
  }

  /** The organisations a person belongs to, by name. */
  async organisationsOf(userId: string, manager?: EntityManager): Promise<{ id: string; name: string; contactEmail: string }[]> {
    return (manager ?? this.dataSource.manager).query(
      `SELECT o.id, o.name, o.contact_email AS "contactEmail" FROM organisations o
         JOIN organisation_members om ON om.organisation_id = o.id
        WHERE om.user_id = $1 ORDER BY o.name`,
      [userId],
    );
  }

  /** A bid the person may read: a member's, or any bid for staff who read all. */
  async readable(user: AuthenticatedUser, id: string, manager?: EntityManager): Promise<Application> {
    if (!isUuid(id)) throw applicationNotFound();
    const app = await (manager ?? this.dataSource.manager).findOne(Application, { where: { id } });
    if (!app) throw applicationNotFound();
    if (readsAllApplications(user)) return app;
    if (!(await this.isMember(user.id, app.organisationId, manager))) throw applicationNotFound();
    return app;
  }

  /**
   * A bid the person may change on behalf of its organisation, locked for the rest of the
   * transaction (so edits, budget totals and submission never interleave).
   */
  async editable(manager: EntityManager, user: AuthenticatedUser, id: string): Promise<Application> {
    if (!isUuid(id)) throw applicationNotFound();
    const app = await manager.findOne(Application, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!app) throw applicationNotFound();
    if (!(await this.isMember(user.id, app.organisationId, manager))) {
      if (readsAllApplications(user)) {
        throw new DomainError('forbidden', 'APPLICATION.MEMBERS_ONLY', 'Only members of the organisation can change its application');
      }
      throw applicationNotFound();
    }
    return app;
  }
}

/** Runs an UPDATE or DELETE and returns how many rows it changed (node-postgres via TypeORM gives [rows, count]). */
export async function affectedRows(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result: unknown = await manager.query(sql, params);
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
