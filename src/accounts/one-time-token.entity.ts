import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from './user.entity.js';
import { oneOf } from '../database/checks.js';

export const ONE_TIME_TOKEN_PURPOSES = ['verify_email', 'reset_password', 'staff_invite'] as const;
export type OneTimeTokenPurpose = (typeof ONE_TIME_TOKEN_PURPOSES)[number];

/** Single-use, expiring emailed links. Only the SHA-256 of the token is stored. */
@Entity('one_time_tokens')
@Check('chk_one_time_tokens_purpose', oneOf('purpose', ONE_TIME_TOKEN_PURPOSES))
export class OneTimeToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_one_time_tokens_user')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_one_time_tokens_user' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 30 })
  purpose: OneTimeTokenPurpose;

  @Index('uq_one_time_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
