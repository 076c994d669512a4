import { PageQuery } from '../common/pagination.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { LEGAL_FORMS, type LegalForm } from './organisation.entity.js';
import { MAX_LENGTHS } from './organisation-input.js';

/**
 * The request shapes of the organisations API. These check types, lengths and unknown fields;
 * the rules (which numbers a legal form needs, their formats, postcodes, districts) are the
 * service's, so that pages and API apply exactly the same ones.
 */
export class RegisterOrganisationDto {
  @ApiProperty({ maxLength: MAX_LENGTHS.name, example: 'Holme Valley Youth Project' })
  @IsDefined()
  @IsString()
  @MaxLength(MAX_LENGTHS.name)
  name: string;

  @ApiProperty({ enum: LEGAL_FORMS, example: 'charitable_incorporated_organisation' })
  @IsDefined()
  @IsIn(LEGAL_FORMS)
  legalForm: LegalForm;

  @ApiPropertyOptional({
    type: String, nullable: true,
    maxLength: 20,
    example: '1123456',
    description: 'Charity Commission (1123456), OSCR (SC012345) or CCNI (NIC100002) number; required for charitable legal forms',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  charityNumber?: string | null;

  @ApiPropertyOptional({
    type: String, nullable: true,
    maxLength: 20,
    example: '01234567',
    description: 'Companies House number (01234567 or SC123456); required for companies',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  companyNumber?: string | null;

  @ApiProperty({ maxLength: MAX_LENGTHS.addressLine1, example: '12 Station Road' })
  @IsDefined()
  @IsString()
  @MaxLength(MAX_LENGTHS.addressLine1)
  addressLine1: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_LENGTHS.addressLine2 })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LENGTHS.addressLine2)
  addressLine2?: string | null;

  @ApiProperty({ maxLength: MAX_LENGTHS.town, example: 'Holmfirth' })
  @IsDefined()
  @IsString()
  @MaxLength(MAX_LENGTHS.town)
  town: string;

  @ApiProperty({ maxLength: 10, example: 'HD9 3AB' })
  @IsDefined()
  @IsString()
  @MaxLength(10)
  postcode: string;

  @ApiProperty({ format: 'uuid', description: 'An active district (GET the districts list)' })
  @IsDefined()
  @IsUUID()
  districtId: string;

  @ApiProperty({ maxLength: MAX_LENGTHS.contactName, example: 'Sam Jones' })
  @IsDefined()
  @IsString()
  @MaxLength(MAX_LENGTHS.contactName)
  contactName: string;

  @ApiProperty({ maxLength: MAX_LENGTHS.contactEmail, example: 'sam@example.org' })
  @IsDefined()
  @IsString()
  @MaxLength(MAX_LENGTHS.contactEmail)
  contactEmail: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_LENGTHS.contactPhone, example: '01632 960 001' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LENGTHS.contactPhone)
  contactPhone?: string | null;
}

const given = (_: object, value: unknown) => value !== undefined;

/** Any subset of the details; required details cannot be set to null, optional ones can. */
export class UpdateOrganisationDto {
  @ApiPropertyOptional({ maxLength: MAX_LENGTHS.name })
  @ValidateIf(given)
  @IsString()
  @MaxLength(MAX_LENGTHS.name)
  name?: string;

  @ApiPropertyOptional({ enum: LEGAL_FORMS })
  @ValidateIf(given)
  @IsIn(LEGAL_FORMS)
  legalForm?: LegalForm;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 20 })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  charityNumber?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 20 })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  companyNumber?: string | null;

  @ApiPropertyOptional({ maxLength: MAX_LENGTHS.addressLine1 })
  @ValidateIf(given)
  @IsString()
  @MaxLength(MAX_LENGTHS.addressLine1)
  addressLine1?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_LENGTHS.addressLine2 })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LENGTHS.addressLine2)
  addressLine2?: string | null;

  @ApiPropertyOptional({ maxLength: MAX_LENGTHS.town })
  @ValidateIf(given)
  @IsString()
  @MaxLength(MAX_LENGTHS.town)
  town?: string;

  @ApiPropertyOptional({ maxLength: 10 })
  @ValidateIf(given)
  @IsString()
  @MaxLength(10)
  postcode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf(given)
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ maxLength: MAX_LENGTHS.contactName })
  @ValidateIf(given)
  @IsString()
  @MaxLength(MAX_LENGTHS.contactName)
  contactName?: string;

  @ApiPropertyOptional({ maxLength: MAX_LENGTHS.contactEmail })
  @ValidateIf(given)
  @IsString()
  @MaxLength(MAX_LENGTHS.contactEmail)
  contactEmail?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_LENGTHS.contactPhone })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LENGTHS.contactPhone)
  contactPhone?: string | null;
}

export class ListOrganisationsQuery extends PageQuery {

  @ApiPropertyOptional({ description: 'Part of the name, any case' })
  @IsOptional()
  @IsString()
  @MaxLength(160)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  districtId?: string;
}

export class InviteMemberDto {
  @ApiProperty({ maxLength: 254, example: 'colleague@example.org' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsDefined()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email: string;
}

// ---- responses (for the OpenAPI document) ----

export class DistrictRefResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Kirklees' }) name: string;
  @ApiProperty({ example: 'E08000034' }) gssCode: string;
}

export class OrganisationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: LEGAL_FORMS }) legalForm: string;
  @ApiProperty() legalFormLabel: string;
  @ApiProperty({ nullable: true, type: String }) charityNumber: string | null;
  @ApiProperty({ nullable: true, type: String }) companyNumber: string | null;
  @ApiProperty({ description: 'org-id.guide identifier for 360Giving', example: 'GB-CHC-1123456' }) orgId: string;
  @ApiProperty() addressLine1: string;
  @ApiProperty({ nullable: true, type: String }) addressLine2: string | null;
  @ApiProperty() town: string;
  @ApiProperty() postcode: string;
  @ApiProperty({ nullable: true, type: DistrictRefResponse }) district: DistrictRefResponse | null;
  @ApiProperty() contactName: string;
  @ApiProperty() contactEmail: string;
  @ApiProperty({ nullable: true, type: String }) contactPhone: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ nullable: true, enum: ['owner', 'member'], description: "The caller's role; null for staff who are not members" })
  myRole: string | null;
}

export class OrganisationPageResponse {
  @ApiProperty({ type: [OrganisationResponse] }) items: OrganisationResponse[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

export class MemberResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() fullName: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['owner', 'member'] }) role: string;
  @ApiProperty({ format: 'date-time' }) joinedAt: string;
}

export class MemberListResponse {
  @ApiProperty({ type: [MemberResponse] }) items: MemberResponse[];
}

export class InviterResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ nullable: true, type: String }) fullName: string | null;
}

export class InviteResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] }) status: string;
  @ApiProperty({ type: InviterResponse }) invitedBy: InviterResponse;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) acceptedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

export class InviteListResponse {
  @ApiProperty({ type: [InviteResponse] }) items: InviteResponse[];
}

export class InviteOrganisationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class InviteLandingResponse {
  @ApiProperty({ type: InviteOrganisationResponse }) organisation: InviteOrganisationResponse;
  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] }) status: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ nullable: true, type: String }) invitedEmail: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) forYou: boolean | null;
  @ApiProperty() alreadyMember: boolean;
}
