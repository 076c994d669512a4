import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { OrganisationInvitesService } from './organisation-invites.service.js';
import { OrganisationMembersService } from './organisation-members.service.js';
import {
  InviteListResponse,
  InviteMemberDto,
  InviteResponse,
  ListOrganisationsQuery,
  MemberListResponse,
  OrganisationPageResponse,
  OrganisationResponse,
  RegisterOrganisationDto,
  UpdateOrganisationDto,
} from './organisations.dto.js';
import { OrganisationsService } from './organisations.service.js';

/**
 * Organisations, their members and invitations. Applicants reach only organisations they belong
 * to (any other id is 404 ORGANISATION.NOT_FOUND); staff with any role may read all of them.
 */
@ApiTags('organisations')
@ApiBearerAuth()
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly members: OrganisationMembersService,
    private readonly invites: OrganisationInvitesService,
  ) {}

  @Post()
  @Access('user')
  @ApiOperation({ summary: 'Register an organisation; you become its owner. 409 ORGANISATION.ALREADY_REGISTERED if its charity or company number is already registered' })
  @ApiCreatedResponse({ type: OrganisationResponse })
  register(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Body() body: RegisterOrganisationDto) {
    return this.organisations.register(actor, user, body);
  }

  @Get()
  @Access('user')
  @ApiOperation({ summary: 'Your organisations (staff: all), filterable by name and district' })
  @ApiOkResponse({ type: OrganisationPageResponse })
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListOrganisationsQuery) {
    return this.organisations.list(user, query, 'visible');
  }

  @Get(':id')
  @Access('user')
  @ApiOperation({ summary: 'One organisation' })
  @ApiOkResponse({ type: OrganisationResponse })
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.organisations.get(user, id);
  }

  @Patch(':id')
  @Access('user')
  @ApiOperation({ summary: "Change an organisation's details (owners; grants officers may correct them)" })
  @ApiOkResponse({ type: OrganisationResponse })
  update(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: UpdateOrganisationDto) {
    return this.organisations.update(actor, user, id, body);
  }

  @Get(':id/members')
  @Access('user')
  @ApiOperation({ summary: 'The members of an organisation' })
  @ApiOkResponse({ type: MemberListResponse })
  async listMembers(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return { items: await this.members.list(user, id) };
  }

  @Delete(':id/members/:userId')
  @Access('user')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (owners), or leave (your own user id). The only owner cannot be removed' })
  @ApiNoContentResponse()
  async removeMember(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('userId') userId: string) {
    await this.members.remove(actor, user, id, userId);
  }

  @Get(':id/invites')
  @Access('user')
  @ApiOperation({ summary: "An organisation's invitations, newest first" })
  @ApiOkResponse({ type: InviteListResponse })
  async listInvites(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return { items: await this.invites.list(user, id) };
  }

  @Post(':id/invites')
  @Access('user')
  @ApiOperation({ summary: 'Invite someone by email (owners); the link lasts 14 days and replaces any pending invitation to the same address' })
  @ApiCreatedResponse({ type: InviteResponse })
  invite(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: InviteMemberDto) {
    return this.invites.invite(actor, user, id, body.email);
  }

  @Delete(':id/invites/:inviteId')
  @Access('user')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel an invitation (owners)' })
  @ApiNoContentResponse()
  async revokeInvite(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('inviteId') inviteId: string) {
    await this.invites.revoke(actor, user, id, inviteId);
  }
}
