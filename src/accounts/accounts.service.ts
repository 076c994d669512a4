import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { ApiTokenService, SIGN_IN_TOKEN_HOURS } from '../auth/api-token.service.js';
import { endSessionsOf } from '../auth/pg-session-store.js';
import { isStaffRole, type StaffRole } from '../auth/roles.js';
import { SignInThrottle } from '../auth/sign-in-throttle.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError, validationFailed } from '../common/errors.js';
import { MailService } from '../mail/mail.service.js';
import { OutboxService } from '../queue/outbox.service.js';
import { OrganisationMembershipReader } from '../organisations/membership-reader.js';
import {
  EMAIL_MAX,
  PASSWORD_MAX,
  assertValid,
  emailErrors,
  fullNameErrors,
  hashPassword,
  normaliseEmail,
  passwordErrors,
  verifyPassword,
} from './account-rules.js';
import { OneTimeTokensService } from './one-time-tokens.service.js';
import { User } from './user.entity.js';

export interface RegisterInput {
  email: string;
  fullName: string;
  password: string;
}

export interface SignedInPerson {
  id: string;
  email: string;
  fullName: string;
  roles: StaffRole[];
}

export interface ProfileView extends SignedInPerson {
  organisations: { id: string; name: string; role: string }[];
}

const invalidCredentials = () =>
  new DomainError('unauthenticated', 'AUTH.INVALID_CREDENTIALS', 'Enter a correct email address and password');

/** The person behind the actor, for self-service changes where the caller was anonymous. */
const asSelf = (user: { id: string; email: string }, actor: Actor): Actor => ({ userId: user.id, label: user.email, requestId: actor.requestId });

