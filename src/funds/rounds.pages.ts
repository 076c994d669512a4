import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { PageRenderer } from '../web/page-renderer.js';
import { RoundReader } from './round-reader.service.js';
import { viewerOf } from './viewer.js';

/** Public pages: the rounds open for bids (and those opening soon), and each round's details. */
@ApiExcludeController()
@Controller('rounds')
export class RoundsPages {
  constructor(
    private readonly reader: RoundReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Access('public')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { items } = await this.reader.listRounds({ page: 1, pageSize: 100 }, { canSeeDrafts: false });
    return this.pages.render(request, reply, 'pages/rounds/index.njk', {
      pageTitle: 'Funding rounds',
      open: items.filter((r) => r.acceptingApplications),
      upcoming: items.filter((r) => r.status === 'scheduled'),
    });
  }

  @Get(':id')
  @Access('public')
  async show(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    // Staff see drafts here too, as a preview of the public page.
    const round = await this.reader.getRoundView(id, viewerOf(request.user));
    return this.pages.render(request, reply, 'pages/rounds/show.njk', {
      pageTitle: round.title,
      round,
      backLink: '/rounds',
    });
  }
}
