import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { QUESTION_TYPES } from '../forms/form.types.js';
import { ROUND_STATUSES, type RoundStatus } from './round.entity.js';

/** Largest amount of money the service takes in one field: £100bn in pence. */
export const MAX_PENCE = 10_000_000_000_000;

const Pence = (description: string, example: number) => (target: object, key: string) => {
  ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_PENCE, description: `${description}, in pence`, example })(target, key);
  IsInt({ message: `${key} must be a whole number of pence` })(target, key);
  Min(0, { message: `${key} must not be negative` })(target, key);
  Max(MAX_PENCE, { message: `${key} is too large` })(target, key);
};

// ---------- funds ----------

export class CreateFundDto {
  @ApiProperty({ example: 'Safer Communities Fund' })
  @IsString()
  @IsNotEmpty({ message: 'Enter the name of the fund' })
  @MaxLength(160)
  name: string;

  @ApiProperty({ example: 'Police and Crime Commissioner for West Yorkshire' })
  @IsString()
  @IsNotEmpty({ message: 'Enter who funds it' })
  @MaxLength(200)
  funderName: string;

  @ApiPropertyOptional({ example: 'GB-GOR-PC000123', description: 'org-id of the funder, for 360Giving', type: String, nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$/, { message: 'funderOrgId must be an org-id such as GB-GOR-PC000123' })
  @MaxLength(80)
  funderOrgId?: string | null;

  @ApiProperty({ example: 'Proceeds of Crime Act' })
  @IsString()
  @IsNotEmpty({ message: 'Enter where the money comes from' })
  @MaxLength(200)
  fundingSource: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiProperty({ example: 'SCF', description: 'Prefix of application references (SCF-R17-0042): capital letters and digits, starting with a letter' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9]{0,9}$/, { message: 'referencePrefix must be 1 to 10 capital letters or digits, starting with a letter' })
  referencePrefix: string;
}

export class UpdateFundDto extends PartialType(CreateFundDto) {}

// ---------- rounds ----------

export class CreateRoundDto {
  @ApiProperty({ example: 'R17', description: 'Short code, unique in the fund, used in references: capital letters, digits and hyphens' })
  @IsString()
  @Matches(/^[A-Z0-9](?:[A-Z0-9-]{0,8}[A-Z0-9])?$/, { message: 'code must be 1 to 10 capital letters, digits or hyphens, such as R17' })
  code: string;

  @ApiProperty({ example: 'Safer Communities Fund round 17' })
  @IsString()
  @IsNotEmpty({ message: 'Enter a title' })
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'What the round is for' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Who and what it funds' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  criteria?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'What it does not fund' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  exclusions?: string | null;

  @ApiProperty({ example: '2027-01-10T09:00', description: 'ISO 8601 date-time; without an offset it is Europe/London time' })
  @IsString()
  @MaxLength(40)
  opensAt: string;

  @ApiProperty({ example: '2027-03-05T17:00', description: 'ISO 8601 date-time; without an offset it is Europe/London time. After opensAt.' })
  @IsString()
  @MaxLength(40)
  closesAt: string;

