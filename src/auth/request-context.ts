import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from './actor.js';
import type { AuthenticatedUser } from './authenticated-user.js';

declare module 'fastify' {
  interface FastifyRequest {
    user?: AuthenticatedUser | null;
  }
}

export function actorOf(request: FastifyRequest): Actor {
  const user = request.user;
  return { userId: user?.id ?? null, label: user?.email ?? 'anonymous', requestId: String(request.id) };
}

/** The signed-in user (the guard has already refused anonymous callers where a user is needed). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthenticatedUser => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return request.user as AuthenticatedUser;
});

/** The actor for the audit trail: user and request id. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor =>
  actorOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
