import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Awards (issue 8): the award of a confirmed approval with its own reference counter per round, its
 * history of moves (the lifecycle table is award-lifecycle.ts), and each fund's grant agreement
 * terms as published versions (the offer records the version current when it was made).
 */
export class Awards1797500000000 implements MigrationInterface {
  name = 'Awards1797500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "awards" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "reference" character varying(40) NOT NULL, "decision_id" uuid NOT NULL, "application_id" uuid NOT NULL, "round_id" uuid NOT NULL, "pot_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "amount_pence" bigint NOT NULL, "conditions" jsonb NOT NULL DEFAULT '[]', "status" character varying(20) NOT NULL DEFAULT 'provisional', "offered_at" TIMESTAMP WITH TIME ZONE, "offer_expires_at" TIMESTAMP WITH TIME ZONE, "agreement_terms_id" uuid, "agreement_version" integer, "signatory_name" character varying(200), "signatory_role" character varying(200), "responded_by" uuid, "responded_at" TIMESTAMP WITH TIME ZONE, "decline_reason" text, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_657d32b4564240e9e342ad7003a" UNIQUE ("reference"), CONSTRAINT "UQ_838488a0600a9a9c6615d3d03f5" UNIQUE ("decision_id"), CONSTRAINT "chk_awards_amount" CHECK ("amount_pence" > 0), CONSTRAINT "chk_awards_status" CHECK ("status" IN ('provisional', 'offered', 'accepted', 'declined', 'expired', 'withdrawn', 'cancelled', 'active', 'monitoring', 'closed')), CONSTRAINT "PK_bc3f6adc548ff46c76c03e06377" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_awards_created" ON "awards"  ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_awards_organisation" ON "awards"  ("organisation_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_awards_round_status" ON "awards"  ("round_id", "status") `);
    await queryRunner.query(`CREATE TABLE "award_transitions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "award_id" uuid NOT NULL, "from_status" character varying(20), "to_status" character varying(20) NOT NULL, "made_as" character varying(20) NOT NULL, "actor_user_id" uuid, "actor_label" character varying(200) NOT NULL, "reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_award_transitions_by" CHECK ("made_as" IN ('panel', 'applicant', 'grants_officer', 'finance_officer', 'system')), CONSTRAINT "chk_award_transitions_to" CHECK ("to_status" IN ('provisional', 'offered', 'accepted', 'declined', 'expired', 'withdrawn', 'cancelled', 'active', 'monitoring', 'closed')), CONSTRAINT "chk_award_transitions_from" CHECK ("from_status" IS NULL OR "from_status" IN ('provisional', 'offered', 'accepted', 'declined', 'expired', 'withdrawn', 'cancelled', 'active', 'monitoring', 'closed')), CONSTRAINT "PK_ea61fb691a23913ffe6be91eea2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_award_transitions_award" ON "award_transitions"  ("award_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "award_reference_counters" ("round_id" uuid NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "PK_ed1c00d35d0751df77f54fd8285" PRIMARY KEY ("round_id"))`);
    await queryRunner.query(`CREATE TABLE "agreement_terms" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "fund_id" uuid NOT NULL, "version" integer NOT NULL, "text" text NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_by" uuid, "published_by_label" character varying(200) NOT NULL, CONSTRAINT "uq_agreement_terms_fund_version" UNIQUE ("fund_id", "version"), CONSTRAINT "chk_agreement_terms_version" CHECK ("version" > 0), CONSTRAINT "PK_cf41fc07ab90265b2bda0240404" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "awards" ADD CONSTRAINT "fk_awards_application" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "awards" ADD CONSTRAINT "fk_awards_round" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "awards" ADD CONSTRAINT "fk_awards_pot" FOREIGN KEY ("pot_id") REFERENCES "pots"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "awards" ADD CONSTRAINT "fk_awards_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "awards" ADD CONSTRAINT "fk_awards_agreement_terms" FOREIGN KEY ("agreement_terms_id") REFERENCES "agreement_terms"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "award_transitions" ADD CONSTRAINT "fk_award_transitions_award" FOREIGN KEY ("award_id") REFERENCES "awards"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "award_reference_counters" ADD CONSTRAINT "fk_award_reference_counters_round" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "agreement_terms" ADD CONSTRAINT "fk_agreement_terms_fund" FOREIGN KEY ("fund_id") REFERENCES "funds"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "agreement_terms" DROP CONSTRAINT "fk_agreement_terms_fund"`);
    await queryRunner.query(`ALTER TABLE "award_reference_counters" DROP CONSTRAINT "fk_award_reference_counters_round"`);
    await queryRunner.query(`ALTER TABLE "award_transitions" DROP CONSTRAINT "fk_award_transitions_award"`);
    await queryRunner.query(`ALTER TABLE "awards" DROP CONSTRAINT "fk_awards_agreement_terms"`);
    await queryRunner.query(`ALTER TABLE "awards" DROP CONSTRAINT "fk_awards_organisation"`);
    await queryRunner.query(`ALTER TABLE "awards" DROP CONSTRAINT "fk_awards_pot"`);
    await queryRunner.query(`ALTER TABLE "awards" DROP CONSTRAINT "fk_awards_round"`);
    await queryRunner.query(`ALTER TABLE "awards" DROP CONSTRAINT "fk_awards_application"`);
    await queryRunner.query(`DROP TABLE "agreement_terms"`);
    await queryRunner.query(`DROP TABLE "award_reference_counters"`);
    await queryRunner.query(`DROP INDEX "public"."ix_award_transitions_award"`);
    await queryRunner.query(`DROP TABLE "award_transitions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_awards_round_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_awards_organisation"`);
    await queryRunner.query(`DROP INDEX "public"."ix_awards_created"`);
    await queryRunner.query(`DROP TABLE "awards"`);
  }
}
