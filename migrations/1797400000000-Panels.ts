import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Panels1797400000000 implements MigrationInterface {
  name = 'Panels1797400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "idempotency_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "caller_id" uuid NOT NULL, "key" character varying(200) NOT NULL, "scope" character varying(300) NOT NULL, "request_hash" character(64) NOT NULL, "response_status" integer NOT NULL, "response_body" json NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_idempotency_keys_caller_key" UNIQUE ("caller_id", "key"), CONSTRAINT "PK_8ad20779ad0411107a56e53d0f6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "panels" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "meeting_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'open', "minutes" jsonb, "confirmed_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_panels_status" CHECK ("status" IN ('open', 'confirmed')), CONSTRAINT "PK_28351db7a5287474802f65f837b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_panels_round" ON "panels"  ("round_id") `);
    await queryRunner.query(`CREATE TABLE "panel_members" ("panel_id" uuid NOT NULL, "user_id" uuid NOT NULL, "chair" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_94876b040e1ebede3ddf7375783" PRIMARY KEY ("panel_id", "user_id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_panel_members_one_chair" ON "panel_members"  ("panel_id") WHERE "chair"`);
    await queryRunner.query(`CREATE INDEX "ix_panel_members_user" ON "panel_members"  ("user_id") `);
    await queryRunner.query(`CREATE TABLE "panel_agenda_items" ("panel_id" uuid NOT NULL, "application_id" uuid NOT NULL, "pot_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "amount_requested_pence" bigint NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_78694160335bde9df8298ac56aa" PRIMARY KEY ("panel_id", "application_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_panel_agenda_items_application" ON "panel_agenda_items"  ("application_id") `);
    await queryRunner.query(`CREATE TABLE "panel_decisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "panel_id" uuid NOT NULL, "application_id" uuid NOT NULL, "outcome" character varying(20) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'recorded', "amount_pence" bigint, "reduced_budget_lines" jsonb NOT NULL DEFAULT '[]', "conditions" jsonb NOT NULL DEFAULT '[]', "feedback" text, "reason" text, "award_id" uuid, "version" integer NOT NULL DEFAULT '1', "recorded_by" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_panel_decisions_panel_application" UNIQUE ("panel_id", "application_id"), CONSTRAINT "chk_panel_decisions_amount" CHECK ("amount_pence" IS NULL OR "amount_pence" > 0), CONSTRAINT "chk_panel_decisions_status" CHECK ("status" IN ('recorded', 'changed', 'confirmed')), CONSTRAINT "chk_panel_decisions_outcome" CHECK ("outcome" IN ('approve', 'approve_in_part', 'reject', 'defer')), CONSTRAINT "PK_06e5cf51c30b5e1a3e5c92c3f09" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "panel_standard_conditions" ("fund_id" uuid NOT NULL, "conditions" jsonb NOT NULL DEFAULT '[]', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_23101193745605718d9eee234c6" PRIMARY KEY ("fund_id"))`);
    await queryRunner.query(`ALTER TABLE "panels" ADD CONSTRAINT "fk_panels_round" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "panel_members" ADD CONSTRAINT "fk_panel_members_panel" FOREIGN KEY ("panel_id") REFERENCES "panels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "panel_members" ADD CONSTRAINT "fk_panel_members_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "panel_agenda_items" ADD CONSTRAINT "fk_panel_agenda_items_panel" FOREIGN KEY ("panel_id") REFERENCES "panels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "panel_agenda_items" ADD CONSTRAINT "fk_panel_agenda_items_application" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "panel_decisions" ADD CONSTRAINT "fk_panel_decisions_panel" FOREIGN KEY ("panel_id") REFERENCES "panels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "panel_decisions" ADD CONSTRAINT "fk_panel_decisions_application" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "panel_standard_conditions" ADD CONSTRAINT "fk_panel_standard_conditions_fund" FOREIGN KEY ("fund_id") REFERENCES "funds"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "panel_standard_conditions" DROP CONSTRAINT "fk_panel_standard_conditions_fund"`);
    await queryRunner.query(`ALTER TABLE "panel_decisions" DROP CONSTRAINT "fk_panel_decisions_application"`);
    await queryRunner.query(`ALTER TABLE "panel_decisions" DROP CONSTRAINT "fk_panel_decisions_panel"`);
    await queryRunner.query(`ALTER TABLE "panel_agenda_items" DROP CONSTRAINT "fk_panel_agenda_items_application"`);
    await queryRunner.query(`ALTER TABLE "panel_agenda_items" DROP CONSTRAINT "fk_panel_agenda_items_panel"`);
    await queryRunner.query(`ALTER TABLE "panel_members" DROP CONSTRAINT "fk_panel_members_user"`);
    await queryRunner.query(`ALTER TABLE "panel_members" DROP CONSTRAINT "fk_panel_members_panel"`);
    await queryRunner.query(`ALTER TABLE "panels" DROP CONSTRAINT "fk_panels_round"`);
    await queryRunner.query(`DROP TABLE "panel_standard_conditions"`);
    await queryRunner.query(`DROP TABLE "panel_decisions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_panel_agenda_items_application"`);
    await queryRunner.query(`DROP TABLE "panel_agenda_items"`);
    await queryRunner.query(`DROP INDEX "public"."ix_panel_members_user"`);
    await queryRunner.query(`DROP INDEX "public"."uq_panel_members_one_chair"`);
    await queryRunner.query(`DROP TABLE "panel_members"`);
    await queryRunner.query(`DROP INDEX "public"."ix_panels_round"`);
    await queryRunner.query(`DROP TABLE "panels"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
