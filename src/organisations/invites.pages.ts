import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import '../auth/session-data.js';
import { DomainError } from '../common/errors.js';
import { PageRenderer } from '../web/page-renderer.js';
import { OrganisationInvitesService } from './organisation-invites.service.js';

/** Where people without an account create one (the accounts pages). */
export const CREATE_ACCOUNT_PATH = '/register';

/** Problems with an invitation link that a person can understand and act on. */
const INVITE_PROBLEMS = new Set(['not_found', 'gone', 'conflict', 'forbidden']);

/**
 * The page an invitation email links to. Anyone holding the link sees which organisation it is
 * for; only the person it was sent to, signed in, can accept it.
 */
@ApiExcludeController()
@Controller('invites')
export class InvitesPages {
  constructor(
    private readonly invites: OrganisationInvitesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get(':token')
  @Access('public')
  async show(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const user = request.user ?? null;
    let landing;
    try {
      landing = await this.invites.landing(token, user);
    } catch (error) {
      return this.problem(request, reply, error);
    }
    if (landing.status !== 'pending') {
      const title = {
        accepted: 'This invitation has already been used',
        revoked: 'This invitation has been cancelled',
        expired: 'This invitation has expired',
      }[landing.status];
      return this.pages.render(
        request,
        reply,
        'pages/organisations/invite-unavailable.njk',
        { pageTitle: title, title, status: landing.status, organisation: landing.organisation, alreadyMember: landing.alreadyMember },
        landing.status === 'accepted' ? 409 : 410,
      );
    }
    // Come back here after signing in or creating an account.
    if (!user) request.session.returnTo = `/invites/${encodeURIComponent(token)}`;
    return this.pages.render(request, reply, 'pages/organisations/invite.njk', {
      pageTitle: `Join ${landing.organisation.name}`,
      landing,
      token: encodeURIComponent(token),
      createAccountPath: CREATE_ACCOUNT_PATH,
    });
  }

  @Post(':token/accept')
  @Access('user')
  async accept(
    @CurrentActor() actor: Actor,
    @CurrentUser() user: AuthenticatedUser,
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    try {
      const organisation = await this.invites.accept(actor, user, token);
      this.pages.flash(request, 'You can now see and work on its applications.', `You have joined ${organisation.name}`);
      return reply.redirect(`/organisations/${organisation.id}`, 303);
    } catch (error) {
      return this.problem(request, reply, error);
    }
  }

  private problem(request: FastifyRequest, reply: FastifyReply, error: unknown) {
    if (!(error instanceof DomainError) || !INVITE_PROBLEMS.has(error.kind)) throw error;
    const title =
      error.kind === 'not_found' ? 'Invitation not found' : error.kind === 'forbidden' ? 'This invitation is for someone else' : 'You cannot use this invitation';
    return this.pages.render(
      request,
      reply,
      'pages/organisations/invite-unavailable.njk',
      { pageTitle: title, title, detail: error.message, code: error.code },
      error.status,
    );
  }
}
