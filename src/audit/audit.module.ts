import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditPages } from './audit.pages.js';
import { AuditService } from './audit.service.js';

@Global()
@Module({ providers: [AuditService], controllers: [AuditController, AuditPages], exports: [AuditService] })
export class AuditModule {}
