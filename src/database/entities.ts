import { REPORTING_ENTITIES } from '../reporting/reporting.entities.js';
import { OPEN_DATA_ENTITIES } from '../reporting/open-data.entities.js';
import { RegisterCheck, Screening, ScreeningChecklistItem } from '../screening/screening.entities.js';
import { User } from '../accounts/user.entity.js';
import { OneTimeToken } from '../accounts/one-time-token.entity.js';
import { ApiToken } from '../auth/api-token.entity.js';
import { SessionRecord } from '../auth/session.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { EmailMessage } from '../mail/email-message.entity.js';
import { OutboxEntry } from '../queue/outbox-entry.entity.js';
import { District } from '../reference-data/district.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { OrganisationMember } from '../organisations/organisation-member.entity.js';
import { OrganisationInvite } from '../organisations/organisation-invite.entity.js';
import { Outcome } from '../reference-data/outcome.entity.js';
import { Priority } from '../reference-data/priority.entity.js';
import { Fund } from '../funds/fund.entity.js';
import { Round } from '../funds/round.entity.js';
import { Pot, PotDistrict, PotPriority } from '../funds/pot.entity.js';
import { PotLedgerEntry } from '../funds/pot-ledger-entry.entity.js';
import { EligibilityQuestion } from '../funds/eligibility-question.entity.js';
import { RoundForm } from '../funds/round-form.entity.js';
import { Application, ApplicationDistrict, ApplicationPriority } from '../applications/application.entity.js';
import { ApplicationSection } from '../applications/application-section.entity.js';
import { BudgetLine } from '../applications/budget-line.entity.js';
import { Attachment } from '../attachments/attachment.entity.js';
import { EvidenceFile } from '../attachments/evidence-file.entity.js';
import { ApplicationTransition } from '../applications/application-transition.entity.js';
import { AgreementTerms, Award, AwardReferenceCounter, AwardTransition } from '../awards/award.entity.js';
import { AwardVariation } from '../awards/award-variation.entity.js';
import { Clawback, Repayment } from '../finance/repayment.entity.js';
import { ReconciliationRun } from '../finance/reconciliation-run.entity.js';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity.js';
import { Panel, PanelAgendaItem, PanelDecision, PanelMember, StandardConditions } from '../panels/panel.entity.js';
import { BankAccount, FundPaymentRule, Payment, PaymentInstalment, RoundPaymentPlan } from '../finance/finance.entity.js';
import { MonitoringReturn, ReturnReminder, ReturnSchedule, ReturnTransition } from '../monitoring/monitoring.entity.js';
import { Assessment, AssessmentBid, AssessmentReminder, AssessmentSettings, AssessorPoolMember, ConflictOfInterest } from '../assessment/assessment.entity.js';

/** Every entity, in one list: the data source, the migration generator and the schema test use it. */
export const ENTITIES = [
  User,
  OneTimeToken,
  ApiToken,
  SessionRecord,
  AuditEvent,
  EmailMessage,
  OutboxEntry,
  District,
  Organisation,
  OrganisationMember,
  OrganisationInvite,
  Outcome,
  Priority,
  Fund,
  Round,
  Pot,
  PotDistrict,
  PotPriority,
  PotLedgerEntry,
  EligibilityQuestion,
  RoundForm,
  Application,
  ApplicationDistrict,
  ApplicationPriority,
  ApplicationSection,
  BudgetLine,
  Attachment,
  ApplicationTransition,
  ScreeningChecklistItem,
  Screening,
  RegisterCheck,
  AssessmentSettings,
  AssessorPoolMember,
  ConflictOfInterest,
  AssessmentBid,
  Assessment,
  AssessmentReminder,
  AgreementTerms,
  Award,
  AwardTransition,
  AwardReferenceCounter,
  AwardVariation,
  Clawback,
  Repayment,
  ReconciliationRun,
  IdempotencyKey,
  Panel,
  PanelMember,
  PanelAgendaItem,
  PanelDecision,
  StandardConditions,
  BankAccount,
  PaymentInstalment,
  Payment,
  RoundPaymentPlan,
  FundPaymentRule,
  ReturnSchedule,
  MonitoringReturn,
  ReturnTransition,
  ReturnReminder,
  EvidenceFile,
  ...REPORTING_ENTITIES,
  ...OPEN_DATA_ENTITIES,
];
