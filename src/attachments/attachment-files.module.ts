import { Global, Module } from '@nestjs/common';
import { APPLICATION_FILES } from '../applications/application-files.types.js';
import { AttachmentFiles } from './attachment-files.js';

/**
 * Provides applications' ApplicationFiles port. Global, because applications cannot import the
 * attachments module (attachments imports applications): the port is the only way back.
 */
@Global()
@Module({
  providers: [AttachmentFiles, { provide: APPLICATION_FILES, useExisting: AttachmentFiles }],
  exports: [APPLICATION_FILES],
})
export class AttachmentFilesModule {}
