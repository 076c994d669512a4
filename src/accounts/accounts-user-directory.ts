import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isStaffRole } from '../auth/roles.js';
import type { AccountForAccess, UserDirectory } from '../auth/user-directory.js';
import { isUuid } from '../common/ids.js';
import { User } from './user.entity.js';

/** Accounts' side of auth's UserDirectory port: the signed-in person's account, in one query. */
@Injectable()
export class AccountsUserDirectory implements UserDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async accountForAccess(userId: string): Promise<AccountForAccess | null> {
    if (!isUuid(userId)) return null;
    const user = await this.dataSource.manager.findOne(User, {
      where: { id: userId },
      select: { id: true, email: true, fullName: true, roles: true, emailVerifiedAt: true, disabledAt: true },
    });
    if (!user) return null;
    return {
      id: user.id,
      email: user.email,
      fullName: user.fullName,
      roles: user.roles.filter(isStaffRole),
      emailVerified: user.emailVerifiedAt !== null,
      disabled: user.disabledAt !== null,
    };
  }
}
