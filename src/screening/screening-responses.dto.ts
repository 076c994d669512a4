import { ApiProperty } from '@nestjs/swagger';
import { APPLICATION_STATUSES } from '../applications/application-lifecycle.js';
import { Count, PenceField } from '../common/response-fields.js';
import { CHECKLIST_RESULTS, SCREENING_OUTCOMES } from './screening.entities.js';

export class ChecklistItemResponse {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) position: number;
}

export class ChecklistResponse {
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty({ type: [ChecklistItemResponse] }) items: ChecklistItemResponse[];
  @ApiProperty({ description: 'Screening of a bid in the round has started: the checklist can no longer change' }) frozen: boolean;
}

class QueueRoundResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
}

class QueueOrganisationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() orgId: string;
}

export class QueueItemResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ type: String, nullable: true }) projectTitle: string | null;
  @PenceField('Sum of the budget lines') amountRequestedPence: number;
  @ApiProperty({ type: QueueRoundResponse }) round: QueueRoundResponse;
  @ApiProperty({ type: QueueOrganisationResponse }) organisation: QueueOrganisationResponse;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resubmittedAt: string | null;
  @ApiProperty({ description: 'Resubmitted after more information was asked for (these come first)' }) resubmitted: boolean;
}

export class QueuePageResponse {
  @ApiProperty({ type: [QueueItemResponse] }) items: QueueItemResponse[];
  @Count() total: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) pageSize: number;
}

class ChecklistAnswerResponse {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: CHECKLIST_RESULTS }) result: string;
  @ApiProperty() note: string;
  @ApiProperty({ type: [String] }) attachmentIds: string[];
}

class PersonLabelResponse {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) id: string | null;
  @ApiProperty() label: string;
}

export class ScreeningResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ enum: SCREENING_OUTCOMES }) outcome: string;
  @ApiProperty({ type: [ChecklistAnswerResponse] }) checklist: ChecklistAnswerResponse[];
  @ApiProperty({ type: [String] }) sections: string[];
  @ApiProperty({ type: [String] }) attachmentKinds: string[];
  @ApiProperty({ type: String, nullable: true }) message: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) respondBy: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: PersonLabelResponse }) screenedBy: PersonLabelResponse;
  @ApiProperty({ format: 'date-time' }) screenedAt: string;
}

export class RegisterCheckResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() registeredNumber: string;
  @ApiProperty() nameShown: string;
  @ApiProperty() registerStatus: string;
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
  @ApiProperty({ description: "Which register look-up recorded it ('manual': the officer's own record)" }) source: string;
  @ApiProperty({ type: PersonLabelResponse }) recordedBy: PersonLabelResponse;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

class RegistrationResponse {
  @ApiProperty() name: string;
  @ApiProperty() legalForm: string;
  @ApiProperty() legalFormLabel: string;
  @ApiProperty({ type: String, nullable: true }) charityNumber: string | null;
  @ApiProperty({ type: String, nullable: true }) companyNumber: string | null;
  @ApiProperty() orgId: string;
}

export class ScreeningRecordResponse {
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status: string;
  @ApiProperty({ type: RegistrationResponse, nullable: true, description: "How the organisation is registered (from the organisations module)" }) registration: RegistrationResponse | null;
  @ApiProperty({ type: [ChecklistItemResponse], description: "The round's checklist" }) checklist: ChecklistItemResponse[];
  @ApiProperty({ type: [ScreeningResponse], description: 'Every screening of the bid, newest first' }) screenings: ScreeningResponse[];
  @ApiProperty({ type: [RegisterCheckResponse], description: 'Every register check, newest first' }) registerChecks: RegisterCheckResponse[];
}
