import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status, kind and role columns hold only the values their entity lists (the lifecycle tables'
 * statuses among them): a last line of defence under the code's own checks. Each CHECK matches the
 * @Check on its entity, built there from the same list the code uses.
 */
export class StatusChecks1796200000000 implements MigrationInterface {
  name = 'StatusChecks1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "applications" ADD CONSTRAINT "chk_applications_status" CHECK ("status" IN ('draft', 'submitted', 'screening', 'more_info_requested', 'in_assessment', 'assessed', 'at_panel', 'approved', 'rejected', 'deferred', 'withdrawn'))`);
    await queryRunner.query(`ALTER TABLE "application_sections" ADD CONSTRAINT "chk_application_sections_status" CHECK ("status" IN ('not_started', 'in_progress', 'completed'))`);
    await queryRunner.query(`ALTER TABLE "application_transitions" ADD CONSTRAINT "chk_application_transitions_from_status" CHECK ("from_status" IS NULL OR "from_status" IN ('draft', 'submitted', 'screening', 'more_info_requested', 'in_assessment', 'assessed', 'at_panel', 'approved', 'rejected', 'deferred', 'withdrawn'))`);
    await queryRunner.query(`ALTER TABLE "application_transitions" ADD CONSTRAINT "chk_application_transitions_to_status" CHECK ("to_status" IN ('draft', 'submitted', 'screening', 'more_info_requested', 'in_assessment', 'assessed', 'at_panel', 'approved', 'rejected', 'deferred', 'withdrawn'))`);
    await queryRunner.query(`ALTER TABLE "attachments" ADD CONSTRAINT "chk_attachments_kind" CHECK ("kind" IN ('constitution', 'accounts', 'safeguarding_policy', 'bank_statement', 'other'))`);
    await queryRunner.query(`ALTER TABLE "budget_lines" ADD CONSTRAINT "chk_budget_lines_category" CHECK ("category" IN ('staff', 'volunteers', 'equipment', 'venue', 'activities', 'training', 'publicity', 'travel', 'overheads', 'other'))`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD CONSTRAINT "chk_rounds_status" CHECK ("status" IN ('draft', 'scheduled', 'open', 'closed', 'assessing', 'decided', 'archived'))`);
    await queryRunner.query(`ALTER TABLE "email_messages" ADD CONSTRAINT "chk_email_messages_status" CHECK ("status" IN ('queued', 'sending', 'sent', 'failed', 'not_sent'))`);
    await queryRunner.query(`ALTER TABLE "one_time_tokens" ADD CONSTRAINT "chk_one_time_tokens_purpose" CHECK ("purpose" IN ('verify_email', 'reset_password', 'staff_invite'))`);
    await queryRunner.query(`ALTER TABLE "api_tokens" ADD CONSTRAINT "chk_api_tokens_kind" CHECK ("kind" IN ('sign_in', 'personal'))`);
    await queryRunner.query(`ALTER TABLE "organisation_members" ADD CONSTRAINT "chk_organisation_members_role" CHECK ("role" IN ('owner', 'member'))`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "chk_users_roles" CHECK ("roles" <@ ARRAY['grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor']::text[])`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "chk_users_roles"`);
    await queryRunner.query(`ALTER TABLE "organisation_members" DROP CONSTRAINT "chk_organisation_members_role"`);
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "chk_api_tokens_kind"`);
    await queryRunner.query(`ALTER TABLE "one_time_tokens" DROP CONSTRAINT "chk_one_time_tokens_purpose"`);
    await queryRunner.query(`ALTER TABLE "email_messages" DROP CONSTRAINT "chk_email_messages_status"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP CONSTRAINT "chk_rounds_status"`);
    await queryRunner.query(`ALTER TABLE "budget_lines" DROP CONSTRAINT "chk_budget_lines_category"`);
    await queryRunner.query(`ALTER TABLE "attachments" DROP CONSTRAINT "chk_attachments_kind"`);
    await queryRunner.query(`ALTER TABLE "application_transitions" DROP CONSTRAINT "chk_application_transitions_to_status"`);
    await queryRunner.query(`ALTER TABLE "application_transitions" DROP CONSTRAINT "chk_application_transitions_from_status"`);
    await queryRunner.query(`ALTER TABLE "application_sections" DROP CONSTRAINT "chk_application_sections_status"`);
    await queryRunner.query(`ALTER TABLE "applications" DROP CONSTRAINT "chk_applications_status"`);
  }
}
