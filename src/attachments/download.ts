import type { FastifyReply } from 'fastify';
import type { ReadStream } from 'node:fs';
import type { AttachmentView } from './attachments.service.js';
import { contentDisposition } from './file-name.js';

/**
 * Sends a stored file as a download: the type detected at upload, always "attachment" (never
 * rendered inline), no sniffing, no caching by shared caches, and a sandbox in case a browser
 * shows it anyway.
 */
export async function sendAttachment(reply: FastifyReply, download: { attachment: Pick<AttachmentView, 'contentType' | 'sizeBytes' | 'fileName'>; stream: ReadStream }): Promise<void> {
  const { attachment, stream } = download;
  await reply
    .status(200)
    .header('content-type', attachment.contentType)
    .header('content-length', String(attachment.sizeBytes))
    .header('content-disposition', contentDisposition(attachment.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(stream);
}
