/**
 * What we record as an attachment's display name, from the name the person's browser sent.
 *
 * Policy (one, applied everywhere):
 * - The stored file is never named after this: it lives under a generated uuid in the storage
 *   directory (see AttachmentStorage), so no name can ever point outside it.
 * - A name that tries to climb directories (any "." or ".." path segment before the last one,
 *   e.g. "../../etc/passwd") is refused with ATTACHMENT.BAD_FILE_NAME: no honest browser sends one,
 *   so we say no rather than guess.
 * - Otherwise we keep the base name (after the last "/" or "\", as old browsers send
 *   "C:\fakepath\report.pdf"), remove control and invisible formatting characters (which could
 *   disguise "exe" as "pdf" with a right-to-left override), and leading dots and spaces, and cut
 *   it to 255 characters keeping the extension.
 * - If nothing is left, the name is refused with ATTACHMENT.BAD_FILE_NAME.
 * - Browsers escape three characters in multipart file names (HTML's form encoding): '"' as %22
 *   and line breaks as %0A and %0D; we undo the first and drop the others.
 */
export const MAX_FILE_NAME_LENGTH = 255;

export type FileNameResult = { ok: true; name: string } | { ok: false; reason: 'traversal' | 'empty' };

// Control characters (C0, DEL, C1) and format characters (bidi overrides, zero-width joiners, BOM).
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}]/gu;

export function cleanFileName(raw: string): FileNameResult {
  const unescaped = raw.replace(/%22/gi, '"').replace(/%0[ad]/gi, '');
  const segments = unescaped.normalize('NFC').split(/[/\\]/);
  const directories = segments.slice(0, -1).map((s) => s.replace(UNSAFE_CHARACTERS, '').trim());
  if (directories.some((s) => s === '..' || s === '.')) return { ok: false, reason: 'traversal' };
  const base = segments[segments.length - 1]
    .replace(UNSAFE_CHARACTERS, '')
    .replace(/^[\s.]+/u, '')
    .trim();
  if (!base) return { ok: false, reason: 'empty' };
  return { ok: true, name: truncateKeepingExtension(base, MAX_FILE_NAME_LENGTH) };
}

/** Cuts a name to `max` characters (code points), keeping a short extension such as ".pdf". */
function truncateKeepingExtension(name: string, max: number): string {
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length > 0 && extension.length <= 10) {
    const stem = Array.from(name.slice(0, dot)).slice(0, max - extension.length);
    return stem.join('').trimEnd() + extension.join('');
  }
  return chars.slice(0, max).join('');
}

/** The extension of a cleaned name, lower case without the dot ("" when there is none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * Content-Disposition for a download: an ASCII fallback `filename` and the exact name as an
 * RFC 5987 `filename*` (UTF-8, percent-encoded), so no name can break or inject into the header.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
