import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../common/errors.js';
import { ACCESS, type AccessRule } from './access.decorator.js';
import { ApiTokenService } from './api-token.service.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { USER_DIRECTORY, type UserDirectory } from './user-directory.js';
import './session-data.js';

export const isApiRequest = (request: FastifyRequest) => request.url.startsWith('/api/');

/**
 * Every route declares who may call it with @Access; a route without a declaration is refused.
 * API routes authenticate with bearer tokens only; pages with the session cookie only (so a
 * page's cookie can never be used cross-site against the API).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(USER_DIRECTORY) private readonly users: UserDirectory,
    private readonly tokens: ApiTokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rules = this.reflector.getAllAndOverride<AccessRule[] | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!rules || rules.length === 0) {
      throw new DomainError('forbidden', 'ACCESS.UNDECLARED', 'This route does not declare who may call it');
    }
    const user = await this.authenticate(request);
    request.user = user;
    if (rules.includes('public')) return true;
    if (!user) throw new DomainError('unauthenticated', 'AUTH.REQUIRED', 'You need to sign in to do this');
    if (rules.includes('user')) return true;
    if (user.roles.some((role) => rules.includes(role))) return true;
    throw new DomainError('forbidden', 'ACCESS.FORBIDDEN', 'You do not have permission to do this');
  }

  /** Resolves the caller once per request (cached on the request). */
  async authenticate(request: FastifyRequest): Promise<AuthenticatedUser | null> {
    if (request.user !== undefined) return request.user;
    let user: AuthenticatedUser | null = null;
    if (isApiRequest(request)) {
      const header = request.headers.authorization;
      if (header) {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new DomainError('unauthenticated', 'AUTH.MALFORMED_HEADER', 'The Authorization header must be "Bearer <token>"');
        const userId = await this.tokens.verify(match[1]);
        if (!userId) throw new DomainError('unauthenticated', 'AUTH.INVALID_TOKEN', 'The token is not valid, has expired or was revoked');
        user = await this.load(userId, 'token');
        if (!user) throw new DomainError('unauthenticated', 'AUTH.INVALID_TOKEN', 'The token is not valid, has expired or was revoked');
      }
    } else {
      const session = request.session;
      const userId = session?.userId;
      if (session && userId) {
        const expired = !session.signedInAt || Date.now() - session.signedInAt > this.config.sessionAbsoluteSeconds * 1000;
        user = expired ? null : await this.load(userId, 'session');
        // A fresh, empty session (not none): the page can still carry a CSRF token and returnTo.
        if (!user) await session.regenerate();
      }
    }
    request.user = user;
    return user;
  }

  private async load(userId: string, via: AuthenticatedUser['via']): Promise<AuthenticatedUser | null> {
    const account = await this.users.accountForAccess(userId);
    if (!account || account.disabled || !account.emailVerified) return null;
    return { id: account.id, email: account.email, fullName: account.fullName, roles: account.roles, emailVerified: true, via };
  }
}
