import type { LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino } from 'pino';

/** Query parameters that carry secrets: CSRF tokens and single-use link tokens. */
const SECRET_PARAMS = /([?&](?:_csrf|csrf|token|code)=)[^&#]*/gi;

/** A URL fit for a log: secret query parameters replaced by [redacted]. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_PARAMS, '$1[redacted]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  hostname?: string;
  ip?: string;
  socket?: { remoteAddress?: string; remotePort?: number };
}

/** Structured JSON logs (pino); HTTP request logs carry the request id (Fastify's reqId). */
export function createPino(level: string, destination?: NodeJS.WritableStream): Pino {
  const options = {
    level,
    base: { service: 'scf' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], remove: true },
    serializers: {
      // Fastify's request serializer, with tokens taken out of the URL.
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host ?? req.hostname,
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Nest's own start-up chatter (a line per module, controller and route: about 220 lines) is for
 * whoever debugs the framework, not for a person starting the service: it is logged at debug.
 */
export const FRAMEWORK_STARTUP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Nest's logger interface over pino, so framework messages are JSON too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  private write(requested: 'info' | 'warn' | 'error' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const level = requested === 'info' && context && FRAMEWORK_STARTUP_CONTEXTS.has(context) ? 'debug' : requested;
    if (message && typeof message === 'object') {
      const extra = typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
      this.pino[level]({ context, ...(message as object) }, extra ?? '');
    } else {
      this.pino[level]({ context }, String(message));
    }
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
}
