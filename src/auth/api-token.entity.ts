import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';

export const API_TOKEN_KINDS = ['sign_in', 'personal'] as const;
export type ApiTokenKind = (typeof API_TOKEN_KINDS)[number];

/** Bearer tokens for the JSON API. Only the SHA-256 of the secret is stored. */
@Entity('api_tokens')
@Check('chk_api_tokens_kind', oneOf('kind', API_TOKEN_KINDS))
export class ApiToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_api_tokens_user')
  @Column({ name: 'user_id', type: 'uuid' })
  // The users table is accounts': a foreign key by table name, not a relation to its entity.
  @ForeignKey('users', { name: 'fk_api_tokens_user', onDelete: 'CASCADE' })
  userId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: ApiTokenKind;

  @Index('uq_api_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  /** First characters of the token, shown so people can tell their tokens apart. */
  @Column({ name: 'token_prefix', type: 'varchar', length: 16 })
  tokenPrefix: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
