import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { AttachmentStorage } from './attachment-storage.js';
import { sendAttachment } from './download.js';
import { EvidenceFile } from './evidence-file.entity.js';
import { checkFile, fileError } from './file-checks.js';
import { receiveUpload } from './incoming-upload.js';

/** Whose file it is: another module's record, named by type ('monitoring_return') and id. */
export interface EvidenceOwner {
  type: string;
  id: string;
}

export interface EvidenceFileView {
  id: string;
  ownerId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: Date;
}

/** Checks, in the store's transaction, that the caller may change the owner's files now (throws its own refusal). */
export type EvidenceGate = (m: EntityManager) => Promise<void>;

export const MAX_EVIDENCE_FILES = 10;

const evidenceMissing = () => new DomainError('not_found', 'EVIDENCE.NOT_FOUND', 'File was not found');
const view = (r: EvidenceFile): EvidenceFileView => ({
  id: r.id,
  ownerId: r.ownerId,
  fileName: r.fileName,
  contentType: r.contentType,
  sizeBytes: Number(r.sizeBytes),
  sha256: r.sha256,
  uploadedBy: r.uploadedBy,
  uploadedAt: r.createdAt,
});

/**
 * Files other modules keep with their records (a monitoring return's evidence), through the same
 * upload handling, checks (PDF, Word, Excel, JPEG, PNG by content, at most 10 MB) and storage as
 * a bid's attachments. Access is the owning module's: it asks its policy before calling here, and
 * again inside the write through the gate it passes.
 */
@Injectable()
export class EvidenceFilesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: AttachmentStorage,
    private readonly audit: AuditService,
  ) {}

  async list(ownerType: string, ownerIds: readonly string[], m: EntityManager = this.dataSource.manager): Promise<EvidenceFileView[]> {
    const ids = [...new Set(ownerIds.filter(isUuid))];
    if (!ids.length) return [];
    const rows = await m.find(EvidenceFile, { where: { ownerType, ownerId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(view);
  }

  /**
   * Stores the multipart request's `file` for the owner: the file is received and checked, then
   * in one transaction the gate is asked, the row and its audit event are written and the file
   * moved into place. On any failure nothing is left: no row, no file.
   */
  async upload(actor: Actor, owner: EvidenceOwner, uploadedBy: string, request: FastifyRequest, gate: EvidenceGate): Promise<EvidenceFileView> {
    const incoming = await receiveUpload(request, this.storage);
    try {
      const errors: FieldError[] = incoming.unknownFields.map((field) => ({ field, code: 'ATTACHMENT.UNKNOWN_FIELD', message: `${field} is not a field this form accepts: send "file"` }));
      const file = incoming.file;
      if (!file || (file.clientName === '' && file.sizeBytes === 0)) errors.push({ field: 'file', code: 'ATTACHMENT.FILE_REQUIRED', message: 'Select a file' });
      if (errors.length || !file) throw new DomainError('validation', errors.length === 1 ? errors[0].code : 'VALIDATION.FAILED', errors.length === 1 ? errors[0].message : 'The upload has errors', errors);
      const checked = await checkFile(file);
      const storageKey = randomUUID();
      let storedPath: string | null = null;
      try {
        const row = await this.dataSource.transaction(async (m) => {
          await gate(m);
          const count = await m.count(EvidenceFile, { where: { ownerType: owner.type, ownerId: owner.id } });
          if (count >= MAX_EVIDENCE_FILES) throw fileError('validation', 'EVIDENCE.TOO_MANY', `At most ${MAX_EVIDENCE_FILES} files can be kept here. Remove one before adding another.`);
          const saved = await m.save(
            m.create(EvidenceFile, { ownerType: owner.type, ownerId: owner.id, fileName: checked.fileName, storageKey, contentType: checked.type.mime, sizeBytes: checked.sizeBytes, sha256: checked.sha256, uploadedBy }),
          );
          await this.audit.record(m, actor, {
            action: 'evidence.uploaded',
            entityType: owner.type,
            entityId: owner.id,
            after: { fileId: saved.id, fileName: checked.fileName, contentType: checked.type.mime, sizeBytes: checked.sizeBytes, sha256: checked.sha256 },
          });
          storedPath = await this.storage.commit(checked.tempPath, storageKey);
          return saved;
        });
        return view(row);
      } catch (error) {
        if (storedPath) await this.storage.remove(storedPath);
        throw error;
      }
    } finally {
      if (incoming.file) await this.storage.remove(incoming.file.tempPath);
    }
  }

  /** Sends one of the owner's files as a download (the caller has asked its policy). */
  async send(reply: FastifyReply, owner: EvidenceOwner, fileId: string): Promise<void> {
    const row = await this.row(this.dataSource.manager, owner, fileId);
    const stream = await this.storage.open(row.storageKey);
    if (!stream) throw new DomainError('gone', 'ATTACHMENT.FILE_MISSING', 'The file is no longer available. Upload it again.');
    await sendAttachment(reply, { attachment: view(row), stream });
  }

  /** Removes one of the owner's files (the gate asked in the transaction), then its bytes. */
  async remove(actor: Actor, owner: EvidenceOwner, fileId: string, gate: EvidenceGate): Promise<void> {
    const storageKey = await this.dataSource.transaction(async (m) => {
      await gate(m);
      const row = await this.row(m, owner, fileId, true);
      await m.delete(EvidenceFile, { id: row.id });
      await this.audit.record(m, actor, { action: 'evidence.deleted', entityType: owner.type, entityId: owner.id, before: { fileId: row.id, fileName: row.fileName, sha256: row.sha256 } });
      return row.storageKey;
    });
    await this.storage.remove(this.storage.pathOf(storageKey));
  }

  private async row(m: EntityManager, owner: EvidenceOwner, fileId: string, lock = false): Promise<EvidenceFile> {
    if (!isUuid(fileId)) throw evidenceMissing();
    const row = await m.findOne(EvidenceFile, { where: { id: fileId, ownerType: owner.type, ownerId: owner.id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!row) throw evidenceMissing();
    return row;
  }
}
