import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795990909497 implements MigrationInterface {
  name = 'Foundation1795990909497';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "full_name" character varying(120) NOT NULL, "password_hash" text, "email_verified_at" TIMESTAMP WITH TIME ZONE, "roles" text array NOT NULL DEFAULT '{}', "disabled_at" TIMESTAMP WITH TIME ZONE, "password_changed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users"  ("email") `);
    await queryRunner.query(`CREATE TABLE "one_time_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" character varying(30) NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8e470cc9ffc1b2afa054304db17" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_one_time_tokens_user" ON "one_time_tokens"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_one_time_tokens_hash" ON "one_time_tokens"  ("token_hash") `);
    await queryRunner.query(`CREATE TABLE "api_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "kind" character varying(20) NOT NULL, "token_hash" character(64) NOT NULL, "token_prefix" character varying(16) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_api_tokens_user" ON "api_tokens"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_tokens_hash" ON "api_tokens"  ("token_hash") `);
    await queryRunner.query(`CREATE TABLE "sessions" ("sid" character varying(128) NOT NULL, "user_id" uuid, "data" jsonb NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e2d6172ca19b8ebef797c362b05" PRIMARY KEY ("sid"))`);
    await queryRunner.query(`CREATE INDEX "ix_sessions_user" ON "sessions"  ("user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_sessions_expires" ON "sessions"  ("expires_at") `);
    await queryRunner.query(`CREATE TABLE "audit_events" ("id" BIGSERIAL NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_user_id" uuid, "actor_label" character varying(254) NOT NULL, "action" character varying(100) NOT NULL, "entity_type" character varying(60) NOT NULL, "entity_id" character varying(64) NOT NULL, "before" jsonb, "after" jsonb, "reason" text, "request_id" character varying(64), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_audit_events_actor" ON "audit_events"  ("actor_user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_events_entity" ON "audit_events"  ("entity_type", "entity_id") `);
    await queryRunner.query(`CREATE TABLE "email_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "to_address" character varying(254) NOT NULL, "subject" character varying(200) NOT NULL, "template" character varying(100) NOT NULL, "text_body" text NOT NULL, "html_body" text NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "claimed_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "user_id" uuid, "organisation_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_922cad79d5a315f5d1d06b077da" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_email_messages_to" ON "email_messages"  ("to_address") `);
    await queryRunner.query(`CREATE INDEX "ix_email_messages_user" ON "email_messages"  ("user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_email_messages_organisation" ON "email_messages"  ("organisation_id") `);
    await queryRunner.query(`CREATE INDEX "ix_email_messages_created" ON "email_messages"  ("created_at") `);
    await queryRunner.query(`CREATE TABLE "outbox" ("id" BIGSERIAL NOT NULL, "job_name" character varying(100) NOT NULL, "payload" jsonb NOT NULL, "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "job_key" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "dispatched_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_outbox_pending" ON "outbox"  ("available_at") WHERE dispatched_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "districts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "gss_code" character varying(9) NOT NULL, "name" character varying(100) NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_972a72ff4e3bea5c7f43a2b98af" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_districts_gss_code" ON "districts"  ("gss_code") `);
    await queryRunner.query(`CREATE TABLE "organisations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(160) NOT NULL, "legal_form" character varying(40) NOT NULL, "charity_number" character varying(12), "company_number" character varying(8), "org_id" character varying(80) NOT NULL, "address_line1" character varying(120) NOT NULL, "address_line2" character varying(120), "town" character varying(80) NOT NULL, "postcode" character varying(8) NOT NULL, "district_id" uuid, "contact_name" character varying(120) NOT NULL, "contact_email" character varying(254) NOT NULL, "contact_phone" character varying(30), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7bf54cba378d5b2f1d4c10ef4df" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_organisations_org_id" ON "organisations"  ("org_id") `);
    await queryRunner.query(`CREATE INDEX "ix_organisations_district" ON "organisations"  ("district_id") `);
    await queryRunner.query(`CREATE TABLE "organisation_members" ("organisation_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" character varying(10) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3cc6551a3f80b7aca61439ac6a5" PRIMARY KEY ("organisation_id", "user_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_organisation_members_user" ON "organisation_members"  ("user_id") `);
    await queryRunner.query(`ALTER TABLE "one_time_tokens" ADD CONSTRAINT "fk_one_time_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "api_tokens" ADD CONSTRAINT "fk_api_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "organisations" ADD CONSTRAINT "fk_organisations_district" FOREIGN KEY ("district_id") REFERENCES "districts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "organisation_members" ADD CONSTRAINT "fk_organisation_members_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "organisation_members" ADD CONSTRAINT "fk_organisation_members_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // The audit trail is append-only: the database itself refuses to rewrite it.
    await queryRunner.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_events_no_truncate ON "audit_events"`);
    await queryRunner.query(`DROP TRIGGER audit_events_no_update ON "audit_events"`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query(`ALTER TABLE "organisation_members" DROP CONSTRAINT "fk_organisation_members_user"`);
    await queryRunner.query(`ALTER TABLE "organisation_members" DROP CONSTRAINT "fk_organisation_members_organisation"`);
    await queryRunner.query(`ALTER TABLE "organisations" DROP CONSTRAINT "fk_organisations_district"`);
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "fk_api_tokens_user"`);
    await queryRunner.query(`ALTER TABLE "one_time_tokens" DROP CONSTRAINT "fk_one_time_tokens_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_organisation_members_user"`);
    await queryRunner.query(`DROP TABLE "organisation_members"`);
    await queryRunner.query(`DROP INDEX "public"."ix_organisations_district"`);
    await queryRunner.query(`DROP INDEX "public"."uq_organisations_org_id"`);
    await queryRunner.query(`DROP TABLE "organisations"`);
    await queryRunner.query(`DROP INDEX "public"."uq_districts_gss_code"`);
    await queryRunner.query(`DROP TABLE "districts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_outbox_pending"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
    await queryRunner.query(`DROP INDEX "public"."ix_email_messages_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_email_messages_organisation"`);
    await queryRunner.query(`DROP INDEX "public"."ix_email_messages_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_email_messages_to"`);
    await queryRunner.query(`DROP TABLE "email_messages"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_events_entity"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_events_actor"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_expires"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_user"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_tokens_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_tokens_user"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."uq_one_time_tokens_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_one_time_tokens_user"`);
    await queryRunner.query(`DROP TABLE "one_time_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."uq_users_email"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
