import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { oneOf } from '../database/checks.js';

export const LEDGER_ENTRY_KINDS = ['commit', 'release', 'payment', 'repayment'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/**
 * One movement of a pot's money, never changed or deleted (a trigger refuses it). Commits and
 * releases move the pot's committed amount; payments and repayments record what was paid out and
 * came back. `key` makes each movement happen once however often its cause is retried.
 */
@Entity('pot_ledger_entries')
@Unique('uq_pot_ledger_entries_key', ['key'])
@Check('chk_pot_ledger_entries_kind', oneOf('kind', LEDGER_ENTRY_KINDS))
@Check('chk_pot_ledger_entries_amount', '"amount_pence" > 0')
@Index('ix_pot_ledger_entries_pot', ['potId', 'createdAt'])
@Index('ix_pot_ledger_entries_source', ['sourceType', 'sourceId'])
export class PotLedgerEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('pots', { name: 'fk_pot_ledger_entries_pot', onDelete: 'RESTRICT' })
  @Column({ name: 'pot_id', type: 'uuid' })
  potId: string;

  @Column({ type: 'varchar', length: 12 })
  kind: LedgerEntryKind;

  @Column({ name: 'amount_pence', type: 'bigint' })
  amountPence: string;

  @Column({ type: 'varchar', length: 200 })
  key: string;

  /** What caused the movement ('decision', 'award', 'payment', ...) and its id. */
  @Column({ name: 'source_type', type: 'varchar', length: 40 })
  sourceType: string;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId: string;

  @Index('ix_pot_ledger_entries_application')
  @ForeignKey('applications', { name: 'fk_pot_ledger_entries_application', onDelete: 'RESTRICT' })
  @Column({ name: 'application_id', type: 'uuid', nullable: true })
  applicationId: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_label', type: 'varchar', length: 254 })
  actorLabel: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
