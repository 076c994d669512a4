import { Global, Module } from '@nestjs/common';
import { CommunicationsController } from './communications.controller.js';
import { CommunicationsPages } from './communications.pages.js';
import { CommunicationsService } from './communications.service.js';
import { MailRenderer } from './mail-renderer.js';
import { MailTransport } from './mail-transport.js';
import { MailService } from './mail.service.js';
import { ReclaimMailJob } from './reclaim-mail.job.js';
import { SendMailJob } from './send-mail.job.js';

@Global()
@Module({
  providers: [MailRenderer, MailTransport, MailService, SendMailJob, ReclaimMailJob, CommunicationsService],
  controllers: [CommunicationsController, CommunicationsPages],
  exports: [MailService, MailRenderer],
})
export class MailModule {}
