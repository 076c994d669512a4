import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type nunjucks from 'nunjucks';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { DomainError } from '../common/errors.js';
import '../auth/session-data.js';
import { navigationFor } from './navigation.js';
import { createNunjucks } from './nunjucks.js';

export interface FormErrors {
  /** For govukErrorSummary: each links to its field. */
  errorList: { text: string; href: string }[];
  /** field name -> message, for each component's errorMessage. */
  errors: Record<string, string>;
}

/** Turns a validation DomainError into what a page needs for its error summary and fields. */
export function formErrorsOf(error: DomainError): FormErrors {
  const fields = error.errors.length ? error.errors : [{ field: '', code: error.code, message: error.message }];
  const errors: Record<string, string> = {};
  for (const f of fields) if (f.field && !errors[f.field]) errors[f.field] = f.message;
  return {
    errorList: fields.map((f) => ({ text: f.message, href: f.field ? `#${f.field.replace(/\./g, '-')}` : '#main-content' })),
    errors,
  };
}

/** Renders Nunjucks pages with what every page needs: user, navigation, CSRF token, flash. */
@Injectable()
export class PageRenderer {
  private readonly env: nunjucks.Environment = createNunjucks({ autoescape: true });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async render(
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    context: Record<string, unknown> = {},
    status = 200,
  ): Promise<FastifyReply> {
    const html = await this.renderToString(request, reply, template, context);
    return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  }

  async renderToString(
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    context: Record<string, unknown> = {},
  ): Promise<string> {
    const session = request.session;
    const flash = session?.flash ?? null;
    if (flash) session.flash = undefined;
    const csrfToken = session && typeof reply.generateCsrf === 'function' ? reply.generateCsrf() : '';
    const user = request.user ?? null;
    const path = request.url.split('?')[0];
    return this.env.render(template, {
      serviceName: 'Safer Communities Fund',
      isDevelopment: this.config.nodeEnv !== 'production',
      user,
      navigation: navigationFor(user, path),
      currentPath: path,
      csrfToken,
      flash,
      requestId: request.id,
      cspNonce: (reply as unknown as { cspNonce?: { script: string } }).cspNonce?.script,
      ...context,
    });
  }

  /** Sets a one-time message shown on the next page. */
  flash(request: FastifyRequest, text: string, heading?: string, type: 'success' | 'info' = 'success'): void {
    request.session.flash = { type, heading, text };
  }
}
