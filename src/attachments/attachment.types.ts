/** What a file attached to a bid may be (the attachments module's own list; applications reads it for file questions). */
export const ATTACHMENT_KINDS = ['constitution', 'accounts', 'safeguarding_policy', 'bank_statement', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
