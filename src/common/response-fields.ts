import { ApiProperty } from '@nestjs/swagger';

/** Swagger decorators shared by the response classes of every module (for the OpenAPI document). */

/** A count or page number: a whole number, never negative. */
export const Count = (description?: string) => ApiProperty({ type: 'integer', minimum: 0, ...(description ? { description } : {}) });

/** An amount of money in integer pence (never negative). */
export const PenceField = (description: string) => ApiProperty({ type: 'integer', minimum: 0, description: `${description}, in pence` });
