import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/request-context.js';
import { DisableUserDto, StaffInviteResponse, InviteStaffDto, SetRolesDto, UserListQueryDto, UserListResponse, UserResponse } from './accounts.dto.js';
import { UserAdminService, type UserView } from './user-admin.service.js';

/** Administrators manage people: list, invite staff, set roles, disable and enable accounts. */
@ApiTags('admin')
@ApiBearerAuth()
@Access('administrator')
@Controller('api/v1/admin/users')
export class AdminUsersController {
  constructor(private readonly users: UserAdminService) {}

  @Get()
  @ApiOkResponse({ type: UserListResponse })
  list(@Query() query: UserListQueryDto) {
    return this.users.list({ role: query.role, q: query.q, page: query.page ?? 1, pageSize: query.pageSize ?? 25 });
  }

  @Post()
  @ApiCreatedResponse({ type: StaffInviteResponse, description: 'Invites a member of staff (or adds the roles to an existing account) and emails them' })
  invite(@Body() body: InviteStaffDto, @CurrentActor() actor: Actor) {
    return this.users.invite(body, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserResponse })
  get(@Param('id') id: string): Promise<UserView> {
    return this.users.get(id);
  }

  @Put(':id/roles')
  @ApiOkResponse({ type: UserResponse })
  setRoles(@Param('id') id: string, @Body() body: SetRolesDto, @CurrentActor() actor: Actor): Promise<UserView> {
    return this.users.setRoles(id, body.roles, actor);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponse, description: 'Disabled; their sessions and API tokens end at once' })
  disable(@Param('id') id: string, @Body() body: DisableUserDto, @CurrentActor() actor: Actor): Promise<UserView> {
    return this.users.disable(id, actor, body.reason);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponse })
  enable(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<UserView> {
    return this.users.enable(id, actor);
  }
}
