import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Assessment1797200000000 implements MigrationInterface {
  name = 'Assessment1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "assessment_settings" ("round_id" uuid NOT NULL, "criteria" jsonb NOT NULL DEFAULT '[]', "assessors_per_bid" integer NOT NULL DEFAULT '2', "moderation_threshold" integer NOT NULL DEFAULT '20', "due_days" integer NOT NULL DEFAULT '14', CONSTRAINT "PK_ac2b2432f2583d7c121c2c46e96" PRIMARY KEY ("round_id"))`);
    await queryRunner.query(`CREATE TABLE "assessor_pool" ("round_id" uuid NOT NULL, "user_id" uuid NOT NULL, "capacity" integer NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8d7e679971c0f31d054f84a8f19" PRIMARY KEY ("round_id", "user_id"))`);
    await queryRunner.query(`CREATE TABLE "conflicts_of_interest" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "reason" text NOT NULL, "declared_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0be43c14eac716e40346c72071a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_conflicts_person_organisation" ON "conflicts_of_interest"  ("user_id", "organisation_id") `);
    await queryRunner.query(`CREATE TABLE "assessment_bids" ("application_id" uuid NOT NULL, "round_id" uuid NOT NULL, "pot_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "state" character varying(20) NOT NULL, "moderated_score" numeric(5,2), "moderation_reason" text, "arrived_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_assessment_bids_state" CHECK ("state" IN ('unassigned', 'assessing', 'flagged', 'assessed')), CONSTRAINT "PK_63ea09ee3a96f15fd5827232fda" PRIMARY KEY ("application_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_assessment_bids_round" ON "assessment_bids"  ("round_id") `);
    await queryRunner.query(`CREATE TABLE "assessments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "application_id" uuid NOT NULL, "round_id" uuid NOT NULL, "assessor_id" uuid NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'open', "due_on" date NOT NULL, "scores" jsonb NOT NULL DEFAULT '[]', "recommendation" character varying(20), "recommended_pence" bigint, "weighted_score" numeric(5,2), "no_conflict_confirmed_at" TIMESTAMP WITH TIME ZONE, "submitted_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL DEFAULT '1', "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_assessments_status" CHECK ("status" IN ('open', 'submitted', 'removed')), CONSTRAINT "PK_a3442bd80a00e9111cefca57f6c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_assessments_assessor_due" ON "assessments"  ("assessor_id", "due_on") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_assessments_bid_assessor" ON "assessments"  ("application_id", "assessor_id") WHERE status <> 'removed'`);
    await queryRunner.query(`CREATE TABLE "assessment_reminders" ("assessment_id" uuid NOT NULL, "kind" character varying(20) NOT NULL, "due_on" date NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c0b5004e185666a9ec73a1e31a4" PRIMARY KEY ("assessment_id", "kind", "due_on"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "assessment_reminders"`);
    await queryRunner.query(`DROP INDEX "public"."uq_assessments_bid_assessor"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assessments_assessor_due"`);
    await queryRunner.query(`DROP TABLE "assessments"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assessment_bids_round"`);
    await queryRunner.query(`DROP TABLE "assessment_bids"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conflicts_person_organisation"`);
    await queryRunner.query(`DROP TABLE "conflicts_of_interest"`);
    await queryRunner.query(`DROP TABLE "assessor_pool"`);
    await queryRunner.query(`DROP TABLE "assessment_settings"`);
  }
}
