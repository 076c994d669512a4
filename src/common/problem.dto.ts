import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The OpenAPI description of an error answer (see problem.ts): one shared schema for every route. */

export class FieldErrorResponse {
  @ApiProperty({ description: 'Dotted path of the input field', example: 'address.postcode' }) field: string;
  @ApiProperty({ description: 'Stable code of what is wrong with it', example: 'isNotEmpty' }) code: string;
  @ApiProperty({ example: 'Enter a postcode' }) message: string;
}

export class ProblemResponse {
  @ApiProperty({ description: 'A relative URI naming the kind of problem', example: '/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'Validation failed' }) title: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 422 }) status: number;
  @ApiProperty({ example: 'Check the fields marked' }) detail: string;
  @ApiProperty({ description: 'Stable machine-readable code', example: 'VALIDATION.FAILED' }) code: string;
  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'Per-field errors, for validation failures' }) errors?: FieldErrorResponse[];
  @ApiPropertyOptional({ description: 'The path the request went to', example: '/api/v1/applications' }) instance?: string;
  @ApiPropertyOptional({ description: 'Quote it when asking for help' }) requestId?: string;
}
