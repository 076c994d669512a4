import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { Count } from '../common/response-fields.js';

export class AuditQueryDto extends PageQuery {
  @ApiPropertyOptional({ description: 'Entity type, e.g. user, organisation, application, round' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]{1,60}$/, { message: 'entity must be lower-case letters and underscores' })
  entity?: string;

  @ApiPropertyOptional({ description: 'Entity id' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  id?: string;

  @ApiPropertyOptional({ description: 'Only changes made by this user' })
  @IsOptional()
  @IsUUID()
  actorUserId?: string;
}

// ---- responses (for the OpenAPI document) ----

export class AuditEventResponse {
  @ApiProperty({ description: 'Increasing sequence number (a string: it is a 64-bit integer)', example: '1042' }) id: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for the system and for anonymous callers' }) actorUserId: string | null;
  @ApiProperty({ description: 'Who, in words, at the time', example: 'officer@pcc.example.gov.uk' }) actorLabel: string;
  @ApiProperty({ example: 'round.transition' }) action: string;
  @ApiProperty({ example: 'round' }) entityType: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The changed fields before' }) before: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The changed fields after' }) after: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId: string | null;
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEventResponse] }) items: AuditEventResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}
