import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporting's own tables: past awards imported from spreadsheets (with the batches they came in and
 * their priorities), other funding streams recorded against priorities, and the wording the
 * Resources and Funding section uses for a priority. Reporting reads every other module's tables
 * and writes only these.
 */
export class Reporting1797700000000 implements MigrationInterface {
  name = 'Reporting1797700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "import_batches" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "fund_id" uuid NOT NULL, "file_name" character varying(200) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'checked', "row_count" integer NOT NULL DEFAULT '0', "processed_count" integer NOT NULL DEFAULT '0', "imported_count" integer NOT NULL DEFAULT '0', "errors" jsonb NOT NULL DEFAULT '[]', "rows" jsonb NOT NULL DEFAULT '[]', "created_by" uuid, "created_by_label" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "chk_import_batches_status" CHECK ("status" IN ('checked', 'queued', 'importing', 'imported', 'failed')), CONSTRAINT "PK_6162597a2576c03e04bb2c1a2dd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_import_batches_created" ON "import_batches"  ("created_at") `);
    await queryRunner.query(`CREATE TABLE "past_awards" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "fund_id" uuid NOT NULL, "round_label" character varying(100) NOT NULL, "round_id" uuid, "organisation_name" character varying(160) NOT NULL, "charity_number" character varying(12), "company_number" character varying(8), "postcode" character varying(8), "organisation_id" uuid, "organisation_key" character varying(200) NOT NULL, "district_id" uuid, "project" character varying(300) NOT NULL, "amount_awarded_pence" bigint NOT NULL, "amount_paid_pence" bigint, "decision_date" date NOT NULL, "batch_id" uuid NOT NULL, "row_hash" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_past_awards_paid" CHECK ("amount_paid_pence" IS NULL OR ("amount_paid_pence" >= 0 AND "amount_paid_pence" <= "amount_awarded_pence")), CONSTRAINT "chk_past_awards_amount" CHECK ("amount_awarded_pence" > 0), CONSTRAINT "PK_3f4140f2690e049ff3a016456da" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_past_awards_row_hash" ON "past_awards"  ("row_hash") `);
    await queryRunner.query(`CREATE INDEX "ix_past_awards_fund_decided" ON "past_awards"  ("fund_id", "decision_date") `);
    await queryRunner.query(`CREATE TABLE "past_award_priorities" ("past_award_id" uuid NOT NULL, "priority_id" uuid NOT NULL, CONSTRAINT "PK_fc8568d1b2fe03148d10d14371e" PRIMARY KEY ("past_award_id", "priority_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_past_award_priorities_priority" ON "past_award_priorities"  ("priority_id") `);
    await queryRunner.query(`CREATE TABLE "funding_streams" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "description" character varying(500) NOT NULL, "amount_pence" bigint, "financial_year" character varying(7) NOT NULL, "source" character varying(200), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_funding_streams_year" CHECK ("financial_year" ~ '^[0-9]{4}/[0-9]{2}$'), CONSTRAINT "chk_funding_streams_amount" CHECK ("amount_pence" IS NULL OR "amount_pence" >= 0), CONSTRAINT "PK_c828d8ba11100d8a7613d158d81" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_funding_streams_year" ON "funding_streams"  ("financial_year") `);
    await queryRunner.query(`CREATE TABLE "funding_stream_priorities" ("funding_stream_id" uuid NOT NULL, "priority_id" uuid NOT NULL, CONSTRAINT "PK_4a1c942782f23367c03482c58dd" PRIMARY KEY ("funding_stream_id", "priority_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_funding_stream_priorities_priority" ON "funding_stream_priorities"  ("priority_id") `);
    await queryRunner.query(`CREATE TABLE "priority_report_wordings" ("priority_id" uuid NOT NULL, "tackling" character varying(200) NOT NULL, CONSTRAINT "PK_ece6e642cae6ff51cce469ebbcf" PRIMARY KEY ("priority_id"))`);
    await queryRunner.query(`ALTER TABLE "import_batches" ADD CONSTRAINT "fk_import_batches_fund" FOREIGN KEY ("fund_id") REFERENCES "funds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "past_awards" ADD CONSTRAINT "fk_past_awards_fund" FOREIGN KEY ("fund_id") REFERENCES "funds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "past_awards" ADD CONSTRAINT "fk_past_awards_round" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "past_awards" ADD CONSTRAINT "fk_past_awards_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "past_awards" ADD CONSTRAINT "fk_past_awards_district" FOREIGN KEY ("district_id") REFERENCES "districts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "past_awards" ADD CONSTRAINT "fk_past_awards_batch" FOREIGN KEY ("batch_id") REFERENCES "import_batches"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "past_award_priorities" ADD CONSTRAINT "fk_past_award_priorities_award" FOREIGN KEY ("past_award_id") REFERENCES "past_awards"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "past_award_priorities" ADD CONSTRAINT "fk_past_award_priorities_priority" FOREIGN KEY ("priority_id") REFERENCES "priorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "funding_stream_priorities" ADD CONSTRAINT "fk_funding_stream_priorities_stream" FOREIGN KEY ("funding_stream_id") REFERENCES "funding_streams"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "funding_stream_priorities" ADD CONSTRAINT "fk_funding_stream_priorities_priority" FOREIGN KEY ("priority_id") REFERENCES "priorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "priority_report_wordings" ADD CONSTRAINT "fk_priority_report_wordings_priority" FOREIGN KEY ("priority_id") REFERENCES "priorities"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "priority_report_wordings" DROP CONSTRAINT "fk_priority_report_wordings_priority"`);
    await queryRunner.query(`ALTER TABLE "funding_stream_priorities" DROP CONSTRAINT "fk_funding_stream_priorities_priority"`);
    await queryRunner.query(`ALTER TABLE "funding_stream_priorities" DROP CONSTRAINT "fk_funding_stream_priorities_stream"`);
    await queryRunner.query(`ALTER TABLE "past_award_priorities" DROP CONSTRAINT "fk_past_award_priorities_priority"`);
    await queryRunner.query(`ALTER TABLE "past_award_priorities" DROP CONSTRAINT "fk_past_award_priorities_award"`);
    await queryRunner.query(`ALTER TABLE "past_awards" DROP CONSTRAINT "fk_past_awards_batch"`);
    await queryRunner.query(`ALTER TABLE "past_awards" DROP CONSTRAINT "fk_past_awards_district"`);
    await queryRunner.query(`ALTER TABLE "past_awards" DROP CONSTRAINT "fk_past_awards_organisation"`);
    await queryRunner.query(`ALTER TABLE "past_awards" DROP CONSTRAINT "fk_past_awards_round"`);
    await queryRunner.query(`ALTER TABLE "past_awards" DROP CONSTRAINT "fk_past_awards_fund"`);
    await queryRunner.query(`ALTER TABLE "import_batches" DROP CONSTRAINT "fk_import_batches_fund"`);
    await queryRunner.query(`DROP TABLE "priority_report_wordings"`);
    await queryRunner.query(`DROP INDEX "public"."ix_funding_stream_priorities_priority"`);
    await queryRunner.query(`DROP TABLE "funding_stream_priorities"`);
    await queryRunner.query(`DROP INDEX "public"."ix_funding_streams_year"`);
    await queryRunner.query(`DROP TABLE "funding_streams"`);
    await queryRunner.query(`DROP INDEX "public"."ix_past_award_priorities_priority"`);
    await queryRunner.query(`DROP TABLE "past_award_priorities"`);
    await queryRunner.query(`DROP INDEX "public"."ix_past_awards_fund_decided"`);
    await queryRunner.query(`DROP INDEX "public"."uq_past_awards_row_hash"`);
    await queryRunner.query(`DROP TABLE "past_awards"`);
    await queryRunner.query(`DROP INDEX "public"."ix_import_batches_created"`);
    await queryRunner.query(`DROP TABLE "import_batches"`);
  }
}
