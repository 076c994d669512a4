import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RoundCriteriaExclusions1795991872716 implements MigrationInterface {
  name = 'RoundCriteriaExclusions1795991872716';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rounds" ADD "criteria" text`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD "exclusions" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rounds" DROP COLUMN "exclusions"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP COLUMN "criteria"`);
  }
}
