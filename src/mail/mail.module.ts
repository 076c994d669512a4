import { Global, Module } from '@nestjs/common';
import { MailRenderer } from './mail-renderer.js';
import { MailTransport } from './mail-transport.js';
import { MailService } from './mail.service.js';
import { SendMailJob } from './send-mail.job.js';

@Global()
@Module({
  providers: [MailRenderer, MailTransport, MailService, SendMailJob],
  exports: [MailService, MailRenderer],
})
export class MailModule {}
