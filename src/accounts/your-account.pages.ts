import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { actorOf, CurrentUser } from '../auth/request-context.js';
import { ROLE_LABELS } from '../auth/roles.js';
import { TOKEN_DAYS_MAX } from './account-rules.js';
import { PageRenderer } from '../web/page-renderer.js';
import { AccountsService } from './accounts.service.js';
import { PersonalTokensService } from './personal-tokens.service.js';
import { formBody, recall, remember, renderFormError, seeOther, textField } from './form-input.js';

/** "Your account": details, password change and personal access tokens. */
@ApiExcludeController()
@Access('user')
@Controller('account')
export class YourAccountPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly accounts: AccountsService,
    private readonly personalTokens: PersonalTokensService,
  ) {}

  @Get()
  async show(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() user: AuthenticatedUser) {
    const [profile, tokens] = await Promise.all([this.accounts.profile(user.id), this.personalTokens.listTokens(user.id, 1, 100)]);
    return this.pages.render(request, reply, 'pages/accounts/account.njk', {
      pageTitle: 'Your account',
      profile,
      roleLabels: profile.roles.map((r) => ROLE_LABELS[r]),
      tokens: tokens.items,
      tokenTotal: tokens.total,
    });
  }

  @Get('password')
  passwordForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/accounts/change-password.njk');
  }

  @Post('password')
  async changePassword(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() user: AuthenticatedUser) {
    const body = formBody(request);
    try {
      await this.accounts.changePassword(
        user,
        { currentPassword: textField(body, 'currentPassword'), newPassword: textField(body, 'newPassword') },
        actorOf(request),
        request.session.sessionId,
        request.ip,
      );
    } catch (error) {
      return renderFormError(this.pages, request, reply, 'pages/accounts/change-password.njk', {}, error);
    }
    this.pages.flash(request, 'You have been signed out on every other device, and your API tokens have been revoked.', 'Your password has been changed');
    return seeOther(reply, '/account');
  }

  @Get('tokens/new')
  tokenForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/accounts/new-token.njk', { values: { expiresInDays: '90' }, maxDays: TOKEN_DAYS_MAX });
  }

  @Post('tokens')
  async createToken(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() user: AuthenticatedUser) {
    const body = formBody(request);
    const values = { name: textField(body, 'name'), expiresInDays: textField(body, 'expiresInDays') };
    let created: Awaited<ReturnType<PersonalTokensService['createToken']>>;
    try {
      created = await this.personalTokens.createToken(user.id, values, actorOf(request));
    } catch (error) {
      return renderFormError(this.pages, request, reply, 'pages/accounts/new-token.njk', { values, maxDays: TOKEN_DAYS_MAX }, error);
    }
    // Kept in the session only until the next page shows it, once.
    remember(request, 'newToken', { token: created.token, name: created.view.name, expiresAt: created.view.expiresAt.toISOString() });
    return seeOther(reply, '/account/tokens/created');
  }

  @Get('tokens/created')
  created(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const created = recall(request, 'newToken');
    if (!created) return seeOther(reply, '/account');
    return this.pages.render(request, reply, 'pages/accounts/token-created.njk', { created });
  }

  @Post('tokens/:id/revoke')
  async revoke(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const token = await this.personalTokens.revokeToken(user.id, id, actorOf(request));
    this.pages.flash(request, `The token “${token.name}” can no longer be used.`, 'Token revoked');
    return seeOther(reply, '/account');
  }
}
