import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { actorOf, CurrentUser } from '../auth/request-context.js';
import { PageRenderer } from '../web/page-renderer.js';
import { CommunicationsQueryDto, uuidPipe } from './communications.controller.js';
import { CommunicationsService } from './communications.service.js';

@ApiExcludeController()
@Controller('staff/communications')
export class CommunicationsPages {
  constructor(
    private readonly communications: CommunicationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @StaffRead('grants_officer', 'administrator')
  async list(@Query() query: CommunicationsQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { items, total } = await this.communications.list(query);
    return this.pages.render(request, reply, 'pages/staff/communications/list.njk', {
      pageTitle: 'Communications',
      items,
      total,
      query,
      pages: Math.max(1, Math.ceil(total / query.pageSize)),
    });
  }

  @Get(':id')
  @StaffRead('grants_officer', 'administrator')
  async view(@Param('id', uuidPipe) id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const message = await this.communications.get(id);
    return this.pages.render(request, reply, 'pages/staff/communications/view.njk', {
      pageTitle: message.subject,
      message,
      backLink: '/staff/communications',
    });
  }

  /** The HTML version, isolated: no scripts, no same-origin access. */
  @Get(':id/html')
  @StaffRead('grants_officer', 'administrator')
  async html(@Param('id', uuidPipe) id: string, @Res() reply: FastifyReply) {
    const message = await this.communications.get(id);
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
      .send(message.htmlBody);
  }

  @Post(':id/resend')
  @Access('grants_officer', 'administrator')
  async resend(@Param('id', uuidPipe) id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.communications.resend(actorOf(request), id);
    this.pages.flash(request, 'The email has been queued to be sent again.');
    return reply.redirect(`/staff/communications/${id}`, 303);
  }

  @Post('test')
  @Access('administrator')
  async test(@CurrentUser() user: AuthenticatedUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const id = await this.communications.sendTest(actorOf(request), user.email, user.fullName);
    this.pages.flash(request, `A test email has been queued to ${user.email}.`);
    return reply.redirect(`/staff/communications/${id}`, 303);
  }
}
