import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard.js';
import { ApiTokenService } from './api-token.service.js';

/** Authentication and the access guard every route passes through. */
@Global()
@Module({
  providers: [ApiTokenService, AccessGuard, { provide: APP_GUARD, useExisting: AccessGuard }],
  exports: [ApiTokenService, AccessGuard],
})
export class AuthCoreModule {}
