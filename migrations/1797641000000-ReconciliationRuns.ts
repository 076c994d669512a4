import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The nightly reconciliation's days (finance): what it found, and whether finance officers were emailed (once a day at most). */
export class ReconciliationRuns1797641000000 implements MigrationInterface {
  name = 'ReconciliationRuns1797641000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "reconciliation_runs" ("run_on" date NOT NULL, "funds" integer NOT NULL, "differences" integer NOT NULL, "emailed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_31278a0d0440c88335eb5508098" PRIMARY KEY ("run_on"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reconciliation_runs"`);
  }
}
