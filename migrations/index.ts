import { OpenDataWithholdings1797720000000 } from './1797720000000-OpenDataWithholdings.js';
import { Finance1797610000000 } from './1797610000000-Finance.js';
import { EvidenceFiles1797630000001 } from './1797630000001-EvidenceFiles.js';
import { Monitoring1797630000000 } from './1797630000000-Monitoring.js';
import { Reporting1797700000000 } from './1797700000000-Reporting.js';
import { ReconciliationRuns1797641000000 } from './1797641000000-ReconciliationRuns.js';
import { VariationsAndRepayments1797640000000 } from './1797640000000-VariationsAndRepayments.js';
import { Awards1797500000000 } from './1797500000000-Awards.js';
import { AwardBudgetAndDates1797600000000 } from './1797600000000-AwardBudgetAndDates.js';
import { Panels1797400000000 } from './1797400000000-Panels.js';
import { Screening1797100000000 } from './1797100000000-Screening.js';
import { Assessment1797200000000 } from './1797200000000-Assessment.js';
import { StatusChecks1796200000000 } from './1796200000000-StatusChecks.js';
import { MailLease1796192859867 } from './1796192859867-MailLease.js';
import { HideEmailSecrets1795993677764 } from './1795993677764-HideEmailSecrets.js';
import { BudgetLineVersion1795991927193 } from './1795991927193-BudgetLineVersion.js';
import { RoundCriteriaExclusions1795991872716 } from './1795991872716-RoundCriteriaExclusions.js';
import { FundsRoundsApplications1795991634896 } from './1795991634896-FundsRoundsApplications.js';
import { ScreeningChecklistFreeze1797250000000 } from './1797250000000-ScreeningChecklistFreeze.js';
import { Foundation1795990909497 } from './1795990909497-Foundation.js';
import { PotLedger1797300000000 } from './1797300000000-PotLedger.js';
/** Every migration, in order. `npm run migration:generate -- Name` appends to this list. */
export const MIGRATIONS = [
  Foundation1795990909497,
  FundsRoundsApplications1795991634896,
  RoundCriteriaExclusions1795991872716,
  BudgetLineVersion1795991927193,
  HideEmailSecrets1795993677764,
  MailLease1796192859867,
  StatusChecks1796200000000,
  Screening1797100000000,
  Assessment1797200000000,
  ScreeningChecklistFreeze1797250000000,
  PotLedger1797300000000,
  Panels1797400000000,
  Awards1797500000000,
  AwardBudgetAndDates1797600000000,
  Finance1797610000000,
  Monitoring1797630000000,
  EvidenceFiles1797630000001,
  VariationsAndRepayments1797640000000,
  ReconciliationRuns1797641000000,
  Reporting1797700000000,
  OpenDataWithholdings1797720000000,
];
