import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OpenDataWithholdings1797720000000 implements MigrationInterface {
  name = 'OpenDataWithholdings1797720000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "open_data_withholdings" ("award_id" uuid NOT NULL, "scope" character varying(10) NOT NULL, "reason" character varying(500) NOT NULL, "withheld_by" uuid, "withheld_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "chk_open_data_withholdings_scope" CHECK ("scope" IN ('award', 'location')), CONSTRAINT "PK_open_data_withholdings" PRIMARY KEY ("award_id"))`);
    await queryRunner.query(`ALTER TABLE "open_data_withholdings" ADD CONSTRAINT "fk_open_data_withholdings_award" FOREIGN KEY ("award_id") REFERENCES "awards"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "open_data_withholdings" ADD CONSTRAINT "fk_open_data_withholdings_by" FOREIGN KEY ("withheld_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "open_data_withholdings" DROP CONSTRAINT "fk_open_data_withholdings_by"`);
    await queryRunner.query(`ALTER TABLE "open_data_withholdings" DROP CONSTRAINT "fk_open_data_withholdings_award"`);
    await queryRunner.query(`DROP TABLE "open_data_withholdings"`);
  }
}
