import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors.js';
import { respondWithError } from '../web/error.filter.js';
import { PageRenderer } from '../web/page-renderer.js';

/**
 * Adds a Retry-After header to "too many requests" errors that say how long to wait
 * (extra.retryAfterSeconds), then maps the error as the global filter does.
 * Use with @UseFilters(RetryAfterFilter) on controllers that throttle.
 */
@Catch(DomainError)
export class RetryAfterFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly pages: PageRenderer) {}

  async catch(exception: DomainError, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const retryAfter = exception.extra.retryAfterSeconds;
    if (exception.kind === 'too_many_requests' && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    await respondWithError(exception, request, reply, this.pages, this.logger);
  }
}
