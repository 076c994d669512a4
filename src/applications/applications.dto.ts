import { PageQuery } from '../common/pagination.js';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { APPLICATION_STATUSES, type ApplicationStatus } from './application.entity.js';
import { MAX_LINE_PENCE } from './application-rules.js';
import { BUDGET_CATEGORIES, type BudgetCategory } from './budget-line.entity.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Versions are PostgreSQL integers: anything larger can never match and is refused as input. */
const MAX_VERSION = 2_147_483_647;

export class CreateApplicationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  roundId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  potId: string;

  @ApiProperty({ format: 'uuid', description: 'One of your organisations' })
  @IsUUID()
  organisationId: string;
}

export class ListApplicationsQuery extends PageQuery {

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  roundId?: string;

  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: ApplicationStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  potId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  priorityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export class UpdateProjectDto {
  @ApiProperty({ type: 'integer', description: 'The version of the application you loaded (optimistic locking)' })
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version: number;

  @ApiPropertyOptional({ maxLength: 200, type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  projectTitle?: string | null;

  @ApiPropertyOptional({ description: '250 words at most', type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  projectSummary?: string | null;

  @ApiPropertyOptional({ format: 'date', type: String, nullable: true, description: 'After today' })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, { message: 'projectStartDate must be a date written YYYY-MM-DD' })
  projectStartDate?: string | null;

  @ApiPropertyOptional({ format: 'date', type: String, nullable: true, description: 'At most 12 months after the start' })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, { message: 'projectEndDate must be a date written YYYY-MM-DD' })
  projectEndDate?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "Districts the project serves: the pot's only" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  districtIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "Priorities the project serves: the pot's only" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  priorityIds?: string[];

  @ApiPropertyOptional({ description: 'Mark the project details section complete (every answer then required)' })
  @IsOptional()
  @IsBoolean()
  completed?: boolean;
}

export class SaveSectionDto {
  @ApiProperty({ description: 'Answers by question key: text as string, number and money (pence) as integers, date as YYYY-MM-DD, choice as one option, yes_no as boolean', type: 'object', additionalProperties: true })
  @IsObject()
  answers: Record<string, unknown>;

  @ApiProperty({ type: 'integer', description: 'The section version you loaded (optimistic locking)' })
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version: number;

  @ApiPropertyOptional({ description: 'Mark the section complete (every required answer then needed)' })
  @IsOptional()
  @IsBoolean()
  completed?: boolean;
}

export class CreateBudgetLineDto {
  @ApiProperty({ maxLength: 200, example: 'Sessional youth worker, 40 hours' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  item: string;

  @ApiProperty({ enum: BUDGET_CATEGORIES })
  @IsIn(BUDGET_CATEGORIES)
  category: BudgetCategory;

  @ApiProperty({ type: 'integer', description: 'Asked of this fund, integer pence', example: 125050 })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_PENCE)
  amountPence: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Other funding towards this line, integer pence', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LINE_PENCE)
  otherFundingPence?: number;

  @ApiPropertyOptional({ maxLength: 200, type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  otherFundingSource?: string | null;
}

export class UpdateBudgetLineDto {
  @ApiProperty({ type: 'integer', description: 'The line version you loaded (optimistic locking)' })
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  item?: string;

  @ApiPropertyOptional({ enum: BUDGET_CATEGORIES })
  @IsOptional()
  @IsIn(BUDGET_CATEGORIES)
  category?: BudgetCategory;

  @ApiPropertyOptional({ type: 'integer', description: 'Integer pence' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_PENCE)
  amountPence?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Integer pence' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LINE_PENCE)
  otherFundingPence?: number;

  @ApiPropertyOptional({ maxLength: 200, type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  otherFundingSource?: string | null;
}

export class DeleteBudgetLineQuery {
  @ApiProperty({ type: 'integer', description: 'The line version you loaded (optimistic locking)' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version: number;
}

export class DeclarationDto {
  @ApiProperty({ maxLength: 120, description: 'Full name of the person making the declaration' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @ApiProperty({ description: 'Must be true' })
  @IsBoolean()
  @Equals(true, { message: 'confirmed must be true' })
  confirmed: boolean;
}

export class SubmitApplicationDto {
  @ApiProperty({ type: DeclarationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DeclarationDto)
  declaration: DeclarationDto;
}

export class WithdrawApplicationDto {
  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class EligibilityAnswerDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  questionId: string;

  @ApiProperty()
  @IsBoolean()
  answer: boolean;
}

export class EligibilityCheckDto {
  @ApiProperty({ type: [EligibilityAnswerDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => EligibilityAnswerDto)
  answers: EligibilityAnswerDto[];
}

export class EligibilityResultDto {
  @ApiProperty()
  eligible: boolean;

  @ApiProperty({ type: 'array', items: { type: 'object', properties: { questionId: { type: 'string' }, message: { type: 'string' } } } })
  failures: { questionId: string; message: string }[];
}

/**
 * The answers of the built-in `_project` section, for `PUT .../sections/_project` (the same fields
 * and rules as the PATCH of project details; the section's answers replace what was there).
 */
export class ProjectAnswersDto extends OmitType(UpdateProjectDto, ['version', 'completed'] as const) {}
