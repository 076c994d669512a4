import { PageQuery } from '../common/pagination.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { STAFF_ROLES, type StaffRole } from '../auth/roles.js';
import { EMAIL_MAX, FULL_NAME_MAX, PASSWORD_MAX, TOKEN_DAYS_MAX, TOKEN_DAYS_MIN, TOKEN_NAME_MAX } from './account-rules.js';

/*
 * Request bodies check types and sizes here; the account rules (email format, password policy)
 * are checked once in the services, for pages and API alike.
 */

export class RegisterDto {
  @ApiProperty({ example: 'amina@example.org', maxLength: EMAIL_MAX })
  @IsDefined()
  @IsString()
  @MaxLength(EMAIL_MAX)
  email: string;

  @ApiProperty({ example: 'Amina Hussain', maxLength: FULL_NAME_MAX })
  @IsDefined()
  @IsString()
  @MaxLength(FULL_NAME_MAX)
  fullName: string;

  @ApiProperty({ description: 'At least 12 characters; not the email address; not a very common password', minLength: 12, maxLength: PASSWORD_MAX })
  @IsDefined()
  @IsString()
  @MaxLength(PASSWORD_MAX)
  password: string;
}

export class EmailDto {
  @ApiProperty({ example: 'amina@example.org', maxLength: EMAIL_MAX })
  @IsDefined()
  @IsString()
  @MaxLength(EMAIL_MAX)
  email: string;
}

export class TokenDto {
  @ApiProperty({ description: 'The token from the emailed link', maxLength: 200 })
  @IsDefined()
  @IsString()
  @MaxLength(200)
  token: string;
}

export class TokenAndPasswordDto extends TokenDto {
  @ApiProperty({ minLength: 12, maxLength: PASSWORD_MAX })
  @IsDefined()
  @IsString()
  @MaxLength(PASSWORD_MAX)
  password: string;
}

export class CredentialsDto {
  @ApiProperty({ example: 'amina@example.org', maxLength: EMAIL_MAX })
  @IsDefined()
  @IsString()
  @MaxLength(EMAIL_MAX)
  email: string;

  @ApiProperty({ maxLength: PASSWORD_MAX })
  @IsDefined()
  @IsString()
  @MaxLength(PASSWORD_MAX)
  password: string;
}

export class CreateTokenDto {
  @ApiProperty({ example: 'Reporting script', maxLength: TOKEN_NAME_MAX })
  @IsDefined()
  @IsString()
  @MaxLength(TOKEN_NAME_MAX)
  name: string;

  @ApiProperty({ type: 'integer', minimum: TOKEN_DAYS_MIN, maximum: TOKEN_DAYS_MAX, example: 90 })
  @IsDefined()
  @IsInt()
  @Min(TOKEN_DAYS_MIN)
  @Max(TOKEN_DAYS_MAX)
  expiresInDays: number;
}

/** Lists of accounts and tokens page like every other list. */
export class PageQueryDto extends PageQuery {}

export const ROLE_FILTERS = [...STAFF_ROLES, 'applicant'] as const;

export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLE_FILTERS, description: 'A staff role, or "applicant" for people with no staff role' })
  @IsOptional()
  @IsIn(ROLE_FILTERS)
  role?: StaffRole | 'applicant';

  @ApiPropertyOptional({ description: 'Part of an email address', maxLength: 254 })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  q?: string;
}

export class InviteStaffDto {
  @ApiProperty({ example: 'sam.patel@pcc.example.gov.uk', maxLength: EMAIL_MAX })
  @IsDefined()
  @IsString()
  @MaxLength(EMAIL_MAX)
  email: string;

  @ApiProperty({ example: 'Sam Patel', maxLength: FULL_NAME_MAX })
  @IsDefined()
  @IsString()
  @MaxLength(FULL_NAME_MAX)
  fullName: string;

  @ApiProperty({ enum: STAFF_ROLES, isArray: true, example: ['assessor'] })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(STAFF_ROLES.length)
  @IsIn(STAFF_ROLES, { each: true })
  roles: StaffRole[];
}

export class SetRolesDto {
  @ApiProperty({ enum: STAFF_ROLES, isArray: true, description: 'The complete set of staff roles; empty for none' })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(STAFF_ROLES.length)
  @IsIn(STAFF_ROLES, { each: true })
  roles: StaffRole[];
}

export class DisableUserDto {
  @ApiPropertyOptional({ maxLength: 500, description: 'Why, for the audit trail' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/* Responses, for the OpenAPI document. */

export class AcceptedResponse {
  @ApiProperty({ example: 'If the details are right, we have sent an email.' })
  message: string;
}

export class SignInTokenResponse {
  @ApiProperty({ example: 'scf_…' })
  token: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: Date;
}

export class MembershipResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['owner', 'member'] }) role: string;
}

export class MeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: STAFF_ROLES, isArray: true }) roles: StaffRole[];
  @ApiProperty({ type: [MembershipResponse] }) organisations: MembershipResponse[];
}

export class PersonalTokenResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'First characters of the token, to tell tokens apart' }) prefix: string;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) expiresAt: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: Date | null;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: string;
}

export class CreatedTokenResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The secret: shown once, never again' }) token: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: Date;
}

export class PersonalTokenListResponse {
  @ApiProperty({ type: [PersonalTokenResponse] }) items: PersonalTokenResponse[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: STAFF_ROLES, isArray: true }) roles: StaffRole[];
  @ApiProperty({ enum: ['active', 'invited', 'unverified', 'disabled'] }) status: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) emailVerifiedAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) disabledAt: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
}

export class UserListResponse {
  @ApiProperty({ type: [UserResponse] }) items: UserResponse[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

export class StaffInviteResponse {
  @ApiProperty({ type: UserResponse }) user: UserResponse;
  @ApiProperty({ description: 'false when the person already had an account and was given the roles' }) created: boolean;
}

export class EmailVerifiedResponse {
  @ApiProperty() email: string;
  @ApiProperty({ type: Boolean, description: 'Always true' }) verified: boolean;
}

export class PasswordResetResponse {
  @ApiProperty() email: string;
  @ApiProperty({ type: Boolean, description: 'Always true' }) passwordReset: boolean;
}

export class InviteAcceptedResponse {
  @ApiProperty() email: string;
  @ApiProperty({ type: Boolean, description: 'Always true' }) accepted: boolean;
}
