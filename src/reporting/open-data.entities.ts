import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';

/** What may be held back from the 360Giving open data: the whole award, or only where it is (location and postcode). */
export const WITHHOLDING_SCOPES = ['award', 'location'] as const;
export type WithholdingScope = (typeof WITHHOLDING_SCOPES)[number];

/** An award held back (wholly, or only its location) from the 360Giving open data, with why and by whom. */
@Entity('open_data_withholdings')
@Check('chk_open_data_withholdings_scope', oneOf('scope', WITHHOLDING_SCOPES))
export class OpenDataWithholding {
  @ForeignKey('awards', { name: 'fk_open_data_withholdings_award', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'award_id', type: 'uuid' })
  awardId: string;

  @Column({ type: 'varchar', length: 10 })
  scope: WithholdingScope;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @ForeignKey('users', { name: 'fk_open_data_withholdings_by', onDelete: 'RESTRICT' })
  @Column({ name: 'withheld_by', type: 'uuid', nullable: true })
  withheldBy: string | null;

  @Column({ name: 'withheld_at', type: 'timestamptz' })
  withheldAt: Date;
}

export const OPEN_DATA_ENTITIES = [OpenDataWithholding];
