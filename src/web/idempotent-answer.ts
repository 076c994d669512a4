import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

/** The Idempotency-Key header as money routes document it (the same words as panels'). */
export const IdempotencyKeyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Optional, 1–200 of A–Z a–z 0–9 . _ : ~ -, scoped to you. The same key with the same body replays the first response (status and body, with `Idempotent-Replayed: true`); ' +
      'the same key with another body is 422 IDEMPOTENCY.KEY_REUSED. Without the header the request is accepted with no idempotency.',
  });

/** Sets the stored status (a replay answers as the first request did) and says when it is a replay. */
export function idempotentAnswer<T>(reply: FastifyReply, stored: { status: number; body: T; replayed: boolean }): T {
  reply.status(stored.status);
  if (stored.replayed) reply.header('idempotent-replayed', 'true');
  return stored.body;
}
