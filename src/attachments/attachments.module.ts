import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { ApplicationsModule } from '../applications/applications.module.js';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AttachmentFilesModule } from './attachment-files.module.js';
import { AttachmentStorage } from './attachment-storage.js';
import { AttachmentsController } from './attachments.controller.js';
import { AttachmentPages } from './attachments.pages.js';
import { AttachmentsService } from './attachments.service.js';
import { EvidenceFilesService } from './evidence-files.service.js';

/** Files attached to applications: upload, list, download, remove; and other modules' evidence files (EvidenceFilesService). */
@Module({
  imports: [ApplicationsModule, AttachmentFilesModule, OrganisationsModule, PeopleModule, PoliciesModule],
  controllers: [AttachmentsController, AttachmentPages],
  providers: [AttachmentsService, AttachmentStorage, EvidenceFilesService],
  exports: [AttachmentsService, EvidenceFilesService],
})
export class AttachmentsModule {}
