import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { awardCan } from '../awards/award-lifecycle.js';
import { AwardReader } from '../awards/award-reader.js';
import { londonDate } from '../common/dates.js';
import { isUuid } from '../common/ids.js';
import { penceAsPounds } from '../common/money.js';
import { pageOf, type PageOf } from '../common/pagination.js';
import { Clock } from '../common/clock.js';
import { BankAccountsService } from './bank-accounts.service.js';
import { PaymentInstalment } from './finance.entity.js';
import { instalmentView, PaymentSchedulesService, type InstalmentView } from './payment-schedules.service.js';

export const DUE_STATUSES = ['due', 'overdue', 'blocked'] as const;
export type DueStatus = (typeof DUE_STATUSES)[number];

export interface DueBlocker {
  code: 'FINANCE.BANK_DETAILS_MISSING' | 'FINANCE.BANK_DETAILS_UNVERIFIED' | 'FINANCE.CONDITION_UNMET' | 'FINANCE.AWAITING_APPROVAL';
  message: string;
}

export interface DueItem {
  instalment: InstalmentView;
  award: { id: string; reference: string; organisationName: string; roundId: string; status: string; amountPence: number; paidPence: number };
  fundId: string;
  /** due: payable now or later; overdue: its date has passed; blocked: something must happen first (see blockers). */
  status: DueStatus;
  overdue: boolean;
  blockers: DueBlocker[];
}

export interface DueQuery {
  fundId?: string;
  roundId?: string;
  status?: DueStatus;
  page: number;
  pageSize: number;
}

/**
 * Finance's list of instalments not yet fully paid, across awards that can be paid: what is due,
 * overdue (its date has passed) and blocked, with why (bank details missing or unverified, a
 * condition not met, a payment waiting for approval). A fixed number of queries whatever its
 * length: the instalments, the payments waiting, the bank details, the awards and their organisations.
 */
@Injectable()
export class PaymentsDueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly awards: AwardReader,
    private readonly bank: BankAccountsService,
    private readonly schedules: PaymentSchedulesService,
    private readonly clock: Clock,
  ) {}

  async list(query: DueQuery): Promise<PageOf<DueItem>> {
    const all = await this.all(query);
    const start = (query.page - 1) * query.pageSize;
    return pageOf(all.slice(start, start + query.pageSize), all.length, query);
  }

  async all(query: Omit<DueQuery, 'page' | 'pageSize'>): Promise<DueItem[]> {
    if ((query.fundId !== undefined && !isUuid(query.fundId)) || (query.roundId !== undefined && !isUuid(query.roundId))) return [];
    const m = this.dataSource.manager;
    const qb = m.createQueryBuilder(PaymentInstalment, 'i').where('i.paid_pence < i.amount_pence');
    if (query.fundId) qb.andWhere('i.fund_id = :fundId', { fundId: query.fundId });
    if (query.roundId) qb.andWhere('i.round_id = :roundId', { roundId: query.roundId });
    const rows = await qb.orderBy('i.due_on', 'ASC').addOrderBy('i.award_id', 'ASC').addOrderBy('i.position', 'ASC').getMany();
    const awardIds = [...new Set(rows.map((r) => r.awardId))];
    if (awardIds.length === 0) return [];
    const awaiting = await this.schedules.awaitingByInstalment(m, awardIds);
    const blocks = await this.bank.paymentBlocks(awardIds, m);
    const awards = new Map((await this.awards.byIds(awardIds, m)).map((a) => [a.id, a]));
    const today = londonDate(this.clock.now());
    const items: DueItem[] = [];
    for (const row of rows) {
      const award = awards.get(row.awardId);
      if (!award || !awardCan(award.status).payable) continue;
      const instalment = instalmentView(row, awaiting.get(row.id) ?? 0);
      const blockers: DueBlocker[] = [];
      const bank = blocks.get(row.awardId);
      if (bank) blockers.push(bank);
      if (!instalment.conditionMet) blockers.push({ code: 'FINANCE.CONDITION_UNMET', message: `Condition not met: ${instalment.conditionText}` });
      if (instalment.awaitingApprovalPence > 0) blockers.push({ code: 'FINANCE.AWAITING_APPROVAL', message: 'A payment is waiting for a second finance officer’s approval' });
      const overdue = instalment.dueOn < today;
      const status: DueStatus = blockers.length ? 'blocked' : overdue ? 'overdue' : 'due';
      if (query.status && query.status !== status) continue;
      items.push({
        instalment,
        award: { id: award.id, reference: award.reference, organisationName: award.organisation.name, roundId: award.roundId, status: award.status, amountPence: award.amountPence, paidPence: award.paidPence },
        fundId: row.fundId,
        status,
        overdue,
        blockers,
      });
    }
    return items;
  }

  static readonly HEADER = ['Award', 'Organisation', 'Instalment', 'Due on', 'Amount (£)', 'Paid (£)', 'Waiting approval (£)', 'Outstanding (£)', 'Status', 'Overdue', 'Blocked because'];

  private cells(item: DueItem): (string | number)[] {
    const i = item.instalment;
    return [
      item.award.reference,
      item.award.organisationName,
      i.position,
      i.dueOn,
      penceAsPounds(i.amountPence),
      penceAsPounds(i.paidPence),
      penceAsPounds(i.awaitingApprovalPence),
      penceAsPounds(i.outstandingPence),
      item.status,
      item.overdue ? 'yes' : 'no',
      item.blockers.map((b) => b.message).join('; '),
    ];
  }

  async csv(query: Omit<DueQuery, 'page' | 'pageSize'>): Promise<string> {
    return toCsv(PaymentsDueService.HEADER, (await this.all(query)).map((i) => this.cells(i)));
  }

  async xlsx(query: Omit<DueQuery, 'page' | 'pageSize'>): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Payments due');
    sheet.addRow(PaymentsDueService.HEADER).font = { bold: true };
    for (const item of await this.all(query)) {
      const row = this.cells(item);
      // Money as numbers (pounds) so the sheet can add them up; everything else as text.
      sheet.addRow(row.map((v, i) => (i >= 4 && i <= 7 ? Number(v) : v)));
    }
    sheet.columns.forEach((c, i) => {
      c.width = i === 1 || i === 10 ? 40 : 16;
      if (i >= 4 && i <= 7) c.numFmt = '#,##0.00';
    });
    return Buffer.from(await book.xlsx.writeBuffer());
  }
}

/** CSV as spreadsheets read it (RFC 4180, CRLF), with formula-looking cells made safe by a leading quote. */
function toCsv(header: string[], rows: unknown[][]): string {
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return '';
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
