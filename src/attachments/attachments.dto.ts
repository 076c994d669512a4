import { ApiProperty } from '@nestjs/swagger';
import { ATTACHMENT_KINDS, type AttachmentKind } from './attachment.types.js';
import type { AttachmentView } from './attachments.service.js';

export class AttachmentUploaderDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true, example: 'Sam Okafor' })
  fullName: string | null;
}

/** A file attached to an application (metadata; the bytes are at `contentUrl`). */
export class AttachmentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  applicationId: string;

  @ApiProperty({ enum: ATTACHMENT_KINDS, example: 'constitution' })
  kind: AttachmentKind;

  @ApiProperty({ description: 'The name the file was uploaded with, cleaned of any folders and control characters', example: 'Constitution 2024.pdf', maxLength: 255 })
  fileName: string;

  @ApiProperty({ description: 'Detected from the file content, not its name', example: 'application/pdf' })
  contentType: string;

  @ApiProperty({ type: 'integer', example: 48213 })
  sizeBytes: number;

  @ApiProperty({ description: 'SHA-256 of the content, hex', example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  sha256: string;

  @ApiProperty({ type: AttachmentUploaderDto })
  uploadedBy: AttachmentUploaderDto;

  @ApiProperty({ format: 'date-time' })
  uploadedAt: string;

  @ApiProperty({ example: '/api/v1/applications/1c7c.../attachments/5e1f.../content' })
  contentUrl: string;

  static of(view: AttachmentView): AttachmentDto {
    return {
      id: view.id,
      applicationId: view.applicationId,
      kind: view.kind,
      fileName: view.fileName,
      contentType: view.contentType,
      sizeBytes: view.sizeBytes,
      sha256: view.sha256,
      uploadedBy: view.uploadedBy,
      uploadedAt: view.uploadedAt.toISOString(),
      contentUrl: `/api/v1/applications/${view.applicationId}/attachments/${view.id}/content`,
    };
  }
}

export class AttachmentListDto {
  @ApiProperty({ type: [AttachmentDto] })
  items: AttachmentDto[];

  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: 'integer' })
  page: number;

  @ApiProperty({ type: 'integer' })
  pageSize: number;
}

/** The multipart/form-data body of an upload (documentation only: the body is read as a stream). */
export class UploadAttachmentBody {
  @ApiProperty({ enum: ATTACHMENT_KINDS, description: 'What the document is' })
  kind: AttachmentKind;

  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'PDF, Word (.doc, .docx), Excel (.xls, .xlsx), JPEG or PNG, judged by content; at most 10 MB',
  })
  file: unknown;
}
