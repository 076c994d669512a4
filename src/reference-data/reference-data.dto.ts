import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { PageQuery } from '../common/pagination.js';
import { Count } from '../common/response-fields.js';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

/** Codes used in URLs and reports: lower-case words joined by hyphens. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** GSS codes of local authority districts: E (England), W, S or N and eight digits. */
export const GSS_CODE = /^[EWSN]\d{8}$/;

export class CreateOutcomeDto {
  @ApiProperty({ example: 'safeguard-vulnerable-people', description: 'Lower-case words joined by hyphens' })
  @IsString()
  @Matches(SLUG, { message: 'code must be lower-case letters, digits and hyphens' })
  @MaxLength(40)
  code: string;

  @ApiProperty({ example: 'Safeguard vulnerable people' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Order in lists (lowest first)', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  position?: number;
}

export class UpdateOutcomeDto extends PartialType(CreateOutcomeDto) {}

export class CreatePriorityDto {
  @ApiProperty({ example: 'human-trafficking-modern-slavery' })
  @IsString()
  @Matches(SLUG, { message: 'code must be lower-case letters, digits and hyphens' })
  @MaxLength(60)
  code: string;

  @ApiProperty({ example: 'Human Trafficking and Modern Slavery' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ format: 'uuid', description: 'The outcome this priority is grouped under' })
  @IsUUID()
  outcomeId: string;

  @ApiPropertyOptional({ type: 'integer', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  position?: number;

  @ApiPropertyOptional({ default: true, description: 'Inactive priorities stay on past pots but cannot be chosen for new ones' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdatePriorityDto extends PartialType(CreatePriorityDto) {}

export class CreateDistrictDto {
  @ApiProperty({ example: 'E08000035', description: 'GSS code: E, W, S or N and eight digits' })
  @IsString()
  @Matches(GSS_CODE, { message: 'gssCode must be a GSS code such as E08000035' })
  gssCode: string;

  @ApiProperty({ example: 'Leeds' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateDistrictDto extends PartialType(CreateDistrictDto) {}

export class ReferenceListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Include inactive entries (true/false)', default: false })
  @IsOptional()
  @IsString()
  @Matches(/^(true|false)$/, { message: 'includeInactive must be true or false' })
  includeInactive?: string;
}

// ---- responses (for the OpenAPI document) ----

export class OutcomeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'safeguard-vulnerable-people' }) code: string;
  @ApiProperty({ example: 'Safeguard vulnerable people' }) name: string;
  @ApiProperty({ type: 'integer' }) position: number;
}

export class PriorityOfOutcomeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'human-trafficking-modern-slavery' }) code: string;
  @ApiProperty({ example: 'Human Trafficking and Modern Slavery' }) name: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: 'integer' }) position: number;
}

export class PriorityResponse extends PriorityOfOutcomeResponse {
  @ApiProperty({ type: OutcomeResponse, description: 'The outcome it is grouped under' }) outcome: OutcomeResponse;
}

export class OutcomeWithPrioritiesResponse extends OutcomeResponse {
  @ApiProperty({ type: [PriorityOfOutcomeResponse], description: 'Its priorities, active or not' }) priorities: PriorityOfOutcomeResponse[];
}

export class DistrictResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'E08000035' }) gssCode: string;
  @ApiProperty({ example: 'Leeds' }) name: string;
  @ApiProperty() active: boolean;
}

export class OutcomePageResponse {
  @ApiProperty({ type: [OutcomeWithPrioritiesResponse] }) items: OutcomeWithPrioritiesResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}

export class PriorityPageResponse {
  @ApiProperty({ type: [PriorityResponse] }) items: PriorityResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}

export class DistrictPageResponse {
  @ApiProperty({ type: [DistrictResponse] }) items: DistrictResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}
