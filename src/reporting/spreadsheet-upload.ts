import '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError, fieldError } from '../common/errors.js';
import { UPLOAD_LIMIT_BYTES } from '../config/limits.js';

export interface SpreadsheetUpload {
  fileName: string;
  bytes: Buffer;
  /** Other form fields sent with the file (a page's fund choice), by name. */
  fields: Record<string, string>;
}

/**
 * Reads a multipart/form-data upload of a spreadsheet (field `file`; a page's `_csrf` has been read
 * already). A spreadsheet of awards is small: it is read into memory, within the upload limit.
 */
export async function readSpreadsheetUpload(request: FastifyRequest): Promise<SpreadsheetUpload> {
  if (!request.isMultipart()) {
    throw new DomainError('unsupported_media_type', 'IMPORT.NOT_MULTIPART', 'Send the spreadsheet as multipart/form-data with the field "file"');
  }
  let file: { fileName: string; bytes: Buffer } | null = null;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({ preservePath: true })) {
      if (part.type === 'field') {
        if (part.fieldname !== '_csrf') fields[part.fieldname] = String(part.value ?? '');
        continue;
      }
      const bytes = await part.toBuffer();
      if (part.file.truncated) throw tooLarge();
      if (part.fieldname === 'file' && !file && (bytes.length > 0 || part.filename)) file = { fileName: part.filename ?? '', bytes };
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const e = error as { statusCode?: number; code?: string };
    if (e?.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (e && typeof e.statusCode === 'number') throw error;
    throw new DomainError('bad_request', 'REQUEST.MALFORMED_MULTIPART', 'The multipart/form-data body could not be read');
  }
  if (!file || file.bytes.length === 0) throw fieldError('file', 'IMPORT.FILE_REQUIRED', 'Select a CSV or XLSX file of past awards');
  return { ...file, fields };
}

const tooLarge = () => {
  const mb = Math.round(UPLOAD_LIMIT_BYTES / (1024 * 1024));
  return new DomainError('payload_too_large', 'IMPORT.TOO_LARGE', `The file must be smaller than ${mb}MB`, [{ field: 'file', code: 'IMPORT.TOO_LARGE', message: `The selected file must be smaller than ${mb}MB` }]);
};