  @Pence('Total budget of the round', 50000000)
  totalBudgetPence: number;
}

export class UpdateRoundDto extends PartialType(CreateRoundDto) {
  @ApiPropertyOptional({ type: 'integer', description: 'The version you read: if the round has changed since, the update is refused (409)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListRoundsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROUND_STATUSES, description: 'Only rounds in this status. Without it: open and scheduled rounds (staff: all)' })
  @IsOptional()
  @IsIn(ROUND_STATUSES)
  status?: RoundStatus;
}

export class TransitionRoundDto {
  @ApiProperty({ enum: ROUND_STATUSES, description: 'The status to move the round to' })
  @IsIn(ROUND_STATUSES)
  to: RoundStatus;

  @ApiPropertyOptional({ description: 'Why, for the audit trail' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class ReasonDto {
  @ApiPropertyOptional({ description: 'Why, for the audit trail' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

// ---------- pots ----------

export class CreatePotDto {
  @ApiProperty({ example: 'Main pot' })
  @IsString()
  @IsNotEmpty({ message: 'Enter a name for the pot' })
  @MaxLength(160)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @Pence('Smallest grant', 100000)
  minGrantPence: number;

  @Pence('Largest grant', 600000)
  maxGrantPence: number;

  @Pence('Budget of the pot', 20000000)
  budgetPence: number;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Districts the pot funds (at least one)' })
  @IsArray()
  @ArrayMinSize(1, { message: 'Choose at least one district' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'each district id must be a UUID' })
  districtIds: string[];

  @ApiPropertyOptional({ type: [String], description: 'Optional restriction to named wards (names or GSS ward codes)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  wards?: string[];

  @ApiPropertyOptional({ type: [String], example: ['LS9', 'BD3'], description: 'Optional restriction to postcode districts (outward codes)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(8, { each: true })
  postcodeDistricts?: string[];

  @ApiProperty({ type: [String], format: 'uuid', description: 'Police and Crime Plan priorities the pot funds (at least one)' })
  @IsArray()
  @ArrayMinSize(1, { message: 'Choose at least one priority' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'each priority id must be a UUID' })
  priorityIds: string[];

  @ApiPropertyOptional({ type: 'integer', description: 'Order in lists (lowest first)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  position?: number;
}

export class UpdatePotDto extends PartialType(CreatePotDto) {}

// ---------- eligibility questions ----------

export class EligibilityQuestionDto {
  @ApiProperty({ example: 'Is your organisation based in West Yorkshire?' })
  @IsString()
  @IsNotEmpty({ message: 'Enter the question' })
  @MaxLength(300)
  question: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  hint?: string | null;

  @ApiProperty({ description: 'The answer that passes: true for Yes, false for No' })
  @IsBoolean()
  passingAnswer: boolean;

  @ApiProperty({ example: 'This fund only supports projects in West Yorkshire.' })
  @IsString()
  @IsNotEmpty({ message: 'Enter the message shown when the answer fails' })
  @MaxLength(1000)
  failureMessage: string;
}

export class PutEligibilityQuestionsDto {
  @ApiProperty({ type: [EligibilityQuestionDto], description: 'The whole list, in order (replaces the current one)' })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => EligibilityQuestionDto)
  questions: EligibilityQuestionDto[];
}

// ---------- the form (documented here, checked by parseFormDefinition) ----------

export class FormQuestionDoc {
  @ApiProperty({ example: 'need', pattern: '^[a-z][a-zA-Z0-9_]{0,39}$', description: 'Unique in the form' })
  key: string;
  @ApiProperty({ enum: QUESTION_TYPES })
  type: string;
  @ApiProperty({ maxLength: 300 })
  label: string;
  @ApiPropertyOptional({ maxLength: 1000 })
  hint?: string;
  @ApiPropertyOptional({ default: true })
  required?: boolean;
  @ApiPropertyOptional({ type: 'integer', description: 'text: most words allowed (1 to 5000)' })
  wordLimit?: number;
  @ApiPropertyOptional({ type: [String], description: 'choice: 2 to 30 different options' })
  options?: string[];
  @ApiPropertyOptional({ type: 'integer', description: 'number/money (pence): smallest allowed' })
  min?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'number/money (pence): largest allowed' })
  max?: number;
}

export class FormSectionDoc {
  @ApiProperty({ example: 'project', pattern: '^[a-z][a-zA-Z0-9_]{0,39}$' })
  key: string;
  @ApiProperty({ maxLength: 120 })
  title: string;
  @ApiPropertyOptional({ maxLength: 2000 })
  description?: string;
  @ApiProperty({ type: [FormQuestionDoc] })
  questions: FormQuestionDoc[];
}

export class PutFormDto {
  @ApiProperty({ type: [FormSectionDoc], description: '1 to 30 sections of 1 to 50 questions' })
  @Allow()
  sections: unknown;
}

// Responses (for the OpenAPI document) are in funds-responses.dto.ts.
