import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What the health checks answer, for the OpenAPI document. */

export class LiveResponse {
  @ApiProperty({ enum: ['ok'] }) status: string;
}

export class CheckResponse {
  @ApiProperty({ enum: ['up', 'down'] }) status: string;
  @ApiPropertyOptional({ description: 'What failed, when down' }) detail?: string;
}

export class ReadyChecksResponse {
  @ApiProperty({ type: CheckResponse }) database: CheckResponse;
  @ApiProperty({ type: CheckResponse }) redis: CheckResponse;
  @ApiProperty({ type: CheckResponse }) migrations: CheckResponse;
}

export class ReadyResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: string;
  @ApiProperty({ type: ReadyChecksResponse }) checks: ReadyChecksResponse;
}
