import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * One Idempotency-Key a caller sent to a route that changes money or decisions, with the hash of
 * the request it first came with and the response it got. Keys are scoped per caller: two people
 * may use the same key. Written in the same transaction as the change it guards.
 */
@Entity('idempotency_keys')
@Unique('uq_idempotency_keys_caller_key', ['callerId', 'key'])
export class IdempotencyKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'caller_id', type: 'uuid' })
  callerId: string;

  @Column({ type: 'varchar', length: 200 })
  key: string;

  /** What the key was used for, e.g. "POST /api/v1/panels/{id}/decisions" with the id filled. */
  @Column({ type: 'varchar', length: 300 })
  scope: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'response_status', type: 'int' })
  responseStatus: number;

  /** `json`, not `jsonb`: a replay returns the body with its keys in the first response's order. */
  @Column({ name: 'response_body', type: 'json' })
  responseBody: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
