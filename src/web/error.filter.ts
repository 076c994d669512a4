import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isApiRequest } from '../auth/access.guard.js';
import { DomainError } from '../common/errors.js';
import { redactUrl } from '../common/logger.js';
import { DEPENDENCY_RETRY_AFTER_SECONDS, toProblem } from '../common/problem.js';
import type { PageRenderer } from './page-renderer.js';
import '../auth/session-data.js';

const ERROR_PAGES = new Set([401, 403, 404, 429, 500]);

/** Maps every error once: problem+json for the API and health, an error page for browsers. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly pages: PageRenderer) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    await respondWithError(exception, request, reply, this.pages, this.logger);
  }
}

export async function respondWithError(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  pages: PageRenderer,
  logger: Logger,
  /** Answer problem+json whatever the path (for JSON endpoints outside /api, such as the queue board's). */
  options: { json?: boolean } = {},
): Promise<void> {
  const problem = toProblem(exception);
  if (problem.status >= 500) {
    logger.error({ err: exception, reqId: request.id, url: redactUrl(request.url) }, exception instanceof Error ? exception.stack : String(exception));
  }
  if (reply.sent) return;
  // "Too many requests" errors that say how long to wait carry Retry-After, for pages and API alike.
  const retryAfter = exception instanceof DomainError ? exception.extra.retryAfterSeconds : undefined;
  if (problem.status === 429 && typeof retryAfter === 'number') reply.header('retry-after', String(Math.ceil(retryAfter)));
  // A dependency that is down (PostgreSQL, Redis) is a 503: the request may succeed later.
  if (problem.status === 503) {
    reply.header('retry-after', String(problem.retryAfterSeconds ?? DEPENDENCY_RETRY_AFTER_SECONDS));
    // The session cannot be saved either: answering must not try (its failure would replace this
    // answer with Fastify's raw error, the database's address included).
    (request as { session?: unknown }).session = undefined;
  }
  if (options.json || isApiRequest(request) || request.url.startsWith('/health')) {
    if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
    await reply
      .status(problem.status)
      .type('application/problem+json')
      .send({ ...problem, instance: request.url.split('?')[0], requestId: request.id });
    return;
  }
  if (problem.status === 401 && request.session) {
    if (request.method === 'GET') request.session.returnTo = request.url;
    await reply.redirect('/sign-in', 303);
    return;
  }
  const page = ERROR_PAGES.has(problem.status) ? problem.status : problem.status >= 500 ? 500 : null;
  try {
    if (page) {
      await pages.render(request, reply, `errors/${page}.njk`, { pageTitle: problem.title, detail: problem.detail }, problem.status);
    } else {
      await pages.render(request, reply, 'errors/generic.njk', { pageTitle: problem.title, detail: problem.detail, status: problem.status }, problem.status);
    }
  } catch (renderError) {
    logger.error({ err: renderError, reqId: request.id }, 'Error page could not be rendered');
    if (!reply.sent) await reply.status(problem.status).type('text/plain').send(`${problem.title}. Reference: ${request.id}`);
  }
}
