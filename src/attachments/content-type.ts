import { fileTypeFromFile } from 'file-type';
import { extensionOf } from './file-name.js';

/** A type we accept, as detected from the file's own bytes. */
export interface AllowedType {
  /** The Content-Type we record and serve. */
  mime: string;
  /** For people: "PDF", "Word document"... */
  label: string;
}

/** What file-type reports (by magic bytes, and for ZIP containers by their entries) -> what we accept. */
const BY_DETECTED_EXTENSION: Record<string, AllowedType> = {
  pdf: { mime: 'application/pdf', label: 'PDF' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word document' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel spreadsheet' },
  jpg: { mime: 'image/jpeg', label: 'JPEG image' },
  png: { mime: 'image/png', label: 'PNG image' },
};

/**
 * Legacy Word and Excel files are OLE compound files (CFB), a container also used by installers
 * (.msi), Outlook messages and others; the bytes alone cannot tell them apart, so a CFB file is
 * accepted only when its name says .doc or .xls.
 */
const CFB_BY_NAME: Record<string, AllowedType> = {
  doc: { mime: 'application/msword', label: 'Word document' },
  xls: { mime: 'application/vnd.ms-excel', label: 'Excel spreadsheet' },
};

export const ALLOWED_TYPES_SENTENCE = 'a PDF, Word document, Excel spreadsheet, JPEG or PNG';

/**
 * The accepted type of the file at `path` judged by its content, or null when it is anything
 * else (an executable renamed .pdf, a script, an unknown or text format). `fileName` (already
 * cleaned) only decides between .doc and .xls inside a CFB container.
 */
export async function detectAllowedType(path: string, fileName: string): Promise<AllowedType | null> {
  const detected = await fileTypeFromFile(path);
  if (!detected) return null;
  if (detected.ext === 'cfb' || detected.mime === 'application/x-cfb') return CFB_BY_NAME[extensionOf(fileName)] ?? null;
  return BY_DETECTED_EXTENSION[detected.ext] ?? null;
}
