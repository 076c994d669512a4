import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Variations of an award (awards: at most one open per award, by a partial unique index), money
 * an organisation must pay back (finance's clawbacks: what came in never passes what is owed) and
 * money received back (finance's repayments: an underspend, a clawback, or other).
 */
export class VariationsAndRepayments1797640000000 implements MigrationInterface {
  name = 'VariationsAndRepayments1797640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "award_variations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "award_id" uuid NOT NULL, "kind" character varying(20) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'requested', "reason" text NOT NULL, "before" jsonb NOT NULL, "proposed" jsonb NOT NULL, "requested_by" uuid, "requested_by_label" character varying(254) NOT NULL, "decided_by" uuid, "decided_by_label" character varying(254), "decided_at" TIMESTAMP WITH TIME ZONE, "decision_note" text, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_award_variations_status" CHECK ("status" IN ('requested', 'approved', 'refused', 'withdrawn')), CONSTRAINT "chk_award_variations_kind" CHECK ("kind" IN ('budget', 'end_date', 'amount')), CONSTRAINT "PK_a320a619fe0d4ea078792bead75" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_award_variations_open" ON "award_variations"  ("award_id") WHERE "status" = 'requested'`);
    await queryRunner.query(`CREATE INDEX "ix_award_variations_status" ON "award_variations"  ("status", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_award_variations_award" ON "award_variations"  ("award_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "clawbacks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "award_id" uuid NOT NULL, "amount_pence" bigint NOT NULL, "repaid_pence" bigint NOT NULL DEFAULT '0', "reason" text NOT NULL, "due_on" date NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'raised', "raised_by" uuid, "raised_by_label" character varying(254) NOT NULL, "cancel_reason" text, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_clawbacks_amounts" CHECK ("amount_pence" > 0 AND "repaid_pence" >= 0 AND "repaid_pence" <= "amount_pence"), CONSTRAINT "chk_clawbacks_status" CHECK ("status" IN ('raised', 'partly_repaid', 'repaid', 'cancelled')), CONSTRAINT "PK_a658b35a96020f75c87315c5e30" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_clawbacks_award" ON "clawbacks"  ("award_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "repayments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "award_id" uuid NOT NULL, "clawback_id" uuid, "amount_pence" bigint NOT NULL, "received_on" date NOT NULL, "reference" character varying(100) NOT NULL, "reason" character varying(20) NOT NULL, "recorded_by" uuid, "recorded_by_label" character varying(254) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_repayments_clawback_reason" CHECK ("clawback_id" IS NULL OR "reason" = 'clawback'), CONSTRAINT "chk_repayments_amount" CHECK ("amount_pence" > 0), CONSTRAINT "chk_repayments_reason" CHECK ("reason" IN ('underspend', 'clawback', 'other')), CONSTRAINT "PK_7f297f77b60d1cbfe1d48ec4afa" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_repayments_clawback" ON "repayments"  ("clawback_id") `);
    await queryRunner.query(`CREATE INDEX "ix_repayments_award" ON "repayments"  ("award_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "award_variations" ADD CONSTRAINT "fk_award_variations_award" FOREIGN KEY ("award_id") REFERENCES "awards"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "clawbacks" ADD CONSTRAINT "fk_clawbacks_award" FOREIGN KEY ("award_id") REFERENCES "awards"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "repayments" ADD CONSTRAINT "fk_repayments_award" FOREIGN KEY ("award_id") REFERENCES "awards"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "repayments" ADD CONSTRAINT "fk_repayments_clawback" FOREIGN KEY ("clawback_id") REFERENCES "clawbacks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "repayments" DROP CONSTRAINT "fk_repayments_clawback"`);
    await queryRunner.query(`ALTER TABLE "repayments" DROP CONSTRAINT "fk_repayments_award"`);
    await queryRunner.query(`ALTER TABLE "clawbacks" DROP CONSTRAINT "fk_clawbacks_award"`);
    await queryRunner.query(`ALTER TABLE "award_variations" DROP CONSTRAINT "fk_award_variations_award"`);
    await queryRunner.query(`DROP INDEX "public"."ix_repayments_award"`);
    await queryRunner.query(`DROP INDEX "public"."ix_repayments_clawback"`);
    await queryRunner.query(`DROP TABLE "repayments"`);
    await queryRunner.query(`DROP INDEX "public"."ix_clawbacks_award"`);
    await queryRunner.query(`DROP TABLE "clawbacks"`);
    await queryRunner.query(`DROP INDEX "public"."ix_award_variations_award"`);
    await queryRunner.query(`DROP INDEX "public"."ix_award_variations_status"`);
    await queryRunner.query(`DROP INDEX "public"."uq_award_variations_open"`);
    await queryRunner.query(`DROP TABLE "award_variations"`);
  }
}
