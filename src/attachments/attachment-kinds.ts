import { ATTACHMENT_KINDS, type AttachmentKind } from './attachment.types.js';

/** How each kind of document is named to people (pages, lists). */
export const ATTACHMENT_KIND_LABELS: Record<AttachmentKind, string> = {
  constitution: 'Constitution or governing document',
  accounts: 'Latest accounts',
  safeguarding_policy: 'Safeguarding policy',
  bank_statement: 'Bank statement',
  other: 'Other document',
};

export const isAttachmentKind = (value: string): value is AttachmentKind => (ATTACHMENT_KINDS as readonly string[]).includes(value);

/** The most files one application may carry. */
export const MAX_ATTACHMENTS_PER_APPLICATION = 20;

/** "532 KB", "1.2 MB": sizes as people read them. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}
