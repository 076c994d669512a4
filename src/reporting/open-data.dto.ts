import { ApiProperty, type ApiResponseSchemaHost } from '@nestjs/swagger';
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

type SchemaObject = ApiResponseSchemaHost['schema'];

const str: SchemaObject = { type: 'string' };
const org: SchemaObject = { type: 'object', required: ['id', 'name'], properties: { id: str, name: str } };

/** The 360Giving package as served (the standard's schema is the authority; this documents what is written). */
export const OPEN_DATA_PACKAGE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['license', 'publisher', 'grants'],
  properties: {
    license: { type: 'string', format: 'uri' },
    publisher: { type: 'object', required: ['name'], properties: { identifier: str, name: str } },
    version: { type: 'string', example: '1.4' },
    modified: { type: 'string', format: 'date-time' },
    grants: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'description', 'currency', 'amountAwarded', 'awardDate', 'recipientOrganization', 'fundingOrganization'],
        properties: {
          id: { type: 'string', example: '360G-pcc-wy-R17-0001' },
          title: str,
          description: str,
          currency: { type: 'string', enum: ['GBP'] },
          amountAwarded: { type: 'number', example: 2500.5, description: 'Pounds, written with exactly two decimals' },
          awardDate: { type: 'string', format: 'date' },
          plannedDates: { type: 'array', items: { type: 'object', properties: { startDate: { type: 'string', format: 'date' }, endDate: { type: 'string', format: 'date' } } } },
          recipientOrganization: {
            type: 'array',
            items: { type: 'object', required: ['id', 'name'], properties: { id: str, name: str, postalCode: str, charityNumber: str, companyNumber: str } },
          },
          fundingOrganization: { type: 'array', items: org },
          grantProgramme: { type: 'array', items: { type: 'object', properties: { title: str, code: str } } },
          beneficiaryLocation: { type: 'array', items: { type: 'object', properties: { name: str, geoCode: str, geoCodeType: { type: 'string', enum: ['LAD'] } } } },
          classifications: { type: 'array', items: { type: 'object', properties: { vocabulary: str, code: str, title: str } } },
          dateModified: { type: 'string', format: 'date-time' },
          dataSource: { type: 'string', format: 'uri' },
        },
      },
    },
  },
};
