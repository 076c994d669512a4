import type { EntityManager } from 'typeorm';
import type { PeopleReader } from '../accounts/people-reader.js';
import { DomainError } from '../common/errors.js';
import type { FormDefinition } from '../forms/form.types.js';
import { applicationRefusalError, type ApplicationStanding } from '../auth/policies/application.policy.js';
import type { ApplicationFileView } from './application-files.types.js';
import { mayChangePart, type ReopenedParts } from './application-lifecycle.js';
import type { ProjectDetailsInput } from './application-rules.js';
import type { ApplicationStatus } from './application.entity.js';
import type { SectionStatus } from './application-section.entity.js';

/**
 * The typed views of a bid that pages, the API and other domains read (ApplicationReader builds
 * them), and the built-in task-list sections.
 *
 * Form sections come from the round's form. Form keys start with a lower-case letter, so these
 * underscore keys can never collide with a form section's.
 */
export const PROJECT_SECTION = '_project';
export const BUDGET_SECTION = '_budget';
export const BUILT_IN_SECTIONS: readonly string[] = [PROJECT_SECTION, BUDGET_SECTION];

export interface SectionView {
  key: string;
  title: string;
  kind: 'project' | 'form' | 'budget';
  status: SectionStatus;
  version: number;
  answers: Record<string, unknown>;
  updatedAt: Date | null;
  updatedBy: { id: string; name: string } | null;
}

/**
 * What a section save answers: the section, and the versions a client needs for its next call
 * (the application's version, which project details are locked by).
 */
export interface SectionSaved extends SectionView {
  applicationVersion: number;
}

export interface BudgetLineView {
  id: string;
  item: string;
  category: string;
  amountPence: number;
  otherFundingPence: number;
  otherFundingSource: string | null;
  position: number;
  version: number;
  updatedAt: Date;
}

/** A budget line as a change answers it: the line, and the budget section's new version. */
export interface BudgetLineSaved extends BudgetLineView {
  section: { key: string; status: SectionStatus; version: number };
}

/** A file of a bid as its views list it (read from the attachments module through the ApplicationFiles port). */
export type AttachmentView = ApplicationFileView;

export interface ApplicationDetail {
  id: string;
  reference: string | null;
  status: ApplicationStatus;
  statusLabel: string;
  version: number;
  round: { id: string; code: string; title: string; closesAt: Date; status: string };
  pot: { id: string; name: string; minGrantPence: number; maxGrantPence: number; postcodeDistricts: string[] };
  organisation: { id: string; name: string; orgId: string; contactEmail: string; postcode: string };
  formId: string;
  projectTitle: string | null;
  projectSummary: string | null;
  projectStartDate: string | null;
  projectEndDate: string | null;
  districts: { id: string; name: string; gssCode: string }[];
  priorities: { id: string; code: string; name: string }[];
  amountRequestedPence: number;
  sections: SectionView[];
  budgetLines: BudgetLineView[];
  attachments: AttachmentView[];
  declarationName: string | null;
  submittedAt: Date | null;
  withdrawnAt: Date | null;
  /** While more information is asked for: what the officer asked and which parts are open again. */
  moreInformation: MoreInformation | null;
  resubmittedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MoreInformation {
  message: string;
  respondBy: string;
  sections: string[];
  attachmentKinds: string[];
}

export interface ApplicationSummary {
  id: string;
  reference: string | null;
  status: ApplicationStatus;
  statusLabel: string;
  projectTitle: string | null;
  amountRequestedPence: number;
  round: { id: string; code: string; title: string; closesAt: Date };
  pot: { id: string; name: string };
  organisation: { id: string; name: string; orgId: string };
  submittedAt: Date | null;
  resubmittedAt: Date | null;
  updatedAt: Date;
}

export interface ApplicationFilters {
  roundId?: string;
  status?: ApplicationStatus;
  potId?: string;
  districtId?: string;
  priorityId?: string;
  organisationId?: string;
  /** Any of these statuses (the screening queue); `status` narrows further. */
  statuses?: ApplicationStatus[];
  /** 'screening': resubmitted bids first (earliest resubmission first), then oldest submitted first. */
  order?: 'recent' | 'screening';
  page: number;
  pageSize: number;
}

export interface TransitionView {
  id: string;
  fromStatus: string | null;
  toStatus: string;
  toLabel: string;
  actorLabel: string;
  /** The person's name, or "The service" for the system (history pages show names, not emails). */
  actorName: string;
  reason: string | null;
  occurredAt: Date;
}

export interface ProjectDetailsChange extends ProjectDetailsInput {
  version: number;
  completed?: boolean;
}

export interface SectionSave {
  answers: Record<string, unknown>;
  version: number;
  completed?: boolean;
}

/** What a page needs around a bid: pot's districts and priorities with names, the form. */
export interface ApplicationContext {
  form: FormDefinition;
  potDistricts: { id: string; name: string }[];
  potPriorities: { id: string; code: string; name: string; outcome: string }[];
}

/** Refuses a change to one section unless the lifecycle's one rule (mayChangePart) allows it now. */
export function assertSectionChangeable(bid: ReopenedParts, section: string): void {
  if (!mayChangePart(bid, { section })) throw applicationRefusalError('not_editable', bid.status, 'change');
}

export const sectionNotFound = () => new DomainError('not_found', 'APPLICATION.SECTION_NOT_FOUND', 'This application has no such section');

/** People's full names by id, through accounts' door (ids with no account are left out). */
export async function fullNamesOf(people: PeopleReader, ids: string[], manager?: EntityManager): Promise<Map<string, string>> {
  return new Map([...(await people.byIds(ids, manager))].map(([id, person]) => [id, person.fullName]));
}

/** A bid as another module acting on it needs it (attachments): whose it is, its state, and where the person stands. */
export interface OpenedBid {
  id: string;
  organisationId: string;
  status: ApplicationStatus;
  projectTitle: string | null;
  reference: string | null;
  /** What an officer reopened while more information is asked for (see mayChangePart). */
  reopenedSections: string[];
  reopenedAttachmentKinds: string[];
  standing: ApplicationStanding;
}
