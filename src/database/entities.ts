import { User } from '../accounts/user.entity.js';
import { OneTimeToken } from '../accounts/one-time-token.entity.js';
import { ApiToken } from '../auth/api-token.entity.js';
import { SessionRecord } from '../auth/session.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { EmailMessage } from '../mail/email-message.entity.js';
import { OutboxEntry } from '../queue/outbox-entry.entity.js';
import { District } from '../reference-data/district.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { OrganisationMember } from '../organisations/organisation-member.entity.js';

/** Every entity, in one list: the data source, the migration generator and the schema test use it. */
export const ENTITIES = [
  User,
  OneTimeToken,
  ApiToken,
  SessionRecord,
  AuditEvent,
  EmailMessage,
  OutboxEntry,
  District,
  Organisation,
  OrganisationMember,
];
