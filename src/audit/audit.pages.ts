import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaffRead } from '../auth/access.decorator.js';
import { PageRenderer } from '../web/page-renderer.js';
import { AuditQueryDto } from './audit.dto.js';
import { AuditService } from './audit.service.js';

@ApiExcludeController()
@Controller('staff/audit')
export class AuditPages {
  constructor(
    private readonly audit: AuditService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @StaffRead('administrator')
  async list(@Query() query: AuditQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { items, total } = await this.audit.list({ entityType: query.entity, entityId: query.id, actorUserId: query.actorUserId, page: query.page, pageSize: query.pageSize });
    return this.pages.render(request, reply, 'pages/staff/audit.njk', {
      pageTitle: 'Audit trail',
      items,
      total,
      query,
      pages: Math.max(1, Math.ceil(total / query.pageSize)),
    });
  }
}
