import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { OrganisationInvitesService } from './organisation-invites.service.js';
import { InviteLandingResponse, OrganisationResponse } from './organisations.dto.js';

/** Invitation links, by the token from the email. */
@ApiTags('organisations')
@ApiBearerAuth()
@Controller('api/v1/invites')
export class InvitesController {
  constructor(private readonly invites: OrganisationInvitesService) {}

  @Get(':token')
  @Access('user')
  @ApiOperation({ summary: 'The organisation an invitation is for, and whether it can still be accepted' })
  @ApiOkResponse({ type: InviteLandingResponse })
  view(@CurrentUser() user: AuthenticatedUser, @Param('token') token: string) {
    return this.invites.landing(token, user);
  }

  @Post(':token/accept')
  @Access('user')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation with the account it was sent to; returns the organisation you have joined' })
  @ApiOkResponse({ type: OrganisationResponse })
  accept(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('token') token: string) {
    return this.invites.accept(actor, user, token);
  }
}
