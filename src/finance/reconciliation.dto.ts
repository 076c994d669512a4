import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class ReconciliationQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One round (or give fundId)' })
  @IsOptional()
  @IsUUID()
  roundId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Every round of a fund (or give roundId)' })
  @IsOptional()
  @IsUUID()
  fundId?: string;
}

type Schema = Record<string, unknown>;
const str: Schema = { type: 'string' };
const uuid: Schema = { type: 'string', format: 'uuid' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const nullable = (s: Schema): Schema => ({ ...s, nullable: true });
const obj = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({ type: 'object', properties, required });
const arr = (items: Schema): Schema => ({ type: 'array', items });

export const RECONCILIATION_SCHEMA = obj({
  fundId: uuid,
  roundId: nullable(uuid),
  clean: { type: 'boolean', description: 'True when nothing differs' },
  differences: arr(
    obj({
      scope: { type: 'string', enum: ['award', 'pot'] },
      id: uuid,
      label: str,
      check: { type: 'string', enum: ['outstanding', 'ledger_committed', 'ledger_paid', 'pot_ledger', 'pot_awards'] },
      expectedPence: int,
      actualPence: int,
      differencePence: int,
      message: str,
    }),
  ),
  awards: arr(
    obj({
      awardId: uuid,
      reference: str,
      organisationName: str,
      roundId: uuid,
      potId: uuid,
      status: str,
      live: bool,
      amountPence: int,
      paidPence: int,
      outstandingPence: int,
      releasedPence: int,
      ledgerCommittedPence: int,
      ledgerPaidPence: int,
      balances: bool,
      committedMatches: bool,
      paidMatches: bool,
    }),
  ),
  pots: arr(
    obj({
      potId: uuid,
      name: str,
      roundId: uuid,
      budgetPence: int,
      committedPence: int,
      ledgerCommittedPence: int,
      awardsCommittedPence: int,
      ledgerPaidPence: int,
      ledgerMatches: bool,
      awardsMatch: bool,
    }),
  ),
  totals: obj({ awards: int, amountPence: int, paidPence: int, outstandingPence: int, releasedPence: int, ledgerCommittedPence: int, ledgerPaidPence: int }),
});
