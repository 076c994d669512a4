import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Count, PenceField } from '../common/response-fields.js';
import { FormSectionDoc } from './funds.dto.js';
import { LEDGER_ENTRY_KINDS } from './pot-ledger-entry.entity.js';
import { ROUND_STATUSES, type RoundStatus } from './round.entity.js';

/** What the funds and rounds API answers, described for the OpenAPI document (requests: funds.dto.ts). */

export class FundResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() funderName: string;
  @ApiProperty({ type: String, nullable: true, description: 'org-id of the funder, for 360Giving', example: 'GB-GOR-PC000123' }) funderOrgId: string | null;
  @ApiProperty() fundingSource: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ example: 'SCF' }) referencePrefix: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class FundPageResponse {
  @ApiProperty({ type: [FundResponse] }) items: FundResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}

export class PotDistrictResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'E08000035' }) gssCode: string | null;
}

export class PotPriorityResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) code: string | null;
}

export class PotResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @PenceField('Smallest grant') minGrantPence: number;
  @PenceField('Largest grant') maxGrantPence: number;
  @PenceField('Budget of the pot') budgetPence: number;
  @PenceField('Committed to awards so far') committedPence: number;
  @ApiProperty({ type: [String], format: 'uuid' }) districtIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) priorityIds: string[];
  @ApiProperty({ type: [PotDistrictResponse] }) districts: PotDistrictResponse[];
  @ApiProperty({ type: [PotPriorityResponse] }) priorities: PotPriorityResponse[];
  @ApiProperty({ type: [String] }) wards: string[];
  @ApiProperty({ type: [String] }) postcodeDistricts: string[];
  @ApiProperty({ type: 'integer' }) position: number;
}

export class PotListResponse {
  @ApiProperty({ type: [PotResponse] }) items: PotResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}

export class RoundFundResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() referencePrefix: string;
}

export class CurrentFormRefResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When applications started using it (it can no longer change)' }) frozenAt: string | null;
}

export class RoundResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) fundId: string;
  @ApiPropertyOptional({ type: RoundFundResponse }) fund?: RoundFundResponse;
  @ApiProperty({ example: 'R17' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true, description: 'What the round is for' }) description: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Who and what it funds' }) criteria: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What it does not fund' }) exclusions: string | null;
  @ApiProperty({ format: 'date-time' }) opensAt: string;
  @ApiProperty({ format: 'date-time' }) closesAt: string;
  @PenceField('Total budget of the round') totalBudgetPence: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: "Sum of the pots' budgets, in pence" }) allocatedToPotsPence?: number;
  @ApiProperty({ enum: ROUND_STATUSES }) status: RoundStatus;
  @ApiProperty({ description: 'Open and between its dates: applications can be started and submitted' }) acceptingApplications: boolean;
  @ApiProperty({ type: CurrentFormRefResponse, nullable: true }) currentForm: CurrentFormRefResponse | null;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Send it back with a change (optimistic locking)' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({ type: [PotResponse], description: 'In lists and when reading one round' }) pots?: PotResponse[];
}

export class RoundPageResponse {
  @ApiProperty({ type: [RoundResponse] }) items: RoundResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}

export class EligibilityQuestionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Order (lowest first)' }) position: number;
  @ApiProperty() question: string;
  @ApiProperty({ type: String, nullable: true }) hint: string | null;
  @ApiProperty({ description: 'The answer that passes: true for Yes, false for No' }) passingAnswer: boolean;
  @ApiProperty() failureMessage: string;
}

export class EligibilityQuestionListResponse {
  @ApiProperty({ type: [EligibilityQuestionResponse] }) items: EligibilityQuestionResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}

export class FormDefinitionDoc {
  @ApiProperty({ type: [FormSectionDoc] }) sections: FormSectionDoc[];
}

export class FormResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set once applications use it; a frozen form never changes' }) frozenAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: FormDefinitionDoc }) definition: FormDefinitionDoc;
}

export class FormVersionResponse extends FormResponse {
  @ApiProperty({ description: "Whether it is the round's current form" }) current: boolean;
}

export class FormVersionListResponse {
  @ApiProperty({ type: [FormVersionResponse] }) items: FormVersionResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}

export class LedgerEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) potId: string;
  @ApiProperty({ enum: LEDGER_ENTRY_KINDS, description: 'commit and release move the committed amount; payment and repayment the paid amount' }) kind: string;
  @PenceField('Amount moved (always positive; the kind says which way)') amountPence: number;
  @ApiProperty({ description: 'Unique key of the movement: the same cause retried moves nothing again' }) key: string;
  @ApiProperty({ example: 'decision' }) sourceType: string;
  @ApiProperty({ format: 'uuid' }) sourceId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) applicationId: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty() actorLabel: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PotLedgerResponse {
  @ApiProperty({ format: 'uuid' }) potId: string;
  @PenceField('Budget of the pot') budgetPence: number;
  @PenceField('Committed: commits minus releases') committedPence: number;
  @PenceField('Paid: payments minus repayments') paidPence: number;
  @PenceField('Budget minus committed') availablePence: number;
  @ApiProperty({ type: [LedgerEntryResponse] }) entries: LedgerEntryResponse[];
  @Count() total: number;
  @Count() page: number;
  @Count() pageSize: number;
}
