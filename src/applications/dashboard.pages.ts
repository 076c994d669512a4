import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { ATTACHMENT_KIND_LABELS } from '../attachments/attachments.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { PageRenderer } from '../web/page-renderer.js';
import { base, partsOf, sectionChangeable, statusTag } from './applicant-pages.js';
import { isWithdrawable, mayChangePart, STATUS_TAG_CLASSES } from './application-lifecycle.js';
import { ApplicationReader } from './application-reader.js';
import { ApplicationsService } from './applications.service.js';

const PAGE_SIZE = 25;

/** The applicant's dashboard of their organisations' bids, and each bid's task list. */
@ApiExcludeController()
@Controller()
export class DashboardPages {
  constructor(
    private readonly reader: ApplicationReader,
    private readonly organisations: OrganisationsService,
    private readonly applications: ApplicationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('dashboard')
  @Access('user')
  async dashboard(@CurrentUser() user: AuthenticatedUser, @Query('page') page: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const pageNumber = /^\d{1,5}$/.test(page ?? '') && Number(page) > 0 ? Number(page) : 1;
    // The dashboard is always the person's own organisations' bids, whatever staff roles they hold.
    const list = await this.reader.list(user, { page: pageNumber, pageSize: PAGE_SIZE }, 'own');
    const organisations = (await this.organisations.list(user, { page: 1, pageSize: 100 }, 'mine')).items;
    return this.pages.render(request, reply, 'pages/dashboard.njk', {
      pageTitle: 'Your applications',
      applications: list.items.map((a) => ({ ...a, tagClass: STATUS_TAG_CLASSES[a.status] })),
      total: list.total,
      page: pageNumber,
      pages: Math.ceil(list.total / PAGE_SIZE),
      organisations: organisations.map((o) => ({ id: o.id, name: o.name, contactEmail: o.contactEmail })),
    });
  }

  @Get('applications/:id')
  @Access('user')
  async taskList(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    const hrefOf = (s: (typeof app.sections)[number]) =>
      s.kind === 'project' ? `${base(app.id)}/project` : s.kind === 'budget' ? `${base(app.id)}/budget` : `${base(app.id)}/sections/${s.key}`;
    const items = app.sections.map((s) => ({
      title: { text: s.title },
      href: hrefOf(s),
      status: statusTag(s.status),
    }));
    // While more information is asked for: the named parts, each changeable; every other part as it is.
    const moreInfo = app.moreInformation
      ? {
          ...app.moreInformation,
          items: app.sections.map((s) => {
            const open = sectionChangeable(app, s.key);
            return {
              title: { text: s.title },
              ...(open ? { href: hrefOf(s) } : {}),
              hint: open ? { text: 'You can change this section' } : undefined,
              status: open ? { tag: { text: 'Change needed', classes: 'govuk-tag--yellow' } } : { text: 'Cannot be changed' },
            };
          }),
          kinds: app.moreInformation.attachmentKinds.map((k) => ATTACHMENT_KIND_LABELS[k as keyof typeof ATTACHMENT_KIND_LABELS] ?? k),
          filesOpen: mayChangePart(partsOf(app), { attachmentKind: null }),
        }
      : null;
    const completed = app.sections.filter((s) => s.status === 'completed').length;
    return this.pages.render(request, reply, 'pages/applications/task-list.njk', {
      pageTitle: app.projectTitle ?? 'Your application',
      app,
      items,
      // One count from one source: the rows of the task list are the sections, and nothing else.
      completed,
      totalSections: items.length,
      attachmentCount: app.attachments.length,
      allCompleted: completed === app.sections.length,
      statusTagClass: STATUS_TAG_CLASSES[app.status],
      canWithdraw: isWithdrawable(app.status),
      moreInfo,
      backLink: '/dashboard',
    });
  }

  @Post('applications/:id/resubmit')
  @Access('user')
  async resubmit(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    await this.applications.resubmit(user, actor, app.id);
    this.pages.flash(request, 'We will check the information you sent and tell you what happens next.', 'Application resubmitted');
    return reply.redirect(base(app.id), 303);
  }
}
