import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { ApiTokenService } from '../auth/api-token.service.js';
import { endSessionsOf } from '../auth/pg-session-store.js';
import { ROLE_LABELS, type StaffRole } from '../auth/roles.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../common/errors.js';
import { MailService } from '../mail/mail.service.js';
import {
  assertValid,
  canonicalRoles,
  emailErrors,
  fullNameErrors,
  normaliseEmail,
  rolesErrors,
} from './account-rules.js';
import { isUuid } from '../common/ids.js';
import { OneTimeTokensService } from './one-time-tokens.service.js';
import { User } from './user.entity.js';

export type AccountStatus = 'active' | 'invited' | 'unverified' | 'disabled';
/** Filter values for the list: a staff role, or "applicant" for people without one. */
export type RoleFilter = StaffRole | 'applicant';

export interface UserView {
  id: string;
  email: string;
  fullName: string;
  roles: StaffRole[];
  status: AccountStatus;
  emailVerifiedAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface UserListQuery {
  role?: RoleFilter;
  q?: string;
  page: number;
  pageSize: number;
}

export const statusOf = (u: Pick<User, 'disabledAt' | 'passwordHash' | 'emailVerifiedAt'>): AccountStatus =>
  u.disabledAt ? 'disabled' : !u.passwordHash ? 'invited' : !u.emailVerifiedAt ? 'unverified' : 'active';

export function userView(u: User): UserView {
  return {
    id: u.id,
    email: u.email,
    fullName: u.fullName,
    roles: canonicalRoles(u.roles),
    status: statusOf(u),
    emailVerifiedAt: u.emailVerifiedAt,
    disabledAt: u.disabledAt,
    createdAt: u.createdAt,
  };
}

export const DISABLE_REASON_MAX = 500;

const notFound = () => new DomainError('not_found', 'USER.NOT_FOUND', 'That person was not found');
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c);

