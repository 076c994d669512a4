import type { MigrationInterface, QueryRunner } from 'typeorm';

export class HideEmailSecrets1795993677764 implements MigrationInterface {
  name = 'HideEmailSecrets1795993677764';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "email_messages" ADD "unsent_text_body" text`);
    await queryRunner.query(`ALTER TABLE "email_messages" ADD "unsent_html_body" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "email_messages" DROP COLUMN "unsent_html_body"`);
    await queryRunner.query(`ALTER TABLE "email_messages" DROP COLUMN "unsent_text_body"`);
  }
}
