import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pot ledger (issue 8): the append-only record of every movement of a pot's money. Commits
 * (approvals) and releases (declined, reduced, withdrawn or expired offers) move the pot's
 * committed amount; payments and repayments (the finance issue) record what left and came back.
 * A pot's committed_pence is kept equal to its entries' net in the same transaction, by one
 * conditional UPDATE; the existing CHECK (committed within budget) is the last line. Entries can
 * be neither changed nor deleted: a trigger refuses it.
 */
export class PotLedger1797300000000 implements MigrationInterface {
  name = 'PotLedger1797300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "pot_ledger_entries" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "pot_id" uuid NOT NULL,
      "kind" varchar(12) NOT NULL,
      "amount_pence" bigint NOT NULL,
      "key" varchar(200) NOT NULL,
      "source_type" varchar(40) NOT NULL,
      "source_id" uuid NOT NULL,
      "application_id" uuid NULL,
      "note" text NULL,
      "actor_user_id" uuid NULL,
      "actor_label" varchar(254) NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "pk_pot_ledger_entries" PRIMARY KEY ("id"),
      CONSTRAINT "uq_pot_ledger_entries_key" UNIQUE ("key"),
      CONSTRAINT "chk_pot_ledger_entries_kind" CHECK ("kind" IN ('commit', 'release', 'payment', 'repayment')),
      CONSTRAINT "chk_pot_ledger_entries_amount" CHECK ("amount_pence" > 0),
      CONSTRAINT "fk_pot_ledger_entries_pot" FOREIGN KEY ("pot_id") REFERENCES "pots"("id") ON DELETE RESTRICT,
      CONSTRAINT "fk_pot_ledger_entries_application" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT
    )`);
    await queryRunner.query(`CREATE INDEX "ix_pot_ledger_entries_pot" ON "pot_ledger_entries" ("pot_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "ix_pot_ledger_entries_application" ON "pot_ledger_entries" ("application_id")`);
    await queryRunner.query(`CREATE INDEX "ix_pot_ledger_entries_source" ON "pot_ledger_entries" ("source_type", "source_id")`);
    await queryRunner.query(`CREATE FUNCTION pot_ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'pot_ledger_entries is append-only' USING ERRCODE = 'restrict_violation';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER "trg_pot_ledger_entries_append_only" BEFORE UPDATE OR DELETE ON "pot_ledger_entries"
      FOR EACH ROW EXECUTE FUNCTION pot_ledger_entries_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "pot_ledger_entries"`);
    await queryRunner.query(`DROP FUNCTION pot_ledger_entries_append_only()`);
  }
}
