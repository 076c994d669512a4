import { DomainError } from '../common/errors.js';
import { ALLOWED_TYPES_SENTENCE, detectAllowedType, type AllowedType } from './content-type.js';
import { cleanFileName } from './file-name.js';
import { tooLarge, uploadLimitBytes, type IncomingUpload } from './incoming-upload.js';

/** A received file once its name, size and real type have passed. */
export interface CheckedFile {
  fileName: string;
  type: AllowedType;
  tempPath: string;
  sizeBytes: number;
  sha256: string;
}

export const fileError = (kind: DomainError['kind'], code: string, message: string) => new DomainError(kind, code, message, [{ field: 'file', code, message }]);

/**
 * The checks every stored file passes, whoever it is for: a cleaned name (no folders), not
 * empty, within the upload limit, and a type we accept judged by its content.
 */
export async function checkFile(file: NonNullable<IncomingUpload['file']>): Promise<CheckedFile> {
  const name = cleanFileName(file.clientName);
  if (!name.ok) {
    throw fileError(
      'validation',
      'ATTACHMENT.BAD_FILE_NAME',
      name.reason === 'traversal'
        ? 'The file name must not contain folder names such as ".."; rename the file and try again'
        : 'The file name must contain letters or numbers; rename the file and try again',
    );
  }
  if (file.sizeBytes === 0) throw fileError('validation', 'ATTACHMENT.EMPTY', 'The selected file is empty');
  if (file.sizeBytes > uploadLimitBytes()) throw tooLarge();
  const type = await detectAllowedType(file.tempPath, name.name);
  if (!type) throw fileError('unsupported_media_type', 'ATTACHMENT.TYPE_NOT_ALLOWED', `The selected file must be ${ALLOWED_TYPES_SENTENCE}`);
  return { fileName: name.name, type, tempPath: file.tempPath, sizeBytes: file.sizeBytes, sha256: file.sha256 };
}
