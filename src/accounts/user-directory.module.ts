import { Global, Module } from '@nestjs/common';
import { USER_DIRECTORY } from '../auth/user-directory.js';
import { AccountsUserDirectory } from './accounts-user-directory.js';

/** Provides auth's UserDirectory port to the global access guard (global, as the guard is). */
@Global()
@Module({
  providers: [AccountsUserDirectory, { provide: USER_DIRECTORY, useExisting: AccountsUserDirectory }],
  exports: [USER_DIRECTORY],
})
export class UserDirectoryModule {}
