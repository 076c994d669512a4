import { Inject, Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { hashSecret, newSecret } from '../auth/token-secrets.js';
import { AuditService } from '../audit/audit.service.js';
import { formatDate } from '../common/dates.js';
import { DomainError, fieldError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MailService } from '../mail/mail.service.js';
import { PeopleReader } from '../accounts/people-reader.js';
import { OrganisationMembershipReader } from './membership-reader.js';
import { OrganisationInvite } from './organisation-invite.entity.js';
import { isUuid } from '../common/ids.js';
import { OrganisationsService, type OrganisationView } from './organisations.service.js';

export const INVITE_VALID_DAYS = 14;
/** Invitation tokens are 43 base64url characters; anything much longer is not one. */
const MAX_TOKEN_LENGTH = 100;

export type InviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InviteView {
  id: string;
  organisationId: string;
  email: string;
  status: InviteStatus;
  invitedBy: { userId: string; fullName: string | null };
  expiresAt: Date;
  createdAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

/** What the person holding an invitation link sees. */
export interface InviteLanding {
  organisation: { id: string; name: string };
  status: InviteStatus;
  expiresAt: Date;
  /** The address it was sent to: shown only to that person, or to anyone not yet signed in. */
  invitedEmail: string | null;
  /** Whether the signed-in person is the one invited (null when nobody is signed in). */
  forYou: boolean | null;
  alreadyMember: boolean;
}

interface InviteRow {
  id: string;
  organisation_id: string;
  email: string;
  invited_by: string;
  expires_at: Date;
  created_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

const statusOf = (row: { accepted_at: Date | null; revoked_at: Date | null; expires_at: Date }, now = new Date()): InviteStatus =>
  row.accepted_at ? 'accepted' : row.revoked_at ? 'revoked' : new Date(row.expires_at) <= now ? 'expired' : 'pending';

/** `inviterName` comes from accounts (PeopleReader), by the row's invited_by. */
const toView = (row: InviteRow, inviterName: string | null): InviteView => ({
  id: row.id,
  organisationId: row.organisation_id,
  email: row.email,
  status: statusOf(row),
  invitedBy: { userId: row.invited_by, fullName: inviterName },
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  acceptedAt: row.accepted_at,
  revokedAt: row.revoked_at,
});

const inviteNotFound = () =>
  new DomainError('not_found', 'ORGANISATION.INVITE_NOT_FOUND', 'That invitation was not found. Check you used the whole link from the email.');

/** Why an invitation can no longer be accepted, as an error. */
function unusable(status: Exclude<InviteStatus, 'pending'>): DomainError {
  switch (status) {
    case 'accepted':
      return new DomainError('conflict', 'ORGANISATION.INVITE_ALREADY_USED', 'This invitation has already been used. Ask an owner of the organisation to send you a new one if you need it.');
    case 'revoked':
      return new DomainError('gone', 'ORGANISATION.INVITE_REVOKED', 'This invitation was cancelled by the organisation. Ask an owner of the organisation to send you a new one.');
    case 'expired':
      return new DomainError('gone', 'ORGANISATION.INVITE_EXPIRED', `This invitation has expired: invitations last ${INVITE_VALID_DAYS} days. Ask an owner of the organisation to send you a new one.`);
  }
}

/** Inviting colleagues by email, cancelling invitations, and accepting them. */
@Injectable()
export class OrganisationInvitesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsService,
    private readonly memberships: OrganisationMembershipReader,
    private readonly people: PeopleReader,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Every invitation of an organisation, newest first (members and staff). */
  async list(user: AuthenticatedUser, organisationId: string, options: { pendingOnly?: boolean } = {}): Promise<InviteView[]> {
    await this.organisations.access(this.dataSource.manager, user, organisationId);
    const rows: InviteRow[] = await this.dataSource.query(
      `SELECT i.id, i.organisation_id, i.email, i.invited_by, i.expires_at, i.created_at, i.accepted_at, i.revoked_at
         FROM organisation_invites i
        WHERE i.organisation_id = $1
          ${options.pendingOnly ? 'AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()' : ''}
        ORDER BY i.created_at DESC, i.id`,
      [organisationId],
    );
    const inviters = await this.people.byIds(rows.map((r) => r.invited_by));
    return rows.map((row) => toView(row, inviters.get(row.invited_by)?.fullName ?? null));
  }

  /**
   * An owner invites someone by email. A pending invitation to the same address is replaced (so
   * "send again" works and only the newest link is live). The email goes out through the outbox.
   */
  async invite(actor: Actor, user: AuthenticatedUser, organisationId: string, rawEmail: unknown): Promise<InviteView> {
    const email = typeof rawEmail === 'string' ? rawEmail.trim().toLowerCase() : '';
    const { invite } = await this.dataSource.transaction(async (m) => {
      const access = await this.organisations.access(m, user, organisationId, { lock: true });
      this.organisations.requireOwner(access, 'invite people');
      if (!email) throw fieldError('email', 'ORGANISATION.INVITE_EMAIL_REQUIRED', 'Enter the email address of the person to invite');
      if (email.length > 254 || !isEmail(email)) {
        throw fieldError('email', 'ORGANISATION.INVITE_EMAIL_INVALID', 'Enter an email address in the correct format, like name@example.com');
      }
      const person = await this.people.byEmail(email, m);
      if (person && (await this.memberships.isMember(person.id, organisationId, m))) {
        throw new DomainError('conflict', 'ORGANISATION.ALREADY_MEMBER', `${email} is already a member of this organisation`, [
          { field: 'email', code: 'ORGANISATION.ALREADY_MEMBER', message: `${email} is already a member of this organisation` },
        ]);
      }
      const replaced: { id: string }[] = await m
        .query(
          `UPDATE organisation_invites SET revoked_at = now()
            WHERE organisation_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
            RETURNING id`,
          [organisationId, email],
        )
        .then((r: [{ id: string }[], number]) => r[0]);
      const { secret, hash } = newSecret();
      const expiresAt = new Date(Date.now() + INVITE_VALID_DAYS * 24 * 3600 * 1000);
      const inserted = await m.insert(OrganisationInvite, {
        organisationId,
        email,
        tokenHash: hash,
        invitedBy: user.id,
        expiresAt,
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
      });
      const inviteId = (inserted.identifiers[0] as { id: string }).id;
      await this.audit.record(m, actor, {
        action: 'organisation.member_invited',
        entityType: 'organisation',
        entityId: organisationId,
        after: { inviteId, email, expiresAt, replacedInviteIds: replaced.map((r) => r.id) },
      });
      await this.mail.queue(m, {
        to: email,
        template: 'organisation-invite',
        organisationId,
        data: {
          organisationName: access.organisation.name,
          inviterName: user.fullName || user.email,
          inviteUrl: `${this.config.publicUrl}/invites/${secret}`,
          expiresOn: formatDate(expiresAt),
        },
        secrets: [secret],
      });
      return { invite: await this.findOne(m, organisationId, inviteId) };
    });
    return invite;
  }

  /** An owner cancels an invitation. Cancelling one already cancelled changes nothing. */
  async revoke(actor: Actor, user: AuthenticatedUser, organisationId: string, inviteId: string): Promise<InviteView> {
    return this.dataSource.transaction(async (m) => {
      const access = await this.organisations.access(m, user, organisationId, { lock: true });
      this.organisations.requireOwner(access, 'cancel invitations');
      if (!isUuid(inviteId)) throw inviteNotFound();
      const invite = await this.findOne(m, organisationId, inviteId);
      if (invite.status === 'accepted') throw unusable('accepted');
      if (invite.status === 'revoked') return invite;
      await m.query(`UPDATE organisation_invites SET revoked_at = now() WHERE id = $1`, [inviteId]);
      await this.audit.record(m, actor, {
        action: 'organisation.invite_revoked',
        entityType: 'organisation',
        entityId: organisationId,
        before: { inviteId, email: invite.email, status: invite.status },
        after: { inviteId, email: invite.email, status: 'revoked' },
      });
      return this.findOne(m, organisationId, inviteId);
    });
  }

  /** What the holder of a link sees. Unknown tokens are "not found". */
  async landing(token: string, user: AuthenticatedUser | null): Promise<InviteLanding> {
    const row = await this.byToken(this.dataSource.manager, token, false);
    const forYou = user ? user.email.toLowerCase() === row.email : null;
    const alreadyMember = user ? await this.memberships.isMember(user.id, row.organisation_id) : false;
    return {
      organisation: { id: row.organisation_id, name: row.organisation_name },
      status: statusOf(row),
      expiresAt: row.expires_at,
      invitedEmail: forYou !== false ? row.email : null,
      forYou,
      alreadyMember,
    };
  }

  /**
   * The invited person accepts and becomes a member. The link is single-use; it must be used by
   * the account with the address it was sent to, before it expires and unless it was cancelled.
   */
  async accept(actor: Actor, user: AuthenticatedUser, token: string): Promise<OrganisationView> {
    const organisationId = await this.dataSource.transaction(async (m) => {
      const row = await this.byToken(m, token, true);
      const status = statusOf(row);
      if (status !== 'pending') throw unusable(status);
      if (user.email.toLowerCase() !== row.email) {
        throw new DomainError(
          'forbidden',
          'ORGANISATION.INVITE_WRONG_ACCOUNT',
          'This invitation was sent to a different email address. Sign in with the account for the address it was sent to.',
        );
      }
      if (await this.memberships.isMember(user.id, row.organisation_id, m)) {
        throw new DomainError('conflict', 'ORGANISATION.ALREADY_MEMBER', 'You are already a member of this organisation');
      }
      await m.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [row.organisation_id, user.id]);
      await m.query(`UPDATE organisation_invites SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, [row.id, user.id]);
      await this.audit.record(m, actor, {
        action: 'organisation.member_joined',
        entityType: 'organisation',
        entityId: row.organisation_id,
        after: { userId: user.id, email: user.email, role: 'member', inviteId: row.id },
      });
      return row.organisation_id;
    });
    return this.organisations.get(user, organisationId);
  }

  private async byToken(m: EntityManager, token: string, lock: boolean): Promise<InviteRow & { organisation_name: string }> {
    if (typeof token !== 'string' || !token || token.length > MAX_TOKEN_LENGTH) throw inviteNotFound();
    const [row]: (InviteRow & { organisation_name: string })[] = await m.query(
      `SELECT i.id, i.organisation_id, i.email, i.invited_by, i.expires_at, i.created_at, i.accepted_at, i.revoked_at,
              o.name AS organisation_name
         FROM organisation_invites i JOIN organisations o ON o.id = i.organisation_id
        WHERE i.token_hash = $1
        ${lock ? 'FOR UPDATE OF i' : ''}`,
      [hashSecret(token)],
    );
    if (!row) throw inviteNotFound();
    return row;
  }

  private async findOne(m: EntityManager, organisationId: string, inviteId: string): Promise<InviteView> {
    const [row]: InviteRow[] = await m.query(
      `SELECT i.id, i.organisation_id, i.email, i.invited_by, i.expires_at, i.created_at, i.accepted_at, i.revoked_at
         FROM organisation_invites i
        WHERE i.organisation_id = $1 AND i.id = $2`,
      [organisationId, inviteId],
    );
    if (!row) throw inviteNotFound();
    const inviters = await this.people.byIds([row.invited_by], m);
    return toView(row, inviters.get(row.invited_by)?.fullName ?? null);
  }
}
