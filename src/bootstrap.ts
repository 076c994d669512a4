import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { isApiRequest } from './auth/access.guard.js';
import { PgSessionStore } from './auth/pg-session-store.js';
import { createPino, PinoNestLogger } from './common/logger.js';
import { buildApiDocument } from './common/openapi.js';
import { GOVUK_DIR, PROJECT_ROOT } from './common/paths.js';
import { createValidationPipe, rejectHostileInput } from './common/validation.js';
import type { AppConfig } from './config/config.js';
import { BODY_LIMIT_BYTES, UPLOAD_LIMIT_BYTES } from './config/limits.js';
import { mountQueueDashboard } from './queue/queue-dashboard.js';
import { WorkerService } from './queue/worker.service.js';
import { ErrorFilter, respondWithError } from './web/error.filter.js';
import { InFlightRequests } from './web/in-flight-requests.js';
import { PageRenderer } from './web/page-renderer.js';

/**
 * Stops in the order that loses nothing: stop taking requests and let those in flight finish, then
 * stop the workers (running jobs finish), then close the database and Redis. (Nest's own close()
 * tears down the database before the HTTP server, which fails the requests still in flight.)
 */
export async function shutdown(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.close().catch((error: { code?: string }) => {
    if (error.code !== 'ERR_SERVER_NOT_RUNNING') throw error;
  });
  await inFlight.get(app)?.drained();
  await app.close();
}

const inFlight = new WeakMap<NestFastifyApplication, InFlightRequests>();

export interface StartOptions {
  /** Run the queue workers and outbox relay in this process. */
  workers: boolean;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The _csrf field read from the front of a multipart form, per request. */
const multipartCsrf = new WeakMap<FastifyRequest, string>();

/**
 * A multipart form's body is a stream the route reads itself, so the CSRF token is its first
 * field: read that one part here, and hand the route the rest of the same stream. A form whose
 * first part is not _csrf is refused by the CSRF check without reading any further.
 */
async function readMultipartCsrf(request: FastifyRequest): Promise<void> {
  const parts = request.parts({ preservePath: true })[Symbol.asyncIterator]();
  const first = await parts.next();
  if (!first.done && first.value.type === 'field' && first.value.fieldname === '_csrf') {
    multipartCsrf.set(request, String(first.value.value ?? ''));
  } else if (!first.done && first.value.type === 'file') {
    first.value.file.resume();
  }
  const rest = { [Symbol.asyncIterator]: () => parts };
  request.parts = (() => rest) as FastifyRequest['parts'];
}

/** Builds the whole application (HTTP, pages, API, workers). Used by main.ts and by the tests. */
export async function createApp(config: AppConfig, options: StartOptions): Promise<NestFastifyApplication> {
  const pino = createPino(config.logLevel);
  // Errors Fastify raises before routing (bad URL, over-long parameter) go through the same mapper.
  let pagesForFrameworkErrors: PageRenderer | null = null;
  const frameworkLogger = new Logger('HTTP');
  const adapter = new FastifyAdapter({
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      if (pagesForFrameworkErrors) void respondWithError(error, request, reply, pagesForFrameworkErrors, frameworkLogger);
      else void reply.status(400).send({ status: 400, code: 'REQUEST.BAD_URL', title: 'Bad request', detail: error.message });
    },
    loggerInstance: pino,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT_BYTES,
    // Only these proxies' X-Forwarded-For is believed (TRUST_PROXY): request.ip is then the client's.
    // (Fastify takes a number of hops too; the adapter's type omits it.)
    trustProxy: config.trustProxy as boolean | string[],
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(pino),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const pages = app.get(PageRenderer);
  pagesForFrameworkErrors = pages;

  // Errors raised by Fastify itself (body parsing, CSRF, limits) reach ErrorFilter through Nest's
  // own Fastify error handler, wrapped in an HttpException whose cause is the original.
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Chart bars set their width in a style attribute.
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.nodeEnv === 'production' ? [] : null,
      },
    },
    hsts: config.nodeEnv === 'production',
  });
  fastify.addHook('onSend', async (request, reply) => {
    // Swagger UI needs inline scripts and styles on its own pages only.
    if (request.url.startsWith('/api/docs') && !request.url.startsWith('/api/docs-json')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'");
    }
  });
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    cookieName: 'scf.sid',
    secret: config.sessionSecret,
    store: new PgSessionStore(app.get(DataSource), config.sessionIdleSeconds),
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.nodeEnv === 'production',
      path: '/',
      maxAge: config.sessionIdleSeconds * 1000,
    },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/session',
    // The token travels in the form body (multipart forms: the first field) or a header, never
    // in the URL, where it would be written to logs and browser history.
    getToken: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined;
      return fromBody ?? multipartCsrf.get(request) ?? (request.headers['x-csrf-token'] as string | undefined);
    },
  });
  // Every unsafe browser request carries the CSRF token (API requests use bearer tokens, never cookies).
  // (A callback hook: csrfProtection answers a bad token itself, without calling done.)
  fastify.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE.has(request.method) || isApiRequest(request)) return done();
    const check = () => fastify.csrfProtection(request, reply, done);
    if (request.isMultipart() && !request.headers['x-csrf-token']) readMultipartCsrf(request).then(check, done);
    else check();
  });
  await app.register(fastifyMultipart, {
    limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25 },
    throwFileSizeLimit: true,
  });
  await app.register(fastifyStatic, {
    root: join(PROJECT_ROOT, 'dist', 'public'),
    prefix: '/assets/',
    decorateReply: false,
    maxAge: config.nodeEnv === 'production' ? '1d' : 0,
  });
  await app.register(fastifyStatic, {
    root: join(GOVUK_DIR, 'govuk'),
    prefix: '/assets/govuk/',
    decorateReply: false,
    allowedPath: (path: string) => /^\/(assets\/images\/(?!govuk-crest|govuk-logo)|govuk-frontend\.min\.js)/.test(path),
  });

  // Hostile input stops here, before any parser, DTO or SQL sees it (see common/validation.ts).
  fastify.addHook('preValidation', async (request) => {
    rejectHostileInput(request);
  });

  app.useGlobalFilters(new ErrorFilter(pages));
  app.useGlobalPipes(createValidationPipe());
  const tracker = new InFlightRequests();
  app.useGlobalInterceptors(tracker);
  inFlight.set(app, tracker);

  // Built on the first request for the docs (about 0.7 s of every start, and of every test file's, otherwise).
  SwaggerModule.setup('api/docs', app, () => buildApiDocument(app), { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  await mountQueueDashboard(app);

  await app.init();
  if (options.workers) await app.get(WorkerService).start();
  return app;
}
