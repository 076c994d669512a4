import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { PageRenderer } from '../web/page-renderer.js';
import { RoundSetupService } from './round-setup.service.js';
import { viewerOf } from './viewer.js';

/** Public pages: the rounds open for bids (and those opening soon), and each round's details. */
@ApiExcludeController()
@Controller('rounds')
export class RoundsPages {
  constructor(
    private readonly setup: RoundSetupService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Access('public')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { items } = await this.setup.listRounds({ page: 1, pageSize: 100 }, { canSeeDrafts: false });
    return this.pages.render(request, reply, 'pages/rounds/index.njk', {
      pageTitle: 'Funding rounds',
      open: items.filter((r) => r.status === 'open' && r.acceptingApplications),
      upcoming: items.filter((r) => r.status === 'scheduled'),
    });
  }

  @Get(':id')
  @Access('public')
  async show(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    // Staff see drafts here too, as a preview of the public page.
    const round = await this.setup.getRoundView(id, viewerOf(request.user));
    return this.pages.render(request, reply, 'pages/rounds/show.njk', {
      pageTitle: round.title,
      round,
      backLink: '/rounds',
    });
  }
}
