import '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors.js';
import { UPLOAD_LIMIT_BYTES } from '../config/limits.js';
import type { AttachmentStorage, ReceivedFile } from './attachment-storage.js';

/** An upload as it arrived: the raw form fields and the file, already in the temporary area. */
export interface IncomingUpload {
  /** The `kind` field as sent (not yet checked), or null when missing. */
  kind: string | null;
  /** Form fields other than kind (and the page's _csrf), which the API refuses. */
  unknownFields: string[];
  /** The `file` part, or null when there was none. */
  file: (ReceivedFile & { clientName: string }) | null;
}

/** The multipart file limit (config/limits.ts, the same figure bootstrap gives Fastify). */
export const uploadLimitBytes = () => UPLOAD_LIMIT_BYTES;

export const tooLarge = () => {
  const mb = Math.round(uploadLimitBytes() / (1024 * 1024));
  return new DomainError('payload_too_large', 'ATTACHMENT.TOO_LARGE', `The file must be smaller than ${mb}MB`, [
    { field: 'file', code: 'ATTACHMENT.TOO_LARGE', message: `The selected file must be smaller than ${mb}MB` },
  ]);
};

/**
 * Reads a multipart/form-data upload (fields `kind` and `file`, in any order) as a stream: the
 * file goes straight to a temporary file (hashed and counted as it is written), never into
 * memory. Anything that goes wrong removes the temporary file before the error leaves here.
 */
export async function receiveUpload(request: FastifyRequest, storage: AttachmentStorage): Promise<IncomingUpload> {
  if (!request.isMultipart()) {
    throw new DomainError(
      'unsupported_media_type',
      'ATTACHMENT.NOT_MULTIPART',
      'Send the file as multipart/form-data with the fields "kind" and "file"',
    );
  }
  const upload: IncomingUpload = { kind: null, unknownFields: [], file: null };
  try {
    // preservePath: the parser would otherwise cut "../../etc/passwd" to "passwd" before our
    // own file-name policy (file-name.ts) could see what was really sent.
    for await (const part of request.parts({ preservePath: true })) {
      if (part.type === 'field') {
        if (part.fieldname === 'kind' && upload.kind === null) upload.kind = String(part.value ?? '');
        // A "file" sent as a plain field (no file name) is a missing file, reported as such.
        else if (part.fieldname !== '_csrf' && part.fieldname !== 'file') upload.unknownFields.push(part.fieldname);
        continue;
      }
      if (part.fieldname !== 'file' || upload.file) {
        // Read and drop it, so the rest of the form still arrives.
        upload.unknownFields.push(part.fieldname);
        part.file.resume();
        await new Promise((resolve) => part.file.once('end', resolve).once('close', resolve));
        continue;
      }
      const received = await storage.receive(part.file);
      upload.file = { ...received, clientName: part.filename ?? '' };
      if (part.file.truncated) throw tooLarge();
    }
  } catch (error) {
    if (upload.file) await storage.remove(upload.file.tempPath);
    throw asClientError(error);
  }
  return upload;
}

/**
 * Errors from the multipart parser: Fastify's own carry a 4xx status and are mapped by the
 * problem filter (too many files or parts); a broken body is the client's, a disk error is ours.
 */
function asClientError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const e = error as { statusCode?: number; code?: string; syscall?: string };
  if (e && typeof e.statusCode === 'number') return e.code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge() : error;
  if (e && e.syscall) return error;
  return new DomainError('bad_request', 'REQUEST.MALFORMED_MULTIPART', 'The multipart/form-data body could not be read');
}
