import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { formErrorsOf, PageRenderer } from '../web/page-renderer.js';
import { legalFormOptions } from './legal-forms.js';
import { ORGANISATION_FIELDS, type OrganisationInput } from './organisation-input.js';
import { OrganisationInvitesService } from './organisation-invites.service.js';
import { OrganisationMembersService } from './organisation-members.service.js';
import { OrganisationsService, type OrganisationView } from './organisations.service.js';

const formBody = (body: unknown): Record<string, unknown> => (body && typeof body === 'object' ? (body as Record<string, unknown>) : {});

const isValidation = (error: unknown): error is DomainError => error instanceof DomainError && error.kind === 'validation';

/** The applicant's organisation pages: list, details and members, edit, invite, remove. */
@ApiExcludeController()
@Controller('organisations')
export class OrganisationsPages {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly members: OrganisationMembersService,
    private readonly invites: OrganisationInvitesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Access('user')
  async index(@CurrentUser() user: AuthenticatedUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { items } = await this.organisations.list(user, { page: 1, pageSize: 100 }, 'mine');
    return this.pages.render(request, reply, 'pages/organisations/index.njk', { pageTitle: 'Your organisations', organisations: items });
  }

  @Get(':id')
  @Access('user')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const organisation = await this.organisations.get(user, id);
    const [members, invites] = await Promise.all([this.members.list(user, id), this.invites.list(user, id, { pendingOnly: true })]);
    return this.pages.render(request, reply, 'pages/organisations/show.njk', {
      pageTitle: organisation.name,
      backLink: '/organisations',
      organisation,
      members,
      invites,
      isOwner: organisation.myRole === 'owner',
      // The only owner cannot leave, so is not offered it.
      canLeave: organisation.myRole === 'member' || members.filter((m) => m.role === 'owner').length > 1,
      canEdit: this.canEdit(user, organisation),
      userId: user.id,
    });
  }

  @Get(':id/edit')
  @Access('user')
  async edit(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const organisation = await this.organisations.get(user, id);
    this.assertCanEdit(user, organisation);
    const values: Record<string, unknown> = { ...organisation, districtId: organisation.district?.id ?? '' };
    return this.renderEdit(request, reply, organisation, values);
  }

  @Post(':id/edit')
  @Access('user')
  async saveEdit(
    @CurrentActor() actor: Actor,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const posted = formBody(body);
    const input: OrganisationInput = {};
    for (const field of ORGANISATION_FIELDS) input[field] = typeof posted[field] === 'string' ? posted[field] : '';
    try {
      const organisation = await this.organisations.update(actor, user, id, input);
      this.pages.flash(request, 'The organisation’s details have been saved.', undefined);
      return reply.redirect(`/organisations/${organisation.id}`, 303);
    } catch (error) {
      if (!isValidation(error) && !(error instanceof DomainError && error.code === 'ORGANISATION.ALREADY_REGISTERED')) throw error;
      const organisation = await this.organisations.get(user, id);
      const form = formErrorsOf(error as DomainError);
      if (!(error as DomainError).errors.length) form.errorList = [{ text: (error as DomainError).message, href: '#charityNumber' }];
      return this.renderEdit(request, reply, organisation, input, form, (error as DomainError).status);
    }
  }

  @Get(':id/invites/new')
  @Access('user')
  async newInvite(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const organisation = await this.organisations.get(user, id);
    this.organisations.requireOwner({ role: organisation.myRole }, 'invite people');
    return this.renderInvite(request, reply, organisation, {});
  }

  @Post(':id/invites')
  @Access('user')
  async invite(
    @CurrentActor() actor: Actor,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const email = formBody(body).email;
    try {
      const invite = await this.invites.invite(actor, user, id, email);
      this.pages.flash(request, `The invitation link lasts 14 days. You can cancel it from this page until it is used.`, `We have sent an invitation to ${invite.email}`);
      return reply.redirect(`/organisations/${id}`, 303);
    } catch (error) {
      if (!isValidation(error) && !(error instanceof DomainError && error.code === 'ORGANISATION.ALREADY_MEMBER')) throw error;
      const organisation = await this.organisations.get(user, id);
      return this.renderInvite(request, reply, organisation, { email }, formErrorsOf(error as DomainError), (error as DomainError).status);
    }
  }

  @Post(':id/invites/:inviteId/revoke')
  @Access('user')
  async revokeInvite(
    @CurrentActor() actor: Actor,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('inviteId') inviteId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const invite = await this.invites.revoke(actor, user, id, inviteId);
    this.pages.flash(request, `The invitation to ${invite.email} has been cancelled. The link in the email no longer works.`);
    return reply.redirect(`/organisations/${id}`, 303);
  }

  @Get(':id/members/:userId/remove')
  @Access('user')
  async confirmRemove(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const organisation = await this.organisations.get(user, id);
    const leaving = userId === user.id;
    if (!leaving) this.organisations.requireOwner({ role: organisation.myRole }, 'remove members');
    const member = (await this.members.list(user, id)).find((m) => m.userId === userId);
    if (!member) throw new DomainError('not_found', 'ORGANISATION.MEMBER_NOT_FOUND', 'That person is not a member of this organisation');
    return this.pages.render(request, reply, 'pages/organisations/remove-member.njk', {
      pageTitle: leaving ? `Leave ${organisation.name}` : `Remove ${member.fullName} from ${organisation.name}`,
      backLink: `/organisations/${id}`,
      organisation,
      member,
      leaving,
    });
  }

  @Post(':id/members/:userId/remove')
  @Access('user')
  async remove(
    @CurrentActor() actor: Actor,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const organisation = await this.organisations.get(user, id);
    try {
      const { left } = await this.members.remove(actor, user, id, userId);
      if (left) {
        this.pages.flash(request, `You are no longer a member of ${organisation.name}.`);
        return reply.redirect('/organisations', 303);
      }
      this.pages.flash(request, 'They can no longer see or work on the organisation’s applications.', 'Member removed');
      return reply.redirect(`/organisations/${id}`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'ORGANISATION.LAST_OWNER') throw error;
      this.pages.flash(request, error.message, 'You cannot do that', 'info');
      return reply.redirect(`/organisations/${id}`, 303);
    }
  }

  private canEdit(user: AuthenticatedUser, organisation: OrganisationView): boolean {
    return this.organisations.mayChangeDetails(user, organisation.myRole);
  }

  private assertCanEdit(user: AuthenticatedUser, organisation: OrganisationView): void {
    if (!this.canEdit(user, organisation)) {
      throw new DomainError('forbidden', 'ORGANISATION.OWNER_ONLY', 'Only an owner of the organisation can change the organisation’s details');
    }
  }

  private async renderEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    organisation: OrganisationView,
    values: Record<string, unknown>,
    form: { errorList?: { text: string; href: string }[]; errors?: Record<string, string> } = {},
    status = 200,
  ) {
    const districts = await this.organisations.activeDistricts();
    // Keep a district that has since closed selectable for the organisation that has it.
    if (organisation.district && !districts.some((d) => d.id === organisation.district!.id)) districts.push(organisation.district);
    return this.pages.render(
      request,
      reply,
      'pages/organisations/edit.njk',
      {
        pageTitle: `Change ${organisation.name}’s details`,
        backLink: `/organisations/${organisation.id}`,
        organisation,
        values,
        legalForms: legalFormOptions(),
        districts,
        ...form,
      },
      status,
    );
  }

  private renderInvite(
    request: FastifyRequest,
    reply: FastifyReply,
    organisation: OrganisationView,
    values: Record<string, unknown>,
    form: { errorList?: { text: string; href: string }[]; errors?: Record<string, string> } = {},
    status = 200,
  ) {
    return this.pages.render(
      request,
      reply,
      'pages/organisations/invite-new.njk',
      { pageTitle: `Invite someone to ${organisation.name}`, backLink: `/organisations/${organisation.id}`, organisation, values, ...form },
      status,
    );
  }
}
