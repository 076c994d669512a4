import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { ReferenceDataModule } from '../reference-data/reference-data.module.js';
import { InvitesController } from './invites.controller.js';
import { InvitesPages } from './invites.pages.js';
import { OrganisationMembershipReader } from './membership-reader.js';
import { OrganisationInvitesService } from './organisation-invites.service.js';
import { OrganisationMembersService } from './organisation-members.service.js';
import { OrganisationRegistrationPages } from './organisation-registration.pages.js';
import { OrganisationsController } from './organisations.controller.js';
import { OrganisationsPages } from './organisations.pages.js';
import { OrganisationsService } from './organisations.service.js';
import { StaffOrganisationsPages } from './staff-organisations.pages.js';

/** Organisations, members and invitations: API, applicant pages and staff pages. */
@Module({
  imports: [ReferenceDataModule, PeopleModule],
  providers: [OrganisationsService, OrganisationMembersService, OrganisationInvitesService, OrganisationMembershipReader],
  // The registration journey is listed before the organisation pages so /organisations/new is never read as an id.
  controllers: [OrganisationsController, InvitesController, OrganisationRegistrationPages, OrganisationsPages, InvitesPages, StaffOrganisationsPages],
  // Other modules ask about membership through OrganisationMembershipReader, never the tables.
  exports: [OrganisationsService, OrganisationMembersService, OrganisationMembershipReader],
})
export class OrganisationsModule {}
