import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { isUuid } from '../common/ids.js';
import type { StaffRole } from '../auth/roles.js';
import { User } from './user.entity.js';

/** A person as other modules show them: never the password, roles or account state. */
export interface PersonRef {
  id: string;
  email: string;
  fullName: string;
}

/**
 * The one door to people's names and addresses for other modules (accounts owns the users table).
 * Its own small module (people.module.ts), so modules that accounts itself uses can read it too.
 */
@Injectable()
export class PeopleReader {
  constructor(private readonly dataSource: DataSource) {}

  /** People by id, as a map (ids with no account are simply missing). */
  async byIds(ids: readonly string[], manager?: EntityManager): Promise<Map<string, PersonRef>> {
    const valid = [...new Set(ids.filter((id) => isUuid(id)))];
    if (!valid.length) return new Map();
    const users = await (manager ?? this.dataSource.manager).find(User, { where: { id: In(valid) }, select: { id: true, email: true, fullName: true } });
    return new Map(users.map((u) => [u.id, { id: u.id, email: u.email, fullName: u.fullName }]));
  }

  /** Of these people, the ids of those who hold a staff role (one query). */
  async holdingRole(ids: readonly string[], role: StaffRole, manager?: EntityManager): Promise<Set<string>> {
    const valid = [...new Set(ids.filter((id) => isUuid(id)))];
    if (!valid.length) return new Set();
    const rows: { id: string }[] = await (manager ?? this.dataSource.manager).query(`SELECT id FROM users WHERE id = ANY($1::uuid[]) AND $2 = ANY(roles)`, [valid, role]);
    return new Set(rows.map((r) => r.id));
  }

  /** Everyone holding a staff role, by name (grants officers to tell of unassigned bids). */
  async withRole(role: StaffRole, manager?: EntityManager): Promise<PersonRef[]> {
    const rows: PersonRef[] = await (manager ?? this.dataSource.manager).query(`SELECT id, email, full_name AS "fullName" FROM users WHERE $1 = ANY(roles) ORDER BY email`, [role]);
    return rows;
  }

  /** The person with this (already normalised, lower-case) email address, or null. */
  async byEmail(email: string, manager?: EntityManager): Promise<PersonRef | null> {
    const user = await (manager ?? this.dataSource.manager).findOne(User, { where: { email }, select: { id: true, email: true, fullName: true } });
    return user ? { id: user.id, email: user.email, fullName: user.fullName } : null;
  }
}
