import { Inject, Injectable } from '@nestjs/common';
import type nunjucks from 'nunjucks';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { createNunjucks } from '../web/nunjucks.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Emails are written once, in templates/emails/<name>.njk, extending emails/_layout.njk and using
 * the macros in emails/_macros.njk. The same template renders three times: subject, plain text and
 * HTML (the macros and layout switch on `format`).
 */
@Injectable()
export class MailRenderer {
  private readonly html: nunjucks.Environment = createNunjucks({ autoescape: true });
  private readonly text: nunjucks.Environment = createNunjucks({ autoescape: false });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  render(template: string, data: Record<string, unknown>): RenderedEmail {
    const file = `emails/${template}.njk`;
    const context = { ...data, publicUrl: this.config.publicUrl, serviceName: 'Safer Communities Fund' };
    const subject = this.text.render(file, { ...context, format: 'subject' }).trim().replace(/\s+/g, ' ');
    const text = this.text
      .render(file, { ...context, format: 'text' })
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    const html = this.html.render(file, { ...context, format: 'html' });
    if (!subject) throw new Error(`Email template ${file} has no subject block`);
    return { subject, text: text + '\n', html };
  }
}
