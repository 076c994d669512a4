import { Module } from '@nestjs/common';
import { AttachmentStorage } from './attachment-storage.js';
import { AttachmentsController } from './attachments.controller.js';
import { AttachmentPages } from './attachments.pages.js';
import { AttachmentsService } from './attachments.service.js';

/** Files attached to applications: upload, list, download, remove. */
@Module({
  controllers: [AttachmentsController, AttachmentPages],
  providers: [AttachmentsService, AttachmentStorage],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
