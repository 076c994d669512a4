import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/pagination.js';

export class AuditQueryDto extends PageQuery {
  @ApiPropertyOptional({ description: 'Entity type, e.g. user, organisation, application, round' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]{1,60}$/, { message: 'entity must be lower-case letters and underscores' })
  entity?: string;

  @ApiPropertyOptional({ description: 'Entity id' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  id?: string;

  @ApiPropertyOptional({ description: 'Only changes made by this user' })
  @IsOptional()
  @IsUUID()
  actorUserId?: string;
}
