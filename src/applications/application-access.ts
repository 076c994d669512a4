import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import {
  ApplicationPolicy,
  applicationNotFound,
  readsAllApplications,
  type ApplicationAction,
  type ApplicationListScope,
  type ApplicationStanding,
} from '../auth/policies/application.policy.js';
import { isUuid } from '../common/ids.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { Application } from './application.entity.js';

export { applicationNotFound, readsAllApplications };

/**
 * Loads a bid for a person and asks the application policy (src/auth/policies) whether they may
 * do what they ask: the one way into a bid for every route, page, list and download. A bid the
 * person may not read is "not found" (404), so other organisations' ids are never confirmed.
 */
@Injectable()
export class ApplicationAccess {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policy: ApplicationPolicy,
    private readonly organisations: OrganisationsService,
  ) {}

  async isMember(userId: string, organisationId: string, manager?: EntityManager): Promise<boolean> {
    return this.organisations.isMember(manager ?? this.dataSource.manager, userId, organisationId);
  }

  /** The organisations a person belongs to, by name. */
  async organisationsOf(userId: string, manager?: EntityManager): Promise<{ id: string; name: string; contactEmail: string }[]> {
    const memberships = await this.organisations.membershipsOf(manager ?? this.dataSource.manager, userId);
    return memberships.map(({ id, name, contactEmail }) => ({ id, name, contactEmail }));
  }

  /**
   * The bid and the person's standing towards it, once the policy allows `action` (it throws
   * 404, 403 or 409 otherwise). `lock` holds the row for the rest of the transaction, so edits,
   * budget totals, files and submission never interleave. `asMember` judges the person as an
   * applicant only, leaving their staff roles out (the applicant's pages).
   */
  async open(
    user: AuthenticatedUser,
    id: string,
    action: ApplicationAction,
    options: { manager?: EntityManager; lock?: boolean; asMember?: boolean } = {},
  ): Promise<{ app: Application; standing: ApplicationStanding }> {
    const manager = options.manager ?? this.dataSource.manager;
    if (!isUuid(id)) throw applicationNotFound();
    const app = await manager.findOne(Application, { where: { id }, ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!app) throw applicationNotFound();
    const standing = await this.policy.check(manager, user, app, action, { asMember: options.asMember });
    return { app, standing };
  }

  /** A bid the person may read: a member's, or any bid for staff who read all. */
  async readable(user: AuthenticatedUser, id: string, manager?: EntityManager): Promise<Application> {
    return (await this.open(user, id, 'read', { manager })).app;
  }

  /** A bid of the person's own organisation, whatever staff roles they hold (404 otherwise): for the applicant's pages. */
  async ownReadable(user: AuthenticatedUser, id: string, manager?: EntityManager): Promise<Application> {
    return (await this.open(user, id, 'read', { manager, asMember: true })).app;
  }

  /**
   * A bid the person may act on for its organisation (submit, withdraw, change), locked for the
   * rest of the transaction. Whether its status allows the change is asked separately (the
   * lifecycle table for moves; `changeable` for content).
   */
  async editable(manager: EntityManager, user: AuthenticatedUser, id: string): Promise<Application> {
    return (await this.open(user, id, 'act_for', { manager, lock: true })).app;
  }

  /** A bid whose content (answers, budget) the person may change now: a member's, in an editable status; locked. */
  async changeable(manager: EntityManager, user: AuthenticatedUser, id: string): Promise<Application> {
    return (await this.open(user, id, 'change', { manager, lock: true })).app;
  }

  /** Refuses to start a bid for an organisation the person does not belong to (404), or for a read-only role (403). */
  async assertMayStart(manager: EntityManager, user: AuthenticatedUser, organisationId: string): Promise<void> {
    await this.policy.assertMayStart(manager, user, organisationId);
  }

  /** Which bids a list may show the person: a filter for the list's query (see ApplicationListScope). */
  async listScope(user: AuthenticatedUser, options: { manager?: EntityManager; asMember?: boolean } = {}): Promise<ApplicationListScope> {
    return this.policy.listScope(options.manager ?? this.dataSource.manager, user, { asMember: options.asMember });
  }
}

/** Runs an UPDATE or DELETE and returns how many rows it changed (node-postgres via TypeORM gives [rows, count]). */
export async function affectedRows(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result: unknown = await manager.query(sql, params);
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
