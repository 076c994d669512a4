/**
 * Request size limits, fixed in code (not settings): bootstrap.ts gives them to Fastify and the
 * upload reader quotes them in its messages. Kept here so neither has to import the other.
 */

/** Largest JSON or form body; files go through multipart with their own limit. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Largest uploaded file. */
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;
