import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PageRenderer } from './page-renderer.js';

/** The address part of MAIL_FROM ("Name <grants@example.org>" or a bare address). */
export function supportAddress(mailFrom: string): string | null {
  const address = (/<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom).trim();
  // A development default such as grants@localhost is nobody's inbox: do not publish it.
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) ? address : null;
}

/** When the statements below were last reviewed (change it with their text). */
const STATEMENTS_REVIEWED = '2026-12-01';

/** What the service keeps and for how long, as published in the privacy notice. */
const RETENTION_PERIODS = [
  { category: 'Your account', period: 'While you use the service; you can ask us to close it' },
  { category: 'Applications, decisions and grants', period: 'As the funder’s retention policy sets for financial records' },
  { category: 'The record of who did what and when', period: 'As long as the grants it explains' },
  { category: 'Sign-in sessions', period: 'Until you sign out or the session expires' },
  { category: 'Email confirmation and password reset links', period: '30 days after they are used or expire' },
  { category: 'API keys', period: '90 days after they are revoked or expire' },
];

/** The pages every footer links to: the accessibility statement and the privacy notice. */
@ApiExcludeController()
@Controller()
export class InfoPages {
  constructor(
    private readonly pages: PageRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('accessibility')
  @Access('public')
  accessibility(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/accessibility.njk', {
      supportEmail: supportAddress(this.config.mailFrom),
      statementDate: STATEMENTS_REVIEWED,
    });
  }

  @Get('privacy')
  @Access('public')
  privacy(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/privacy.njk', {
      supportEmail: supportAddress(this.config.mailFrom),
      retentionPeriods: RETENTION_PERIODS,
    });
  }
}
