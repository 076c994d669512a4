import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccessGuard } from '../auth/access.guard.js';
import { DomainError } from '../common/errors.js';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { QUEUE_NAME } from './queue.service.js';
import { createRedis } from './redis.js';
import { respondWithError } from '../web/error.filter.js';
import { DEPENDENCY_RETRY_AFTER_SECONDS, isDependencyDown, toProblem } from '../common/problem.js';
import { PageRenderer } from '../web/page-renderer.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const SYSTEM_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
/** Bull Board's page loads a web font from a third party, which the policy (rightly) blocks. */
const THIRD_PARTY_FONT = /<link[^>]+fonts\.googleapis\.com[^>]*>/g;

const queuesUnavailable = () => new DomainError('unavailable', 'QUEUE.UNAVAILABLE', 'The queues cannot be read right now because the job store is not answering: try again shortly');

/**
 * Bull Board at /admin/queues, for administrators only (checked before every request).
 *
 * The board reads Redis on every request. It gets its own connection whose every command gives up
 * after REDIS_REQUEST_TIMEOUT_MS and fails at once while disconnected, and each request first
 * checks Redis answers, so a frozen or stopped Redis gives a prompt 503 with Retry-After rather
 * than a request that hangs (the workers' connection waits forever by design; this one must not).
 */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const guard = app.get(AccessGuard);
  const pages = app.get(PageRenderer);
  const config = app.get<AppConfig>(APP_CONFIG);
  const logger = new Logger('QueueDashboard');
  const connection = createRedis(config.redisUrl, {
    commandTimeout: config.redisRequestTimeoutMs,
    connectTimeout: Math.max(1000, config.redisRequestTimeoutMs * 2),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  connection.on('error', () => undefined); // reported by /health/ready; each request answers 503 itself
  const queue = new Queue(QUEUE_NAME, { connection, prefix: config.queuePrefix });
  // BullMQ re-emits the connection's errors on the queue; without a listener Node reports each as unhandled.
  queue.on('error', () => undefined);
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(queue)],
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
  // Bull Board answers anything its handlers throw with a 500 and the error's message. A Redis
  // command that timed out or a connection that closed after the PING (Redis slowed down or went
  // away mid-request) is the job store being unavailable: the same 503 as above. Anything else is
  // logged and answered as our 500, without internals.
  serverAdapter.setErrorHandler((error) => {
    if (isDependencyDown(error)) {
      logger.warn(`Queue dashboard: the job store did not answer (${error.message})`);
      // Bull Board's type lists the statuses its own handlers use; the adapter sends whatever it is given.
      return { status: 503 as 500, body: toProblem(queuesUnavailable()) };
    }
    logger.error(`Queue dashboard failed: ${error.stack ?? error.message}`);
    return { status: 500, body: toProblem(error) };
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
        if (!(await answers(connection))) {
          // The board's own API is called by its script, which reads JSON.
          const json = request.url.startsWith(`${QUEUE_DASHBOARD_PATH}/api/`);
          await respondWithError(queuesUnavailable(), request, reply, pages, logger, { json });
          return reply;
        }
        // Bull Board's UI uses inline styles and scripts.
        reply.header(
          'content-security-policy',
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; font-src 'self' data:",
        );
      });
      scope.addHook('onClose', async () => {
        await queue.close().catch(() => undefined);
        connection.disconnect();
      });
      scope.addHook('onSend', async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        if (reply.statusCode === 503 && !reply.getHeader('retry-after')) reply.header('retry-after', String(DEPENDENCY_RETRY_AFTER_SECONDS));
        if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').includes('text/html')) return payload;
        return payload.replace(THIRD_PARTY_FONT, '');
      });
      await scope.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
    },
  );
}

/** Whether Redis answers a PING within the connection's command timeout. */
async function answers(connection: Redis): Promise<boolean> {
  try {
    return (await connection.ping()) === 'PONG';
  } catch {
    return false;
  }
}
