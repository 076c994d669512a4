import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { actorOf } from '../auth/request-context.js';
import { ROLE_LABELS } from '../auth/roles.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DEMO_SIGN_INS, type DemoSignIn } from '../config/demo-sign-ins.js';
import { DomainError } from '../common/errors.js';
import { homeFor } from '../web/navigation.js';
import { formErrorsOf, PageRenderer } from '../web/page-renderer.js';
import { AccountsService } from './accounts.service.js';
import { formBody, oneError, queryText, recall, remember, renderFormError, safeReturnTo, seeOther, textField } from './form-input.js';
import { UserAdminService } from './user-admin.service.js';

const LINK_PROBLEM = 'pages/accounts/link-problem.njk';

/**
 * The public account journeys: start page, register and confirm, sign in and out, forgotten
 * password, and accepting a staff invitation.
 */
@ApiExcludeController()
@Controller()
export class AccountsPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly accounts: AccountsService,
    private readonly userAdmin: UserAdminService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DEMO_SIGN_INS) private readonly demoSignIns: readonly DemoSignIn[],
  ) {}

  /** An emailed link that cannot be used: say why and what to do next. */
  private linkProblem(request: FastifyRequest, reply: FastifyReply, purpose: string, error: unknown): Promise<FastifyReply> {
    if (!(error instanceof DomainError) || !error.code.startsWith('TOKEN.')) throw error;
    return this.pages.render(request, reply, LINK_PROBLEM, { purpose, code: error.code, detail: error.message }, error.status);
  }

  @Get()
  @Access('public')
  start(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const demo = this.config.nodeEnv !== 'production';
    return this.pages.render(request, reply, 'pages/start.njk', {
      home: request.user ? homeFor(request.user) : null,
      demoUsers: demo ? this.demoSignIns.map((u) => ({ ...u, roleLabels: u.roles.map((r) => ROLE_LABELS[r]) })) : null,
      demoPassword: demo ? this.config.demoPassword : null,
    });
  }

  // Registration and email confirmation

  @Get('register')
  @Access('public')
  registerForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/accounts/register.njk', { values: {} });
  }

  @Post('register')
  @Access('public')
  async register(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const body = formBody(request);
    const values = { fullName: textField(body, 'fullName'), email: textField(body, 'email'), password: textField(body, 'password') };
    try {
      await this.accounts.register(values, actorOf(request));
    } catch (error) {
      return renderFormError(this.pages, request, reply, 'pages/accounts/register.njk', { values: { ...values, password: '' } }, error);
    }
    remember(request, 'checkEmail', { email: values.email.trim(), reason: 'register' });
    return seeOther(reply, '/register/check-your-email');
  }

  @Get('register/check-your-email')
  @Access('public')
  registerSent(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.checkEmailPage(request, reply, 'register');
  }

  private checkEmailPage(request: FastifyRequest, reply: FastifyReply, reason: string) {
    const remembered = recall(request, 'checkEmail');
    return this.pages.render(request, reply, 'pages/accounts/check-email.njk', { reason, email: remembered?.email ?? null });
  }

  @Get('verify-email')
  @Access('public')
  async verifyEmail(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const { email } = await this.accounts.verifyEmail(queryText(request, 'token'), actorOf(request));
      return await this.pages.render(request, reply, 'pages/accounts/email-verified.njk', { email });
    } catch (error) {
      return this.linkProblem(request, reply, 'verify_email', error);
    }
  }

  @Get('verify-email/resend')
  @Access('public')
  resendForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/accounts/resend-verification.njk', { values: { email: queryText(request, 'email') } });
  }

  @Post('verify-email/resend')
  @Access('public')
  async resend(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const email = textField(formBody(request), 'email');
    try {
      await this.accounts.resendVerification(email);
    } catch (error) {
      return renderFormError(this.pages, request, reply, 'pages/accounts/resend-verification.njk', { values: { email } }, error);
    }
    remember(request, 'checkEmail', { email: email.trim() });
    return seeOther(reply, '/verify-email/check-your-email');
  }

  @Get('verify-email/check-your-email')
  @Access('public')
  resendSent(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.checkEmailPage(request, reply, 'resend');
  }

  // Signing in and out

  @Get('sign-in')
  @Access('public')
  signInForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (request.user) return seeOther(reply, homeFor(request.user));
    return this.pages.render(request, reply, 'pages/accounts/sign-in.njk', { values: {} });
  }

  @Post('sign-in')
  @Access('public')
  async signIn(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const body = formBody(request);
    const email = textField(body, 'email');
    const template = 'pages/accounts/sign-in.njk';
    const values = { email };
    try {
      const person = await this.accounts.authenticate(email, textField(body, 'password'), request.ip);
      const returnTo = safeReturnTo(request.session.returnTo);
      // A new session id at sign-in, so an id planted before it is worth nothing after.
      await request.session.regenerate();
      request.session.userId = person.id;
      request.session.signedInAt = Date.now();
      const user: AuthenticatedUser = { ...person, emailVerified: true, via: 'session' };
      return seeOther(reply, returnTo ?? homeFor(user));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      switch (error.code) {
        case 'VALIDATION.FAILED':
          return this.pages.render(request, reply, template, { values, ...formErrorsOf(error) }, 422);
        case 'AUTH.INVALID_CREDENTIALS':
        case 'AUTH.ACCOUNT_DISABLED':
          return this.pages.render(request, reply, template, { values, ...oneError('email', error.message) }, error.status);
        case 'AUTH.TOO_MANY_ATTEMPTS':
          reply.header('retry-after', String(error.extra.retryAfterSeconds));
          return this.pages.render(request, reply, template, { values, ...oneError('email', error.message) }, 429);
        case 'AUTH.EMAIL_NOT_VERIFIED':
          return this.pages.render(request, reply, template, { values, unverified: true, ...oneError('email', error.message) }, 403);
        default:
          throw error;
      }
    }
  }

  @Post('sign-out')
  @Access('public')
  async signOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (request.session) await request.session.destroy();
    reply.clearCookie('scf.sid', { path: '/' });
    return seeOther(reply, '/signed-out');
  }

  @Get('signed-out')
  @Access('public')
  signedOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/accounts/signed-out.njk');
  }

  // Forgotten password

  @Get('forgot-password')
  @Access('public')
  forgotForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/accounts/forgot-password.njk', { values: {} });
  }

  @Post('forgot-password')
  @Access('public')
  async forgot(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const email = textField(formBody(request), 'email');
    try {
      await this.accounts.requestPasswordReset(email);
    } catch (error) {
      return renderFormError(this.pages, request, reply, 'pages/accounts/forgot-password.njk', { values: { email } }, error);
    }
    remember(request, 'checkEmail', { email: email.trim() });
    return seeOther(reply, '/forgot-password/check-your-email');
  }

  @Get('forgot-password/check-your-email')
  @Access('public')
  forgotSent(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.checkEmailPage(request, reply, 'reset');
  }

  @Get('reset-password')
  @Access('public')
  async resetForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const token = queryText(request, 'token');
    try {
      await this.accounts.checkResetLink(token);
    } catch (error) {
      return this.linkProblem(request, reply, 'reset_password', error);
    }
    return this.pages.render(request, reply, 'pages/accounts/reset-password.njk', { token });
  }

  @Post('reset-password')
  @Access('public')
  async reset(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const body = formBody(request);
    const token = textField(body, 'token') || queryText(request, 'token');
    try {
      await this.accounts.completePasswordReset(token, textField(body, 'password'), actorOf(request));
    } catch (error) {
      if (error instanceof DomainError && error.code.startsWith('TOKEN.')) return this.linkProblem(request, reply, 'reset_password', error);
      return renderFormError(this.pages, request, reply, 'pages/accounts/reset-password.njk', { token }, error);
    }
    this.pages.flash(request, 'Sign in with your new password. You have been signed out on every other device.', 'Your password has been reset');
    return seeOther(reply, '/sign-in');
  }

  // Staff invitations

  @Get('accept-invite')
  @Access('public')
  async acceptForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const token = queryText(request, 'token');
    let invitee: { email: string; fullName: string };
    try {
      invitee = await this.userAdmin.checkInvite(token);
    } catch (error) {
      return this.linkProblem(request, reply, 'staff_invite', error);
    }
    return this.pages.render(request, reply, 'pages/accounts/accept-invite.njk', { token, invitee });
  }

  @Post('accept-invite')
  @Access('public')
  async accept(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const body = formBody(request);
    const token = textField(body, 'token') || queryText(request, 'token');
    try {
      await this.userAdmin.acceptInvite(token, textField(body, 'password'), actorOf(request));
    } catch (error) {
      if (error instanceof DomainError && error.code.startsWith('TOKEN.')) return this.linkProblem(request, reply, 'staff_invite', error);
      const invitee = await this.userAdmin.checkInvite(token);
      return renderFormError(this.pages, request, reply, 'pages/accounts/accept-invite.njk', { token, invitee }, error);
    }
    this.pages.flash(request, 'Sign in with your email address and the password you chose.', 'Your password has been set');
    return seeOther(reply, '/sign-in');
  }
}
