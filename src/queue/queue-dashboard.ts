import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccessGuard } from '../auth/access.guard.js';
import { DomainError } from '../common/errors.js';
import { QueueService } from './queue.service.js';
import { Logger } from '@nestjs/common';
import { respondWithError } from '../web/error.filter.js';
import { PageRenderer } from '../web/page-renderer.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const SYSTEM_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
/** Bull Board's page loads a web font from a third party, which the policy (rightly) blocks. */
const THIRD_PARTY_FONT = /<link[^>]+fonts\.googleapis\.com[^>]*>/g;

/** Bull Board at /admin/queues, for administrators only (checked before every request). */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const guard = app.get(AccessGuard);
  const pages = app.get(PageRenderer);
  const logger = new Logger('QueueDashboard');
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(app.get(QueueService).queue)],
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'Queues – Safer Communities Fund',
        // A way back to the service, and the system font instead of one from a third party.
        miscLinks: [{ text: 'Back to the service', url: '/admin/users' }],
        hideDocsLink: true,
        theme: { light: { 'font-sans': SYSTEM_FONT }, dark: { 'font-sans': SYSTEM_FONT } },
      },
    },
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await fastify.register(
    async (scope: FastifyInstance) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        // Bull Board has its own error handler, so refusals are answered here, as everywhere else.
        const user = await guard.authenticate(request);
        const refusal = !user
          ? new DomainError('unauthenticated', 'AUTH.REQUIRED', 'You need to sign in to do this')
          : !user.roles.includes('administrator')
            ? new DomainError('forbidden', 'ACCESS.FORBIDDEN', 'Only administrators can see the queues')
            : null;
        if (refusal) {
          await respondWithError(refusal, request, reply, pages, logger);
          return reply;
        }
        // Bull Board's UI uses inline styles and scripts.
        reply.header(
          'content-security-policy',
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; font-src 'self' data:",
        );
      });
      scope.addHook('onSend', async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').includes('text/html')) return payload;
        return payload.replace(THIRD_PARTY_FONT, '');
      });
      await scope.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
    },
  );
}
