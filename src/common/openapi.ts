import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { FieldErrorResponse, ProblemResponse } from './problem.dto.js';

/** The OpenAPI version of /api/docs-json: 3.1, so that nullable fields are `type: [T, "null"]` (JSON Schema 2020-12). */
export const OPENAPI_VERSION = '3.1.0';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The service's OpenAPI document. Every operation also documents its errors: any status it does
 * not list is an application/problem+json answer (RFC 9457) of the one shared Problem schema.
 */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion(OPENAPI_VERSION)
    .setTitle('Safer Communities Fund API')
    .setDescription(
      'Grant management for community safety funds. Money is integer pence in fields ending `Pence`; errors are application/problem+json with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemResponse, FieldErrorResponse] });
  // The shared error schema is called Problem in the document (the class name says it is a response).
  const schemas = document.components!.schemas!;
  schemas.Problem = schemas[ProblemResponse.name];
  delete schemas[ProblemResponse.name];
  const problemRef = getSchemaPath('Problem');
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.responses.default ??= {
        description: 'An error: application/problem+json with a stable `code` (and per-field `errors` for validation)',
        content: { 'application/problem+json': { schema: { $ref: problemRef } } },
      };
    }
  }
  return document;
}
