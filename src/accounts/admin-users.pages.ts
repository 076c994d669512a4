import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { actorOf, CurrentUser } from '../auth/request-context.js';
import { ROLE_LABELS, STAFF_ROLES } from '../auth/roles.js';
import { PageRenderer } from '../web/page-renderer.js';
import { ROLE_FILTERS } from './accounts.dto.js';
import { formBody, listField, queryText, renderFormError, seeOther, textField } from './form-input.js';
import { UserAdminService, type RoleFilter, type UserView } from './user-admin.service.js';

const PAGE_SIZE = 25;
const STATUS_LABELS: Record<UserView['status'], string> = {
  active: 'Active',
  invited: 'Invited',
  unverified: 'Email not confirmed',
  disabled: 'Disabled',
};

const roleItems = (selected: string[]) => STAFF_ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: selected.includes(r) }));

/** Administrators' pages for people: list, invite staff, roles, disable and enable. */
@ApiExcludeController()
@Access('administrator')
@Controller('admin/users')
export class AdminUsersPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly users: UserAdminService,
  ) {}

  private describe(user: UserView) {
    return { ...user, roleLabels: user.roles.map((r) => ROLE_LABELS[r]), statusLabel: STATUS_LABELS[user.status] };
  }

  @Get()
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const roleText = queryText(request, 'role');
    const role = (ROLE_FILTERS as readonly string[]).includes(roleText) ? (roleText as RoleFilter) : undefined;
    const q = queryText(request, 'q').slice(0, 254);
    const pageText = queryText(request, 'page');
    const page = /^\d{1,6}$/.test(pageText) && Number(pageText) > 0 ? Number(pageText) : 1;
    const result = await this.users.list({ role, q, page, pageSize: PAGE_SIZE });
    const params = new URLSearchParams();
    if (role) params.set('role', role);
    if (q) params.set('q', q);
    return this.pages.render(request, reply, 'pages/admin/users/index.njk', {
      users: result.items.map((u) => this.describe(u)),
      total: result.total,
      page,
      pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
      baseUrl: `/admin/users?${params.toString()}${params.size ? '&' : ''}`,
      filters: { role: role ?? '', q },
      roleOptions: [
        { value: '', text: 'Everyone' },
        ...STAFF_ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r] })),
        { value: 'applicant', text: 'Applicants (no staff role)' },
      ].map((o) => ({ ...o, selected: o.value === (role ?? '') })),
    });
  }

  @Get('invite')
  inviteForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/admin/users/invite.njk', { values: {}, roleItems: roleItems([]) });
  }

  @Post('invite')
  async invite(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const body = formBody(request);
    const values = { email: textField(body, 'email'), fullName: textField(body, 'fullName'), roles: listField(body, 'roles') };
    let result: Awaited<ReturnType<UserAdminService['invite']>>;
    try {
      result = await this.users.invite(values, actorOf(request));
    } catch (error) {
      return renderFormError(this.pages, request, reply, 'pages/admin/users/invite.njk', { values, roleItems: roleItems(values.roles) }, error);
    }
    this.pages.flash(
      request,
      result.created
        ? `We have emailed ${result.user.email} a link to set their password. It lasts 7 days.`
        : `${result.user.email} already had an account: they now have the roles you chose, and we have emailed them.`,
      result.created ? 'Invitation sent' : 'Roles added',
    );
    return seeOther(reply, `/admin/users/${result.user.id}`);
  }

  @Get(':id')
  async show(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string, @CurrentUser() me: AuthenticatedUser) {
    const user = await this.users.get(id);
    return this.pages.render(request, reply, 'pages/admin/users/show.njk', this.showContext(user, me, user.roles));
  }

  private showContext(user: UserView, me: AuthenticatedUser, selected: string[]) {
    return { person: this.describe(user), isSelf: user.id === me.id, roleItems: roleItems(selected), backLink: '/admin/users' };
  }

  @Post(':id/roles')
  async setRoles(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string, @CurrentUser() me: AuthenticatedUser) {
    const roles = listField(formBody(request), 'roles');
    try {
      await this.users.setRoles(id, roles, actorOf(request));
    } catch (error) {
      const user = await this.users.get(id);
      return renderFormError(this.pages, request, reply, 'pages/admin/users/show.njk', this.showContext(user, me, roles), error);
    }
    this.pages.flash(request, 'The roles have been saved. They apply from the person’s next page or API call.', 'Roles updated');
    return seeOther(reply, `/admin/users/${id}`);
  }

  @Get(':id/disable')
  async disableForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const user = await this.users.get(id);
    return this.pages.render(request, reply, 'pages/admin/users/disable.njk', { person: this.describe(user), values: {} });
  }

  @Post(':id/disable')
  async disable(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const reason = textField(formBody(request), 'reason');
    try {
      await this.users.disable(id, actorOf(request), reason);
    } catch (error) {
      const user = await this.users.get(id);
      return renderFormError(this.pages, request, reply, 'pages/admin/users/disable.njk', { person: this.describe(user), values: { reason } }, error);
    }
    this.pages.flash(request, 'They have been signed out everywhere and their API tokens revoked.', 'Account disabled');
    return seeOther(reply, `/admin/users/${id}`);
  }

  @Post(':id/enable')
  async enable(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    await this.users.enable(id, actorOf(request));
    this.pages.flash(request, 'They can sign in again. API tokens revoked when the account was disabled stay revoked.', 'Account enabled');
    return seeOther(reply, `/admin/users/${id}`);
  }
}
