import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { RECOMMENDATIONS, type Recommendation } from './assessment-rules.js';

export class CriterionDto {
  @ApiProperty({ example: 'need' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'Use lower-case letters, digits and underscores' })
  key: string;

  @ApiProperty({ example: 'Evidence of need' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: 'How well does the bid show the need?' })
  @IsString()
  @MaxLength(2000)
  guidance: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  weight: number;

  @ApiProperty()
  @IsBoolean()
  allowNotApplicable: boolean;
}

export class PutCriteriaDto {
  @ApiProperty({ type: [CriterionDto] })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  criteria: CriterionDto[];

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10, example: 2 })
  @IsInt()
  @Min(1)
  @Max(10)
  assessorsPerBid: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, example: 20 })
  @IsInt()
  @Min(0)
  @Max(100)
  moderationThreshold: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 120, example: 14, description: 'Days an assessor has from assignment' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  dueDays?: number;
}

export class PoolMemberDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 500 })
  @IsInt()
  @Min(1)
  @Max(500)
  capacity: number;
}

export class PutPoolDto {
  @ApiProperty({ type: [PoolMemberDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PoolMemberDto)
  assessors: PoolMemberDto[];
}

export class DeclareConflictDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  organisationId: string;

  @ApiProperty({ example: 'I am a trustee of this charity' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class AssignDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId: string;
}

export class ScoreDto {
  @ApiProperty({ example: 'need' })
  @IsString()
  @MaxLength(40)
  criterionKey: string;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, maximum: 5, description: 'null: not applicable (where the criterion allows it)' })
  @IsOptional()
  @IsNumber()
  score: number | null;

  @ApiProperty({ example: 'Clear evidence from the local survey.' })
  @IsString()
  @MaxLength(5000)
  comment: string;
}

export class SaveAssessmentDto {
  @ApiProperty({ type: [ScoreDto] })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => ScoreDto)
  scores: ScoreDto[];

  @ApiPropertyOptional({ enum: RECOMMENDATIONS, nullable: true })
  @IsOptional()
  @IsIn(RECOMMENDATIONS)
  recommendation?: Recommendation | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'With fund_in_part: the amount recommended' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000_00)
  recommendedPence?: number | null;
}

export class RescheduleDto {
  @ApiProperty({ format: 'date', example: '2026-12-24', description: 'The new due date (today or later, within a year)' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Enter the date as YYYY-MM-DD' })
  dueOn: string;
}

export class ModerationDto {
  @ApiProperty({ minimum: 0, maximum: 100, example: 72.5 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  scorePercent: number;

  @ApiProperty({ example: 'Discussed with both assessors: the second read the budget wrongly' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;
}

export class RankingQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  potId?: string;
}
