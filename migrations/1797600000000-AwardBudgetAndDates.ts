import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An award keeps its approved budget lines (what monitoring returns report spend against and
 * variations move money between) and the project's dates (returns fall due from the start; a
 * variation may extend the end), and what has been paid against it and released back to the pot (underspend, clawback, the unpaid
 * rest at closure), which the database keeps within the award's amount whatever the service does (AWARD.OVERPAID's last line). Existing awards take them from their bid, with the panel's
 * reductions where it approved in part.
 */
export class AwardBudgetAndDates1797600000000 implements MigrationInterface {
  name = 'AwardBudgetAndDates1797600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "awards" ADD "budget_lines" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "awards" ADD "starts_on" date`);
    await queryRunner.query(`ALTER TABLE "awards" ADD "ends_on" date`);
    await queryRunner.query(`ALTER TABLE "awards" ADD "paid_pence" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "awards" ADD "released_pence" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "awards" ADD CONSTRAINT "chk_awards_paid_within_amount" CHECK ("paid_pence" >= 0 AND "released_pence" >= 0 AND "paid_pence" + "released_pence" <= "amount_pence")`);
    await queryRunner.query(`
      UPDATE awards a SET starts_on = app.project_start_date, ends_on = app.project_end_date,
        budget_lines = COALESCE((
          SELECT jsonb_agg(jsonb_build_object('budgetLineId', l.id, 'item', l.item, 'category', l.category,
                   'amountPence', COALESCE((SELECT (r->>'amountPence')::bigint FROM panel_decisions d, jsonb_array_elements(d.reduced_budget_lines) r
                                             WHERE d.id = a.decision_id AND r->>'budgetLineId' = l.id::text), l.amount_pence)) ORDER BY l.position)
            FROM budget_lines l WHERE l.application_id = a.application_id), '[]')
        FROM applications app WHERE app.id = a.application_id`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "awards" DROP CONSTRAINT "chk_awards_paid_within_amount"`);
    await queryRunner.query(`ALTER TABLE "awards" DROP COLUMN "released_pence"`);
    await queryRunner.query(`ALTER TABLE "awards" DROP COLUMN "paid_pence"`);
    await queryRunner.query(`ALTER TABLE "awards" DROP COLUMN "ends_on"`);
    await queryRunner.query(`ALTER TABLE "awards" DROP COLUMN "starts_on"`);
    await queryRunner.query(`ALTER TABLE "awards" DROP COLUMN "budget_lines"`);
  }
}
