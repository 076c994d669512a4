import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../../organisations/organisations.module.js';
import { ApplicationPolicy, AssignedAssessorPort, PanelSeatPort } from './application.policy.js';
import { AwardPolicy } from './award.policy.js';
import { MonitoringPolicy } from './monitoring.policy.js';
import { ReportPolicy } from './report.policy.js';

/** The access policies, one per resource: "may this person read or change this thing". */
@Module({
  imports: [OrganisationsModule],
  providers: [ApplicationPolicy, AssignedAssessorPort, PanelSeatPort, AwardPolicy, MonitoringPolicy, ReportPolicy],
  exports: [ApplicationPolicy, AssignedAssessorPort, PanelSeatPort, AwardPolicy, MonitoringPolicy, ReportPolicy],
})
export class PoliciesModule {}
