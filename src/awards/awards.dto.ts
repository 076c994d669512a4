import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { Count, PenceField } from '../common/response-fields.js';
import { AWARD_STATUSES, type AwardStatus } from './award-lifecycle.js';

export const MAX_AGREEMENT_LENGTH = 50_000;
export const MAX_REASON_LENGTH = 2000;

export class AwardListQueryDto extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  roundId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ enum: AWARD_STATUSES })
  @IsOptional()
  @IsIn(AWARD_STATUSES)
  status?: AwardStatus;
}

export class AcceptAwardDto {
  @ApiProperty({ maxLength: 200, description: 'The full name of the owner accepting for the organisation' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  signatoryName: string;

  @ApiProperty({ maxLength: 200, description: 'Their role in the organisation, e.g. Chair of trustees' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  signatoryRole: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version of the grant agreement terms they read (the offer’s agreementVersion)' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  agreementVersion: number;

  @ApiProperty({ enum: [true], description: 'They accept the grant agreement terms and the offer’s conditions' })
  @IsBoolean()
  @Equals(true, { message: 'acceptTerms must be true' })
  acceptTerms: boolean;
}

export class DeclineAwardDto {
  @ApiProperty({ maxLength: MAX_REASON_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_REASON_LENGTH)
  reason: string;
}

export class PublishAgreementDto {
  @ApiProperty({ maxLength: MAX_AGREEMENT_LENGTH, description: 'The full text of the terms (paragraphs separated by blank lines)' })
  @IsString()
  @MinLength(20)
  @MaxLength(MAX_AGREEMENT_LENGTH)
  text: string;
}

// ---- responses (the OpenAPI document)

class AwardOrganisationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'org-id.guide identifier' }) orgId: string;
}

class AcceptanceResponse {
  @ApiProperty() signatoryName: string;
  @ApiProperty() signatoryRole: string;
  @ApiProperty({ type: String, format: 'date-time' }) acceptedAt: string;
}

class DeclineResponse {
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, format: 'date-time' }) declinedAt: string;
}

class AwardBudgetLineResponse {
  @ApiProperty({ format: 'uuid', description: 'The bid’s budget line it comes from' }) budgetLineId: string;
  @ApiProperty() item: string;
  @ApiProperty() category: string;
  @PenceField('The approved amount of the line') amountPence: number;
}

export class AwardResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SCF-AW-R17-0001' }) reference: string;
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty({ format: 'uuid' }) potId: string;
  @ApiProperty({ type: AwardOrganisationResponse }) organisation: AwardOrganisationResponse;
  @PenceField('The grant') amountPence: number;
  @PenceField('Paid so far') paidPence: number;
  @PenceField('Given back to the pot (repaid and released, or the unpaid rest at closure)') releasedPence: number;
  @PenceField('Still to pay: amount − paid − released') outstandingPence: number;
  @ApiProperty({ type: [AwardBudgetLineResponse], description: 'The approved budget lines (a budget or amount variation changes them)' }) budgetLines: AwardBudgetLineResponse[];
  @ApiProperty({ type: String, format: 'date', nullable: true }) startsOn: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'The project’s end (an end date variation moves it)' }) endsOn: string | null;
  @ApiProperty({ enum: AWARD_STATUSES }) status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ type: [String] }) conditions: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) offeredAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) offerExpiresAt: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The grant agreement terms version of the offer' }) agreementVersion: number | null;
  @ApiProperty({ type: AcceptanceResponse, nullable: true }) acceptance: AcceptanceResponse | null;
  @ApiProperty({ type: DeclineResponse, nullable: true }) decline: DeclineResponse | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class AwardPageResponse {
  @ApiProperty({ type: [AwardResponse] }) items: AwardResponse[];
  @Count() total: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) pageSize: number;
}

export class AgreementTermsResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) fundId: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty() text: string;
  @ApiProperty({ type: String, format: 'date-time' }) publishedAt: string;
  @ApiProperty({ description: 'Who published it (system:default-terms for the default)' }) publishedBy: string;
}
