import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { VARIATION_KINDS, VARIATION_STATUSES, type VariationKind, type VariationStatus } from './variation-lifecycle.js';

export const MAX_VARIATION_TEXT = 2000;
const MAX_PENCE = 100_000_000_000;

export class VariationLineDto {
  @ApiProperty({ format: 'uuid', description: 'One of the award’s approved budget lines' })
  @IsUUID()
  budgetLineId: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The line’s new amount, in pence' })
  @IsInt()
  @Min(0)
  @Max(MAX_PENCE)
  amountPence: number;
}

export class CreateVariationDto {
  @ApiProperty({ enum: VARIATION_KINDS, description: 'budget: move money between lines; end_date: a later end; amount: a new grant amount (with its lines)' })
  @IsIn(VARIATION_KINDS)
  kind: VariationKind;

  @ApiProperty({ maxLength: MAX_VARIATION_TEXT, description: 'Why the change is needed' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_VARIATION_TEXT)
  reason: string;

  @ApiPropertyOptional({ type: [VariationLineDto], description: 'budget and amount: every approved line with its new amount (they add up to the award, or to the new amount)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => VariationLineDto)
  budgetLines?: VariationLineDto[];

  @ApiPropertyOptional({ format: 'date', description: 'end_date: the new end date, later than the current one' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  endsOn?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'amount: the new grant, in pence (never below paid + released)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PENCE)
  amountPence?: number;
}

export class VariationDecisionDto {
  @ApiProperty({ enum: ['approve', 'refuse'] })
  @IsIn(['approve', 'refuse'])
  outcome: 'approve' | 'refuse';

  @ApiPropertyOptional({ maxLength: MAX_VARIATION_TEXT, description: 'Needed when refusing: it is sent to the organisation' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_VARIATION_TEXT)
  note?: string;
}

export class WithdrawVariationDto {
  @ApiPropertyOptional({ maxLength: MAX_VARIATION_TEXT })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_VARIATION_TEXT)
  note?: string;
}

export class VariationListQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: VARIATION_STATUSES })
  @IsOptional()
  @IsIn(VARIATION_STATUSES)
  status?: VariationStatus;
}

// ---- responses (the OpenAPI document)
type Schema = Record<string, unknown>;
const str: Schema = { type: 'string' };
const uuid: Schema = { type: 'string', format: 'uuid' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const nullable = (s: Schema): Schema => ({ ...s, nullable: true });
const obj = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({ type: 'object', properties, required });
const arr = (items: Schema): Schema => ({ type: 'array', items });

const line = obj({ budgetLineId: uuid, item: str, category: str, amountPence: int });
const terms = obj({ amountPence: int, budgetLines: arr(line), endsOn: nullable({ type: 'string', format: 'date' }) });
export const VARIATION_SCHEMA = obj({
  id: uuid,
  awardId: uuid,
  awardReference: str,
  kind: { type: 'string', enum: [...VARIATION_KINDS] },
  status: { type: 'string', enum: [...VARIATION_STATUSES] },
  statusLabel: str,
  reason: str,
  before: terms,
  proposed: terms,
  differencePence: { type: 'integer', description: 'proposed − current amount, in pence: committed from the pot on approval (released when negative)' },
  lines: arr(obj({ budgetLineId: uuid, item: str, category: str, beforePence: int, afterPence: int, changePence: int })),
  requestedBy: str,
  requestedAt: dateTime,
  decidedBy: nullable(str),
  decidedAt: nullable(dateTime),
  decisionNote: nullable(str),
  decidable: bool,
  withdrawable: bool,
});
export const VARIATION_LIST_SCHEMA = obj({ items: arr(VARIATION_SCHEMA) });
export const VARIATION_PAGE_SCHEMA = obj({ items: arr(VARIATION_SCHEMA), total: int, page: int, pageSize: int });
