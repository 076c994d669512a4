import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { DUE_STATUSES, type DueStatus } from './payments-due.service.js';
import { VERIFICATION_METHODS, type VerificationMethod } from './finance.entity.js';

const CONDITION_SCHEMA: ApiPropertyOptions = {
  description: 'What must happen before the instalment may be paid',
  oneOf: [
    { type: 'object', properties: { kind: { type: 'string', enum: ['offer_condition'] }, text: { type: 'string', maxLength: 2000 } }, required: ['kind', 'text'] },
    { type: 'object', properties: { kind: { type: 'string', enum: ['return_accepted'] }, returnNumber: { type: 'integer', minimum: 1, maximum: 50 } }, required: ['kind', 'returnNumber'] },
  ],
};

export class BankAccountDto {
  @ApiProperty({ maxLength: 140, description: 'The name on the account' })
  @IsString()
  @MaxLength(200)
  accountName: string;

  @ApiProperty({ example: '08-99-99', description: 'Six digits; dashes or spaces allowed' })
  @IsString()
  @MaxLength(20)
  sortCode: string;

  @ApiProperty({ example: '66374958', description: 'Eight digits' })
  @IsString()
  @MaxLength(20)
  accountNumber: string;
}

export class VerifyBankAccountDto {
  @ApiProperty({ enum: VERIFICATION_METHODS, description: 'How the details were checked' })
  @IsIn(VERIFICATION_METHODS)
  method: VerificationMethod;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class InstalmentDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'An instalment already in the schedule (keep it, or change it if nothing was paid against it)' })
  id?: string;

  @ApiProperty({ format: 'date', example: '2027-05-01' })
  dueOn: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  amountPence: number;

  @ApiPropertyOptional(CONDITION_SCHEMA)
  condition?: unknown;
}

export class PaymentScheduleDto {
  @ApiProperty({ type: [InstalmentDto], description: '1 to 24 instalments adding up to exactly the award less what was released' })
  @IsArray()
  @ArrayMaxSize(24)
  instalments: InstalmentDto[];
}

export class PlanStepDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 })
  percent: number;

  @ApiPropertyOptional({ enum: ['acceptance'], description: 'Due when the offer is accepted (or give monthsAfterStart)' })
  after?: 'acceptance';

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 36, description: 'Due this many months after the project starts' })
  monthsAfterStart?: number;

  @ApiPropertyOptional(CONDITION_SCHEMA)
  condition?: unknown;
}

export class RoundPaymentPlanDto {
  @ApiProperty({ type: [PlanStepDto], description: 'Whole percentages adding up to 100' })
  @IsArray()
  @ArrayMaxSize(24)
  steps: PlanStepDto[];
}

export class ApprovalRuleDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true, description: 'Payments above this need a second finance officer; null: the service’s setting' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000_000)
  approvalThresholdPence?: number | null;

  @ApiProperty({ description: 'Every payment of the fund needs a second finance officer' })
  @IsBoolean()
  approveEveryPayment: boolean;
}

export class PaymentDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The instalment this pays (its condition must be met)' })
  @IsOptional()
  @IsUUID()
  instalmentId?: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(100_000_000_000)
  amountPence: number;

  @ApiProperty({ format: 'date', example: '2027-05-01' })
  @IsString()
  @MaxLength(10)
  paidOn: string;

  @ApiProperty({ maxLength: 100, description: 'The bank transfer’s reference' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  reference: string;
}

export class NoteDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class PaymentsDueQueryDto extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  fundId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  roundId?: string;

  @ApiPropertyOptional({ enum: DUE_STATUSES })
  @IsOptional()
  @IsIn(DUE_STATUSES)
  status?: DueStatus;
}
