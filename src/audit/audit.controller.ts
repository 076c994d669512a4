import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffRead } from '../auth/access.decorator.js';
import { pageOf } from '../common/pagination.js';
import { AuditPageResponse, AuditQueryDto } from './audit.dto.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @StaffRead('grants_officer', 'finance_officer', 'administrator')
  @ApiOkResponse({ type: AuditPageResponse })
  @ApiOperation({ summary: 'The audit trail, newest first, filtered by entity and id' })
  async list(@Query() query: AuditQueryDto) {
    const { items, total } = await this.audit.list({ entityType: query.entity, entityId: query.id, actorUserId: query.actorUserId, page: query.page, pageSize: query.pageSize });
    return pageOf(items, total, query);
  }
}
