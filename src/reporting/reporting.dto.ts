import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { Count, PenceField } from '../common/response-fields.js';
import { IMPORT_BATCH_STATUSES } from './reporting.entities.js';

const YEAR = /^\d{4}\/\d{2}$/;

export class FundingStreamDto {
  @ApiProperty({ maxLength: 500, example: '£200,000 funding secured from Ministry of Justice for a West Yorkshire network.' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  description: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true, description: 'The amount in pence, when the funding has one' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountPence?: number | null;

  @ApiProperty({ example: '2014/15', description: 'The financial year (April to March)' })
  @IsString()
  @Matches(YEAR, { message: 'financialYear must be written like 2017/18' })
  financialYear: string;

  @ApiProperty({ type: [String], example: ['human-trafficking-modern-slavery'], description: 'The codes of the priorities it is for' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  priorityCodes: string[];

  @ApiPropertyOptional({ type: String, maxLength: 200, nullable: true, example: 'Ministry of Justice' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(200)
  source?: string | null;
}

export class FundingStreamListQueryDto extends PageQuery {
  @ApiPropertyOptional({ example: '2017/18' })
  @IsOptional()
  @Matches(YEAR)
  financialYear?: string;

  @ApiPropertyOptional({ maxLength: 60 })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  priorityCode?: string;
}

export class SectionQueryDto {
  @ApiPropertyOptional({ example: '2017/18', description: 'One financial year (April to March); everything to date without it' })
  @IsOptional()
  @IsString()
  @MaxLength(7)
  financialYear?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The fund (needed only when there is more than one)' })
  @IsOptional()
  @IsUUID()
  fundId?: string;
}

export class ImportQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'true: check the file and import nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';

  @ApiPropertyOptional({ format: 'uuid', description: 'The fund the awards were made from (needed only when there is more than one)' })
  @IsOptional()
  @IsUUID()
  fundId?: string;
}

export class PriorityWordingDto {
  @ApiProperty({ maxLength: 200, example: 'Human Trafficking and Modern Slavery', description: 'What the projects are tackling, as the sentence words it (empty: the priority’s name)' })
  @IsString()
  @MaxLength(200)
  tackling: string;
}

// ---- responses (the OpenAPI document)

export class ImportErrorResponse {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The spreadsheet row (the header is row 1)' }) row: number;
  @ApiProperty({ type: 'string', nullable: true, description: 'The column, as the file names it; null for the whole row' }) column: string | null;
  @ApiProperty({ example: 'IMPORT.INVALID_MONEY' }) code: string;
  @ApiProperty() message: string;
}

export class ImportResultResponse {
  @Count('Data rows in the file') rows: number;
  @Count('Rows imported now') imported: number;
  @Count('Rows already imported by an earlier file (skipped)') alreadyImported: number;
  @ApiProperty({ type: [ImportErrorResponse] }) errors: ImportErrorResponse[];
  @ApiPropertyOptional({ format: 'uuid', description: 'A large file: the batch imported in the background (GET /api/v1/imports/{id})' }) batchId?: string;
  @ApiPropertyOptional({ enum: IMPORT_BATCH_STATUSES }) status?: string;
}

export class ImportBatchResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) fundId: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ enum: IMPORT_BATCH_STATUSES }) status: string;
  @Count() rows: number;
  @Count('Rows worked through so far') processed: number;
  @Count() imported: number;
  @ApiProperty({ type: [ImportErrorResponse] }) errors: ImportErrorResponse[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty() createdBy: string;
}

export class FundingStreamResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true, description: 'In pence; null when the funding has no amount' }) amountPence: number | null;
  @ApiProperty({ example: '2014/15' }) financialYear: string;
  @ApiProperty({ type: [String] }) priorityCodes: string[];
  @ApiProperty({ type: 'string', nullable: true }) source: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class FundingStreamPageResponse {
  @ApiProperty({ type: [FundingStreamResponse] }) items: FundingStreamResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}

class OtherFundingItemResponse {
  @ApiProperty() description: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'In pence, when the funding has an amount' }) amountPence?: number;
  @ApiPropertyOptional() source?: string;
}

class OtherFundingYearResponse {
  @ApiProperty({ example: '2014/15' }) financialYear: string;
  @ApiProperty({ type: [OtherFundingItemResponse] }) items: OtherFundingItemResponse[];
}

class SectionProjectResponse {
  @ApiProperty({ enum: ['award', 'past_award'] }) source: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The award’s reference (null for a past award)' }) reference: string | null;
  @ApiProperty() organisation: string;
  @ApiProperty() project: string;
  @ApiProperty({ description: 'The round (its code, or the label a past award was imported with)' }) round: string;
  @PenceField('Awarded') amountPence: number;
  @ApiProperty({ format: 'date' }) decisionDate: string;
  @ApiProperty({ example: '2017/18' }) financialYear: string;
}

class SectionFundResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class PrioritySectionResponse {
  @ApiProperty({ description: 'The priority’s name', example: 'Human Trafficking and Modern Slavery' }) priority: string;
  @ApiProperty({ example: 'human-trafficking-modern-slavery' }) priorityCode: string;
  @ApiProperty({ description: 'How the sentence words it' }) tackling: string;
  @ApiProperty({ type: SectionFundResponse }) fund: SectionFundResponse;
  @ApiProperty({ type: 'string', nullable: true, description: 'The financial year, or null for everything to date' }) financialYear: string | null;
  @PenceField('Awarded to projects tagged with the priority') awardedPence: number;
  @Count('Organisations funded') organisations: number;
  @Count('Awards counted') awards: number;
  @ApiProperty({ example: 'Safer Communities Fund has awarded a total of £36,343, between 8 organisations, to support projects which are tackling Human Trafficking and Modern Slavery.' })
  sentence: string;
  @ApiProperty({ type: [OtherFundingYearResponse] }) otherFunding: OtherFundingYearResponse[];
  @ApiProperty({ type: [SectionProjectResponse] }) projects: SectionProjectResponse[];
}

export class PriorityWordingResponse {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() tackling: string;
}
