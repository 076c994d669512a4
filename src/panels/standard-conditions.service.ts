import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { FundsService } from '../funds/funds.service.js';
import { RoundsService } from '../funds/rounds.service.js';
import { StandardConditions } from './panel.entity.js';

export interface StandardConditionsView {
  fundId: string;
  conditions: string[];
}

/** The conditions a fund keeps for panels to attach to approvals (GET/PUT /api/v1/funds/{id}/standard-conditions). */
@Injectable()
export class StandardConditionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly funds: FundsService,
    private readonly rounds: RoundsService,
    private readonly audit: AuditService,
  ) {}

  async ofFund(fundId: string): Promise<StandardConditionsView> {
    await this.funds.getFund(fundId);
    const row = await this.dataSource.manager.findOne(StandardConditions, { where: { fundId } });
    return { fundId, conditions: row?.conditions ?? [] };
  }

  /** The fund's list for a round's decisions (the decision page). */
  async ofRound(roundId: string): Promise<StandardConditionsView> {
    return this.ofFund((await this.rounds.getRound(roundId)).fundId);
  }

  async put(actor: Actor, fundId: string, conditions: string[]): Promise<StandardConditionsView> {
    const clean = [...new Set(conditions.map((c) => c.trim()).filter(Boolean))];
    await this.dataSource.transaction(async (m) => {
      await this.funds.getFund(fundId, m);
      await m.query(
        `INSERT INTO panel_standard_conditions (fund_id, conditions) VALUES ($1, $2::jsonb) ON CONFLICT (fund_id) DO UPDATE SET conditions = EXCLUDED.conditions, updated_at = now()`,
        [fundId, JSON.stringify(clean)],
      );
      await this.audit.record(m, actor, { action: 'fund.standard_conditions_set', entityType: 'fund', entityId: fundId, after: { conditions: clean } });
    });
    return { fundId, conditions: clean };
  }
}
