import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files other modules keep with their own records (a monitoring return's evidence), stored by the
 * attachments module like a bid's files; the owner is named by type and id, and its module decides access.
 */
export class EvidenceFiles1797630000001 implements MigrationInterface {
  name = 'EvidenceFiles1797630000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "evidence_files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_type" character varying(40) NOT NULL, "owner_id" uuid NOT NULL, "file_name" character varying(255) NOT NULL, "storage_key" character varying(64) NOT NULL, "content_type" character varying(120) NOT NULL, "size_bytes" integer NOT NULL, "sha256" character(64) NOT NULL, "uploaded_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f8d1a9a8e0430b749e2f4694460" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_evidence_files_owner" ON "evidence_files"  ("owner_type", "owner_id", "created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_evidence_files_owner"`);
    await queryRunner.query(`DROP TABLE "evidence_files"`);
  }
}
