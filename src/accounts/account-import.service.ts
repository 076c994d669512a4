import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StaffRole } from '../auth/roles.js';
import { User } from './user.entity.js';

/** An account made by the system, already confirmed, with a password hash made by the caller. */
export interface ConfirmedAccount {
  email: string;
  fullName: string;
  passwordHash: string;
  roles: StaffRole[];
}

/**
 * Accounts the system makes itself (the demo's people, who share the demo password): nobody
 * registers them, so no confirmation email is sent. Writes accounts' own table only.
 */
@Injectable()
export class AccountImportService {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether the service has any account yet (the demo loads into an empty database only). */
  async anyAccount(): Promise<boolean> {
    return (await this.dataSource.manager.count(User, { take: 1 })) > 0;
  }

  /** Makes the accounts, confirmed now; returns their ids by email. */
  async importConfirmed(accounts: ConfirmedAccount[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const a of accounts) {
      const [row]: { id: string }[] = await this.dataSource.query(
        `INSERT INTO users (email, full_name, password_hash, email_verified_at, roles, password_changed_at) VALUES ($1, $2, $3, now(), $4, now()) RETURNING id`,
        [a.email, a.fullName, a.passwordHash, a.roles],
      );
      ids.set(a.email, row.id);
    }
    return ids;
  }
}
