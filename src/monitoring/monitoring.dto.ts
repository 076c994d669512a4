import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { Count, PenceField } from '../common/response-fields.js';
import { RETURN_STATUSES, type ReturnStatus } from './return-lifecycle.js';
import { MAX_MONTHS_AFTER_START, MAX_SCHEDULED_RETURNS } from './return-rules.js';

export const MAX_TEXT_LENGTH = 10_000;
export const MAX_NOTE_LENGTH = 4000;

export class ScheduledReturnDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MONTHS_AFTER_START, example: 6 })
  @IsInt()
  @Min(1)
  @Max(MAX_MONTHS_AFTER_START)
  monthsAfterStart: number;

  @ApiProperty({ description: 'Exactly one return is final, and it is the last' })
  @IsBoolean()
  final: boolean;
}

export class PutReturnScheduleDto {
  @ApiProperty({ type: [ScheduledReturnDto], description: 'Months increasing, exactly one final (the last)' })
  @IsArray()
  @ArrayMaxSize(MAX_SCHEDULED_RETURNS)
  @ValidateNested({ each: true })
  @Type(() => ScheduledReturnDto)
  returns: ScheduledReturnDto[];
}

export class SpendLineDto {
  @ApiProperty({ format: 'uuid', description: 'One of the award’s approved budget lines' })
  @IsString()
  @MaxLength(100)
  budgetLineId: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Spent in this return’s period, in pence' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_00)
  spentPence: number;
}

export class OutputLineDto {
  @ApiProperty({ example: 'sessions', description: 'A short key, unique within the return' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'Use lower-case letters, digits and underscores' })
  key: string;

  @ApiProperty({ example: 'Youth sessions run', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  promised: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  actual: number;
}

export class SaveReturnDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The return to write (or give period; neither = the earliest still open)' })
  @IsOptional()
  @IsUUID()
  returnId?: string;

  @ApiPropertyOptional({ description: 'The return’s number (1, 2, ...) or period label (“Six-month return”)', example: 'Six-month return' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  period?: string;

  @ApiPropertyOptional({ description: 'When given, the return must be (or not be) the award’s final return' })
  @IsOptional()
  @IsBoolean()
  final?: boolean;

  @ApiProperty({ type: [SpendLineDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => SpendLineDto)
  spend: SpendLineDto[];

  @ApiProperty({ type: [OutputLineDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OutputLineDto)
  outputs: OutputLineDto[];

  @ApiProperty({ maxLength: MAX_TEXT_LENGTH, description: 'How the project has gone' })
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH)
  narrative: string;

  @ApiProperty({ maxLength: MAX_TEXT_LENGTH, description: 'What difference it has made' })
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH)
  outcomes: string;

  @ApiProperty({ maxLength: MAX_TEXT_LENGTH, description: 'A case study (optional: may be empty)' })
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH)
  caseStudy: string;
}

export class ReviewReturnDto {
  @ApiProperty({ enum: ['accept', 'changes_requested'] })
  @IsIn(['accept', 'changes_requested'])
  outcome: 'accept' | 'changes_requested';

  @ApiPropertyOptional({ maxLength: MAX_NOTE_LENGTH, description: 'Required when asking for changes: what to change' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTE_LENGTH)
  note?: string;
}

export class CloseAwardDto {
  @ApiPropertyOptional({ maxLength: MAX_NOTE_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTE_LENGTH)
  note?: string;
}

export class ReturnQueueQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: RETURN_STATUSES, default: 'submitted' })
  @IsOptional()
  @IsIn(RETURN_STATUSES)
  status?: ReturnStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  roundId?: string;
}

// ---- responses (the OpenAPI document)

export class ReturnScheduleResponse {
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty({ type: [ScheduledReturnDto] }) returns: ScheduledReturnDto[];
  @ApiProperty({ description: 'False while the round uses the default (6 and 12 months, the last final)' }) custom: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) updatedBy: string | null;
}

class ReturnOrganisationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class ReturnAwardResponse {
  @ApiProperty() reference: string;
  @ApiProperty() status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty({ type: ReturnOrganisationResponse }) organisation: ReturnOrganisationResponse;
  @PenceField('The grant') amountPence: number;
  @PenceField('Paid so far') paidPence: number;
}

class SpendRowResponse {
  @ApiProperty() budgetLineId: string;
  @ApiProperty() item: string;
  @ApiProperty() category: string;
  @PenceField('Approved') approvedPence: number;
  @PenceField('Spent in this return’s period') spentThisReturnPence: number;
  @PenceField('Spent to date (this return and the earlier ones)') spentPence: number;
  @ApiProperty({ type: 'integer', description: 'Spent − approved, in pence (negative: under budget)' }) variancePence: number;
}

class SpendTotalsResponse {
  @PenceField('Approved') approvedPence: number;
  @PenceField('Spent in this return’s period') spentThisReturnPence: number;
  @PenceField('Spent to date') spentPence: number;
  @ApiProperty({ type: 'integer', description: 'Spent − approved, in pence' }) variancePence: number;
}

class SpendTableResponse {
  @ApiProperty({ type: [SpendRowResponse] }) lines: SpendRowResponse[];
  @ApiProperty({ type: SpendTotalsResponse }) totals: SpendTotalsResponse;
}

export class EvidenceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ description: 'The type detected from the content' }) contentType: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) sizeBytes: number;
  @ApiProperty({ type: String, format: 'date-time' }) uploadedAt: string;
}

export class UploadEvidenceBody {
  @ApiProperty({ type: 'string', format: 'binary', description: 'PDF, Word, Excel, JPEG or PNG (judged by content), at most 10 MB' }) file: string;
}

export class ReturnResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) awardId: string;
  @ApiProperty({ type: ReturnAwardResponse }) award: ReturnAwardResponse;
  @ApiProperty({ type: 'integer', minimum: 1 }) number: number;
  @ApiProperty({ example: 'Six-month return' }) period: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) monthsAfterStart: number;
  @ApiProperty({ type: String, format: 'date' }) dueOn: string;
  @ApiProperty() final: boolean;
  @ApiProperty({ enum: RETURN_STATUSES }) status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty() editable: boolean;
  @ApiProperty() submittable: boolean;
  @ApiProperty() reviewable: boolean;
  @ApiProperty({ type: SpendTableResponse }) spend: SpendTableResponse;
  @ApiProperty({ type: [OutputLineDto] }) outputs: OutputLineDto[];
  @ApiProperty() narrative: string;
  @ApiProperty() outcomes: string;
  @ApiProperty() caseStudy: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reviewedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The grants officer’s note with the last review' }) reviewNote: string | null;
  @ApiProperty({ type: [EvidenceResponse], description: 'Files uploaded with the return' }) evidence: EvidenceResponse[];
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true, description: 'Final return only: paid − total spent, never negative, in pence' }) underspendPence: number | null;
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class ReturnListResponse {
  @ApiProperty({ type: [ReturnResponse] }) items: ReturnResponse[];
  @Count() total: number;
}

export class ReturnPageResponse {
  @ApiProperty({ type: [ReturnResponse] }) items: ReturnResponse[];
  @Count() total: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) pageSize: number;
}

export class ReviewResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: RETURN_STATUSES }) status: string;
}

export class CloseResponse {
  @ApiProperty({ format: 'uuid' }) awardId: string;
  @ApiProperty({ enum: ['closed'] }) status: string;
  @PenceField('The unpaid rest released to the pot on closing') releasedPence: number;
}
