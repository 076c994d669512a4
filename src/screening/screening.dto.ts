import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDateString, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { ATTACHMENT_KINDS } from '../applications/applications.service.js';
import { MAX_CHECKLIST_ITEMS, MAX_MESSAGE_LENGTH, MAX_NOTE_LENGTH, MAX_REASON_LENGTH } from './checklist-defaults.js';
import { CHECKLIST_RESULTS, SCREENING_OUTCOMES, type ChecklistResult, type ScreeningOutcome } from './screening.entities.js';

export class ChecklistAnswerDto {
  @ApiProperty({ description: "A key of the round's checklist" })
  @IsString()
  @MaxLength(60)
  key: string;

  @ApiProperty({ enum: CHECKLIST_RESULTS })
  @IsIn(CHECKLIST_RESULTS)
  result: ChecklistResult;

  @ApiPropertyOptional({ maxLength: MAX_NOTE_LENGTH, description: 'Staff only: applicants never see notes' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTE_LENGTH)
  note?: string;

  @ApiPropertyOptional({ type: [String], description: "Ids of the bid's own attachments this item was checked against" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}

export class ScreenApplicationDto {
  @ApiProperty({ enum: SCREENING_OUTCOMES })
  @IsIn(SCREENING_OUTCOMES)
  outcome: ScreeningOutcome;

  @ApiProperty({ type: [ChecklistAnswerDto], description: 'Every item of the round checklist for pass and ineligible' })
  @IsArray()
  @ArrayMaxSize(MAX_CHECKLIST_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => ChecklistAnswerDto)
  checklist: ChecklistAnswerDto[];

  @ApiPropertyOptional({ type: [String], description: 'more_info: section keys the applicant may change again' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  sections?: string[];

  @ApiPropertyOptional({ type: [String], enum: ATTACHMENT_KINDS, description: 'more_info: kinds of document the applicant may add or remove again' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ATTACHMENT_KINDS.length)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  attachmentKinds?: string[];

  @ApiPropertyOptional({ maxLength: MAX_MESSAGE_LENGTH, description: 'more_info: what is needed (emailed to the applicant)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MESSAGE_LENGTH)
  message?: string;

  @ApiPropertyOptional({ format: 'date', description: 'more_info: a future date, London time' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  respondBy?: string;

  @ApiPropertyOptional({ maxLength: MAX_REASON_LENGTH, description: 'ineligible: the reason (emailed to the applicant)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON_LENGTH)
  reason?: string;
}

export class ChecklistItemDto {
  @ApiProperty({ pattern: '^[a-z][a-z0-9_]{1,59}$' })
  @IsString()
  @MaxLength(60)
  key: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label: string;
}

export class ReplaceChecklistDto {
  @ApiProperty({ type: [ChecklistItemDto] })
  @IsArray()
  @ArrayMaxSize(MAX_CHECKLIST_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => ChecklistItemDto)
  items: ChecklistItemDto[];
}

export class RegisterCheckDto {
  @ApiProperty({ maxLength: 40, description: 'The number looked up' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  registeredNumber: string;

  @ApiProperty({ maxLength: 200, description: 'The name the register shows' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  nameShown: string;

  @ApiProperty({ maxLength: 80, description: 'The status the register shows, e.g. Registered, Active, Removed' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  status: string;

  @ApiProperty({ format: 'date-time', description: 'When the officer looked' })
  @IsDateString({ strict: true })
  checkedAt: string;
}
