import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../../organisations/organisations.module.js';
import { ApplicationPolicy, AssignedAssessorPort, PanelSeatPort } from './application.policy.js';
import { AwardPolicy } from './award.policy.js';
import { ClawbackPolicy } from './clawback.policy.js';
import { RepaymentPolicy } from './repayment.policy.js';
import { VariationPolicy } from './variation.policy.js';
import { MonitoringPolicy } from './monitoring.policy.js';
import { ReportPolicy } from './report.policy.js';

/** The access policies, one per resource: "may this person read or change this thing". */
@Module({
  imports: [OrganisationsModule],
  providers: [ApplicationPolicy, AssignedAssessorPort, PanelSeatPort, AwardPolicy, MonitoringPolicy, ReportPolicy, VariationPolicy, ClawbackPolicy, RepaymentPolicy],
  exports: [ApplicationPolicy, AssignedAssessorPort, PanelSeatPort, AwardPolicy, MonitoringPolicy, ReportPolicy, VariationPolicy, ClawbackPolicy, RepaymentPolicy],
})
export class PoliciesModule {}
