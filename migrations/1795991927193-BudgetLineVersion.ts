import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BudgetLineVersion1795991927193 implements MigrationInterface {
  name = 'BudgetLineVersion1795991927193';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "budget_lines" ADD "version" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "budget_lines" ADD "updated_by" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "budget_lines" DROP COLUMN "updated_by"`);
    await queryRunner.query(`ALTER TABLE "budget_lines" DROP COLUMN "version"`);
  }
}
