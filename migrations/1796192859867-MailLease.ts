import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A worker's claim on an email becomes a lease (token and expiry) that another worker may take over. */
export class MailLease1796192859867 implements MigrationInterface {
  name = 'MailLease1796192859867';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "email_messages" ADD "lease_token" uuid`);
    await queryRunner.query(`ALTER TABLE "email_messages" ADD "lease_expires_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "email_messages" DROP COLUMN "lease_expires_at"`);
    await queryRunner.query(`ALTER TABLE "email_messages" DROP COLUMN "lease_token"`);
  }
}