/**
 * Self-service accounts: registration and email confirmation, signing in (credentials and
 * throttling), password reset and change, and the person's own profile (personal API tokens: personal-tokens.service.ts).
 */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly links: OneTimeTokensService,
    private readonly apiTokens: ApiTokenService,
    private readonly throttle: SignInThrottle,
    private readonly outbox: OutboxService,
    private readonly memberships: OrganisationMembershipReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private link(path: string, token?: string): string {
    return `${this.config.publicUrl}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  }

  private async sendVerification(m: EntityManager, user: { id: string; email: string; fullName: string }): Promise<void> {
    const { token } = await this.links.issue(m, user.id, 'verify_email');
    await this.mail.queue(m, {
      to: user.email,
      template: 'account-verify-email',
      data: { name: user.fullName, link: this.link('/verify-email', token), hours: 24 },
      userId: user.id,
      secrets: [token],
    });
  }

  /**
   * Creates an unverified account and emails a confirmation link. An email address that already
   * has an account gets the same answer; its owner is told by email that someone tried.
   */
  async register(input: RegisterInput, actor: Actor): Promise<void> {
    const email = normaliseEmail(input.email);
    const fullName = input.fullName.trim();
    assertValid([...fullNameErrors(input.fullName), ...emailErrors(input.email), ...passwordErrors(input.password, email)]);
    // Hashed whether or not the address is taken, so both answers take as long.
    const passwordHash = await hashPassword(input.password);
    await this.dataSource.transaction(async (m) => {
      const inserted: { id: string }[] = await m.query(
        `INSERT INTO users (email, full_name, password_hash, roles, password_changed_at)
         VALUES ($1, $2, $3, '{}', now()) ON CONFLICT (email) DO NOTHING RETURNING id`,
        [email, fullName, passwordHash],
      );
      if (inserted.length === 0) {
        if (!(await this.throttle.allowAccountEmail(email))) return;
        const existing = await m.findOneOrFail(User, { where: { email } });
        const verifyToken =
          !existing.emailVerifiedAt && existing.passwordHash && !existing.disabledAt
            ? (await this.links.issue(m, existing.id, 'verify_email')).token
            : null;
        const verifyLink = verifyToken ? this.link('/verify-email', verifyToken) : null;
        await this.mail.queue(m, {
          to: existing.email,
          template: 'account-already-registered',
          data: {
            name: existing.fullName,
            signInLink: this.link('/sign-in'),
            resetLink: this.link('/forgot-password'),
            verifyLink,
          },
          userId: existing.id,
          secrets: verifyToken ? [verifyToken] : [],
        });
        return;
      }
      const user = { id: inserted[0].id, email, fullName };
      await this.audit.record(m, asSelf(user, actor), {
        action: 'user.registered',
        entityType: 'user',
        entityId: user.id,
        after: { email, fullName, roles: [], emailVerified: false },
      });
      await this.throttle.allowAccountEmail(email); // the first email counts towards the limit too
      await this.sendVerification(m, user);
    });
  }

  /** Confirms an email address with the emailed link. */
  async verifyEmail(token: unknown, actor: Actor): Promise<{ email: string }> {
    return this.dataSource.transaction(async (m) => {
      const link = await this.links.consume(m, token, 'verify_email');
      const [rows]: [{ id: string; email: string; email_verified_at: Date }[], number] = await m.query(
        `UPDATE users SET email_verified_at = now(), updated_at = now()
          WHERE id = $1 AND email_verified_at IS NULL RETURNING id, email, email_verified_at`,
        [link.userId],
      );
      if (rows.length === 0) {
        const user = await m.findOneOrFail(User, { where: { id: link.userId } });
        return { email: user.email };
      }
      await this.audit.record(m, asSelf(rows[0], actor), {
        action: 'user.email_verified',
        entityType: 'user',
        entityId: rows[0].id,
        before: { emailVerifiedAt: null },
        after: { emailVerifiedAt: rows[0].email_verified_at },
      });
      return { email: rows[0].email };
    });
  }

  /** Sends a new confirmation link when the address has an unconfirmed account; says nothing either way. */
  async resendVerification(rawEmail: string): Promise<void> {
    assertValid(emailErrors(rawEmail));
    const email = normaliseEmail(rawEmail);
    await this.dataSource.transaction(async (m) => {
      const user = await m.findOne(User, { where: { email } });
      if (!user || user.emailVerifiedAt || user.disabledAt || !user.passwordHash) return;
      if (!(await this.throttle.allowAccountEmail(email))) return;
      await this.sendVerification(m, user);
    });
  }

  /**
   * Checks an email address and password, within the sign-in throttle. Wrong email and wrong
   * password get one answer; only with the right password is a disabled or unconfirmed account
   * told so.
   */
  async authenticate(rawEmail: string, password: string, ip: string): Promise<SignedInPerson> {
    const errors = [
      ...(rawEmail.trim() ? [] : [{ field: 'email', code: 'FIELD.REQUIRED', message: 'Enter your email address' }]),
      ...(password ? [] : [{ field: 'password', code: 'FIELD.REQUIRED', message: 'Enter your password' }]),
    ];
    if (errors.length) throw validationFailed(errors, errors[0].message);
    const email = normaliseEmail(rawEmail);
    // The attempt is counted before the password is checked, so parallel guesses cannot all pass.
    await this.throttle.attempt(email, ip);
    const user = email.length <= EMAIL_MAX ? await this.dataSource.getRepository(User).findOne({ where: { email } }) : null;
    const ok = await verifyPassword(password.length <= PASSWORD_MAX ? (user?.passwordHash ?? null) : null, password);
    if (!user || !ok) {
      this.throttle.recordFailure(ip);
      throw invalidCredentials();
    }
    await this.throttle.succeeded(email, ip);
    if (user.disabledAt) {
      throw new DomainError('forbidden', 'AUTH.ACCOUNT_DISABLED', 'Your account has been disabled. Contact the grants team if you think this is wrong.');
    }
    if (!user.emailVerifiedAt) {
      throw new DomainError(
        'forbidden',
        'AUTH.EMAIL_NOT_VERIFIED',
        'You need to confirm your email address before you can sign in. Use the link in the email we sent you.',
      );
    }
    return { id: user.id, email: user.email, fullName: user.fullName, roles: user.roles.filter(isStaffRole) };
  }

  /** POST /api/v1/auth/token: a 12-hour bearer token for the right email and password. */
  async issueSignInToken(email: string, password: string, ip: string): Promise<{ token: string; expiresAt: Date }> {
    const person = await this.authenticate(email, password, ip);
    const expiresAt = new Date(Date.now() + SIGN_IN_TOKEN_HOURS * 3600_000);
    const { token } = await this.dataSource.transaction((m) => this.apiTokens.issue(m, person.id, 'sign_in', 'Signed in', expiresAt));
    this.logger.log(`API sign-in by user ${person.id}`);
    return { token, expiresAt };
  }

  /**
   * Asks for a reset link; says nothing about whether the address has an account. The answer does
   * the same work either way (one outbox row); looking the account up and writing the email
   * happen in the worker (sendPasswordReset), so the answer's timing reveals nothing either.
   */
  async requestPasswordReset(rawEmail: string): Promise<void> {
    assertValid(emailErrors(rawEmail));
    const email = normaliseEmail(rawEmail);
    await this.dataSource.transaction((m) => this.outbox.enqueue(m, 'account.password-reset', { email }, { key: `password-reset-${randomUUID()}` }));
  }

  /** The worker's half of a reset request: emails a link if the address has an account that can use one. */
  async sendPasswordReset(email: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const user = await m.findOne(User, { where: { email } });
      if (!user || user.disabledAt) return;
      if (!(await this.throttle.allowAccountEmail(email))) return;
      const { token } = await this.links.issue(m, user.id, 'reset_password');
      await this.mail.queue(m, {
        to: user.email,
        template: 'account-reset-password',
        data: { name: user.fullName, link: this.link('/reset-password', token), minutes: 60 },
        userId: user.id,
        secrets: [token],
      });
    });
  }

  /** Is a reset link still good (for showing the form)? Throws the token's coded error if not. */
  async checkResetLink(token: unknown): Promise<void> {
    await this.links.check(token, 'reset_password');
  }

  /**
   * Sets a new password with a reset link: the link is used up, and every session and API token
   * of the person ends. A bad password leaves the link usable.
   */
  async completePasswordReset(token: unknown, password: string, actor: Actor): Promise<{ email: string }> {
    const user = await this.links.setPasswordWithLink(token, 'reset_password', password, async (m, user) => {
      await endSessionsOf(m, user.id);
      await this.apiTokens.revokeAll(m, user.id);
      await this.audit.record(m, asSelf(user, actor), {
        action: 'user.password_reset',
        entityType: 'user',
        entityId: user.id,
        before: { emailVerified: !!user.emailVerifiedAt },
        after: { emailVerified: true, sessionsEnded: true, apiTokensRevoked: true },
      });
      await this.mail.queue(m, {
        to: user.email,
        template: 'account-password-changed',
        data: { name: user.fullName, resetLink: this.link('/forgot-password') },
        userId: user.id,
      });
    });
    return { email: user.email };
  }

  /**
   * Changes a signed-in person's password: every other session and every API token ends; the
   * session that made the change (keepSid) continues.
   */
  async changePassword(
    person: { id: string; email: string },
    input: { currentPassword: string; newPassword: string },
    actor: Actor,
    keepSid: string | undefined,
    ip: string,
  ): Promise<void> {
    if (!input.currentPassword) {
      throw validationFailed([{ field: 'currentPassword', code: 'FIELD.REQUIRED', message: 'Enter your current password' }], 'Enter your current password');
    }
    await this.throttle.attempt(person.email, ip);
    const user = await this.dataSource.getRepository(User).findOneOrFail({ where: { id: person.id } });
    if (!(await verifyPassword(input.currentPassword.length <= PASSWORD_MAX ? user.passwordHash : null, input.currentPassword))) {
      this.throttle.recordFailure(ip);
      throw validationFailed(
        [{ field: 'currentPassword', code: 'PASSWORD.CURRENT_INCORRECT', message: 'Your current password is not correct' }],
        'Your current password is not correct',
      );
    }
    await this.throttle.succeeded(person.email, ip);
    const errors = passwordErrors(input.newPassword, user.email, 'newPassword');
    if (!errors.length && input.newPassword === input.currentPassword) {
      errors.push({ field: 'newPassword', code: 'PASSWORD.SAME_AS_CURRENT', message: 'New password must be different from your current password' });
    }
    assertValid(errors);
    const passwordHash = await hashPassword(input.newPassword);
    await this.dataSource.transaction(async (m) => {
      await m.query(`UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1`, [user.id, passwordHash]);
      await endSessionsOf(m, user.id, keepSid);
      await this.apiTokens.revokeAll(m, user.id);
      await this.audit.record(m, actor, {
        action: 'user.password_changed',
        entityType: 'user',
        entityId: user.id,
        after: { otherSessionsEnded: true, apiTokensRevoked: true },
      });
      await this.mail.queue(m, {
        to: user.email,
        template: 'account-password-changed',
        data: { name: user.fullName, resetLink: this.link('/forgot-password') },
        userId: user.id,
      });
    });
  }

  async profile(userId: string): Promise<ProfileView> {
    const user = await this.dataSource.getRepository(User).findOneOrFail({ where: { id: userId } });
    const organisations = (await this.memberships.organisationsOf(userId)).map(({ id, name, role }) => ({ id, name, role }));
    return { id: user.id, email: user.email, fullName: user.fullName, roles: user.roles.filter(isStaffRole), organisations };
  }
}
