import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring (issue 9): each round's return schedule, the returns each accepted award owes (with
 * their answers, status and last review), every move of a return, and the reminders sent (so a
 * reminder job delivered twice sends once).
 */
export class Monitoring1797630000000 implements MigrationInterface {
  name = 'Monitoring1797630000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "return_schedules" ("round_id" uuid NOT NULL, "returns" jsonb NOT NULL, "updated_by" character varying(320) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3a81fc67f91fdc6d19b79b00ca6" PRIMARY KEY ("round_id"))`);
    await queryRunner.query(`CREATE TABLE "monitoring_returns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "award_id" uuid NOT NULL, "number" integer NOT NULL, "period_label" character varying(100) NOT NULL, "months_after_start" integer NOT NULL, "due_on" date NOT NULL, "is_final" boolean NOT NULL DEFAULT false, "status" character varying(20) NOT NULL DEFAULT 'due', "spend" jsonb NOT NULL DEFAULT '[]', "outputs" jsonb NOT NULL DEFAULT '[]', "narrative" text NOT NULL DEFAULT '', "outcomes" text NOT NULL DEFAULT '', "case_study" text NOT NULL DEFAULT '', "submitted_at" TIMESTAMP WITH TIME ZONE, "submitted_by" uuid, "reviewed_at" TIMESTAMP WITH TIME ZONE, "reviewed_by" uuid, "review_note" text, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_monitoring_returns_award_number" UNIQUE ("award_id", "number"), CONSTRAINT "chk_monitoring_returns_number" CHECK ("number" >= 1), CONSTRAINT "chk_monitoring_returns_status" CHECK ("status" IN ('due', 'draft', 'submitted', 'accepted', 'changes_requested')), CONSTRAINT "PK_173d838766fe4c03441b47fa036" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_monitoring_returns_due" ON "monitoring_returns"  ("due_on") `);
    await queryRunner.query(`CREATE INDEX "ix_monitoring_returns_status" ON "monitoring_returns"  ("status", "submitted_at") `);
    await queryRunner.query(`CREATE TABLE "return_transitions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "return_id" uuid NOT NULL, "from_status" character varying(20) NOT NULL, "to_status" character varying(20) NOT NULL, "made_as" character varying(20) NOT NULL, "actor_user_id" uuid, "actor_label" character varying(320) NOT NULL, "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_return_transitions_made_as" CHECK ("made_as" IN ('applicant', 'grants_officer')), CONSTRAINT "PK_84787945288bf943e8774b242b4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_return_transitions_return" ON "return_transitions"  ("return_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "return_reminders" ("return_id" uuid NOT NULL, "kind" character varying(20) NOT NULL, "due_on" date NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bf9ae09a5f02262559ecaece91d" PRIMARY KEY ("return_id", "kind", "due_on"))`);
    await queryRunner.query(`ALTER TABLE "return_schedules" ADD CONSTRAINT "fk_return_schedules_round" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "monitoring_returns" ADD CONSTRAINT "fk_monitoring_returns_award" FOREIGN KEY ("award_id") REFERENCES "awards"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "return_transitions" ADD CONSTRAINT "fk_return_transitions_return" FOREIGN KEY ("return_id") REFERENCES "monitoring_returns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "return_reminders" ADD CONSTRAINT "fk_return_reminders_return" FOREIGN KEY ("return_id") REFERENCES "monitoring_returns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "return_reminders" DROP CONSTRAINT "fk_return_reminders_return"`);
    await queryRunner.query(`ALTER TABLE "return_transitions" DROP CONSTRAINT "fk_return_transitions_return"`);
    await queryRunner.query(`ALTER TABLE "monitoring_returns" DROP CONSTRAINT "fk_monitoring_returns_award"`);
    await queryRunner.query(`ALTER TABLE "return_schedules" DROP CONSTRAINT "fk_return_schedules_round"`);
    await queryRunner.query(`DROP TABLE "return_reminders"`);
    await queryRunner.query(`DROP INDEX "public"."ix_return_transitions_return"`);
    await queryRunner.query(`DROP TABLE "return_transitions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_monitoring_returns_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_monitoring_returns_due"`);
    await queryRunner.query(`DROP TABLE "monitoring_returns"`);
    await queryRunner.query(`DROP TABLE "return_schedules"`);
  }
}
