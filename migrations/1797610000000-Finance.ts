import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finance: bank details per award (sealed, with the last digits for the mask), payment schedules
 * (instalments, with their round and fund for the payments-due list), payments (two-person
 * approval above a threshold), each round's payment plan and each fund's approval rule.
 */
export class Finance1797610000000 implements MigrationInterface {
  name = 'Finance1797610000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "bank_accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "award_id" uuid NOT NULL, "details_sealed" text NOT NULL, "account_last_four" character varying(4) NOT NULL, "sort_code_last_two" character varying(2) NOT NULL, "entered_by_user_id" uuid NOT NULL, "entered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "verified_by_user_id" uuid, "verified_at" TIMESTAMP WITH TIME ZONE, "verification_method" character varying(20), "verification_note" text, "version" integer NOT NULL DEFAULT '1', CONSTRAINT "UQ_46c0a9bf4daae4f5f3a07de225c" UNIQUE ("award_id"), CONSTRAINT "chk_bank_accounts_method" CHECK ("verification_method" IS NULL OR "verification_method" IN ('letter', 'bank_statement', 'call_back')), CONSTRAINT "PK_c872de764f2038224a013ff25ed" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "payment_instalments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "award_id" uuid NOT NULL, "round_id" uuid NOT NULL, "fund_id" uuid NOT NULL, "position" integer NOT NULL, "due_on" date NOT NULL, "amount_pence" bigint NOT NULL, "paid_pence" bigint NOT NULL DEFAULT '0', "condition" jsonb, "condition_met_at" TIMESTAMP WITH TIME ZONE, "condition_met_by" character varying(320), "condition_note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_payment_instalments_amounts" CHECK ("amount_pence" > 0 AND "paid_pence" >= 0 AND "paid_pence" <= "amount_pence"), CONSTRAINT "PK_67304a0025b6d160001ab3d988e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_payment_instalments_round" ON "payment_instalments"  ("round_id", "due_on") `);
    await queryRunner.query(`CREATE INDEX "ix_payment_instalments_award" ON "payment_instalments"  ("award_id", "position") `);
    await queryRunner.query(`CREATE TABLE "payments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "award_id" uuid NOT NULL, "instalment_id" uuid, "amount_pence" bigint NOT NULL, "paid_on" date NOT NULL, "reference" character varying(100) NOT NULL, "status" character varying(20) NOT NULL, "recorded_by_user_id" uuid NOT NULL, "recorded_by" character varying(320) NOT NULL, "decided_by_user_id" uuid, "decided_by" character varying(320), "decided_at" TIMESTAMP WITH TIME ZONE, "decision_note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_payments_amount" CHECK ("amount_pence" > 0), CONSTRAINT "chk_payments_status" CHECK ("status" IN ('recorded', 'awaiting_approval', 'paid', 'rejected')), CONSTRAINT "PK_197ab7af18c93fbb0c9b28b4a59" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_payments_status" ON "payments"  ("status") `);
    await queryRunner.query(`CREATE INDEX "ix_payments_award" ON "payments"  ("award_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "round_payment_plans" ("round_id" uuid NOT NULL, "steps" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f82036cddac5a1c75554a2003fd" PRIMARY KEY ("round_id"))`);
    await queryRunner.query(`CREATE TABLE "fund_payment_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "fund_id" uuid NOT NULL, "approval_threshold_pence" bigint, "approve_every_payment" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_fund_payment_rules_fund" UNIQUE ("fund_id"), CONSTRAINT "chk_fund_payment_rules_threshold" CHECK ("approval_threshold_pence" IS NULL OR "approval_threshold_pence" >= 0), CONSTRAINT "PK_37cbe2f7c09188eedf204dcb563" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "bank_accounts" ADD CONSTRAINT "fk_bank_accounts_award" FOREIGN KEY ("award_id") REFERENCES "awards"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payment_instalments" ADD CONSTRAINT "fk_payment_instalments_award" FOREIGN KEY ("award_id") REFERENCES "awards"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payments" ADD CONSTRAINT "fk_payments_award" FOREIGN KEY ("award_id") REFERENCES "awards"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payments" ADD CONSTRAINT "fk_payments_instalment" FOREIGN KEY ("instalment_id") REFERENCES "payment_instalments"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "round_payment_plans" ADD CONSTRAINT "fk_round_payment_plans_round" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "fund_payment_rules" ADD CONSTRAINT "fk_fund_payment_rules_fund" FOREIGN KEY ("fund_id") REFERENCES "funds"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "fund_payment_rules" DROP CONSTRAINT "fk_fund_payment_rules_fund"`);
    await queryRunner.query(`ALTER TABLE "round_payment_plans" DROP CONSTRAINT "fk_round_payment_plans_round"`);
    await queryRunner.query(`ALTER TABLE "payments" DROP CONSTRAINT "fk_payments_instalment"`);
    await queryRunner.query(`ALTER TABLE "payments" DROP CONSTRAINT "fk_payments_award"`);
    await queryRunner.query(`ALTER TABLE "payment_instalments" DROP CONSTRAINT "fk_payment_instalments_award"`);
    await queryRunner.query(`ALTER TABLE "bank_accounts" DROP CONSTRAINT "fk_bank_accounts_award"`);
    await queryRunner.query(`DROP TABLE "fund_payment_rules"`);
    await queryRunner.query(`DROP TABLE "round_payment_plans"`);
    await queryRunner.query(`DROP INDEX "public"."ix_payments_award"`);
    await queryRunner.query(`DROP INDEX "public"."ix_payments_status"`);
    await queryRunner.query(`DROP TABLE "payments"`);
    await queryRunner.query(`DROP INDEX "public"."ix_payment_instalments_award"`);
    await queryRunner.query(`DROP INDEX "public"."ix_payment_instalments_round"`);
    await queryRunner.query(`DROP TABLE "payment_instalments"`);
    await queryRunner.query(`DROP TABLE "bank_accounts"`);
  }
}