/**
 * What administrators do to accounts: list and find people, invite staff, change roles,
 * disable and enable accounts. An administrator cannot remove their own administrator role
 * or disable their own account, so the service always keeps one administrator who can act.
 */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly links: OneTimeTokensService,
    private readonly apiTokens: ApiTokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: UserListQuery): Promise<{ items: UserView[]; total: number; page: number; pageSize: number }> {
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u');
    if (query.role === 'applicant') qb.andWhere(`u.roles = '{}'`);
    else if (query.role) qb.andWhere(':role = ANY(u.roles)', { role: query.role });
    const q = query.q?.trim();
    if (q) qb.andWhere(`u.email ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(q.toLowerCase())}%` });
    qb.orderBy('u.email', 'ASC').skip((query.page - 1) * query.pageSize).take(query.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(userView), total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: string): Promise<UserView> {
    if (!isUuid(id)) throw notFound();
    const user = await this.dataSource.getRepository(User).findOne({ where: { id } });
    if (!user) throw notFound();
    return userView(user);
  }

  private async lock(m: EntityManager, id: string): Promise<User> {
    if (!isUuid(id)) throw notFound();
    const user = await m.getRepository(User).createQueryBuilder('u').where('u.id = :id', { id }).setLock('pessimistic_write').getOne();
    if (!user) throw notFound();
    return user;
  }

  private async sendInvite(m: EntityManager, user: { id: string; email: string; fullName: string }, roles: StaffRole[], inviter: Actor): Promise<void> {
    const { token } = await this.links.issue(m, user.id, 'staff_invite');
    await this.mail.queue(m, {
      to: user.email,
      template: 'staff-invite',
      data: {
        name: user.fullName,
        roles: roles.map((r) => ROLE_LABELS[r]),
        inviter: inviter.label,
        link: `${this.config.publicUrl}/accept-invite?token=${encodeURIComponent(token)}`,
        days: 7,
      },
      userId: user.id,
      secrets: [token],
    });
  }

  /**
   * Invites a member of staff: a new account without a password and an emailed link (7 days) to
   * set one; or, for an existing account, adds the roles (and re-sends the link if they have
   * never set a password).
   */
  async invite(input: { email: string; fullName: string; roles: unknown[] }, actor: Actor): Promise<{ user: UserView; created: boolean }> {
    const email = normaliseEmail(input.email);
    assertValid([...emailErrors(input.email), ...fullNameErrors(input.fullName), ...rolesErrors(input.roles)]);
    const roles = canonicalRoles(input.roles as string[]);
    return this.dataSource.transaction(async (m) => {
      const inserted: { id: string }[] = await m.query(
        `INSERT INTO users (email, full_name, password_hash, roles) VALUES ($1, $2, NULL, $3)
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [email, input.fullName.trim(), roles],
      );
      if (inserted.length) {
        const user = await m.findOneByOrFail(User, { id: inserted[0].id });
        await this.audit.record(m, actor, {
          action: 'user.invited',
          entityType: 'user',
          entityId: user.id,
          after: { email, fullName: user.fullName, roles },
        });
        await this.sendInvite(m, user, roles, actor);
        return { user: userView(user), created: true };
      }
      const existing = await m.getRepository(User).createQueryBuilder('u').where('u.email = :email', { email }).setLock('pessimistic_write').getOneOrFail();
      const before = canonicalRoles(existing.roles);
      const after = canonicalRoles([...before, ...roles]);
      if (after.length !== before.length) {
        await m.update(User, { id: existing.id }, { roles: after });
        existing.roles = after;
        await this.audit.record(m, actor, {
          action: 'user.roles_changed',
          entityType: 'user',
          entityId: existing.id,
          before: { roles: before },
          after: { roles: after },
          reason: 'Invited as staff',
        });
      }
      if (!existing.passwordHash) {
        await this.sendInvite(m, existing, after, actor);
      } else {
        await this.mail.queue(m, {
          to: existing.email,
          template: 'staff-roles-added',
          data: { name: existing.fullName, roles: after.map((r) => ROLE_LABELS[r]), signInLink: `${this.config.publicUrl}/sign-in` },
          userId: existing.id,
        });
      }
      return { user: userView(existing), created: false };
    });
  }

  /** Who an invitation link is for (to greet them on the page); throws the token's error if it is not usable. */
  async checkInvite(token: unknown): Promise<{ email: string; fullName: string }> {
    const link = await this.links.check(token, 'staff_invite');
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: link.userId });
    return { email: user.email, fullName: user.fullName };
  }

  /** Sets the invited person's password; this also confirms their email address. */
  async acceptInvite(token: unknown, password: string, actor: Actor): Promise<{ email: string }> {
    const user = await this.links.setPasswordWithLink(token, 'staff_invite', password, async (m, user) => {
      await this.audit.record(m, { userId: user.id, label: user.email, requestId: actor.requestId }, {
        action: 'user.invite_accepted',
        entityType: 'user',
        entityId: user.id,
        before: { status: statusOf(user) },
        after: { status: user.disabledAt ? 'disabled' : 'active', emailVerified: true },
      });
    });
    return { email: user.email };
  }

  async setRoles(id: string, rawRoles: unknown[], actor: Actor): Promise<UserView> {
    assertValid(rolesErrors(rawRoles, 'roles', true));
    const roles = canonicalRoles(rawRoles as string[]);
    return this.dataSource.transaction(async (m) => {
      const user = await this.lock(m, id);
      const before = canonicalRoles(user.roles);
      if (user.id === actor.userId && before.includes('administrator') && !roles.includes('administrator')) {
        const message = 'You cannot remove your own administrator role. Ask another administrator to do it.';
        throw new DomainError('conflict', 'USER.CANNOT_REMOVE_OWN_ADMIN_ROLE', message, [
          { field: 'roles', code: 'USER.CANNOT_REMOVE_OWN_ADMIN_ROLE', message },
        ]);
      }
      if (before.join() === roles.join()) return userView(user);
      await m.update(User, { id: user.id }, { roles });
      user.roles = roles;
      await this.audit.record(m, actor, {
        action: 'user.roles_changed',
        entityType: 'user',
        entityId: user.id,
        before: { roles: before },
        after: { roles },
      });
      return userView(user);
    });
  }

  /** Disables an account: its sessions and API tokens end at once. Disabling twice changes nothing. */
  async disable(id: string, actor: Actor, reason?: string | null): Promise<UserView> {
    if (reason && reason.length > DISABLE_REASON_MAX) {
      assertValid([{ field: 'reason', code: 'FIELD.TOO_LONG', message: `Reason must be ${DISABLE_REASON_MAX} characters or fewer` }]);
    }
    return this.dataSource.transaction(async (m) => {
      const user = await this.lock(m, id);
      if (user.id === actor.userId) {
        throw new DomainError('conflict', 'USER.CANNOT_DISABLE_SELF', 'You cannot disable your own account. Ask another administrator to do it.');
      }
      if (user.disabledAt) return userView(user);
      user.disabledAt = new Date();
      await m.update(User, { id: user.id }, { disabledAt: user.disabledAt });
      await endSessionsOf(m, user.id);
      await this.apiTokens.revokeAll(m, user.id);
      await this.audit.record(m, actor, {
        action: 'user.disabled',
        entityType: 'user',
        entityId: user.id,
        before: { disabledAt: null },
        after: { disabledAt: user.disabledAt, sessionsEnded: true, apiTokensRevoked: true },
        reason: reason?.trim() || null,
      });
      return userView(user);
    });
  }

  /** Enables a disabled account (tokens revoked when it was disabled stay revoked). */
  async enable(id: string, actor: Actor): Promise<UserView> {
    return this.dataSource.transaction(async (m) => {
      const user = await this.lock(m, id);
      if (!user.disabledAt) return userView(user);
      const before = user.disabledAt;
      user.disabledAt = null;
      await m.update(User, { id: user.id }, { disabledAt: null });
      await this.audit.record(m, actor, {
        action: 'user.enabled',
        entityType: 'user',
        entityId: user.id,
        before: { disabledAt: before },
        after: { disabledAt: null },
      });
      return userView(user);
    });
  }
}
