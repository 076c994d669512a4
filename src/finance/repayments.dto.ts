import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CLAWBACK_STATUSES } from './clawback-lifecycle.js';
import { REPAYMENT_REASONS, type RepaymentReason } from './repayment.entity.js';

const MAX_PENCE = 100_000_000_000;
export const MAX_FINANCE_TEXT = 2000;

export class RaiseClawbackDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'What must be paid back, in pence (no more than has been paid and is not already being clawed back)' })
  @IsInt()
  @Min(1)
  @Max(MAX_PENCE)
  amountPence: number;

  @ApiProperty({ maxLength: MAX_FINANCE_TEXT, description: 'Why: it is sent to the organisation' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_FINANCE_TEXT)
  reason: string;

  @ApiProperty({ format: 'date', description: 'When it is due' })
  @IsString()
  @MaxLength(10)
  dueOn: string;
}

export class CancelClawbackDto {
  @ApiProperty({ maxLength: MAX_FINANCE_TEXT })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_FINANCE_TEXT)
  reason: string;
}

export class RecordRepaymentDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The money received, in pence' })
  @IsInt()
  @Min(1)
  @Max(MAX_PENCE)
  amountPence: number;

  @ApiProperty({ format: 'date' })
  @IsString()
  @MaxLength(10)
  receivedOn: string;

  @ApiProperty({ maxLength: 100, description: 'The bank reference it came in under' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  reference: string;

  @ApiProperty({ enum: REPAYMENT_REASONS })
  @IsIn(REPAYMENT_REASONS)
  reason: RepaymentReason;

  @ApiPropertyOptional({ format: 'uuid', description: 'reason clawback: the clawback it pays (the award’s oldest still owed when left out)' })
  @IsOptional()
  @IsUUID()
  clawbackId?: string;
}

// ---- responses (the OpenAPI document)
type Schema = Record<string, unknown>;
const str: Schema = { type: 'string' };
const uuid: Schema = { type: 'string', format: 'uuid' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const date: Schema = { type: 'string', format: 'date' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const nullable = (s: Schema): Schema => ({ ...s, nullable: true });
const obj = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({ type: 'object', properties, required });
const arr = (items: Schema): Schema => ({ type: 'array', items });

export const CLAWBACK_SCHEMA = obj({
  id: uuid,
  awardId: uuid,
  amountPence: int,
  repaidPence: int,
  outstandingPence: int,
  reason: str,
  dueOn: date,
  status: { type: 'string', enum: [...CLAWBACK_STATUSES] },
  statusLabel: str,
  open: bool,
  raisedBy: str,
  raisedAt: dateTime,
  cancelReason: nullable(str),
});
export const CLAWBACK_LIST_SCHEMA = obj({ items: arr(CLAWBACK_SCHEMA) });
export const REPAYMENT_SCHEMA = obj({
  id: uuid,
  awardId: uuid,
  clawbackId: nullable(uuid),
  amountPence: int,
  receivedOn: date,
  reference: str,
  reason: { type: 'string', enum: [...REPAYMENT_REASONS] },
  recordedBy: str,
  recordedAt: dateTime,
});
export const REPAYMENT_LIST_SCHEMA = obj({ items: arr(REPAYMENT_SCHEMA) });
