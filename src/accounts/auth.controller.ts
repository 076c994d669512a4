import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/request-context.js';
import {
  AcceptedResponse,
  CredentialsDto,
  EmailDto,
  EmailVerifiedResponse,
  InviteAcceptedResponse,
  PasswordResetResponse,
  RegisterDto,
  SignInTokenResponse,
  TokenAndPasswordDto,
  TokenDto,
} from './accounts.dto.js';
import { AccountsService } from './accounts.service.js';
import { UserAdminService } from './user-admin.service.js';

const CHECK_EMAIL = 'If the details are right, we have sent an email. Follow the link in it.';

/** Accounts over the JSON API: register, confirm, sign in for a token, reset a password, accept an invitation. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly userAdmin: UserAdminService,
  ) {}

  @Post('register')
  @Access('public')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedResponse, description: 'The same answer whether or not the email address already has an account' })
  async register(@Body() body: RegisterDto, @CurrentActor() actor: Actor): Promise<AcceptedResponse> {
    await this.accounts.register(body, actor);
    return { message: CHECK_EMAIL };
  }

  @Post('verify-email')
  @Access('public')
  @HttpCode(200)
  @ApiOkResponse({ type: EmailVerifiedResponse, description: 'The email address is confirmed; the person can now sign in' })
  async verifyEmail(@Body() body: TokenDto, @CurrentActor() actor: Actor): Promise<{ email: string; verified: true }> {
    return { ...(await this.accounts.verifyEmail(body.token, actor)), verified: true };
  }

  @Post('verify-email/resend')
  @Access('public')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedResponse })
  async resendVerification(@Body() body: EmailDto): Promise<AcceptedResponse> {
    await this.accounts.resendVerification(body.email);
    return { message: CHECK_EMAIL };
  }

  @Post('token')
  @Access('public')
  @ApiCreatedResponse({ type: SignInTokenResponse, description: 'A bearer token for 12 hours. Too many failures give 429 AUTH.TOO_MANY_ATTEMPTS with Retry-After.' })
  issueToken(@Body() body: CredentialsDto, @Ip() ip: string): Promise<SignInTokenResponse> {
    return this.accounts.issueSignInToken(body.email, body.password, ip);
  }

  @Post('password-reset')
  @Access('public')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedResponse, description: 'The same answer whether or not the email address has an account' })
  async requestPasswordReset(@Body() body: EmailDto): Promise<AcceptedResponse> {
    await this.accounts.requestPasswordReset(body.email);
    return { message: CHECK_EMAIL };
  }

  @Post('password-reset/complete')
  @Access('public')
  @HttpCode(200)
  @ApiOkResponse({ type: PasswordResetResponse, description: 'The password is set; every session and API token of the person has ended' })
  async completePasswordReset(@Body() body: TokenAndPasswordDto, @CurrentActor() actor: Actor): Promise<{ email: string; passwordReset: true }> {
    return { ...(await this.accounts.completePasswordReset(body.token, body.password, actor)), passwordReset: true };
  }

  @Post('accept-invite')
  @Access('public')
  @HttpCode(200)
  @ApiOkResponse({ type: InviteAcceptedResponse, description: 'The invited person has set a password and can sign in' })
  async acceptInvite(@Body() body: TokenAndPasswordDto, @CurrentActor() actor: Actor): Promise<{ email: string; accepted: true }> {
    return { ...(await this.userAdmin.acceptInvite(body.token, body.password, actor)), accepted: true };
  }
}
