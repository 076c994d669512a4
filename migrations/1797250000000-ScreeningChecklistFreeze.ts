import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A round's screening checklist freezes when screening of any of its bids starts. Rounds where
 * a bid has already been screened (or moved to screening) are frozen now.
 */
export class ScreeningChecklistFreeze1797250000000 implements MigrationInterface {
  name = 'ScreeningChecklistFreeze1797250000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "screening_checklist_items" ADD "frozen_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE "screening_checklist_items" SET "frozen_at" = now()
        WHERE "round_id" IN (SELECT a."round_id" FROM "applications" a JOIN "application_transitions" t ON t."application_id" = a."id" WHERE t."to_status" = 'screening')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "screening_checklist_items" DROP COLUMN "frozen_at"`);
  }
}
