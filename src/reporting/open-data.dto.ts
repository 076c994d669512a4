import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { WITHHOLDING_SCOPES, type WithholdingScope } from './open-data.entities.js';

export class PublicationDto {
  @ApiProperty({ enum: WITHHOLDING_SCOPES, description: 'award: leave the award out of the open data; location: publish it without its districts or postcode' })
  @IsIn(WITHHOLDING_SCOPES)
  withhold: WithholdingScope;

  @ApiProperty({ maxLength: 500, example: 'The project is a refuge: where it is must not be published' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class PublicationResponse {
  @ApiProperty({ format: 'uuid' }) awardId: string;
  @ApiProperty() reference: string;
  @ApiProperty() organisation: string;
  @ApiProperty({ type: String, nullable: true }) project: string | null;
  @ApiProperty({ enum: WITHHOLDING_SCOPES }) withhold: WithholdingScope;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, nullable: true, description: 'Who withheld it (their email)' }) withheldBy: string | null;
  @ApiProperty({ format: 'date-time' }) withheldAt: string;
}
