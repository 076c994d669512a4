import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { CreatedTokenResponse, CreateTokenDto, MeResponse, PageQueryDto, PersonalTokenListResponse, PersonalTokenResponse } from './accounts.dto.js';
import { AccountsService, type ProfileView } from './accounts.service.js';
import { PersonalTokensService, type PersonalTokenView } from './personal-tokens.service.js';

/** The caller's own account and personal access tokens. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly personalTokens: PersonalTokensService,
  ) {}

  @Get()
  @Access('user')
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentUser() user: AuthenticatedUser): Promise<ProfileView> {
    return this.accounts.profile(user.id);
  }

  @Get('tokens')
  @Access('user')
  @ApiOkResponse({ type: PersonalTokenListResponse, description: 'Personal access tokens, newest first (secrets are never shown again)' })
  tokens(@CurrentUser() user: AuthenticatedUser, @Query() query: PageQueryDto) {
    return this.personalTokens.listTokens(user.id, query.page ?? 1, query.pageSize ?? 25);
  }

  @Post('tokens')
  @Access('user')
  @ApiCreatedResponse({ type: CreatedTokenResponse })
  async createToken(@CurrentUser() user: AuthenticatedUser, @Body() body: CreateTokenDto, @CurrentActor() actor: Actor): Promise<CreatedTokenResponse> {
    const { token, view } = await this.personalTokens.createToken(user.id, body, actor);
    return { id: view.id, name: view.name, token, expiresAt: view.expiresAt };
  }

  @Delete('tokens/:id')
  @Access('user')
  @ApiOkResponse({ type: PersonalTokenResponse, description: 'Revoked (revoking again changes nothing); another person\'s token is 404' })
  revokeToken(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @CurrentActor() actor: Actor): Promise<PersonalTokenView> {
    return this.personalTokens.revokeToken(user.id, id, actor);
  }
}
