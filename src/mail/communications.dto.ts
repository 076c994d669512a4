import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Count } from '../common/response-fields.js';
import { EMAIL_STATUSES } from './email-message.entity.js';

/** What the communications log answers, for the OpenAPI document. */

export class EmailSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'email' }) toAddress: string;
  @ApiProperty() subject: string;
  @ApiProperty({ description: 'The template it was written from', example: 'verify-email' }) template: string;
  @ApiProperty({ description: 'The plain-text body (single-use links are not shown)' }) textBody: string;
  @ApiProperty({ enum: EMAIL_STATUSES }) status: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) attempts: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) claimedAt?: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) userId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) organisationId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class EmailPageResponse {
  @ApiProperty({ type: [EmailSummaryResponse] }) items: EmailSummaryResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}

export class EmailResponse extends EmailSummaryResponse {
  @ApiProperty() htmlBody: string;
}

export class QueuedResponse {
  @ApiProperty({ enum: ['queued'] }) status: string;
}
