import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';
import { ATTACHMENT_KINDS, type AttachmentKind } from './attachment.types.js';

export { ATTACHMENT_KINDS, type AttachmentKind };

/** A file attached to a bid, stored outside the web root under a generated name (the bid is applications': an id with its foreign key). */
@Entity('attachments')
@Check('chk_attachments_kind', oneOf('kind', ATTACHMENT_KINDS))
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_attachments_application')
  @ForeignKey('applications', { name: 'fk_attachments_application', onDelete: 'CASCADE' })
  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ type: 'varchar', length: 30 })
  kind: AttachmentKind;

  /** The name the person gave it, cleaned of any path. */
  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  /** The storage key (a uuid): never derived from the person's file name. */
  @Column({ name: 'storage_key', type: 'varchar', length: 64 })
  storageKey: string;

  /** The type detected from the content, not the extension. */
  @Column({ name: 'content_type', type: 'varchar', length: 120 })
  contentType: string;

  @Column({ name: 'size_bytes', type: 'int' })
  sizeBytes: number;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
