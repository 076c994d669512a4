import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { DataSource, type EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import type { ApplicationStatus } from '../applications/application.types.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { ApplicationPolicy, type ApplicationStanding } from '../auth/policies/application.policy.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { pageOf, type PageOf } from '../common/pagination.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { Attachment } from './attachment.entity.js';
import { AttachmentStorage } from './attachment-storage.js';
import { ATTACHMENT_KINDS, type AttachmentKind } from './attachment.types.js';
import { isAttachmentKind, MAX_ATTACHMENTS_PER_APPLICATION } from './attachment-kinds.js';

/** How each kind of document is named to people, for other domains' pages and emails. */
export { ATTACHMENT_KIND_LABELS } from './attachment-kinds.js';
import type { AllowedType } from './content-type.js';
import { checkFile, fileError } from './file-checks.js';
import type { IncomingUpload } from './incoming-upload.js';

/** A bid as this module needs it: whose it is, its state, and where the caller stands towards it. */
export interface ApplicationForFiles {
  id: string;
  organisationId: string;
  organisationName: string;
  status: ApplicationStatus;
  /** The kinds of file reopened while more information is asked for (the policy's change_files asks). */
  reopenedAttachmentKinds: string[];
  projectTitle: string | null;
  reference: string | null;
  /** The caller belongs to the organisation that owns the bid. */
  isMember: boolean;
  /** The caller may upload and remove files now (the application policy's change_files). */
  canEdit: boolean;
  standing: ApplicationStanding;
}

export interface AttachmentView {
  id: string;
  applicationId: string;
  kind: AttachmentKind;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: { id: string; fullName: string | null };
  uploadedAt: Date;
}


const attachmentNotFound = () => new DomainError('not_found', 'ATTACHMENT.NOT_FOUND', 'Attachment was not found');

const toView = (row: Attachment, names: Map<string, { fullName: string }>): AttachmentView => ({
  id: row.id,
  applicationId: row.applicationId,
  kind: row.kind,
  fileName: row.fileName,
  contentType: row.contentType,
  sizeBytes: Number(row.sizeBytes),
  sha256: row.sha256,
  uploadedBy: { id: row.uploadedBy, fullName: names.get(row.uploadedBy)?.fullName ?? null },
  uploadedAt: row.createdAt,
});

/** What an upload becomes once every check has passed. */
interface CheckedUpload {
  kind: AttachmentKind;
  fileName: string;
  type: AllowedType;
  tempPath: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Files attached to a bid: who may see and change them is the application policy's to say
 * (read_files, change_files), asked through ApplicationAccess; this service decides what may be
 * stored (PDF, Word, Excel, JPEG, PNG by content, at most 10 MB, at most 20 per bid).
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: AttachmentStorage,
    private readonly audit: AuditService,
    private readonly applications: ApplicationsService,
    private readonly policy: ApplicationPolicy,
    private readonly organisations: OrganisationsService,
    private readonly people: PeopleReader,
  ) {}

  /**
   * The application if the policy lets the caller see its files; anyone else, and unknown ids,
   * get the same 404 so other organisations' ids are never confirmed. `lock` holds the bid's row
   * for the rest of the transaction.
   */
  async applicationFor(user: AuthenticatedUser, applicationId: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<ApplicationForFiles> {
    const { standing, ...app } = await this.applications.openBid(user, applicationId, 'read_files', { manager, lock });
    return {
      id: app.id,
      organisationId: app.organisationId,
      organisationName: (await this.organisations.nameOf(manager, app.organisationId)) ?? 'the organisation',
      status: app.status,
      reopenedAttachmentKinds: app.reopenedAttachmentKinds,
      projectTitle: app.projectTitle,
      reference: app.reference,
      isMember: standing.member,
      canEdit: this.policy.allows(standing, app, 'change_files'),
      standing,
    };
  }

  async list(user: AuthenticatedUser, applicationId: string, page: { page: number; pageSize: number }): Promise<PageOf<AttachmentView>> {
    await this.applicationFor(user, applicationId);
    const [rows, total] = await this.dataSource.manager.findAndCount(Attachment, {
      where: { applicationId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: page.pageSize,
      skip: (page.page - 1) * page.pageSize,
    });
    const names = await this.people.byIds(rows.map((r) => r.uploadedBy));
    return pageOf(
      rows.map((r) => toView(r, names)),
      total,
      page,
    );
  }

  async get(user: AuthenticatedUser, applicationId: string, attachmentId: string): Promise<AttachmentView> {
    await this.applicationFor(user, applicationId);
    return this.view(await this.row(this.dataSource.manager, applicationId, attachmentId));
  }

  /** The file's metadata and a stream of its bytes, for a download. */
  async content(user: AuthenticatedUser, applicationId: string, attachmentId: string): Promise<{ attachment: AttachmentView; stream: ReadStream }> {
    await this.applicationFor(user, applicationId);
    const row = await this.row(this.dataSource.manager, applicationId, attachmentId);
    const stream = await this.storage.open(row.storageKey);
    if (!stream) {
      throw new DomainError('gone', 'ATTACHMENT.FILE_MISSING', 'The file is no longer available. Upload it again.');
    }
    return { attachment: await this.view(row), stream };
  }

  /**
   * Uploads one file. The caller's right to change the bid is checked before the body is read
   * (`receive` streams it to a temporary file); then the file is checked; then, in one
   * transaction, the bid is locked and checked again, the row and its audit event are written
   * and the file is moved into place. On any failure nothing is left: no row, no file.
   */
  async upload(user: AuthenticatedUser, actor: Actor, applicationId: string, receive: () => Promise<IncomingUpload>): Promise<AttachmentView> {
    const application = await this.applicationFor(user, applicationId);
    this.assertEditable(application);
    await this.assertRoom(this.dataSource.manager, applicationId);
    const incoming = await receive();
    try {
      const checked = await this.check(incoming);
      this.assertEditable(application, checked.kind);
      const storageKey = randomUUID();
      let storedPath: string | null = null;
      try {
        const id = await this.dataSource.transaction(async (m) => {
          this.assertEditable(await this.applicationFor(user, applicationId, m, true), checked.kind);
          await this.assertRoom(m, applicationId);
          const { id } = await m.save(
            m.create(Attachment, {
              applicationId,
              kind: checked.kind,
              fileName: checked.fileName,
              storageKey,
              contentType: checked.type.mime,
              sizeBytes: checked.sizeBytes,
              sha256: checked.sha256,
              uploadedBy: user.id,
            }),
          );
          await this.audit.record(m, actor, {
            action: 'attachment.uploaded',
            entityType: 'attachment',
            entityId: id,
            after: {
              applicationId,
              fileName: checked.fileName,
              kind: checked.kind,
              contentType: checked.type.mime,
              sizeBytes: checked.sizeBytes,
              sha256: checked.sha256,
            },
          });
          // Last step inside the transaction: if the commit fails after this, the catch removes it.
          storedPath = await this.storage.commit(checked.tempPath, storageKey);
          return id;
        });
        return this.view(await this.row(this.dataSource.manager, applicationId, id));
      } catch (error) {
        if (storedPath) await this.storage.remove(storedPath);
        throw error;
      }
    } finally {
      // Gone already when the file was moved into place; otherwise nothing of it may stay.
      if (incoming.file) await this.storage.remove(incoming.file.tempPath);
    }
  }

  /** Removes a file (row, audit event, then the file on disk once the row is gone for good). */
  async remove(user: AuthenticatedUser, actor: Actor, applicationId: string, attachmentId: string): Promise<void> {
    const storageKey = await this.dataSource.transaction(async (m) => {
      const application = await this.applicationFor(user, applicationId, m, true);
      this.assertEditable(application);
      const row = await this.row(m, applicationId, attachmentId, true);
      this.assertEditable(application, row.kind);
      await m.delete(Attachment, { id: row.id });
      await this.audit.record(m, actor, {
        action: 'attachment.deleted',
        entityType: 'attachment',
        entityId: row.id,
        before: {
          applicationId,
          fileName: row.fileName,
          kind: row.kind,
          contentType: row.contentType,
          sizeBytes: Number(row.sizeBytes),
          sha256: row.sha256,
        },
      });
      return row.storageKey;
    });
    await this.storage.remove(this.storage.pathOf(storageKey));
  }

  private async row(manager: EntityManager, applicationId: string, attachmentId: string, lock = false): Promise<Attachment> {
    if (!isUuid(attachmentId)) throw attachmentNotFound();
    const row = await manager.findOne(Attachment, { where: { id: attachmentId, applicationId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!row) throw attachmentNotFound();
    return row;
  }

  private async view(row: Attachment): Promise<AttachmentView> {
    return toView(row, await this.people.byIds([row.uploadedBy]));
  }

  /**
   * Refuses a change unless the policy allows change_files (of `kind`, once known): 403 for staff
   * readers, 409 unless the bid is editable or that kind was reopened for more information.
   */
  assertEditable(application: ApplicationForFiles, kind?: string): void {
    this.policy.assert(application.standing, application, 'change_files', kind === undefined ? undefined : { attachmentKind: kind });
  }

  /** May the caller add or remove files of this kind now (the pages show only those as changeable)? */
  mayChangeKind(application: ApplicationForFiles, kind: string): boolean {
    return this.policy.allows(application.standing, application, 'change_files', { attachmentKind: kind });
  }

  private async assertRoom(manager: EntityManager, applicationId: string): Promise<void> {
    const count = await manager.count(Attachment, { where: { applicationId } });
    if (count >= MAX_ATTACHMENTS_PER_APPLICATION) {
      throw fileError('validation', 'ATTACHMENT.TOO_MANY', `An application can have at most ${MAX_ATTACHMENTS_PER_APPLICATION} files. Remove one before adding another.`);
    }
  }

  /** The form's fields, then the file's name, size and real type. */
  private async check(incoming: IncomingUpload): Promise<CheckedUpload> {
    const errors: FieldError[] = incoming.unknownFields.map((field) => ({
      field,
      code: 'ATTACHMENT.UNKNOWN_FIELD',
      message: `${field} is not a field this form accepts: send "kind" and "file"`,
    }));
    const kind = incoming.kind?.trim() ?? '';
    if (!kind) errors.push({ field: 'kind', code: 'ATTACHMENT.KIND_REQUIRED', message: 'Select what the document is' });
    else if (!isAttachmentKind(kind)) {
      errors.push({ field: 'kind', code: 'ATTACHMENT.UNKNOWN_KIND', message: `Select what the document is: one of ${ATTACHMENT_KINDS.join(', ')}` });
    }
    const file = incoming.file;
    if (!file || (file.clientName === '' && file.sizeBytes === 0)) {
      errors.push({ field: 'file', code: 'ATTACHMENT.FILE_REQUIRED', message: 'Select a file' });
    }
    if (errors.length || !file) {
      const code = errors.length === 1 ? errors[0].code : 'VALIDATION.FAILED';
      throw new DomainError('validation', code, errors.length === 1 ? errors[0].message : 'The upload has errors', errors);
    }
    return { kind: kind as AttachmentKind, ...(await checkFile(file)) };
  }
}
