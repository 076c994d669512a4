import { ApiProperty } from '@nestjs/swagger';
import { Count, PenceField } from '../common/response-fields.js';
import { APPLICATION_STATUSES } from './application.entity.js';
import { SECTION_STATUSES } from './application-section.entity.js';
import { ATTACHMENT_KINDS } from '../attachments/attachment.types.js';
import { BUDGET_CATEGORIES } from './budget-line.entity.js';

/** What the applications API answers, for the OpenAPI document (money in integer pence). */

export class PersonRefResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class SectionResponse {
  @ApiProperty({ description: 'The form section key, or "_project" and "_budget" for the built-in sections', example: 'need' }) key: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['project', 'form', 'budget'] }) kind: string;
  @ApiProperty({ enum: SECTION_STATUSES }) status: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Send it back when saving the section (optimistic locking)' }) version: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Answers by question key' }) answers: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
  @ApiProperty({ type: PersonRefResponse, nullable: true, description: 'Who saved it last' }) updatedBy: PersonRefResponse | null;
}

export class BudgetLineResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() item: string;
  @ApiProperty({ enum: BUDGET_CATEGORIES }) category: string;
  @PenceField('Asked of this fund') amountPence: number;
  @PenceField('Other funding towards this line') otherFundingPence: number;
  @ApiProperty({ type: String, nullable: true }) otherFundingSource: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) position: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Send it back when changing or removing the line (optimistic locking)' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class BudgetLineListResponse {
  @ApiProperty({ type: [BudgetLineResponse] }) items: BudgetLineResponse[];
  @PenceField('Sum of the lines (what the application asks for)') totalPence: number;
}

export class ApplicationAttachmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ATTACHMENT_KINDS }) kind: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ example: 'application/pdf' }) contentType: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) sizeBytes: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ApplicationRoundResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) closesAt: string;
}

export class ApplicationRoundDetailResponse extends ApplicationRoundResponse {
  @ApiProperty({ example: 'open' }) status: string;
}

export class ApplicationPotResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class ApplicationPotDetailResponse extends ApplicationPotResponse {
  @PenceField('Smallest grant') minGrantPence: number;
  @PenceField('Largest grant') maxGrantPence: number;
  @ApiProperty({ type: [String], description: 'Postcode districts the pot is limited to (empty: anywhere in its districts)' }) postcodeDistricts: string[];
}

export class ApplicationOrganisationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'org-id.guide identifier, for 360Giving' }) orgId: string;
}

export class ApplicationOrganisationDetailResponse extends ApplicationOrganisationResponse {
  @ApiProperty() contactEmail: string;
  @ApiProperty() postcode: string;
}

export class ApplicationDistrictResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() gssCode: string;
}

export class ApplicationPriorityResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

export class MoreInformationResponse {
  @ApiProperty({ description: "The grants officer's message: what is needed" }) message: string;
  @ApiProperty({ format: 'date', description: 'Respond by this date (London)' }) respondBy: string;
  @ApiProperty({ type: [String], description: 'Section keys that may be changed again' }) sections: string[];
  @ApiProperty({ type: [String], description: 'Attachment kinds that may be added or removed again' }) attachmentKinds: string[];
}

export class ApplicationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, description: 'Issued on submission', example: 'SCF-R17-0042' }) reference: string | null;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status: string;
  @ApiProperty({ example: 'Draft' }) statusLabel: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Send it back when changing the project details (optimistic locking)' }) version: number;
  @ApiProperty({ type: ApplicationRoundDetailResponse }) round: ApplicationRoundDetailResponse;
  @ApiProperty({ type: ApplicationPotDetailResponse }) pot: ApplicationPotDetailResponse;
  @ApiProperty({ type: ApplicationOrganisationDetailResponse }) organisation: ApplicationOrganisationDetailResponse;
  @ApiProperty({ format: 'uuid', description: 'The version of the round form the application answers' }) formId: string;
  @ApiProperty({ type: String, nullable: true }) projectTitle: string | null;
  @ApiProperty({ type: String, nullable: true }) projectSummary: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) projectStartDate: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) projectEndDate: string | null;
  @ApiProperty({ type: [ApplicationDistrictResponse] }) districts: ApplicationDistrictResponse[];
  @ApiProperty({ type: [ApplicationPriorityResponse] }) priorities: ApplicationPriorityResponse[];
  @PenceField('Sum of the budget lines') amountRequestedPence: number;
  @ApiProperty({ type: [SectionResponse], description: 'The task list: project details, the form sections, the budget' }) sections: SectionResponse[];
  @ApiProperty({ type: [BudgetLineResponse] }) budgetLines: BudgetLineResponse[];
  @ApiProperty({ type: [ApplicationAttachmentResponse] }) attachments: ApplicationAttachmentResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Who made the declaration on submission' }) declarationName: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) withdrawnAt: string | null;
  @ApiProperty({ type: MoreInformationResponse, nullable: true, description: 'While more information is requested: what is asked, by when, and what may change' })
  moreInformation: MoreInformationResponse | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last resubmitted after a request for more information' }) resubmittedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ApplicationSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, example: 'SCF-R17-0042' }) reference: string | null;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ type: String, nullable: true }) projectTitle: string | null;
  @PenceField('Sum of the budget lines') amountRequestedPence: number;
  @ApiProperty({ type: ApplicationRoundResponse }) round: ApplicationRoundResponse;
  @ApiProperty({ type: ApplicationPotResponse }) pot: ApplicationPotResponse;
  @ApiProperty({ type: ApplicationOrganisationResponse }) organisation: ApplicationOrganisationResponse;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resubmittedAt: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ApplicationPageResponse {
  @ApiProperty({ type: [ApplicationSummaryResponse] }) items: ApplicationSummaryResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}

export class TransitionResponse {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, nullable: true, enum: APPLICATION_STATUSES, description: 'null for the first status' }) fromStatus: string | null;
  @ApiProperty({ enum: APPLICATION_STATUSES }) toStatus: string;
  @ApiProperty() toLabel: string;
  @ApiProperty({ description: 'Who, in words' }) actorLabel: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
}

export class TransitionListResponse {
  @ApiProperty({ type: [TransitionResponse] }) items: TransitionResponse[];
}

/** What a section save answers: the section, and the application's version (project details are locked by it on PATCH). */
export class SectionSavedResponse extends SectionResponse {
  @ApiProperty({ type: 'integer', minimum: 1, description: "The application's version after the save" }) applicationVersion: number;
}

export class BudgetSectionVersionResponse {
  @ApiProperty({ example: '_budget' }) key: string;
  @ApiProperty({ enum: SECTION_STATUSES }) status: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Send it back to complete the budget (PUT .../sections/_budget)' }) version: number;
}

/** A budget line as adding or changing it answers: the line and the budget section's new version. */
export class BudgetLineSavedResponse extends BudgetLineResponse {
  @ApiProperty({ type: BudgetSectionVersionResponse }) section: BudgetSectionVersionResponse;
}

/** What removing a budget line answers: the budget section's new version (the same `section` as adding or changing a line). */
export class BudgetLineRemovedResponse {
  @ApiProperty({ type: BudgetSectionVersionResponse }) section: BudgetSectionVersionResponse;
}
