import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { DECISION_OUTCOMES, type DecisionOutcome } from './panel.entity.js';

export class CreatePanelDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  roundId: string;

  @ApiProperty({ example: 'Small grants panel, March' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiProperty({ format: 'date-time', example: '2027-03-10T10:00:00Z' })
  @IsDateString({ strict: true })
  meetingAt: string;

  @ApiProperty({ type: [String], description: 'People holding the panel_member role (the chair among them or added)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsUUID('all', { each: true })
  memberIds: string[];

  @ApiProperty({ format: 'uuid', description: 'The chair: one of the members' })
  @IsUUID()
  chairId: string;
}

export class PanelListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  roundId?: string;

  @ApiPropertyOptional({ enum: ['open', 'confirmed'] })
  @IsOptional()
  @IsIn(['open', 'confirmed'])
  status?: 'open' | 'confirmed';
}

export class AgendaDto {
  @ApiProperty({ type: [String], description: 'Bids that are assessed (or deferred by an earlier meeting): they move to at_panel' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  applicationIds: string[];
}

export class ReducedBudgetLineDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  budgetLineId: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The line’s approved amount, in pence' })
  @IsInt()
  @Min(0)
  amountPence: number;
}

export class DecisionChangeDto {
  @ApiProperty({ enum: DECISION_OUTCOMES })
  @IsIn(DECISION_OUTCOMES)
  outcome: DecisionOutcome;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'approve: the amount requested (may be left out); approve_in_part: less than requested' })
  @IsOptional()
  @IsInt()
  @Min(1)
  amountPence?: number;

  @ApiPropertyOptional({ type: [ReducedBudgetLineDto], description: 'approve_in_part: the budget lines to reduce' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReducedBudgetLineDto)
  reducedBudgetLines?: ReducedBudgetLineDto[];

  @ApiPropertyOptional({ type: [String], description: 'Conditions of an approval: free text or from the fund’s standard conditions' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  conditions?: string[];

  @ApiPropertyOptional({ description: 'reject: the feedback the applicant reads' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  feedback?: string;

  @ApiPropertyOptional({ description: 'defer: why (a reserve list is a deferral with a reason)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class DecisionDto extends DecisionChangeDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  applicationId: string;
}

export class StandardConditionsDto {
  @ApiProperty({ type: [String], example: ['Provide an up-to-date safeguarding policy before the first payment'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(1000, { each: true })
  conditions: string[];
}
