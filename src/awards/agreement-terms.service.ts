import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { isUuid } from '../common/ids.js';
import { FundsService } from '../funds/funds.service.js';
import { DEFAULT_AGREEMENT_TEXT } from './default-agreement.js';

export interface AgreementTermsView {
  id: string;
  fundId: string;
  version: number;
  text: string;
  publishedAt: Date;
  publishedBy: { id: string | null; label: string };
}

interface TermsRow {
  id: string;
  fund_id: string;
  version: number;
  text: string;
  published_at: Date;
  published_by: string | null;
  published_by_label: string;
}

const toView = (r: TermsRow): AgreementTermsView => ({
  id: r.id,
  fundId: r.fund_id,
  version: r.version,
  text: r.text,
  publishedAt: r.published_at,
  publishedBy: { id: r.published_by, label: r.published_by_label },
});

/**
 * Each fund's grant agreement terms, versioned as data: publishing adds a version (never edits
 * one), the newest is current, and a fund with none gets the default as version 1 on first use.
 */
@Injectable()
export class AgreementTermsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly funds: FundsService,
    private readonly audit: AuditService,
  ) {}

  /** The fund's current terms (the default published as version 1 if it has none yet). */
  async current(fundId: string, manager?: EntityManager): Promise<AgreementTermsView> {
    await this.assertFund(fundId, manager);
    const m = manager ?? this.dataSource.manager;
    const found = await this.latest(m, fundId);
    if (found) return found;
    await m.query(
      `INSERT INTO agreement_terms (fund_id, version, text, published_by_label) VALUES ($1, 1, $2, 'system:default-terms') ON CONFLICT ON CONSTRAINT uq_agreement_terms_fund_version DO NOTHING`,
      [fundId, DEFAULT_AGREEMENT_TEXT],
    );
    return (await this.latest(m, fundId))!;
  }

  /** One version by its id (what an offer was made under). */
  async byId(id: string, manager?: EntityManager): Promise<AgreementTermsView | null> {
    if (!isUuid(id)) return null;
    const [row]: TermsRow[] = await (manager ?? this.dataSource.manager).query(`SELECT * FROM agreement_terms WHERE id = $1`, [id]);
    return row ? toView(row) : null;
  }

  /** Publishes the text as the fund's next version (audited); offers made from now on use it. */
  async publish(actor: Actor, fundId: string, text: string): Promise<AgreementTermsView> {
    return this.dataSource.transaction(async (m) => {
      await this.assertFund(fundId, m);
      await this.current(fundId, m);
      // Two publishers of one fund queue on this lock, so their versions never collide.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('agreement_terms:' || $1))`, [fundId]);
      const [row]: TermsRow[] = await m.query(
        `INSERT INTO agreement_terms (fund_id, version, text, published_by, published_by_label)
         SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4 FROM agreement_terms WHERE fund_id = $1 RETURNING *`,
        [fundId, text, actor.userId, actor.label],
      );
      await this.audit.record(m, actor, { action: 'agreement.published', entityType: 'fund', entityId: fundId, after: { version: row.version, termsId: row.id } });
      return toView(row);
    });
  }

  private async latest(m: EntityManager, fundId: string): Promise<AgreementTermsView | null> {
    const [row]: TermsRow[] = await m.query(`SELECT * FROM agreement_terms WHERE fund_id = $1 ORDER BY version DESC LIMIT 1`, [fundId]);
    return row ? toView(row) : null;
  }

  /** 404 FUND.NOT_FOUND for an unknown or malformed id (funds' own answer). */
  private async assertFund(fundId: string, manager?: EntityManager): Promise<void> {
    await this.funds.getFund(fundId, manager);
  }
}
