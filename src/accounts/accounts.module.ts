import { Module } from '@nestjs/common';
import { SignInThrottle } from '../auth/sign-in-throttle.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AccountImportService } from './account-import.service.js';
import { AccountsPages } from './accounts.pages.js';
import { AccountsService } from './accounts.service.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminUsersPages } from './admin-users.pages.js';
import { AuthController } from './auth.controller.js';
import { MeController } from './me.controller.js';
import { OneTimeTokensService } from './one-time-tokens.service.js';
import { PasswordResetJob } from './password-reset.job.js';
import { PersonalTokensService } from './personal-tokens.service.js';
import { UserAdminService } from './user-admin.service.js';
import { UserDirectoryModule } from './user-directory.module.js';
import { YourAccountPages } from './your-account.pages.js';

/** Accounts and access: registration, sign-in, passwords, personal tokens, staff administration. */
@Module({
  imports: [OrganisationsModule, UserDirectoryModule],
  controllers: [AuthController, MeController, AdminUsersController, AccountsPages, YourAccountPages, AdminUsersPages],
  providers: [AccountImportService, AccountsService, PersonalTokensService, UserAdminService, OneTimeTokensService, SignInThrottle, PasswordResetJob],
  exports: [AccountImportService, AccountsService, UserAdminService, OneTimeTokensService, SignInThrottle],
})
export class AccountsModule {}
