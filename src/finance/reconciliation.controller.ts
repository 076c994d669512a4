import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffRead } from '../auth/access.decorator.js';
import { RECONCILIATION_SCHEMA, ReconciliationQueryDto } from './reconciliation.dto.js';
import { ReconciliationService } from './reconciliation.service.js';

@ApiTags('finance')
@ApiBearerAuth()
@Controller('api/v1')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get('reconciliation')
  @StaffRead('finance_officer')
  @ApiOkResponse({ schema: RECONCILIATION_SCHEMA })
  @ApiOperation({
    summary:
      'Reconcile a fund or a round (finance officers and the auditor): every award’s amount, paid, outstanding and released against the pot ledger, every pot’s committed against its ledger and its live awards; every difference listed with its figures',
  })
  reconcile(@Query() query: ReconciliationQueryDto) {
    return this.reconciliation.reconcile({ roundId: query.roundId, fundId: query.fundId });
  }
}
