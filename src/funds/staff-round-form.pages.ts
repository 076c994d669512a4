import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import { hasRole } from '../auth/authenticated-user.js';
import { actorOf } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { PageRenderer } from '../web/page-renderer.js';
import { pageErrors } from './page-helpers.js';
import { isRoundFormEditable } from './round-lifecycle.js';
import { RoundReader } from './round-reader.service.js';
import { RoundSetupService } from './round-setup.service.js';
import type { RoundStatus } from './round.entity.js';
import { RoundsService } from './rounds.service.js';
import { STAFF_VIEWER } from './viewer.js';

type Form = Record<string, unknown>;

/** A round's application form: its versions, and changing it as JSON (while the lifecycle lets it change). */
@ApiExcludeController()
@Controller('staff/rounds')
export class StaffRoundFormPages {
  constructor(
    private readonly reader: RoundReader,
    private readonly setup: RoundSetupService,
    private readonly rounds: RoundsService,
    private readonly pages: PageRenderer,
  ) {}


  @Get(':id/form')
  @StaffRead('grants_officer')
  async viewForm(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.reader.getRoundView(id, STAFF_VIEWER);
    const versions = await this.reader.formVersions(id);
    return this.pages.render(request, reply, 'pages/staff/rounds/form.njk', {
      pageTitle: 'Application form',
      round,
      form: versions.find((v) => v.current) ?? null,
      versions,
      canEdit: hasRole(request.user, 'grants_officer') && isRoundFormEditable(round.status),
      backLink: `/staff/rounds/${id}`,
    });
  }

  @Get(':id/form/edit')
  @Access('grants_officer')
  async editForm(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.reader.getRoundView(id, STAFF_VIEWER);
    const form = await this.rounds.getCurrentForm(round.id);
    const definition = JSON.stringify(form?.definition ?? EXAMPLE_FORM, null, 2);
    return this.formEditor(request, reply, round, definition);
  }

  @Post(':id/form/edit')
  @Access('grants_officer')
  async saveForm(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.reader.getRoundView(id, STAFF_VIEWER);
    const raw = typeof body?.definition === 'string' ? body.definition : '';
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (e) {
        throw new DomainError('validation', 'FORM.NOT_JSON', 'The form is not valid JSON', [
          { field: 'definition', code: 'FORM.NOT_JSON', message: `The form is not valid JSON: ${(e as Error).message}` },
        ]);
      }
      const saved = await this.setup.saveForm(actorOf(request), id, parsed);
      this.pages.flash(request, `Form version ${saved.version} saved`);
      return reply.redirect(`/staff/rounds/${id}/form`, 303);
    } catch (error) {
      const errors = pageErrors(error);
      // Every problem is somewhere in the one text box.
      errors.errorList = errors.errorList.map((e) => ({ ...e, href: '#definition' }));
      errors.errors = { definition: errors.errorList.map((e) => e.text).join('. ') };
      return this.formEditor(request, reply, round, raw, errors);
    }
  }

  private formEditor(request: FastifyRequest, reply: FastifyReply, round: { id: string; code: string; title: string; status: RoundStatus }, definition: string, errors?: ReturnType<typeof pageErrors>) {
    return this.pages.render(
      request,
      reply,
      'pages/staff/rounds/form-edit.njk',
      { pageTitle: 'Change the application form', round, definition, backLink: `/staff/rounds/${round.id}/form`, ...(errors ?? {}) },
      errors?.status ?? 200,
    );
  }
}

/** A starting point for a round's first form. */
const EXAMPLE_FORM = {
  sections: [
    {
      key: 'project',
      title: 'Your project',
      questions: [
        { key: 'need', type: 'text', label: 'What need will your project meet?', required: true, wordLimit: 300 },
        { key: 'activities', type: 'text', label: 'What will you do?', required: true, wordLimit: 500 },
      ],
    },
  ],
};
