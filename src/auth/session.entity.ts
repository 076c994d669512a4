import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Browser sessions (server-side store for @fastify/session), so sign-out everywhere is a DELETE. */
@Entity('sessions')
export class SessionRecord {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  sid: string;

  @Index('ix_sessions_user')
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Index('ix_sessions_expires')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
