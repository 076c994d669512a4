import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening (issue 7): the parts of a bid reopened while more information is asked for (the
 * applications module's columns), each round's checklist as data with its defaults seeded for the
 * rounds that exist (new rounds get theirs on first use), the record of every screening (history,
 * never overwritten) and of every register look-up.
 */
export class Screening1797100000000 implements MigrationInterface {
  name = 'Screening1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "applications"
      ADD "reopened_sections" text[] NOT NULL DEFAULT '{}',
      ADD "reopened_attachment_kinds" text[] NOT NULL DEFAULT '{}',
      ADD "more_info_message" text NULL,
      ADD "respond_by" date NULL,
      ADD "resubmitted_at" timestamptz NULL`);
    await queryRunner.query(`CREATE TABLE "screening_checklist_items" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "round_id" uuid NOT NULL,
      "key" varchar(60) NOT NULL,
      "label" varchar(200) NOT NULL,
      "position" int NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "pk_screening_checklist_items" PRIMARY KEY ("id"),
      CONSTRAINT "uq_screening_checklist_items_round_key" UNIQUE ("round_id", "key"),
      CONSTRAINT "fk_screening_checklist_items_round" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE CASCADE
    )`);
    await queryRunner.query(`CREATE TABLE "screenings" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "application_id" uuid NOT NULL,
      "outcome" varchar(20) NOT NULL,
      "checklist" jsonb NOT NULL,
      "sections" text[] NOT NULL DEFAULT '{}',
      "attachment_kinds" text[] NOT NULL DEFAULT '{}',
      "message" text NULL,
      "respond_by" date NULL,
      "reason" text NULL,
      "screened_by" uuid NULL,
      "screened_by_label" varchar(200) NOT NULL,
      "reminder_sent_at" timestamptz NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "pk_screenings" PRIMARY KEY ("id"),
      CONSTRAINT "chk_screenings_outcome" CHECK ("outcome" IN ('pass', 'more_info', 'ineligible')),
      CONSTRAINT "fk_screenings_application" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE
    )`);
    await queryRunner.query(`CREATE INDEX "ix_screenings_application" ON "screenings" ("application_id", "created_at")`);
    await queryRunner.query(`CREATE TABLE "register_checks" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "application_id" uuid NOT NULL,
      "registered_number" varchar(40) NOT NULL,
      "name_shown" varchar(200) NOT NULL,
      "register_status" varchar(80) NOT NULL,
      "checked_at" timestamptz NOT NULL,
      "source" varchar(40) NOT NULL,
      "recorded_by" uuid NULL,
      "recorded_by_label" varchar(200) NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "pk_register_checks" PRIMARY KEY ("id"),
      CONSTRAINT "fk_register_checks_application" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE
    )`);
    await queryRunner.query(`CREATE INDEX "ix_register_checks_application" ON "register_checks" ("application_id", "created_at")`);
    await queryRunner.query(`INSERT INTO "screening_checklist_items" ("round_id", "key", "label", "position")
      SELECT r.id, d.key, d.label, d.position FROM "rounds" r CROSS JOIN (VALUES
        ('registered_number', 'Registered number checked against the public register', 1),
        ('latest_accounts', 'Latest accounts seen', 2),
        ('safeguarding_policy', 'Safeguarding policy in date', 3),
        ('bank_account', 'Bank account in the organisation''s name', 4),
        ('project_area', 'Project within the area', 5),
        ('no_excluded_purpose', 'No excluded purpose', 6)
      ) AS d(key, label, position)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "register_checks"`);
    await queryRunner.query(`DROP TABLE "screenings"`);
    await queryRunner.query(`DROP TABLE "screening_checklist_items"`);
    await queryRunner.query(`ALTER TABLE "applications" DROP COLUMN "resubmitted_at", DROP COLUMN "respond_by", DROP COLUMN "more_info_message", DROP COLUMN "reopened_attachment_kinds", DROP COLUMN "reopened_sections"`);
  }
}
