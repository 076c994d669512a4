import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaffRead } from '../auth/access.decorator.js';
import { isUuid } from '../common/ids.js';
import { FundsService } from '../funds/funds.service.js';
import { RoundsService } from '../funds/rounds.service.js';
import { PageRenderer } from '../web/page-renderer.js';
import { ReconciliationService } from './reconciliation.service.js';

/** The reconciliation page: choose a fund or one of its rounds; differences first, then every award and pot, and the totals. */
@ApiExcludeController()
@Controller('staff/finance/reconciliation')
export class ReconciliationPages {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly funds: FundsService,
    private readonly rounds: RoundsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @StaffRead('finance_officer')
  async show(@Query('fundId') fundId: string, @Query('roundId') roundId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const funds = await this.funds.all();
    const candidate = isUuid(roundId) ? await this.rounds.findRound(roundId) : null;
    // A round of another fund than the one chosen (the fund was changed): the fund wins.
    const round = candidate && (!isUuid(fundId) || candidate.fundId === fundId) ? candidate : null;
    const fund = funds.find((f) => f.id === (round?.fundId ?? fundId)) ?? funds[0] ?? null;
    const rounds = fund ? await this.rounds.roundsOfFund(fund.id) : [];
    const result = fund ? await this.reconciliation.reconcile(round ? { roundId: round.id } : { fundId: fund.id }) : null;
    const potNames = new Map((result?.pots ?? []).map((p) => [p.potId, p.name]));
    return this.pages.render(request, reply, 'finance/reconciliation.njk', {
      pageTitle: 'Reconciliation',
      fund,
      round,
      result,
      fundItems: funds.map((f) => ({ value: f.id, text: f.name, selected: f.id === fund?.id })),
      roundItems: [{ value: '', text: 'Every round of the fund', selected: !round }, ...rounds.map((r) => ({ value: r.id, text: `${r.code}: ${r.title}`, selected: r.id === round?.id }))],
      awards: (result?.awards ?? []).map((a) => ({ ...a, potName: potNames.get(a.potId) ?? '', ok: a.balances && a.committedMatches && a.paidMatches })),
    });
  }
}
